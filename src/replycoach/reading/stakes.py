"""What depends on this for the customer: the wedding on Saturday, a mother of 84 without
heating, the shop that cannot take card payments, the rent due on the 1st. The reply's
empathy names it (templates/stakes.j2) instead of a line that would fit any message.

The cues are the ``stakes:`` section of ``data/listening.yaml``, validated with the rest of
that file and compiled once by ``reading.listening.stake``: kinds in the order they are
tried, each with its items and the ``unless`` cues that, right beside a hit, say it is none ("the party was on Sunday", "my flight was
cancelled"). The first kind read is the stake; the other kinds read come with it
(``also``), so a line can say "your mum without heating".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from replycoach.reading.cues import CueSet, cue_sets

_HANDLES = re.compile(r"(?:^|\s)[@#][\w.]+|https?://\S+|www\.\S+")
# How far from a hit an ``unless`` cue counts: the words right around it, in its sentence.
_NEAR = 30
_SENTENCE_END = re.compile(r"[.!?\n]")


class Compiled(NamedTuple):
    """The ``stakes:`` section ready to read: every cue in one ``CueSet`` (each tried only
    at the words it can start with), labelled "kind/item"; the items of each kind in
    order; each kind's ``unless`` pattern."""

    cues: CueSet
    kinds: dict[str, list[str]]
    unless: dict[str, re.Pattern[str] | None]


def compile_stakes(section: dict[str, Any], files: list[Path]) -> Compiled:
    """The validated section compiled (``files``: what the cached cue starts depend on)."""
    cues = [
        (f"{kind}/{item}", f"re:{cue}", 1.0)
        for kind, spec in section.items()
        for item, patterns in spec["items"].items()
        for cue in patterns
    ]
    unless = {
        kind: re.compile("|".join(f"(?:{c})" for c in spec["unless"]), re.IGNORECASE) if spec.get("unless") else None
        for kind, spec in section.items()
    }
    kinds = {kind: list(spec["items"]) for kind, spec in section.items()}
    return Compiled(cue_sets("stakes", files, {"stakes": cues})["stakes"], kinds, unless)


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


def read_stakes(body: str, compiled: Compiled) -> list[dict[str, str]]:
    """Every kind of stake the message names, in the data's order of kinds: per kind its
    first item (in the data's order) read and not denied beside it."""
    hits: dict[str, list[tuple[int, str]]] = {}
    for label, matched, _, pos in compiled.cues.hits(body):
        if matched.strip():
            hits.setdefault(label, []).append((pos, matched))
    found = []
    for kind, items in compiled.kinds.items():
        hit = _first(body, kind, items, hits, compiled.unless[kind])
        if hit is not None:
            found.append({"kind": kind, "item": hit[0], "text": phrase(hit[1])})
    return found


def _first(
    body: str,
    kind: str,
    items: list[str],
    hits: dict[str, list[tuple[int, str]]],
    unless: re.Pattern[str] | None,
) -> tuple[str, str] | None:
    """The kind's first item with a hit no ``unless`` cue denies: (item, words)."""
    for item in items:
        for pos, matched in hits.get(f"{kind}/{item}", ()):
            if unless is None or not unless.search(_near(body, pos, pos + len(matched))):
                return item, matched
    return None


def read_stake(body: str, compiled: Compiled) -> dict[str, Any] | None:
    """The stake the reply's empathy names: the first kind read, with the others (``also``)."""
    found = read_stakes(body, compiled)
    if not found:
        return None
    return {**found[0], "also": found[1:]}
