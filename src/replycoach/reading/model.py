"""A small linear model beside the cues: scores per task from word and character n-grams.

The weights are trained offline (``training/train_reading.py``, scikit-learn) and
shipped in ``data/model.json``; here they are applied in plain Python, so a run needs
neither numpy nor scikit-learn. Like the cue data, the parsed file is kept in the
marshal cache (``resources.cached``): a new process reads it back in about a
millisecond instead of parsing the JSON.

Features (``vector``), the same at training and at run time: the text lowercased,
links, e-mail addresses, @handles and digit runs replaced by placeholder tokens, then
split into words. Two blocks: the words and word bigrams, and the character 3- to
5-grams of each distinct word padded with "<" and ">" (they carry inflected forms and
typos the words miss). Each feature present counts once; each block is scaled to unit
length, so a long email does not outvote a short one.

A task's margins are ``bias + sum(weight * value)`` per label (a one-vs-rest linear
SVM's ``decision_function``); ``scores`` turns them into probabilities with the
calibration fitted at training time (a softmax temperature, or a logistic curve for a
two-label task). ``explain`` names the words and bigrams of the text that pushed a
label most; ``combine`` mixes the model's probabilities with the cue reading's scores
by the rule tuned by cross-validation.

File format (JSON, ``format`` 1)::

    {"format": 1, "features": {"chars": [3, 5]}, "quantum": 0.0001,
     "tasks": {TASK: {"kind": "softmax" | "sigmoid", "labels": [...], "bias": [...],
                      "calibration": [slope, offset]}, ...},
     "words": {FEATURE: [slot, weight, slot, weight, ...]},
     "chars": {FEATURE: [...]},
     "combine": {TASK: {"weight": w, "weights": {LABEL: w}, "threshold": t,
                        "positive": LABEL, "negative": LABEL}},
     "trained_on": {...what the training script saw...}}

Every label of every task has a slot, in the order of ``tasks`` (a sigmoid task has one:
the margin of its second label, as scikit-learn's binary models give it); a feature
lists its nonzero weights, as integers in units of ``quantum``. The run-time form keeps
per feature one integer locating its entries in two byte strings (slot, weight): marshal
reads those at once, where tuples per feature cost ~8x more to load.
"""

from __future__ import annotations

import math
import re
from itertools import pairwise

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

FORMAT = 1

# Replaced before splitting: their exact spelling says nothing about what a message means.
_SPECIAL = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+|@\w+|\d+")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")  # "didn't" stays one word


def _placeholder(match: re.Match[str]) -> str:
    found = match.group()
    if found[0].isdigit():
        return "0"
    if found[0] == "@":
        return " xuser "
    return " xemail " if "@" in found else " xurl "


def tokens(text: str) -> list[str]:
    """The words the model reads, in order."""
    low = text.lower()
    if "’" in low:
        low = low.replace("’", "'")
    found: list[str] = _TOKEN.findall(_SPECIAL.sub(_placeholder, low))
    return found


def vector(text: str, chars: tuple[int, int] = (3, 5)) -> tuple[set[str], float, set[str], float]:
    """The text's word features (words and bigrams), their value, its character n-grams
    and theirs: every feature present has its block's value (1 / sqrt(block size))."""
    toks = tokens(text)
    words = set(toks)
    words.update(map(" ".join, pairwise(toks)))
    grams: set[str] = set()
    low, high = chars
    for token in set(toks):
        padded = f"<{token}>"
        size = len(padded)
        for n in range(low, min(high, size) + 1):
            grams.update(padded[i : i + n] for i in range(size - n + 1))
    return words, _unit(len(words)), grams, _unit(len(grams))


def _unit(count: int) -> float:
    return 1.0 / math.sqrt(count) if count else 0.0


def _path() -> Path:
    from replycoach.foundation.resources import builtin_dir

    return builtin_dir("data") / "model.json"


_COUNT_BITS = 12  # a feature's entries: (offset << _COUNT_BITS) | count


Needs = tuple[tuple[str, ...], tuple[str, ...]]  # task names, combine rule names
# What reading/blend.py reads of the shipped file.
NEEDS: Needs = (("scenario", "mode", "anger", "urgency"), ("scenario", "anger", "urgency", "complaint", "mode"))


def load_model_file(path: Path, needs: Needs = NEEDS) -> dict[str, Any]:
    """The weights file in its run-time form (plain data ``marshal`` stores compactly):
    per feature one integer that locates its entries in two byte strings, the label
    slot of each entry (unsigned 16-bit) and its weight (a float64)."""
    import json

    from replycoach.foundation.errors import DataError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read the model weights: {exc}", file=str(path)) from None
    return from_data(data, str(path), needs)


def from_data(data: Any, where: str = "model.json", needs: Needs = ((), ())) -> dict[str, Any]:
    """The run-time form of the file's parsed JSON (training scripts call this on a
    model they have just fitted, to score with exactly what would ship). ``needs``:
    the tasks and the combine rules the caller reads; a file without one is an error."""
    from replycoach.foundation.errors import DataError

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataError(f"model weights: expected format {FORMAT}", file=where)
    try:
        loaded = _from_data(data, where)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise DataError(f"model weights: malformed ({type(exc).__name__}: {exc})", file=where) from None
    for kind, names, have in (("task", needs[0], loaded["tasks"]), ("combine rule", needs[1], loaded["combine"])):
        missing = [n for n in names if n not in have]
        if missing:
            raise DataError(f"model weights: no {kind} {', '.join(map(repr, missing))}", file=where)
    return loaded


def _from_data(data: dict[str, Any], where: str) -> dict[str, Any]:
    from array import array

    from replycoach.foundation.errors import DataError

    quantum = float(data["quantum"])
    tasks = {}
    first = 0
    for name, task in data["tasks"].items():
        size = len(task["bias"])
        tasks[name] = {
            "kind": task["kind"],
            "labels": list(task["labels"]),
            "bias": [float(b) for b in task["bias"]],
            "calibration": [float(c) for c in task["calibration"]],
            "first": first,
        }
        first += size
    slots, weights = array("H"), array("d")
    blocks = {}
    for block in ("words", "chars"):
        rows = {}
        for feature, flat in data[block].items():
            count = len(flat) // 2
            if count >= 1 << _COUNT_BITS or max(flat[0::2]) >= first:
                raise DataError(f"model weights: bad entries for {feature!r}", file=where)
            rows[feature] = (len(slots) << _COUNT_BITS) | count
            slots.extend(flat[0::2])
            weights.extend(w * quantum for w in flat[1::2])
        blocks[block] = rows
    return {
        "chars": list(data["features"]["chars"]),
        "tasks": tasks,
        "slots": first,
        "words": blocks["words"],
        "grams": blocks["chars"],
        "entry_slots": slots.tobytes(),
        "entry_weights": weights.tobytes(),
        "combine": data.get("combine", {}),
    }


_LOADED: dict[str, Any] = {}


def model(path: Path | None = None) -> dict[str, Any]:
    """The shipped weights (or those at ``path``), read once per process through the
    marshal cache, with their entries as arrays."""
    if path is not None:
        return with_arrays(load_model_file(path))
    found = _LOADED.get("model")
    if found is None:
        from replycoach.foundation.resources import cached

        where = _path()
        found = _LOADED["model"] = with_arrays(dict(cached("reading-model", [where], lambda: load_model_file(where))))
    return found


def with_arrays(loaded: dict[str, Any]) -> dict[str, Any]:
    """The run-time form ready to score: its entries as arrays (not cacheable data)."""
    from array import array

    loaded["slot_of"] = array("H", loaded["entry_slots"])
    loaded["weight_of"] = array("d", loaded["entry_weights"])
    return loaded


def tasks() -> list[str]:
    return list(model()["tasks"])


_LAST: list[Any] = [None, None, None, None]  # the last text, the weights, its vector, its margins


def _read(text: str, weights: dict[str, Any]) -> tuple[tuple[set[str], float, set[str], float], list[float]]:
    """The text's features and every task's margins (bias not added), made once per
    text: the tasks read the same text in turn."""
    # Equal texts, not only the same object: the analysis and the listening read the
    # message's text each in turn, and a comparison is far cheaper than the features.
    if _LAST[1] is not weights or _LAST[0] != text:
        low, high = weights["chars"]
        found = vector(text, (low, high))
        words, word_value, grams, gram_value = found
        sums = [0.0] * weights["slots"]
        slot_of, weight_of = weights["slot_of"], weights["weight_of"]
        for present, value, rows in ((words, word_value, weights["words"]), (grams, gram_value, weights["grams"])):
            for feature in rows.keys() & present:
                packed = rows[feature]
                start = packed >> _COUNT_BITS
                for j in range(start, start + (packed & _MASK)):
                    sums[slot_of[j]] += weight_of[j] * value
        _LAST[:] = [text, weights, found, sums]
    return _LAST[2], _LAST[3]


_MASK = (1 << _COUNT_BITS) - 1


def decision(task: str, text: str, weights: dict[str, Any] | None = None) -> list[float]:
    """The task's margins (one per label; one for a sigmoid task), as scikit-learn's
    ``decision_function`` gives them for the exported weights."""
    weights = weights or model()
    spec = weights["tasks"][task]
    sums = _read(text, weights)[1]
    first = spec["first"]
    return [b + s for b, s in zip(spec["bias"], sums[first : first + len(spec["bias"])], strict=True)]


def scores(task: str, text: str, weights: dict[str, Any] | None = None) -> dict[str, float]:
    """Probability per output label (they sum to 1)."""
    weights = weights or model()
    spec = weights["tasks"][task]
    margins = decision(task, text, weights)
    slope, offset = spec["calibration"]
    if spec["kind"] == "sigmoid":
        high = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, slope * margins[0] + offset))))
        probs = [1.0 - high, high]
    else:
        top = max(margins)
        exps = [math.exp(slope * (m - top)) for m in margins]
        total = sum(exps)
        probs = [e / total for e in exps]
    return dict(zip(spec["labels"], probs, strict=True))


def _entries(weights: dict[str, Any], packed: int, first: int, size: int) -> list[tuple[int, float]]:
    """A feature's (label index within the task, weight) pairs."""
    start = packed >> _COUNT_BITS
    slot_of, weight_of = weights["slot_of"], weights["weight_of"]
    return [
        (slot_of[j] - first, weight_of[j])
        for j in range(start, start + (packed & _MASK))
        if first <= slot_of[j] < first + size
    ]


def explain(task: str, text: str, label: str, k: int = 3, weights: dict[str, Any] | None = None) -> list[str]:
    """The words or bigrams of ``text`` that pushed ``label`` most (up to ``k``, strongest
    first). A character n-gram counts for each word it occurs in, shared equally."""
    weights = weights or model()
    spec = weights["tasks"][task]
    if label not in spec["labels"]:
        return []
    if spec["kind"] == "sigmoid":
        # The one row of weights is the second label's margin.
        row, count, sign = 0, 1, 1.0 if label == spec["labels"][1] else -1.0
    else:
        row, count, sign = spec["labels"].index(label), len(spec["labels"]), 1.0
    first, size = spec["first"], len(spec["bias"])

    def push(packed: int) -> float:
        pairs = _entries(weights, packed, first, size)
        # Towards this label against the average label: a softmax is unchanged by a
        # shift common to every label, so only the difference decides.
        mine = sum(w for i, w in pairs if i == row)
        if count > 1:
            mine -= sum(w for _, w in pairs) / count
        return sign * mine

    words, word_value, _, gram_value = _read(text, weights)[0]
    shown = {t for t in tokens(text) if not t.isdigit() and t not in _PLACEHOLDERS}
    low, high = weights["chars"]
    gram_rows = weights["grams"]
    holders: dict[str, int] = {}
    by_word: dict[str, set[str]] = {}
    for token in shown:
        padded = f"<{token}>"
        found = by_word[token] = {
            padded[i : i + n] for n in range(low, min(high, len(padded)) + 1) for i in range(len(padded) - n + 1)
        } & gram_rows.keys()
        for gram in found:
            holders[gram] = holders.get(gram, 0) + 1
    share = {gram: push(gram_rows[gram]) * gram_value / count for gram, count in holders.items()}
    pushed = {token: sum(map(share.__getitem__, found)) for token, found in by_word.items() if found}
    for feature in weights["words"].keys() & words:
        if all(part in shown for part in feature.split()):
            pushed[feature] = pushed.get(feature, 0.0) + push(weights["words"][feature]) * word_value
    out: list[str] = []
    for feature in sorted((f for f, p in pushed.items() if p > 0), key=lambda f: (-pushed[f], f)):
        if any(feature in other.split() or other in feature.split() for other in out):
            continue  # "charged" after "charged twice" says nothing new
        out.append(feature)
        if len(out) == k:
            break
    return out


_PLACEHOLDERS = frozenset({"xuser", "xemail", "xurl"})


def combine(
    task: str, cue_scores: dict[str, float], model_scores: dict[str, float], weights: dict[str, Any] | None = None
) -> tuple[str, dict[str, float]]:
    """The label the cues and the model agree on, and the mixed score per label.

    A two-label task (``threshold`` set) mixes ``(1 - w) * model + w * cue`` for its
    ``positive`` label and says it when that reaches the threshold. Otherwise a label's
    score is the model's probability plus ``w`` times the cue's score for it, with ``w``
    per label where tuning found it matters (for scenario: the cues' "general", which
    only says that no cue fired, weighs less than a cue that did); the highest wins."""
    weights = weights or model()
    rule = weights["combine"][task]
    default = rule["weight"]
    per_label = rule.get("weights", {})
    mixed = {}
    if "threshold" in rule:
        for label in model_scores.keys() | cue_scores.keys():
            mixed[label] = (1.0 - default) * model_scores.get(label, 0.0) + default * cue_scores.get(label, 0.0)
        positive = rule["positive"]
        chosen = positive if mixed.get(positive, 0.0) >= rule["threshold"] else rule["negative"]
        return chosen, mixed
    for label in model_scores.keys() | cue_scores.keys():
        mixed[label] = model_scores.get(label, 0.0) + per_label.get(label, default) * cue_scores.get(label, 0.0)
    return max(sorted(mixed), key=mixed.__getitem__), mixed
