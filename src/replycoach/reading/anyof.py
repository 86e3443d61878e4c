r"""An alternation of patterns, tried only where one of its alternatives can start.

The listening's cue lists (the asks, trouble, praise, repeat, the day words) are each an
alternation over eight languages, ``(?:p1)(?!\w)|(?:p2)(?!\w)|...``. Python tries such
a regex at every position of a text, and each failed attempt tries every alternative:
~100-330 us a message for each list. ``AnyOf`` keeps each alternative its own regex
and tries it with an anchored ``match`` only at the words its pattern begins with
(``prefilter.match_starts``); at one position the alternatives are tried in their
order, so the earliest match wins and, at one position, the first alternative, as the
joined regex chooses. ``search`` and ``finditer`` answer as ``plain``'s, the joined
regex (the plain path, which the tests compare with over the corpus); only a named
group of another alternative is absent from ``groupdict()`` rather than None.

The plain regex is used instead where the word index could miss a match: a text with
a character a cue starts with that begins no word (the Cyrillic and Hebrew cues have
no word keys), or one whose case folding the lowered index does not follow (``_FOLDS``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from replycoach.reading.prefilter import index_key, use_keys, word_index

# Characters IGNORECASE matches with a letter of another lowercase ("ı" with "i", "ſ"
# with "s"; re's extra case pairs): the word index, keyed by ``str.lower``, would not
# list the word. A test checks this against the re module's own table.
_FOLDS = re.compile("[ıſµͅΐΰςϐϑϕϖϰϱϵᲀ-ᲈẛιﬅﬆ\u1fbe\u1fd3\u1fe3\ua64b]")

Starts = tuple[list[str] | None, str | None]


class AnyOf:
    """``re.compile("|".join(alternatives), flags)`` with ``search`` and ``finditer``
    tried only at the words the alternatives start with. ``starts`` holds each
    alternative's ``prefilter.match_starts``; ``plain``, when given, is the regex the
    alternatives stand for (the day words are one regex of named groups)."""

    def __init__(
        self, alternatives: list[str], starts: list[Starts], flags: int = re.IGNORECASE, plain: str | None = None
    ) -> None:
        self.alternatives = alternatives
        self.flags = flags
        self._plain_source = plain if plain is not None else "|".join(alternatives)
        self._plain: re.Pattern[str] | None = None
        self._regexes: list[re.Pattern[str] | None] = [None] * len(alternatives)
        self._by_key: dict[str, list[int]] = {}
        chars = ""
        for i, (keys, first) in enumerate(starts):
            source = alternatives[i]
            if len(source.lower()) != len(source) or _FOLDS.search(source):
                first = keys = None  # keys lowered from such a pattern could miss a match
            if keys is None:
                # No word keys: texts with one of its first characters use the plain regex;
                # none at all (a pattern the prefilter cannot read): every text does.
                chars += first if first is not None else "\x00"
                continue
            use_keys(keys)
            for key in keys:
                self._by_key.setdefault(index_key(key), []).append(i)
        self._chars = "".join(sorted(set(chars)))
        self._ascii_chars = "".join(ch for ch in self._chars if ch.isascii())
        self._every = "\x00" in chars

    @property
    def plain(self) -> re.Pattern[str]:
        """The joined regex: the plain path."""
        if self._plain is None:
            self._plain = re.compile(self._plain_source, self.flags)
        return self._plain

    def _regex(self, i: int) -> re.Pattern[str]:
        found = self._regexes[i]
        if found is None:
            found = self._regexes[i] = re.compile(self.alternatives[i], self.flags)
        return found

    def _keyed(self, text: str) -> bool:
        """Whether the word index finds every match of ``text``."""
        if self._every:
            return False
        if text.isascii():
            # The unkeyed cues (Cyrillic, Hebrew) start with letters an ASCII text lacks.
            return not any(ch in text for ch in self._ascii_chars)
        if any(ch in text for ch in self._chars):
            return False
        return len(text.lower()) == len(text) and not _FOLDS.search(text)

    def _tries(self, text: str) -> list[tuple[int, int]]:
        """(position, alternative) where a match may start, in the order to try them."""
        index = word_index(text)
        by_key = self._by_key
        tries = {(pos, i) for key in index.keys() & by_key.keys() for i in by_key[key] for pos in index[key]}
        return sorted(tries)

    def search(self, text: str) -> re.Match[str] | None:
        """``plain.search(text)``."""
        if not self._keyed(text):
            return self.plain.search(text)
        for pos, i in self._tries(text):
            m = self._regex(i).match(text, pos)
            if m:
                return m
        return None

    def finditer(self, text: str) -> Iterable[re.Match[str]]:
        """``plain.finditer(text)``, as a list."""
        if not self._keyed(text):
            return list(self.plain.finditer(text))
        out: list[re.Match[str]] = []
        end = 0
        for pos, i in self._tries(text):
            if pos < end:
                continue
            m = self._regex(i).match(text, pos)
            if m:
                if m.end() == pos:  # an empty match: finditer's rules for those are the plain regex's
                    return list(self.plain.finditer(text))
                out.append(m)
                end = m.end()
        return out
