"""``batch``: many messages in, one draft (or error record) per message out."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from replycoach.foundation.errors import UsageError
from replycoach.terminal.cli_options import (
    AnswersOpt,
    ChannelOpt,
    Format,
    LangOpt,
    NowOpt,
    PlaceholdersOpt,
    PlaybookOpt,
    PlaybooksOpt,
    SetOpt,
    TypeOpt,
)


def batch(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="mbox files, Maildir folders, folders of .eml/.txt, JSONL files; - for JSONL on stdin.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write one draft file per message into this folder.", show_default=False),
    ] = None,
    maildir: Annotated[
        Path | None,
        typer.Option(
            "--maildir", help="Deliver the replies as drafts (.eml) into this Maildir folder.", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        Format | None, typer.Option("--format", help="File format with --out (default text).", show_default=False)
    ] = None,
    playbook: PlaybookOpt = None,
    backlog: Annotated[
        bool, typer.Option("--backlog", help="Buy time: a personal reply with a hard deadline (= --playbook backlog).")
    ] = False,
    customer_type: TypeOpt = None,
    set_: SetOpt = None,
    answers: AnswersOpt = None,
    playbooks: PlaybooksOpt = None,
    lang: LangOpt = None,
    channel: ChannelOpt = None,
    now: NowOpt = None,
    placeholders: PlaceholdersOpt = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Parallel workers, at least 1 (default: the CPU count).", show_default=False
        ),
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip messages already written to --out/--maildir.")] = False,
) -> None:
    """Draft replies for many messages: JSONL records on stdout, or one draft per message."""
    from replycoach.batch import pipeline as core
    from replycoach.batch import readers
    from replycoach.batch.sinks import open_sink
    from replycoach.terminal.batch_screen import Reporter

    if out and maildir:
        raise UsageError("give --out or --maildir, not both", field="--maildir")
    if backlog and playbook and playbook != "backlog":
        raise UsageError("--backlog is --playbook backlog; give one of them", field="--backlog")
    if fmt is not None and not out:
        raise UsageError("--format applies to --out files (stdout is JSONL; --maildir is eml)", field="--format")
    if resume and not (out or maildir):
        raise UsageError("--resume needs --out or --maildir (where the finished drafts are)", field="--resume")
    sources = readers.open_sources(inputs or [])
    file_fmt = "eml" if maildir else (fmt.value if fmt else "text") if out else "jsonl"
    options = core.Options(
        playbook="backlog" if backlog else playbook,
        customer_type=customer_type,
        answers=str(answers) if answers else None,
        sets=list(set_ or ()),
        placeholders=placeholders,
        lang=lang,
        channel=channel.value if channel else None,
        now=now,
        playbooks=list(playbooks or ()),
        fmt=file_fmt,
    )
    sink = open_sink(out=out, maildir=maildir, fmt=file_fmt, stream=sys.stdout)
    # A bar on the terminal, never on a pipe; JSONL records on the same terminal are progress enough.
    show = sys.stderr.isatty() and not (file_fmt == "jsonl" and sys.stdout.isatty())
    show = show and not os.environ.get("REPLYCOACH_NO_PROGRESS")
    reporter = Reporter(readers.count(sources) if show else None, show_progress=show, echo_errors=file_fmt != "jsonl")
    try:
        summary = core.run(sources, options, sink, jobs=jobs or core.cpu_count(), resume=resume, report=reporter)
    finally:
        reporter.close()
    reporter.summary(summary)
    if summary.exit_code:
        raise typer.Exit(summary.exit_code)
