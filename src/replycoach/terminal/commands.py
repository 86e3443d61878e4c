"""Command bodies that both the typer CLI and the fast start-up path (``entry``) run.

No typer here: ``cli.draft`` is a one-line delegate to ``draft`` below, and ``entry``
calls the same function with options parsed from a spec derived from the typer
definition, so both paths run the very same code. Functions return the exit code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def write(text: str) -> None:
    """Write to stdout; customer text is made inert when stdout is a terminal."""
    from replycoach.reply.formats import terminal_safe

    out = sys.stdout
    out.write(terminal_safe(text) if out.isatty() else text)
    out.flush()


def warn(text: str) -> None:
    from replycoach.reply.formats import terminal_safe

    err = sys.stderr
    err.write((terminal_safe(text) if err.isatty() else text) + "\n")


def guarded(call: Callable[[], int]) -> int:
    """The error boundary both paths share: a user's mistake is one line and exit 2."""
    from replycoach.foundation.errors import ReplycoachError

    try:
        return call()
    except ReplycoachError as exc:
        warn(f"replycoach: error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        warn("replycoach: interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def draft(
    file: str | None = None,
    playbook: str | None = None,
    customer_type: str | None = None,
    set_: list[str] | None = None,
    answers: Path | None = None,
    fmt: str = "text",
    playbooks: list[str] | None = None,
    lang: str | None = None,
    now: str | None = None,
    placeholders: bool = False,
    strict: bool = False,
    out: Path | None = None,
    log: bool = False,
    keep_message: bool = False,
    db: str | None = None,
) -> int:
    """``replycoach draft``; ``fmt`` is the format's value (typer passes a ``StrEnum``)."""
    from replycoach import api
    from replycoach.foundation.errors import UsageError
    from replycoach.message import read_input

    if keep_message and not log:
        raise UsageError("only makes sense with --log", field="--keep-message")
    options: dict[str, Any] = dict(
        playbook=playbook,
        customer_type=customer_type,
        answers=answers,
        sets=set_ or (),
        placeholders=placeholders,
        lang=lang,
        now=now,
        playbooks=playbooks,
        db=db,
    )
    logged = None
    if log:
        from replycoach.api import draft_and_record

        result, logged = draft_and_record(read_input(file), keep_message=keep_message, **options)
    else:
        result = api.draft_text(read_input(file), **options)
    emit_draft(result, str(fmt), out)
    if logged is not None:
        warn(f"replycoach: logged as complaint #{logged}")
    errors = [f for f in result["findings"] if f["severity"] == "error"]
    return 1 if strict and errors else 0


def emit_draft(result: dict[str, Any], fmt: str, out: Path | None) -> None:
    from replycoach.reply import formats as output

    if fmt == "json":
        text = output.to_json(result)
    elif fmt == "md":
        text = output.draft_markdown(result)
    elif fmt == "eml":
        import os

        data = output.draft_email(result, os.environ.get("REPLYCOACH_FROM"))
        if out:
            out.write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        return
    else:
        text = result["draft"]
        if result["findings"]:
            warn(f"replycoach: {len(result['findings'])} finding(s) in the draft:")
            for f in result["findings"]:
                warn("  " + output.finding_line(f))
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        write(text)
