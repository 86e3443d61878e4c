"""What the tool reads in a customer's message: scenario, anger, urgency, risks, type,
complaint, entities, wants and missing information, each with the evidence that decided it.

All cues and weights are data: built-in scenario cues in ``data/scenarios.yaml`` (a
playbook's own ``detect:`` section replaces them for that id), everything else in
``data/signals.yaml``. Both are validated strictly on a cache miss only; this module
applies them. Every cue set is one combined regex so a message is scanned once per set.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from .message import Message

_CACHE: dict[str, Any] = {}

# Scenarios where the customer reports something that went wrong (a complaint by nature);
# the rest (refund, cancellation, discount, feature, manager) may be plain requests.
_PROBLEM_SCENARIOS = frozenset({"damaged-or-defective", "late-delivery", "billing-error", "outage"})


# --- cue compilation -----------------------------------------------------------


def cue_regex(cue: str) -> str:
    """A phrase becomes a whole-word, space-flexible, apostrophe-tolerant regex;
    ``re:`` marks a raw regular expression."""
    if cue.startswith("re:"):
        return cue[3:]
    words = [re.escape(w).replace("'", "['’]?") for w in cue.split()]
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
            # A zero-width lookahead: a long match does not hide a cue that starts inside it.
            pattern = "(?=" + "|".join(f"(?P<c{i}>{cue_regex(c)})" for i, (_, c, _) in enumerate(cues)) + ")"
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
            out.append((label, m.group(f"c{index}"), weight, m.start()))
        return out


def _weighted(items: list[Any], label: str) -> list[tuple[str, str, float]]:
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append((label, item["cue"], float(item.get("weight", 1.0))))
        else:
            out.append((label, str(item), 1.0))
    return out


def _tail_regex(items: list[str]) -> re.Pattern[str] | None:
    """Cues that must end right before a hit (negators, intensifiers), as one anchored regex."""
    if not items:
        return None
    return re.compile(r"(?:" + "|".join(cue_regex(c) for c in items) + r")[\s,]*$", re.IGNORECASE)


# --- the data files ------------------------------------------------------------------


def _data_path(name: str) -> Path:
    from .resources import builtin_dir

    return builtin_dir("data") / name


def _specs() -> tuple[Any, Any]:
    """Schemas of signals.yaml and scenarios.yaml (built only on a cache miss)."""
    from .schema import Field, List, Map, MapOf, Num, OneOf, Str

    cue = OneOf(
        (str, Str()),
        (dict, Map({"cue": Field(Str(), required=True), "weight": Field(Num(), default=1.0)})),
    )
    cues = List(cue)
    words = List(Str())
    lid = r"[a-z0-9][a-z0-9-]*"
    signals_spec = Map(
        {
            "anger": Field(
                Map(
                    {
                        "cues": Field(cues, required=True),
                        "negators": Field(words, default=list),
                        "intensifiers": Field(words, default=list),
                        "intensifier_boost": Field(Num(min=1), default=1.0),
                        "threats": Field(MapOf(Num(), key=lid), default=dict),
                        "levels": Field(List(Num(min=0, max=1), min_len=3), default=lambda: [0.15, 0.35, 0.6]),
                        "shouting": Field(
                            Map(
                                {
                                    "caps_ratio": Field(Num(min=0, max=1), required=True),
                                    "caps_words": Field(Num(integer=True, min=1), required=True),
                                    "weight": Field(Num(), required=True),
                                    "emphasis_words": Field(Num(integer=True, min=1), default=3),
                                }
                            ),
                            required=True,
                        ),
                    }
                ),
                required=True,
            ),
            "urgency": Field(
                Map({"high": Field(cues, default=list), "medium": Field(cues, default=list)}), required=True
            ),
            "risks": Field(MapOf(cues, key=lid), required=True),
            "types": Field(MapOf(cues, key="aggressive|rip-off|high-roller|meek|chronic"), required=True),
            "type_rules": Field(
                Map(
                    {
                        "threshold": Field(Num(min=0), default=0.8),
                        "anger_high_aggressive": Field(Num(min=0), default=0.8),
                        "history_chronic_count": Field(Num(integer=True, min=1), default=3),
                    }
                ),
                default=dict,
            ),
            "complaint": Field(
                Map({"cues": Field(cues, required=True), "threshold": Field(Num(), default=1.0)}),
                required=True,
            ),
            "wants": Field(cues, required=True),
            "languages": Field(
                MapOf(Map({"words": Field(Str(), required=True), "letters": Field(Str(), default="")}), key=lid),
                required=True,
            ),
        },
        name="signals",
    )
    scenario = Map(
        {
            "cues": Field(cues, required=True),
            "negative": Field(cues, default=list),
            "threshold": Field(Num(min=0), default=1.0),
        }
    )
    scenarios_spec = Map(
        {"scenarios": Field(MapOf(scenario, key=lid), required=True), "spelling": Field(Str(), default="")},
        name="scenarios",
    )
    return signals_spec, scenarios_spec


def _load_validated(kind: str, name: str) -> Any:
    from .resources import cached

    path = _data_path(name)

    def build() -> Any:
        from .errors import DataError
        from .schema import line_of, validate
        from .yamlio import load_yaml_file

        tree = load_yaml_file(path)
        spec = _specs()[0 if kind == "signals" else 1]
        data = validate(tree, spec, file=str(path))
        # A cue that is not a valid regex is a data error with its place, not a crash later.
        for where, item in _walk_cues(data):
            text = item["cue"] if isinstance(item, dict) else item
            try:
                re.compile(cue_regex(text))
            except re.error as exc:
                raise DataError(
                    f"invalid pattern: {exc}",
                    file=str(path),
                    line=line_of(tree, *where),
                    field=".".join(map(str, where)),
                ) from None
        return data

    return cached(kind, [path], build)


def _walk_cues(node: Any, path: tuple[Any, ...] = ()) -> Any:
    if isinstance(node, dict):
        if "cue" in node:
            yield path, node
            return
        for key, value in node.items():
            if key not in {"languages", "shouting", "levels", "type_rules"}:
                yield from _walk_cues(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, str):
                yield (*path, i), value
            else:
                yield from _walk_cues(value, (*path, i))


def signals() -> dict[str, Any]:
    """The compiled cue sets from ``data/signals.yaml``."""
    found = _CACHE.get("signals")
    if found is not None:
        return found
    data = _load_validated("signals", "signals.yaml")
    a = data["anger"]
    compiled = {
        "anger": CueSet(_weighted(a["cues"], "anger")),
        "anger_negators": _tail_regex(a["negators"]),
        "intensifiers": _tail_regex(a["intensifiers"]),
        "intensifier_boost": a["intensifier_boost"],
        "threats": a["threats"],
        "levels": tuple(a["levels"][:3]),
        "shouting": a["shouting"],
        "urgency": CueSet(_weighted(data["urgency"]["high"], "high") + _weighted(data["urgency"]["medium"], "medium")),
        "risks": CueSet([c for rid, cues in data["risks"].items() for c in _weighted(cues, rid)]),
        "types": CueSet([c for tid, cues in data["types"].items() for c in _weighted(cues, tid)]),
        "type_rules": {
            "threshold": 0.8,
            "anger_high_aggressive": 0.8,
            "history_chronic_count": 3,
            **data["type_rules"],
        },
        "complaint": CueSet(_weighted(data["complaint"]["cues"], "complaint")),
        "complaint_threshold": data["complaint"]["threshold"],
        "wants": CueSet(_weighted(data["wants"], "wants")),
        "languages": {lang: (frozenset(v["words"].split()), v["letters"]) for lang, v in data["languages"].items()},
    }
    _CACHE["signals"] = compiled
    return compiled


def builtin_scenarios() -> dict[str, Any]:
    """``data/scenarios.yaml``: the built-in cues per playbook id, and the spelling list."""
    found = _CACHE.get("scenarios")
    if found is None:
        found = _CACHE["scenarios"] = _load_validated("scenarios", "scenarios.yaml")
    return found


def _scenario_cues(playbooks: list[dict[str, Any]]) -> dict[str, Any]:
    """Cue sets over every detectable id: built-in cues, replaced per id by a playbook's
    own ``detect:`` section; thresholds per id; ids in priority order (ties)."""
    overrides = {pb["id"]: pb["detect"] for pb in playbooks if pb.get("detect", {}).get("cues")}
    key = repr(sorted(overrides.items()))
    found = _CACHE.get(("scenario", key))
    if found is None:
        data = builtin_scenarios()
        specs = dict(data["scenarios"])
        specs.update(overrides)
        cues: list[tuple[str, str, float]] = []
        negative: dict[str, CueSet] = {}
        thresholds: dict[str, float] = {}
        for pid, spec in specs.items():
            cues += _weighted(spec.get("cues", []), pid)
            negative[pid] = CueSet([(pid, c, -abs(w)) for _, c, w in _weighted(spec.get("negative", []), "")])
            thresholds[pid] = float(spec.get("threshold", 1.0))
        speller: dict[str, str] = {}
        for word in data["spelling"].split():
            for variant in _deletions(word.lower()):
                speller.setdefault(variant, word.lower())
        found = _CACHE[("scenario", key)] = {
            # Negative cues get their own pass per id, run only for ids that scored: in
            # one shared regex a cue of another id at the same position would hide them.
            "cues": CueSet(cues),
            "negative": negative,
            "thresholds": thresholds,
            "order": {pid: i for i, pid in enumerate(specs)},
            "speller": speller,
            "known": frozenset(w.lower() for w in data["spelling"].split()),
        }
    return found


def _deletions(word: str) -> list[str]:
    return [word, *(word[:i] + word[i + 1 :] for i in range(len(word)))]


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _one_edit(a: str, b: str) -> bool:
    """One letter inserted, dropped or two neighbours swapped; not a changed letter,
    which turns real words into key words ("change" -> "charge")."""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(long) - len(short) != 1:
        return False
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def respell(text: str, speller: dict[str, str], known: frozenset[str]) -> str:
    """Typos in the words scenario cues hinge on ("refnud", "acount", "pasword") fixed
    through single-deletion neighbourhoods, checked to be one edit away."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if low in known or len(low) < 5:
            return word
        for variant in _deletions(low):
            hit = speller.get(variant)
            if hit and _one_edit(low, hit):
                return hit
        return word

    return _LONG_WORD.sub(fix, text)


# --- entities -----------------------------------------------------------------

_ORDER = re.compile(
    r"(?:#\s?[A-Z0-9][A-Z0-9-]{3,}\b|\b(?:order|purchase|ordre|tilaus|tilausnumero|bestilling|bestellung|commande|pedido|"
    r"заказ|invoice|ticket|case|booking|reference|ref|rma|tracking)\s*(?:(?:no|nr|number|num|id|#)\.?\s*)?[:#]?\s*"
    r"([A-Z]{0,4}-?\d[A-Z0-9-]{3,})\b)",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    r"(?:[$€£¥₪₽]\s?\d[\d,.\u00a0 ]*\d|[$€£¥₪₽]\s?\d|\b\d[\d,.]*\s?(?:€|EUR|USD|GBP|NOK|SEK|DKK|ILS|NIS|₪|RUB|₽|руб\w*|euros?|dollars?|pounds?|kr|kroner)(?!\w)"
    r"|\b(?:EUR|USD|GBP|NOK|SEK|DKK|ILS|NIS|RUB|US\$|CA\$|AU\$)\s?\d[\d,.]*\d?)",
    re.IGNORECASE,
)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_DATE = re.compile(
    rf"\b(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\b(?:\s+\d{{4}})?|(?:last|this|next|on)\s+{_WEEKDAY}"
    rf"|(?:last|this|next)\s+(?:week|month|weekend)|yesterday|today|tomorrow|the\s+day\s+before\s+yesterday"
    r"|(?:\d+|a|one|two|three|four|five|six|seven|ten)\s+(?:days?|weeks?|months?)\s+ago)\b",
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


def _is_card(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    return 13 <= len(digits) <= 19 and _luhn(digits)


def mask_cards(text: str) -> str:
    """Card numbers (Luhn-valid, 13-19 digits) masked wherever the text is shown again."""
    if not any(ch.isdigit() for ch in text):
        return text
    return _CARD.sub(lambda m: mask_card(m.group(0)) if _is_card(m.group(0)) else m.group(0), text)


def entities(text: str) -> dict[str, list[str]]:
    cards = [mask_card(m.group(0)) for m in _CARD.finditer(text) if _is_card(m.group(0))]
    scrubbed = _CARD.sub(lambda m: " " if _is_card(m.group(0)) else m.group(0), text) if cards else text
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
    no_email = _EMAIL.sub(" ", scrubbed) if emails else scrubbed
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
        "cards": _unique(cards),
    }


def _unique(items: Any) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


# --- the pieces of the reading ------------------------------------------------------

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.M)
_WORD = re.compile(r"\w+")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def detect_language(text: str, sig: dict[str, Any]) -> str:
    """Script first (Hebrew, Cyrillic), then frequent words plus telltale letters."""
    sample = text[:3000]
    hebrew = len(re.findall(r"[\u0590-\u05ff]", sample))
    cyrillic = len(re.findall(r"[\u0400-\u04ff]", sample))
    latin = len(re.findall(r"[A-Za-z\u00c0-\u024f]", sample))
    if hebrew and hebrew >= latin * 0.3:
        return "he"
    if cyrillic and cyrillic >= latin * 0.3:
        return "ru"
    words = _WORD.findall(sample.lower())[:400]
    if not words:
        return "en"
    low = sample.lower()
    scores: dict[str, float] = {}
    for lang, (vocab, letters) in sig["languages"].items():
        score = float(sum(1 for w in words if w in vocab))
        if letters:
            score += 0.5 * min(6, sum(low.count(ch) for ch in letters))
        scores[lang] = score
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


_CAPS_WORD = re.compile(r"\b[^\W\d_]{3,}\b")


def anger(text: str, sig: dict[str, Any]) -> dict[str, Any]:
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
    return {"score": score, "level": _level(score, sig["levels"]), "evidence": evidence}


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


def customer_type(
    text: str, sig: dict[str, Any], anger_result: dict[str, Any], history: dict[str, Any] | None = None
) -> dict[str, Any]:
    rules = sig["type_rules"]
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    count = int((history or {}).get("count_90d") or 0)
    if count >= rules["history_chronic_count"]:
        # The complaint log outranks wording: it is what "chronic" means.
        return {"id": "chronic", "evidence": [f"{count} complaints in 90 days"]}
    for tid, matched, weight, _ in sig["types"].hits(text):
        scores[tid] = scores.get(tid, 0.0) + weight
        evidence.setdefault(tid, []).append(matched)
    # Hostility counts towards aggressive: high anger fully, medium anger half.
    hostility = {"high": 1.0, "medium": 0.5}.get(anger_result["level"], 0.0) * rules["anger_high_aggressive"]
    if hostility:
        scores["aggressive"] = scores.get("aggressive", 0.0) + hostility
        evidence.setdefault("aggressive", []).extend(anger_result["evidence"][:3])
    if not scores:
        return {"id": "neutral", "evidence": []}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < rules["threshold"]:
        return {"id": "neutral", "evidence": []}
    return {"id": best, "evidence": _unique(evidence.get(best, []))}


def wants(text: str, sig: dict[str, Any]) -> dict[str, Any]:
    for sentence in sentences(text):
        if sig["wants"].hits(sentence):
            return {"stated": True, "text": sentence}
    return {"stated": False, "text": ""}


def _score(text: str, cues: dict[str, Any]) -> tuple[dict[str, float], dict[str, list[str]]]:
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for pid, matched, weight, _ in cues["cues"].hits(text):
        scores[pid] = scores.get(pid, 0.0) + weight
        evidence.setdefault(pid, []).append(matched)
    for pid in scores:
        for _, _, weight, _ in cues["negative"][pid].hits(text):
            scores[pid] += weight
    return scores, evidence


def scenario(text: str, playbooks: list[dict[str, Any]], subject: str = "") -> dict[str, Any]:
    cues = _scenario_cues(playbooks)
    thresholds = cues["thresholds"]
    full = f"{subject}\n{text}" if subject else text
    scores, evidence = _score(full, cues)
    if not any(s >= thresholds.get(pid, 1.0) for pid, s in scores.items()):
        # Nothing found: try again with typos in the key words fixed.
        fixed = respell(full, cues["speller"], cues["known"])
        if fixed != full:
            scores, evidence = _score(fixed, cues)
    rank = cues["order"]
    # Highest score wins; on a tie the id listed first in scenarios.yaml does.
    ranked = sorted((s, -rank.get(pid, 99), pid) for pid, s in scores.items() if s >= thresholds.get(pid, 1.0))
    if not ranked:
        return {"id": "general", "confidence": 0.5, "evidence": []}
    best_score, _, best = ranked[-1]
    runner_up = ranked[-2][0] if len(ranked) > 1 else 0.0
    confidence = round(min(0.99, (1 - math.exp(-best_score)) * (1 - 0.5 * runner_up / best_score)), 2)
    return {"id": best, "confidence": confidence, "evidence": evidence.get(best, [])}


def complaint(
    text: str, sig: dict[str, Any], scene: dict[str, Any], anger_result: dict[str, Any]
) -> tuple[bool, list[str]]:
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
    return is_complaint, _unique(evidence) if is_complaint else []


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
    "was": "were",
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
        low = word.lower().replace("’", "'")
        if low == "was" and not re.search(r"\b(?:i|I)\s+$", sentence[: m.start()]):
            return word  # only "I was" becomes "you were"
        new = _SWAP.get(low, word)
        if (
            low == "you"
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
        if (
            any(e.lower() in low for e in scenario_evidence)
            or sig["anger"].hits(sentence)
            or sig["complaint"].hits(sentence)
        ):
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
    history: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The analysis JSON of CONTRACT.md, plus ``complaint``, ``complaint_evidence``,
    ``complaint_sentences`` and ``restatement``. ``history`` is the sender's record from
    the complaint log (``{"count_90d": int, ...}``)."""
    sig = signals()
    text = mask_cards(message.body)
    scene = scenario(text, playbooks, message.subject)
    if forced_playbook:
        scene = {**scene, "id": forced_playbook, "confidence": 1.0, "forced": True}
    ang = anger(text, sig)
    ctype = customer_type(text, sig, ang, history)
    if forced_type:
        ctype = {"id": forced_type, "evidence": ["chosen by the agent"]}
    ents = entities(f"{message.subject}\n{message.body}")
    is_complaint, complaint_evidence = complaint(text, sig, scene, ang)
    picked = complaint_sentences(text, sig, scene["evidence"])
    first = picked[0] if picked else (sentences(text) or [""])[0]
    missing = []
    for need in (needs or {}).get(scene["id"], []):
        entity = need.get("entity")
        if entity and not ents.get(entity):
            missing.append(need["id"])
    shown = message.to_dict()
    shown["body"] = text
    return {
        "language": forced_language or detect_language(text, sig),
        "message": shown,
        "scenario": scene,
        "customer_type": ctype,
        "anger": ang,
        "urgency": urgency(text, sig),
        "risks": risks(text, sig),
        "entities": ents,
        "wants": wants(text, sig),
        "missing": missing,
        "complaint": is_complaint,
        "complaint_evidence": complaint_evidence,
        "complaint_sentences": picked,
        "restatement": restate(first) if first else "",
    }
