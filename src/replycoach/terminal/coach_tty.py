"""The agent's terminal for ``replycoach coach``: rich output and line or key-at-a-time
input, both on ``/dev/tty`` so that the customer's message can still come through a
pipe (as with ``fzf`` or ``git add -p``); the $EDITOR and clipboard helpers.

Customer text is always drawn as ``rich.text.Text`` after ``output.terminal_safe`` (the
console has markup off): it is never read as markup or as terminal escapes.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any

from rich.console import Console
from rich.text import Text

from replycoach.foundation.errors import NoTerminalError
from replycoach.reply.formats import terminal_safe
from replycoach.terminal.coach_walk import Back, Quit, Skip


def safe(text: Any, style: str = "") -> Text:
    """Customer-derived text, inert: control characters made visible, no markup."""
    return Text(terminal_safe(str(text)), style=style)


class Terminal:
    """The agent's terminal: rich output and line input, both on the tty."""

    def __init__(self, inp: IO[str], out: IO[str]) -> None:
        self.inp = inp
        self.out = out
        try:
            size = os.get_terminal_size(out.fileno())
            width, height = size.columns, size.lines
        except (OSError, ValueError):
            width, height = 80, 24
        self.height = max(height, 10)
        # Lines drawn since the screen was last cleared: what still fits under the
        # heading, and where a menu row is when ↑/↓ move its marker.
        self.used = 0
        self.console = Console(
            file=out,
            width=max(40, min(width, 120)),
            markup=False,
            emoji=False,
            highlight=False,
            soft_wrap=False,
        )

    def print(self, *items: Any, **kwargs: Any) -> None:
        self.console.print(*items, **kwargs)
        if kwargs.get("end", "\n") == "\n":
            self.used += self.height_of(*items) if items else 1

    def height_of(self, *items: Any) -> int:
        """How many lines ``items`` take on this terminal."""
        from rich.console import Group

        return len(self.console.render_lines(Group(*items), self.console.options, pad=False))

    @property
    def full_screen(self) -> bool:
        """Each step on a clean screen: only where the screen can be cleared and drawn on."""
        return self.keys_live

    def clear(self) -> None:
        """A clean screen for the next step (b goes back to an earlier one)."""
        if self.full_screen:
            self.out.write("\x1b[H\x1b[2J")
            self.out.flush()
        self.used = 0

    def line(self, prompt: str | Text, default: Any = None, *, nav: bool = True) -> str:
        """One line from the agent; ``b``/``s``/``q`` move instead of answering."""
        text = prompt.copy() if isinstance(prompt, Text) else Text(prompt, style="bold")
        if default not in (None, ""):
            text.append(" [", style="dim")
            text.append_text(safe(default, "dim"))
            text.append("]", style="dim")
        text.append(": ")
        self.console.print(text, end="")
        self.out.flush()
        raw = self.inp.readline()
        if raw == "":  # Ctrl-D at a prompt: leave, as with q
            self.console.print()
            raise Quit
        answer = raw.rstrip("\r\n")
        self.used += 1
        if nav:
            _navigate(answer)
        return answer

    @property
    def keys_live(self) -> bool:
        """Arrow keys need key-at-a-time input and cursor moves: a real, non-dumb terminal."""
        return self.console.is_terminal and not self.console.is_dumb_terminal and os.name == "posix"

    def pick(
        self,
        prompt: Text,
        default: str | None,
        items: list[tuple[str, str]],
        rows: dict[str, int] | None = None,
    ) -> str:
        """Like ``line``, but ↑/↓ walk through ``items`` (key, label), showing the label
        and moving the ``›`` marker of the menu rows drawn at lines ``rows`` (key: line
        since the screen was cleared) when they are still on the screen."""
        if not self.keys_live:
            return self.line(prompt, default)
        import codecs
        import select
        import termios
        import tty

        from rich.cells import cell_len

        text = prompt.copy()
        if default not in (None, ""):
            text.append(f" [{default}]", style="dim")
        text.append(": ")
        self.console.print(text, end="")
        room = self.console.width - cell_len(text.plain) % self.console.width - 1
        labels = dict(items)
        keys = [k for k, _ in items]
        index = keys.index(default) if default in keys else -1
        buffer = ""
        here = self.used
        marked = [default]

        def mark(key: str | None, sign: str) -> None:
            up = here - (rows or {}).get(key or "", here)
            if 0 < up < self.height:
                # Up to the row, the marker column (" › 1  …"), then back to the answer.
                self.out.write(f"\x1b8\x1b[{up}A\r\x1b[1C{sign}\x1b8")

        def move_marker() -> None:
            if rows and buffer in labels and buffer != marked[0]:
                mark(marked[0], " ")
                mark(buffer, "›")
                marked[0] = buffer

        fd = self.inp.fileno()
        saved = termios.tcgetattr(fd)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

        def redraw() -> None:
            shown = Text(terminal_safe(buffer))
            if buffer in labels:
                shown.append_text(safe(f"  {labels[buffer]}", "dim"))
            shown.truncate(max(room, 1))
            move_marker()
            self.out.write("\x1b8\x1b[K")  # back to just after the prompt, clear the rest
            self.console.print(shown, end="", no_wrap=True, overflow="crop")
            self.out.flush()

        self.out.write("\x1b7")  # remember where the answer starts
        self.out.flush()
        try:
            tty.setcbreak(fd, termios.TCSANOW)  # keeps ISIG (Ctrl-C interrupts); TCSANOW keeps typed-ahead keys
            while True:
                byte = os.read(fd, 1)
                if not byte or (byte == b"\x04" and not buffer):
                    self.out.write("\n")
                    raise Quit
                if byte in (b"\r", b"\n"):
                    break
                if byte == b"\x1b":
                    seq = b""
                    while select.select([fd], [], [], 0.05)[0] and len(seq) < 8:
                        seq += os.read(fd, 1)
                        if seq[-1:].isalpha() or seq[-1:] == b"~":
                            break
                    if seq in (b"[A", b"OA", b"[B", b"OB") and keys:
                        step = -1 if seq[-1:] == b"A" else 1
                        index = (index + step) % len(keys) if index >= 0 else (0 if step > 0 else len(keys) - 1)
                        buffer = keys[index]
                elif byte in (b"\x7f", b"\x08"):
                    buffer = buffer[:-1]
                elif byte == b"\x15":  # Ctrl-U
                    buffer = ""
                elif byte >= b" ":
                    buffer += decoder.decode(byte)
                redraw()
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        self.out.write("\n")
        self.out.flush()
        self.used += 1
        _navigate(buffer)
        return buffer

    def note(self, text: str, style: str = "dim") -> None:
        self.print(Text(text, style=style))

    def problem(self, text: str) -> None:
        self.print(Text.assemble(("✗ ", "bold red"), safe(text)))


def open_terminal() -> Terminal:
    """The controlling terminal, or ``NoTerminalError`` at once (never wait for input)."""
    message = (
        "coach needs a terminal to ask its questions; "
        "for pipes and scripts use `replycoach draft` (with --set/--answers)"
    )
    try:
        inp = open("/dev/tty", encoding="utf-8", errors="replace")  # noqa: SIM115 (lives for the walk)
        out = open("/dev/tty", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError:
        raise NoTerminalError(message) from None
    if not inp.isatty():
        raise NoTerminalError(message)
    return Terminal(inp, out)


def read_message(path: str | None, term: Terminal) -> bytes:
    """The message from FILE, a pipe, or pasted at the terminal."""
    from replycoach.message import read_input

    if (path is None or path == "-") and sys.stdin is not None and sys.stdin.isatty():
        term.print(Text("Paste the customer's message, then Ctrl-D on an empty line:", style="bold"))
        term.out.flush()
        return sys.stdin.buffer.read()
    return read_input(path)


def edit_text(term: Terminal, text: str) -> str | None:
    """Open ``text`` in $VISUAL/$EDITOR on the terminal; None when no editor is set."""
    import shlex
    import subprocess
    import tempfile

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        return None
    fd, path = tempfile.mkstemp(prefix="replycoach-", suffix=".txt")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        term.out.flush()
        try:
            subprocess.run([*shlex.split(editor), path], stdin=term.inp, stdout=term.out, check=False)
        except OSError as exc:
            term.problem(f"cannot start the editor {editor!r}: {exc.strerror}")
            return text
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    finally:
        os.unlink(path)


def clipboard_command() -> list[str] | None:
    """The first clipboard tool that can work here, or None."""
    import shutil

    candidates: list[list[str]] = []
    if os.environ.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if os.environ.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    if sys.platform == "darwin":
        candidates.append(["pbcopy"])
    for cmd in candidates:
        if shutil.which(cmd[0]):
            return cmd
    return None


def _navigate(answer: str) -> None:
    """b, s and q at any prompt move the walk instead of answering."""
    command = answer.strip().lower()
    if command == "b":
        raise Back
    if command == "s":
        raise Skip
    if command == "q":
        raise Quit
