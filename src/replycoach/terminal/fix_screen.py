"""The interactive side of ``check --fix``: one change at a time, shown as a diff.

CLI-side code (it talks to the terminal); the core only offers the candidate fixes
(``checker.fixable``) and applies the ones chosen (``checker.fix``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

Ask = Callable[[str], str]
Write = Callable[[str], None]


def _prompt(question: str) -> str:
    import typer

    return str(typer.prompt(question, default="y", show_default=False))


def _print(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def diff_lines(line: str, finding: dict[str, Any]) -> tuple[str, str]:
    """The reply line before and after one fix."""
    col = finding["column"] - 1
    after = line[:col] + finding["replacement"] + line[col + len(finding["text"]) :]
    return line, after


def choose(
    reply: str,
    candidates: list[dict[str, Any]],
    *,
    name: str = "<reply>",
    ask: Ask = _prompt,
    write: Write = _print,
    color: bool | None = None,
) -> list[dict[str, Any]]:
    """Ask about each fix in turn: y(es), n(o), a(ll remaining), q(uit). Returns the accepted ones."""
    from replycoach.reply.formats import finding_line
    from replycoach.reply.formats import terminal_safe as safe

    if color is None:
        color = "NO_COLOR" not in os.environ and sys.stdout.isatty()
    red, green, reset = ("\x1b[31m", "\x1b[32m", "\x1b[0m") if color else ("", "", "")
    lines = reply.replace("\r\n", "\n").split("\n")
    accepted: list[dict[str, Any]] = []
    for i, f in enumerate(candidates):
        before, after = diff_lines(lines[f["line"] - 1], f)
        # The reply's own text is made inert first; only then are our colour codes added.
        write(safe(finding_line(f, name)))
        write(f"{red}- {safe(before)}{reset}")
        write(f"{green}+ {safe(after)}{reset}")
        while True:
            answer = ask(f"Apply this fix ({i + 1}/{len(candidates)})? [y]es/[n]o/[a]ll/[q]uit").strip().lower()
            if answer in ("y", "yes", "n", "no", "a", "all", "q", "quit"):
                break
            write("Please answer y, n, a or q.")
        if answer in ("a", "all"):
            accepted.extend(candidates[i:])
            break
        if answer in ("q", "quit"):
            break
        if answer in ("y", "yes"):
            accepted.append(f)
    return accepted
