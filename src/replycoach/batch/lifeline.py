"""A batch worker ends when its parent does: a SIGKILLed ``batch`` leaves no orphans.

Linux is told through prctl(PR_SET_PDEATHSIG) and kills the worker at once; beside it,
on every platform, a watchdog thread sees the parent change (``os.getppid()``: the
orphan is re-parented) and exits within ``POLL`` seconds.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

POLL = 0.5  # seconds between checks: a dead parent's worker is gone within this
_PR_SET_PDEATHSIG = 1


def hold(parent: int) -> None:
    """Called in a worker: end this process when ``parent`` is no longer its parent."""
    if sys.platform.startswith("linux"):
        _death_signal()
    if os.getppid() != parent:  # died before the worker got this far
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="replycoach-lifeline", daemon=True).start()


def _death_signal() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # no libc prctl (musl without it, sandboxes): the watchdog is enough
        pass


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL)
    os._exit(1)
