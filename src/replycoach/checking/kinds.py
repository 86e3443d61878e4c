"""The rule kinds a rule file names: existence, substitution and occurrence.

- ``existence``: a phrase or pattern that should not be there. ``requires`` limits it
  to spans that also contain another pattern; ``unless`` lets another pattern excuse
  it, looked for in ``unless_scope`` (the same sentence/paragraph, the whole text, or
  only ``after`` the hit);
- ``substitution``: ``swap`` maps a bad phrase to a suggested one (``--fix`` applies it);
- ``occurrence``: too many (or too few) matches, optionally against another pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from replycoach.checking.rules import _regex
from replycoach.checking.text import _enclosing, _finding

if TYPE_CHECKING:
    from replycoach.checking.context import _Context


def _existence(rule: dict[str, Any], ctx: _Context, spec: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """``spec`` overrides the rule's patterns, unless and unless_scope (the structural
    commitment check reuses this engine without copying the rule)."""
    spec = spec or rule
    text = ctx.text
    case = rule["case_sensitive"]
    unless = _regex(spec["unless"], case) if spec.get("unless") else None
    unless_scope = spec.get("unless_scope", rule["scope"])
    out = []
    for start, end, m in _existence_hits(rule, ctx, spec):
        if unless is not None and _excused(ctx, unless, unless_scope, rule["scope"], start, end, m.start(), m.end()):
            continue
        out.append(_finding(rule, text, start + m.start(), start + m.end()))
    return out


def _existence_hits(
    rule: dict[str, Any], ctx: _Context, spec: dict[str, Any]
) -> Iterator[tuple[int, int, re.Match[str]]]:
    """(span start, span end, match in that span) for every hit of an existence rule
    that has what it ``requires``, in text order, before any ``unless``."""
    text = ctx.text
    case = rule["case_sensitive"]
    regex = _regex(spec["patterns"], case)
    requires = _regex(rule["requires"], case) if rule.get("requires") else None
    for start, end in ctx.spans(rule["scope"]):
        chunk = text[start:end]
        hits = list(regex.finditer(chunk))
        if not hits:
            continue
        if requires is not None and requires.search(chunk) is None:
            continue
        for m in hits:
            yield start, end, m


def _excused(
    ctx: _Context,
    unless: re.Pattern[str],
    unless_scope: str,
    scope: str,
    start: int,
    end: int,
    m_start: int,
    m_end: int,
) -> bool:
    """Whether ``unless`` excuses the hit text[start + m_start:start + m_end] found in
    the span text[start:end]."""
    if unless_scope == "after":
        s, e = start + m_end, len(ctx.text)
    elif unless_scope != scope:
        s, e = _enclosing(ctx.spans(unless_scope), start + m_start)
    else:
        s, e = start, end
    return unless.search(ctx.text[s:e]) is not None


def _substitution(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    text = ctx.text
    out = []
    for bad, good in rule["swap"].items():
        for m in _regex((bad,), rule["case_sensitive"], wrap=False).finditer(text):
            new = _match_case(m.group(0), good)
            out.append(_finding(rule, text, m.start(), m.end(), suggestion=new, replacement=new))
    return out


def _match_case(original: str, replacement: str) -> str:
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _hits(patterns: list[str], case_sensitive: bool, ctx: _Context) -> list[re.Match[str]]:
    return list(_regex(patterns, case_sensitive).finditer(ctx.text))


def _occurrence(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    text = ctx.text
    hits = _hits(rule["patterns"], rule["case_sensitive"], ctx)
    count = len(hits)
    if "against" in rule:
        against = len(_hits(rule["against"], rule["case_sensitive"], ctx))
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
    """Apply the replacement of every substitution finding, from the end backwards.

    A finding whose text is no longer where it points (the reply changed) or that
    overlaps one already applied is skipped. Findings never point into quoted text
    or the signature (those are masked before checking), so quotes stay as written.
    """
    lines = reply.split("\n")
    applied: dict[int, int] = {}  # line index -> leftmost column already rewritten
    for f in sorted(findings, key=lambda f: (f["line"], f["column"]), reverse=True):
        if f.get("replacement") is None:
            continue
        i, col = f["line"] - 1, f["column"] - 1
        if i >= len(lines):
            continue
        line = lines[i]
        end = col + len(f["text"])
        if line[col:end] != f["text"] or end > applied.get(i, len(line) + 1):
            continue
        lines[i] = line[:col] + f["replacement"] + line[end:]
        applied[i] = col
    return "\n".join(lines)


def fixable(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f.get("replacement") is not None]
