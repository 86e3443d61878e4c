"""The message's sentences, and the readings that pick sentences out of it: what the
customer wants (``wants``) and what went wrong (``complaint_sentences``)."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TypedDict

from replycoach.reading.cuedata import Signals

# A full stop ends a sentence unless a word character follows at once ("12.99", "e.g",
# "v1.2", "example.com") or it closes a title ("Ms. Hawkings").
_SENTENCE = re.compile(
    r"(?:[^.!?\n]|\.(?=\w)|(?:(?<=\bMr)|(?<=\bMs)|(?<=\bMrs)|(?<=\bDr)|(?<=\bSt)|(?<=\bvs)|(?<=\be\.g)|(?<=\bi\.e))\.)+(?:[.!?]+|$)",
    re.M,
)


def sentences(text: str) -> list[str]:
    return [text[start:end].strip() for start, end in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text`` (before stripping)."""
    return [m.span() for m in _SENTENCE.finditer(text) if m.group().strip()]


class Wants(TypedDict):
    stated: bool
    text: str  # the first sentence that says what the customer wants, or ""


def with_hits(text: str, positions: list[int]) -> list[str]:
    """The sentences that contain one of the hit positions, in order."""
    out: list[str] = []
    if not positions:
        return out
    positions = sorted(positions)
    last = len(positions)
    for start, end in sentence_spans(text):
        k = bisect_left(positions, start)
        if k < last and positions[k] < end:
            out.append(text[start:end].strip())
    return out


def wants(text: str, sig: Signals) -> Wants:
    found = with_hits(text, [pos for *_, pos in sig["wants"].hits(text)])
    return Wants(stated=True, text=found[0]) if found else Wants(stated=False, text="")


def complaint_sentences(text: str, sig: Signals, scenario_evidence: list[str]) -> list[str]:
    """Sentences that carry the scenario evidence, anger or a complaint cue (positive weight)."""
    positions = [pos for _, _, w, pos in sig["anger"].hits(text) if w > 0]
    positions += [pos for _, _, w, pos in sig["complaint"].hits(text) if w > 0]
    low = text.lower()
    for e in scenario_evidence:
        at = low.find(e.lower())
        if at >= 0:
            positions.append(at)
    return with_hits(text, positions)
