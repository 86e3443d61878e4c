"""The options several commands share, as typer annotations, and the draft formats."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Format(StrEnum):
    text = "text"
    json = "json"
    md = "md"
    eml = "eml"


class Channel(StrEnum):
    email = "email"
    chat = "chat"
    social = "social"


InputArg = Annotated[str | None, typer.Argument(help="Message file; omit or - for standard input.", show_default=False)]
PlaybookOpt = Annotated[str | None, typer.Option("--playbook", help="Force a playbook id.", show_default=False)]
TypeOpt = Annotated[
    str | None,
    typer.Option(
        "--type",
        help="Force the complainant type: meek, aggressive, high-roller, rip-off, chronic or neutral.",
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
ChannelOpt = Annotated[
    Channel | None,
    typer.Option(
        "--channel",
        help="The reply's form (default: read from the message; wins over --set channel=).",
        show_default=False,
    ),
]
NowOpt = Annotated[
    str | None,
    typer.Option("--now", help="Fix the clock (ISO date-time) for reproducible deadlines.", show_default=False),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Complaint log: SQLite file or postgresql://… URL (also REPLYCOACH_DB; default: see `replycoach paths`).",
        show_default=False,
    ),
]
DraftFormatOpt = Annotated[Format, typer.Option("--format", help="Output format.")]
DraftOutOpt = Annotated[
    Path | None, typer.Option("--out", help="Write the draft to a file instead of stdout.", show_default=False)
]
KeepMessageOpt = Annotated[
    bool, typer.Option("--keep-message", help="Store the customer's message (masked) in the log too.")
]
PlaceholdersOpt = Annotated[
    bool, typer.Option("--placeholders", help="Show missing answers as [[markers]] instead of failing.")
]
