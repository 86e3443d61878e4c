"""The reply checker: rules as data (one YAML file per rule), applied to any reply.

The names other code imports, from the modules that hold them: ``rules`` (loading and
validating rule files, the schema, the shared ``@`` patterns), ``text`` (masking,
sentences, findings), ``kinds`` (existence, substitution, occurrence, ``fix``),
``structure`` (the structural checks), ``context`` (what a check knows) and ``engine``
(``check``).
"""

from __future__ import annotations

from typing import Any

from replycoach.checking.context import _Context
from replycoach.checking.engine import (
    _MEMO_SIZE,
    _PROGRAMS,
    _SENTENCE_MEMO_SIZE,
    _blocks,
    _check_plain,
    _Program,
    _program,
    check,
)
from replycoach.checking.kinds import fix, fixable
from replycoach.checking.rules import (
    LEVELS,
    MACROS,
    SCOPES,
    STRUCTURAL,
    load_rule_file,
    load_rules,
    rule_dirs,
    rule_schema,
    validate_rule,
)
from replycoach.checking.structure import LANGUAGE_NAMES, STRUCTURAL_CHECKS
from replycoach.checking.text import _QUOTE_START, _SIGNATURE, _spans, checkable
from replycoach.checking.topics import _WHEN, _asks, _keywords

__all__ = [
    "LANGUAGE_NAMES",
    "LEVELS",
    "MACROS",
    "SCOPES",
    "STRUCTURAL",
    "STRUCTURAL_CHECKS",
    "_MEMO_SIZE",
    "_PROGRAMS",
    "_QUOTE_START",
    "_SENTENCE_MEMO_SIZE",
    "_SIGNATURE",
    "_WHEN",
    "_Context",
    "_Program",
    "_asks",
    "_blocks",
    "_check_plain",
    "_keywords",
    "_program",
    "_spans",
    "check",
    "checkable",
    "fix",
    "fixable",
    "load_rule_file",
    "load_rules",
    "rule_dirs",
    "rule_schema",
    "validate_rule",
]


def __getattr__(name: str) -> Any:
    if name == "RULE":  # the schema's old name, kept for callers
        return rule_schema()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
