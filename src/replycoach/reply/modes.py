"""What a reply that is no complaint answers: the person and the deed a message of thanks
names, the information a request asks for, and whether a machine wrote the message (an
out-of-office: the draft is then a note to the agent). The ``listen`` keys the
templates read for these (``templates/answers.j2``, ``listen.j2``'s praise opener,
``auto-reply.j2``)."""

from __future__ import annotations

import re
from typing import Any

# "let us know how we can export our history": told back as "how you can export your history".
_TELL_ME = re.compile(
    r"^(?:(?:please|pls|kindly|and|also|could you|can you)\s+)*(?:let (?:me|us) know|tell (?:me|us)|advise (?:me|us))"
    r"\s+(?P<what>(?:how|what|when|where|whether|if|which|who|why)\b.+)$",
    re.IGNORECASE,
)
_SWAP = {"i": "you", "me": "you", "my": "your", "we": "you", "us": "you", "our": "your", "if": "whether"}
_PERSON = re.compile(r"\b(?:i|me|my|we|us|our|if)\b", re.IGNORECASE)


# Asks whose granting line answers the question asking them in full ("Could someone call
# me?" -> "I will call you ..."): no answer slot beside it.
_ANSWERED_BY_GRANT = frozenset({"callback", "cancel"})


def context(analysis: dict[str, Any], questions: list[dict[str, Any]], granted: Any = ()) -> dict[str, Any]:
    """``praise`` (reading/praise.py's, or {}), ``auto_reply`` (what showed a machine wrote
    it, or ""), ``informs`` (the information asks no question already holds) and
    ``to_answer`` (the questions a question's or a request's reply answers one by one:
    not those the ``granted`` resolve already answers)."""
    machine = (analysis.get("mode_evidence") or [""])[0] if analysis.get("auto_reply") else ""
    done = {
        str(a.get("text", "")).rstrip("?").lower()
        for a in analysis.get("asks") or ()
        if isinstance(a, dict) and a.get("id") in _ANSWERED_BY_GRANT and a.get("id") in set(granted)
    }
    to_answer = [q for q in questions if not any(d and d in q["text"].lower() for d in done)]
    return {
        "praise": analysis.get("praise") or {},
        # One sentence inside the note's [[marker]] (the checker reads a marker per sentence).
        "auto_reply": str(machine).replace(". ", " "),
        "informs": informs(analysis, questions),
        "to_answer": to_answer,
    }


def informs(analysis: dict[str, Any], questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each information ask ("let us know how we can export ...") that is not one of the
    questions: ``text`` told back when it can be ("how you can export ..."), ``told``
    whether it is, else the customer's own words (quoted by the template)."""
    asked = [q["text"].rstrip("?").lower() for q in questions]
    out: list[dict[str, Any]] = []
    for ask in analysis.get("asks") or ():
        if not isinstance(ask, dict) or ask.get("id") != "information":
            continue
        text = " ".join(str(ask.get("text", "")).split()).strip(" -–•*").rstrip(".!?,;:")
        if not text or any(text.lower() in q or q in text.lower() for q in asked):
            continue
        m = _TELL_ME.match(text)
        told = bool(m and text.isascii())
        if m and told:
            text = _PERSON.sub(lambda w: _SWAP[w.group(0).lower()], m.group("what"))
        out.append({"text": text, "told": told})
    return out
