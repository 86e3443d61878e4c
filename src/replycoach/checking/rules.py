"""The rules as data: rule files loaded and validated, the rule schema, the shared patterns.

The reply checker applies rules as data (one YAML file per rule), applied to any reply.

Rule kinds:
- ``existence``: a phrase or pattern that should not be there. ``requires`` limits it
  to spans that also contain another pattern (vague timing only matters in a
  commitment); ``unless`` lets another pattern excuse it ("I don't know" + "I'll find
  out"), looked for in ``unless_scope`` (the same sentence/paragraph, the whole text,
  or only ``after`` the hit: an alternative that follows a refusal);
- ``substitution``: ``swap`` maps a bad phrase to a suggested one (``--fix`` applies it);
- ``occurrence``: too many (or too few) matches, optionally against another pattern;
- ``structural``: a named check in code, fed by the rule's patterns; several need the
  customer's message (given directly or through a draft's analysis).

Patterns are phrases (whole words, flexible spaces and apostrophes), ``re:`` regular
expressions, or ``@name`` for one of the shared patterns in ``MACROS`` (a date, a
commitment, a sincere apology), so rule files do not each re-spell "by Tuesday 3 pm".
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from replycoach.checking import wording
from replycoach.foundation.errors import RuleError

LEVELS = ("suggestion", "warning", "error")
STRUCTURAL = (
    "angry-no-apology",
    "commitment-no-date",
    "no-restatement",
    "unaddressed-ask",
    "before-apology",
    "card-number",
    "other-language",
)
SCOPES = ("sentence", "paragraph", "text")


@functools.cache
def rule_schema() -> Any:
    """The schema every rule file is validated against (built on first use: its
    pattern check would compile a regex at import, and most runs read rules from the
    data cache without validating)."""
    from replycoach.foundation.schema import Bool, Enum, Field, List, Map, MapOf, Num, OneOf, Str

    example = OneOf(
        (str, Str()),
        # ``lang``: the language the example is written in (English when absent), so the
        # examples can be counted per language (benchmarks/eval_checker_languages.py).
        (
            dict,
            Map(
                {"reply": Field(Str(), required=True), "message": Str(), "lang": Str(pattern=r"[a-z]{2,3}")},
                name="example",
            ),
        ),
    )
    return Map(
        {
            "id": Field(Str(pattern=r"[a-z0-9][a-z0-9-]*"), required=True),
            "kind": Field(Enum("existence", "substitution", "occurrence", "structural"), required=True),
            "level": Field(Enum(*LEVELS), required=True),
            "message": Field(Str(), required=True),
            "suggestion": Str(),
            "link": Str(),
            "description": Str(),
            "patterns": List(Str(), single=True),
            "requires": List(Str(), single=True),
            "unless": List(Str(), single=True),
            "unless_scope": Enum(*SCOPES, "after"),
            "swap": MapOf(Str()),
            "scope": Field(Enum(*SCOPES), default="sentence"),
            "case_sensitive": Field(Bool(), default=False),
            "max": Num(integer=True, min=0),
            "min": Num(integer=True, min=0),
            "against": List(Str(), single=True),
            "ratio": Num(min=0),
            "check": Enum(*STRUCTURAL),
            "examples": Map({"bad": List(example), "good": List(example)}),
        },
        name="rule",
    )


# --- shared patterns (``@name`` in a rule file) -----------------------------------

_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_NUMBER = r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|ten|twelve|twenty-four|48|72)"
MACROS: dict[str, str] = {
    # A concrete time: a weekday, a calendar date, a clock time, today/tomorrow, or a
    # bounded interval ("within 2 business days", "in 48 hours", "end of day").
    "date": (
        rf"\b{_DAY}\b|\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b"
        r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?\b"
        r"|\b\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|\bnoon\b|\bmidday\b|\bmidnight\b"
        r"|\btoday\b|\btomorrow\b|\btonight\b|\bthis (?:morning|afternoon|evening|week)\b"
        r"|\b(?:end|close) of (?:the |this |next )?(?:day|business|week|month)\b|\bEOD\b|\bCOB\b"
        rf"|\b(?:within|in|under) (?:the next )?{_NUMBER} (?:business |working )?(?:minutes?|hours?|days?|weeks?)\b"
        r"|\bwithin the hour\b|\b(?:the\s+)?same\s+day\b|\b(?:the\s+)?next\s+(?:business\s+|working\s+)?day\b|\bnext-day\b"
        "|" + wording.DATE
    ),
    # A promise by the writer or the company: "I will", "we'll", "you will receive",
    # "your refund will be processed".
    "commitment": (
        r"\b(?:I|we)(?:\s+will|\s*['’]ll|\s+shall|\s+am going to|\s*['’]m going to|\s+are going to|\s*['’]re going to)"
        r"(?!\s+(?:be\s+(?:happy|glad|pleased|delighted)|need|have to))\b"
        r"|\b(?:you|you['’]ll)(?:\s+will)?\s+(?:receive|get|hear|see)\b(?=[^.!?]*\b(?:from|back|refund|reply|update|email|answer|replacement|confirmation|tracking|credit))"
        r"|\b(?:it|this|that|(?:an?|the|your)\s+(?:[\w-]+\s+){0,2}[\w-]+)\s+(?:will|should)\s+be\s+(?:sent|shipped|dispatched|processed|refunded|"
        r"resolved|fixed|credited|reviewed|looked at|handled|investigated|updated|corrected|restored|replaced)\b"
        r"|\b(?:someone|somebody|a\s+colleague|an?\s+(?:agent|specialist|engineer|technician|manager|supervisor)"
        r"|our\s+(?:\w+\s+)?team|the\s+(?:\w+\s+)?team)(?:\s+(?:from|in|at)\s+(?:our|the)\s+(?:\w+\s+)?(?:team|department))?"
        r"\s+(?:will|['’]ll|is\s+going\s+to)\b"
        r"|\bwe(?:['’]ll| will)\s+be\s+in\s+touch\b|\bget back to you\b"
        "|" + wording.COMMITMENT
    ),
    # An apology for what happened (non-apologies are excluded in code, see _sincere).
    # The languages replies are drafted in (locales/) apologise in their own words: an
    # angry Finnish customer answered "Olen pahoillani" has had an apology.
    "apology": (
        r"\b(?:sorry|apologi[sz]e[sd]?|apologi[sz]ing|apolog(?:y|ies)"
        r"|tut (?:mir|uns) (?:sehr |wirklich |aufrichtig )?leid|entschuldig\w*|bedaure\w*"
        r"|pahoillani|pahoittel\w*|anteeksi"
        r"|beklager|unnskyld\w*"
        r"|извин\w*|прощени\w*|сожалею|сожалеем|простите|(?:мне|нам) (?:очень |искренне )?жаль"
        r"|צר לי|סליחה|מתנצל\w*|מצטער\w*"
        r"|désolée?s?|(?:nous nous|je m.)excus\w*|excusez-(?:moi|nous)|(?:mes|nos) (?:sincères )?excuses|je regrette|nous regrettons"
        r"|lo siento|lo sentimos|(?:siento|sentimos) (?:mucho |muchísimo |de veras |sinceramente )?(?:que|el|la|los|las|haber)"
        r"|disculp\w*|perdón|lamentamos|lamento)\b"
    ),
}
_MACRO = re.compile(r"@([a-z][a-z-]*)")


def _pattern(cue: str) -> str:
    if cue.startswith("@") and cue[1:] in MACROS:
        return MACROS[cue[1:]]
    from replycoach.reading.cues import cue_regex

    return cue_regex(cue)


def _regex(patterns: Sequence[str], case_sensitive: bool = False, wrap: bool = True) -> re.Pattern[str]:
    """One regex for a pattern list (any of them); a swap pattern (``wrap=False``) is
    compiled on its own, exactly as written."""
    return _compiled(tuple(patterns), case_sensitive, wrap)


@functools.cache  # keyed by the pattern text: rules with the same patterns share one regex
def _compiled(patterns: tuple[str, ...], case_sensitive: bool, wrap: bool) -> re.Pattern[str]:
    source = "|".join(f"(?:{_pattern(p)})" for p in patterns) if wrap else _pattern(patterns[0])
    return re.compile(source, 0 if case_sensitive else re.IGNORECASE)


# --- loading ---------------------------------------------------------------------


def rule_dirs(extra: list[str] | tuple[str, ...] = ()) -> list[Path]:
    from replycoach.foundation.resources import builtin_dir

    dirs = [Path(d) for d in extra]
    env = os.environ.get("REPLYCOACH_RULES", "")
    dirs += [Path(d) for d in env.split(os.pathsep) if d]
    for d in dirs:
        if not d.is_dir():
            raise RuleError("rules folder does not exist", file=str(d))
    return [*dirs, builtin_dir("rules")]


# The rule list load_rules last returned: the cached payload, read-only by contract,
# so the engine need not keep a copy of it to notice a change (see engine._Program).
_TRUSTED: Any = None


def load_rules(extra: list[str] | tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Every rule, team folders first (the same id in a team folder replaces the built-in)."""
    from replycoach.foundation.resources import cached

    dirs = rule_dirs(extra)
    files = [d / n for d in dirs for n in sorted(os.listdir(d)) if n.endswith((".yaml", ".yml"))]

    def build() -> list[dict[str, Any]]:
        rules: dict[str, dict[str, Any]] = {}
        for path in reversed(files):
            rule = load_rule_file(path)
            rules[rule["id"]] = rule
        return sorted(rules.values(), key=lambda r: r["id"])

    rules: list[dict[str, Any]] = cached("rules", files, build)
    global _TRUSTED
    _TRUSTED = rules
    return rules


def trusted(rules: list[dict[str, Any]]) -> bool:
    """Whether ``rules`` is the cached payload load_rules last returned."""
    return rules is _TRUSTED


_NEEDS = {"existence": "patterns", "substitution": "swap", "occurrence": "patterns", "structural": "check"}


def load_rule_file(path: Path) -> dict[str, Any]:
    from replycoach.foundation.yamlio import load_yaml_file

    return validate_rule(load_yaml_file(path), file=str(path))


def validate_rule(tree: Any, *, file: str) -> dict[str, Any]:
    """A rule from its YAML tree; every problem names the file, line and field."""
    from replycoach.foundation.schema import line_of, validate

    rule: dict[str, Any] = validate(tree, rule_schema(), file=file, error_class=RuleError)
    key = _NEEDS[rule["kind"]]
    if key not in rule:
        raise RuleError(f"a {rule['kind']} rule needs {key!r}", file=file, line=line_of(tree, "kind"), field=key)
    for field in ("patterns", "requires", "unless", "against"):
        for i, cue in enumerate(rule.get(field, [])):
            _check_pattern(cue, tree, file, field, i)
    for bad in rule.get("swap", {}):
        _check_pattern(bad, tree, file, "swap", bad)
    if rule.get("check") == "before-apology" and not rule.get("patterns"):
        raise RuleError(
            "the before-apology check needs 'patterns' (the excuses)",
            file=file,
            line=line_of(tree, "check"),
            field="patterns",
        )
    return rule


def _check_pattern(cue: str, tree: Any, file: str, field: str, index: int | str) -> None:
    from replycoach.foundation.schema import line_of

    where = f"{field}[{index}]" if isinstance(index, int) else f"{field}.{index}"
    line = line_of(tree, field, index)
    if cue.startswith("@") and cue[1:] not in MACROS:
        known = ", ".join("@" + m for m in MACROS)
        raise RuleError(f"unknown shared pattern {cue!r} (known: {known})", file=file, line=line, field=where)
    try:
        regex = re.compile(_pattern(cue))
    except re.error as exc:
        raise RuleError(f"invalid pattern: {exc}", file=file, line=line, field=where) from None
    if regex.search(""):
        raise RuleError("pattern matches empty text", file=file, line=line, field=where)
