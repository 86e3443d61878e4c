r"""Trying a regex only where a match can start: at the words its pattern begins with.

Python's regex engine tries a pattern at every position of a text, and a cue such as
``\b(?:furious|livid|...)\b`` costs a failed attempt at each. Most patterns can only
begin at the start of a word with a known beginning, which the pattern spells out:
``word_start_keys`` reads it from the parsed pattern, ``word_index`` says where each
key starts a word of a text, and the regex is tried with an anchored ``match`` there
only. The plain path, a search of the whole text, finds the same (the tests compare
them over every corpus text); measured, ~11x less work per message read. A pattern
that need not start a word is searched only in texts holding a character it can start
with (``match_starts``).

The pattern is parsed with CPython's own ``re._parser`` (a private module: any surprise
means "no keys", and the caller searches as usual). Nothing here knows about cues: a
pattern in, its keys out, so the checker's rule patterns could use it too.
"""

from __future__ import annotations

import re
from typing import Any

_WORD = re.compile(r"\w+")


def word_start_keys(regex: str) -> list[str] | None:
    """The lowercase word starts a match of ``regex`` (IGNORECASE) must begin with, when
    every match starts at a word boundary: up to three letters ("ord"), a whole shorter
    word ("i$"), or a shorter start the pattern spells out ("no", any word beginning so).
    None when they are not known: search the whole text."""
    return match_starts(regex)[0]


def match_starts(regex: str) -> tuple[list[str] | None, str | None]:
    """``(keys, chars)``: the word starts of ``word_start_keys``, or when those are not
    known, the characters (either case) a match of ``regex`` (IGNORECASE) starts with, so
    a text holding none of them is not searched (Russian cues on English text).
    ``(None, None)``: search every text."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(regex, re.IGNORECASE)
    except Exception:  # a private API that may change: plain search is always correct
        return None, None

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

    def seq(items: Any, prefixes: list[str], words: bool) -> tuple[list[str], bool]:
        """Extend every prefix through ``items``, up to three word characters (``words``)
        or one character of any kind; True when the walk had to stop. A prefix that
        cannot be extended at all comes back as ""."""
        items = list(items)
        for i, (op, av) in enumerate(items):
            if all(len(p) >= (3 if words else 1) for p in prefixes):
                return prefixes, True
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue
            if op is c.LITERAL or op is c.IN:
                chars = char_set(op, av)
                if chars is None:
                    return prefixes, True
                if words and not all(ch.isalnum() or ch == "_" for ch in chars):
                    if not any(ch.isalnum() or ch == "_" for ch in chars):
                        # The word ends here: a short key must be the whole word ("i$").
                        return [p + "$" if len(p) < 3 else p for p in prefixes], True
                    return prefixes, True
                prefixes = list(dict.fromkeys(p + ch if len(p) < 3 else p for p in prefixes for ch in chars))
                if len(prefixes) > 400:
                    return [p[:1] for p in prefixes], True
                continue
            if op is c.SUBPATTERN:
                prefixes, stopped = seq(av[-1], prefixes, words)
                if stopped:
                    return prefixes, True
                continue
            if op is c.BRANCH:
                out: list[str] = []
                stopped = False
                for alt in av[1]:
                    more, stop = seq(alt, prefixes, words)
                    out += more
                    stopped = stopped or stop
                prefixes = list(dict.fromkeys(out))
                if stopped:
                    return prefixes, True
                continue
            if op in (c.MAX_REPEAT, c.MIN_REPEAT):
                through, _ = seq(av[2], prefixes, words)
                if av[0] > 0:
                    return through, True
                skipped, _ = seq(items[i + 1 :], prefixes, words)  # optional: or what follows
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
        keys, _ = seq(tree, [""], True)
        if keys and "" not in keys:
            return sorted(set(keys)), None
    firsts, _ = seq(tree, [""], False)
    if firsts and "" not in firsts:
        chars = {p[0] for p in firsts}
        return None, "".join(sorted(chars | {ch.upper() for ch in chars}))
    return None, None


_SHORT_KEYS: set[str] = set()  # keys under three letters some pattern uses ("no": "no*")
# The word indexes of the last few texts (by identity), shared by all cue sets and the
# entities: each reading of a message looks its words up in the same index.
_INDEX: dict[int, tuple[str, dict[str, list[int]]]] = {}
_INDEX_SIZE = 16


def index_key(key: str) -> str:
    """A key of ``word_start_keys`` ("ord", "i$", "no") as ``word_index`` names it."""
    if key.endswith("$"):
        return key[:-1]
    return key if len(key) >= 3 else key + "*"


def word_index(text: str) -> dict[str, list[int]]:
    """Where the words of ``text`` start, in text order, by key: a word's first three
    lowercase letters ("ord"), a whole word shorter than that ("i", "on"), and ``"no*"``
    for every word that starts with one of the short keys in use (``use_keys``)."""
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


def use_keys(keys: list[str] | None) -> None:
    r"""Make ``word_index`` list the words beginning with each short key of ``keys``
    ("no" of ``\bno\w*``): a pattern's keys are registered before it is looked up."""
    short = {k for k in keys or () if len(k) < 3 and not k.endswith("$")}
    if not short <= _SHORT_KEYS:
        _SHORT_KEYS.update(short)
        _INDEX.clear()  # indexes built before lack the new short keys


def matches_at_words(regex: re.Pattern[str], text: str, words: list[str]) -> list[re.Match[str]]:
    r"""Non-overlapping matches of ``regex`` tried only where a word of the text begins
    with one of ``words``' keys (their first three letters): ``regex.finditer`` of the
    pattern after ``\b``, for a pattern that begins with one of ``words``."""
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
