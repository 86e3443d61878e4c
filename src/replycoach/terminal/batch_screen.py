"""The terminal side of ``replycoach batch``: progress bar, error lines, summary.

CLI-side (it imports rich); the batch core in ``batch`` never prints.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from replycoach.batch.pipeline import Event, Summary


class Reporter:
    """Per-message events: a rich progress bar when stderr is a terminal, nothing on a pipe;
    one line on stderr per failed message (not in JSONL mode, where the record says it)."""

    def __init__(self, total: int | None, *, show_progress: bool, echo_errors: bool) -> None:
        self.echo_errors = echo_errors
        self.started = time.perf_counter()
        self.progress: Any = None
        self.task: Any = None
        if show_progress:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            console = Console(stderr=True)
            self.progress = Progress(
                TextColumn("drafting"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=console,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self.task = self.progress.add_task("drafting", total=total, rate="")
            self.progress.start()
            self.done = 0

    def __call__(self, event: Event) -> None:
        if self.echo_errors and not event.ok:
            self.line(f"replycoach: error: {event.item_id}: {event.error}")
        if self.progress is not None:
            self.done += 1
            if self.done % 25 == 0 or self.done < 25:  # redrawing per message would cost more than drafting
                elapsed = time.perf_counter() - self.started
                rate = f"{self.done / elapsed:,.0f} msg/s" if elapsed > 0 else ""
                self.progress.update(self.task, completed=self.done, rate=rate)

    def line(self, text: str) -> None:
        from replycoach.reply.formats import terminal_safe

        if self.progress is not None:
            from rich.text import Text

            self.progress.console.print(Text(terminal_safe(text)), highlight=False, markup=False)
        else:
            err = sys.stderr
            err.write((terminal_safe(text) if err.isatty() else text) + "\n")

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def summary(self, summary: Summary) -> None:
        self.close()
        elapsed = time.perf_counter() - self.started
        commonest = summary.commonest_failure()
        if commonest is not None:
            # Before the summary, which stays the last line (scripts read it).
            reason, count = commonest
            self.line(f"replycoach: {count:,} of the {summary.failed:,} failures: {reason}")
        self.line(summary_line(summary, elapsed))


def summary_line(s: Summary, elapsed: float) -> str:
    rate = f"{s.total / elapsed:,.0f} messages/s" if elapsed > 0 and s.total else "0 messages/s"
    counts = (
        f"{s.drafted} drafted ({s.drafted - s.needs_agent} ready, {s.needs_agent} need the agent), {s.failed} failed"
    )
    if s.skipped:
        counts += f", {s.skipped} skipped (already written)"
    if s.interrupted:
        where = ""
        if s.stopped_before:
            where = f"; stopped before {s.stopped_before!r}"
        elif s.last_written:
            where = f"; stopped after {s.last_written!r}"
        return (
            f"replycoach: batch interrupted after {s.total} message(s): {counts}{where}; "
            f"finished drafts are kept in {s.where} (run again with --resume to continue)"
        )
    return f"replycoach: batch: {s.total} message(s): {counts} in {elapsed:.2f} s ({rate}), written to {s.where}"
