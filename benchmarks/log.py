"""The complaint log's costs: what the history lookup adds to `draft`, how fast rows are
logged, and how long the report takes on a big log. Prints numbers and ratios.

    python benchmarks/log.py [--runs 20] [--rows 10000] [--pg postgresql://…]

`--pg` (or REPLYCOACH_TEST_PG) adds the same measurements against a PostgreSQL server.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "damaged.eml"


def medians_ms(cases: list[tuple[list[str], dict[str, str]]], runs: int) -> list[float]:
    """Median wall time of each command; the cases are interleaved run by run, so a busy
    machine slows them all alike and the ratios stay meaningful."""
    times: list[list[float]] = [[] for _ in cases]
    for i in range(runs + 3):
        for k, (cmd, env) in enumerate(cases):
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
            if i >= 3:  # warm-up: page cache, replycoach's data cache
                times[k].append((time.perf_counter() - start) * 1000)
    return [statistics.median(t) for t in times]


def pg_scratch(base: str) -> tuple[str, object]:
    """A fresh schema on the server for this run, and how to drop it."""
    import uuid

    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")

    def drop() -> None:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")

    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", drop


def fill(url: str, rows: int) -> None:
    """``rows`` complaints spread over a year, 50 senders, in one transaction."""
    from replycoach import api
    from replycoach.record import logbook, store

    result = api.draft_text(SAMPLE.read_bytes(), sets={"agent": "Sam"}, now="2026-11-20T17:00:00+01:00", db=url)
    base = logbook.row_from_result(result, {"settings": {"agent": "Sam"}})
    start = datetime(2025, 11, 20, tzinfo=UTC)
    with store.open_store(url) as st, st.transaction():
        for i in range(rows):
            row = dict(base, created_at=logbook.utc_text(start + timedelta(minutes=52 * i)))
            row["sender_email"] = f"customer{i % 50}@example.com"
            row["cause"] = ("third-party", "process-gap", "product-defect")[i % 3]
            st.insert("complaints", row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--pg", default=os.environ.get("REPLYCOACH_TEST_PG"))
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    replycoach = str(Path(sys.executable).parent / "replycoach")
    env = dict(os.environ, NO_COLOR="1", REPLYCOACH_HOME=str(tmp / "empty"), REPLYCOACH_CACHE=str(tmp / "cache"))
    env.pop("REPLYCOACH_DB", None)
    draft = [replycoach, "draft", str(SAMPLE), "--set", "agent=Sam"]

    backends = [("sqlite", str(tmp / "big.sqlite3"))]
    cleanups = []
    if args.pg:
        url, drop = pg_scratch(args.pg)
        backends.append(("postgresql", url))
        cleanups.append(drop)
    try:
        for name, url in backends:
            run_backend(name, url, draft, env, args)
    finally:
        for drop in cleanups:
            drop()


def run_backend(name: str, url: str, draft: list[str], env: dict[str, str], args: argparse.Namespace) -> None:
    fill(url, args.rows)
    logged_env = dict(env, REPLYCOACH_DB=url)
    no_log, with_log, logged = medians_ms(
        [(draft, env), (draft, logged_env), ([*draft, "--log"], logged_env)], args.runs
    )
    print(f"{name}: draft with no log (lookup skipped)   {no_log:7.1f} ms")
    print(
        f"{name}: draft, log of {args.rows} rows       {with_log:7.1f} ms  "
        f"({with_log - no_log:+.1f} ms, {with_log / no_log:.2f} x no log)"
    )
    print(f"{name}: draft --log                       {logged:7.1f} ms  ({logged / no_log:.2f} x no log)")
    from replycoach.record import logbook, report

    start = time.perf_counter()
    rows = logbook.rows(db=url)
    read = time.perf_counter() - start
    start = time.perf_counter()
    data = report.build(rows, by="week")
    html = report.html(data)
    built = time.perf_counter() - start
    print(
        f"{name}: report on {len(rows)} rows: read {read * 1000:.0f} ms, "
        f"aggregate + HTML {built * 1000:.0f} ms ({len(html) // 1024} KiB page)"
    )

    from replycoach.record import history, store

    n = 100
    start = time.perf_counter()
    for i in range(n):
        history.lookup(f"customer{i % 50}@example.com", db=url)  # open, version check, query, close
    lookup = (time.perf_counter() - start) / n
    print(f"{name}: history lookup in-process {lookup * 1000:.2f} ms (200 earlier rows per sender)")

    result = json.loads(
        subprocess.run([*draft, "--format", "json"], capture_output=True, check=True, env=env, text=True).stdout
    )
    n = 200
    start = time.perf_counter()
    for _ in range(n):
        logbook.record(result, {}, db=url)  # open + transaction + close, like draft --log
    per_open = (time.perf_counter() - start) / n
    with store.open_store(url) as st:
        start = time.perf_counter()
        for _ in range(n):
            logbook.record(result, {}, db=st)
        per_row = (time.perf_counter() - start) / n
    print(
        f"{name}: record {per_open * 1000:.2f} ms with a fresh connection, "
        f"{per_row * 1000:.2f} ms on an open one ({1 / per_row:.0f} rows/s)"
    )


if __name__ == "__main__":
    main()
