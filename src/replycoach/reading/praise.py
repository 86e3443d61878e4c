"""What a message of thanks praises: the person of ours it names ("especially to Marco on
reception", "your engineer Tomasz"), what they did, told back from the agent's side
("came out when your phones went down"), and a visit to come ("we'll be back in the
spring"). The reply thanks for that, not with a line that would fit any message.

The cues are data (``listening.yaml``'s ``thanks``); what was done is told back in
English only, where "my"/"our" can be turned into "your" word by word.
"""

from __future__ import annotations

import re
from typing import Any

_COMPILED: dict[str, list[re.Pattern[str]]] = {}
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
# The customer's side told back as the agent's ("our phones" -> "your phones"); "you" is ours.
_SWAP = {
    "i": "you",
    "me": "you",
    "my": "your",
    "we": "you",
    "us": "you",
    "our": "your",
    "i'd": "you'd",
    "we'd": "you'd",
    "i'm": "you're",
    "we're": "you're",
    "i've": "you've",
    "we've": "you've",
    "you": "we",
    "your": "our",
}
_PERSON = re.compile(r"\b(?:i['’](?:d|m|ve)|we['’](?:d|re|ve)|i|me|my|we|us|our|you|your)\b", re.IGNORECASE)
# What a person did, in a clause of its own after their name: a verb in the past.
_DEED = re.compile(
    r"^\s*(?:,\s*)?(?:who\s+)?(?P<deed>(?:\w+ed|kept|went|came|made|found|got|took|gave|sorted|fixed|helped|was|did"
    r"|stayed|spent|brought|rang|called|drove|cycled|knew|saw|told|sent|put|left|ran|built|won)\b[^.!?]*)",
    re.IGNORECASE,
)
# "... and he found it, rang us before we'd even noticed": the deed in the sentence after the name.
_PRONOUN_DEED = re.compile(r"\b(?:he|she|they)\s+(?P<rest>[^.!?]+)", re.IGNORECASE)
_CUTS = re.compile(r",\s|\s(?:so|because|which|although|but)\s")
_MAX_WORDS = 24
# Words that are no one's name though capitalised where they stand.
_NOT_NAMES = frozenset({"I", "You", "The", "Thanks", "Thank", "Hi", "Hello", "Dear", "Team", "Everyone"})


def _compiled(data: dict[str, Any]) -> dict[str, list[re.Pattern[str]]]:
    if not _COMPILED:
        for part in ("staff", "plan"):
            _COMPILED[part] = [re.compile(p, re.IGNORECASE) for p in data[part]]
    return _COMPILED


def praise(body: str, data: dict[str, Any], sender: str = "") -> dict[str, Any]:
    """``staff`` (a name, with its role: "Marco on reception"), ``name`` (the name alone),
    ``deed`` (what they did, from the agent's side, English only) and ``plan`` (None, or
    the time of the visit to come: "in the spring", "" when none is said). The
    ``sender``'s own names ("Thanks, Leah") are nobody of ours."""
    cues = _compiled(data)
    skip = set(sender.split())
    # A line wrapped inside a paragraph ("Marco on\nreception") is one sentence still.
    sentences = [m.group(0).strip() for m in _SENTENCE.finditer(re.sub(r"(?<=\S)\n(?=\S)", " ", body))]
    name = role = deed = ""
    for place, sentence in enumerate(sentences):
        found = _staff(sentence, cues["staff"], skip)
        if found is None:
            continue
        name, role = found.group("name").strip(), (found.groupdict().get("role") or "").strip()
        deed = _deed(sentence[found.end() :])
        if not deed and place + 1 < len(sentences):
            nxt = _PRONOUN_DEED.search(sentences[place + 1])
            deed = _deed(nxt.group("rest")) if nxt else ""
        break
    plan: str | None = None
    for rx in cues["plan"]:
        m = rx.search(body)
        if m:
            plan = (m.groupdict().get("when") or "").strip()
            break
    return {"name": name, "staff": f"{name} {role}".strip(), "deed": deed, "plan": plan}


def _staff(sentence: str, cues: list[re.Pattern[str]], skip: set[str] | frozenset[str]) -> re.Match[str] | None:
    for rx in cues:
        for m in rx.finditer(sentence):
            words = m.group("name").split()
            if words and not any(w in skip or w in _NOT_NAMES for w in words):
                return m
    return None


def _deed(after: str) -> str:
    """What the person did, told from the agent's side, or "" when the words after the
    name are no clause of its own (English only: other languages inflect their pronouns)."""
    m = _DEED.match(after)
    if not m or not after.isascii():
        return ""
    text = m.group("deed").strip().rstrip(",;:")
    words = text.split()
    if len(words) > _MAX_WORDS:
        cut = [c.start() for c in _CUTS.finditer(text) if 6 <= len(text[: c.start()].split()) <= _MAX_WORDS + 6]
        text = text[: cut[-1]] if cut else " ".join(words[:_MAX_WORDS])
    if len(text.split()) < 2:
        return ""
    return _PERSON.sub(lambda w: _swapped(w.group(0)), text).strip().rstrip(",;:")


def _swapped(word: str) -> str:
    swapped = _SWAP.get(word.lower().replace("’", "'"), word)
    return swapped.capitalize() if word[:1].isupper() and word.lower() != "i" else swapped
