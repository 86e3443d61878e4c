"""What counts as a sincere apology: "sorry" or "we apologise" for what happened, not a
non-apology ("sorry if you feel...", "sorry for any inconvenience") or a negated one."""

from __future__ import annotations

import re

from replycoach.checking.rules import _regex

_re = re.compile

_FEELING = r"(?:so\s+|very\s+|this\s+)?(?:upset|angry|frustrated|unhappy|disappointed|annoyed|dissatisfied|offended|unsatisfied|confused)"
_NOT_SINCERE_AFTER = _re(
    r"^\s*(?:,\s*but\b|(?:(?:that|to hear that|to hear)\s+)?(?:if\b|you\s+(?:feel|felt|think|thought|believe|seem|perceive)\b"
    rf"|you\s*(?:are|were|['’]re|got|get|have been|['’]ve been)\s+{_FEELING}"
    r"|(?:for|about)\s+(?:any\s+(?:inconvenience|confusion|trouble)|the\s+inconvenience)))",
    re.IGNORECASE,
)
_NOT_SINCERE_BEFORE = _re(
    r"(?:no need to|don['’]t need to|do not need to|don['’]t|do not|never|not|nothing to|shouldn['’]t|won['’]t|can['’]t|without)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


_APOLOGY = ["@apology"]


def _sincere(text: str) -> re.Match[str] | None:
    """The first apology in ``text`` that is not a non-apology or a rote formula."""
    for m in _regex(_APOLOGY).finditer(text):
        after = text[m.end() : m.end() + 60]
        before = text[max(0, m.start() - 30) : m.start()]
        if _NOT_SINCERE_AFTER.match(after) or _NOT_SINCERE_BEFORE.search(before):
            continue
        return m
    return None
