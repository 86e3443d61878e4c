"""The cues' reading and the learned model's, combined: scenario, anger, urgency and the
mode (complaint or not first, then question, request, praise or other).

Each function takes what the cues read and returns the same shape. The model
(``reading.model``, weights in data/model.json) is loaded on the first call and its
features are made once per text; ``model.combine`` applies the rule the training script
tuned by cross-validation. Where the model changes a label, the evidence is the words
of the message that pushed it there (``model.explain``), so it still names what decided.
``weights`` is for the training and evaluation scripts (a model just fitted); the run
time reads the shipped file.
"""

from __future__ import annotations

from typing import Any

from replycoach.reading import model
from replycoach.reading.feelings import Anger, Urgency
from replycoach.reading.scenario import Scene

_ANGRY_LEVELS = ("medium", "high")
# The model raises anger the cues missed only when it alone finds anger at least twice
# as likely as calm: a raised level changes the draft (it apologises, and the checker
# asks it to), so a lean of the F1-tuned mix, or a coin flip near 0.5, is not enough.
RAISE_AT = 2 / 3
# The languages the mode model has enough rows of to overrule the cues. In the others
# (some 35 tune rows each) cross-validation on the tune rows found the cues alone right
# more often than the blend (0.80 of rows against 0.75; in English 0.70 against 0.76).
MODE_MODEL_LANGUAGES = frozenset({"en"})


def model_text(body: str, subject: str = "") -> str:
    """What the model reads: the subject line, then the body (as in training)."""
    return f"{subject}\n{body}" if subject.strip() else body


def scenario(
    text: str, scene: Scene, denied: set[str] | frozenset[str] = frozenset(), weights: dict[str, Any] | None = None
) -> Scene:
    """The cue's scenario (score 1.0 for the id it read) beside the model's
    probabilities (its labels are the built-in scenario ids, as the cues' are). The
    model reads no negation: an id a negative cue denied stays out."""
    if scene.get("forced"):
        return scene
    probs = model.scores("scenario", text, weights)
    if denied:
        probs = {k: v for k, v in probs.items() if k not in denied}
    label, _ = model.combine("scenario", {scene["id"]: 1.0}, probs, weights)
    if label == scene["id"]:
        return scene
    if label == "general":
        return Scene(id="general", confidence=0.5, evidence=[])
    words = model.explain("scenario", text, label, 3, weights)
    return Scene(id=label, confidence=round(min(0.99, probs.get(label, 0.0)), 2), evidence=words)


def anger(text: str, found: Anger, weights: dict[str, Any] | None = None) -> Anger:
    """Angry (medium or high) or calm, from the cues' score and the model's probability.
    One way only: anger the cues heard (a threat, an insult, shouting) stands; the model
    can hear anger they missed, and then the level is medium. The score stays the cues'
    (how strong the wording is)."""
    if found["level"] in _ANGRY_LEVELS:
        return found
    probs = model.scores("anger", text, weights)
    label, _ = model.combine("anger", {"angry": found["score"]}, probs, weights)
    if label != "angry" or probs["angry"] < RAISE_AT:
        return found
    words = model.explain("anger", text, "angry", 3, weights)
    return Anger(score=found["score"], level="medium", evidence=[*found["evidence"], *words])


def urgency(text: str, found: Urgency, weights: dict[str, Any] | None = None) -> Urgency:
    """One way, as anger: urgency the cues found ("today", "by Friday") stands; the model
    may find it where they found none."""
    if found["level"] != "none":
        return found
    probs = model.scores("urgency", text, weights)
    label, _ = model.combine("urgency", {found["level"]: 1.0}, probs, weights)
    if label == found["level"]:
        return found
    if label == "none":
        return Urgency(level="none", evidence=[])
    return Urgency(level=label, evidence=model.explain("urgency", text, label, 3, weights))


def mode(
    text: str,
    cue_mode: str,
    evidence: list[str],
    anger: str = "none",
    weights: dict[str, Any] | None = None,
    language: str = "en",
) -> tuple[str, list[str]]:
    """Complaint or not (the cues' word against the model's probability, by the tuned
    threshold); when not, the other four labels by the model with the cues' label added.
    An angry customer's message is a complaint (unhappy about something): the draft
    apologises to anger, and the checker asks it to, which a question's would not.
    In a ``language`` outside ``MODE_MODEL_LANGUAGES`` the cues' mode stands."""
    if anger in _ANGRY_LEVELS:
        return "complaint", evidence if cue_mode == "complaint" else [f"anger: {anger}"]
    if language not in MODE_MODEL_LANGUAGES:
        return cue_mode, evidence
    probs = model.scores("mode", text, weights)
    cue_complaint = 1.0 if cue_mode == "complaint" else 0.0
    said, _ = model.combine("complaint", {"complaint": cue_complaint}, probs, weights)
    if said == "complaint":
        if cue_mode == "complaint":
            return cue_mode, evidence
        return "complaint", model.explain("mode", text, "complaint", 3, weights)
    rest = {k: v for k, v in probs.items() if k != "complaint"}
    cue = {cue_mode: 1.0} if cue_mode in rest else {}
    label, _ = model.combine("mode", cue, rest, weights)
    if label == cue_mode:
        return cue_mode, evidence
    return label, model.explain("mode", text, label, 3, weights)
