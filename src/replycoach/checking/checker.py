"""The reply checker: rules as data (one YAML file per rule), applied to any reply.

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

Quoted history and signatures in the checked reply are masked, never checked, and
line/column numbers always refer to the reply as given.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from replycoach.foundation.errors import RuleError

_re = re.compile

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
        (dict, Map({"reply": Field(Str(), required=True), "message": Str()}, name="example")),
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


def __getattr__(name: str) -> Any:
    if name == "RULE":  # the schema's old name, kept for callers
        return rule_schema()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    ),
    # An apology for what happened (non-apologies are excluded in code, see _sincere).
    "apology": r"\b(?:sorry|apologi[sz]e[sd]?|apologi[sz]ing|apolog(?:y|ies))\b",
}
_MACRO = _re(r"@([a-z][a-z-]*)")


def _pattern(cue: str) -> str:
    found = _SOURCES.get(cue)  # filled from the data cache (load_rules)
    if found is not None:
        return found
    if cue.startswith("@") and cue[1:] in MACROS:
        return MACROS[cue[1:]]
    from replycoach.reading.cues import cue_regex

    return cue_regex(cue)


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
    # What the fast paths derive from each pattern (re's parser, in Python) costs more
    # than compiling the few regexes a reply needs: kept in the cache beside the rules.
    # Keyed by this file and reading/cues.py too: a changed macro or phrase translation
    # must not reuse derived keys or regex sources.
    sources = [*files, Path(__file__), Path(__file__).parent.parent / "reading" / "cues.py"]
    derived = cached(f"rules-fast-{_DERIVE_VERSION}", sources, lambda: _derive_all(rules))
    global _LOADED, _TRUSTED
    if derived is not _LOADED:
        _LOADED = derived
        for cue, (*triple, source, branches) in derived.items():
            if cue not in _DERIVED:
                _DERIVED[cue] = tuple(None if x is None else frozenset(x) for x in triple)  # type: ignore[assignment]
            _SOURCES.setdefault(cue, source)
            if cue not in _BRANCHES:
                _BRANCHES[cue] = (
                    None
                    if branches is None
                    else [(part, None if lit is None else frozenset(lit)) for part, lit in branches]
                )
    _TRUSTED = rules  # the cached payload: read-only by contract (see _program)
    return rules


# Bump when the derivation below changes, so cached results are not reused.
_DERIVE_VERSION = 3
Derived = tuple[frozenset[str] | None, frozenset[str] | None, frozenset[str] | None]
# pattern text -> (literals, start keys, required words); see _Plan.
_DERIVED: dict[str, Derived] = {}
_LOADED: Any = None
_TRUSTED: Any = None  # the rule list load_rules last returned
# pattern text -> its regex source (_pattern), from the same cache: working it out
# for a phrase compiles two small regexes of its own in a fresh process.
_SOURCES: dict[str, str] = {}
_BRANCHES: dict[str, list[tuple[str, frozenset[str] | None]] | None] = {}  # see _cue_branches


def _derived(cue: str) -> Derived:
    found = _DERIVED.get(cue)
    if found is None:
        found = _DERIVED[cue] = (_cue_literals(cue), _cue_start_keys(cue), _cue_words(cue))
    return found


def _derive_all(rules: list[dict[str, Any]]) -> dict[str, list[list[str] | None]]:
    cues = {f"@{name}" for name in MACROS}
    for rule in rules:
        for field in ("patterns", "requires", "unless", "against", "swap"):
            cues.update(rule.get(field, ()))
    out = {}
    for cue in sorted(cues):
        branches = _cue_branches(cue)
        stored = None if branches is None else [[part, None if lit is None else sorted(lit)] for part, lit in branches]
        out[cue] = [*(None if x is None else sorted(x) for x in _derived(cue)), _pattern(cue), stored]
    return out


def _cue_branches(cue: str) -> list[tuple[str, frozenset[str] | None]] | None:
    """The top-level alternatives of a cue's regex, each with its literals (see
    ``_Plan.exists``); None when it cannot be split. Read from the rule cache: the
    literals come from re's parser, in Python, ~0.1 ms a pattern in a fresh process."""
    if cue in _BRANCHES:
        return _BRANCHES[cue]
    parts = _branches(_pattern(cue))
    found = None if parts is None else [(part, _regex_literals(part)) for part in parts]
    _BRANCHES[cue] = found
    return found


_NEEDS = {"existence": "patterns", "substitution": "swap", "occurrence": "patterns", "structural": "check"}


def load_rule_file(path: Path) -> dict[str, Any]:
    from replycoach.foundation.yamlio import load_yaml_file

    return validate_rule(load_yaml_file(path), file=str(path))


def validate_rule(tree: Any, *, file: str) -> dict[str, Any]:
    """A rule from its YAML tree; every problem names the file, line and field."""
    from replycoach.foundation.schema import line_of, validate

    rule = validate(tree, rule_schema(), file=file, error_class=RuleError)
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


# --- masking what is not the agent's own text ------------------------------------

_QUOTE_START = _re(
    r"^\s*(?:On\b.{0,200}wrote:\s*$|-{2,}\s*(?:Original|Forwarded) Message\s*-{2,}|From:\s.+|_{5,}\s*$)",
    re.IGNORECASE,
)
_SIGNATURE = _re(r"^(?:--\s?|Sent from my \w.*|Sent from (?:Mail|Outlook).*|Get Outlook for .*)$", re.IGNORECASE)


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


# --- the engine ------------------------------------------------------------------

# Python's re has no literal prefilter for case-insensitive alternations: it tries
# every branch at every position, which made the checker most of a draft's cost.
# So each pattern list gets a set of literal words one of which every match must
# contain; a text (or a sentence) without any of them cannot match and is skipped
# without running the regex, and the regex is only compiled once some text passes.
#
# Soundness rests on ``_folded``: under re.IGNORECASE an ASCII literal matches only
# characters whose lowercase is that literal, plus three more (checked over every
# code point): İ (U+0130, whose str.lower() is two characters), ı (U+0131) and
# ſ (U+017F). Folding those first keeps offsets and makes "literal in folded text"
# a necessary condition for a match.
_FOLD = {0x130: "i", 0x131: "i", 0x17F: "s"}


def _folded(text: str) -> str:
    if not text.isascii() and ("\u0130" in text or "\u0131" in text or "\u017f" in text):
        text = text.translate(_FOLD)
    return text.lower()


class _Plan:
    """One pattern list's literal prefilter and (lazily) its combined regex.

    Built from the pattern text only, so it is shared by every rule (and every
    rule list) that uses the same patterns; the rule dicts themselves stay
    read-only (they may be the process-wide cached payload).
    """

    __slots__ = (
        "_active",
        "_always",
        "_branches",
        "_by_word",
        "_regex",
        "flags",
        "keys",
        "literals",
        "patterns",
        "rest",
        "wrap",
    )

    def __init__(self, patterns: tuple[str, ...], case_sensitive: bool, wrap: bool) -> None:
        self.patterns = patterns
        self.flags = 0 if case_sensitive else re.IGNORECASE
        self.wrap = wrap
        self._regex: re.Pattern[str] | None = None
        self._branches: list[tuple[frozenset[str] | None, re.Pattern[str]]] | None = None
        # None: no literal is certain, always run the regex.
        self.literals = _any_literals(patterns)
        # Where matches can start (see _start_keys): the word-start keys of the
        # patterns that have them, and a plan for the rest (None: every pattern has keys).
        # (A swap pattern is not wrapped, but its matches are the same: so are its keys.)
        keyed = {p: _derived(p)[1] for p in patterns}
        self.keys = frozenset().union(*(k for k in keyed.values() if k is not None))
        rest = tuple(p for p in patterns if keyed.get(p) is None)
        self.rest = None if not rest else self if rest == patterns else _plan(rest, case_sensitive)
        # Per keyed pattern: its keys and a set of whole words one of which every
        # match contains (None: not known). A pattern none of whose words is in the
        # reply cannot match, so its keys ("you", "the") need not be tried.
        always: set[str] = set()  # keys of patterns with no such words
        self._by_word: dict[str, frozenset[str]] = {}  # word -> keys of the patterns needing it
        for p in patterns:
            if keyed.get(p) is None:
                continue
            need = _derived(p)[2]
            if need is None:
                always |= keyed[p]  # type: ignore[arg-type]
            for word in need or ():
                self._by_word[word] = self._by_word.get(word, frozenset()) | keyed[p]  # type: ignore[operator]
        self._always = frozenset(always)
        self._active: dict[frozenset[str], frozenset[str]] = {}

    def live_keys(self, words: set[str]) -> frozenset[str]:
        """The keys of the keyed patterns that can match a text with these words."""
        hit = frozenset(self._by_word.keys() & words)
        found = self._active.get(hit)
        if found is None:
            found = self._always.union(*(self._by_word[w] for w in hit))
            if len(self._active) < 256:  # a few combinations recur; never grow without bound
                self._active[hit] = found
        return found

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            # A swap pattern is compiled on its own, exactly as written.
            wrapped = "|".join(f"(?:{_pattern(p)})" for p in self.patterns)
            source = wrapped if self.wrap else _pattern(self.patterns[0])
            from re import compile as compile_cached

            self._regex = compile_cached(source, self.flags)
        return self._regex

    def exists(self, text: str, folded: str) -> bool:
        """``bool(self.regex.search(text))``, ``folded`` being _folded(text).

        The combined regex of a list like @date (22 alternatives, each opening with
        \\b under IGNORECASE) makes re try every alternative at every position: ~100 µs
        over one sentence without a date. A match of an alternation is a match of one
        of its alternatives, so the question is asked of each top-level alternative on
        its own, those none of whose literals is in the text skipped."""
        if not self.possible(folded):
            return False
        branches = self._branches
        if branches is None:
            branches = self._branches = self._split()
        if not branches:
            return self.regex.search(text) is not None
        contains = folded.__contains__
        for literals, regex in branches:
            if (literals is None or any(map(contains, literals))) and regex.search(text) is not None:
                return True
        return False

    def _split(self) -> list[tuple[frozenset[str] | None, re.Pattern[str]]]:
        """Each top-level alternative of every pattern with its literals (see _branches);
        empty when some pattern cannot be split (then the whole regex is searched)."""
        from re import compile as compile_cached

        out = []
        for cue in self.patterns:
            parts = _cue_branches(cue)
            if parts is None:
                return []
            for part, literals in parts:
                try:
                    out.append((literals, compile_cached(part, self.flags)))
                except re.error:
                    return []
        return out if len(out) > 1 else []  # one alternative: the regex itself

    def possible(self, folded: str) -> bool:
        """False only when no match can exist in the text whose _folded() form is given."""
        return self.literals is None or any(map(folded.__contains__, self.literals))

    def present(self, folded: str) -> list[str] | None:
        """The literals that occur in ``folded`` (None: no prefilter); the sentences
        of that text need only be tested for these."""
        if self.literals is None:
            return None
        return [w for w in self.literals if w in folded]


_SPLITTERS = _re(r"\\[1-9gk]|\(\?(?:P=|\(|#|[aiLmsux-]+\))")


def _branches(source: str) -> list[str] | None:
    """The top-level alternatives of a regular expression's source (None: not split).

    Each alternative matches on its own exactly as it does inside the alternation,
    unless it refers to another part of the pattern or the pattern sets flags for
    the whole of itself: backreferences (\\1, \\g<…>, \\k<…>, (?P=…)), conditionals
    ((?(…)…)) and global flags ((?i)) leave the source whole, as do comments ((?#…),
    whose parentheses and bars are not the pattern's)."""
    if _SPLITTERS.search(source):
        return None
    out = []
    depth = start = 0
    in_class = False
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            if source[i + 1 : i + 2] == "^":
                i += 1
            if source[i + 1 : i + 2] == "]":  # a "]" first in a class is a literal
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(source[start:i])
            start = i + 1
        i += 1
    out.append(source[start:])
    if depth != 0 or in_class:
        return None  # not what it seemed: leave it to re
    return out


_PLANS: dict[tuple[str, ...], _Plan] = {}


# The same rule lists are asked about for every reply: remembered by identity, and
# still compared by value (a copy), so a list changed in place is not mistaken.
_BY_LIST: dict[tuple[int, bool, bool], tuple[Any, Any, _Plan]] = {}


def _plan(patterns: list[str] | tuple[str, ...], case_sensitive: bool = False, wrap: bool = True) -> _Plan:
    known = _BY_LIST.get((id(patterns), case_sensitive, wrap))
    if known is not None and known[0] is patterns and known[1] == patterns:
        return known[2]
    # Keyed by the pattern text itself: two rules (or a team's override) with the
    # same patterns share one compiled regex, and a changed pattern is a new key.
    key = (str(case_sensitive), str(wrap), *patterns)
    found = _PLANS.get(key)
    if found is None:
        found = _PLANS[key] = _Plan(tuple(patterns), case_sensitive, wrap)
    if len(_BY_LIST) >= 1024:  # lists made per call (a structural check's defaults)
        _BY_LIST.clear()
    _BY_LIST[(id(patterns), case_sensitive, wrap)] = (patterns, type(patterns)(patterns), found)
    return found


def _any_literals(patterns: tuple[str, ...]) -> frozenset[str] | None:
    out: set[str] = set()
    for cue in patterns:
        words = _derived(cue)[0]
        if words is None:
            return None
        out |= words
    return frozenset(out)


_ASCII_RUN = _re(r"[\x20-\x7e]+")


def _cue_literals(cue: str) -> frozenset[str] | None:
    """Lowercase strings one of which every match of ``cue`` contains (None: unknown)."""
    if cue.startswith("@") and cue[1:] in MACROS:
        return _regex_literals(MACROS[cue[1:]])
    if cue.startswith("re:"):
        return _regex_literals(cue[3:])
    # A phrase: every word is literal except that an apostrophe may be missing or
    # curly (cue_regex), so the longest ASCII piece between apostrophes is required.
    pieces = [run for word in cue.split() for part in word.split("'") for run in _ASCII_RUN.findall(part)]
    best = max(pieces, key=len, default="")
    return frozenset({best.lower()}) if best else None


def _regex_literals(regex: str) -> frozenset[str] | None:
    """The same for a regular expression, read from re's own parse tree.

    A private API (like analysis.cue_keys): any surprise means "no prefilter",
    which is always correct, only slower.
    """
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        return _seq_literals(_parser.parse(regex, re.IGNORECASE), c)
    except Exception:
        return None


def _ascii_char(code: int) -> str | None:
    return chr(code).lower() if 0x20 <= code <= 0x7E else None


def _seq_literals(items: Any, c: Any) -> frozenset[str] | None:
    """A required literal set for a sequence: the best of its parts' sets.

    Runs of literal characters are required as they stand; a group, a repeat
    with min >= 1 and an alternation whose every branch has a set contribute
    theirs. Anything else (classes, lookarounds, anchors) just ends a run.
    """
    candidates: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        ch = _ascii_char(av) if op is c.LITERAL else None
        if ch is not None:
            run += ch
            continue
        if run:
            candidates.append(frozenset({run}))
            run = ""
        found: frozenset[str] | None = None
        if op is c.SUBPATTERN:
            found = _seq_literals(av[3], c)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            found = _seq_literals(av[2], c)
        elif op is c.BRANCH:
            parts = [_seq_literals(branch, c) for branch in av[1]]
            if all(p is not None for p in parts):
                found = frozenset().union(*parts)  # type: ignore[arg-type]
        elif op is c.IN:
            chars = [_ascii_char(a) if o is c.LITERAL else None for o, a in av]
            if chars and all(chars):
                found = frozenset(chars)  # type: ignore[arg-type]
        if found:
            candidates.append(found)
    if run:
        candidates.append(frozenset({run}))
    if not candidates:
        return None
    # The most selective: longest shortest word, then fewest words.
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)))


# --- where a match can start ------------------------------------------------------
#
# Most patterns start at a word boundary with a known word ("\\b(?:I|we)\\s+will…"), so
# a match can only start where a word of the reply starts with one of a few three-letter
# keys ("i$" is the whole word "i", "wil" a longer word). Each reply's word starts are
# indexed once (_Context.starts); a rule then tries its regex with ``match`` at those
# few positions only, instead of scanning every position of every sentence, and a
# rule none of whose keys occurs costs one set intersection.
#
# Sound because: the key walk over-approximates every path of re's parse tree; an
# ASCII word character under IGNORECASE only matches characters that fold (see
# _folded) to it, all of them word characters; a non-word ASCII character only
# matches itself; and a path is keyed only if a boundary (\\b, ^, \\A) comes before a
# first consumed character that is a word character, i.e. a \\w+ token start.

_TOKEN = _re(r"\w+")
_TOKEN_SPLIT = _re(r"(\w+)")


class _NoKeys(Exception):
    """A path of the pattern that the key walk cannot bound."""


def _cue_start_keys(cue: str) -> frozenset[str] | None:
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(f"(?:{_pattern(cue)})", re.IGNORECASE)
        keys: set[str] = set()
        _walk_keys(list(tree), "", False, keys, c, [0])
        return frozenset(keys) if keys else None
    except (_NoKeys, re.error, RecursionError):
        return None
    except Exception:  # a private API (like analysis.cue_keys): no keys is always correct
        return None


def _cue_words(cue: str) -> frozenset[str] | None:
    """Whole words (folded) one of which every match of ``cue`` contains as a word of
    the reply, the rarest-looking choice; None when no such set is known."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(f"(?:{_pattern(cue)})", re.IGNORECASE)
        return _best_words(_seq_words(list(tree), c, False, False))
    except Exception:  # a private API, as in _cue_start_keys: no words is always correct
        return None


def _best_words(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    if not candidates:
        return None
    # Stop words ("you", "the") are in every reply; then longer words are rarer.
    return max(candidates, key=lambda ws: (not (ws & _STOP), min(map(len, ws)), -len(ws)))


def _seq_words(items: list[Any], c: Any, left: bool, right: bool) -> list[frozenset[str]]:
    """Candidate word sets in a sequence: a stretch of word characters (literals, or
    groups and alternations of them) with a word boundary on both sides, i.e. \\b or a
    character that is never a word character. Groups are looked into as well."""
    out: list[frozenset[str]] = []
    i = 0
    while i < len(items):
        j = i
        words: set[str] | None = {""}
        while j < len(items):
            more = _wordy(items[j], c)
            if more is None:
                break
            words = {w + m for w in words for m in more} if len(words) * len(more) <= 64 else None
            if words is None:
                break
            j += 1
        edges = _edge(items, i - 1, c, left, right), _edge(items, j, c, left, right)
        if words is not None and j > i and all(edges) and "" not in words:
            out.append(frozenset(words))
        op, av = items[i]
        around = _edge(items, i - 1, c, left, right), _edge(items, i + 1, c, left, right)
        if op is c.SUBPATTERN:
            out += _seq_words(list(av[3]), c, *around)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            out += _seq_words(list(av[2]), c, False, False)
        elif op is c.BRANCH:
            # Every alternative must bring its own word set; the union is required.
            parts = [_best_words(_seq_words(list(alt), c, *around)) for alt in av[1]]
            if all(parts):
                out.append(frozenset().union(*parts))  # type: ignore[arg-type]
        i = max(j, i + 1)
    return out


def _wordy(item: tuple[Any, Any], c: Any) -> set[str] | None:
    """The strings an item can consume when they are all word characters."""
    op, av = item
    if op is c.LITERAL:
        ch = chr(av).lower() if av < 0x80 else ""
        return {ch} if ch and ch in _WORD_CHARS else None
    if op is c.SUBPATTERN:
        return _wordy_seq(list(av[3]), c)
    if op is c.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            more = _wordy_seq(list(alt), c)
            if more is None:
                return None
            out |= more
        return out if len(out) <= 64 else None
    return None


def _wordy_seq(items: list[Any], c: Any) -> set[str] | None:
    words = {""}
    for item in items:
        more = _wordy(item, c)
        if more is None or len(words) * len(more) > 64:
            return None
        words = {w + m for w in words for m in more}
    return words


def _edge(items: list[Any], i: int, c: Any, left: bool = False, right: bool = False) -> bool:
    """Whether item ``i`` is a word boundary: \\b, or one character (at least) that is
    never a word character. Before the first item and after the last, ``left`` and
    ``right`` say what surrounds the sequence."""
    if i < 0:
        return left
    if i >= len(items):
        return right
    op, av = items[i]
    if op is c.AT:
        return str(av) == "AT_BOUNDARY"
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        return bool(av[0] >= 1 and len(av[2]) == 1 and _edge(list(av[2]), 0, c))
    if op is c.LITERAL or op is c.IN:
        try:
            chars = _key_chars(op, av, c)
        except _NoKeys:
            return False
        return bool(chars) and not (chars & _WORD_CHARS)
    return False


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_BOUNDARIES = ("AT_BOUNDARY", "AT_BEGINNING", "AT_BEGINNING_LINE", "AT_BEGINNING_STRING")
_ENDS = ("AT_BOUNDARY", "AT_END", "AT_END_LINE", "AT_END_STRING")


def _walk_keys(items: list[Any], prefix: str, bounded: bool, keys: set[str], c: Any, budget: list[int]) -> None:
    """Add to ``keys`` every key a match following ``items`` (after ``prefix``) can have."""
    budget[0] += 1
    if budget[0] > 5000:
        raise _NoKeys  # too many paths to be worth it
    while True:
        if len(prefix) == 3:
            keys.add(prefix)
            return
        if not items:
            raise _NoKeys  # the match may end inside a longer word (or be empty)
        op, av = items[0]
        rest = items[1:]
        if op is c.AT:
            if prefix and str(av) in _ENDS:
                keys.add(prefix + "$")  # \\b or $ right after word characters: the word ends
                return
            bounded = bounded or (not prefix and str(av) in _BOUNDARIES)
            items = rest
        elif op in (c.ASSERT, c.ASSERT_NOT):
            items = rest  # zero-width: skipping a condition only allows more
        elif op is c.SUBPATTERN:
            items = list(av[3]) + rest
        elif op is c.BRANCH:
            for alt in av[1]:
                _walk_keys(list(alt) + rest, prefix, bounded, keys, c, budget)
            return
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, high, body = av
            if high == 0:
                items = rest
                continue
            again = [(op, (max(low - 1, 0), high - 1 if high != c.MAXREPEAT else high, body))]
            _walk_keys(list(body) + again + rest, prefix, bounded, keys, c, budget)
            if low == 0:
                _walk_keys(rest, prefix, bounded, keys, c, budget)
            return
        elif op is c.LITERAL or op is c.IN:
            chars = _key_chars(op, av, c)
            for ch in chars:
                if ch in _WORD_CHARS:
                    if not prefix and not bounded:
                        raise _NoKeys  # may start inside a word
                    _walk_keys(rest, prefix + ch, bounded, keys, c, budget)
                elif not prefix:
                    raise _NoKeys  # starts with a non-word character
                else:
                    keys.add(prefix + "$")  # the word ends here: it is exactly prefix
            return
        else:
            raise _NoKeys


def _caseless_nonword(ch: str) -> bool:
    return not _TOKEN.match(ch) and ch.lower() == ch == ch.upper() and ch.casefold() == ch


def _key_chars(op: Any, av: Any, c: Any) -> set[str]:
    """The folded characters a LITERAL or IN can consume: ASCII word characters, or
    whitespace and ASCII punctuation (which end a word); anything else has no keys."""
    members = [(op, av)] if op is c.LITERAL else av
    out: set[str] = set()
    for iop, iav in members:
        if iop is c.LITERAL and iav < 0x80:
            out.add(chr(iav).lower())
        elif iop is c.LITERAL and _caseless_nonword(chr(iav)):
            out.add(" ")  # ’, –, —: never a word character, and only matches itself
        elif iop is c.RANGE and iav[1] < 0x80 and iav[1] - iav[0] <= 26:
            out.update(chr(x).lower() for x in range(iav[0], iav[1] + 1))
        elif iop is c.CATEGORY and iav is c.CATEGORY_SPACE:
            out.add(" ")  # whitespace is never a word character
        else:
            raise _NoKeys
    if any(ch not in _WORD_CHARS and (ch.isalnum() or (ord(ch) < 0x20 and ch not in "\t\n\r\f\v")) for ch in out):
        raise _NoKeys
    return out


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


def check(
    reply: str,
    *,
    message: str | None = None,
    analysis: dict[str, Any] | None = None,
    rules: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Findings for ``reply``, sorted by position.

    ``message`` (the customer's message body) or ``analysis`` (a draft's reading of
    it) enables the structural checks that compare the reply with the message.

    Block by block (see _Program): what a block of the reply gives is remembered, so
    the paragraphs a batch's drafts share are checked once. The same findings as
    checking the whole reply at once (_check_plain; tests compare the two).
    """
    rules = load_rules() if rules is None else rules
    return _program(rules).check(reply, message, analysis)


def _check_plain(
    reply: str,
    *,
    message: str | None = None,
    analysis: dict[str, Any] | None = None,
    rules: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """check() without the block memo: every rule over the whole reply."""
    rules = load_rules() if rules is None else rules
    text = checkable(reply.replace("\r\n", "\n"))
    context = _Context(text, message, analysis)
    findings: list[dict[str, Any]] = []
    for rule in rules:
        kind = rule["kind"]
        if kind == "existence":
            findings += _existence(rule, context)
        elif kind == "substitution":
            findings += _substitution(rule, context)
        elif kind == "occurrence":
            findings += _occurrence(rule, context)
        else:
            fn = STRUCTURAL_CHECKS[rule["check"]]
            findings += fn(rule, context)
    findings.sort(key=lambda f: (f["line"], f["column"], _SEVERITY_ORDER[f["severity"]], f["rule"]))
    return findings


_SEVERITY_ORDER = {level: i for i, level in enumerate(reversed(LEVELS))}


_KEY_FINDERS: dict[str, re.Pattern[str]] = {}


def _key_finder(key: str) -> re.Pattern[str]:
    """A word starting with ``key`` in folded ASCII text. The literal comes first so
    re searches for it quickly; the lookbehind then asks for a word start."""
    found = _KEY_FINDERS.get(key)
    if found is None:
        word = re.escape(key.rstrip("$"))
        end = r"(?!\w)" if key.endswith("$") else ""
        from re import compile as compile_cached

        found = _KEY_FINDERS[key] = compile_cached(rf"{word}(?<!\w{word}){end}")
    return found


def _starts(plan: _Plan, ctx: _Context) -> list[int] | None:
    """The positions where a match of ``plan`` can start, ascending; None when some
    pattern without keys could match (then sentences are scanned)."""
    if plan.rest is not None and plan.rest.possible(ctx.folded):
        return None
    keys = plan.keys & ctx.keys()
    if keys:
        keys &= plan.live_keys(ctx.words())
    return sorted(p for key in keys for p in ctx.positions(key))


def _matches(plan: _Plan, chunk: str, starts: list[int] | None, offset: int) -> list[re.Match[str]]:
    """``plan.regex.finditer(chunk)``, tried only at ``starts`` (text offsets) when given.

    Every match starts at one of them and is non-empty, so matching at each start
    after the previous match's end gives exactly finditer's leftmost, first-branch,
    non-overlapping matches.
    """
    if starts is None:
        return list(plan.regex.finditer(chunk))
    match = plan.regex.match
    hits = []
    pos = 0
    for p in starts:
        q = p - offset
        if q >= pos:
            m = match(chunk, q)
            if m is not None:
                hits.append(m)
                pos = m.end()
    return hits


def _existence(rule: dict[str, Any], ctx: _Context, spec: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """``spec`` overrides the rule's patterns, unless and unless_scope (the structural
    commitment check reuses this engine without copying the rule)."""
    spec = spec or rule
    text = ctx.text
    case = rule["case_sensitive"]
    unless = _plan(spec["unless"], case) if spec.get("unless") else None
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
    text, folded = ctx.text, ctx.folded
    case = rule["case_sensitive"]
    plan = _plan(spec["patterns"], case)
    if not plan.possible(folded):
        return  # none of the literals one of which every match contains
    starts = _starts(plan, ctx)
    present = plan.present(folded) if starts is None else None
    if starts == [] or present == []:
        return  # the common case: the rule cannot match anywhere in the reply
    requires = _plan(rule["requires"], case) if rule.get("requires") else None
    if requires is not None and not requires.possible(folded):
        return
    first = 0  # starts before this index lie in earlier spans
    for start, end in ctx.spans(rule["scope"]):
        here = None
        if starts is not None:
            first = bisect.bisect_left(starts, start, first)
            stop = bisect.bisect_left(starts, end, first)
            if first == stop:
                continue
            here, first = starts[first:stop], stop
        elif present is not None:
            part = folded[start:end]
            if not any(w in part for w in present):
                continue
        chunk = text[start:end]
        hits = _matches(plan, chunk, here, start)
        if not hits:
            continue
        if requires is not None and not requires.exists(chunk, folded[start:end]):
            continue
        for m in hits:
            yield start, end, m


def _excused(
    ctx: _Context, unless: _Plan, unless_scope: str, scope: str, start: int, end: int, m_start: int, m_end: int
) -> bool:
    """Whether ``unless`` excuses the hit text[start + m_start:start + m_end] found in
    the span text[start:end]."""
    if unless_scope == "after":
        s, e = start + m_end, len(ctx.text)
    elif unless_scope != scope:
        s, e = _enclosing(ctx.spans(unless_scope), start + m_start)
    else:
        s, e = start, end
    return ctx.excused(unless, s, e)


def _substitution(rule: dict[str, Any], ctx: _Context, plans: list[_Plan] | None = None) -> list[dict[str, Any]]:
    """``plans``: the swap patterns' plans, in order (a _Program keeps them)."""
    text = ctx.text
    out = []
    for n, (bad, good) in enumerate(rule["swap"].items()):
        plan = _plan((bad,), rule["case_sensitive"], wrap=False) if plans is None else plans[n]
        if not plan.possible(ctx.folded):
            continue
        starts = _starts(plan, ctx)
        if starts == []:
            continue
        for m in _matches(plan, text, starts, 0):
            new = _match_case(m.group(0), good)
            out.append(_finding(rule, text, m.start(), m.end(), suggestion=new, replacement=new))
    return out


def _match_case(original: str, replacement: str) -> str:
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _hits(patterns: list[str], case_sensitive: bool, ctx: _Context) -> list[re.Match[str]]:
    plan = _plan(patterns, case_sensitive)
    starts = _starts(plan, ctx)
    if starts == [] or (starts is None and not plan.possible(ctx.folded)):
        return []
    return _matches(plan, ctx.text, starts, 0)


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


# --- structural checks -----------------------------------------------------------


class _Context:
    """The reply (masked) and whatever is known about the customer's message."""

    def __init__(
        self,
        text: str,
        message: str | None,
        analysis: dict[str, Any] | None,
        folded: str | None = None,
        indexed: bool = False,
    ) -> None:
        self.text = text
        # What every rule's prefilter looks in (see _folded); same offsets as text.
        self.folded = _folded(text) if folded is None else folded
        self.analysis = analysis
        if message is None and analysis is not None:
            message = (analysis.get("message") or {}).get("body")
        self.message = message
        # Split, searched or counted once per reply, however many rules ask.
        self._spans: dict[str, list[tuple[int, int]]] = {}
        self._sincere: list[re.Match[str] | None] = []
        self._keywords: set[str] | None = None
        self._starts: dict[str, list[int]] | None = None
        self._words: set[str] | None = None
        self._keys: set[str] | None = None
        self._positions: dict[str, list[int]] = {}
        # (offset, word starts by key) of the blocks of an ASCII reply (check()).
        self._block_starts: list[tuple[int, dict[str, list[int]]]] | None = None
        # ASCII text folds to ASCII with the same words (the common case, and cheap
        # to index); other text takes the general word-start index.
        self.ascii = text.isascii()
        # Indexed: every word start found in one pass (starts()), for a short text
        # most rules look at (a block, see _Block) or one that is not ASCII.
        self.indexed = indexed or not self.ascii
        self._excused: dict[tuple[int, int, int], bool] = {}
        self._sentences: list[str] | None = None
        self._message_keywords: dict[str, set[str]] = {}
        self._languages: tuple[str, str] | None = None

    def languages(self) -> tuple[str, str]:
        """(the customer's language, the reply's): the analysis's (``--lang`` included)
        or the message's own, and what the reply's opening reads as."""
        if self._languages is None:
            from replycoach.reading.cuedata import signals
            from replycoach.reading.language import detect_language

            sig = signals()
            theirs = (self.analysis or {}).get("language") or detect_language(self.message or "", sig)
            # The opening says what language a reply is in, at a fraction of the cost.
            self._languages = (theirs, detect_language(self.text[:600], sig))
        return self._languages

    def same_language(self) -> bool:
        """Whether reply and message share a language: words can only be compared then
        (a restatement or an answer in English shares no words with German)."""
        theirs, ours = self.languages()
        return theirs == ours

    def keys(self) -> set[str]:
        """The word-start keys of the reply: the first three folded characters of a
        word, or the whole word and "$" for a shorter one (see _walk_keys)."""
        if self._keys is None:
            if self.indexed:
                self._keys = set(self.starts())
            else:
                self._keys = {w[:3] if len(w) >= 3 else w + "$" for w in self.words()}
        return self._keys

    def positions(self, key: str) -> list[int]:
        """Where words with this key start, ascending."""
        if self.indexed:
            return self.starts().get(key, [])
        found = self._positions.get(key)
        if found is None:
            if self._block_starts is not None:
                # The blocks' (remembered) starts, in order: no search of the reply.
                found = [offset + p for offset, starts in self._block_starts for p in starts.get(key, ())]
            else:
                # ASCII folded text has the very words of the reply: a literal search
                # per key (few keys per reply) beats indexing every word in Python.
                found = [m.start() for m in _key_finder(key).finditer(self.folded)]
            self._positions[key] = found
        return found

    def starts(self) -> dict[str, list[int]]:
        """Every word start by key (for an indexed context)."""
        if self._starts is None:
            index: dict[str, list[int]] = {}
            folded = self.folded
            if self.ascii:
                # The folded text has the reply's very words: split out with their
                # starts by calls that loop in C (gap, word, gap, …, gap; a word starts
                # where the text before it ends), not a match object per word.
                parts = _TOKEN_SPLIT.split(folded)
                words = parts[1::2]
                firsts = list(itertools.accumulate(map(len, parts)))[0::2]
            else:
                spans = [m.span() for m in _TOKEN.finditer(self.text)]
                words = [folded[a:b] for a, b in spans]
                firsts = [a for a, _ in spans]
            self._words = set(words)
            for a, word in zip(firsts, words, strict=False):  # one more first: after the last gap
                key = word[:3] if len(word) >= 3 else word + "$"
                found = index.get(key)
                if found is None:
                    index[key] = [a]
                else:
                    found.append(a)
            self._starts = index
        return self._starts

    def excused(self, unless: _Plan, start: int, end: int) -> bool:
        """Whether ``unless`` matches text[start:end]; several hits in one paragraph
        ask about the same span (a dated paragraph with three promises)."""
        key = (id(unless), start, end)  # plans live as long as the process: ids are stable
        found = self._excused.get(key)
        if found is None:
            found = self._excused[key] = unless.exists(self.text[start:end], self.folded[start:end])
        return found

    def words(self) -> set[str]:
        """The reply's words, folded (read-only)."""
        if not self.indexed:
            if self._words is None:
                self._words = set(_TOKEN.findall(self.folded))
            return self._words
        self.starts()
        assert self._words is not None
        return self._words

    def spans(self, scope: str) -> list[tuple[int, int]]:
        found = self._spans.get(scope)
        if found is None:
            found = self._spans[scope] = _spans(self.text, scope)
        return found

    def sincere(self) -> re.Match[str] | None:
        if not self._sincere:
            plan = _plan(_APOLOGY)
            self._sincere.append(_sincere(self.text, _starts(plan, self)) if plan.possible(self.folded) else None)
        return self._sincere[0]

    def keywords(self) -> set[str]:
        """The reply's topic words (read-only: shared by the structural checks)."""
        if self._keywords is None:
            self._keywords = _keywords(self.text)
        return self._keywords

    def anger_level(self) -> str | None:
        if self.analysis is not None and "anger" in self.analysis:
            return self.analysis["anger"].get("level")
        if self.message is None:
            return None
        from replycoach.reading.cuedata import signals
        from replycoach.reading.feelings import anger

        return anger(self.message, signals())["level"]

    def complaint(self) -> list[str]:
        """The sentences that say what went wrong (what a restatement should echo)."""
        if not self.message:
            # A draft's analysis without the message text: its own pick is all there is.
            return list((self.analysis or {}).get("complaint_sentences") or [])
        from replycoach.reading.cuedata import signals

        statements = self.sentences()[:3]
        angry = signals()["anger"]
        # The facts, not the venting: nobody expects "pathetic" to be repeated back.
        # (The two tests are pure: the cheap one first, and no more after two facts.)
        facts = []
        for s in statements:
            if self.keywords_of(s) and not angry.hits(s):
                facts.append(s)
                if len(facts) == 2:
                    break
        return facts or statements[:2]

    def sentences(self) -> list[str]:
        """The message's sentences (read-only), split once for every check that asks."""
        if self._sentences is None:
            self._sentences = _message_sentences(self.message or "")
        return self._sentences

    def keywords_of(self, text: str) -> set[str]:
        """_keywords of a piece of the message (read-only), worked out once per check."""
        found = self._message_keywords.get(text)
        if found is None:
            found = self._message_keywords[text] = _keywords(text)
        return found


# What the structural checks work out from a piece of the customer's message (its
# topic words, whether it vents, the ask it makes) depends on that text alone; a
# batch's messages repeat their greetings and stock sentences, so each is worked out
# once per process. Bounded: cleared when full (a batch of unrelated mail only
# refills them).
_FACTS_SIZE = 2048
_MESSAGE_KEYWORDS: dict[str, frozenset[str]] = {}
_VENTS: dict[str, bool] = {}
_VENTS_OWNER: list[Any] = [None]  # the anger cue set _VENTS was filled with


def _message_keywords(text: str) -> frozenset[str]:
    found = _MESSAGE_KEYWORDS.get(text)
    if found is None:
        if len(_MESSAGE_KEYWORDS) >= _FACTS_SIZE:
            _MESSAGE_KEYWORDS.clear()
        found = _MESSAGE_KEYWORDS[text] = frozenset(_keywords(text))
    return found


def _vents_memo() -> tuple[dict[str, bool], Any]:
    """The memo of which message sentences vent (hold an anger cue), and the anger cue
    set it is for; emptied when the cue set is another (signals reloaded)."""
    from replycoach.reading.cuedata import signals

    angry = signals()["anger"]
    if _VENTS_OWNER[0] is not angry:
        _VENTS.clear()
        _VENTS_OWNER[0] = angry
    return _VENTS, angry


def _vents(text: str, memo: dict[str, bool], angry: Any) -> bool:
    """Whether a sentence of the message holds an anger cue (``angry.hits``), remembered."""
    found = memo.get(text)
    if found is None:
        if len(memo) >= _FACTS_SIZE:
            memo.clear()
        found = memo[text] = bool(angry.hits(text))
    return found


def _message_sentences(message: str) -> list[str]:
    """analysis.sentences(message), from the sentence spans the analysis keeps for the
    last few messages it read (a draft checks the message it has just analysed), so
    the message is not split again. Equal by definition, and a test compares them;
    if the analysis no longer keeps spans, its sentences() is used."""
    from replycoach.reading import sentences as analysis

    spans = getattr(analysis, "_sentence_spans", None)
    if spans is None:
        return analysis.sentences(message)
    return [message[start:end].strip() for start, end in spans(message)]


def _commitment_no_date(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    spec = {
        "patterns": rule.get("patterns") or ["@commitment"],
        "unless": rule.get("unless") or ["@date"],
        "unless_scope": rule.get("unless_scope", "paragraph"),
    }
    return _existence(rule, ctx, spec)


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


# Plans are made on first use (making one reads the pattern with re's parser, which
# is not work for import time); these lists are the identity _plan remembers.
_APOLOGY = ["@apology"]


def _sincere(text: str, starts: list[int] | None = None) -> re.Match[str] | None:
    """The first apology in ``text`` that is not a non-apology or a rote formula
    (``starts``: where an apology can start, see _starts; None: anywhere)."""
    for m in _matches(_plan(_APOLOGY), text, starts, 0):
        after = text[m.end() : m.end() + 60]
        before = text[max(0, m.start() - 30) : m.start()]
        if _NOT_SINCERE_AFTER.match(after) or _NOT_SINCERE_BEFORE.search(before):
            continue
        return m
    return None


def _angry_no_apology(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    if ctx.anger_level() in ("medium", "high") and not ctx.sincere():
        return [_finding(rule, ctx.text, 0, 0)]
    return []


def _before_apology(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    """An excuse (the rule's patterns) that comes before the first sincere apology."""
    first = ctx.sincere()
    if first is None:
        return []
    plan = _plan(rule["patterns"], rule["case_sensitive"])
    end = first.start()
    if not plan.possible(ctx.folded[:end]):
        return []
    starts = _starts(plan, ctx)
    if starts is None:
        m = plan.regex.search(ctx.text, 0, end)
    else:
        # search() is the first start that matches. No word runs across ``end`` (an
        # apology starts a word there), so the words before it keep their keys.
        m = None
        for p in starts:
            if p >= end:
                break
            m = plan.regex.match(ctx.text, p, end)
            if m is not None:
                break
    return [_finding(rule, ctx.text, m.start(), m.end())] if m else []


_CARD = _re(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
# Every card match is 13+ characters of digits, spaces and hyphens from a digit on;
# this starts with a character class, so re skips to digits fast (_CARD's lookbehind
# makes it try every position).
_CARD_RUN = _re(r"\d[\d -]{12}")
_NONDIGIT = _re(r"\D")


def _card_number(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if not _CARD_RUN.search(ctx.text):
        return out
    from replycoach.reading.entities import luhn

    for m in _CARD.finditer(ctx.text):
        digits = _NONDIGIT.sub("", m.group(0))
        if 13 <= len(digits) <= 19 and luhn(digits) and len(set(digits)) > 1:
            out.append(_finding(rule, ctx.text, m.start(), m.end(), replacement=None))
    return out


# Words that carry no topic: what is left of a question is what the reply must touch.
_STOP = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before being
    below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
    each even ever every few for from further get got had hadn't has hasn't have haven't having he her here hers
    how i i'd i'll i'm i've if in into is isn't it it's its itself just know let like ll made make many may me
    might more most much must my myself need no nor not now of off on once only or other our ours out over own
    please really right same say says see seems she should shouldn't so some still such sure take tell than thank
    thanks that that's the their them then there these they this those through though to too under until up upon
    us very want wanted was wasn't way we well were weren't what what's when where which while who whom why will
    with would wouldn't yet you you're your yours yourself hi hello dear regards anyone someone something anything
    going gone able already actually again ago told kind time times one two day days week weeks things thing
    seriously kidding joke people guys company answer reply email emails mail message back write wrote news
    update updates status help sort sorted never find out look check give send explain let fix fixed resolve resolved sorting question questions info soon""".split()  # noqa: SIM905 (a word list reads better as prose)
)
_WORD = _re(r"[^\W\d_][\w'’]+")
# Where the request starts in a sentence: "…, and can you tell me how to download my invoices?"
_ASK_CUE = _re(
    r"\b(?:can|could|would|will|do|does|did|is|are|was|were|should)\s+(?:you|I|we|someone|somebody|there|it|this|that|my|the)\b"
    r"|\b(?:how|what|why|when|where|who|which)\b|\bplease\s+\w+|\bI\s+(?:want|need|would like|['’]d like|expect)\b",
    re.IGNORECASE,
)

# Statements of what they want ("I want a refund") are left to the resolution; only
# questions and direct requests count as asks.
_REQUEST = _re(
    r"^(?:(?:hi|hello|hey)\b[^,]{0,30},\s*)?(?:can|could|would|will)\s+(?:you|someone|somebody)\b|^please\s+\w+",
    re.IGNORECASE,
)
# What comes right before a cue that opens a clause.
_CLAUSE_START = _re(r"(?:^|[,;:]|\band|\balso|\bbut)\s*$")
_WHEN = _re(r"^\s*when\b|\bhow\s+long\b|\bby\s+when\b|\bwhat\s+time\b", re.IGNORECASE)


@functools.lru_cache(maxsize=8192)  # the same few thousand words recur in every reply
def _stem(word: str) -> str:
    word = word.lower().replace("’", "'").strip("'")
    for suffix in ("'s", "ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word[-1] == word[-2]:  # shipped -> shipp -> ship
        word = word[:-1]
    return word.rstrip("e")[:6]


def _keywords(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text) if len(w) >= 4 and w.lower().replace("’", "'") not in _STOP}


# word -> its stem if it is a topic word (_keywords), else None; the same few thousand
# words recur, and looking them all up at once (map) loops in C.
_KEYWORD_OF: dict[str, str | None] = {}


def _keywords_fast(text: str) -> set[str]:
    """_keywords(text), from _KEYWORD_OF (a test compares the two)."""
    words = _WORD.findall(text)
    memo = _KEYWORD_OF
    try:
        found = set(map(memo.__getitem__, words))
    except KeyError:
        if len(memo) >= 16384:
            memo.clear()
        for w in words:
            if w not in memo:
                memo[w] = _stem(w) if len(w) >= 4 and w.lower().replace("’", "'") not in _STOP else None
        found = set(map(memo.__getitem__, words))
    found.discard(None)
    return found  # type: ignore[return-value]


def _asks(statements: list[str], keywords: Callable[[str], set[str]] = _keywords) -> list[str]:
    """The customer's questions and requests (among the message's sentences), each
    cut to the part that asks."""
    out = []
    for sentence in statements:
        if not (sentence.endswith("?") or _REQUEST.search(sentence)):
            continue
        cues = list(_ASK_CUE.finditer(sentence))
        # The last clause that opens with a cue is the request itself.
        clauses = [m for m in cues if m.start() == 0 or _CLAUSE_START.search(sentence[: m.start()])]
        ask = sentence[clauses[-1].start() :] if clauses else sentence
        if keywords(ask):
            out.append(ask)
    return out


_DATE = ["@date"]
_DATE_WORD = _re(r"\bdate\b", re.IGNORECASE)


def _unaddressed_ask(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    if not ctx.message:
        return []
    reply_words = ctx.keywords()
    dated: list[bool] = []  # searched for once, and only if a "when?" asks

    def is_dated() -> bool:
        if not dated:
            dated.append(bool(_plan(_DATE).regex.search(ctx.text) or _DATE_WORD.search(ctx.text)))
        return dated[0]

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


_AskFacts = tuple[str, frozenset[str], bool]
_ASKS: dict[str, _AskFacts | None] = {}


def _ask_facts(sentence: str) -> _AskFacts | None:
    """The ask _asks finds in one sentence of the message (None: none), its topic
    words and whether it asks "when?"; once per process per distinct sentence."""
    if sentence in _ASKS:
        return _ASKS[sentence]
    found: _AskFacts | None = None
    for ask in _asks([sentence], _message_keywords):
        found = (ask, _message_keywords(ask), bool(_WHEN.search(ask)))
    if len(_ASKS) >= _FACTS_SIZE:
        _ASKS.clear()
    _ASKS[sentence] = found
    return found


def _unaddressed_ask_memo(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    """_unaddressed_ask from what each sentence of the message asks (_ask_facts)."""
    if not ctx.message:
        return []
    reply_words = ctx.keywords()
    dated: bool | None = None
    out = []
    for sentence in ctx.sentences():
        facts = _ask_facts(sentence)
        if facts is None:
            continue
        ask, words, when = facts
        if when:
            if dated is None:
                dated = _plan(_DATE).exists(ctx.text, ctx.folded) or bool(_DATE_WORD.search(ctx.text))
            if dated:
                continue
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
    problem = analysis.get("problem") if isinstance(analysis.get("problem"), dict) else {}
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


def _no_restatement_lazy(rule: dict[str, Any], ctx: _Context) -> list[dict[str, Any]]:
    """_no_restatement, asking whether a sentence is venting (a cue search per
    sentence, most of this check's cost) only while the answer can change the outcome."""
    if not ctx.message or not _restating_is_due(ctx):
        return _no_restatement(rule, ctx)
    statements = ctx.sentences()[:3]
    keywords = [_message_keywords(s) for s in statements]
    reply = ctx.keywords()
    # Venting or not, per sentence; a sentence without keywords is never a fact.
    # Sentences seen before (a batch's stock greetings and complaints) are known.
    memo, cues = _vents_memo()
    angry: list[bool | None] = [memo.get(s) if k else False for s, k in zip(statements, keywords, strict=True)]

    def fires(flags: list[bool | None]) -> bool:
        # ctx.complaint() and _no_restatement, for these answers.
        facts = [n for n, k in enumerate(keywords) if k and not flags[n]][:2]
        chosen = facts or list(range(min(2, len(statements))))
        return _unrestated([keywords[n] for n in chosen], reply)

    while True:
        unknown = [n for n, flag in enumerate(angry) if flag is None]
        outcomes = set()
        for combo in itertools.product((False, True), repeat=len(unknown)):
            flags = list(angry)
            for n, flag in zip(unknown, combo, strict=True):
                flags[n] = flag
            outcomes.add(fires(flags))
            if len(outcomes) > 1:
                break
        if len(outcomes) == 1:
            break
        n = unknown[0]  # in order, as complaint() asks
        angry[n] = _vents(statements[n], memo, cues)
    return [_finding(rule, ctx.text, 0, 0)] if outcomes.pop() and ctx.same_language() else []


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


# --- checking block by block -------------------------------------------------------
#
# A batch's drafts come from a few templates: most paragraphs recur verbatim, and only
# the greeting, the restatement, ids, amounts and dates differ. So a reply is cut into
# blocks at its paragraph breaks, and what the rules find in a block is remembered by
# the block's text.
#
# The same findings as checking the whole reply, by construction. A reply is cut only
# at a "clean" break: exactly "\n\n" between two characters that are not whitespace.
# - Both splitters (_PARAGRAPH_END, _SENTENCE_END) match exactly that "\n\n" there, and
#   their other matches lie inside one block and are found alike in the block alone:
#   they consume only whitespace, and their lookbehinds at a block's start (which see
#   "\n" in the reply, nothing in the block) fail in both. The one lookahead that could
#   look past a block's end, a list item's bullet ending it, keeps the break uncut
#   (_open_tail). So the sentences and paragraphs inside a block are the block's own.
# - An existence rule matches, requires and (in its sentence or paragraph) is excused
#   within one span, a slice of the text: its findings in a block are the block's own,
#   moved down by the lines before the block (a block starts a line: columns stand).
# - Excused by the whole text or by what follows: the block keeps the hits, and the
#   reply is asked whether each is excused.
# - Words (\w+) and topic words (_WORD) never run across a break: the reply's are the
#   union of its blocks'.
# - The other rules (substitution, occurrence, the structural checks, text scope) look
#   at the whole reply.
# The order of findings is the plain path's: sorted by position, severity and rule,
# then by rule order and the order each rule found them (Python's sort is stable).

_MEMO_SIZE = 1024  # blocks per rule list: a few hundred recur, the rest are one-offs
_SENTENCE_MEMO_SIZE = 4096  # sentences per rule list, likewise
# Literals one of which every quote or signature line that checkable() masks contains
# (folded, see _folded); a test checks them against the two regexes.
_MASK_CUES = (">", "wrote:", " message", "from:", "_", "--", "sent from ", "get outlook for ")
_OPEN_TAIL = _re(r"\n\s*(?:[-*•]|\d+[.)])\Z")
_LOCAL_SCOPES = ("sentence", "paragraph")


def _open_tail(block: str) -> bool:
    """Whether ``block`` ends with a list item's bullet ("\\n- ", "\\n2."): _SENTENCE_END's
    lookahead there would see the break after it in the reply, the end in the block."""
    last = block[-1]
    if last in ".)":
        if not block[-2:-1].isdigit():  # every \d is a digit to str.isdigit()
            return False
    elif last not in "-*•":
        return False
    return _OPEN_TAIL.search(block) is not None


def _blocks(text: str) -> list[str]:
    """``text`` cut at its clean breaks ("\\n\\n".join gives it back)."""
    pieces = text.split("\n\n")
    blocks = []
    current = pieces[0]
    for piece in pieces[1:]:
        if current and piece and not current[-1].isspace() and not piece[0].isspace() and not _open_tail(current):
            blocks.append(current)
            current = piece
        else:
            current = f"{current}\n\n{piece}"
    blocks.append(current)
    return blocks


class _Sentence:
    """What the sentence-scope rules find in one sentence (offsets relative to it):
    a sentence's matches, requires and same-sentence unless need nothing else."""

    __slots__ = ("hits", "keys", "keywords", "starts", "words")

    def __init__(self, text: str, program: _Program) -> None:
        ctx = _Context(text, None, None, indexed=True)
        keys = ctx.keys()
        self.words = frozenset(ctx.words()) if ctx.ascii else None
        self.keys = frozenset(keys) if ctx.ascii else None
        # Where each key's words start (read-only): a reply's are its sentences' (see _Block).
        self.starts = ctx.starts() if ctx.ascii else None
        self.keywords = frozenset(_keywords_fast(text))
        # (slot in program.sentence_rules, match start, match end), by slot: the span
        # loop of _existence_hits for a text that is this one span.
        hits: list[tuple[int, int, int]] = []
        folded = ctx.folded
        for slot in program.awake(keys):
            _, _, plan, requires, unless, mode = program.sentence_rules[slot]
            if not plan.possible(folded):
                continue
            starts = _starts(plan, ctx)
            if starts == []:
                continue
            found = _matches(plan, text, starts, 0)
            if not found:
                continue
            if requires is not None and not requires.exists(text, folded):
                continue
            if mode == "here" and unless is not None and ctx.excused(unless, 0, len(text)):
                continue
            hits.extend((slot, m.start(), m.end()) for m in found)
        self.hits = hits


class _Block:
    """What a rule list finds in one block, offsets and lines relative to the block."""

    __slots__ = ("found", "keys", "keywords", "lines", "pending", "starts", "words")

    def __init__(self, text: str, program: _Program) -> None:
        spans = _spans(text, "sentence")
        sentences = [program.sentence(text[start:end]) for start, end in spans]
        ctx: _Context | None = None  # the block itself, for a paragraph's unless and paragraph rules
        by_slot: dict[int, list[dict[str, Any]]] = {}
        # (rule index, span start, span end, match start, match end): hits whose
        # unless looks beyond the block.
        self.pending: list[tuple[int, int, int, int, int]] = []
        for (start, end), sentence in zip(spans, sentences, strict=True):
            for slot, m_start, m_end in sentence.hits:
                i, rule, _, _, unless, mode = program.sentence_rules[slot]
                if mode == "beyond":
                    self.pending.append((i, start, end, m_start, m_end))
                    continue
                if mode == "paragraph":
                    if ctx is None:
                        ctx = _Context(text, None, None, indexed=True)
                    assert unless is not None
                    if _excused(ctx, unless, "paragraph", "sentence", start, end, m_start, m_end):
                        continue
                by_slot.setdefault(slot, []).append(_finding(rule, text, start + m_start, start + m_end))
        # (rule index, finding), each rule's in text order.
        self.found = [(program.sentence_rules[slot][0], f) for slot in sorted(by_slot) for f in by_slot[slot]]
        if program.block_local or program.block_pending:
            if ctx is None:
                ctx = _Context(text, None, None, indexed=True)
            self.found += [(i, f) for i, rule, spec in program.block_local for f in _existence(rule, ctx, spec)]
            self.pending += [
                (i, start, end, m.start(), m.end())
                for i, rule, spec in program.block_pending
                for start, end, m in _existence_hits(rule, ctx, spec)
            ]
        for i, rule, fn in program.block_checks:
            if ctx is None:
                ctx = _Context(text, None, None, indexed=True)
            self.found += [(i, f) for f in fn(rule, ctx)]
        self.lines = text.count("\n")
        # A block's words are its sentences' (the rest is whitespace).
        words = [sentence.words for sentence in sentences]
        keys = [sentence.keys for sentence in sentences]
        self.words = None if None in words else frozenset().union(*words)  # type: ignore[arg-type]
        self.keys = None if None in keys else frozenset().union(*keys)  # type: ignore[arg-type]
        self.keywords = frozenset().union(*(sentence.keywords for sentence in sentences))
        # Every word lies inside one sentence span (what separates them is whitespace),
        # so the block's word starts by key are its sentences', moved by their offsets.
        self.starts: dict[str, list[int]] | None = None
        if self.words is not None:
            starts: dict[str, list[int]] = {}
            for (start, _), sentence in zip(spans, sentences, strict=True):
                for key, ps in sentence.starts.items():  # type: ignore[union-attr]
                    found = starts.get(key)
                    if found is None:
                        starts[key] = [start + p for p in ps]
                    else:
                        found += [start + p for p in ps]
            self.starts = starts


_SentenceRule = tuple[int, dict[str, Any], _Plan, "_Plan | None", "_Plan | None", str]


class _Program:
    """A rule list, sorted by what each rule needs to see, and the blocks and sentences
    it has checked."""

    def __init__(self, rules: list[dict[str, Any]]) -> None:
        import copy

        self.rules = rules
        # The cached payload is read-only by contract; any other list is compared with
        # a copy on each call, so a rule changed in place is not mistaken.
        self.snapshot = None if rules is _TRUSTED else copy.deepcopy(rules)
        # Sentence-scope existence rules: (rule index, rule, plan, requires, unless,
        # where unless looks: "here" (none, or the sentence), "paragraph" (the block)
        # or "beyond" (the whole reply: asked in check())).
        self.sentence_rules: list[_SentenceRule] = []
        self.sentence_rules_specs: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        # Paragraph scope: checked per block.
        self.block_local: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        self.block_pending: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        # Every rule whose unless looks beyond a block, for check().
        self.pending: list[tuple[int, dict[str, Any], dict[str, Any], _Plan, str]] = []
        self.whole: list[tuple[int, dict[str, Any], Callable[[dict[str, Any], _Context], list[dict[str, Any]]]]] = []
        # Structural checks whose findings in a block are the block's own: checked per block.
        self.block_checks: list[
            tuple[int, dict[str, Any], Callable[[dict[str, Any], _Context], list[dict[str, Any]]]]
        ] = []
        for i, rule in enumerate(rules):
            kind = rule["kind"]
            if kind == "existence":
                spec = rule
            elif kind == "substitution":
                plans = [_plan((bad,), rule["case_sensitive"], wrap=False) for bad in rule["swap"]]
                self.whole.append((i, rule, functools.partial(_substitution, plans=plans)))
                continue
            elif kind == "occurrence":
                self.whole.append((i, rule, _occurrence))
                continue
            elif rule["check"] == "commitment-no-date":
                spec = {  # as _commitment_no_date makes it
                    "patterns": rule.get("patterns") or ["@commitment"],
                    "unless": rule.get("unless") or ["@date"],
                    "unless_scope": rule.get("unless_scope", "paragraph"),
                }
            elif rule["check"] == "card-number":
                # A card number is digits, spaces and hyphens: never across a break, and
                # its look-arounds see the same at a block's edge ("\n" or nothing).
                self.block_checks.append((i, rule, _card_number))
                continue
            else:
                fn = STRUCTURAL_CHECKS[rule["check"]]
                fast = {_no_restatement: _no_restatement_lazy, _unaddressed_ask: _unaddressed_ask_memo}
                self.whole.append((i, rule, fast.get(fn, fn)))
                continue
            scope = rule["scope"]
            case = rule["case_sensitive"]
            unless_scope = spec.get("unless_scope", scope)
            unless = _plan(spec["unless"], case) if spec.get("unless") else None
            if scope not in _LOCAL_SCOPES:
                self.whole.append((i, rule, functools.partial(_existence, spec=spec)))
                continue
            beyond = unless is not None and unless_scope not in _LOCAL_SCOPES
            if beyond:
                assert unless is not None
                self.pending.append((i, rule, spec, unless, unless_scope))
            if scope == "sentence":
                mode = "beyond" if beyond else "paragraph" if unless is not None and unless_scope != scope else "here"
                requires = _plan(rule["requires"], case) if rule.get("requires") else None
                self.sentence_rules.append((i, rule, _plan(spec["patterns"], case), requires, unless, mode))
                self.sentence_rules_specs.append((i, rule, spec))
            elif beyond:
                self.block_pending.append((i, rule, spec))
            else:
                self.block_local.append((i, rule, spec))
        self.memo: dict[str, _Block] = {}
        self.sentences: dict[str, _Sentence] = {}
        # Every rule on the whole reply, in order: for replies that share little with
        # those before (a single `replycoach draft`, unrelated replies), where working
        # block by block only adds bookkeeping.
        self.plain: list[tuple[int, dict[str, Any], Callable[[dict[str, Any], _Context], list[dict[str, Any]]]]] = [
            *self.whole,
            *self.block_checks,
            *((i, rule, functools.partial(_existence, spec=spec)) for i, rule, spec, *_ in self.sentence_rules_specs),
            *((i, rule, functools.partial(_existence, spec=spec)) for i, rule, spec in self.block_local),
            *((i, rule, functools.partial(_existence, spec=spec)) for i, rule, spec in self.block_pending),
        ]
        self.plain.sort(key=lambda entry: entry[0])
        self.calls = 0
        self.hit_rate = 0.0  # of blocks found in the memo, averaged over recent checks
        # Which sentence rules a sentence's word-start keys can wake (see _starts: a
        # plan all of whose patterns have keys finds nothing where none of its keys
        # starts a word), and those that must always look.
        self.by_key: dict[str, list[int]] = {}
        self.always: list[int] = []
        for slot, (_, _, plan, _, _, _) in enumerate(self.sentence_rules):
            if plan.rest is not None:
                self.always.append(slot)
            for key in plan.keys:
                self.by_key.setdefault(key, []).append(slot)

    def awake(self, keys: set[str]) -> list[int]:
        """The sentence rules (slots, ascending) that can match a text with these
        word-start keys."""
        get = self.by_key.get
        return sorted({*self.always, *(slot for key in keys for slot in get(key, ()))})

    def sentence(self, text: str) -> _Sentence:
        found = self.sentences.pop(text, None)
        if found is None:
            found = _Sentence(text, self)
            if len(self.sentences) >= _SENTENCE_MEMO_SIZE:
                del self.sentences[next(iter(self.sentences))]  # the least recently used
        self.sentences[text] = found
        return found

    def check(self, reply: str, message: str | None, analysis: dict[str, Any] | None) -> list[dict[str, Any]]:
        reply = reply.replace("\r\n", "\n")
        folded = _folded(reply)
        text = reply
        if any(map(folded.__contains__, _MASK_CUES)):
            text = checkable(reply)
            if text != reply:
                folded = _folded(text)
        self.calls += 1
        if not self.memo_pays():
            ctx = _Context(text, message, analysis, folded)
            return _sorted_findings([(i, fn(rule, ctx)) for i, rule, fn in self.plain], [])
        memo = self.memo
        found: list[tuple[Any, ...]] = []
        n = 0  # emission order, for equal sort keys
        known = 0  # blocks found in the memo
        pending: dict[int, list[tuple[int, int, int, int]]] = {}
        words: list[frozenset[str] | None] = []
        keys: list[frozenset[str] | None] = []
        keywords: list[frozenset[str]] = []
        starts: list[tuple[int, dict[str, list[int]] | None]] = []
        offset = line = 0
        for block in _blocks(text):
            entry = memo.pop(block, None)
            if entry is None:
                entry = _Block(block, self)
                if len(memo) >= _MEMO_SIZE:
                    del memo[next(iter(memo))]  # the least recently used
            else:
                known += 1
            memo[block] = entry
            for i, f in entry.found:
                f = dict(f)  # the remembered finding stays as it was
                f["line"] += line
                found.append((f["line"], f["column"], _SEVERITY_ORDER[f["severity"]], f["rule"], i, n, f))
                n += 1
            for i, start, end, m_start, m_end in entry.pending:
                pending.setdefault(i, []).append((offset + start, offset + end, m_start, m_end))
            words.append(entry.words)
            keys.append(entry.keys)
            keywords.append(entry.keywords)
            starts.append((offset, entry.starts))
            offset += len(block) + 2
            line += entry.lines + 2
        ctx = _Context(text, message, analysis, folded)
        if ctx.ascii:  # then every block is ASCII, and has its word sets and starts
            ctx._words = set().union(*words)  # type: ignore[arg-type]
            ctx._keys = set().union(*keys)  # type: ignore[arg-type]
            ctx._block_starts = starts  # type: ignore[assignment]
        ctx._keywords = set().union(*keywords)
        results: list[tuple[int, list[dict[str, Any]]]] = []
        for i, rule, _, unless, unless_scope in self.pending:
            hits = pending.get(i)
            if hits:
                results.append(
                    (
                        i,
                        [
                            _finding(rule, text, start + m_start, start + m_end)
                            for start, end, m_start, m_end in hits
                            if not _excused(ctx, unless, unless_scope, rule["scope"], start, end, m_start, m_end)
                        ],
                    )
                )
        for i, rule, fn in self.whole:
            results.append((i, fn(rule, ctx)))
        self.hit_rate += 0.5 * (known / len(words) - self.hit_rate)
        return _sorted_findings(results, found)

    def memo_pays(self) -> bool:
        """Whether to work block by block: while most blocks are found in the memo, and
        on every 4th check to keep learning (the first check of a process is plain)."""
        return self.hit_rate >= 0.4 or self.calls % 4 == 0


def _sorted_findings(
    results: list[tuple[int, list[dict[str, Any]]]], found: list[tuple[Any, ...]]
) -> list[dict[str, Any]]:
    """The findings of ``results`` ((rule index, findings) pairs) and ``found`` (sort
    keys already made), in the plain path's order: by position, severity and rule id,
    then by rule order, then as each rule found them."""
    n = len(found)
    for i, fs in results:
        for f in fs:
            found.append((f["line"], f["column"], _SEVERITY_ORDER[f["severity"]], f["rule"], i, n, f))
            n += 1
    found.sort()
    return [item[-1] for item in found]


_PROGRAMS: dict[int, _Program] = {}


def _program(rules: list[dict[str, Any]]) -> _Program:
    """The program for a rule list, kept while the list is the same (see _Program)."""
    found = _PROGRAMS.get(id(rules))
    if found is not None and found.rules is rules and (found.snapshot is None or found.snapshot == rules):
        return found
    if len(_PROGRAMS) >= 8:  # lists made per call: never grow without bound
        _PROGRAMS.clear()
    found = _PROGRAMS[id(rules)] = _Program(rules)
    return found
