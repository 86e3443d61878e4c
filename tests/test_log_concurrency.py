"""Nothing lost, on both backends: two processes logging at once, and a writer killed
with SIGKILL in the middle of a write. Real processes, real files and servers.

The numbers these print with ``-s`` (rows, seconds) are informational, never asserted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from replycoach.record import logbook, store

from . import test_log_support as support
from .test_log_support import another, drafted

db_url = support.db_url  # every test here runs on SQLite and PostgreSQL

WRITER = r"""
import json, os, sys, time
from replycoach.record import logbook
from replycoach.record import store

url, count, tag, result_file, go = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
result = json.loads(open(result_file, encoding="utf-8").read())
answers = {"settings": {"agent": tag}}
while not os.path.exists(go):  # start together: the writes overlap
    time.sleep(0.001)
if count == -1:  # hold a write open until killed
    st = store.open_store(url)
    result["message"]["message_id"] = "<held@example.com>"
    with st.transaction():
        st.insert("complaints", logbook.row_from_result(result, answers, keep_message=True))
        print("inside", flush=True)
        time.sleep(60)
for i in range(count if count > 0 else 10**9):
    result["message"]["message_id"] = f"<{tag}-{i}@example.com>"  # each write its own message
    # The path `draft --log` takes: open (and migrate) the log, one transaction, close.
    cid = logbook.record(result, answers, keep_message=True, db=url)
    print(cid, flush=True)  # printed only after the commit returned
"""


def _spawn(tmp_path: Path, url: str, count: int, tag: str, go: Path) -> subprocess.Popen[str]:
    script = tmp_path / "writer.py"
    if not script.exists():
        script.write_text(WRITER)
    result, _ = drafted()
    result_file = tmp_path / "result.json"
    if not result_file.exists():
        result_file.write_text(json.dumps(result))
    env = dict(os.environ, REPLYCOACH_DB=url)
    return subprocess.Popen(
        [sys.executable, str(script), url, str(count), tag, str(result_file), str(go)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
    )


def _integrity(url: str) -> None:
    with store.open_store(url) as st:
        if st.dialect == "sqlite":
            assert st.rows("PRAGMA integrity_check") == [{"integrity_check": "ok"}]


def test_two_processes_logging_at_once_lose_nothing(db_url: str, tmp_path: Path) -> None:
    go = tmp_path / "go"
    # Both start on a log that does not exist yet: the migration race is part of the test.
    procs = [_spawn(tmp_path, db_url, 500, tag, go) for tag in ("a", "b")]
    time.sleep(0.3)
    start = time.perf_counter()
    go.touch()
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        outs.append([int(x) for x in out.split()])
    seconds = time.perf_counter() - start
    assert [len(o) for o in outs] == [500, 500]
    rows = logbook.rows(db=db_url)
    assert len(rows) == 1000
    assert sorted(r["id"] for r in rows) == sorted(outs[0] + outs[1])
    assert sorted(r["agent"] for r in rows) == ["a"] * 500 + ["b"] * 500
    with store.open_store(db_url) as st:
        assert st.rows("SELECT version FROM schema_migrations ORDER BY version") == [{"version": 1}, {"version": 2}]
    _integrity(db_url)
    print(f"\n{db_url.split(':')[0]}: 2 x 500 rows in {seconds:.2f} s ({1000 / seconds:.0f} rows/s)")


def test_sigkill_during_writes_keeps_every_committed_row(db_url: str, tmp_path: Path) -> None:
    go = tmp_path / "go"
    go.touch()
    proc = _spawn(tmp_path, db_url, 0, "k", go)  # writes until killed
    assert proc.stdout is not None
    committed = []
    while len(committed) < 60:
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else ""
        committed.append(int(line))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    committed += [int(x) for x in proc.stdout.read().split()]  # acknowledged before the kill landed
    assert proc.returncode == -signal.SIGKILL
    _integrity(db_url)
    ids = {r["id"] for r in logbook.rows(db=db_url)}
    assert set(committed) <= ids
    assert len(ids) - len(committed) <= 1  # at most the one whose acknowledgement was cut off
    logbook.record(*drafted(), db=db_url)  # and the log still takes writes


def test_sigkill_inside_an_open_transaction_rolls_it_back(db_url: str, tmp_path: Path) -> None:
    logbook.record(*drafted(), db=db_url)  # one committed row before
    go = tmp_path / "go"
    go.touch()
    proc = _spawn(tmp_path, db_url, -1, "held", go)
    assert proc.stdout is not None
    assert proc.stdout.readline() == "inside\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    _integrity(db_url)
    rows = logbook.rows(db=db_url)
    assert [r["agent"] for r in rows] == ["Sam"]  # the committed row, not the half-written one
    result, answers = drafted()
    logbook.record(another(result, 1), answers, db=db_url)  # the killed writer's lock is gone
    assert len(logbook.rows(db=db_url)) == 2
