"""Stopping a parallel batch at once (``batch.workers.stop_at_once``) lets the process
exit, even when a worker dies halfway through sending its result."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import multiprocessing, os, sys, time
    from concurrent.futures import ProcessPoolExecutor
    from replycoach.batch.workers import stop_at_once

    POOL = None
    FLAG = sys.argv[1]

    def half_sent():
        # A result header promising 100,000 bytes, then only a few: the manager thread
        # reads on, waiting for the rest.
        os.write(POOL._result_queue._writer.fileno(), (100000).to_bytes(4, "big") + b"partial")
        open(FLAG, "w").close()
        time.sleep(600)

    if __name__ == "__main__":
        POOL = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        POOL.submit(half_sent)
        while not os.path.exists(FLAG):
            time.sleep(0.02)
        time.sleep(0.5)
        stop_at_once(POOL)
        print("stopped")
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="fork start method")
def test_a_worker_killed_while_sending_does_not_keep_the_process_alive(tmp_path) -> None:
    script = tmp_path / "stop.py"
    script.write_text(SCRIPT)
    # Before the fix the process printed "stopped" and then hung at exit for ever.
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "sent")], capture_output=True, text=True, timeout=90
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "stopped\n", "")
