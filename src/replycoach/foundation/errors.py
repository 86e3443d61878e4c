"""The one error hierarchy. The CLI renders these at one boundary as a single line.

Every user-facing failure (bad input, bad playbook, bad answers, bad usage) is a
``ReplycoachError``; anything else reaching the boundary is a bug in replycoach.
"""

from __future__ import annotations


class ReplycoachError(Exception):
    """A user's mistake or an unusable input: exit 2, one line, no traceback."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


class InputError(ReplycoachError):
    """The customer's message (or a reply to check) cannot be read."""


class UsageError(ReplycoachError):
    """Options that do not fit together, or a malformed option value."""


class DataError(ReplycoachError):
    """A playbook, template, rule, answers or cue file is invalid."""


class PlaybookError(DataError):
    """A playbook is invalid or unknown."""


class AnswersError(DataError):
    """An answers file or a ``--set`` value is invalid."""


class ConfigError(DataError):
    """The config file (``replycoach config``) or a setting's value is invalid."""


class TemplateError(DataError):
    """A template fails to compile or to render."""


class RuleError(DataError):
    """A checker rule file is invalid."""


class MissingAnswersError(ReplycoachError):
    """Required answers are missing and there is no terminal to ask."""

    def __init__(self, missing: list[str], *, playbook: str) -> None:
        names = ", ".join(missing)
        # The agent's name is the one answer every draft needs: say how to give it once.
        once = '; set your name once with: replycoach config set agent "Your Name"' if "agent" in missing else ""
        super().__init__(
            f"missing required answers for playbook {playbook!r}: {names} "
            "(give them with --set KEY=VALUE or --answers FILE, "
            f"or use --placeholders for visible [[markers]]){once}",
            field=missing[0] if missing else None,
        )
        self.missing = missing


class NoTerminalError(ReplycoachError):
    """An interactive command was started without a terminal."""


class StoreError(ReplycoachError):
    """The complaint log cannot be opened, migrated or written (bad URL, server down)."""
