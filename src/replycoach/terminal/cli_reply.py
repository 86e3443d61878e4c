"""``draft``, ``analyze`` and ``check``: one message or reply in, one result out."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from replycoach.foundation.errors import UsageError
from replycoach.terminal.boundary import warn, write
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
    PlaceholdersOpt,
    PlaybookOpt,
    PlaybooksOpt,
    SetOpt,
    TypeOpt,
)


def draft(
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
    placeholders: PlaceholdersOpt = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when the draft has error-level findings.")] = False,
    out: DraftOutOpt = None,
    log: Annotated[bool, typer.Option("--log", help="Record the complaint in the log (Diagnose).")] = False,
    keep_message: KeepMessageOpt = False,
    db: DbOpt = None,
) -> None:
    """Draft a reply without questions (for pipes and scripts)."""
    from replycoach.terminal.draft_command import draft as run

    # The body is typer-free so that the fast start-up path runs the same code.
    code = run(
        file=file,
        playbook=playbook,
        customer_type=customer_type,
        set_=set_,
        answers=answers,
        fmt=fmt,
        playbooks=playbooks,
        lang=lang,
        channel=channel,
        now=now,
        placeholders=placeholders,
        strict=strict,
        out=out,
        log=log,
        keep_message=keep_message,
        db=db,
    )
    if code:
        raise typer.Exit(code)


class AnalyzeFormat(StrEnum):
    text = "text"
    json = "json"


def analyze(
    file: InputArg = None,
    playbook: PlaybookOpt = None,
    customer_type: TypeOpt = None,
    fmt: Annotated[AnalyzeFormat, typer.Option("--format", help="Output format.")] = AnalyzeFormat.text,
    playbooks: PlaybooksOpt = None,
    lang: LangOpt = None,
) -> None:
    """Show what the tool reads in a message: scenario, anger, type, entities, wants."""
    from replycoach import api
    from replycoach.message import read_input
    from replycoach.reply import formats as output

    result = api.analyze_text(
        read_input(file), playbook=playbook, customer_type=customer_type, lang=lang, playbooks=playbooks
    )
    write(output.to_json(result) if fmt is AnalyzeFormat.json else output.analysis_text(result))


class CheckFormat(StrEnum):
    text = "text"
    line = "line"
    json = "json"


class Level(StrEnum):
    suggestion = "suggestion"
    warning = "warning"
    error = "error"


def check(
    file: Annotated[
        str | None, typer.Argument(help="The reply to check; omit or - for standard input.", show_default=False)
    ] = None,
    message: Annotated[
        Path | None,
        typer.Option("--message", help="The customer's message, for the structural checks.", show_default=False),
    ] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", help="Output format.")] = CheckFormat.text,
    rules: Annotated[
        list[str] | None,
        typer.Option("--rules", help="Team rules folder (repeatable; also REPLYCOACH_RULES).", show_default=False),
    ] = None,
    min_level: Annotated[Level, typer.Option("--min-level", help="Hide findings below this level.")] = Level.suggestion,
    no_exit: Annotated[bool, typer.Option("--no-exit", help="Always exit 0.")] = False,
    fix: Annotated[
        bool,
        typer.Option("--fix", help="Apply the suggested replacements: one by one on a terminal, all with --yes."),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="With --fix: apply every replacement without asking.")
    ] = False,
) -> None:
    """Check a reply for the habits that make angry customers angrier."""
    from replycoach import api
    from replycoach.message import read_input
    from replycoach.reply import formats as output

    if yes and not fix:
        raise UsageError("--yes only applies to --fix", field="--yes")
    name = file if file and file != "-" else "<stdin>"
    data = read_input(file)
    reply = api.read_reply(data, name=name, fixing=fix)
    customer = read_input(str(message)) if message else None
    report = sys.stdout
    if not fix:
        findings = api.check_text(reply, customer, rules=rules, subject=api.reply_subject(data))
    else:
        result = api.fix_text(reply, customer, rules=rules, accept=_fix_chooser(yes, name), name=name)
        if name == "<stdin>":
            write(result["reply"])  # the fixed reply goes down the pipe; the report goes to stderr
            report = sys.stderr
        elif result["reply"] != reply:
            Path(name).write_text(result["reply"], encoding="utf-8")
        warn(f"replycoach: applied {result['applied']} of {result['offered']} fix(es) to {name}")
        reply, findings = result["reply"], result["findings"]
    findings = output.at_least(findings, min_level.value)
    if fmt is CheckFormat.json:
        text = output.to_json({"findings": findings})
    elif fmt is CheckFormat.line:
        text = "".join(output.finding_line(f, name) + "\n" for f in findings)
    else:
        text = output.findings_text(findings, reply, name)
    if report is sys.stdout:
        write(text)
    elif text:
        warn(text.rstrip("\n"))
    if not no_exit and any(f["severity"] == "error" for f in findings):
        raise typer.Exit(1)


def _fix_chooser(yes: bool, name: str) -> Callable[..., list[dict[str, Any]]] | None:
    """Who picks the fixes: nobody with --yes (all of them), the agent on a terminal."""
    if yes:
        return None
    if sys.stdin.isatty() and sys.stdout.isatty() and name != "<stdin>":
        from replycoach.terminal.fix_screen import choose

        return choose
    raise UsageError("--fix asks about each change on a terminal; use --fix --yes to apply them all", field="--fix")
