"""``replycoach draft`` without typer: the option spec derived from typer's definition.

Importing typer (and what it brings) costs more than drafting a reply: through typer a
draft takes 2.09x as long (benchmarks/startup.py --against). So the first time typer
runs ``draft``, its options (names, flags, repeatable, choices, defaults, types) are
read from the typer definition and its annotations, never written by hand, and stored
(``learn``). Later, a tiny parser applies them and calls ``draft_command.draft``, the
same function the typer command delegates to (``run``). Anything unusual (an unknown
option, a bad choice, ``--``, a missing value, a stale or missing spec) is left to
typer, the plain path, which also refreshes the spec. tests/test_batch_startup.py runs
both paths and compares their output byte for byte.
"""

from __future__ import annotations

import sys

from replycoach.terminal import artefacts

TYPE_CHECKING = False  # __main__ imports this module on the --help replay path too: no typing
if TYPE_CHECKING:
    from typing import Any

COMMANDS = ("draft",)  # commands whose typer body delegates to ``draft_command``
_SPEC_FORMAT = 1


def run(argv: list[str]) -> int | None:
    """Run ``argv`` from the stored spec; None when typer must."""
    if not argv or argv[0] not in COMMANDS:
        return None
    specs = artefacts.load(_key())
    if specs is None:
        return None
    kwargs = parse(specs["commands"].get(argv[0]), argv[1:])
    if kwargs is None:
        return None
    from replycoach.foundation.regexes import remember_re_cache, warm_re_cache

    warm_re_cache()  # before email, json and jinja2 compile their module-level regexes
    from replycoach.terminal import draft_command
    from replycoach.terminal.boundary import guarded

    command = getattr(draft_command, argv[0])
    code = guarded(lambda: int(command(**kwargs)))
    remember_re_cache()
    return code


def learn(argv: list[str]) -> None:
    """After typer ran ``argv``: store the spec if it is one of ours and none is stored."""
    if argv and argv[0] in COMMANDS and artefacts.root() is not None and artefacts.load(_key()) is None:
        artefacts.store(_key(), {"commands": derive_specs()}, _deps())


def _key() -> str:
    from replycoach.foundation.version import __version__

    return f"spec\n{_SPEC_FORMAT}\n{__version__}\n{sys.version}"


def _deps() -> list[str]:
    from replycoach.foundation import version

    names = ("app.py", "cli_options.py", "cli_reply.py", "draft_command.py", "fast_draft.py")
    return [*(artefacts.here(name) for name in names), str(version.__file__)]


def derive_specs() -> dict[str, Any]:
    """Each fast command's parameters, read from the typer app (the single source of truth)."""
    import enum
    import typing
    from pathlib import Path

    import typer.main

    from replycoach.terminal import app as cli

    group: Any = typer.main.get_command(cli.app)
    callbacks = {
        info.name or info.callback.__name__: info.callback for info in cli.app.registered_commands if info.callback
    }
    specs: dict[str, Any] = {}
    for name in COMMANDS:
        command = group.commands[name]
        hints = typing.get_type_hints(callbacks[name])
        params = []
        usable = True
        for p in command.params:
            hint = hints.get(p.name)
            base = _base_type(hint)
            if base is bool:
                kind = "bool"
            elif base is Path:
                kind = "path"
            elif isinstance(base, type) and issubclass(base, enum.Enum):
                kind = "choice"
            elif base is int:
                kind = "int"
            elif base is str:
                kind = "str"
            else:
                kind, usable = "other", False
            if getattr(p, "envvar", None) or getattr(p, "callback", None) or p.nargs != 1 or p.secondary_opts:
                usable = False  # the mini parser would not reproduce these: leave them to typer
            default = p.default.value if isinstance(p.default, enum.Enum) else p.default
            params.append(
                {
                    "name": p.name,
                    "argument": p.param_type_name == "argument",
                    "opts": list(p.opts),
                    "flag": bool(getattr(p, "is_flag", False)),
                    "multiple": bool(p.multiple),
                    "kind": kind,
                    "choices": [m.value for m in base] if kind == "choice" else [],
                    "min": getattr(p, "min", None),
                    "max": getattr(p, "max", None),
                    "default": default if isinstance(default, (str, int, float, bool, type(None))) else None,
                    "required": bool(p.required),
                }
            )
        specs[name] = {"params": params, "usable": usable}
    return specs


def _base_type(hint: Any) -> Any:
    import types
    import typing

    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        hint = args[0]
    if typing.get_origin(hint) is list:
        (hint,) = typing.get_args(hint)
    return hint


def parse(spec: dict[str, Any] | None, args: list[str]) -> dict[str, Any] | None:
    """Keyword arguments for the command, exactly as typer would pass them; None when
    anything is out of the ordinary (typer then parses it and reports any mistake)."""
    if spec is None or not spec["usable"]:
        return None
    by_opt = {opt: p for p in spec["params"] if not p["argument"] for opt in p["opts"]}
    arguments = [p for p in spec["params"] if p["argument"]]
    given: dict[str, Any] = {}
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "-" or not arg.startswith("-"):
            positional.append(arg)
            continue
        if arg == "--" or not arg.startswith("--"):
            return None  # "--", short options and clusters: typer's business
        name, eq, value = arg.partition("=")
        p = by_opt.get(name)
        if p is None:
            return None
        if p["flag"]:
            if eq:
                return None
            given[p["name"]] = True
            continue
        if not eq:
            if i >= len(args):
                return None
            value = args[i]
            i += 1
        converted = _convert(p, value)
        if converted is None:
            return None
        if p["multiple"]:
            given.setdefault(p["name"], []).append(converted)
        else:
            given[p["name"]] = converted
    if len(positional) > len(arguments):
        return None
    for p, value in zip(arguments, positional, strict=False):
        converted = _convert(p, value)
        if converted is None:
            return None
        given[p["name"]] = converted
    kwargs = {}
    for p in spec["params"]:
        if p["name"] in given:
            kwargs[p["name"]] = given[p["name"]]
        elif p["required"]:
            return None
        else:
            kwargs[p["name"]] = p["default"]
    return kwargs


def _convert(p: dict[str, Any], value: str) -> Any:
    kind = p["kind"]
    if kind == "str":
        return value
    if kind == "path":
        from pathlib import Path

        return Path(value)
    if kind == "choice":
        return value if value in p["choices"] else None
    if kind == "int":
        try:
            number = int(value)
        except ValueError:
            return None
        if (p["min"] is not None and number < p["min"]) or (p["max"] is not None and number > p["max"]):
            return None
        return number
    return None
