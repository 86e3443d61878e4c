"""Writing a batch's results in input order: chunks come back from the workers in any
order, and each is written, once the chunks before it are, as one uninterruptible step.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from replycoach.batch.readers import Item

Emit = Callable[[Item, bool, "str | bytes"], None]


@dataclass(slots=True)
class Task:
    """A chunk sent to a worker, and how many of its results are already written."""

    chunk: list[Item]
    future: Any
    emitted: int = 0


def drain_one(pending: deque[Task], emit: Emit) -> None:
    """Write the results of the chunk at the head of ``pending`` (waiting for them)."""
    task = pending[0]
    results = task.future.result()
    # Written and counted, or neither: a Ctrl-C waits until the chunk is out. Counted as
    # it goes, so an error mid-chunk still knows where it stopped.
    with interrupts_deferred():
        while task.emitted < len(task.chunk):
            ok, payload = results[task.emitted]
            emit(task.chunk[task.emitted], ok, payload)
            task.emitted += 1
    pending.popleft()


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) until the block is done; it is delivered right after.

    A KeyboardInterrupt between writing a draft and counting it would make the
    interrupt handler write (and count) the same message again."""
    import signal
    import threading

    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
