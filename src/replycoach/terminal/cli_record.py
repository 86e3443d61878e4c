"""The complaint record (Diagnose): ``log add | list | forget``, ``followups``, ``report``
and ``paths``."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from replycoach.foundation.errors import UsageError
from replycoach.terminal.boundary import warn, write
from replycoach.terminal.cli_options import (
    DbOpt,
    InputArg,
    KeepMessageOpt,
    NowOpt,
    PlaybookOpt,
    PlaybooksOpt,
    SetOpt,
    TypeOpt,
)

log_app = typer.Typer(help="The complaint log: add, list and forget logged complaints.", no_args_is_help=True)


class LogFormat(StrEnum):
    text = "text"
    json = "json"


@log_app.command("add")
def log_add(
    file: InputArg = None,
    answers: Annotated[
        Path | None,
        typer.Option("--answers", help="The answers file the reply was drafted with.", show_default=False),
    ] = None,
    set_: SetOpt = None,
    playbook: PlaybookOpt = None,
    customer_type: TypeOpt = None,
    playbooks: PlaybooksOpt = None,
    now: NowOpt = None,
    placeholders: Annotated[bool, typer.Option("--placeholders", help="Log even if answers are missing.")] = False,
    keep_message: KeepMessageOpt = False,
    db: DbOpt = None,
) -> None:
    """Log a complaint after the fact: the message plus the answers its reply was drafted with."""
    from replycoach.api import draft_and_record
    from replycoach.message import read_input

    if answers is None and not set_:
        raise UsageError("give the answers the reply was drafted with (--answers FILE)", field="--answers")
    _, logged = draft_and_record(
        read_input(file),
        keep_message=keep_message,
        db=db,
        answers=answers,
        sets=set_ or (),
        playbook=playbook,
        customer_type=customer_type,
        playbooks=playbooks,
        now=now,
        placeholders=placeholders,
    )
    write(f"logged as complaint #{logged}\n")


@log_app.command("list")
def log_list(
    sender: Annotated[str | None, typer.Option("--sender", help="Only this sender's address.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only from this date (YYYY-MM-DD).")] = None,
    fmt: Annotated[LogFormat, typer.Option("--format", help="Output format.")] = LogFormat.text,
    db: DbOpt = None,
) -> None:
    """List logged complaints, oldest first."""
    from replycoach.record import logbook
    from replycoach.record.report import parse_since
    from replycoach.reply import formats as output

    found = logbook.rows(db=db, sender=sender, since=parse_since(since))
    if fmt is LogFormat.json:
        write(output.to_json(found))
        return
    for r in found:
        promise = f"  promise: {r['promise']} (due {r['deadline'][:16]}{', done' if r['done_at'] else ''})"
        write(
            f"#{r['id']} {r['created_at']} {r['sender_email'] or '(no sender)'} {r['scenario']} "
            f"{r['customer_type']} anger={r['anger_level']} cause={r['cause'] or '-'}\n"
            + (promise + "\n" if r["promise"] else "")
        )


@log_app.command("forget")
def log_forget(
    sender: Annotated[str, typer.Option("--sender", help="Delete every complaint from this address.")],
    db: DbOpt = None,
) -> None:
    """Delete every logged complaint from one person (privacy requests)."""
    from replycoach.record.logbook import forget

    count = forget(sender, db=db)
    write(f"forgot {count} complaint(s) from {sender.strip().lower()}\n")


class FollowupFormat(StrEnum):
    text = "text"
    json = "json"
    ics = "ics"


followups_app = typer.Typer(help="Promises owed: overdue, due today and upcoming.", invoke_without_command=True)


@followups_app.callback()
def followups(
    ctx: typer.Context,
    fmt: Annotated[FollowupFormat, typer.Option("--format", help="text, json or ics (calendar).")] = (
        FollowupFormat.text
    ),
    out: Annotated[Path | None, typer.Option("--out", help="Write to a file.", show_default=False)] = None,
    now: NowOpt = None,
    db: DbOpt = None,
) -> None:
    """List promises owed to customers: overdue, due today and upcoming; `followups done ID` closes one."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"db": db, "now": now}
        return
    from replycoach.record import followups as fu
    from replycoach.reply import formats as output
    from replycoach.reply.deadline import parse_now

    data = fu.pending(db=db, now=parse_now(now))
    if fmt is FollowupFormat.ics:
        payload = fu.ics(data, now=parse_now(now))
        if out:
            out.write_bytes(payload)
        else:
            sys.stdout.buffer.write(payload)
            sys.stdout.flush()
        return
    text = output.to_json(data) if fmt is FollowupFormat.json else fu.text(data)
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        write(text)


@followups_app.command("done")
def followups_done(
    ctx: typer.Context,
    complaint_id: Annotated[int, typer.Argument(metavar="ID", help="The follow-up (complaint) id.")],
    now: NowOpt = None,
    db: DbOpt = None,
) -> None:
    """Mark a promise as kept."""
    from replycoach.record.followups import done
    from replycoach.reply.deadline import parse_now

    parent = ctx.obj or {}
    row = done(complaint_id, db=db or parent.get("db"), now=parse_now(now or parent.get("now")))
    if row["already"]:
        write(f"follow-up #{complaint_id} was already done ({row['done_at']})\n")
    else:
        write(f"follow-up #{complaint_id} done: {row['promise']}\n")


class ReportBy(StrEnum):
    scenario = "scenario"
    cause = "cause"
    type = "type"
    week = "week"
    agent = "agent"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


def report(
    since: Annotated[
        str | None, typer.Option("--since", help="From this date (YYYY-MM-DD).", show_default=False)
    ] = None,
    by: Annotated[ReportBy, typer.Option("--by", help="Group by.")] = ReportBy.scenario,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Output format.")] = ReportFormat.text,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write a self-contained HTML report to FILE.", show_default=False)
    ] = None,
    now: NowOpt = None,
    db: DbOpt = None,
) -> None:
    """The team report: complaints by scenario, cause, type, week or agent; promises kept."""
    from replycoach import api
    from replycoach.record import report as rp
    from replycoach.reply import formats as output

    data = api.report(since=since, by=by.value, now=now, db=db)
    if html:
        try:
            html.write_text(rp.html(data), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write: {exc.strerror}", file=str(html)) from None
        warn(f"replycoach: report written to {html}")
        return
    if fmt is ReportFormat.json:
        write(output.to_json(data))
    elif fmt is ReportFormat.csv:
        write(rp.csv_text(data))
    elif sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        from replycoach.terminal.report_view import render

        render(data)
    else:
        write(rp.text(data))


def paths(db: DbOpt = None) -> None:
    """Show where replycoach keeps its settings, log, playbooks, templates, rules and cache."""
    from replycoach import api

    write("".join(f"{label + ':':<12}{place}\n" for label, place in api.paths(db)))
