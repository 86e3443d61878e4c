"""The reply checker: rules as data (one YAML file per rule), applied to any reply.

Rule kinds:
- ``existence``: a phrase or pattern that should not be there (``unless`` another
  pattern in the same sentence makes it fine, e.g. "I don't know" + "I'll find out");
- ``substitution``: ``swap`` maps a bad phrase to a suggested one (``--fix`` applies it);
- ``occurrence``: too many (or too few) matches, optionally against another pattern;
- ``structural``: a named check that may need the customer's message.

Quoted history and signatures in the checked reply are masked, never checked, and
line/column numbers always refer to the reply as given.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import RuleError
from .schema import Bool, Enum, Field, List, Map, MapOf, Num, Str

LEVELS = ("suggestion", "warning", "error")
STRUCTURAL = ("angry-no-apology", "commitment-no-date", "no-restatement", "unaddressed-ask")

RULE = Map(
    {
        "id": Field(Str(pattern=r"[a-z0-9][a-z0-9-]*"), required=True),
        "kind": Field(Enum("existence", "substitution", "occurrence", "structural"), required=True),
        "level": Field(Enum(*LEVELS), required=True),
        "message": Field(Str(), required=True),
        "suggestion": Str(),
        "link": Str(),
        "description": Str(),
        "patterns": List(Str(), single=True),
        "unless": List(Str(), single=True),
        "swap": MapOf(Str()),
        "scope": Field(Enum("sentence", "paragraph", "text"), default="sentence"),
        "case_sensitive": Field(Bool(), default=False),
        "max": Num(integer=True, min=0),
        "min": Num(integer=True, min=0),
        "against": List(Str(), single=True),
        "ratio": Num(min=0),
        "check": Enum(*STRUCTURAL),
        "examples": Map({"bad": List(Str()), "good": List(Str())}),
    },
    name="rule",
)


def rule_dirs(extra: list[str] | tuple[str, ...] = ()) -> list[Path]:
    from .resources import builtin_dir

    dirs = [Path(d) for d in extra]
    env = os.environ.get("REPLYCOACH_RULES", "")
    dirs += [Path(d) for d in env.split(os.pathsep) if d]
    for d in dirs:
        if not d.is_dir():
            raise RuleError("rules folder does not exist", file=str(d))
    return [*dirs, builtin_dir("rules")]


def load_rules(extra: list[str] | tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Every rule, team folders first (the same id in a team folder replaces the built-in)."""
    from .resources import cached

    dirs = rule_dirs(extra)
    files = [d / n for d in dirs for n in sorted(os.listdir(d)) if n.endswith((".yaml", ".yml"))]

    def build() -> list[dict[str, Any]]:
        rules: dict[str, dict[str, Any]] = {}
        for path in reversed(files):
            rule = load_rule_file(path)
            rules[rule["id"]] = rule
        return sorted(rules.values(), key=lambda r: r["id"])

    return cached("rules", files, build)


def load_rule_file(path: Path) -> dict[str, Any]:
    from .schema import line_of, validate
    from .yamlio import load_yaml_file

    tree = load_yaml_file(path)
    rule = validate(tree, RULE, file=str(path), error_class=RuleError)
    need = {"existence": "patterns", "substitution": "swap", "occurrence": "patterns", "structural": "check"}
    key = need[rule["kind"]]
    if key not in rule:
        raise RuleError(f"a {rule['kind']} rule needs {key!r}", file=str(path), line=line_of(tree, "kind"), field=key)
    for field in ("patterns", "unless", "against"):
        for i, pattern in enumerate(rule.get(field, [])):
            try:
                re.compile(_pattern(pattern))
            except re.error as exc:
                raise RuleError(
                    f"invalid pattern: {exc}", file=str(path), line=line_of(tree, field, i), field=f"{field}[{i}]"
                ) from None
    return rule


def _pattern(cue: str) -> str:
    from .analysis import cue_regex

    return cue_regex(cue)


# --- masking what is not the agent's own text ------------------------------------

_QUOTE_START = re.compile(r"^\s*(?:On\b.{0,200}wrote:\s*$|-{2,}\s*Original Message\s*-{2,}|From:\s.+)", re.IGNORECASE)


def checkable(reply: str) -> str:
    """The reply with quoted lines, quoted history and the signature blanked out."""
    lines = reply.split("\n")
    out = []
    masked = False
    for line in lines:
        if not masked and (_QUOTE_START.match(line) or line.rstrip() == "--"):
            masked = True
        if masked or line.lstrip().startswith(">"):
            out.append(" " * len(line))
        else:
            out.append(line)
    return "\n".join(out)


# --- the engine ------------------------------------------------------------------

_COMPILED: dict[tuple[str, ...], re.Pattern[str]] = {}


def _combined(patterns: list[str], case_sensitive: bool) -> re.Pattern[str]:
    key = (str(case_sensitive), *patterns)
    found = _COMPILED.get(key)
    if found is None:
        flags = 0 if case_sensitive else re.IGNORECASE
        found = _COMPILED[key] = re.compile("|".join(f"(?:{_pattern(p)})" for p in patterns), flags)
    return found


def _spans(text: str, scope: str) -> list[tuple[int, int]]:
    if scope == "text":
        return [(0, len(text))]
    splitter = r"\n\s*\n" if scope == "paragraph" else r"(?<=[.!?])\s+|\n\s*\n|\n(?=\s*[-*•]\s)"
    spans = []
    start = 0
    for m in re.finditer(splitter, text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _finding(rule: dict[str, Any], text: str, start: int, end: int, suggestion: str | None = None) -> dict[str, Any]:
    line, column = _position(text, start)
    return {
        "rule": rule["id"],
        "severity": rule["level"],
        "line": line,
        "column": column,
        "text": text[start:end],
        "message": rule["message"],
        "suggestion": suggestion if suggestion is not None else rule.get("suggestion", ""),
        "link": rule.get("link", ""),
    }


def check(
    reply: str,
    *,
    message: str | None = None,
    analysis: dict[str, Any] | None = None,
    rules: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Findings for ``reply``, sorted by position. ``message`` enables the structural checks."""
    rules = load_rules() if rules is None else rules
    text = checkable(reply.replace("\r\n", "\n"))
    findings: list[dict[str, Any]] = []
    for rule in rules:
        kind = rule["kind"]
        if kind == "existence":
            findings += _existence(rule, text)
        elif kind == "substitution":
            findings += _substitution(rule, text)
        elif kind == "occurrence":
            findings += _occurrence(rule, text)
        else:
            fn = STRUCTURAL_CHECKS.get(rule["check"])
            if fn is not None:
                findings += fn(rule, text, message, analysis)
    order = {level: i for i, level in enumerate(reversed(LEVELS))}
    findings.sort(key=lambda f: (f["line"], f["column"], order[f["severity"]], f["rule"]))
    return findings


def _existence(rule: dict[str, Any], text: str) -> list[dict[str, Any]]:
    regex = _combined(rule["patterns"], rule["case_sensitive"])
    unless = _combined(rule["unless"], rule["case_sensitive"]) if rule.get("unless") else None
    out = []
    for start, end in _spans(text, rule["scope"]):
        chunk = text[start:end]
        hits = list(regex.finditer(chunk))
        if not hits or (unless is not None and unless.search(chunk)):
            continue
        for m in hits:
            out.append(_finding(rule, text, start + m.start(), start + m.end()))
    return out


def _substitution(rule: dict[str, Any], text: str) -> list[dict[str, Any]]:
    out = []
    flags = 0 if rule["case_sensitive"] else re.IGNORECASE
    for bad, good in rule["swap"].items():
        for m in re.finditer(_pattern(bad), text, flags):
            out.append(_finding(rule, text, m.start(), m.end(), suggestion=_match_case(m.group(0), good)))
    return out


def _match_case(original: str, replacement: str) -> str:
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _occurrence(rule: dict[str, Any], text: str) -> list[dict[str, Any]]:
    regex = _combined(rule["patterns"], rule["case_sensitive"])
    hits = list(regex.finditer(text))
    count = len(hits)
    if "against" in rule:
        against = len(_combined(rule["against"], rule["case_sensitive"]).findall(text))
        ratio = rule.get("ratio", 1.0)
        if count > rule.get("max", 0) and count > ratio * against and hits:
            return [_finding(rule, text, hits[0].start(), hits[0].end())]
        return []
    if "max" in rule and count > rule["max"]:
        m = hits[rule["max"]]
        return [_finding(rule, text, m.start(), m.end())]
    if "min" in rule and count < rule["min"]:
        return [_finding(rule, text, 0, 0)]
    return []


def fix(reply: str, findings: list[dict[str, Any]]) -> str:
    """Apply every substitution suggestion (outside quotes), from the end backwards."""
    lines = reply.split("\n")
    for f in sorted(findings, key=lambda f: (f["line"], f["column"]), reverse=True):
        if not f.get("suggestion") or f.get("kind", "substitution") != "substitution":
            continue
        i, col = f["line"] - 1, f["column"] - 1
        line = lines[i]
        if line[col : col + len(f["text"])] == f["text"]:
            lines[i] = line[:col] + f["suggestion"] + line[col + len(f["text"]) :]
    return "\n".join(lines)


# --- structural checks -----------------------------------------------------------

_DATE_WORDS = re.compile(
    r"\b(?:by|before|on|until|no later than)\s+(?:\w+day\b|\d|tomorrow|tonight|today|the end of|noon|\w+ \d)"
    r"|\b(?:today|tomorrow|tonight|within \d+|in \d+ (?:hours?|minutes?|days?))\b|\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b",
    re.IGNORECASE,
)
_COMMITMENT = re.compile(r"\b(?:I|we)\s*(?:will|'ll|’ll|am going to|are going to|shall)\b", re.IGNORECASE)
_APOLOGY = re.compile(
    r"\b(?:I(?:'m| am)\s+(?:so\s+|very\s+|truly\s+|really\s+)?sorry|I apologi[sz]e|my apologies|please accept my apolog|I(?:'m| am) so sorry)\b",
    re.IGNORECASE,
)


def _commitment_no_date(
    rule: dict[str, Any], text: str, message: str | None, analysis: dict[str, Any] | None
) -> list[dict[str, Any]]:
    out = []
    for start, end in _spans(text, "sentence"):
        chunk = text[start:end]
        m = _COMMITMENT.search(chunk)
        if m and not _DATE_WORDS.search(chunk):
            out.append(_finding(rule, text, start + m.start(), start + m.end()))
    return out


def _angry_no_apology(
    rule: dict[str, Any], text: str, message: str | None, analysis: dict[str, Any] | None
) -> list[dict[str, Any]]:
    level = (analysis or {}).get("anger", {}).get("level")
    if level is None and message is not None:
        from .analysis import anger, signals

        level = anger(message, signals())["level"]
    if level in ("medium", "high") and not _APOLOGY.search(text):
        return [_finding(rule, text, 0, 0)]
    return []


STRUCTURAL_CHECKS: dict[str, Callable[..., list[dict[str, Any]]]] = {
    "commitment-no-date": _commitment_no_date,
    "angry-no-apology": _angry_no_apology,
}
