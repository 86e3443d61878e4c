"""The console script's start: two fast paths, else typer, the plain path.

``--help`` is replayed from a recording (``help_replay``) and a common ``draft`` runs
from an option spec derived from the typer definition (``fast_draft``), both without
importing typer; anything else, or the first time, goes through typer (``app``), which
also records what the next start can use. The typer app stays the single source of truth.
"""

from __future__ import annotations

import os

from replycoach.terminal import fast_draft, help_replay


def main(argv: list[str]) -> int:
    """The console script: a fast path when possible, typer otherwise."""
    if os.environ.get("_REPLYCOACH_COMPLETE"):
        # The shell asks for completions (no arguments, like a bare ``replycoach``): only
        # typer answers, and what it prints is no help screen to record.
        from replycoach.terminal.app import main as typer_main

        return typer_main(argv)
    code = fast(argv)
    return code if code is not None else plain(argv)


def fast(argv: list[str]) -> int | None:
    """Serve ``argv`` without typer; None when typer must do it."""
    if help_replay.is_help(argv):
        return help_replay.replay(argv)
    return fast_draft.run(argv)


def plain(argv: list[str]) -> int:
    """Typer, recording what a later start could use."""
    from replycoach.terminal.app import main as typer_main

    if help_replay.is_help(argv):
        return help_replay.record(argv, typer_main)
    code = typer_main(argv)
    fast_draft.learn(argv)
    return code
