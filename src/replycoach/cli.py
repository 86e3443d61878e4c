"""The command line: parse options, call one core function, render, map errors.

Nothing here knows how a message is read or a draft is built; see ``api``.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .errors import UsageError

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


# Shared with the fast start-up path (``entry``), which must not import typer.
from .commands import warn as _warn  # noqa: E402
from .commands import write as _write  # noqa: E402


@app.command()
def draft(
    file: InputArg = None,
    playbook: PlaybookOpt = None,
    customer_type: TypeOpt = None,
    set_: SetOpt = None,
    answers: AnswersOpt = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    playbooks: PlaybooksOpt = None,
    lang: LangOpt = None,
    now: NowOpt = None,
    placeholders: Annotated[
        bool, typer.Option("--placeholders", help="Show missing answers as [[markers]] instead of failing.")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when the draft has error-level findings.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the draft to a file instead of stdout.", show_default=False)
    ] = None,
) -> None:
    """Draft a reply without questions (for pipes and scripts)."""
    from .commands import draft as run

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
    )
    if code:
        raise typer.Exit(code)


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
    from . import api, output
    from .message import read_input

    result = api.analyze_text(
        read_input(file), playbook=playbook, customer_type=customer_type, lang=lang, playbooks=playbooks
    )
    _write(output.to_json(result) if fmt is AnalyzeFormat.json else output.analysis_text(result))


@app.command()
def check(
    file: InputArg = None,
    message: Annotated[
        Path | None,
        typer.Option("--message", help="The customer's message, for the structural checks.", show_default=False),
    ] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", help="Output format.")] = CheckFormat.text,
    rules: Annotated[
        list[str] | None,
        typer.Option("--rules", help="Team rules folder (repeatable; also REPLYCOACH_RULES).", show_default=False),
    ] = None,
    min_level: Annotated[str, typer.Option("--min-level", help="suggestion|warning|error")] = "suggestion",
    no_exit: Annotated[bool, typer.Option("--no-exit", help="Always exit 0.")] = False,
) -> None:
    """Check a reply for the habits that make angry customers angrier."""
    from . import api, output
    from .checker import LEVELS
    from .message import decode_text, read_input

    if min_level not in LEVELS:
        raise UsageError(f"expected one of {', '.join(LEVELS)}", field="--min-level")
    raw = read_input(file)
    if b"\x00" in raw:
        raise UsageError("the reply is binary data, not text", file=file or "<stdin>")
    reply = decode_text(raw)
    if not reply.strip():
        raise UsageError("empty reply", file=file or "<stdin>")
    from .message import read_input as read

    findings = api.check_text(reply, read(str(message)) if message else None, rules=rules)
    floor = LEVELS.index(min_level)
    findings = [f for f in findings if LEVELS.index(f["severity"]) >= floor]
    name = file if file and file != "-" else "<stdin>"
    if fmt is CheckFormat.json:
        _write(output.to_json({"findings": findings}))
    else:
        _write("".join(output.finding_line(f, name) + "\n" for f in findings))
    if not no_exit and any(f["severity"] == "error" for f in findings):
        raise typer.Exit(1)


@playbooks_app.command("list")
def playbooks_list(playbooks: PlaybooksOpt = None) -> None:
    """List every playbook id with its title."""
    from .playbooks import load_registry

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
    """Show one playbook: its steps, options and questions."""
    from .playbooks import STEPS, load_registry

    registry = load_registry(tuple(playbooks or ()))
    pb = registry.get(playbook_id)
    lines = [f"{pb['id']}: {pb['title']}", f"  file: {registry.files[pb['id']]}"]
    if pb.get("summary"):
        lines.append(f"  {pb['summary']}")
    for need in pb.get("needs", []):
        lines.append(f"  needs {need['id']}: {need['label']}")
    for q in pb.get("questions", []):
        lines.append(f"  question {q['id']} ({q['type']}): {q['prompt']}")
    for step in STEPS:
        lines.append(f"  {step}:")
        for o in pb["steps"][step]["options"]:
            lines.append(f"    - {o['id']}: {o['label']}")
    lines.append("  diagnose causes: " + ", ".join(c["id"] for c in pb["steps"]["diagnose"]["causes"]))
    _write("\n".join(lines) + "\n")


@playbooks_app.command("validate")
def playbooks_validate(
    paths: Annotated[list[str] | None, typer.Argument(help="Playbook files or folders (default: all visible).")] = None,
    playbooks: PlaybooksOpt = None,
) -> None:
    """Validate playbook files strictly; one line per problem with file and line."""
    from .playbooks import load_registry, playbook_dirs, validate_paths

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

    from . import batch as core
    from .batchui import Reporter

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
    from .entry import guarded

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
