"""The worker processes of a batch: each drafts chunks of messages with a ``Drafter``
of its own, and the parent keeps a bounded number of chunks in flight, so memory
stays flat however large the inbox and the workers never starve.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

from replycoach.batch.drafter import Drafter, Options
from replycoach.batch.ordering import Emit, Task, drain_one
from replycoach.batch.readers import Item

if TYPE_CHECKING:  # the pool is imported when a batch runs in parallel, not before
    from concurrent.futures import ProcessPoolExecutor

CHUNK = 64  # messages per task: amortises inter-process overhead, keeps latency low
CHUNK_BYTES = 256 * 1024

_WORKER: Drafter | None = None


def adopt(drafter: Drafter) -> None:
    """The parent's drafter, inherited warm by forked workers with the same options."""
    global _WORKER
    _WORKER = drafter


def _worker_init(options: Options, parent: int) -> None:
    import signal

    from replycoach.batch.lifeline import hold

    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    hold(parent)  # SIGKILL to the parent must not leave this worker running
    if _WORKER is None or _WORKER.options != options:  # forked children inherit a warm one
        _WORKER = Drafter(options)


def _worker_chunk(items: list[Item]) -> list[tuple[bool, str | bytes]]:
    assert _WORKER is not None
    return [_WORKER.payload(item) for item in items]


def chunks(items: Iterator[Item]) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += len(item.raw or b"")
        if len(chunk) >= CHUNK or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def run_parallel(
    items: Iterator[Item],
    options: Options,
    jobs: int,
    pending: deque[Task],
    emit: Emit,
) -> None:
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    # fork: children start with the parent's warm caches (playbooks, compiled regexes).
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    executor = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_worker_init, initargs=(options, os.getpid())
    )
    window = 2 * jobs + 1  # bounded: memory stays flat, workers never starve
    try:
        for chunk in chunks(items):
            pending.append(Task(chunk, executor.submit(_worker_chunk, chunk)))
            while len(pending) > window or (pending and pending[0].future.done()):
                drain_one(pending, emit)
        while pending:
            drain_one(pending, emit)
    except BaseException:  # Ctrl-C, a closed pipe, a full disk: stop the workers at once
        for task in pending:
            task.future.cancel()
        stop_at_once(executor)
        raise
    executor.shutdown(wait=True)


def stop_at_once(executor: ProcessPoolExecutor) -> None:
    """Shut the pool down without waiting for the chunks in progress: their drafts would
    not be written anyway, and waiting would make Ctrl-C take a chunk's time per worker.
    Every step keeps the exit from hanging on the pool's own threads (the comments say
    which); the attributes are private, so each is read with a default."""
    # (Python 3.14 names the worker part terminate_workers.)
    workers = list((getattr(executor, "_processes", None) or {}).values())
    # The call queue's feeder thread may be blocked writing the next chunk into a pipe
    # that no (terminated) worker will read; at exit multiprocessing joins that thread
    # and the process would hang for ever. The unsent chunks are not wanted anyway.
    # (Taken before shutdown(), which drops the executor's references.)
    call_queue = getattr(executor, "_call_queue", None)
    if call_queue is not None:
        call_queue.cancel_join_thread()
    result_queue = getattr(executor, "_result_queue", None)
    manager = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join(timeout=10)
    # A worker killed halfway through writing a large result leaves the manager thread
    # reading the rest of that message for ever: the pipe's write end is still open here,
    # in the parent, so no end of file comes, and at exit concurrent.futures joins that
    # thread with no timeout (seen once in CI, as a batch that printed its interrupt
    # line and never exited). Nothing in the parent writes results; closing its copy of
    # the write end turns the endless read into end of file, and the manager stops.
    writer = getattr(result_queue, "_writer", None)
    if writer is not None:
        writer.close()
    # Let the manager thread see the dead workers and close its wake-up pipe now: at
    # exit, CPython 3.11's concurrent.futures otherwise races that close and prints an
    # "OSError: Bad file descriptor" traceback under the interrupt message.
    if manager is not None:
        manager.join(timeout=10)
