"""What the tool reads in a customer's message: scenario, anger, urgency, risks, type,
complaint, entities, wants and missing information, each with the evidence that decided it.

All cues and weights are data: built-in scenario cues in ``data/scenarios.yaml`` (a
playbook's own ``detect:`` section replaces them for that id), everything else in
``data/signals.yaml``. Both are validated strictly on a cache miss only; this module
applies them.

How it stays fast (benchmarks/bench_analysis.py): each cue is its own small regex,
tried only where a word of the message starts with one of the lowercase starts every
match of the cue begins with (``cue_keys``, walked from the pattern once and cached with
the validated data; ``word_index``), instead of a search of every position: ~11x less
work per message. The word index and each cue set's hits are kept for the last few
texts (by identity): every reading of a message asks them again. Entity patterns are
tried only at the word starts and digit runs they can begin at, and ASCII texts are
matched with their re.ASCII builds (``_ascii_safe``). Tests compare each with the plain
search it stands for (tests/test_analysis_fastpaths.py).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from functools import partial
from pathlib import Path
from typing import Any

from replycoach.message import Message

_CACHE: dict[str, Any] = {}

# Scenarios where the customer reports something that went wrong (a complaint by nature);
# the rest (refund, cancellation, discount, feature, manager) may be plain requests.
_PROBLEM_SCENARIOS = frozenset({"damaged-or-defective", "late-delivery", "billing-error", "outage"})


# --- cue compilation -----------------------------------------------------------


def cue_regex(cue: str) -> str:
    """A phrase becomes a whole-word, space-flexible, apostrophe-tolerant regex;
    ``re:`` marks a raw regular expression."""
    if cue.startswith("re:"):
        return cue[3:]
    words = [re.escape(w).replace("'", "['’]?") for w in cue.split()]
    body = r"\s+".join(words)
    left = r"\b" if re.match(r"\w", cue) else ""
    right = r"\b" if re.search(r"\w$", cue) else ""
    return f"{left}{body}{right}"


def cue_keys(regex: str) -> list[str] | None:
    """The lowercase word starts a match of ``regex`` (IGNORECASE) must begin with, when
    every match starts at a word boundary: up to three letters ("ord"), a whole shorter
    word ("i$"), or a shorter start the pattern spells out ("no"). The cue is then tried
    only where a word of the message starts that way, a few anchored ``match`` calls
    instead of a search of every position. None: search the whole text."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(regex, re.IGNORECASE)
    except Exception:  # a private API that may change: plain search is always correct
        return None

    def char_set(op: Any, av: Any) -> set[str] | None:
        if op is c.LITERAL:
            return {chr(av).lower()}
        out: set[str] = set()
        for iop, iav in av:
            if iop is c.LITERAL:
                out.add(chr(iav).lower())
            elif iop is c.RANGE and iav[1] - iav[0] <= 26:
                out.update(chr(x).lower() for x in range(iav[0], iav[1] + 1))
            elif iop is c.CATEGORY and iav is c.CATEGORY_DIGIT:
                out.update("0123456789")
            elif iop is c.CATEGORY and iav is c.CATEGORY_SPACE:
                out.add(" ")
            else:
                return None
        return out

    def seq(items: Any, prefixes: list[str]) -> tuple[list[str], bool]:
        """Extend every prefix through ``items``; True when the walk had to stop.
        A prefix that cannot be extended at all comes back as ""."""
        items = list(items)
        for i, (op, av) in enumerate(items):
            if all(len(p) >= 3 for p in prefixes):
                return prefixes, True
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue
            if op is c.LITERAL or op is c.IN:
                chars = char_set(op, av)
                if chars is None:
                    return prefixes, True
                if not all(ch.isalnum() or ch == "_" for ch in chars):
                    if not any(ch.isalnum() or ch == "_" for ch in chars):
                        # The word ends here: a short key must be the whole word ("i$").
                        return [p + "$" if len(p) < 3 else p for p in prefixes], True
                    return prefixes, True
                prefixes = list(dict.fromkeys(p + ch if len(p) < 3 else p for p in prefixes for ch in chars))
                if len(prefixes) > 400:
                    return [p[:1] for p in prefixes], True
                continue
            if op is c.SUBPATTERN:
                prefixes, stopped = seq(av[-1], prefixes)
                if stopped:
                    return prefixes, True
                continue
            if op is c.BRANCH:
                out: list[str] = []
                stopped = False
                for alt in av[1]:
                    more, stop = seq(alt, prefixes)
                    out += more
                    stopped = stopped or stop
                prefixes = list(dict.fromkeys(out))
                if stopped:
                    return prefixes, True
                continue
            if op in (c.MAX_REPEAT, c.MIN_REPEAT):
                through, _ = seq(av[2], prefixes)
                if av[0] > 0:
                    return through, True
                skipped, _ = seq(items[i + 1 :], prefixes)  # optional: or what follows
                return list(dict.fromkeys(through + skipped)), True
            return prefixes, True
        return prefixes, False

    def at_boundary(items: Any) -> bool:
        for op, av in items:
            if op is c.AT:
                return bool(av is c.AT_BOUNDARY)
            if op is c.SUBPATTERN:
                return at_boundary(av[-1])
            if op is c.BRANCH:
                return all(at_boundary(alt) for alt in av[1])
            return False
        return False

    if at_boundary(tree):
        keys, _ = seq(tree, [""])
        if keys and "" not in keys:
            return sorted(set(keys))
    return None


_NONDIGIT = re.compile(r"\D")
_WORD = re.compile(r"\w+")
_SHORT_KEYS: set[str] = set()  # word-start keys under three letters that some cue uses
# The word indexes of the last few texts (by identity), shared by all cue sets and the
# entities: each reading of a message looks its words up in the same index.
_INDEX: dict[int, tuple[str, dict[str, list[int]]]] = {}
_INDEX_SIZE = 16


def index_key(key: str) -> str:
    """A cue key of ``cue_keys`` ("ord", "i$", "no") as ``word_index`` names it."""
    if key.endswith("$"):
        return key[:-1]
    return key if len(key) >= 3 else key + "*"


def word_index(text: str) -> dict[str, list[int]]:
    """Where the words of ``text`` start, in text order, by key: a word's first three
    lowercase letters ("ord"), a whole word shorter than that ("i", "on"), and ``"no*"``
    for every word that starts with one of the short keys some cue uses."""
    known = _INDEX.get(id(text))
    if known is not None and known[0] is text:
        return known[1]
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lowered ("İ")
        low = text
    index: dict[str, list[int]] = {}
    for m in _WORD.finditer(low):
        key = m.group()[:3]
        at = m.start()
        index.setdefault(key, []).append(at)
        for n in (1, 2):
            if len(key) >= n and key[:n] in _SHORT_KEYS:
                index.setdefault(key[:n] + "*", []).append(at)
    if len(_INDEX) >= _INDEX_SIZE:
        _INDEX.clear()
    _INDEX[id(text)] = (text, index)
    return index


class CueSet:
    """Named, weighted cues, each its own small regex, tried only where it can match."""

    def __init__(self, cues: list[tuple[str, str, float]], keys: list[list[str] | None] | None = None) -> None:
        # (label, cue text, weight); the label is what a hit counts towards.
        self.cues = cues
        # Per cue, the word starts a match begins with (``cue_keys``), or None.
        self.keys = [cue_keys(cue_regex(cue)) for _, cue, _ in cues] if keys is None else keys
        # Each cue's regex is compiled when a message first tries it: a message tries few.
        self._regexes: list[re.Pattern[str] | None] = [None] * len(cues)
        # Which cues each word start can begin, so a message visits only those.
        self._by_key: dict[str, list[int]] = {}
        for i, cue_keys_ in enumerate(self.keys):
            for key in cue_keys_ or ():
                self._by_key.setdefault(index_key(key), []).append(i)
        self._unkeyed = [i for i, k in enumerate(self.keys) if k is None]
        # The results for the last few texts (by identity): the body is asked again by
        # anger, complaint, type and sentences.
        self._seen: dict[int, tuple[str, list[tuple[str, str, float, int]]]] = {}
        short = {k for keys in self.keys for k in keys or () if len(k) < 3 and not k.endswith("$")}
        if not short <= _SHORT_KEYS:
            _SHORT_KEYS.update(short)
            _INDEX.clear()  # indexes built before lack the new short keys

    def regex(self, i: int) -> re.Pattern[str]:
        """Cue ``i``'s compiled regex."""
        found = self._regexes[i]
        if found is None:
            found = self._regexes[i] = re.compile(cue_regex(self.cues[i][1]), re.IGNORECASE)
        return found

    @property
    def regexes(self) -> list[re.Pattern[str]]:
        """Every cue's compiled regex."""
        return [self.regex(i) for i in range(len(self.cues))]

    def hits(self, text: str) -> list[tuple[str, str, float, int]]:
        """(label, matched text, weight, position) for each distinct cue found, in text order:
        what ``hits_plain`` finds, trying keyed cues only at the words their keys start."""
        if not self.cues:
            return []
        seen = self._seen.get(id(text))
        if seen is not None and seen[0] is text:
            return seen[1]  # the same text asked again (anger, complaint, sentences)
        index = word_index(text)
        candidates: dict[int, list[int]] = {}
        for key in self._by_key.keys() & index.keys():
            for i in self._by_key[key]:
                candidates.setdefault(i, []).extend(index[key])
        found = []
        for i, starts in candidates.items():
            match = self.regex(i).match
            for pos in sorted(starts):
                m = match(text, pos)
                if m:
                    found.append((pos, i, m.group(0)))
                    break
        for i in self._unkeyed:
            m = self.regex(i).search(text)
            if m:
                found.append((m.start(), i, m.group(0)))
        out = self._labelled(found)
        if len(self._seen) >= 8:
            self._seen.clear()
        self._seen[id(text)] = (text, out)
        return out

    def hits_plain(self, text: str) -> list[tuple[str, str, float, int]]:
        """``hits`` by a search of the whole text for every cue (the reference)."""
        found = []
        for i in range(len(self.cues)):
            m = self.regex(i).search(text)
            if m:
                found.append((m.start(), i, m.group(0)))
        return self._labelled(found)

    def _labelled(self, found: list[tuple[int, int, str]]) -> list[tuple[str, str, float, int]]:
        found.sort()
        return [(self.cues[i][0], matched, self.cues[i][2], pos) for pos, i, matched in found]


# The characters besides ASCII letters that match an ASCII character under IGNORECASE
# (found by trying every code point): a pattern holding one matches ASCII text where its
# re.ASCII build would not.
_FOLDS_ONTO_ASCII = ("İ", "ı", "ſ", "\u212a")


def _ascii_safe(regex: str) -> bool:
    r"""Whether ``regex`` compiled with re.ASCII matches exactly what it matches without,
    in ASCII text: \w, \b, \d, \s and case agree on ASCII characters; not when it holds a
    character that folds onto an ASCII letter, or an escape that may spell one
    (``\u0131``), or an inline flag."""
    if any(ch in regex for ch in _FOLDS_ONTO_ASCII):
        return False
    return not re.search(r"\\[uUNx0-9]|\(\?[a-zA-Z-]*[aLu]", regex)


def _weighted(items: list[Any], label: str) -> list[tuple[str, str, float]]:
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append((label, item["cue"], float(item.get("weight", 1.0))))
        else:
            out.append((label, str(item), 1.0))
    return out


def _tail_pattern(items: list[str]) -> str:
    """Cues that must end right before a hit (negators, intensifiers), as one anchored regex."""
    return r"(?:" + "|".join(cue_regex(c) for c in items) + r")[\s,]*$"


# --- cue sets ---------------------------------------------------------------------


def cue_sets(kind: str, files: list[Path], lists: dict[str, list[tuple[str, str, float]]]) -> dict[str, CueSet]:
    """A CueSet per named cue list, its cue keys cached with the validated data (walking
    every built-in pattern for its keys costs ~30 ms, more than a whole draft may)."""
    from replycoach.foundation.resources import cached

    def build() -> dict[str, Any]:
        return {name: [cues, [cue_keys(cue_regex(cue)) for _, cue, _ in cues]] for name, cues in lists.items()}

    # This module's own file is part of the key: the keys are computed by its code.
    stored = cached(f"{kind}-keys", [*files, Path(__file__)], build)
    sets = {}
    for name, cues in lists.items():
        entry = stored.get(name)
        # A team's own cues (a playbook's detect: section) are not in the entry: walked afresh.
        sets[name] = CueSet(cues, entry[1] if entry and entry[0] == cues else None)
    return sets


# --- the data files ------------------------------------------------------------------


def _data_path(name: str) -> Path:
    folder = _CACHE.get("data_dir")
    if folder is None:
        from replycoach.foundation.resources import builtin_dir

        folder = _CACHE["data_dir"] = builtin_dir("data")
    return folder / name  # type: ignore[no-any-return]


def _specs() -> tuple[Any, Any]:
    """Schemas of signals.yaml and scenarios.yaml (built only on a cache miss)."""
    from replycoach.foundation.schema import Field, List, Map, MapOf, Num, OneOf, Str

    cue = OneOf(
        (str, Str()),
        (dict, Map({"cue": Field(Str(), required=True), "weight": Field(Num(), default=1.0)})),
    )
    cues = List(cue)
    words = List(Str())
    lid = r"[a-z0-9][a-z0-9-]*"
    signals_spec = Map(
        {
            "anger": Field(
                Map(
                    {
                        "cues": Field(cues, required=True),
                        "negators": Field(words, default=list),
                        "intensifiers": Field(words, default=list),
                        "intensifier_boost": Field(Num(min=1), default=1.0),
                        "threats": Field(MapOf(Num(), key=lid), default=dict),
                        "levels": Field(List(Num(min=0, max=1), min_len=3), default=lambda: [0.15, 0.35, 0.6]),
                        "shouting": Field(
                            Map(
                                {
                                    "caps_ratio": Field(Num(min=0, max=1), required=True),
                                    "caps_words": Field(Num(integer=True, min=1), required=True),
                                    "weight": Field(Num(), required=True),
                                    "emphasis_words": Field(Num(integer=True, min=1), default=3),
                                }
                            ),
                            required=True,
                        ),
                    }
                ),
                required=True,
            ),
            "urgency": Field(
                Map({"high": Field(cues, default=list), "medium": Field(cues, default=list)}), required=True
            ),
            "risks": Field(MapOf(cues, key=lid), required=True),
            "types": Field(MapOf(cues, key="aggressive|rip-off|high-roller|meek|chronic"), required=True),
            "type_rules": Field(
                Map(
                    {
                        "threshold": Field(Num(min=0), default=0.8),
                        "anger_high_aggressive": Field(Num(min=0), default=0.8),
                        "history_chronic_count": Field(Num(integer=True, min=1), default=3),
                    }
                ),
                default=dict,
            ),
            "complaint": Field(
                Map({"cues": Field(cues, required=True), "threshold": Field(Num(), default=1.0)}),
                required=True,
            ),
            "wants": Field(cues, required=True),
            "languages": Field(
                MapOf(Map({"words": Field(Str(), required=True), "letters": Field(Str(), default="")}), key=lid),
                required=True,
            ),
        },
        name="signals",
    )
    scenario = Map(
        {
            "cues": Field(cues, required=True),
            "negative": Field(cues, default=list),
            "threshold": Field(Num(min=0), default=1.0),
        }
    )
    scenarios_spec = Map(
        {"scenarios": Field(MapOf(scenario, key=lid), required=True), "spelling": Field(Str(), default="")},
        name="scenarios",
    )
    return signals_spec, scenarios_spec


def load_data_file(path: Path, kind: str) -> Any:
    """Read and validate ``signals.yaml`` (kind "signals") or ``scenarios.yaml`` (kind
    "scenarios"); errors name the file, line and field."""
    from replycoach.foundation.errors import DataError
    from replycoach.foundation.schema import line_of, validate
    from replycoach.foundation.yamlio import load_yaml_file

    tree = load_yaml_file(path)
    spec = _specs()[0 if kind == "signals" else 1]
    data = validate(tree, spec, file=str(path))
    # A cue that is not a valid regex is a data error with its place, not a crash later.
    for where, item in _walk_cues(data):
        text = item["cue"] if isinstance(item, dict) else item
        try:
            re.compile(cue_regex(text))
        except re.error as exc:
            raise DataError(
                f"invalid pattern: {exc}", file=str(path), line=line_of(tree, *where), field=".".join(map(str, where))
            ) from None
    return data


def _load_validated(kind: str, name: str) -> Any:
    from replycoach.foundation.resources import cached

    path = _data_path(name)
    return cached(kind, [path], lambda: load_data_file(path, kind))


def _walk_cues(node: Any, path: tuple[Any, ...] = ()) -> Any:
    if isinstance(node, dict):
        if "cue" in node:
            yield path, node
            return
        for key, value in node.items():
            if key not in {"languages", "shouting", "levels", "type_rules"}:
                yield from _walk_cues(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, str):
                yield (*path, i), value
            else:
                yield from _walk_cues(value, (*path, i))


def signals() -> dict[str, Any]:
    """The compiled cue sets from ``data/signals.yaml``."""
    found = _CACHE.get("signals")
    if found is not None:
        return found
    data = _load_validated("signals", "signals.yaml")
    a = data["anger"]
    sets = cue_sets(
        "signals",
        [_data_path("signals.yaml")],
        {
            "anger": _weighted(a["cues"], "anger"),
            "urgency": _weighted(data["urgency"]["high"], "high") + _weighted(data["urgency"]["medium"], "medium"),
            "risks": [c for rid, cues in data["risks"].items() for c in _weighted(cues, rid)],
            "types": [c for tid, cues in data["types"].items() for c in _weighted(cues, tid)],
            "complaint": _weighted(data["complaint"]["cues"], "complaint"),
            "wants": _weighted(data["wants"], "wants"),
        },
    )
    compiled = {
        **sets,
        "anger_negators": re.compile(_tail_pattern(a["negators"]), re.IGNORECASE) if a["negators"] else None,
        "intensifiers": re.compile(_tail_pattern(a["intensifiers"]), re.IGNORECASE) if a["intensifiers"] else None,
        "intensifier_boost": a["intensifier_boost"],
        "threats": a["threats"],
        "levels": tuple(a["levels"][:3]),
        "shouting": a["shouting"],
        "type_rules": {
            "threshold": 0.8,
            "anger_high_aggressive": 0.8,
            "history_chronic_count": 3,
            **data["type_rules"],
        },
        "complaint_threshold": data["complaint"]["threshold"],
        # Per language, its telltale letters; its words are looked up in "language_words".
        "languages": {lang: v["letters"] for lang, v in data["languages"].items()},
        "language_words": _language_words(data["languages"]),
    }
    _CACHE["signals"] = compiled
    return compiled


def _language_words(languages: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Which languages list each word: a text's words are looked up once, not once per
    language (25 languages)."""
    found: dict[str, list[str]] = {}
    for lang, spec in languages.items():
        for word in set(spec["words"].split()):
            found.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in found.items()}


def builtin_scenarios() -> dict[str, Any]:
    """``data/scenarios.yaml``: the built-in cues per playbook id, and the spelling list."""
    found = _CACHE.get("scenarios")
    if found is None:
        found = _CACHE["scenarios"] = _load_validated("scenarios", "scenarios.yaml")
    return found


def _scenario_cues(playbooks: list[dict[str, Any]]) -> dict[str, Any]:
    """Cue sets over every detectable id: built-in cues, replaced per id by a playbook's
    own ``detect:`` section; thresholds per id; ids in priority order (ties)."""
    overrides = {pb["id"]: pb["detect"] for pb in playbooks if pb.get("detect", {}).get("cues")}
    key = repr(sorted(overrides.items()))
    found = _CACHE.get(("scenario", key))
    if found is None:
        data = builtin_scenarios()
        specs = dict(data["scenarios"])
        specs.update(overrides)
        lists: dict[str, list[tuple[str, str, float]]] = {"": []}
        thresholds: dict[str, float] = {}
        for pid, spec in specs.items():
            lists[""] += _weighted(spec.get("cues", []), pid)
            lists[pid] = [(pid, c, -abs(w)) for _, c, w in _weighted(spec.get("negative", []), "")]
            thresholds[pid] = float(spec.get("threshold", 1.0))
        # Team overrides change the lists: their entries miss the cache and compile afresh.
        sets = cue_sets("scenarios", [_data_path("scenarios.yaml")], lists)
        speller: dict[str, str] = {}
        for word in data["spelling"].split():
            for variant in _deletions(word.lower()):
                speller.setdefault(variant, word.lower())
        found = _CACHE[("scenario", key)] = {
            # Negative cues get their own pass per id, run only for ids that scored: in
            # one shared regex a cue of another id at the same position would hide them.
            "cues": sets[""],
            "negative": {pid: sets[pid] for pid in specs},
            "thresholds": thresholds,
            "order": {pid: i for i, pid in enumerate(specs)},
            "speller": speller,
            "known": frozenset(w.lower() for w in data["spelling"].split()),
        }
    return found


def _deletions(word: str) -> list[str]:
    return [word, *(word[:i] + word[i + 1 :] for i in range(len(word)))]


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _one_edit(a: str, b: str) -> bool:
    """One letter inserted, dropped or two neighbours swapped; not a changed letter,
    which turns real words into key words ("change" -> "charge")."""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(long) - len(short) != 1:
        return False
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def respell(text: str, speller: dict[str, str], known: frozenset[str]) -> str:
    """Typos in the words scenario cues hinge on ("refnud", "acount", "pasword") fixed
    through single-deletion neighbourhoods, checked to be one edit away."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if low in known or len(low) < 5:
            return word
        for variant in _deletions(low):
            hit = speller.get(variant)
            if hit and _one_edit(low, hit):
                return hit
        return word

    return _LONG_WORD.sub(fix, text)


# --- entities -----------------------------------------------------------------

# Entity patterns are split so each starts with a literal or a character set (which the
# regex engine skips to in C) or with one of a few known words (tried only where the word
# index says such a word starts); one pattern that may start anywhere costs far more.
_ORDER_WORDS = [
    "order",
    "purchase",
    "ordre",
    "tilaus",
    "tilauksen",
    "tilaukseni",
    "tilausnumero",
    "bestilling",
    "bestillingen",
    "bestillingsnummer",
    "bestellung",
    "commande",
    "pedido",
    "заказ",
    "заказа",
    "invoice",
    "ticket",
    "case",
    "booking",
    "reference",
    "ref",
    "rma",
    "tracking",
]
_MONTH_WORDS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_CODES = ["EUR", "USD", "GBP", "NOK", "SEK", "DKK", "ILS", "NIS", "RUB"]
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_NUMBER_WORDS = ["a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


_DATE_WORDS = [*_MONTH_WORDS, "yesterday", "today", "tomorrow", *_NUMBER_WORDS, "last", "this", "next", "on", "the"]


def _entity_regexes(ascii_text: bool = False) -> dict[str, Any]:
    """The entity patterns; for ASCII text (``ascii_text``) built with re.ASCII where
    that matches the same there (``_ascii_safe``): digits and word characters by table lookup."""
    found = _CACHE.get("entities-ascii" if ascii_text else "entities")
    if found is not None:
        return found  # type: ignore[no-any-return]
    i = re.IGNORECASE
    specs = {
        "order_hash": (r"#\s?[A-Z0-9][A-Z0-9-]{3,}\b", i),
        "order_word": (
            r"(?:" + "|".join(_ORDER_WORDS) + r")\s*(?:(?:no|nr|number|num|id|#)\.?\s*)?[:#]?\s*"
            r"([A-Z]{0,4}-?\d[A-Z0-9-]{3,})\b",
            i,
        ),
        "amount_symbol": (r"[$€£¥₪₽]\s?\d(?:[\d,.\u00a0 ]*\d)?", 0),
        "amount_number": (
            # "1 000,50 €": thousands grouped by spaces, as French or Norwegian write them.
            r"(?:\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d{1,2})?|\d[\d,.]*)\s?"
            r"(?:€|₪|₽|(?:" + "|".join(_CODES) + r"|руб\w*|euros?|dollars?|pounds?|kr|kroner)(?!\w))",
            i,
        ),
        "amount_code": (r"(?:" + "|".join(_CODES) + r"|US\$|CA\$|AU\$)\s?\d[\d,.]*\d?", i),
        "date_number": (
            rf"\d{{4}}-\d{{2}}-\d{{2}}\b|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b"
            rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\b(?:\s+\d{{4}}\b)?|\d+\s+(?:days?|weeks?|months?)\s+ago\b",
            i,
        ),
        "date_word": (
            rf"(?:{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
            rf"|(?:last|this|next|on)\s+{_WEEKDAY}|(?:last|this|next)\s+(?:week|month|weekend)"
            r"|yesterday|today|tomorrow|the\s+day\s+before\s+yesterday"
            r"|(?:" + "|".join(_NUMBER_WORDS) + r")\s+(?:days?|weeks?|months?)\s+ago)\b",
            i,
        ),
        "email": (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", 0),
        "phone": (r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}(?![\w])", 0),
        "card": (r"\d(?:[ -]?\d){12,18}\b", 0),
        "product": (r"[\"“”«]([^\"“”«»\n]{3,60})[\"“”»]", 0),
        "nondigit": (r"\D", 0),
        "digits": (r"\d+", 0),
        "email_local": (r"[\w.+-]{1,64}$", 0),
        "email_domain": (r"@[\w-]+(?:\.[\w-]+)+\b", 0),
    }
    if ascii_text:
        specs = {name: (p, f | re.ASCII if _ascii_safe(p) else f) for name, (p, f) in specs.items()}
    found = _CACHE["entities-ascii" if ascii_text else "entities"] = {
        name: re.compile(pattern, flags) for name, (pattern, flags) in specs.items()
    }
    return found


def _starts_word(text: str, pos: int) -> bool:
    return pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] == "_")


def _at_words(regex: re.Pattern[str], text: str, words: list[str]) -> list[re.Match[str]]:
    """Non-overlapping matches of ``regex`` tried only where one of ``words`` starts a word."""
    index = word_index(text)
    present = index.keys() & {w.lower()[:3] for w in words}
    if not present:
        return []
    starts = sorted({p for key in present for p in index[key]})
    out: list[re.Match[str]] = []
    end = -1
    for pos in starts:
        if pos < end:
            continue
        m = regex.match(text, pos)
        if m:
            out.append(m)
            end = m.end()
    return out


def _at_digits(regex: re.Pattern[str], text: str, starts: list[int], lead: str = "") -> list[re.Match[str]]:
    """Non-overlapping matches of ``regex`` tried only where a run of digits starts a
    word (or right before it, on one of the ``lead`` characters: "+1 415…", "(415)…")."""
    out: list[re.Match[str]] = []
    end = -1
    for pos in starts:
        if pos < end:
            continue
        tries = [pos - 1, pos] if pos and text[pos - 1] in lead else [pos]
        for at in tries:
            if at < end or not _starts_word(text, at):
                continue
            m = regex.match(text, at)
            if m:
                out.append(m)
                end = m.end()
                break
    return out


def _emails(text: str, rx: dict[str, Any]) -> list[str]:
    out: list[str] = []
    at = text.find("@")
    while at > 0:
        local = rx["email_local"].search(text, max(0, at - 64), at)
        domain = rx["email_domain"].match(text, at)
        if local and domain:
            address = local.group(0).lstrip(".") + domain.group(0)
            if address not in out:
                out.append(address)
        at = text.find("@", at + 1)
    return out


def _merge(*groups: list[re.Match[str]]) -> list[re.Match[str]]:
    """Matches from several patterns in text order, dropping any inside an earlier one."""
    out: list[re.Match[str]] = []
    end = -1
    for m in sorted((m for g in groups for m in g), key=lambda m: (m.start(), -m.end())):
        if m.start() >= end:
            out.append(m)
            end = m.end()
    return out


def mask_card(number: str) -> str:
    digits = _NONDIGIT.sub("", number)
    return f"**** **** **** {digits[-4:]}"


def luhn(digits: str) -> bool:
    """The card-number checksum (also the checker's card rule)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _is_card(raw: str) -> bool:
    digits = _NONDIGIT.sub("", raw)
    return 13 <= len(digits) <= 19 and luhn(digits)


def mask_cards(text: str) -> str:
    """Card numbers (Luhn-valid, 13-19 digits) masked wherever the text is shown again."""
    if not any(ch in text for ch in "0123456789"):
        return text
    card = _entity_regexes(text.isascii())["card"]
    masked = card.sub(lambda m: mask_card(m.group(0)) if _is_card(m.group(0)) else m.group(0), text)
    return text if masked == text else masked  # the same object: its word index is reused


def entities(text: str) -> dict[str, list[str]]:
    rx = _entity_regexes(text.isascii())
    has_digit = any(ch in text for ch in "0123456789")
    cards: list[str] = []
    if has_digit:
        cards = [
            mask_card(m.group(0))
            for m in rx["card"].finditer(text)
            if _starts_word(text, m.start()) and _is_card(m.group(0))
        ]
    scrubbed = rx["card"].sub(lambda m: " " if _is_card(m.group(0)) else m.group(0), text) if cards else text
    orders: list[str] = []
    if has_digit:
        hashes = [m for m in rx["order_hash"].finditer(scrubbed)]
        for m in _merge(hashes, _at_words(rx["order_word"], scrubbed, _ORDER_WORDS)):
            if m.re is rx["order_word"]:
                value = m.group(1)
                if scrubbed[m.start(1) - 1 : m.start(1)] == "#":
                    value = "#" + value  # keep the customer's own spelling: "#48213"
            else:
                value = m.group(0).replace(" ", "")
            value = value.strip()
            if value not in orders:
                orders.append(value)
    emails = _emails(scrubbed, rx) if "@" in scrubbed else []
    no_email = rx["email"].sub(" ", scrubbed) if emails else scrubbed
    date_matches = _at_words(rx["date_word"], scrubbed, _DATE_WORDS)
    amounts: list[str] = []
    phones: list[str] = []
    if has_digit:
        runs = [m.start() for m in rx["digits"].finditer(scrubbed)]
        date_matches = _merge(date_matches, _at_digits(rx["date_number"], scrubbed, runs))
        amounts = _unique(
            m.group(0).strip()
            for m in _merge(
                list(rx["amount_symbol"].finditer(scrubbed)),
                _at_digits(rx["amount_number"], scrubbed, runs),
                _at_words(rx["amount_code"], scrubbed, [*_CODES, "us", "ca", "au"]),
            )
        )
        order_digits = {rx["nondigit"].sub("", o) for o in orders}
        dates_text = {m.group(0) for m in date_matches}
        phone_runs = runs if no_email is scrubbed else [m.start() for m in rx["digits"].finditer(no_email)]
        for m in _at_digits(rx["phone"], no_email, phone_runs, lead="+("):
            if m.start() and no_email[m.start() - 1] in "+":
                continue
            p = m.group(0).strip()
            digits = rx["nondigit"].sub("", p)
            if 7 <= len(digits) <= 15 and digits not in order_digits and p not in dates_text and p not in phones:
                phones.append(p)
    return {
        "order_ids": orders,
        "amounts": amounts,
        "dates": _unique(m.group(0) for m in date_matches),
        "emails": emails,
        "phones": phones,
        "products": _unique(m.group(1).strip() for m in rx["product"].finditer(scrubbed))
        if '"' in scrubbed or "“" in scrubbed or "«" in scrubbed or "”" in scrubbed
        else [],
        "cards": _unique(cards),
    }


def _unique(items: Any) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


# --- the pieces of the reading ------------------------------------------------------

# A full stop ends a sentence unless a word character follows at once ("12.99", "e.g",
# "v1.2", "example.com") or it closes a title ("Ms. Hawkings").
_SENTENCE = re.compile(
    r"(?:[^.!?\n]|\.(?=\w)|(?:(?<=\bMr)|(?<=\bMs)|(?<=\bMrs)|(?<=\bDr)|(?<=\bSt)|(?<=\bvs)|(?<=\be\.g)|(?<=\bi\.e))\.)+(?:[.!?]+|$)",
    re.M,
)
_WORD = re.compile(r"\w+")


def sentences(text: str) -> list[str]:
    return [text[start:end].strip() for start, end in sentence_spans(text)]


_HEBREW = re.compile(r"[\u0590-\u05ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Scripts that name their language (kana before Han: Japanese writes both).
_SCRIPTS = (
    (_HEBREW, "he"),
    (_CYRILLIC, "ru"),
    (re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]"), "el"),
    (re.compile(r"[\u0600-\u06ff]"), "ar"),
    (re.compile(r"[\u0e00-\u0e7f]"), "th"),
    (re.compile(r"[\uac00-\ud7af\u1100-\u11ff]"), "ko"),
    (re.compile(r"[\u3040-\u30ff]"), "ja"),
    (re.compile(r"[\u4e00-\u9fff]"), "zh"),
)
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")  # letters Russian does not have


def detect_language(text: str, sig: dict[str, Any]) -> str:
    """Script first (Hebrew, Cyrillic, Greek, Arabic, Thai, Korean, Japanese, Chinese),
    then frequent words plus telltale letters."""
    sample = text[:3000]
    for script, code in () if sample.isascii() else _SCRIPTS:
        if script.search(sample):
            own = len(script.findall(sample))
            if own >= len(_LATIN.findall(sample)) * 0.3:
                return "uk" if code == "ru" and _UKRAINIAN.search(sample) else code
    low = sample.lower()
    words = _WORD.findall(low)[:400]
    if not words:
        return "en"
    from collections import Counter

    scores = dict.fromkeys(sig["languages"], 0.0)  # in the data's order: ties go to the first
    listed = sig["language_words"]
    counts = Counter(words)
    for word in listed.keys() & counts.keys():
        count = counts[word]
        for lang in listed[word]:
            scores[lang] += count
    for lang, letters in sig["languages"].items():
        if letters and any(ch in low for ch in letters):
            scores[lang] += 0.5 * min(6, sum(low.count(ch) for ch in letters))
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else "en"


def _level(score: float, cuts: tuple[float, float, float] = (0.15, 0.35, 0.6)) -> str:
    if score < cuts[0]:
        return "none"
    if score < cuts[1]:
        return "low"
    if score < cuts[2]:
        return "medium"
    return "high"


_CAPS_WORD = re.compile(r"\b[^\W\d_]{3,}\b")  # the words ``anger`` counts capitals among


def anger(text: str, sig: dict[str, Any]) -> dict[str, Any]:
    """Lexicon hits (negated ones dropped, intensified ones boosted), shouting and
    punctuation runs, summed and squashed to 0..1 so several mild signs add up."""
    evidence: list[str] = []
    total = 0.0
    negators = sig["anger_negators"]
    intensifiers = sig["intensifiers"]
    for _, matched, weight, pos in sig["anger"].hits(text):
        before = text[max(0, pos - 30) : pos]
        if negators is not None and weight > 0 and negators.search(before):
            continue  # "not angry", "never rude": the cue is denied
        if intensifiers is not None and weight > 0 and intensifiers.search(before):
            weight *= sig["intensifier_boost"]
        total += weight
        if weight > 0:
            evidence.append(matched)
    words = _CAPS_WORD.findall(text)
    caps = [w for w in words if w.isupper()]
    shout = sig["shouting"]
    # Shouting: mostly capitals, or several long words in capitals for emphasis
    # ("NOBODY answered ... a JOKE"); short all-caps words are often acronyms (PIN, ATM).
    emphatic = sum(1 for w in caps if len(w) >= 4)
    if (len(caps) >= shout["caps_words"] and len(caps) / max(len(words), 1) >= shout["caps_ratio"]) or (
        emphatic >= shout["emphasis_words"]
    ):
        total += shout["weight"]
        evidence.append("ALL CAPS")
    if sig["threats"]:
        # A threat (lawyer, chargeback, public review, leaving) is a sign of anger too.
        for rid, ev in {r["id"]: r["evidence"] for r in risks(text, sig)}.items():
            weight = sig["threats"].get(rid, 0.0)
            if weight:
                total += weight
                evidence.append(ev[0])
    total = max(total, 0.0)
    score = round(1 - math.exp(-total), 3)
    return {"score": score, "level": _level(score, sig["levels"]), "evidence": _unique_ci(evidence)}


def urgency(text: str, sig: dict[str, Any]) -> dict[str, Any]:
    hits = sig["urgency"].hits(text)
    levels = [label for label, *_ in hits]
    level = "high" if "high" in levels else "medium" if "medium" in levels else "none"
    return {"level": level, "evidence": [m for _, m, _, _ in hits]}


def risks(text: str, sig: dict[str, Any]) -> list[dict[str, Any]]:
    found: dict[str, list[str]] = {}
    for rid, matched, _, _ in sig["risks"].hits(text):
        found.setdefault(rid, []).append(matched)
    return [{"id": rid, "evidence": ev} for rid, ev in found.items()]


def customer_type(
    text: str, sig: dict[str, Any], anger_result: dict[str, Any], history: dict[str, Any] | None = None
) -> dict[str, Any]:
    rules = sig["type_rules"]
    wording = _wording_type(text, sig, anger_result, rules)
    count = int((history or {}).get("count_90d") or 0)
    if count >= rules["history_chronic_count"]:
        # The complaint log outranks wording: it is what "chronic" means.
        dates = ", ".join((history or {}).get("dates", []))
        detail = f" (earlier: {dates})" if dates else ""
        return {"id": "chronic", "evidence": [f"complaint {count} in 90 days{detail}"], "was": wording["id"]}
    return wording


def _wording_type(
    text: str, sig: dict[str, Any], anger_result: dict[str, Any], rules: dict[str, Any]
) -> dict[str, Any]:
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for tid, matched, weight, _ in sig["types"].hits(text):
        scores[tid] = scores.get(tid, 0.0) + weight
        evidence.setdefault(tid, []).append(matched)
    # Hostility counts towards aggressive: high anger fully, medium anger half.
    hostility = {"high": 1.0, "medium": 0.5}.get(anger_result["level"], 0.0) * rules["anger_high_aggressive"]
    if hostility:
        scores["aggressive"] = scores.get("aggressive", 0.0) + hostility
        evidence.setdefault("aggressive", []).extend(anger_result["evidence"][:3])
    if not scores:
        return {"id": "neutral", "evidence": []}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < rules["threshold"]:
        return {"id": "neutral", "evidence": []}
    return {"id": best, "evidence": _unique(evidence.get(best, []))}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text`` (before stripping)."""
    return [m.span() for m in _SENTENCE.finditer(text) if m.group().strip()]


def _with_hits(text: str, positions: list[int]) -> list[str]:
    """The sentences that contain one of the hit positions, in order."""
    out = []
    if not positions:
        return out
    positions = sorted(positions)
    last = len(positions)
    for start, end in sentence_spans(text):
        k = bisect_left(positions, start)
        if k < last and positions[k] < end:
            out.append(text[start:end].strip())
    return out


def wants(text: str, sig: dict[str, Any]) -> dict[str, Any]:
    found = _with_hits(text, [pos for *_, pos in sig["wants"].hits(text)])
    return {"stated": True, "text": found[0]} if found else {"stated": False, "text": ""}


def _score(text: str, cues: dict[str, Any]) -> tuple[dict[str, float], dict[str, list[str]]]:
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for pid, matched, weight, _ in cues["cues"].hits(text):
        scores[pid] = scores.get(pid, 0.0) + weight
        evidence.setdefault(pid, []).append(matched)
    for pid in scores:
        for _, _, weight, _ in cues["negative"][pid].hits(text):
            scores[pid] += weight
    return scores, evidence


def scenario(text: str, playbooks: list[dict[str, Any]], subject: str = "") -> dict[str, Any]:
    """The scenario the body (and subject) read as. The subject is scored on its own,
    so the body's word index is shared with every other reading of the message."""
    cues = _scenario_cues(playbooks)
    thresholds = cues["thresholds"]
    full = f"{subject}\n{text}" if subject.strip() else text
    scores, evidence = _score(text, cues)
    if subject.strip():
        more, more_evidence = _score(subject, cues)
        for pid, value in more.items():
            seen = {e.lower() for e in evidence.get(pid, [])}
            new = [e for e in more_evidence.get(pid, []) if e.lower() not in seen]
            if new:  # a cue counts once, wherever it appears
                scores[pid] = scores.get(pid, 0.0) + value
                evidence[pid] = new + evidence.get(pid, [])
    if not any(s >= thresholds.get(pid, 1.0) for pid, s in scores.items()):
        # Nothing found: try again with typos in the key words fixed.
        fixed = respell(full, cues["speller"], cues["known"])
        if fixed != full:
            scores, evidence = _score(fixed, cues)
    rank = cues["order"]
    # Highest score wins; on a tie the id listed first in scenarios.yaml does.
    ranked = sorted((s, -rank.get(pid, 99), pid) for pid, s in scores.items() if s >= thresholds.get(pid, 1.0))
    if not ranked:
        return {"id": "general", "confidence": 0.5, "evidence": []}
    best_score, _, best = ranked[-1]
    runner_up = ranked[-2][0] if len(ranked) > 1 else 0.0
    confidence = round(min(0.99, (1 - math.exp(-best_score)) * (1 - 0.5 * runner_up / best_score)), 2)
    return {"id": best, "confidence": confidence, "evidence": _unique_ci(evidence.get(best, []))}


def _unique_ci(items: list[str]) -> list[str]:
    """Evidence once, whatever its case or surrounding spaces."""
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append(item.strip())
    return out


def complaint(
    text: str, sig: dict[str, Any], scene: dict[str, Any], anger_result: dict[str, Any]
) -> tuple[bool, list[str]]:
    """A complaint reports something wrong or voices displeasure; a question, request or
    praise is not one. Cue weights (negative for praise and plain questions) add up."""
    total = 0.0
    evidence: list[str] = []
    for _, matched, weight, _ in sig["complaint"].hits(text):
        total += weight
        if weight > 0:
            evidence.append(matched)
    if scene["id"] in _PROBLEM_SCENARIOS and not scene.get("forced"):
        total += 1.0
        evidence.append(f"scenario: {scene['id']}")
    if anger_result["level"] in ("medium", "high"):
        total += 1.0
        evidence.append(f"anger: {anger_result['level']}")
    is_complaint = total >= sig["complaint_threshold"]
    return is_complaint, _unique(evidence) if is_complaint else []


_SWAP = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "im": "you're",
    "we": "you",
    "us": "you",
    "our": "your",
    "ours": "yours",
    "am": "are",
    "was": "were",
    "you": "we",
    "your": "our",
    "yours": "ours",
    "you're": "we're",
    "you've": "we've",
}


# Greetings and hedges that open a sentence but are not what it says.
_OPENING = re.compile(
    r"^(?:(?:hi|hello|hey|dear\s+\w+|good\s+(?:morning|afternoon|evening))\b[\s,!.:-]*)?"
    r"(?:thanks?(?:\s+you)?(?:\s+so\s+much)?\s*[,!.:-]+\s*(?:but\s+)?)?"
    r"(?:(?:i['’]?m\s+|i\s+am\s+|so\s+)?(?:sorry|apologies)\b[^,\-–—]*[,\-–—]\s*(?:but\s+)?)?"
    r"(?:i\s+think\s+|it\s+seems\s+(?:that\s+)?|just\s+to\s+let\s+you\s+know,?\s+)?",
    re.IGNORECASE,
)


_AFTER_I = re.compile(r"\b(?:i|I)\s+$")
# Words after which "you" is the object ("I told you" -> "you told us", never "told we").
_AFTER_VERB = re.compile(
    r"\b(?:to|for|with|from|at|by|about|of|on|against|without|sent|send|told|tell|charged|charge|"
    r"gave|give|show|showed|let|ask|asked|call|called|email|emailed|contact|contacted|paid|pay|owe|remind|"
    r"reminded|promised|warned|assured|informed|want|need|expect|expected|trust|trusted|thank|help|helped)\s+$",
    re.I,
)
_PERSON_WORD = re.compile(r"\b(?:i['’]m|i['’]ve|i['’]d|i['’]ll|you['’]re|you['’]ve|[A-Za-z]+)\b", re.I)


def _swap_person(sentence: str, m: re.Match[str]) -> str:
    """One word of ``restate``: "my" -> "your", "I was" -> "you were", "to you" -> "to us"."""
    word = m.group(0)
    low = word.lower().replace("’", "'")
    if low == "was" and not _AFTER_I.search(sentence[: m.start()]):
        return word  # only "I was" becomes "you were"
    new = _SWAP.get(low, word)
    if low == "you" and m.start() > 0 and _AFTER_VERB.search(sentence[: m.start()]):
        new = "us"
    if word[0].isupper() and m.start() == 0:
        new = new[:1].upper() + new[1:]
    return new


def restate(sentence: str) -> str:
    """The customer's sentence seen from the agent's side ("my order" -> "your order"),
    without the greeting or hedge that opened it, or the plea for help that closed it."""
    trimmed = _OPENING.sub("", sentence.strip(), count=1)
    sentence = trimmed if len(trimmed) > 12 else sentence
    # "…, can you help?" asks us; repeated back it would read "can we help".
    untailed = _HELP_TAIL.sub("", sentence.strip(), count=1)
    if len(untailed.split()) >= 3:
        sentence = untailed
    low = sentence.lower()
    # A sentence shouted through is repeated back in lower case, acronyms and all: its
    # short capitals ("THIS IS THE worst") are shouting too, not acronyms.
    upper = sum(map(str.isupper, sentence))
    cased = upper + sum(map(str.islower, sentence))
    if cased >= 8 and upper > 0.5 * cased:
        sentence = low

    out = _PERSON_WORD.sub(partial(_swap_person, sentence), sentence.strip())
    if out.rstrip().endswith("?"):
        out = _indirect_question(out)
    # Shouted words are not repeated back shouted ("we STILL took" -> "we still took");
    # short all-caps words are more often acronyms (USB, PIN, VAT) and stay.
    out = _SHOUTED.sub(lambda m: m.group(0).lower() if m.group(0).isupper() else m.group(0), out)
    first = out.split(" ", 1)[0]
    if first != "I" and not (len(first) > 1 and first.isupper()):  # "OP", "PIN" keep their capitals
        out = out[:1].lower() + out[1:]
    order = _IMPERATIVE.match(out)
    if order and not out.rstrip().endswith("?"):
        # "Edit the address on my account" -> "you asked me to edit the address on your account".
        out = "you asked me to " + out[order.end(1) :]
    elif _DROPPED_SUBJECT.match(out) and not _FINITE_BE.search(out):
        # "Still waiting for my refund" -> "you are still waiting …"; not where the words
        # are the subject ("waiting for both is torture").
        out = "you are " + out
    return out.rstrip(" .!?")


# A request put as an order: a bare verb first, perhaps after "please".
_IMPERATIVE = re.compile(
    r"((?:please\s+|pls\s+|kindly\s+)?)(?=(?:edit|change|update|cancel|close|delete|remove|check|reset|track|"
    r"open|add|transfer|activate|unblock|unlock|refund|replace|fix|switch|modify|submit|send|show|tell|give|"
    r"explain|confirm|verify|correct|stop|return|resend|reissue|reverse|deactivate|freeze|unfreeze)"
    # Not a noun: "Check is in the mail", "Return policy is a joke".
    r"\s+(?!(?:is|was|are|were|of|has|had|and|or)\b)(?!\S+\s+(?:is|was|are|were|has|had)\b))",
    re.I,
)
_FINITE_BE = re.compile(r"\b(?:is|was|are|were|isn['’]t|wasn['’]t)\b", re.I)
# A note-style sentence that leaves out "I am": "Still waiting for my refund."
_DROPPED_SUBJECT = re.compile(
    r"(?:still\s+|now\s+)?(?:waiting\s+(?:for|on|since)|trying\s+to|hoping\s+(?:for|to)|looking\s+for)\b"
)


# A closing plea that asks the reader for help: "…, can you help?", "… please help me!".
_HELP_TAIL = re.compile(
    r"[\s,;:.!-]*(?:(?:so\s+)?(?:can|could|would|will)\s+(?:you|someone|anyone|somebody)\s+(?:please\s+)?"
    r"(?:help|assist)(?:\s+(?:me|us))?(?:\s+(?:with\s+(?:this|that|it)|please))?|please\s+help(?:\s+me)?)"
    r"\s*[?!.]*\s*$",
    re.IGNORECASE,
)


_SHOUTED = re.compile(r"\b[^\W\d_]{5,}\b")


_SUBJECT = r"(there|it|this|that|they|we|you|I|he|she)"
_YES_NO = re.compile(r"^(is|are|was|were)\s+" + _SUBJECT + r"\s+(.+?)\s*\?+$", re.I)
_MODAL = re.compile(r"^(can|could|will|would|should)\s+" + _SUBJECT + r"\s+(.+?)\s*\?+$", re.I)
_DO = re.compile(r"^do\s+(we|you|they|I)\s+(.+?)\s*\?+$", re.I)
_WH = r"(how|what|when|where|why|which|who)"
_WH_MODAL = re.compile(r"^" + _WH + r"\s+(can|could|will|would|should)\s+" + _SUBJECT + r"\s+(.+?)\s*\?+$", re.I)
_WH_DO = re.compile(r"^" + _WH + r"\s+do\s+(we|you|they|I)\s+(.+?)\s*\?+$", re.I)
# Not when it ends on a preposition: "what is the figure based on" is left as it is.
_WH_BE = re.compile(
    r"^(what|when|where|who|how)\s+(is|are)\s+((?:the|our|your|my|this|that)\s+.+?)"
    r"(?<!\bon)(?<!\bfor)(?<!\bwith)(?<!\babout)(?<!\bto)(?<!\bfrom)(?<!\bof)(?<!\bin)(?<!\bat)(?<!\bby)\s*\?+$",
    re.I,
)


def _indirect_question(question: str) -> str:
    """'is there any discount …?' -> 'you asked whether there is any discount …': a question
    restated as a question reads as if the agent were asking it back. Forms it cannot
    turn round come back as they are."""
    m = _YES_NO.match(question) or _MODAL.match(question)
    if m:
        return f"you asked whether {_pronoun(m.group(2))} {m.group(1).lower()} {m.group(3)}"
    m = _DO.match(question)
    if m:
        return f"you asked whether {_pronoun(m.group(1))} {m.group(2)}"
    m = _WH_MODAL.match(question)
    if m:
        return f"you asked {m.group(1).lower()} {_pronoun(m.group(3))} {m.group(2).lower()} {m.group(4)}"
    m = _WH_DO.match(question)
    if m:
        # The customer's "how do I …" (swapped to "you"): how to do it.
        if m.group(1).lower() == "how" and m.group(2).lower() == "you":
            return f"you asked how to {m.group(3)}"
        return f"you asked {m.group(1).lower()} {_pronoun(m.group(2))} {m.group(3)}"
    m = _WH_BE.match(question)
    if m:
        return f"you asked {m.group(1).lower()} {m.group(3)} {m.group(2).lower()}"
    return question


def _pronoun(word: str) -> str:
    return word if word == "I" else word.lower()


def restatement_source(text: str, scenario_evidence: list[str], picked: list[str]) -> str:
    """The sentence to restate: what happened (scenario evidence) before how it felt
    ("This is UNACCEPTABLE" restates nothing), and a sentence, not a fragment.

    A threat ("or I dispute the charge") or a demand ("give me 30% off") says what they
    will do or want; restated back it reads as an order, so it is used only when nothing
    else is left."""
    low = text.lower()
    positions = [at for at in (low.find(e.lower()) for e in scenario_evidence) if at >= 0]
    evidence = _with_hits(text, positions)
    candidates: list[str] | None = None  # built only when the evidence sentences do not do
    sig = signals()

    def demand(sentence: str) -> bool:
        # "Give me …", "Please cancel …": a want stated as an order. "I want …" and
        # "I'd like …" restate well ("you'd like …"), so they are not demands.
        return any(pos <= 8 and not _FIRST_PERSON.match(hit) for _, hit, _, pos in sig["wants"].hits(sentence))

    for threats, orders, words, first_pool in (
        (True, True, 4, True),  # the sentence that decided the scenario
        (True, True, 5, False),
        (True, False, 5, False),
        (False, False, 5, False),
    ):
        if first_pool:
            pool = evidence
        else:
            if candidates is None:
                candidates = [*evidence, *picked, *sentences(text)]
            pool = candidates
        for sentence in pool:
            if len(sentence.split()) < words:
                continue
            if (threats and sig["risks"].hits(sentence)) or (orders and demand(sentence)):
                continue
            return sentence
    if candidates is None:
        candidates = [*evidence, *picked, *sentences(text)]
    # Nothing long enough: the longest of three words or more ("Someone stole my card"),
    # never a fragment ("Help!" restated reads "you correctly, help").
    return max((c for c in candidates if len(c.split()) >= 3), key=lambda c: len(c.split()), default="")


_FIRST_PERSON = re.compile(r"(?:i|i['’]d|i['’]m|we|we['’]d|my|our)\b", re.I)


def complaint_sentences(text: str, sig: dict[str, Any], scenario_evidence: list[str]) -> list[str]:
    """Sentences that carry the scenario evidence, anger or a complaint cue (positive weight)."""
    positions = [pos for _, _, w, pos in sig["anger"].hits(text) if w > 0]
    positions += [pos for _, _, w, pos in sig["complaint"].hits(text) if w > 0]
    low = text.lower()
    for e in scenario_evidence:
        at = low.find(e.lower())
        if at >= 0:
            positions.append(at)
    return _with_hits(text, positions)


# --- the whole reading ------------------------------------------------------------


def analyze(
    message: Message,
    playbooks: list[dict[str, Any]],
    *,
    needs: dict[str, list[dict[str, Any]]] | None = None,
    forced_playbook: str | None = None,
    forced_type: str | None = None,
    forced_language: str | None = None,
    history: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The analysis JSON of CONTRACT.md, plus ``complaint``, ``complaint_evidence``,
    ``complaint_sentences`` and ``restatement``. ``history`` is the sender's record from
    the complaint log (``{"count_90d": int, ...}``)."""
    sig = signals()
    text = mask_cards(message.body)
    scene = scenario(text, playbooks, message.subject)
    if forced_playbook:
        scene = {**scene, "id": forced_playbook, "confidence": 1.0, "forced": True}
    ang = anger(text, sig)
    ctype = customer_type(text, sig, ang, history)
    if forced_type:
        ctype = {"id": forced_type, "evidence": ["chosen by the agent"]}
    ents = entities(message.body)  # cards are read from the unmasked text
    if message.subject.strip():
        for key, values in entities(message.subject).items():
            ents[key] = _unique([*values, *ents[key]])
    is_complaint, complaint_evidence = complaint(text, sig, scene, ang)
    picked = complaint_sentences(text, sig, scene["evidence"])
    first = restatement_source(text, scene["evidence"], picked)
    missing = []
    for need in (needs or {}).get(scene["id"], []):
        entity = need.get("entity")
        if entity and not ents.get(entity):
            missing.append(need["id"])
    shown = message.to_dict()
    shown["body"] = text
    language = forced_language or detect_language(text, sig)
    return {
        "language": language,
        "message": shown,
        "scenario": scene,
        "customer_type": ctype,
        "anger": ang,
        "urgency": urgency(text, sig),
        "risks": risks(text, sig),
        "entities": ents,
        "wants": wants(text, sig),
        "missing": missing,
        "complaint": is_complaint,
        "complaint_evidence": complaint_evidence,
        "complaint_sentences": picked,
        # Told back in English only: the replies are English, and turning "my" into
        # "your" is English grammar ("meine Bestellung" would come back as it is).
        "restatement": restate(first) if first and language == "en" else "",
    }
