"""Ctrl-C in a parallel batch reaches the main thread, whatever it is doing."""

from __future__ import annotations

import io
import signal
import sys
import threading
from pathlib import Path

import pytest

from replycoach import batch

from .test_batch_cli import variant, write_mbox


def _blocked(native_id: int) -> int:
    for line in Path(f"/proc/self/task/{native_id}/status").read_text().splitlines():
        if line.startswith("SigBlk:"):
            return int(line.split()[1], 16)
    raise AssertionError("no SigBlk line")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/task")
def test_executor_threads_leave_sigint_to_the_main_thread(tmp_path, monkeypatch) -> None:
    """While the main thread holds SIGINT back (writing a chunk), a Ctrl-C must stay
    pending for it, not go to one of the executor's threads (where CPython 3.11 could
    lose it): those threads block SIGINT from the start."""
    box = write_mbox(tmp_path / "inbox", [variant(n) for n in range(200)])
    masks: dict[str, int] = {}
    real = batch._drain_one

    def spy(pending, emit):  # type: ignore[no-untyped-def]
        for thread in threading.enumerate():
            if thread.native_id is not None:
                masks[thread.name] = _blocked(thread.native_id)
        return real(pending, emit)

    monkeypatch.setattr(batch, "_drain_one", spy)
    sink = batch.StreamSink(io.StringIO(), terminal=False)
    options = batch.Options(sets=["agent=Sam"], placeholders=True, now="2026-11-20T17:00:00+01:00")
    summary = batch.run(batch.open_sources([str(box)]), options, sink, jobs=2)
    assert summary.drafted == 200
    bit = 1 << (signal.SIGINT - 1)
    helpers = {name: mask for name, mask in masks.items() if name != "MainThread"}
    assert helpers, masks
    assert all(mask & bit for mask in helpers.values()), masks
    assert not masks["MainThread"] & bit
    assert not signal.pthread_sigmask(signal.SIG_BLOCK, []) & {signal.SIGINT}
