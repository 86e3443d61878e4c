"""The reply as the rules see it: quoted history and the signature masked, cut into
sentences and paragraphs, and a finding made from a span of it.

Quoted history and signatures in the checked reply are masked, never checked, and
line/column numbers always refer to the reply as given.
"""

from __future__ import annotations

import re
from typing import Any

from replycoach.checking.rules import LEVELS

_re = re.compile

# The same in the languages replies are drafted in: "Am … schrieb …:", "Le … a écrit :",
# "pe 20. lokakuuta 2017 klo 17.50 … kirjoitti:", "Von:", "----- Message du …"; an
# attribution carries a date, so "Som du skrev i e-posten:" in the reply itself is kept.
_QUOTE_START = _re(
    r"^\s*(?:On\b.{0,200}wrote:\s*$|-{2,}\s*(?:Original|Forwarded) Message\s*-{2,}|From:\s.+|_{5,}\s*$"
    r"|(?=.{0,200}\d).{0,200}\b(?:schrieb|a\s+écrit|escribió|kirjoitti|skrev|написал(?:\(а\)|а)?|pisze|napisał(?:\(a\)|a)?"
    r"|כתב(?:/ה|ה)?|מאת)\b.{0,200}:\s*$"
    r"|-{2,}\s*(?:Ursprüngliche\s+Nachricht|Message\s+d(?:u|\s*origine)|Mensaje\s+original|Opprinnelig\s+melding"
    r"|Alkuperäinen\s+viesti|Исходное\s+сообщение|Пересылаемое\s+сообщение)\b.*"
    r"|(?:Von|De|Fra|Lähettäjä|От|מאת)\s?:\s.+)",
    re.IGNORECASE,
)
_SIGNATURE = _re(
    r"^(?:--\s?|Sent from my \w.*|Sent from (?:Mail|Outlook).*|Get Outlook for .*"
    r"|Gesendet von .*|Von meinem \w.* gesendet|Envoyé de mon \w.*|Enviado desde mi \w.*|Sendt fra min \w.*"
    r"|Lähetetty \w.*|Отправлено (?:с|из) .*|נשלח מ.*)$",
    re.IGNORECASE,
)


def checkable(reply: str) -> str:
    """The reply with quoted lines, quoted history and the signature blanked out.

    Blanking (not deleting) keeps every offset, so findings point into the reply
    as the agent wrote it.
    """
    lines = reply.split("\n")
    out = []
    masked = False
    for line in lines:
        if not masked and (_QUOTE_START.match(line) or _SIGNATURE.match(line.rstrip())):
            masked = True
        if masked or line.lstrip().startswith(">"):
            out.append(" " * len(line))
        else:
            out.append(line)
    return "\n".join(out)


# A sentence ends at . ! ? (not inside "e.g." or a number), at a blank line, at a
# line that starts a list item, or at a line break after a greeting or sign-off.
_SENTENCE_END = _re(r"(?<=[.!?])(?<!\be\.g\.)(?<!\bi\.e\.)\s+|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)|(?<=[,:])\n")
_PARAGRAPH_END = _re(r"\n\s*\n")


def _spans(text: str, scope: str) -> list[tuple[int, int]]:
    if scope == "text":
        return [(0, len(text))]
    splitter = _PARAGRAPH_END if scope == "paragraph" else _SENTENCE_END
    spans = []
    start = 0
    for m in splitter.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _enclosing(spans: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    for start, end in spans:
        if start <= offset < end:
            return start, end
    return offset, offset


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _finding(
    rule: dict[str, Any],
    text: str,
    start: int,
    end: int,
    *,
    suggestion: str | None = None,
    replacement: str | None = None,
    detail: str = "",
) -> dict[str, Any]:
    line, column = _position(text, start)
    message = rule["message"] + (f" {detail}" if detail else "")
    return {
        "rule": rule["id"],
        "severity": rule["level"],
        "line": line,
        "column": column,
        "text": text[start:end],
        "message": message,
        "suggestion": suggestion if suggestion is not None else rule.get("suggestion", ""),
        "link": rule.get("link", ""),
        # Only substitution findings carry a replacement: it is what --fix writes.
        "replacement": replacement,
    }


_SEVERITY_ORDER = {level: i for i, level in enumerate(reversed(LEVELS))}
