"""Help and usage errors as people read them, applied to the typer command tree.

Typer shows a value's Python type (``<str>``, ``<list[str]>``, ``<bool>``, ``<int range>
[x>=1]``), reads help text as rich markup (``[[markers]]`` would vanish) and prints a
usage error as three lines (Usage, Try, Error). ``readable`` gives every option a
placeholder named for what it takes (``ID``, ``KEY=VALUE``, the full choice list),
flags none, help text shown as written, and each command its example; ``usage_line``
turns a usage error into the one line the contract promises, naming the option and the
valid values.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

# What an option's value is, by option name (choices and flags need no entry).
METAVARS = {
    "--playbook": "ID",
    "--type": "TYPE",
    "--set": "KEY=VALUE",
    "--answers": "FILE",
    "--save-answers": "FILE",
    "--message": "FILE",
    "--html": "FILE",
    "--out": "FILE",
    "--playbooks": "DIR",
    "--rules": "DIR",
    "--dir": "DIR",
    "--maildir": "DIR",
    "--lang": "CODE",
    "--now": "DATETIME",
    "--since": "DATE",
    "--db": "URL",
    "--sender": "ADDRESS",
    "--jobs": "N",
}
# Per command, where an option means something else.
COMMAND_METAVARS = {("batch", "--out"): "DIR"}
ARGUMENTS = {"file": "FILE", "inputs": "INPUT...", "playbook_id": "ID", "paths": "PATH..."}

# One example per command, shown under its help.
EXAMPLES = {
    "": "replycoach draft mail.eml --format json",
    "draft": "replycoach draft mail.eml --set resolve=refund --format eml > reply.eml",
    "coach": "replycoach coach mail.eml --save-answers answers.yaml",
    "analyze": "replycoach analyze mail.eml --format json",
    "check": "replycoach check reply.txt --message mail.eml",
    "report": "replycoach report --since 2026-11-16 --by cause",
    "paths": "replycoach paths",
    "batch": "replycoach batch inbox.mbox --out drafts/ --format eml",
    "completion": 'eval "$(replycoach completion bash)"',
    "playbooks": "replycoach playbooks show damaged-or-defective",
    "playbooks list": "replycoach playbooks list --format json",
    "playbooks show": "replycoach playbooks show damaged-or-defective",
    "playbooks validate": "replycoach playbooks validate team/",
    "playbooks new": "replycoach playbooks new lost-parcel --dir team/",
    "log": "replycoach log list --since 2026-11-16",
    "log add": "replycoach log add mail.eml --answers answers.yaml",
    "log list": "replycoach log list --sender ana@example.com --format json",
    "log forget": "replycoach log forget --sender ana@example.com",
    "followups": "replycoach followups --format ics --out promises.ics",
    "followups done": "replycoach followups done 12",
    "config": 'replycoach config set agent "Sam Lee"',
    "config get": "replycoach config get timezone",
    "config set": 'replycoach config set from "Sam Lee <sam@shop.example>"',
    "config unset": "replycoach config unset company",
    "config list": "replycoach config list --format json",
}


def readable(command: Any, path: str = "") -> Any:
    """``command`` (typer's click command tree) with help as people read it."""
    command.help = _literal(command.help)
    command.short_help = _literal(command.short_help)
    example = EXAMPLES.get(path)
    if example and not command.epilog:
        command.epilog = _literal(f"Example: {example}")
    name = path.rsplit(" ", 1)[-1]
    command.get_help_option = _flag_help_option(command.get_help_option)
    for param in command.params:
        param.help = _literal(getattr(param, "help", None))
        if param.param_type_name == "argument":
            if param.metavar is None:
                param.metavar = ARGUMENTS.get(param.name, str(param.name).upper())
            param.display_type_rich = _no_type  # the placeholder says it
            continue
        choices = _choices(param)
        if getattr(param, "is_flag", False):
            param.metavar = ""
        elif choices:
            param.metavar = "|".join(choices)
        else:
            long = next((o for o in param.opts if o.startswith("--")), param.opts[0])
            param.metavar = COMMAND_METAVARS.get((name, long)) or METAVARS.get(long) or "VALUE"
        param._get_number_range_help_str = _no_range  # the help text says the range
    for sub, child in getattr(command, "commands", {}).items():
        readable(child, f"{path} {sub}".strip())
    return command


def _flag_help_option(make: Any) -> Any:
    # The -h/--help option is made per context, after this tree is walked.
    def get_help_option(ctx: Any) -> Any:
        option = make(ctx)
        if option is not None:
            option.metavar = ""
        return option

    return get_help_option


def _literal(text: str | None) -> str | None:
    # Help is rendered as rich markup; an escaped "[" is shown as typed.
    return text.replace("[", "\\[") if text else text


def _no_type(ctx: Any) -> None:
    return None


def _no_range() -> None:
    return None


def _choices(param: Any) -> list[str]:
    desc = getattr(param, "type_descriptor", None)
    if desc is None or not desc.is_choice or not desc.choices:
        return []
    return [str(getattr(c, "value", c)) for c in desc.choices]


def usage_line(exc: Any) -> str:
    """One line for a usage error: what was wrong, with which option, and what is valid."""
    from typer._click import exceptions as errors

    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "replycoach"
    if isinstance(exc, errors.NoSuchOption):
        known = _options(ctx)
        close = difflib.get_close_matches(exc.option_name, known, n=1, cutoff=0.75)
        hint = f"did you mean {close[0]}?" if close else f"options: {', '.join(known)}"
        return f"{exc.option_name}: no such option for {where} ({hint})"
    if isinstance(exc, errors.BadParameter) and exc.param is not None:
        param = exc.param
        label = _label(param)
        if isinstance(exc, errors.MissingParameter):
            return f"{label}: missing (usage: {_usage(ctx)})"
        choices = _choices(param)
        message = re.sub(r"^Value error, ", "", str(exc.message)).rstrip(".")
        if choices:
            given = re.search(r"^'(.*)' is not one of ", message)
            value = given.group(1) if given else None
            shown = f"{value!r} is not one of" if value is not None else "expected one of"
            return f"{label}: {shown}: {', '.join(choices)}"
        return f"{label}: {message[:1].lower()}{message[1:]}"
    if isinstance(exc, errors.BadOptionUsage):
        message = re.sub(r"^[Oo]ption '[^']*' ", "", str(exc.message)).rstrip(".")
        return f"{exc.option_name}: {message.replace('an argument', 'a value')}"
    message = str(exc.format_message()).rstrip(".")
    missing = re.match(r"^No such command '(.*?)'(?:\. Did you mean '(.*)'\?)?$", message)
    if missing and ctx is not None:
        commands = ", ".join(getattr(ctx.command, "commands", {}))
        hint = f"did you mean {missing.group(2)}?" if missing.group(2) else f"commands: {commands}"
        return f"no such command {missing.group(1)!r} for {where} ({hint})"
    return f"{message} (usage: {_usage(ctx)})" if ctx is not None else message


def _label(param: Any) -> str:
    if param.param_type_name == "argument":
        return str(param.metavar or str(param.name).upper())
    return str(next((o for o in param.opts if o.startswith("--")), param.opts[0]))


def _options(ctx: Any) -> list[str]:
    if ctx is None:
        return []
    return [o for p in ctx.command.params if p.param_type_name == "option" for o in p.opts if o.startswith("--")] + [
        "--help"
    ]


def _usage(ctx: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[{}]", "", str(ctx.get_usage()).removeprefix("Usage: "))).strip()
