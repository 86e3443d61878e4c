"""How the customer feels and what they threaten: anger (lexicon hits, shouting,
threats), urgency, risks, the complainant type, and whether the message is a complaint."""

from __future__ import annotations

import math
import re
from typing import Any, NotRequired, TypedDict

from replycoach.reading.cuedata import Signals, TypeRules
from replycoach.reading.cues import unique, unique_ci
from replycoach.reading.scenario import Scene

# Scenarios where the customer reports something that went wrong (a complaint by nature);
# the rest (refund, cancellation, discount, feature, manager) may be plain requests.
_PROBLEM_SCENARIOS = frozenset({"damaged-or-defective", "late-delivery", "billing-error", "outage"})


class Anger(TypedDict):
    score: float  # 0..1
    level: str  # none, low, medium, high
    evidence: list[str]


class Urgency(TypedDict):
    level: str  # none, medium, high
    evidence: list[str]


class Risk(TypedDict):
    id: str
    evidence: list[str]


class CustomerType(TypedDict):
    id: str
    evidence: list[str]
    was: NotRequired[str]  # what the wording read as, when the complaint log decided


def _level(score: float, cuts: tuple[float, float, float] = (0.15, 0.35, 0.6)) -> str:
    if score < cuts[0]:
        return "none"
    if score < cuts[1]:
        return "low"
    if score < cuts[2]:
        return "medium"
    return "high"


_CAPS_WORD = re.compile(r"\b[^\W\d_]{3,}\b")  # the words ``anger`` counts capitals among


def anger(text: str, sig: Signals) -> Anger:
    """Lexicon hits (negated ones dropped, intensified ones boosted), shouting and
    punctuation runs, summed and squashed to 0..1 so several mild signs add up."""
    evidence: list[str] = []
    total = 0.0
    negators = sig["anger_negators"]
    intensifiers = sig["intensifiers"]
    for _, matched, weight, pos in sig["anger"].hits(text):
        before = text[max(0, pos - 30) : pos]
        if negators is not None and weight > 0 and negators.search(before):
            continue  # "not angry", "never rude": the cue is denied
        if intensifiers is not None and weight > 0 and intensifiers.search(before):
            weight *= sig["intensifier_boost"]
        total += weight
        if weight > 0:
            evidence.append(matched)
    words = _CAPS_WORD.findall(text)
    caps = [w for w in words if w.isupper()]
    shout = sig["shouting"]
    # Shouting: mostly capitals, or several long words in capitals for emphasis
    # ("NOBODY answered ... a JOKE"); short all-caps words are often acronyms (PIN, ATM).
    emphatic = sum(1 for w in caps if len(w) >= 4)
    if (len(caps) >= shout["caps_words"] and len(caps) / max(len(words), 1) >= shout["caps_ratio"]) or (
        emphatic >= shout["emphasis_words"]
    ):
        total += shout["weight"]
        evidence.append("ALL CAPS")
    if sig["threats"]:
        # A threat (lawyer, chargeback, public review, leaving) is a sign of anger too.
        for rid, ev in {r["id"]: r["evidence"] for r in risks(text, sig)}.items():
            weight = sig["threats"].get(rid, 0.0)
            if weight:
                total += weight
                evidence.append(ev[0])
    total = max(total, 0.0)
    score = round(1 - math.exp(-total), 3)
    return Anger(score=score, level=_level(score, sig["levels"]), evidence=unique_ci(evidence))


def urgency(text: str, sig: Signals) -> Urgency:
    hits = sig["urgency"].hits(text)
    levels = [label for label, *_ in hits]
    level = "high" if "high" in levels else "medium" if "medium" in levels else "none"
    return Urgency(level=level, evidence=[m for _, m, _, _ in hits])


def risks(text: str, sig: Signals) -> list[Risk]:
    found: dict[str, list[str]] = {}
    for rid, matched, _, _ in sig["risks"].hits(text):
        found.setdefault(rid, []).append(matched)
    return [Risk(id=rid, evidence=ev) for rid, ev in found.items()]


def customer_type(text: str, sig: Signals, anger_result: Anger, history: dict[str, Any] | None = None) -> CustomerType:
    rules = sig["type_rules"]
    wording = _wording_type(text, sig, anger_result, rules)
    count = int((history or {}).get("count_90d") or 0)
    if count >= rules["history_chronic_count"]:
        # The complaint log outranks wording: it is what "chronic" means.
        dates = ", ".join((history or {}).get("dates", []))
        detail = f" (earlier: {dates})" if dates else ""
        return CustomerType(id="chronic", evidence=[f"complaint {count} in 90 days{detail}"], was=wording["id"])
    return wording


def _wording_type(text: str, sig: Signals, anger_result: Anger, rules: TypeRules) -> CustomerType:
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for tid, matched, weight, _ in sig["types"].hits(text):
        scores[tid] = scores.get(tid, 0.0) + weight
        evidence.setdefault(tid, []).append(matched)
    # Hostility counts towards aggressive: high anger fully, medium anger half.
    hostility = {"high": 1.0, "medium": 0.5}.get(anger_result["level"], 0.0) * rules["anger_high_aggressive"]
    if hostility:
        scores["aggressive"] = scores.get("aggressive", 0.0) + hostility
        evidence.setdefault("aggressive", []).extend(anger_result["evidence"][:3])
    if not scores:
        return CustomerType(id="neutral", evidence=[])
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < rules["threshold"]:
        return CustomerType(id="neutral", evidence=[])
    return CustomerType(id=best, evidence=unique(evidence.get(best, [])))


def complaint(text: str, sig: Signals, scene: Scene, anger_result: Anger) -> tuple[bool, list[str]]:
    """A complaint reports something wrong or voices displeasure; a question, request or
    praise is not one. Cue weights (negative for praise and plain questions) add up."""
    total = 0.0
    evidence: list[str] = []
    for _, matched, weight, _ in sig["complaint"].hits(text):
        total += weight
        if weight > 0:
            evidence.append(matched)
    if scene["id"] in _PROBLEM_SCENARIOS and not scene.get("forced"):
        total += 1.0
        evidence.append(f"scenario: {scene['id']}")
    if anger_result["level"] in ("medium", "high"):
        total += 1.0
        evidence.append(f"anger: {anger_result['level']}")
    is_complaint = total >= sig["complaint_threshold"]
    return is_complaint, unique(evidence) if is_complaint else []
