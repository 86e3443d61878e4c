"""Which scenario a message is (refund, late delivery, outage ...): the scenario cues
of each id add up, the highest score over its threshold wins, and a message that reads
as nothing is read again with typos in the key words fixed."""

from __future__ import annotations

import math
from typing import Any, NotRequired, TypedDict

from replycoach.reading.cuedata import ScenarioCues, scenario_cues
from replycoach.reading.cues import unique_ci
from replycoach.reading.spelling import respell


class Scene(TypedDict):
    id: str  # a playbook id, or "general"
    confidence: float
    evidence: list[str]
    forced: NotRequired[bool]  # chosen by the agent, not read


def _score(
    text: str, cues: ScenarioCues, denied: set[str] | None = None
) -> tuple[dict[str, float], dict[str, list[str]]]:
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for pid, matched, weight, _ in cues["cues"].hits(text):
        scores[pid] = scores.get(pid, 0.0) + weight
        evidence.setdefault(pid, []).append(matched)
    for pid in scores:
        for _, _, weight, _ in cues["negative"][pid].hits(text):
            scores[pid] += weight
            if denied is not None:
                denied.add(pid)
    return scores, evidence


def scenario(text: str, playbooks: list[dict[str, Any]], subject: str = "", denied: set[str] | None = None) -> Scene:
    """The scenario the body (and subject) read as. The subject is scored on its own,
    so the body's word index is shared with every other reading of the message.
    ``denied`` (when given) gets the ids a negative cue spoke against ("I don't want
    a refund"): the learned model, blind to negation, must not pick those."""
    cues = scenario_cues(playbooks)
    thresholds = cues["thresholds"]
    full = f"{subject}\n{text}" if subject.strip() else text
    scores, evidence = _score(text, cues, denied)
    if subject.strip():
        more, more_evidence = _score(subject, cues, denied)
        for pid, value in more.items():
            seen = {e.lower() for e in evidence.get(pid, [])}
            new = [e for e in more_evidence.get(pid, []) if e.lower() not in seen]
            if new:  # a cue counts once, wherever it appears
                scores[pid] = scores.get(pid, 0.0) + value
                evidence[pid] = new + evidence.get(pid, [])
    if not any(s >= thresholds.get(pid, 1.0) for pid, s in scores.items()):
        # Nothing found: try again with typos in the key words fixed.
        fixed = respell(full, cues["speller"], cues["known"])
        if fixed != full:
            scores, evidence = _score(fixed, cues, denied)
    rank = cues["order"]
    # Highest score wins; on a tie the id listed first in scenarios.yaml does.
    ranked = sorted((s, -rank.get(pid, 99), pid) for pid, s in scores.items() if s >= thresholds.get(pid, 1.0))
    if not ranked:
        return Scene(id="general", confidence=0.5, evidence=[])
    best_score, _, best = ranked[-1]
    runner_up = ranked[-2][0] if len(ranked) > 1 else 0.0
    confidence = round(min(0.99, (1 - math.exp(-best_score)) * (1 - 0.5 * runner_up / best_score)), 2)
    return Scene(id=best, confidence=confidence, evidence=unique_ci(evidence.get(best, [])))
