"""What the draft says back to this customer's own words: the model of the message
(mode, problem, asks, questions, their deadline, threats, repeat contact, channel) turned
into the choices and template values ``compose.build`` uses.

The wording itself is data (``templates/listen.j2`` and the playbooks); this module only
decides: which resolve option grants what was asked, which asks are left to the agent,
whether a restatement can be trusted, and which form
(email or a short chat/social reply) the draft takes.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from replycoach.playbook.answers import CHANNELS
from replycoach.playbook.registry import GRANTABLE

MODES = ("complaint", "question", "request", "praise", "other")

_SAFETY = re.compile(
    r"\b(?:safe|safety|hazard|dangerous|danger|fire|burn\w*|shock\w*|smok\w*|toxic|poison\w*|explod\w*|overheat\w*)\b",
    re.IGNORECASE,
)
# What a trusted restatement never holds: the machine-quoting marks a team lead circles.
_UNTRUSTED = re.compile(r"@\w|#[^\W\d_]|https?://|www\.|&(?:amp|lt|gt|quot|#\d+);|\[\[|[\U0001F300-\U0001FAFF]")
_DANGLING = re.compile(
    r"\b(?:the|a|an|of|to|for|from|with|and|or|but|my|your|our|their|his|her|its|in|on|at|by|that|which)\s*$",
    re.IGNORECASE,
)
# A question told back as a statement, or the customer's swearing, is not a restatement.
_QUESTION_START = re.compile(
    r"^(?:where|what|how|why|when|who|which|can|could|would|will|should|is|are|do|does|did)\b", re.IGNORECASE
)
# A customer's "you" swapped into "we", or their own slip told back as blame.
_TURNED = re.compile(
    r"\b(?:we|we['’](?:ll|re|ve|d)|us|our)\b|\byou\s+(?:typed|entered|forgot|clicked|deleted|chose|picked|made a mistake)\b",
    re.IGNORECASE,
)
# An ask, a condition or the contact history is not the problem: "if it's an error, kindly
# refund the difference", "this is your third email and you want it escalated"; a sentence
# quoting someone ("you're not 'checking your statement again'") reads as mockery told back.
_NOT_THE_PROBLEM = re.compile(
    r"^(?:if|this is|you want|you would like|you'd like|you need|you are not|you're not)\b|\b(?:please|kindly|pls|plz)\b"
    r"|(?:^|\s)['‘\"“]|['’\"”](?:\s|$|[,.;])",
    re.IGNORECASE,
)
_SWEARING = re.compile(r"\b(?:\w*damn\w*|\w*fuck\w*|shit\w*|crap\w*|bloody|wtf|hell)\b", re.IGNORECASE)
_ORDINALS = {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth", 9: "ninth"}
RESTATE_MARKER = "[[restate the problem]]"
# Remedies a customer names as alternatives: granting one answers the others.
_REMEDIES = frozenset({"refund", "replacement", "repair"})
_BRACKETS = re.compile(r"\[\[|\]\]")
# A reference the customer already gave ("FB-30917", "INV-2026-1187", "2026-4471"), in the
# subject, the body or the quoted notice, that the reading's order words did not frame:
# asking for "your order number" then asks for what is in front of the agent.
_REFERENCE = re.compile(r"\b(?:[A-Z]{1,6}[-/]?\d{4,}(?:-\d+)*|\d{4,}-\d{3,})\b")
# Times and numbers are no clause: "8 10 p.m. would be best" told back is "I understand 8 10 p.m.".
_WORDLIKE = re.compile(r"[^\W\d_]{2,}")


def mode_of(analysis: dict[str, Any]) -> str:
    """The reply's mode; a message read without a mode is treated as the complaint it
    was drafted as before (the HEARD walk)."""
    mode = analysis.get("mode")
    return mode if mode in MODES else "complaint"


def trusted_problem(analysis: dict[str, Any]) -> str:
    """One clause the draft can restate, or the marker that asks the agent to write it."""
    problem = analysis.get("problem")
    text = problem.get("text", "") if isinstance(problem, dict) else ""
    if not text:
        text = str(analysis.get("restatement") or "")
    text = text.strip().rstrip(".!?;:,").strip()
    if not text or not trustworthy(text):
        return RESTATE_MARKER
    return text


def trustworthy(text: str) -> bool:
    """A complete clause of sensible length with nothing quoted by machine."""
    words = text.split()
    if not 3 <= len(words) <= 40 or _UNTRUSTED.search(text) or _DANGLING.search(text):
        return False
    if sum(1 for w in words if _WORDLIKE.search(w)) < 2:
        return False
    if _QUESTION_START.search(text) or _SWEARING.search(text) or _TURNED.search(text) or text.endswith("?"):
        return False
    if _NOT_THE_PROBLEM.search(text.replace("’s", "s").replace("'s", "s")):
        return False
    letters = [c for c in text if c.isalpha()]
    # Shouting restated is shouting back.
    return not (letters and sum(c.isupper() for c in letters) > 0.5 * len(letters))


def ask_ids(analysis: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for ask in analysis.get("asks") or []:
        aid = ask.get("id") if isinstance(ask, dict) else None
        if isinstance(aid, str) and aid not in out:
            out.append(aid)
    return out


def granting_option(options: list[dict[str, Any]], asks: list[str]) -> str | None:
    """The resolve option that grants the most of the grantable asks ("I want it back and
    compensation on top" is one refund-plus-credit, not a bare refund); among equals the one
    granting the customer's first ask, then the one granting least they did not ask for
    ("collect it" is a collection with the usual replacement, not a refund too), then the
    playbook's order."""
    best: tuple[int, int, int, int] | None = None
    chosen = None
    for place, option in enumerate(options):
        rank = grant_rank(option, asks)
        if rank is not None and (best is None or (*rank, place) < best):
            best, chosen = (*rank, place), str(option["id"])
    return chosen


def granted_choice(
    options: list[dict[str, Any]], asks: list[str], preferred: dict[str, Any], said: dict[str, Any] | None
) -> str | None:
    """The resolve option for what the customer asked, or None when no option grants it.
    The type's own choice (chronic: a replacement with a credit), then the option the
    message's words describe ("I lost my phone"), win when they grant as much, the first
    ask included: a repair asked before a replacement stays a repair."""
    granting = granting_option(options, asks)
    if granting is None:
        return None
    best = grant_rank(next(o for o in options if o["id"] == granting), asks) or (0, 0, 0)
    for other in (preferred, said):
        rank = grant_rank(other, asks) if other is not None else None
        if other is not None and rank is not None and rank[:2] <= best[:2]:
            granting = str(other["id"])
    return granting


def grant_rank(option: dict[str, Any], asks: list[str]) -> tuple[int, int, int] | None:
    """How well ``option`` grants these asks, lower is better; None when it grants none."""
    wanted = [aid for aid in asks if aid in GRANTABLE]
    grants = option.get("grants", ())
    granted = [wanted.index(aid) for aid in grants if aid in wanted]
    if not granted:
        return None
    return -len(granted), min(granted), sum(1 for aid in grants if aid not in wanted)


def questions(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """The customer's questions the reply answers in a line of their own. A question that
    makes one of their asks ("could someone senior call me?") is answered by what the
    reply does about that ask; one asking for information is answered in its slot."""
    acted = [
        str(a.get("text") or "").strip()
        for a in analysis.get("asks") or ()
        if isinstance(a, dict) and a.get("id") != "information"
    ]
    out = []
    for q in analysis.get("questions") or []:
        text = str(q).strip()
        if any(t and (t in text or text in t) for t in acted):
            continue
        if not text or _UNTRUSTED.search(text):
            text = re.sub(r"(?:^|\s)[@#]\w+|https?://\S+", "", text).strip()
        # The question goes into the agent's answer slot ("[[answer: …]]"): its own
        # brackets would end the slot early.
        text = _BRACKETS.sub("", text).strip()
        if text:
            # "slot": the agent's answer goes in; else a dated promise (a routed playbook's
            # sample answers hold no answer for it, compose decides).
            out.append({"text": text, "safety": bool(_SAFETY.search(text)), "slot": True})
    return out


def repeat(analysis: dict[str, Any], now: datetime | None = None) -> dict[str, Any] | None:
    """Whether this customer has had to write before about this: they say so ("my third
    email"), or the record holds a promise to them still open, or a complaint of the same
    kind in the last month. A "thank you for telling me straight away" is then wrong."""
    found = analysis.get("repeat_contact")
    if isinstance(found, dict):
        count = found.get("count")
        return {"text": found.get("text", ""), "ordinal": _ORDINALS.get(count) if isinstance(count, int) else None}
    history = analysis.get("history")
    if not isinstance(history, dict):
        return None
    scenario = (analysis.get("scenario") or {}).get("id")
    recent = [e for e in history.get("earlier") or () if e.get("scenario") == scenario and _within(e, now, days=30)]
    if history.get("open_promises") or recent:
        return {"text": "", "ordinal": None}
    return None


def _within(entry: dict[str, Any], now: datetime | None, days: int) -> bool:
    try:
        when = datetime.fromisoformat(str(entry.get("date", "")).replace("Z", "+00:00"))
    except ValueError:
        return False
    if now is None or when.tzinfo is None or now.tzinfo is None:
        return now is None
    return (now - when).days <= days


def channel_of(analysis: dict[str, Any], settings: dict[str, Any]) -> str:
    """The form the draft takes: the agent's (``--channel``, ``--set channel=``), else the
    one read in the message. The analysis keeps the one read."""
    chosen = settings.get("channel") or analysis.get("channel")
    return chosen if chosen in CHANNELS else "email"


def context(
    analysis: dict[str, Any],
    resolve: dict[str, Any] | None,
    due: datetime,
    settings: dict[str, Any],
    now: datetime | None = None,
    offered: frozenset[str] | None = None,
) -> dict[str, Any]:
    """The ``listen`` mapping the templates read. ``offered`` is what the playbook's
    options can grant at all: another remedy is offered instead only when one can."""
    asks = ask_ids(analysis)
    granted = set((resolve or {}).get("grants", ()))
    open_asks: list[dict[str, str]] = []
    for a in analysis.get("asks") or []:
        if not isinstance(a, dict) or a.get("id") not in GRANTABLE or a.get("id") in granted:
            continue
        if all(a.get("text") != o["text"] for o in open_asks):  # one line per sentence asked
            # "A refund or a replacement": the one granted answers it, the other is offered instead.
            instead = (
                str(a["id"])
                if a["id"] in _REMEDIES and granted & _REMEDIES and (offered is None or a["id"] in offered)
                else ""
            )
            phones = (analysis.get("entities") or {}).get("phones") or [""]  # the number they gave
            open_asks.append(
                {"id": str(a["id"]), "text": str(a.get("text", "")), "instead": instead, "phone": phones[0]}
            )
    channel = channel_of(analysis, settings)
    return {
        "mode": mode_of(analysis),
        "problem": trusted_problem(analysis),
        "asks": asks,
        "open_asks": open_asks,
        "wants_explanation": "explanation" in asks,
        "wants_prevention": "prevention" in asks,
        "wants_manager": "manager" in asks,
        "questions": questions(analysis),
        "risks": [r.get("id") for r in analysis.get("risks") or [] if isinstance(r, dict)],
        "repeat": repeat(analysis, now),
        "channel": channel,
        "short": channel in ("chat", "social"),
        # "Reply to this email" only to a message that came as one.
        "by_email": analysis.get("channel") in (None, "email"),
    }


def still_missing(needs: list[dict[str, Any]], analysis: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """The playbook's needs the reply still asks for: those the reading found missing,
    less an order number the message already shows as a reference code."""
    missing = set(analysis.get("missing") or ())
    given = _REFERENCE.search(text) is not None
    return [n for n in needs if n["id"] in missing and not (given and n.get("entity") == "order_ids")]


# The playbook written for an ask answers it in its own texts ("we charge every customer
# the same price"): no second line promises to look into it.
_ANSWERED_BY = {
    "discount": "discount-request",
    "cancel": "cancellation",
    "refund": "refund-request",
    "manager": "manager-request",
    "feature": "feature-request",
}


def routed(listen: dict[str, Any], playbook: str, analysis: dict[str, Any], chosen: bool) -> None:
    """What a routed playbook's reply still answers in its own lines: the asks its chosen
    option leaves open, less the one the playbook is written for; the questions its texts
    do not (one dated promise: its sample answers hold no answer for a [[slot]]), that is,
    none when the agent chose the playbook for this message, else those sharing no word
    with what the scenario was read from ("is there any discount?" in discount-request)."""
    listen["open_asks"] = [a for a in listen["open_asks"] if _ANSWERED_BY.get(a["id"]) != playbook]
    read = {w for e in (analysis.get("scenario") or {}).get("evidence") or () for w in _words(str(e))}
    listen["questions"] = [
        {**q, "slot": False}
        for q in listen["questions"]
        if q["safety"] or (not chosen and not read & _words(q["text"]))
    ]
    listen["wants_manager"] = False


def _words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[^\W\d_]{4,}", text)}


def problem_frame(pb: dict[str, Any], body: str) -> dict[str, Any] | None:
    """The playbook's problem frame for this message: the first whose ``said:`` phrases
    it uses, else the first that needs none."""
    frames: list[dict[str, Any]] = pb.get("problems", [])
    for frame in frames:
        if frame.get("said") and says(frame["said"], body):
            return frame
    return next((f for f in frames if not f.get("said")), None)


_PHRASES: dict[tuple[str, ...], Any] = {}


def says(cues: list[str], body: str) -> bool:
    """Whether ``body`` uses one of these phrases (the reading's cue syntax)."""
    # One joined regex per list: a yes/no needs no per-cue prefilter (building a CueSet's
    # word keys cost ~4 ms a list at start-up); re's warm cache makes the compile free.
    key = tuple(cues)
    found = _PHRASES.get(key)
    if found is None:
        from replycoach.reading.cues import cue_regex

        if len(_PHRASES) >= 64:
            _PHRASES.clear()
        found = _PHRASES[key] = re.compile("|".join(f"(?:{cue_regex(c)})" for c in cues), re.IGNORECASE)
    return found.search(body) is not None
