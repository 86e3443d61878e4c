"""What depends on this for the customer: the wedding on Saturday, a mother of 84 without
heating, the shop that cannot take card payments, the rent due on the 1st. The reply's
empathy names it (templates/stakes.j2) instead of a line that would fit any message.

The cues are the ``stakes:`` section of ``data/listening.yaml`` (validated with the rest
of that file, and compiled once by ``reading.listening.stake``): kinds in the order they are tried, each with its items and the ``unless``
cues that, right beside a hit, say it is none ("the party was on Sunday", "my flight was
cancelled"). The first kind read is the stake; the other kinds read come with it
(``also``), so a line can say "your mum without heating".
"""

from __future__ import annotations

import re
from typing import Any

# kind -> ([(item, pattern)], the unless pattern or None): the section compiled.
Compiled = dict[str, tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str] | None]]
_HANDLES = re.compile(r"(?:^|\s)[@#][\w.]+|https?://\S+|www\.\S+")
# How far from a hit an ``unless`` cue counts: the words right around it, in its sentence.
_NEAR = 30
_SENTENCE_END = re.compile(r"[.!?\n]")


def compile_stakes(section: dict[str, Any]) -> Compiled:
    """The validated ``stakes:`` section as one pattern per item (and per kind's ``unless``)."""

    def one(cues: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{c})" for c in cues), re.IGNORECASE)

    return {
        kind: (
            [(item, one(cues)) for item, cues in spec["items"].items()],
            one(spec["unless"]) if spec.get("unless") else None,
        )
        for kind, spec in section.items()
    }


def phrase(text: str) -> str:
    """The customer's words for the stake, as a reply may show them: no @handles or
    links, no shouting capitals, one space between words."""
    text = " ".join(_HANDLES.sub(" ", text).split()).strip(" ,;:.!?-–—()\"'")
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) > len(letters) / 2:
        text = text.lower()
    return text


def _near(body: str, start: int, end: int) -> str:
    """The words around a hit, cut at its sentence's ends."""
    before = body[max(0, start - _NEAR) : start]
    after = body[end : end + _NEAR]
    cut = list(_SENTENCE_END.finditer(before))
    if cut:
        before = before[cut[-1].end() :]
    stop = _SENTENCE_END.search(after)
    if stop:
        after = after[: stop.start()]
    return f"{before}{body[start:end]}{after}"


def _read_kind(
    body: str, items: list[tuple[str, re.Pattern[str]]], unless: re.Pattern[str] | None
) -> tuple[str, str] | None:
    """The kind's first item (in the data's order) read and not denied beside it:
    (item, the customer's words), or None."""
    for item, rx in items:
        for m in rx.finditer(body):
            if m.group(0).strip() and not (unless is not None and unless.search(_near(body, m.start(), m.end()))):
                return item, m.group(0)
    return None


def read_stakes(body: str, compiled: Compiled) -> list[dict[str, str]]:
    """Every kind of stake the message names, in the data's order of kinds."""
    found = []
    for kind, (items, unless) in compiled.items():
        hit = _read_kind(body, items, unless)
        if hit is not None:
            found.append({"kind": kind, "item": hit[0], "text": phrase(hit[1])})
    return found


def read_stake(body: str, compiled: Compiled) -> dict[str, Any] | None:
    """The stake the reply's empathy names: the first kind read, with the others (``also``)."""
    found = read_stakes(body, compiled)
    if not found:
        return None
    return {**found[0], "also": found[1:]}
