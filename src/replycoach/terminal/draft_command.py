"""The body of ``replycoach draft``, typer-free: the typer command (``cli_reply.draft``)
delegates to ``draft`` here, and the fast start-up path (``fast_draft``) calls the same
function with the same keyword arguments, so both run the very same code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from replycoach.terminal.boundary import warn, write


def draft(
    file: str | None = None,
    playbook: str | None = None,
    customer_type: str | None = None,
    set_: list[str] | None = None,
    answers: Path | None = None,
    fmt: str = "text",
    playbooks: list[str] | None = None,
    lang: str | None = None,
    channel: str | None = None,
    now: str | None = None,
    placeholders: bool = False,
    strict: bool = False,
    out: Path | None = None,
    log: bool = False,
    keep_message: bool = False,
    db: str | None = None,
) -> int:
    """``replycoach draft``; returns the exit code. ``fmt`` and ``channel`` are the chosen
    values (typer passes a ``StrEnum``)."""
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
        channel=str(channel) if channel else None,
        now=now,
        playbooks=playbooks,
        db=db,
    )
    logged = None
    if log:
        result, logged = api.draft_and_record(read_input(file), keep_message=keep_message, **options)
    else:
        result = api.draft_text(read_input(file), **options)
    settings = None
    if str(fmt) == "eml":  # the sender may come by --set from=… or the answers file
        settings = api.collect_answers(answers, set_ or ()).settings
    emit_draft(result, str(fmt), out, settings)
    if logged is not None:
        warn(f"replycoach: logged as complaint #{logged}")
    errors = [f for f in result["findings"] if f["severity"] == "error"]
    return 1 if strict and errors else 0


def emit_draft(result: dict[str, Any], fmt: str, out: Path | None, settings: dict[str, Any] | None = None) -> None:
    """The draft in ``fmt`` to ``out`` or stdout; in text, its findings go to stderr.
    ``settings`` (the draft's ``--set``/answers) may name the eml sender (``from``)."""
    from replycoach.reply import formats as output

    if fmt == "json":
        text = output.to_json(result)
    elif fmt == "md":
        text = output.draft_markdown(result)
    elif fmt == "eml":
        from replycoach.foundation.config import setting

        data = output.draft_email(result, setting("from", settings))
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
