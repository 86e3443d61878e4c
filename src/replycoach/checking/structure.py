"""The structural checks: a named check in code, fed by a rule's patterns; several
compare the reply with the customer's message (given directly or through a draft's
analysis): angry-no-apology, commitment-no-date, no-restatement, unaddressed-ask,
before-apology, card-number, other-language."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from replycoach.checking.context import _Context
from replycoach.checking.kinds import _existence
from replycoach.checking.rules import _regex
from replycoach.checking.text import _finding
from replycoach.checking.topics import _WHEN, _asks

_re = re.compile


def _commitment_no_date(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    spec = {
        "patterns": rule.get("patterns") or ["@commitment"],
        "unless": rule.get("unless") or ["@date"],
        "unless_scope": rule.get("unless_scope", "paragraph"),
    }
    return _existence(rule, ctx, spec)


def _angry_no_apology(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    if ctx.anger_level() in ("medium", "high") and not ctx.sincere():
        return [_finding(rule, ctx.text, 0, 0)]
    return []


def _before_apology(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    """An excuse (the rule's patterns) that comes before the first sincere apology."""
    first = ctx.sincere()
    if first is None:
        return []
    m = _regex(rule["patterns"], rule["case_sensitive"]).search(ctx.text, 0, first.start())
    return [_finding(rule, ctx.text, m.start(), m.end())] if m else []


_CARD = _re(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_NONDIGIT = _re(r"\D")


def _card_number(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    from replycoach.reading.entities import luhn

    for m in _CARD.finditer(ctx.text):
        digits = _NONDIGIT.sub("", m.group(0))
        if 13 <= len(digits) <= 19 and luhn(digits) and len(set(digits)) > 1:
            out.append(_finding(rule, ctx.text, m.start(), m.end(), replacement=None))
    return out


_DATE = ["@date"]
_DATE_WORD = _re(r"\bdate\b", re.IGNORECASE)


# The drafts' dated promise to find out, in the languages replies are written in.
_FINDING_OUT = re.compile(
    r"\b(?:i am (?:finding (?:that|those|it) out|checking (?:that|this|it)(?: for you)?)|i will find out"
    r"|ich kläre|selvitän|jeg (?:sjekker|finner ut)|je vérifie|lo estoy comprobando)\b|я (?:уточню|выясню)|אבדוק",
    re.IGNORECASE,
)


def _unaddressed_ask(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    if not ctx.message:
        return []
    reply_words = ctx.keywords()
    dated: list[bool] = []  # searched for once, and only if a "when?" asks

    def is_dated() -> bool:
        if not dated:
            dated.append(bool(_regex(_DATE).search(ctx.text) or _DATE_WORD.search(ctx.text)))
        return dated[0]

    if _FINDING_OUT.search(ctx.text) and is_dated():
        return []  # "I am finding that out, and I will answer by Tuesday": every question is met
    out = []
    for ask in _asks(ctx.sentences(), ctx.keywords_of):
        if _WHEN.search(ask) and is_dated():
            continue  # "when?" is answered by a time, whatever words it uses
        words = ctx.keywords_of(ask)
        # Two shared topic words (one for a short ask): a nudge, not a grade.
        if len(words & reply_words) < (1 if len(words) <= 2 else 2):
            short = ask if len(ask) <= 80 else ask[:77] + "…"
            out.append(_finding(rule, ctx.text, 0, 0, detail=f"(“{short}”)"))
    return out if not out or ctx.same_language() else []  # across languages: other-language


def _restating_is_due(ctx: _Context) -> bool:
    """A reply owes a restatement to a complaint only; a draft that left the agent a
    [[restate the problem]] marker is already flagged by unfilled-marker."""
    analysis = ctx.analysis or {}
    if (analysis.get("mode") or "complaint") != "complaint" or "[[restate" in ctx.text:
        return False
    # A draft checked with its own reading: the restatement it made is in the reply.
    found = analysis.get("problem")
    problem: dict[str, Any] = found if isinstance(found, dict) else {}
    made = [str(problem.get("text") or ""), str(analysis.get("restatement") or "")]
    reply = ctx.text.lower()
    return not any(len(m) > 12 and m.lower().rstrip(".") in reply for m in made)


def _no_restatement(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    if not _restating_is_due(ctx):
        return []
    complaint = ctx.complaint()
    if not complaint:
        return []
    if _unrestated([ctx.keywords_of(s) for s in complaint], ctx.keywords()) and ctx.same_language():
        return [_finding(rule, ctx.text, 0, 0)]
    return []


def _unrestated(sentences: list[set[str]] | list[frozenset[str]], reply: set[str]) -> bool:
    """Whether a reply with topic words ``reply`` fails to echo the complaint, given the
    topic words of its sentences: it must share one of them (two when they are more than
    four), unless it echoes a sentence whole ("Where is my package??": "package")."""
    words = set().union(*sentences)
    if not words:
        return False
    if len(words & reply) >= (1 if len(words) <= 4 else 2):
        return False
    return not any(len(k) == 1 and k <= reply for k in sentences)


LANGUAGE_NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "sv": "Swedish",
    "da": "Danish",
    "nb": "Norwegian",
    "fi": "Finnish",
    "pl": "Polish",
    "cs": "Czech",
    "hu": "Hungarian",
    "tr": "Turkish",
    "vi": "Vietnamese",
    "ru": "Russian",
    "uk": "Ukrainian",
    "el": "Greek",
    "he": "Hebrew",
    "ar": "Arabic",
    "th": "Thai",
    "ja": "Japanese",
    "zh": "Chinese",
    "ko": "Korean",
}


def _other_language(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    """The customer wrote in one language and the reply is in another: the analysis's
    language when there is one (``--lang`` included), else the message's own."""
    if ctx.analysis is None and not ctx.message:
        return []
    theirs, ours = ctx.languages()
    if theirs == ours:
        return []
    detail = f"(they wrote in {LANGUAGE_NAMES.get(theirs, theirs)}; the reply is in {LANGUAGE_NAMES.get(ours, ours)})"
    return [_finding(rule, ctx.text, 0, 0, detail=detail)]


STRUCTURAL_CHECKS: dict[str, Callable[[dict[str, Any], _Context], list[dict[str, Any]]]] = {
    "commitment-no-date": _commitment_no_date,
    "angry-no-apology": _angry_no_apology,
    "before-apology": _before_apology,
    "card-number": _card_number,
    "unaddressed-ask": _unaddressed_ask,
    "no-restatement": _no_restatement,
    "other-language": _other_language,
}
