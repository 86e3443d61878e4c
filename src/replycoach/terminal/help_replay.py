"""``--help`` without typer: a recorded help screen, replayed.

A help screen is a pure function of the arguments, the terminal (tty or not, width,
colour variables) and the CLI's source. The first time, typer renders it while a tee
records the bytes (``record``, the plain path); later runs replay them (``replay``):
7.45x faster (benchmarks/startup.py --against). tests/test_batch_startup.py checks the
replay is byte for byte what typer prints, and that it imports neither typer nor rich,
nor typing (which is why this module and what it loads keep to ``os`` and ``sys``).
"""

from __future__ import annotations

import os
import sys

from replycoach.terminal import artefacts

TYPE_CHECKING = False  # typing is not imported on the --help replay path (see foundation/userdirs.py)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_HELP = ("-h", "--help")
_TERMINAL_ENV = ("COLUMNS", "LINES", "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TERMINAL_WIDTH", "CLICOLOR")
_TERMINAL_PREFIXES = ("TYPER", "_TYPER", "RICH", "TTY_", "JUPYTER", "FORCE_", "CLICOLOR", "NO_COLOR")


def is_help(argv: list[str]) -> bool:
    """``replycoach``, ``replycoach --help``, ``replycoach playbooks show --help``: pure output."""
    if not argv:
        return True
    if argv[-1] not in _HELP:
        return False
    return all(a.replace("-", "").isalpha() and a.islower() and not a.startswith("-") for a in argv[:-1])


def replay(argv: list[str]) -> int | None:
    """Write the recorded screen for ``argv``; None when there is none (typer must)."""
    entry = artefacts.load(_key(argv))
    if entry is None:
        return None
    out, err, code = entry["out"], entry["err"], entry["code"]
    if out:
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
    if err:
        sys.stderr.buffer.write(err)
        sys.stderr.flush()
    return int(code)


def record(argv: list[str], render: Callable[[list[str]], int]) -> int:
    """``render(argv)`` (typer), keeping a copy of what it writes for ``replay``."""
    if artefacts.root() is None:
        return render(argv)
    tee_out, tee_err = _Tee(sys.stdout), _Tee(sys.stderr)
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = tee_out, tee_err
    try:
        code = render(argv)
    finally:
        sys.stdout, sys.stderr = real_out, real_err
    artefacts.store(_key(argv), {"out": tee_out.data(), "err": tee_err.data(), "code": code}, _deps())
    return code


def _key(argv: list[str]) -> str:
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


def _deps() -> list[str]:
    """Every module that says what a help screen holds, and typer and rich, which draw it."""
    from replycoach.foundation import version

    folder = os.path.dirname(os.path.abspath(__file__))
    deps = sorted(
        os.path.join(folder, n) for n in os.listdir(folder) if n.startswith("cli_") or n in ("app.py", "help_text.py")
    )
    deps.append(str(version.__file__))
    # The config keys are listed in `config`'s help.
    deps.append(os.path.join(os.path.dirname(folder), "foundation", "config.py"))
    for module in ("typer", "rich"):
        found = sys.modules.get(module)
        if found is not None and getattr(found, "__file__", None):
            deps.append(str(found.__file__))  # an upgraded typer or rich may render differently
    return deps


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
        written: int = self._stream.write(text)
        return written

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
        written: int = self._buffer.write(data)
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self._buffer, name)
