"""The start-up path: answer ``--help`` and the common ``draft`` call without typer.

Importing typer (and the pydantic and click it brings) costs more than drafting a
reply, so the console script first tries two derived, cached artefacts, each stored
beside the data cache and tied to the exact files it was derived from:

- **help output**: a help screen is a pure function of the arguments, the terminal
  (tty or not, width, colour variables) and the CLI's source. The first time, typer
  renders it while a tee records the bytes; later runs replay them.
- **option specs**: the ``draft`` command's options (names, flags, repeatable,
  choices, defaults, types) are read from the typer definition and its annotations
  the first time typer runs, never written by hand. A tiny parser applies them and
  calls ``commands.draft``, the same function ``cli.draft`` delegates to.

Anything unusual (an unknown option, a bad choice, ``--``, a missing value, a stale
or missing cache) falls back to typer, which also refreshes the artefacts. The typer
app stays the single source of truth.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing (and the re it imports) would cost the --help replay ~5 ms
if TYPE_CHECKING:
    from typing import Any

FAST_COMMANDS = ("draft",)  # commands whose typer body delegates to ``commands``
_HELP = ("-h", "--help")
_TERMINAL_ENV = ("COLUMNS", "LINES", "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TERMINAL_WIDTH", "CLICOLOR")
_TERMINAL_PREFIXES = ("TYPER", "_TYPER", "RICH", "TTY_", "JUPYTER", "FORCE_", "CLICOLOR", "NO_COLOR")
_SPEC_FORMAT = 1


def main(argv: list[str]) -> int:
    """The console script: a cached fast path when possible, typer otherwise."""
    code = fast(argv)
    if code is not None:
        return code
    return slow(argv)


def fast(argv: list[str]) -> int | None:
    """Serve ``argv`` from the cached artefacts; None when typer must do it."""
    if is_help(argv):
        entry = _load(_help_key(argv))
        if entry is None:
            return None
        out, err, code = entry["out"], entry["err"], entry["code"]
        if out:
            sys.stdout.buffer.write(out)
            sys.stdout.flush()
        if err:
            sys.stderr.buffer.write(err)
            sys.stderr.flush()
        return code
    if argv and argv[0] in FAST_COMMANDS:
        specs = _load(_spec_key())
        if specs is None:
            return None
        kwargs = parse(specs["commands"].get(argv[0]), argv[1:])
        if kwargs is None:
            return None
        from replycoach.terminal import draft_command
        from replycoach.terminal.boundary import guarded

        run = getattr(draft_command, argv[0])
        return guarded(lambda: run(**kwargs))
    return None


def slow(argv: list[str]) -> int:
    """Typer, recording the artefact this call could have used."""
    from replycoach.terminal.app import main as typer_main

    if is_help(argv) and _cache_root() is not None:
        tee_out, tee_err = _Tee(sys.stdout), _Tee(sys.stderr)
        real_out, real_err = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = tee_out, tee_err  # type: ignore[assignment]
        try:
            code = typer_main(argv)
        finally:
            sys.stdout, sys.stderr = real_out, real_err
        _store(_help_key(argv), {"out": tee_out.data(), "err": tee_err.data(), "code": code}, _help_deps())
        return code
    code = typer_main(argv)
    if argv and argv[0] in FAST_COMMANDS and _cache_root() is not None and _load(_spec_key()) is None:
        _store(_spec_key(), {"commands": derive_specs()}, _spec_deps())
    return code


def is_help(argv: list[str]) -> bool:
    """``replycoach``, ``replycoach --help``, ``replycoach playbooks show --help``: pure output."""
    if not argv:
        return True
    if argv[-1] not in _HELP:
        return False
    return all(a.replace("-", "").isalpha() and a.islower() and not a.startswith("-") for a in argv[:-1])


# --- option specs derived from the typer definitions ----------------------------------


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
    for name in FAST_COMMANDS:
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


# --- the artefact store ---------------------------------------------------------------


def _cache_root() -> str | None:
    from replycoach.foundation.userdirs import cache_root

    return cache_root()


def _here(name: str) -> str:
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), name)


def _spec_key() -> str:
    from replycoach.foundation.version import __version__

    return f"spec\n{_SPEC_FORMAT}\n{__version__}\n{sys.version}"


def _help_key(argv: list[str]) -> str:
    from replycoach.foundation.version import __version__

    terminal = []
    for stream in (sys.stdout, sys.stderr):
        try:
            tty = stream.isatty()
            size = tuple(os.get_terminal_size(stream.fileno())) if tty else None
        except (OSError, ValueError, AttributeError):
            tty, size = False, None
        terminal.append((tty, size, getattr(stream, "encoding", None)))
    env = sorted((k, v) for k, v in os.environ.items() if k in _TERMINAL_ENV or k.startswith(_TERMINAL_PREFIXES))
    return f"help\n{__version__}\n{sys.version}\n{argv!r}\n{terminal!r}\n{env!r}"


def _spec_deps() -> list[str]:
    from replycoach.foundation import version

    here = ("app.py", "cli_options.py", "cli_reply.py", "draft_command.py", "entry.py")
    return [*(_here(name) for name in here), str(version.__file__)]


def _help_deps() -> list[str]:
    deps = _spec_deps()
    for module in ("typer", "rich"):
        found = sys.modules.get(module)
        if found is not None and getattr(found, "__file__", None):
            deps.append(str(found.__file__))  # an upgraded typer or rich may render differently
    return deps


def _stamp(paths: list[str]) -> list[tuple[str, int, int]]:
    out = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            out.append((path, -1, -1))
        else:
            out.append((path, st.st_size, st.st_mtime_ns))
    return out


def _path(key: str) -> str | None:
    import zlib

    root = _cache_root()
    if root is None:
        return None
    kind = key.split("\n", 1)[0]
    return os.path.join(root, f"{kind}-{zlib.crc32(key.encode('utf-8', 'surrogatepass')):08x}.marshal")


def _load(key: str) -> dict[str, Any] | None:
    import marshal

    path = _path(key)
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            stored_key, deps, payload = marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if stored_key != key or [tuple(d) for d in deps] != _stamp([d[0] for d in deps]):
        return None  # another key with the same checksum, or the CLI changed since
    return payload if isinstance(payload, dict) else None


def _store(key: str, payload: dict[str, Any], deps: list[str]) -> None:
    import marshal

    path = _path(key)
    if path is None:
        return
    from replycoach.foundation.resources import write_cache_file

    try:
        write_cache_file(path, marshal.dumps((key, _stamp(deps), payload)))
    except (OSError, ValueError):
        pass  # a read-only cache only costs speed


class _Tee:
    """Passes writes through to a real stream (same tty-ness, width, encoding, so rich
    renders exactly as it would) while keeping a copy of the bytes."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._parts: list[bytes] = []
        self._encoding = getattr(stream, "encoding", None) or "utf-8"
        self._errors = getattr(stream, "errors", None) or "strict"
        buffer = getattr(stream, "buffer", None)
        self.buffer = _BufferTee(buffer, self._parts, stream) if buffer is not None else None

    def write(self, text: str) -> int:
        self._parts.append(text.encode(self._encoding, self._errors))
        return self._stream.write(text)

    def data(self) -> bytes:
        return b"".join(self._parts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _BufferTee:
    def __init__(self, buffer: Any, parts: list[bytes], text: Any) -> None:
        self._buffer = buffer
        self._parts = parts
        self._text = text

    def write(self, data: bytes) -> int:
        self._text.flush()  # keep text written before these bytes in front of them
        self._parts.append(bytes(data))
        return self._buffer.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._buffer, name)
