"""Cues: the phrases and patterns of the data files, with weights, and the sets they are
matched in (``CueSet``): each cue its own small regex, tried only where it can start
(``prefilter``), compiled when a message first tries it.

A hit is (label, matched text, weight, position); readings add up the weights of their
labels and keep the matched texts as evidence (``unique``, ``unique_ci``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from replycoach.reading import prefilter
from replycoach.reading.prefilter import index_key, match_starts, use_keys, word_index


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


class CueSet:
    """Named, weighted cues, each its own small regex, tried only where it can match."""

    def __init__(
        self,
        cues: list[tuple[str, str, float]],
        starts: list[tuple[list[str] | None, str | None]] | None = None,
    ) -> None:
        # (label, cue text, weight); the label is what a hit counts towards.
        self.cues = cues
        if starts is None:
            starts = [match_starts(cue_regex(cue)) for _, cue, _ in cues]
        # Per cue, the word starts a match begins with, or else the characters it starts
        # with (``prefilter.match_starts``), or neither (None).
        self.keys = [keys for keys, _ in starts]
        self.chars = [chars for _, chars in starts]
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
        for cue_keys_ in self.keys:
            use_keys(cue_keys_)

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
            chars = self.chars[i]
            if chars is not None and not any(ch in text for ch in chars):
                continue  # none of the characters a match starts with
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


def cue_sets(kind: str, files: list[Path], lists: dict[str, list[tuple[str, str, float]]]) -> dict[str, CueSet]:
    """A CueSet per named cue list, its cues' starts (``match_starts``) cached with the
    validated data: walking every built-in pattern costs ~30 ms, more than a draft may."""
    from replycoach.foundation.resources import cached

    def build() -> dict[str, tuple[list[tuple[str, str, float]], list[tuple[list[str] | None, str | None]]]]:
        return {name: (cues, [match_starts(cue_regex(cue)) for _, cue, _ in cues]) for name, cues in lists.items()}

    # The prefilter's file is part of the key: the keys are computed by its code.
    stored = cached(f"{kind}-keys", [*files, Path(prefilter.__file__)], build)
    sets: dict[str, CueSet] = {}
    for name, cues in lists.items():
        entry = stored.get(name)
        # A team's own cues (a playbook's detect: section) are not in the entry: walked afresh.
        sets[name] = CueSet(cues, entry[1] if entry and entry[0] == cues else None)
    return sets


def weighted(items: list[str | dict[str, str | float]], label: str) -> list[tuple[str, str, float]]:
    """Cues as the data files give them (a string, or a cue with a weight) as
    (label, cue, weight)."""
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append((label, str(item["cue"]), float(item.get("weight", 1.0))))
        else:
            out.append((label, str(item), 1.0))
    return out


def tail_pattern(items: list[str]) -> str:
    """Cues that must end right before a hit (negators, intensifiers), as one anchored regex."""
    return r"(?:" + "|".join(cue_regex(c) for c in items) + r")[\s,]*$"


def unique(items: Iterable[str]) -> list[str]:
    """The items once each, in order; empty ones left out."""
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


def unique_ci(items: list[str]) -> list[str]:
    """Evidence once, whatever its case or surrounding spaces."""
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append(item.strip())
    return out
