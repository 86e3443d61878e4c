"""The command line: parse options, call one core function, render, map errors.

Nothing here knows how a message is read or a draft is built; see ``api``.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from replycoach.foundation.errors import UsageError

app = typer.Typer(
    name="replycoach",
    help="A reply coach for customer-support agents: read the customer's message, "
    "walk Hear-Empathize-Apologize-Resolve-Diagnose, draft a checked reply.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
playbooks_app = typer.Typer(help="List, show, validate and start playbooks.", no_args_is_help=True)
app.add_typer(playbooks_app, name="playbooks")


class Format(StrEnum):
    text = "text"
    json = "json"
    md = "md"
    eml = "eml"


class AnalyzeFormat(StrEnum):
    text = "text"
    json = "json"


class CheckFormat(StrEnum):
    text = "text"
    line = "line"
    json = "json"


InputArg = Annotated[str | None, typer.Argument(help="Message file; omit or - for standard input.", show_default=False)]
PlaybookOpt = Annotated[str | None, typer.Option("--playbook", help="Force a playbook id.", show_default=False)]
TypeOpt = Annotated[
    str | None,
    typer.Option(
        "--type",
        help="Force the complainant type: meek|aggressive|high-roller|rip-off|chronic|neutral.",
        show_default=False,
    ),
]
SetOpt = Annotated[list[str] | None, typer.Option("--set", help="KEY=VALUE answer (repeatable).", show_default=False)]
AnswersOpt = Annotated[
    Path | None,
    typer.Option("--answers", help="Answers file (YAML), e.g. from coach --save-answers.", show_default=False),
]
PlaybooksOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--playbooks",
        help="Team playbook folder in front of the built-ins (repeatable; also REPLYCOACH_PLAYBOOKS).",
        show_default=False,
    ),
]
LangOpt = Annotated[str | None, typer.Option("--lang", help="Force the reply language.", show_default=False)]
NowOpt = Annotated[
    str | None,
    typer.Option("--now", help="Fix the clock (ISO date-time) for reproducible deadlines.", show_default=False),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Complaint log: SQLite file or postgresql://… URL (also REPLYCOACH_DB; default: see `replycoach paths`).",
        show_default=False,
    ),
]
DraftFormatOpt = Annotated[Format, typer.Option("--format", help="Output format.")]
DraftOutOpt = Annotated[
    Path | None, typer.Option("--out", help="Write the draft to a file instead of stdout.", show_default=False)
]
KeepMessageOpt = Annotated[
    bool, typer.Option("--keep-message", help="Store the customer's message (masked) in the log too.")
]


# Shared with the fast start-up path (``entry``), which must not import typer.
from replycoach.terminal.commands import warn as _warn  # noqa: E402
from replycoach.terminal.commands import write as _write  # noqa: E402


@app.command()
def draft(
    file: InputArg = None,
    playbook: PlaybookOpt = None,
    customer_type: TypeOpt = None,
    set_: SetOpt = None,
    answers: AnswersOpt = None,
    fmt: DraftFormatOpt = Format.text,
    playbooks: PlaybooksOpt = None,
    lang: LangOpt = None,
    now: NowOpt = None,
    placeholders: Annotated[
        bool, typer.Option("--placeholders", help="Show missing answers as [[markers]] instead of failing.")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when the draft has error-level findings.")] = False,
    out: DraftOutOpt = None,
    log: Annotated[bool, typer.Option("--log", help="Record the complaint in the log (Diagnose).")] = False,
    keep_message: KeepMessageOpt = False,
    db: DbOpt = None,
) -> None:
    """Draft a reply without questions (for pipes and scripts)."""
    from replycoach.terminal.commands import draft as run

    # The body lives in ``commands`` so the fast start-up path runs the same code.
    code = run(
        file=file,
        playbook=playbook,
        customer_type=customer_type,
        set_=set_,
        answers=answers,
        fmt=fmt,
        playbooks=playbooks,
        lang=lang,
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


@app.command()
def coach(
    file: InputArg = None,
    playbook: PlaybookOpt = None,
    customer_type: TypeOpt = None,
    set_: SetOpt = None,
    answers: AnswersOpt = None,
    fmt: DraftFormatOpt = Format.text,
    playbooks: PlaybooksOpt = None,
    lang: LangOpt = None,
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
    from replycoach.terminal import coach_screen as coach_ui
    from replycoach.terminal.coach_walk import Quit, atomic_path, write_atomically
    from replycoach.terminal.commands import emit_draft

    if keep_message and no_log:
        raise UsageError(
            "--keep-message stores the message in the log, and --no-log turns the log off", field="--keep-message"
        )
    term = coach_ui.open_terminal()  # no terminal: exit 2 before reading anything
    collected = api.collect_answers(answers, set_ or (), playbook=playbook, customer_type=customer_type)
    try:
        raw = coach_ui.read_message(file, term)
        result, walk = coach_ui.coach(
            raw, term, {"answers": collected, "playbooks": playbooks, "lang": lang, "now": now, "db": db}
        )
    except Quit:
        _warn("replycoach: quit: nothing written")
        raise typer.Exit(130) from None
    except KeyboardInterrupt:
        # Typer would turn this into a silent exit 130; the agent should see why it stopped.
        _warn("\nreplycoach: interrupted: nothing written")
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
        _warn(f"replycoach: logged as complaint #{logged} (--no-log to skip)")


@app.command()
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
    _write(output.to_json(result) if fmt is AnalyzeFormat.json else output.analysis_text(result))


class Level(StrEnum):
    suggestion = "suggestion"
    warning = "warning"
    error = "error"


@app.command()
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
    reply = api.read_reply(read_input(file), name=name, fixing=fix)
    customer = read_input(str(message)) if message else None
    report = sys.stdout
    if not fix:
        findings = api.check_text(reply, customer, rules=rules)
    else:
        if yes:
            accept = None  # every fix
        elif sys.stdin.isatty() and sys.stdout.isatty() and name != "<stdin>":
            from replycoach.terminal.fix_screen import choose as accept
        else:
            raise UsageError(
                "--fix asks about each change on a terminal; use --fix --yes to apply them all", field="--fix"
            )
        result = api.fix_text(reply, customer, rules=rules, accept=accept, name=name)
        if name == "<stdin>":
            _write(result["reply"])  # the fixed reply goes down the pipe; the report goes to stderr
            report = sys.stderr
        elif result["reply"] != reply:
            Path(name).write_text(result["reply"], encoding="utf-8")
        _warn(f"replycoach: applied {result['applied']} of {result['offered']} fix(es) to {name}")
        reply, findings = result["reply"], result["findings"]
    findings = output.at_least(findings, min_level.value)
    if fmt is CheckFormat.json:
        text = output.to_json({"findings": findings})
    elif fmt is CheckFormat.line:
        text = "".join(output.finding_line(f, name) + "\n" for f in findings)
    else:
        text = output.findings_text(findings, reply, name)
    if report is sys.stdout:
        _write(text)
    elif text:
        _warn(text.rstrip("\n"))
    if not no_exit and any(f["severity"] == "error" for f in findings):
        raise typer.Exit(1)


@playbooks_app.command("list")
def playbooks_list(playbooks: PlaybooksOpt = None) -> None:
    """List every playbook id with its title."""
    from replycoach.playbook.registry import load_registry

    registry = load_registry(tuple(playbooks or ()))
    width = max(len(i) for i in registry.ids())
    for pid in registry.ids():
        pb = registry.playbooks[pid]
        how = "detected" if pb["detected"] else "chosen"
        _write(f"{pid:<{width}}  {how:<8}  {pb['title']}\n")


@playbooks_app.command("show")
def playbooks_show(
    playbook_id: Annotated[str, typer.Argument(help="Playbook id.")], playbooks: PlaybooksOpt = None
) -> None:
    """Show one playbook: needs, questions, each step's options (ids for --set), causes, types."""
    from replycoach.playbook.registry import describe, load_registry

    registry = load_registry(tuple(playbooks or ()))
    pb = registry.get(playbook_id)
    _write(describe(pb, registry.files[pb["id"]]))


@playbooks_app.command("validate")
def playbooks_validate(
    paths: Annotated[list[str] | None, typer.Argument(help="Playbook files or folders (default: all visible).")] = None,
    playbooks: PlaybooksOpt = None,
) -> None:
    """Validate playbook files strictly; one line per problem with file and line."""
    from replycoach.playbook.registry import load_registry, playbook_dirs, validate_paths

    targets = paths or [str(d) for d in playbook_dirs(tuple(playbooks or ()))]
    results = validate_paths(targets)
    bad = [(f, e) for f, e in results if e]
    for _, error in bad:
        _warn(f"replycoach: error: {error}")
    if not paths:
        load_registry(tuple(playbooks or ()))  # cross-file checks: extends, references
    if bad:
        raise typer.Exit(2)
    _write(f"{len(results)} file(s) valid\n")


@playbooks_app.command("new")
def playbooks_new(
    playbook_id: Annotated[str, typer.Argument(help="Id of the new playbook, e.g. lost-parcel.")],
    folder: Annotated[Path, typer.Option("--dir", help="Team playbook folder to write into.")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter playbook (DIR/ID.yaml) that validates, ready to edit."""
    from replycoach.playbook.registry import new_playbook

    path = new_playbook(playbook_id, folder, force=force)
    _write(f"wrote {path}\n")


# --- the complaint log, follow-ups, report, paths (issue 7) -------------------------

log_app = typer.Typer(help="The complaint log: add, list and forget logged complaints.", no_args_is_help=True)
app.add_typer(log_app, name="log")


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
    _write(f"logged as complaint #{logged}\n")


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
        _write(output.to_json(found))
        return
    for r in found:
        promise = f"  promise: {r['promise']} (due {r['deadline'][:16]}{', done' if r['done_at'] else ''})"
        _write(
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
    _write(f"forgot {count} complaint(s) from {sender.strip().lower()}\n")


class FollowupFormat(StrEnum):
    text = "text"
    json = "json"
    ics = "ics"


followups_app = typer.Typer(help="Promises owed: overdue, due today and upcoming.", invoke_without_command=True)
app.add_typer(followups_app, name="followups")


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
        _write(text)


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
        _write(f"follow-up #{complaint_id} was already done ({row['done_at']})\n")
    else:
        _write(f"follow-up #{complaint_id} done: {row['promise']}\n")


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


@app.command()
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
    from replycoach.record import logbook
    from replycoach.record import report as rp
    from replycoach.reply import formats as output
    from replycoach.reply.deadline import parse_now

    start = rp.parse_since(since)
    data = rp.build(logbook.rows(db=db, since=start), by=by.value, since=start, now=parse_now(now))
    if html:
        try:
            html.write_text(rp.html(data), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write: {exc.strerror}", file=str(html)) from None
        _warn(f"replycoach: report written to {html}")
        return
    if fmt is ReportFormat.json:
        _write(output.to_json(data))
    elif fmt is ReportFormat.csv:
        _write(rp.csv_text(data))
    elif sys.stdout.isatty() and not __import__("os").environ.get("NO_COLOR"):
        from replycoach.terminal.report_view import render

        render(data)
    else:
        _write(rp.text(data))


@app.command()
def paths(db: DbOpt = None) -> None:
    """Show where replycoach keeps its log, playbooks, templates, rules and cache."""
    from replycoach.checking.checker import rule_dirs
    from replycoach.foundation.resources import cache_dir
    from replycoach.playbook.registry import playbook_dirs, template_dirs
    from replycoach.record import store

    pdirs = playbook_dirs()
    url = store.resolve(db)
    note = "" if store.is_postgres(url) or store.sqlite_path(url).is_file() else "  (not created yet)"
    lines = [
        f"data:       {store.data_dir()}",
        f"log:        {store.display(url)}{note}",
        *(f"playbooks:  {d}" for d in pdirs),
        *(f"templates:  {d}" for d in template_dirs(pdirs)),
        *(f"rules:      {d}" for d in rule_dirs()),
        f"cache:      {cache_dir() or 'off'}",
    ]
    _write("\n".join(lines) + "\n")


@app.command()
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
    now: NowOpt = None,
    placeholders: Annotated[
        bool, typer.Option("--placeholders", help="Show missing answers as [[markers]] instead of failing.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Parallel workers (default: the CPU count).", show_default=False),
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip messages already written to --out/--maildir.")] = False,
) -> None:
    """Draft replies for many messages: JSONL records on stdout, or one draft per message."""
    import os

    from replycoach.batch import pipeline as core
    from replycoach.terminal.batch_screen import Reporter

    if out and maildir:
        raise UsageError("give --out or --maildir, not both", field="--maildir")
    if backlog and playbook and playbook != "backlog":
        raise UsageError("--backlog is --playbook backlog; give one of them", field="--backlog")
    if fmt is not None and not out:
        raise UsageError("--format applies to --out files (stdout is JSONL; --maildir is eml)", field="--format")
    if resume and not (out or maildir):
        raise UsageError("--resume needs --out or --maildir (where the finished drafts are)", field="--resume")
    sources = core.open_sources(inputs or [])
    file_fmt = "eml" if maildir else (fmt.value if fmt else "text") if out else "jsonl"
    options = core.Options(
        playbook="backlog" if backlog else playbook,
        customer_type=customer_type,
        answers=str(answers) if answers else None,
        sets=list(set_ or ()),
        placeholders=placeholders,
        lang=lang,
        now=now,
        playbooks=list(playbooks or ()),
        fmt=file_fmt,
        sender=os.environ.get("REPLYCOACH_FROM"),
    )
    if maildir:
        sink: core.Sink = core.MaildirSink(str(maildir))
    elif out:
        sink = core.DirSink(str(out), file_fmt)
    else:
        sink = core.StreamSink(sys.stdout, terminal=sys.stdout.isatty())
    # A bar on the terminal, never on a pipe; JSONL records on the same terminal are progress enough.
    show = sys.stderr.isatty() and not (file_fmt == "jsonl" and sys.stdout.isatty())
    show = show and not os.environ.get("REPLYCOACH_NO_PROGRESS")
    reporter = Reporter(core.count(sources) if show else None, show_progress=show, echo_errors=file_fmt != "jsonl")
    try:
        summary = core.run(sources, options, sink, jobs=jobs or core.cpu_count(), resume=resume, report=reporter)
    finally:
        reporter.close()
    reporter.summary(summary)
    if summary.exit_code:
        raise typer.Exit(summary.exit_code)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; the one place where errors become exit codes and one-line messages."""
    from replycoach.terminal.commands import guarded

    return guarded(lambda: _main(argv))  # ReplycoachError, Ctrl-C, broken pipe: shared with ``entry``


def _main(argv: list[str] | None) -> int:
    command = typer.main.get_command(app)
    try:
        # Without standalone mode the parser returns an Exit's code instead of raising it.
        code = command.main(args=argv, prog_name="replycoach", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        _warn("replycoach: interrupted")
        return 130
    except typer.TyperException as exc:  # usage errors from the option parser
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            _warn(f"replycoach: error: {exc.format_message()}")
        return exc.exit_code
    return code if isinstance(code, int) else 0
