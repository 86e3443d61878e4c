"""Which channel a message came by, so the reply takes its form: ``email`` (an RFC 822
message, or an email body pasted without its headers), ``chat`` (a chat-box line) or
``social`` (a post or DM: @handles, hashtags).

A pasted text is read by its shape: a letter keeps one (a salutation on its own line, a
sign-off or a signed name, paragraphs, quoted history, length), a chat line has none.
The words are data (the ``channel`` cues of ``data/listening.yaml``); measured by
benchmarks/eval_channel.py on the labelled rows.
"""

from __future__ import annotations

import re
from typing import Any

from replycoach.message import Message

# @handles (not an address's "a@b", but "ל@Brand" in Hebrew) and #hashtags (not an order
# number: "#48213", "#TB-60331", "#A19-4432").
_SOCIAL_MARKS = re.compile(r"(?:^|[\s(\"'«]|(?<=\s[ולבהמשכ]))@\w|(?:^|\s)#(?![A-Z0-9-]*\d)[^\W\d_]")
_NAME_WORD = re.compile(r"(?:[^\W\d_]\.|[^\W\d_][\w'’-]*)$")


def channel_cues(data: dict[str, Any]) -> dict[str, Any]:
    """The ``channel`` cues of listening.yaml, compiled (once, with the listening's)."""

    def one(patterns: list[str], flags: int = 0) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | flags)

    return {
        "social": one(data["social"], re.MULTILINE),
        "salutation": one(data["salutation"]),
        # The greeting alone on its line, with a name or "team" after it at most.
        "greeting": re.compile(
            f"(?:{'|'.join(data['greeting'])})(?:\\s+[\\w'-]+){{0,2}}\\s*[,:;.!]+[\\W_]*$", re.IGNORECASE
        ),
        "signoff": one(data["signoff"]),
        "device": one(data["device"]),
        "max_chars": data["max_chars"],
        "max_lines": data["max_lines"],
    }


def read_channel(message: Message, body: str, cues: dict[str, Any]) -> str:
    """``email`` for an RFC 822 message and for a pasted one that keeps a letter's shape;
    ``social`` for @handles, hashtags or a DM; ``chat`` for a short line with none of it.
    When unsure, ``email``: a long reply to a chat line costs less than a curt one to a letter."""
    if message.is_email:
        return "email"
    text = (message.full_text or body).strip()
    if _SOCIAL_MARKS.search(text) or cues["social"].search(text):
        return "social"
    return "email" if _letter_shaped(text, message, cues) else "chat"


def _letter_shaped(text: str, message: Message, cues: dict[str, Any]) -> bool:
    """A pasted email body: quoted history or a signature block, paragraphs, a salutation,
    a greeting alone on the first line, a sign-off or a signed name under the text, or more
    text than a chat box holds."""
    if message.quoted.strip() or message.signature.strip() or re.search(r"\n[ \t]*\n", text):
        return True
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()] or [""]
    if len(text) > cues["max_chars"] or len(lines) > cues["max_lines"]:
        return True
    if cues["salutation"].match(lines[0]) or (len(lines) > 1 and cues["greeting"].match(lines[0])):
        return True
    if any(_signs_off(line, cues) for line in lines[1:][-3:]):
        return True
    # "... Could you check? Kind regards, Jo Marsh" on one line: a sign-off with a name.
    last = re.split(r"(?<=[.!?])\s+", lines[-1])
    m = cues["signoff"].match(last[-1]) if len(last) > 1 else None
    return bool(m) and _is_name(last[-1][m.end() :].strip(" ,.!"))  # type: ignore[union-attr]


def _signs_off(line: str, cues: dict[str, Any]) -> bool:
    """A line under the text that closes a letter: "Thanks, Gwen", "Mvh", "Sent from my
    iPhone", or a name alone ("Kari Haugen", "K. Adeyemi", "שירה אברהם")."""
    if cues["device"].match(line):
        return True
    m = cues["signoff"].match(line)
    if m:
        return len(line[m.end() :].split()) <= 3
    return _is_name(line)


def _is_name(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 3
        and not re.search(r"[\d?!:;@/]", text)
        and all(_NAME_WORD.match(w) and not w[:1].islower() and not (len(w) > 2 and w.isupper()) for w in words)
    )
