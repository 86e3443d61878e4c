"""``coach``: the interactive HEARD walk (the screens are ``coach_screen``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from replycoach.foundation.errors import UsageError
from replycoach.terminal.boundary import warn
from replycoach.terminal.cli_options import (
    AnswersOpt,
    ChannelOpt,
    DbOpt,
    DraftFormatOpt,
    DraftOutOpt,
    Format,
    InputArg,
    KeepMessageOpt,
    LangOpt,
    NowOpt,
    PlaybookOpt,
    PlaybooksOpt,
    SetOpt,
    TypeOpt,
)


def coach(
    file: InputArg = None,
    playbook: PlaybookOpt = None,
    customer_type: TypeOpt = None,
    set_: SetOpt = None,
    answers: AnswersOpt = None,
    fmt: DraftFormatOpt = Format.text,
    playbooks: PlaybooksOpt = None,
    lang: LangOpt = None,
    channel: ChannelOpt = None,
    now: NowOpt = None,
    out: DraftOutOpt = None,
    save_answers: Annotated[
        Path | None,
        typer.Option("--save-answers", help="Write every choice for `draft --answers FILE`.", show_default=False),
    ] = None,
    no_log: Annotated[bool, typer.Option("--no-log", help="Do not record the complaint in the log.")] = False,
    keep_message: KeepMessageOpt = False,
    db: DbOpt = None,
) -> None:
    """Walk Hear-Empathize-Apologize-Resolve-Diagnose step by step (needs a terminal)."""
    from replycoach import api
    from replycoach.terminal import coach_screen, coach_tty
    from replycoach.terminal.coach_walk import Quit, atomic_path, write_atomically
    from replycoach.terminal.draft_command import emit_draft

    if keep_message and no_log:
        raise UsageError(
            "--keep-message stores the message in the log, and --no-log turns the log off", field="--keep-message"
        )
    term = coach_tty.open_terminal()  # no terminal: exit 2 before reading anything
    collected = api.collect_answers(
        answers, set_ or (), playbook=playbook, customer_type=customer_type, channel=channel and channel.value
    )
    try:
        raw = coach_tty.read_message(file, term)
        result, walk = coach_screen.coach(
            raw,
            term,
            {"answers": collected, "playbooks": playbooks, "lang": lang, "now": now, "db": db},
            log=not no_log,
        )
    except Quit:
        warn("replycoach: quit: nothing written")
        raise typer.Exit(130) from None
    except KeyboardInterrupt:
        # Typer would turn this into a silent exit 130; the agent should see why it stopped.
        warn("\nreplycoach: interrupted: nothing written")
        raise typer.Exit(130) from None
    if save_answers:
        write_atomically(str(save_answers), walk.answers_yaml().encode("utf-8"))
    shown = {**result, "findings": []} if fmt is Format.text else result  # seen on the Finish screen
    if out:
        with atomic_path(str(out)) as tmp:
            emit_draft(shown, fmt, tmp)
    else:
        emit_draft(shown, fmt, None)
    if not no_log:
        # Diagnose's record: logged only once the agent has finished and the draft is written.
        from replycoach.record.logbook import record

        logged = record(result, walk.saved_answers(), keep_message=keep_message, db=db)
        warn(f"replycoach: logged as complaint #{logged} (--no-log to skip)")
