"""How text reaches the agent's terminal, and the one error boundary.

Typer-free: the typer commands (``app``) and the fast start-up path (``entry``) share it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def write(text: str) -> None:
    """Write to stdout; customer text is made inert when stdout is a terminal."""
    from replycoach.reply.formats import terminal_safe

    out = sys.stdout
    out.write(terminal_safe(text) if out.isatty() else text)
    out.flush()


def warn(text: str) -> None:
    from replycoach.reply.formats import terminal_safe

    err = sys.stderr
    err.write((terminal_safe(text) if err.isatty() else text) + "\n")


def guarded(call: Callable[[], int]) -> int:
    """The error boundary both paths share: a user's mistake is one line and exit 2."""
    from replycoach.foundation.errors import ReplycoachError

    try:
        return call()
    except ReplycoachError as exc:
        warn(f"replycoach: error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        warn("replycoach: interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
