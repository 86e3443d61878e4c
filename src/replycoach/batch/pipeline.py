"""``replycoach batch``: a whole inbox in, one draft (or one error record) per message out.

The inputs are streamed (``readers``), the messages drafted in worker processes in
chunks (``workers``, each with a ``drafter.Drafter``), and the results written in
input order as soon as the chunk at the head of the queue is done (``ordering``) to
a ``sinks.Sink``. A message that fails becomes an error record and the batch goes on.
Nothing here prints: the CLI renders progress and summary.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from replycoach.batch import workers
from replycoach.batch.drafter import Drafter as Drafter
from replycoach.batch.drafter import Options as Options
from replycoach.batch.drafter import needs_agent
from replycoach.batch.ordering import Task, drain_one, interrupts_deferred
from replycoach.batch.readers import Item as Item  # Drafter, Item and Options: also for scripts
from replycoach.batch.readers import Source
from replycoach.batch.sinks import Sink

REASONS = 64  # distinct error messages counted for the summary


@dataclass
class Summary:
    total: int = 0
    drafted: int = 0  # ready and needs-agent together; failed ones are the "error" records
    needs_agent: int = 0
    failed: int = 0
    skipped: int = 0
    interrupted: bool = False
    stopped_before: str | None = None  # the first id not written when interrupted
    last_written: str | None = None
    where: str = ""
    # How many failures each error message had (at most REASONS distinct ones, so memory
    # stays flat when every message fails its own way): one cause failing most of a
    # batch, such as an answer every draft needs, is named once in the summary.
    reasons: dict[str, int] = field(default_factory=dict)

    def failed_with(self, reason: str) -> None:
        self.failed += 1
        if reason in self.reasons or len(self.reasons) < REASONS:
            self.reasons[reason] = self.reasons.get(reason, 0) + 1

    def commonest_failure(self) -> tuple[str, int] | None:
        """The error message most failures share, and how many: None unless two or more do."""
        if not self.reasons:
            return None
        reason = max(self.reasons, key=self.reasons.__getitem__)  # the first seen on a tie
        return (reason, self.reasons[reason]) if self.reasons[reason] > 1 else None

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failed else 0


@dataclass(slots=True)
class Event:
    """Reported after each message is written (progress bar, error lines)."""

    item_id: str
    ok: bool
    error: str | None
    skipped: bool = False


def run(
    sources: list[Source],
    options: Options,
    sink: Sink,
    *,
    jobs: int = 1,
    resume: bool = False,
    report: Callable[[Event], None] | None = None,
) -> Summary:
    """Draft every message of ``sources`` into ``sink``, in input order.

    Ctrl-C (``KeyboardInterrupt``) stops the batch cleanly: every draft already finished
    is written, and the summary names the first message that was not.
    """
    summary = Summary(where=sink.where)
    drafter = Drafter(options)  # option errors surface here, before any message is read
    workers.adopt(drafter)

    def todo() -> Iterator[Item]:
        for source in sources:
            for item in source.items():
                if resume and sink.written(item.id):
                    summary.skipped += 1
                    if report:
                        report(Event(item.id, True, None, skipped=True))
                    continue
                yield item

    def emit(item: Item, ok: bool, payload: str | bytes) -> None:
        sink.write(item, ok, payload)
        summary.last_written = item.id
        summary.total += 1
        if ok:
            summary.drafted += 1
            if needs_agent(payload):
                summary.needs_agent += 1
        else:
            summary.failed_with(str(payload))
        if report:
            report(Event(item.id, ok, None if ok else str(payload)))

    pending: deque[Task] = deque()
    current: list[Item] = []
    try:
        if jobs <= 1:
            for item in todo():
                current = [item]
                ok, payload = drafter.payload(item)
                with interrupts_deferred():
                    emit(item, ok, payload)
                    current = []
        else:
            workers.run_parallel(todo(), options, jobs, pending, emit)
    except KeyboardInterrupt:
        summary.interrupted = True
        # Chunks that finished before the interrupt are written, in order.
        while pending and pending[0].future.done() and not pending[0].future.cancelled():
            try:
                drain_one(pending, emit)
            except Exception:
                break
        if pending:
            task = pending[0]
            summary.stopped_before = task.chunk[task.emitted].id
        elif current:
            summary.stopped_before = current[0].id
    finally:
        sink.close()
        drafter.close()
    return summary


def cpu_count() -> int:
    """CPUs this process may use (a container or ``taskset`` may allow fewer than exist)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
