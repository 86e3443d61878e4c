"""Train the reading model (src/replycoach/data/model.json) from the labelled messages.

    python training/train_reading.py [--eval DIR] [--labelled DIR] [--out FILE] [--keep N] [--inner K] [--only TASK]

Needs the ``train`` extra (``pip install -e '.[train]'``: scikit-learn). Reads the
labelled CSV files of DIR (default: ``../shared/eval`` beside the repository) and the
team's JSON Lines sets in ``labelled/`` (only their ``tune`` rows), and trains per task
an L1-regularised one-vs-rest linear SVM over the features of
``replycoach.reading.model.vector`` (words, word bigrams, character 3-5-grams):

- ``scenario``: every row with a scenario;
- ``mode`` (complaint, question, request, praise, other): the team's sets;
- ``anger`` (angry = high or medium, against low or none): the rows with an anger label.
  Bitext rows not marked offensive count as calm, for training only: otherwise Bitext's
  wording (its ``{{Order Number}}`` placeholders) would be seen in angry rows alone;
- ``urgency`` (high, medium, none): the team's sets.

Within the training rows only, a K-fold split (``--inner``) picks each task's C from
``C_GRID``, fits the probability calibration on the out-of-fold margins, and tunes the
rules ``model.combine`` mixes the cues' reading in with (``reading/blend.py`` applies
them: scenario, anger, urgency, complaint or not, then the rest of the mode). L1 leaves most weights at 0;
``--keep`` caps what is left per task (the largest stay), and weights are rounded to
integers of ``QUANTUM``. The script prints what it trained on and the out-of-fold
figures it tuned with; ``benchmarks/eval_cv.py`` measures the whole procedure on
held-out folds.
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import math
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
DEFAULT_LABELLED = ROOT / "labelled"
DEFAULT_OUT = ROOT / "src" / "replycoach" / "data" / "model.json"

TASKS = ("scenario", "mode", "anger", "urgency")
ANGRY = {"high", "medium"}
ANGER_LABELS = ("calm", "angry")  # a sigmoid task's second label is the one its margin is for
QUANTUM = 1e-4
CHARS = (3, 5)
C_GRID = (1.0, 3.0, 10.0)
KEEP: dict[str, int | None] = dict.fromkeys(TASKS, 20000)  # a cap: L1 keeps far fewer
SCENARIO_SOURCES = ("bitext", "banking77", "nlupp")
SHARED = (*SCENARIO_SOURCES, "goemotions", "goemotions_ru")  # the shared CSV files
# Not trained on for a task: 1,659 machine-translated Reddit comments, every one "general",
# would teach the scenario model that Cyrillic means "general" (the English originals stay).
SKIP: dict[str, tuple[str, ...]] = {"scenario": ("goemotions_ru",)}
# A team row (a real-looking support message, in eight languages) counts this many times
# against a shared-file row: there are ten times fewer of them.
TEAM_WEIGHT: dict[str, float] = {"scenario": 15.0, "anger": 2.0}


# --- the rows -------------------------------------------------------------------------


def load_eval(folder: Path) -> list[dict[str, Any]]:
    """The shared CSV files: one row per message, its labels under ``labels``."""
    rows = []
    for path in sorted(folder.glob("*.csv")):
        source = path.stem
        with path.open(newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                anger = r["anger"] if r["anger"] in {"high", "medium", "low", "none"} else None
                if anger is None and source == "bitext":
                    anger = "calm"  # see the module docstring: for training only, never measured
                labels = {"scenario": r["scenario"] or None, "anger": anger, "mode": None, "urgency": None}
                rows.append(
                    {
                        "id": r["id"],
                        "source": source,
                        "text": r["text"],
                        "subject": "",
                        "body": r["text"],
                        "lang": r["lang"],
                        "split": "tune",
                        "labels": labels,
                        "intent": r["source_label"].split(";")[0],
                        # A GoEmotions comment and its Russian translation: one group, one fold.
                        "group": r["id"].replace("goemo-ru-", "goemo-"),
                    }
                )
    return rows


def load_labelled(folder: Path, splits: tuple[str, ...] = ("tune",)) -> list[dict[str, Any]]:
    """The team's JSON Lines sets; the text is what the analysis reads (subject and the
    body without quoted history or signature)."""
    from replycoach.message import parse_message

    rows = []
    for name in sorted(glob.glob(str(folder / "*.jsonl"))):
        source = Path(name).stem
        with open(name, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                r = json.loads(line)
                if r["split"] not in splits:
                    continue
                message = parse_message(r["raw"])
                rows.append(
                    {
                        "id": r["id"],
                        "source": source,
                        "text": f"{message.subject}\n{message.body}" if message.subject.strip() else message.body,
                        "subject": message.subject,
                        "body": message.body,
                        "raw": r["raw"],
                        "lang": r["lang"],
                        "channel": r["channel"],
                        "split": r["split"],
                        "labels": {
                            "scenario": r["scenario"],
                            "anger": r["anger"],
                            "mode": r["mode"],
                            "urgency": r["urgency"],
                        },
                        "intent": "",
                        "group": r["id"],
                    }
                )
    return rows


def train_label(task: str, row: dict[str, Any]) -> str | None:
    """What the task's classifier is trained to say for the row (None: not labelled)."""
    value = row["labels"].get(task)
    if value is None or row.get("source") in SKIP.get(task, ()):
        return None
    if task == "anger":
        return ANGER_LABELS[value in ANGRY]
    return str(value)


def cue_reading(rows: list[dict[str, Any]]) -> None:
    """The cues' reading of each row (``row["cue"]``), as ``reading.analyze`` and the
    listening make it before ``reading.blend`` adds the model: fixed, nothing here
    trains them."""
    from replycoach.playbook.registry import load_registry
    from replycoach.reading import feelings, listening
    from replycoach.reading.cuedata import signals
    from replycoach.reading.entities import mask_cards
    from replycoach.reading.language import detect_language
    from replycoach.reading.scenario import scenario

    detected = load_registry().detected()
    sig = signals()
    for row in rows:
        if "cue" in row:
            continue
        text = mask_cards(row["body"])
        denied: set[str] = set()
        scene = scenario(text, detected, row["subject"], denied)
        ang = feelings.anger(text, sig)
        asks = listening.asks(row["body"])
        mode, _ = listening.mode(row["body"], row["subject"], scene["id"], asks, ang["level"])
        row["cue"] = {
            "scenario": scene["id"],
            "scenario_confidence": scene["confidence"],
            "denied": denied,
            "anger": ang["score"],
            "anger_level": ang["level"],
            "urgency": feelings.urgency(text, sig)["level"],
            "asks": asks,
            "mode": mode,
            "complaint": mode == "complaint",
            "language": detect_language(text, sig),
        }


def cue_scores(task: str, row: dict[str, Any]) -> dict[str, float]:
    """The cue reading as ``model.combine`` takes it, per task (``reading.blend`` passes
    the same)."""
    cue = row["cue"]
    if task == "scenario":
        return {cue["scenario"]: 1.0}
    if task == "anger":
        return {"angry": cue["anger"]}
    if task == "complaint":
        return {"complaint": 1.0 if cue["complaint"] else 0.0}
    if task == "urgency":
        return {cue["urgency"]: 1.0}
    if task == "mode":
        return {} if cue["mode"] == "complaint" else {cue["mode"]: 1.0}
    return {}


# --- features and fitting -------------------------------------------------------------


def feature_dicts(rows: list[dict[str, Any]]) -> list[dict[str, float]]:
    from replycoach.reading.model import vector

    out = []
    for row in rows:
        words, wv, grams, gv = vector(row["text"], CHARS)
        d = {f"w:{f}": wv for f in words}
        d.update({f"c:{g}": gv for g in grams})
        out.append(d)
    return out


class Matrix:
    """All rows' features, vectorised once: a column no training row has gets weight 0,
    so one vocabulary for all folds changes no fitted model."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        import numpy as np
        from sklearn.feature_extraction import DictVectorizer

        self.rows = rows
        self.index = {id(r): i for i, r in enumerate(rows)}
        vec = DictVectorizer()
        X = vec.fit_transform(feature_dicts(rows)).tocsr()
        X.indices = X.indices.astype(np.int32)  # liblinear takes 32-bit indices only
        X.indptr = X.indptr.astype(np.int32)
        self.X = X
        self.names = vec.get_feature_names_out()

    def of(self, rows: list[dict[str, Any]]) -> Any:
        return self.X[[self.index[id(r)] for r in rows]]


def _svm(C: float) -> Any:
    from sklearn.svm import LinearSVC

    # random_state: the same rows give the same weights.
    # L1: most weights come out exactly 0, so the model is small and its evidence a few
    # words; on these sets it scores as well as an L2 model cut to the same size does not.
    return LinearSVC(C=C, penalty="l1", dual=False, class_weight="balanced", max_iter=5000, tol=1e-3, random_state=0)


def fit_svm(task: str, rows: list[dict[str, Any]], M: Matrix, C: float) -> Any:
    y = [train_label(task, r) for r in rows]
    clf = _svm(C)
    heavy = TEAM_WEIGHT.get(task, 1.0)
    clf.fit(M.of(rows), y, sample_weight=[1.0 if r.get("source") in SHARED else heavy for r in rows])
    return clf


def folds(rows: list[dict[str, Any]], k: int, task: str, seed: int = 0) -> list[tuple[list[int], list[int]]]:
    """Stratified by source and label, grouped (a comment and its translation together)."""
    import warnings

    from sklearn.model_selection import StratifiedGroupKFold

    strata = [f"{r['source']}|{train_label(task, r)}" for r in rows]
    groups = [r["group"] for r in rows]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # classes rarer than k: they land in fewer folds
        split = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed).split(rows, strata, groups)
        return [(list(a), list(b)) for a, b in split]


def probabilities(
    kind: str, margins: Any, calibration: tuple[float, float], labels: list[str]
) -> list[dict[str, float]]:
    """``model.scores`` on a matrix of margins (rows x labels; one column for sigmoid)."""
    import numpy as np

    slope, offset = calibration
    if kind == "sigmoid":
        high = 1.0 / (1.0 + np.exp(-np.clip(slope * np.asarray(margins).ravel() + offset, -60, 60)))
        return [{labels[0]: float(1 - p), labels[1]: float(p)} for p in high]
    m = np.asarray(margins) * slope
    m = np.exp(m - m.max(axis=1, keepdims=True))
    m /= m.sum(axis=1, keepdims=True)
    return [dict(zip(labels, map(float, row), strict=True)) for row in m]


def calibrate(kind: str, margins: Any, truth: list[str], labels: list[str]) -> tuple[float, float]:
    """Platt's sigmoid on the one margin, or a softmax temperature (the out-of-fold
    log-loss of the true label, on a grid)."""
    import numpy as np

    if kind == "sigmoid":
        from sklearn.linear_model import LogisticRegression

        y = [t == labels[1] for t in truth]
        lr = LogisticRegression(C=1e4).fit(np.asarray(margins).reshape(-1, 1), y)
        return float(lr.coef_[0][0]), float(lr.intercept_[0])
    best = (math.inf, 1.0)
    for slope in np.logspace(-0.5, 1.7, 30):
        probs = probabilities(kind, margins, (float(slope), 0.0), labels)
        loss = -sum(math.log(max(p[t], 1e-12)) for p, t in zip(probs, truth, strict=True))
        best = min(best, (loss, float(slope)))
    return best[1], 0.0


def kind_of(labels: list[str]) -> str:
    return "sigmoid" if len(labels) == 2 else "softmax"


def cap(clf: Any, keep: int | None) -> None:
    """Keep the ``keep`` largest weights (the rest 0) and round every weight to a multiple
    of ``QUANTUM``, in place: the classifier then scores exactly as the shipped file."""
    import numpy as np

    coef = np.asarray(clf.coef_, dtype=float)
    if keep is not None and np.count_nonzero(coef) > keep:
        flat = np.abs(coef).ravel()
        cut = np.partition(flat, flat.size - keep)[flat.size - keep]
        coef = np.where(np.abs(coef) >= cut, coef, 0.0)
    clf.coef_ = np.rint(coef / QUANTUM) * QUANTUM
    clf.intercept_ = np.round(np.asarray(clf.intercept_, dtype=float), 6)


def export(fitted: dict[str, tuple[Any, tuple[float, float]]], names: Any) -> dict[str, Any]:
    """Capped classifiers (task -> (classifier, calibration)) as the file's JSON form
    (``replycoach.reading.model.from_data`` reads it): the tasks' labels take one slot
    each, in task order (a sigmoid task one slot), and each feature lists its nonzero
    (slot, weight / QUANTUM) pairs."""
    import numpy as np

    out: dict[str, Any] = {"format": 1, "features": {"chars": list(CHARS)}, "quantum": QUANTUM, "tasks": {}}
    blocks: dict[str, dict[str, list[int]]] = {"words": {}, "chars": {}}
    first = 0
    for task, (clf, calibration) in fitted.items():
        labels = [str(c) for c in clf.classes_]
        coef = np.asarray(clf.coef_)
        out["tasks"][task] = {
            "kind": kind_of(labels),
            "labels": labels,
            "bias": [float(b) for b in np.atleast_1d(clf.intercept_)],
            "calibration": [round(calibration[0], 6), round(calibration[1], 6)],
        }
        for j in np.flatnonzero(np.any(coef != 0, axis=0)):
            name = str(names[j])
            flat = blocks["words" if name.startswith("w:") else "chars"].setdefault(name[2:], [])
            for i in np.flatnonzero(coef[:, j]):
                flat += [first + int(i), int(np.rint(coef[i, j] / QUANTUM))]
        first += coef.shape[0]
    out.update(blocks)
    return out


# --- tuning inside the training rows --------------------------------------------------


def f1(gold: list[bool], pred: list[bool]) -> float:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro_f1(gold: list[str], pred: list[str]) -> float:
    """Over the labels the gold side has (as benchmarks/eval_analysis.py counts)."""
    labels = sorted(set(gold))
    return sum(f1([g == label for g in gold], [p == label for p in pred]) for label in labels) / len(labels)


def task_rows(task: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if train_label(task, r) is not None]


def out_of_fold(task: str, rows: list[dict[str, Any]], M: Matrix, k: int, keep: int | None) -> tuple[float, Any]:
    """Choose C by k-fold over ``rows``; return it with the out-of-fold margins (of capped
    models, as shipped), columns in sorted label order."""
    import numpy as np

    splits = folds(rows, k, task)
    labels = sorted({train_label(task, r) or "" for r in rows})
    gold = [train_label(task, r) or "" for r in rows]
    best: tuple[float, float, Any] = (-1.0, C_GRID[0], None)
    for C in C_GRID:
        margins = np.full((len(rows), 1 if len(labels) == 2 else len(labels)), -10.0)
        for train, test in splits:
            clf = fit_svm(task, [rows[i] for i in train], M, C)
            cap(clf, keep)
            m = np.asarray(clf.decision_function(M.of([rows[i] for i in test]))).reshape(len(test), -1)
            if margins.shape[1] == 1:
                margins[test] = m if list(clf.classes_) == labels else -m
            else:  # a fold may lack a rare label: its column stays very low
                for j, label in enumerate(clf.classes_):
                    margins[test, labels.index(label)] = m[:, j]
        pred = (
            [labels[int(x > 0)] for x in margins[:, 0]]
            if margins.shape[1] == 1
            else [labels[j] for j in margins.argmax(axis=1)]
        )
        score = macro_f1(gold, pred)
        if score > best[0]:
            best = (score, C, margins)
    return best[1], best[2]


def _grid(step: float) -> list[float]:
    return [round(i * step, 4) for i in range(round(1 / step) + 1)]


BINARY = {"anger": ("angry", "calm"), "complaint": ("complaint", "not-complaint")}


def tune_combine(
    task: str, probs: list[dict[str, float]], rows: list[dict[str, Any]], gold: list[str]
) -> dict[str, Any]:
    """The cue weight (for scenario: 0..2 for a cue that fired, 0..1 for the cues'
    "general"; for a two-label task 0..1 and the threshold) that does best on the out-of-fold
    probabilities of the training rows. The grid is searched with numpy; the rule found
    is scored once more through ``model.combine`` itself, which must agree."""
    import numpy as np

    from replycoach.reading.model import combine

    cues = [cue_scores(task, r) for r in rows]
    # Anger the cues heard stands (reading/blend.py): only the calm rows can move.
    # So does an angry customer's complaint (any angry message is one).
    stands = np.array(
        [r["cue"]["anger_level"] in ANGRY and task in ("anger", "complaint") for r in rows],
        dtype=bool,
    )
    from replycoach.reading.blend import RAISE_AT

    raise_ok = np.array([task != "anger" or x.get("angry", 0.0) >= RAISE_AT for x in probs], dtype=bool)
    best: tuple[float, dict[str, Any]] = (-1.0, {})
    if task in BINARY:
        positive, negative = BINARY[task]
        truth = [g == positive for g in gold]
        p = np.array([x.get(positive, 0.0) for x in probs])
        c = np.array([x.get(positive, 0.0) for x in cues])
        for w in _grid(0.05):
            mixed = (1 - w) * p + w * c
            for t in _grid(0.025)[1:-1]:
                score = f1(truth, list(stands | ((mixed >= t) & raise_ok)))
                if score > best[0] + 1e-9:
                    best = (score, {"weight": w, "threshold": t, "positive": positive, "negative": negative})
    else:
        labels = sorted({lab for x in probs for lab in x} | set(gold) | {lab for x in cues for lab in x})
        P = np.array([[x.get(lab, 0.0) for lab in labels] for x in probs])
        Q = np.array([[x.get(lab, 0.0) for lab in labels] for x in cues])
        general = np.array([lab == "general" for lab in labels])
        # Urgency the cues found stands (reading/blend.py): only their "none" rows can move.
        fixed = [task == "urgency" and r["cue"]["urgency"] != "none" for r in rows]
        cue_label = [r["cue"].get("urgency") for r in rows]
        # Only the scenario has a label that says "no cue fired": it gets a weight of its own.
        for w in [2 * x for x in _grid(0.05)]:
            for wg in _grid(0.05) if task == "scenario" else [w]:
                W = np.where(general, wg, w)
                pred = [
                    cue_label[i] if fixed[i] else labels[j] for i, j in enumerate((P + W * Q).argmax(axis=1))
                ]  # ties: first label, as combine
                score = macro_f1(gold, pred)
                if score > best[0] + 1e-9:
                    best = (score, {"weight": w, "weights": {"general": wg}} if task == "scenario" else {"weight": w})
    rule = best[1]
    if task in BINARY:
        # What the model alone would use (benchmarks/eval_cv.py's "model" column): its
        # probabilities are calibrated, but 0.5 is not the best cut for F1.
        rule["model_threshold"] = max(_grid(0.025)[1:-1], key=lambda t: (f1(truth, list(p >= t)), -abs(t - 0.5)))
    check = [
        rule.get("positive")
        if kept
        else combine(task, c, p, {"combine": {task: rule}})[0]
        if ok
        else rule.get("negative")
        for c, p, kept, ok in zip(cues, probs, stands, raise_ok, strict=True)
    ]
    if task not in BINARY:
        check = [cue_label[i] if fixed[i] else label for i, label in enumerate(check)]
    if task in BINARY:
        again = f1([g == rule["positive"] for g in gold], [x == rule["positive"] for x in check])
    else:
        again = macro_f1(gold, check)
    assert abs(again - best[0]) < 1e-9, (task, again, best)
    return {**rule, "oof": round(float(best[0]), 4)}


def train(
    rows: list[dict[str, Any]],
    M: Matrix,
    *,
    inner: int = 3,
    keep: dict[str, int | None] | None = None,
    combine_on: str = "all",
    log: Any = None,
    tasks: tuple[str, ...] = TASKS,
) -> dict[str, Any]:
    """The whole model (the file's JSON form) from ``rows`` alone: per task C, the
    calibration and the combine rule from ``inner``-fold out-of-fold margins of the
    rows, then one fit on all of them. ``tasks``: only these (``merge`` puts them into
    a shipped file)."""
    keep = KEEP if keep is None else keep
    fitted: dict[str, tuple[Any, tuple[float, float]]] = {}
    rules: dict[str, Any] = {}
    report: dict[str, Any] = {}
    for task in tasks:
        mine = task_rows(task, rows)
        labels = sorted({train_label(task, r) or "" for r in mine})
        kind = kind_of(labels)
        C, oof = out_of_fold(task, mine, M, inner, keep.get(task))
        truth = [train_label(task, r) or "" for r in mine]
        calibration = calibrate(kind, oof, truth, labels)
        clf = fit_svm(task, mine, M, C)
        cap(clf, keep.get(task))
        fitted[task] = (clf, calibration)
        probs = probabilities(kind, oof, calibration, labels)
        # combine_on="team": only where the cues were not fitted to the rows (eval_cv.py says why).
        pick = [i for i, r in enumerate(mine) if combine_on == "all" or r["source"] not in SHARED]
        name = "complaint" if task == "mode" else task
        if task == "mode":
            given = [{"complaint": probs[i]["complaint"]} for i in pick]
            gold = ["complaint" if truth[i] == "complaint" else "not-complaint" for i in pick]
            # The rest of the mode, among the messages that are no complaint.
            rest = [i for i in pick if truth[i] != "complaint"]
            others = [{k: v for k, v in probs[i].items() if k != "complaint"} for i in rest]
            rules["mode"] = tune_combine("mode", others, [mine[i] for i in rest], [truth[i] for i in rest])
        elif task == "scenario":  # the model reads no negation: ids a negative cue denied stay out
            given = [{k: v for k, v in probs[i].items() if k not in mine[i]["cue"]["denied"]} for i in pick]
            gold = [truth[i] for i in pick]
        else:
            given, gold = [probs[i] for i in pick], [truth[i] for i in pick]
        rules[name] = tune_combine(name, given, [mine[i] for i in pick], gold) if pick else None
        pred = [max(p, key=p.__getitem__) for p in probs]
        report[task] = {
            "rows": len(mine),
            "labels": len(labels),
            "C": C,
            "oof_macro_f1": round(macro_f1(truth, pred), 4),
            "weights": int((clf.coef_ != 0).sum()),
        }
        if log:
            log(
                f"  {task}: {len(mine)} rows, {len(labels)} labels, C={C}, {report[task]['weights']} weights, "
                f"out-of-fold macro-F1 {report[task]['oof_macro_f1']} (model alone), "
                f"calibration {calibration[0]:.3g}/{calibration[1]:.3g}; combine rule ({name}) {rules[name]}"
            )
    out = export(fitted, M.names)
    out["combine"] = rules
    out["trained_on"] = report
    return out


def summary(rows: list[dict[str, Any]]) -> str:
    lines = []
    for source, n in Counter(r["source"] for r in rows).items():
        mine = [r for r in rows if r["source"] == source]
        have = [t for t in TASKS if any(train_label(t, r) is not None for r in mine)]
        lines.append(f"  {source:<16} {n:>5} rows  tasks: {', '.join(have)}")
    return "\n".join(lines)


def write(model: dict[str, Any], path: Path) -> int:
    text = json.dumps(model, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return len(text.encode())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="folder of the shared labelled CSV files")
    parser.add_argument("--labelled", type=Path, default=DEFAULT_LABELLED, help="folder of the team's .jsonl sets")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--inner", type=int, default=3, help="folds for choosing C, calibration and the combine rule")
    parser.add_argument("--keep", type=int, default=None, help="weights kept per task at most (0: no cap)")
    parser.add_argument(
        "--combine-on", choices=("all", "team"), default="all", help="rows the combine rule is tuned on"
    )
    parser.add_argument(
        "--only", choices=TASKS, action="append", help="retrain this task only, into the file at --out (repeatable)"
    )
    args = parser.parse_args(argv)
    if not args.eval.is_dir():
        parser.error(f"no such folder: {args.eval} (give --eval)")
    start = time.perf_counter()
    rows = load_eval(args.eval) + load_labelled(args.labelled)
    print(f"training on {len(rows)} rows (the team's sets: tune rows only):\n{summary(rows)}")
    cue_reading(rows)
    M = Matrix(rows)
    keep = KEEP if args.keep is None else dict.fromkeys(TASKS, args.keep or None)
    print(f"{M.X.shape[1]} features; per task ({args.inner}-fold within these rows):")
    only = tuple(t for t in TASKS if t in (args.only or TASKS))
    model = train(rows, M, inner=args.inner, keep=keep, combine_on=args.combine_on, log=print, tasks=only)
    if args.only:
        from model_merge import merge  # beside this script

        model = merge(json.loads(args.out.read_text(encoding="utf-8")), model)
    size = write(model, args.out)
    shown = args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out
    print(f"wrote {shown}: {size / 1024:.0f} KB in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
