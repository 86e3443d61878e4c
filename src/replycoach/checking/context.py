"""What a check knows: the reply (masked) and whatever is known about the customer's
message, each worked out once per check however many rules ask."""

from __future__ import annotations

import re
from typing import Any

from replycoach.checking.apology import _sincere
from replycoach.checking.text import _spans
from replycoach.checking.topics import _keywords


class _Context:
    """The reply (masked) and whatever is known about the customer's message."""

    def __init__(self, text: str, message: str | None, analysis: dict[str, Any] | None) -> None:
        self.text = text
        self.analysis = analysis
        if message is None and analysis is not None:
            message = (analysis.get("message") or {}).get("body")
        self.message = message
        self._spans: dict[str, list[tuple[int, int]]] = {}
        self._sincere: list[re.Match[str] | None] = []
        # The reply's topic words; the engine sets them from its blocks' (see engine).
        self._keywords: set[str] | None = None
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

    def spans(self, scope: str) -> list[tuple[int, int]]:
        found = self._spans.get(scope)
        if found is None:
            found = self._spans[scope] = _spans(self.text, scope)
        return found

    def sincere(self) -> re.Match[str] | None:
        if not self._sincere:
            self._sincere.append(_sincere(self.text))
        return self._sincere[0]

    def keywords(self) -> set[str]:
        """The reply's topic words (read-only: shared by the structural checks)."""
        if self._keywords is None:
            self._keywords = _keywords(self.text)
        return self._keywords

    def anger_level(self) -> str | None:
        if self.analysis is not None and "anger" in self.analysis:
            level: str | None = self.analysis["anger"].get("level")
            return level
        if self.message is None:
            return None
        from replycoach.reading.cuedata import signals
        from replycoach.reading.feelings import anger

        found: str = anger(self.message, signals())["level"]
        return found

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
            from replycoach.reading.sentences import sentences

            self._sentences = sentences(self.message or "")
        return self._sentences

    def keywords_of(self, text: str) -> set[str]:
        """_keywords of a piece of the message (read-only), worked out once per check."""
        found = self._message_keywords.get(text)
        if found is None:
            found = self._message_keywords[text] = _keywords(text)
        return found
