"""Per-message cost of reading a message (parse + decode + strip).

    .venv/bin/python benchmarks/message_speed.py                      # this checkout
    .venv/bin/python benchmarks/message_speed.py --against OTHER-CHECKOUT/src --runs 5

Two corpora: ``mailgen`` (the varied 1-3 KB emails of benchmarks/mailgen.py, what
``replycoach batch`` is measured on) and ``fixtures`` (tests/fixtures/emails padded with
quoted history to 1-3 KB). Prints CPU microseconds per message for ``parse_message``
and, for scale, for the stdlib floor the batch target is set against
(``email.message_from_bytes`` compat32 + ``get_payload(decode=True)`` of the text
parts), the bare compat32 parse, and the modern policy with ``get_body()``.

``--against SRC`` times another source tree (e.g. main's ``src``) too, alternating
fresh processes between the two, and prints the median of each.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "emails"
QUOTE = b"> Thank you for contacting Example Shop. We have received your message and will reply soon.\n"


def fixture_corpus() -> list[bytes]:
    out = []
    for path in sorted(FIXTURES.glob("*.eml")):
        raw = path.read_bytes()
        head = raw.split(b"\n\n", 1)[0].lower()
        if b"base64" in head or b"multipart" in head or b"iso-2022" in head:
            out.append(raw)
            continue
        target = 1024 + (len(out) * 97) % 2048  # spread sizes over 1-3 KB
        while len(raw) < target:
            raw += QUOTE
        out.append(raw)
    return out


def mailgen_corpus(count: int) -> list[bytes]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import mailgen

    return list(mailgen.messages(count))


def timeit(fn, items: list[bytes], rounds: int) -> float:  # type: ignore[no-untyped-def]
    """Best-of-rounds CPU time per item: process_time ignores time spent waiting for a
    core, so a busy shared machine skews the figures less than wall-clock time would."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for item in items:
            fn(item)
        best = min(best, time.process_time() - start)
    return best / len(items) * 1e6


def stdlib_floor(raw: bytes) -> None:
    for part in message_from_bytes(raw).walk():
        if part.get_content_maintype() == "text":
            part.get_payload(decode=True)


def measure(count: int) -> dict[str, float]:
    from replycoach.message import parse_message

    out: dict[str, float] = {}
    for name, items in (("mailgen", mailgen_corpus(count)), ("fixtures", fixture_corpus())):
        for item in items:
            parse_message(item)  # warm lazy imports and regex builds
            stdlib_floor(item)
        # Interleaved rounds, so load changes during the run hit both measurements alike.
        ours = floor = float("inf")
        for _ in range(5):
            # Empty re's cache first: the boundary regexes parse_message puts there
            # would otherwise spare the stdlib floor its per-boundary compile.
            re.purge()
            ours = min(ours, timeit(parse_message, items, 1))
            re.purge()
            floor = min(floor, timeit(stdlib_floor, items, 1))
        out[f"{name}_parse_message_us"] = round(ours, 1)
        out[f"{name}_stdlib_floor_us"] = round(floor, 1)
        out[f"{name}_over_floor"] = round(ours / floor, 2)
        if name == "fixtures":
            out["fixtures_compat32_parse_only_us"] = round(timeit(message_from_bytes, items, 3), 1)
            modern = timeit(
                lambda b: message_from_bytes(b, policy=policy.default).get_body(("plain", "html")), items, 3
            )
            out["fixtures_modern_policy_get_body_us"] = round(modern, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="mailgen messages (default 2000)")
    parser.add_argument("--against", metavar="SRC", help="another source tree to time alternately")
    parser.add_argument("--runs", type=int, default=3, help="processes per tree with --against")
    parser.add_argument("--src", help=argparse.SUPPRESS)  # the tree a child process imports
    args = parser.parse_args()
    if args.src:
        sys.path.insert(0, args.src)
        print(json.dumps(measure(args.count)))
        return
    if not args.against:
        sys.path.insert(0, str(ROOT / "src"))
        print(json.dumps(measure(args.count)))
        return
    trees = {"this": str(ROOT / "src"), "against": args.against}
    results: dict[str, list[dict[str, float]]] = {k: [] for k in trees}
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for _ in range(args.runs):
        for label, src in trees.items():
            cmd = [sys.executable, __file__, "--src", src, "--count", str(args.count)]
            line = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout.strip()
            results[label].append(json.loads(line.splitlines()[-1]))
    for label, runs in results.items():
        medians = {key: round(statistics.median(r[key] for r in runs), 2) for key in runs[0]}
        print(json.dumps({"tree": trees[label], "runs": len(runs), **medians}))


if __name__ == "__main__":
    main()
