"""What the tool reads in a customer's message: scenario, anger, urgency, risks, type,
entities, wants and missing information, each with the evidence that decided it.

All cues and weights are data: scenario cues in each playbook's ``detect:`` section,
everything else in ``data/signals.yaml``. This module only knows how to apply them.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .message import Message

_SIGNALS_CACHE: dict[str, Any] = {}


# --- cue compilation -----------------------------------------------------------


def cue_regex(cue: str) -> str:
    """A phrase becomes a whole-word, space-flexible, apostrophe-tolerant regex;
    ``re:`` marks a raw regular expression."""
    if cue.startswith("re:"):
        return cue[3:]
    words = [re.escape(w).replace("'", "['’]") for w in cue.split()]
    body = r"\s+".join(words)
    left = r"\b" if re.match(r"\w", cue) else ""
    right = r"\b" if re.search(r"\w$", cue) else ""
    return f"{left}{body}{right}"


class CueSet:
    """Named, weighted cues matched in one pass of one combined regex."""

    def __init__(self, cues: list[tuple[str, str, float]]) -> None:
        # (label, cue text, weight); the label is what a hit counts towards.
        self.cues = cues
        if cues:
            pattern = "|".join(f"(?P<c{i}>{cue_regex(c)})" for i, (_, c, _) in enumerate(cues))
            self.regex: re.Pattern[str] | None = re.compile(pattern, re.IGNORECASE)
        else:
            self.regex = None

    def hits(self, text: str) -> list[tuple[str, str, float, int]]:
        """(label, matched text, weight, position) for each distinct cue found."""
        if self.regex is None:
            return []
        seen: set[int] = set()
        out = []
        for m in self.regex.finditer(text):
            index = int(m.lastgroup[1:]) if m.lastgroup else -1
            if index < 0 or index in seen:
                continue
            seen.add(index)
            label, _, weight = self.cues[index]
            out.append((label, m.group(0), weight, m.start()))
        return out


def _weighted(items: list[Any], label: str) -> list[tuple[str, str, float]]:
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append((label, item["cue"], float(item.get("weight", 1.0))))
        else:
            out.append((label, str(item), 1.0))
    return out


def signals() -> dict[str, Any]:
    """The compiled cue sets from ``data/signals.yaml`` (validated data is cached)."""
    if "compiled" in _SIGNALS_CACHE:
        return _SIGNALS_CACHE["compiled"]
    from .resources import builtin_dir, cached

    path = builtin_dir("data") if (builtin_dir("data")).is_dir() else None
    file = (path or builtin_dir("data")) / "signals.yaml"

    def build() -> Any:
        from .schema import plain
        from .yamlio import load_yaml_file

        return plain(load_yaml_file(file))

    data = cached("signals", [file], build)
    compiled = {
        "anger": CueSet(_weighted(data["anger"]["cues"], "anger")),
        "shouting": data["anger"]["shouting"],
        "exclamations": data["anger"]["exclamations"],
        "urgency": CueSet(_weighted(data["urgency"]["high"], "high") + _weighted(data["urgency"]["medium"], "medium")),
        "risks": CueSet([c for rid, cues in data["risks"].items() for c in _weighted(cues, rid)]),
        "types": CueSet([c for tid, cues in data["types"].items() for c in _weighted(cues, tid)]),
        "wants": CueSet(_weighted(data["wants"], "wants")),
        "languages": {lang: set(words) for lang, words in data["languages"].items()},
    }
    _SIGNALS_CACHE["compiled"] = compiled
    return compiled


_SCENARIO_CACHE: dict[tuple[int, ...], tuple[list[dict[str, Any]], CueSet]] = {}


def _scenario_cues(playbooks: list[dict[str, Any]]) -> CueSet:
    # Keyed by the playbooks themselves, not by the list (``Registry.detected()`` builds a
    # new list per call, so its id changed per message: a recompile and a leak each time).
    # The entry keeps the playbooks alive so their ids cannot be reused by other dicts.
    key = tuple(id(pb) for pb in playbooks)
    found = _SCENARIO_CACHE.get(key)
    if found is None:
        cues: list[tuple[str, str, float]] = []
        for pb in playbooks:
            detect = pb.get("detect", {})
            cues += _weighted(detect.get("cues", []), pb["id"])
            cues += [(f"-{pb['id']}", c, -w) for _, c, w in _weighted(detect.get("negative", []), "")]
        found = _SCENARIO_CACHE[key] = (list(playbooks), CueSet(cues))
    return found[1]


# --- entities -----------------------------------------------------------------

_ORDER = re.compile(
    r"(?:#\s?[A-Z0-9][A-Z0-9-]{3,}\b|\b(?:order|ordre|tilaus|bestilling|bestellung|commande|pedido|"
    r"заказ|invoice|ticket|booking|reference|ref)\s*(?:(?:no|nr|number|num|id)\.?\s*)?[:#]?\s*"
    r"([A-Z]{0,4}-?\d[A-Z0-9-]{3,})\b)",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    r"(?:[$€£¥]\s?\d[\d,.\u00a0 ]*\d|[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:€|EUR|USD|GBP|NOK|SEK|ILS|₪|RUB|₽|euros?|dollars?|kr)\b"
    r"|\b(?:EUR|USD|GBP|NOK|SEK|ILS|RUB)\s?\d[\d,.]*\d?)",
    re.IGNORECASE,
)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = re.compile(
    rf"\b(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\b|(?:last|this|next)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|yesterday|today|tomorrow|last\s+week|(?:\d+|two|three|four|five|six)\s+(?:days|weeks)\s+ago)\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){2,4}(?![\w])")
_CARD = re.compile(r"\b(?:\d[ -]?){13,19}\b")
_PRODUCT = re.compile(r"[\"“”«]([^\"“”«»\n]{3,60})[\"“”»]")


def mask_card(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return f"**** **** **** {digits[-4:]}"


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def entities(text: str) -> dict[str, list[str]]:
    cards = []
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 13 <= len(digits) <= 19 and _luhn(digits):
            cards.append(mask_card(digits))
    scrubbed = _CARD.sub(
        lambda m: (
            " "
            if _luhn(re.sub(r"\D", "", m.group(0)) or "0") and len(re.sub(r"\D", "", m.group(0))) >= 13
            else m.group(0)
        ),
        text,
    )
    orders = []
    for m in _ORDER.finditer(scrubbed):
        if m.group(1):
            value = m.group(1)
            if scrubbed[m.start(1) - 1 : m.start(1)] == "#":
                value = "#" + value  # keep the customer's own spelling: "#48213"
        else:
            value = m.group(0).replace(" ", "")
        value = value.strip()
        if value not in orders:
            orders.append(value)
    emails = _unique(m.group(0) for m in _EMAIL.finditer(scrubbed))
    no_email = _EMAIL.sub(" ", scrubbed)
    order_digits = {re.sub(r"\D", "", o) for o in orders}
    phones = _unique(
        p
        for p in (m.group(0).strip() for m in _PHONE.finditer(no_email))
        if 7 <= len(re.sub(r"\D", "", p)) <= 15 and re.sub(r"\D", "", p) not in order_digits and not _DATE.fullmatch(p)
    )
    return {
        "order_ids": orders,
        "amounts": _unique(m.group(0).strip() for m in _AMOUNT.finditer(scrubbed)),
        "dates": _unique(m.group(0) for m in _DATE.finditer(scrubbed)),
        "emails": emails,
        "phones": phones,
        "products": _unique(m.group(1).strip() for m in _PRODUCT.finditer(scrubbed)),
        "cards": cards,
    }


def _unique(items: Any) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


# --- the pieces of the reading ------------------------------------------------------

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.M)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def detect_language(text: str, sig: dict[str, Any]) -> str:
    words = re.findall(r"\w+", text.lower())[:400]
    if not words:
        return "en"
    scores = {lang: sum(1 for w in words if w in vocab) for lang, vocab in sig["languages"].items()}
    if re.search(r"[\u0590-\u05ff]", text):
        return "he"
    if re.search(r"[\u0400-\u04ff]", text) and len(re.findall(r"[\u0400-\u04ff]", text)) > len(text) * 0.2:
        return "ru"
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else "en"


def _level(score: float, cuts: tuple[float, float, float] = (0.15, 0.35, 0.6)) -> str:
    if score < cuts[0]:
        return "none"
    if score < cuts[1]:
        return "low"
    if score < cuts[2]:
        return "medium"
    return "high"


def anger(text: str, sig: dict[str, Any]) -> dict[str, Any]:
    evidence: list[str] = []
    total = 0.0
    for _, matched, weight, _ in sig["anger"].hits(text):
        total += weight
        evidence.append(matched)
    words = re.findall(r"\b[^\W\d_]{3,}\b", text)
    caps = [w for w in words if w.isupper()]
    shout = sig["shouting"]
    if len(caps) >= shout["caps_words"] and len(caps) / max(len(words), 1) >= shout["caps_ratio"] * 0.5:
        total += shout["weight"]
        evidence.append("ALL CAPS")
    excl = sig["exclamations"]
    if re.search(f"!{{{excl['run']},}}", text):
        total += excl["weight"]
        evidence.append("!!!")
    score = round(1 - math.exp(-total), 3)
    return {"score": score, "level": _level(score), "evidence": evidence}


def urgency(text: str, sig: dict[str, Any]) -> dict[str, Any]:
    hits = sig["urgency"].hits(text)
    levels = [label for label, *_ in hits]
    level = "high" if "high" in levels else "medium" if "medium" in levels else "none"
    return {"level": level, "evidence": [m for _, m, _, _ in hits]}


def risks(text: str, sig: dict[str, Any]) -> list[dict[str, Any]]:
    found: dict[str, list[str]] = {}
    for rid, matched, _, _ in sig["risks"].hits(text):
        found.setdefault(rid, []).append(matched)
    return [{"id": rid, "evidence": ev} for rid, ev in found.items()]


def customer_type(text: str, sig: dict[str, Any], anger_result: dict[str, Any]) -> dict[str, Any]:
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for tid, matched, weight, _ in sig["types"].hits(text):
        scores[tid] = scores.get(tid, 0.0) + weight
        evidence.setdefault(tid, []).append(matched)
    if anger_result["level"] == "high":
        scores["aggressive"] = scores.get("aggressive", 0.0) + 0.8
        evidence.setdefault("aggressive", []).extend(e for e in anger_result["evidence"] if e in ("ALL CAPS", "!!!"))
    if not scores:
        return {"id": "neutral", "evidence": []}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < 0.8:
        return {"id": "neutral", "evidence": []}
    return {"id": best, "evidence": evidence.get(best, [])}


def wants(text: str, sig: dict[str, Any]) -> dict[str, Any]:
    for sentence in sentences(text):
        if sig["wants"].hits(sentence):
            return {"stated": True, "text": sentence}
    return {"stated": False, "text": ""}


def scenario(text: str, playbooks: list[dict[str, Any]], subject: str = "") -> dict[str, Any]:
    cues = _scenario_cues(playbooks)
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for label, matched, weight, _ in cues.hits(f"{subject}\n{text}"):
        pid = label.lstrip("-")
        scores[pid] = scores.get(pid, 0.0) + weight
        if weight > 0:
            evidence.setdefault(pid, []).append(matched)
    thresholds = {pb["id"]: pb.get("detect", {}).get("threshold", 1.0) for pb in playbooks}
    ranked = sorted((s, pid) for pid, s in scores.items() if s >= thresholds.get(pid, 1.0))
    if not ranked:
        return {"id": "general", "confidence": 0.5, "evidence": []}
    best_score, best = ranked[-1]
    runner_up = ranked[-2][0] if len(ranked) > 1 else 0.0
    confidence = round(min(0.99, (1 - math.exp(-best_score)) * (1 - 0.5 * runner_up / best_score)), 2)
    return {"id": best, "confidence": confidence, "evidence": evidence.get(best, [])}


_SWAP = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "im": "you're",
    "we": "you",
    "us": "you",
    "our": "your",
    "ours": "yours",
    "am": "are",
    "you": "we",
    "your": "our",
    "yours": "ours",
    "you're": "we're",
    "you've": "we've",
}


def restate(sentence: str) -> str:
    """The customer's sentence seen from the agent's side ("my order" -> "your order")."""

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        new = _SWAP.get(word.lower().replace("’", "'"), word)
        if (
            word.lower() == "you"
            and m.start() > 0
            and re.search(r"\b(?:to|for|with|from|at|by|sent|told|charged|gave)\s+$", sentence[: m.start()], re.I)
        ):
            new = "us"
        if word[0].isupper() and m.start() == 0:
            new = new[:1].upper() + new[1:]
        return new

    out = re.sub(r"\b(?:i['’]m|i['’]ve|i['’]d|i['’]ll|you['’]re|you['’]ve|[A-Za-z]+)\b", swap, sentence.strip())
    out = out[:1].lower() + out[1:] if not out.startswith("I ") else out
    return out.rstrip(" .!?")


def complaint_sentences(text: str, sig: dict[str, Any], scenario_evidence: list[str]) -> list[str]:
    picked = []
    for sentence in sentences(text):
        low = sentence.lower()
        if any(e.lower() in low for e in scenario_evidence) or sig["anger"].hits(sentence):
            picked.append(sentence)
    return picked


# --- the whole reading ------------------------------------------------------------


def analyze(
    message: Message,
    playbooks: list[dict[str, Any]],
    *,
    needs: dict[str, list[dict[str, Any]]] | None = None,
    forced_playbook: str | None = None,
    forced_type: str | None = None,
    forced_language: str | None = None,
) -> dict[str, Any]:
    sig = signals()
    text = message.body
    scene = scenario(text, playbooks, message.subject)
    if forced_playbook:
        scene = {**scene, "id": forced_playbook, "confidence": 1.0, "forced": True}
    ang = anger(text, sig)
    ctype = customer_type(text, sig, ang)
    if forced_type:
        ctype = {"id": forced_type, "evidence": ["chosen by the agent"]}
    ents = entities(f"{message.subject}\n{text}")
    complaint = complaint_sentences(text, sig, scene["evidence"])
    first = complaint[0] if complaint else (sentences(text) or [""])[0]
    missing = []
    for need in (needs or {}).get(scene["id"], []):
        entity = need.get("entity")
        if entity and not ents.get(entity):
            missing.append(need["id"])
    return {
        "language": forced_language or detect_language(text, sig),
        "message": message.to_dict(),
        "scenario": scene,
        "customer_type": ctype,
        "anger": ang,
        "urgency": urgency(text, sig),
        "risks": risks(text, sig),
        "entities": ents,
        "wants": wants(text, sig),
        "missing": missing,
        "complaint_sentences": complaint,
        "restatement": restate(first) if first else "",
    }
