"""The whole reading of a message: every reading of the package applied to its clean
text, as the analysis JSON of the contract."""

from __future__ import annotations

from typing import Any

from replycoach.message import Message
from replycoach.reading import blend
from replycoach.reading.cuedata import signals
from replycoach.reading.cues import unique
from replycoach.reading.entities import entities, mask_cards
from replycoach.reading.feelings import anger, complaint, customer_type, risks, urgency
from replycoach.reading.language import detect_language
from replycoach.reading.listening import stake
from replycoach.reading.restate import restate, restatement_source
from replycoach.reading.scenario import scenario
from replycoach.reading.sentences import complaint_sentences, wants


def analyze(
    message: Message,
    playbooks: list[dict[str, Any]],
    *,
    needs: dict[str, list[dict[str, Any]]] | None = None,
    forced_playbook: str | None = None,
    forced_type: str | None = None,
    forced_language: str | None = None,
    history: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The analysis JSON of CONTRACT.md, plus ``complaint``, ``complaint_evidence``,
    ``complaint_sentences``, ``restatement`` and ``stake``. ``history`` is the sender's record from
    the complaint log (``{"count_90d": int, ...}``)."""
    sig = signals()
    text = mask_cards(message.body)
    denied: set[str] = set()
    scene = scenario(text, playbooks, message.subject, denied)
    # The model reads the body as the listening does (its features are made once).
    learned = blend.model_text(message.body, message.subject)
    if forced_playbook:
        scene = {**scene, "id": forced_playbook, "confidence": 1.0, "forced": True}
    else:
        scene = blend.scenario(learned, scene, denied)
    ang = blend.anger(learned, anger(text, sig))
    # Read while the text's word index is fresh (the anger cues just built it): the
    # stake's cues are tried at its words (reading/stakes.py).
    at_stake = stake(text)
    ctype = customer_type(text, sig, ang, history)
    if forced_type:
        ctype = {"id": forced_type, "evidence": ["chosen by the agent"]}
    ents = entities(message.body)  # cards are read from the unmasked text
    if message.subject.strip():
        for key, values in entities(message.subject).items():
            ents[key] = unique([*values, *ents[key]])
    is_complaint, complaint_evidence = complaint(text, sig, scene, ang)
    picked = complaint_sentences(text, sig, scene["evidence"])
    missing = []
    for need in (needs or {}).get(scene["id"], []):
        entity = need.get("entity")
        if entity and not ents.get(entity):
            missing.append(need["id"])
    shown = message.to_dict()
    shown["body"] = text
    # The subject is shown again too (analyze, JSON, the eml reply's "Re:" line).
    shown["subject"] = mask_cards(message.subject)
    language = forced_language or detect_language(text, sig)
    # Told back in English only: the replies are English, and turning "my" into
    # "your" is English grammar ("meine Bestellung" would come back as it is).
    first = restatement_source(text, scene["evidence"], picked) if language == "en" else ""
    return {
        "language": language,
        "message": shown,
        "scenario": scene,
        "customer_type": ctype,
        "anger": ang,
        "urgency": blend.urgency(learned, urgency(text, sig)),
        "risks": risks(text, sig),
        "entities": ents,
        "wants": wants(text, sig),
        "missing": missing,
        "complaint": is_complaint,
        "complaint_evidence": complaint_evidence,
        "complaint_sentences": picked,
        "restatement": restate(first) if first else "",
        # What depends on it for the customer (the wedding, a mother without heating).
        "stake": at_stake,
    }
