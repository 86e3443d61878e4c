"""Typos in the words scenario cues hinge on ("refnud", "acount", "pasword"), fixed
through single-deletion neighbourhoods of a spelling list (data/scenarios.yaml)."""

from __future__ import annotations

import re


def deletions(word: str) -> list[str]:
    return [word, *(word[:i] + word[i + 1 :] for i in range(len(word)))]


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def one_edit(a: str, b: str) -> bool:
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
        for variant in deletions(low):
            hit = speller.get(variant)
            if hit and one_edit(low, hit):
                return hit
        return word

    return _LONG_WORD.sub(fix, text)
