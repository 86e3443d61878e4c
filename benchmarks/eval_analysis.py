"""Measure ``replycoach analyze`` on labelled CSV files.

    python benchmarks/eval_analysis.py FILE.csv... [--json] [--confusions N]
    python benchmarks/eval_analysis.py --cv 5 [--json]

``--cv K`` prints the cross-validated figures instead (``benchmarks/eval_cv.py``: K folds
over ../shared/eval and the team's tune rows; whatever is trained or tuned sees only the
training folds). The figures on named files are in-sample wherever the cues were written
against those files.

CSV columns (see ../shared/eval/README.md): id,text,scenario,anger,source_label,lang.
Optional columns this script also scores when present: ``complaint`` (true/false),
``type`` (complainant type), ``risks`` (``;``-joined risk ids, empty for none).

Prints, over all files pooled and per file: per-scenario precision/recall/F1/support
and macro-F1 (over the scenarios present in the labels); anger F1 (high or medium =
angry) beside VADER's (compound <= -0.05 = angry) on the same rows in the same run;
complaint F1; per-type precision/recall; language accuracy; per-risk precision/recall.
``--json`` prints one JSON object instead (keys: macro_f1, per_scenario, anger_f1,
vader_anger_f1, complaint_f1, per_file, types, language_accuracy, risks, confusions).
VADER comes from the ``bench`` extra: ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ANGRY = {"high", "medium"}
LABELLED_ANGER = {"high", "medium", "low", "none"}
TRUE = {"true", "1", "yes", "y"}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def per_label(gold: list[str], pred: list[str], labels: list[str]) -> dict[str, dict[str, float]]:
    out = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        p, r, f = prf(tp, fp, fn)
        out[label] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn}
    return out


def binary_f1(gold: list[bool], pred: list[bool]) -> float:
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if not g and p)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g and not p)
    return round(prf(tp, fp, fn)[2], 4)


def read_rows(paths: list[str]) -> list[dict[str, str]]:
    rows = []
    for path in paths:
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                row["_file"] = Path(path).name
                rows.append(row)
    return rows


def analyse_rows(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    from replycoach.message import Message
    from replycoach.playbook.registry import load_registry
    from replycoach.reading.analyze import analyze

    detected = load_registry().detected()
    return [analyze(Message(body=row["text"]), detected) for row in rows]


def vader_angry(texts: list[str]) -> list[bool] | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    sia = SentimentIntensityAnalyzer()
    return [sia.polarity_scores(t)["compound"] <= -0.05 for t in texts]


def scenario_report(rows: list[dict[str, str]], results: list[dict[str, Any]]) -> dict[str, Any]:
    gold = [r["scenario"] for r in rows if r.get("scenario")]
    pred = [res["scenario"]["id"] for r, res in zip(rows, results, strict=True) if r.get("scenario")]
    labels = sorted(set(gold))
    table = per_label(gold, pred, labels)
    macro = round(sum(v["f1"] for v in table.values()) / len(table), 4) if table else None
    return {"macro_f1": macro, "per_scenario": table, "gold": gold, "pred": pred}


def evaluate(paths: list[str], confusions: int) -> dict[str, Any]:
    rows = read_rows(paths)
    results = analyse_rows(rows)
    report: dict[str, Any] = {}
    overall = scenario_report(rows, results)
    report["macro_f1"] = overall["macro_f1"]
    report["per_scenario"] = overall["per_scenario"]
    report["per_file"] = {}
    for name in dict.fromkeys(r["_file"] for r in rows):
        idx = [i for i, r in enumerate(rows) if r["_file"] == name]
        sub = scenario_report([rows[i] for i in idx], [results[i] for i in idx])
        report["per_file"][name] = {"macro_f1": sub["macro_f1"], "per_scenario": sub["per_scenario"], "rows": len(idx)}

    pairs = Counter((g, p) for g, p in zip(overall["gold"], overall["pred"], strict=True) if g != p)
    report["confusions"] = [{"gold": g, "predicted": p, "count": n} for (g, p), n in pairs.most_common(confusions)]

    anger_idx = [i for i, r in enumerate(rows) if r.get("anger") in LABELLED_ANGER]
    report["anger_f1"] = report["vader_anger_f1"] = None
    if anger_idx:
        gold = [rows[i]["anger"] in ANGRY for i in anger_idx]
        ours = [results[i]["anger"]["level"] in ANGRY for i in anger_idx]
        report["anger_f1"] = binary_f1(gold, ours)
        report["anger_rows"] = len(anger_idx)
        vader = vader_angry([rows[i]["text"] for i in anger_idx])
        report["vader_anger_f1"] = binary_f1(gold, vader) if vader is not None else None
        # The same comparison per file (same run, same VADER scores).
        for name, sub in report["per_file"].items():
            pos = [k for k, i in enumerate(anger_idx) if rows[i]["_file"] == name]
            if pos:
                sub["anger_f1"] = binary_f1([gold[k] for k in pos], [ours[k] for k in pos])
                sub["vader_anger_f1"] = binary_f1([gold[k] for k in pos], [vader[k] for k in pos]) if vader else None
                sub["anger_rows"] = len(pos)

    complaint_idx = [i for i, r in enumerate(rows) if (r.get("complaint") or "").strip()]
    report["complaint_f1"] = None
    if complaint_idx:
        gold = [rows[i]["complaint"].strip().lower() in TRUE for i in complaint_idx]
        report["complaint_f1"] = binary_f1(gold, [bool(results[i]["complaint"]) for i in complaint_idx])
        report["complaint_rows"] = len(complaint_idx)

    type_idx = [i for i, r in enumerate(rows) if (r.get("type") or "").strip()]
    report["types"] = None
    if type_idx:
        gold_t = [rows[i]["type"].strip() for i in type_idx]
        pred_t = [results[i]["customer_type"]["id"] for i in type_idx]
        report["types"] = per_label(gold_t, pred_t, sorted(set(gold_t)))

    lang_idx = [i for i, r in enumerate(rows) if (r.get("lang") or "").strip()]
    report["language_accuracy"] = None
    if lang_idx:
        right = sum(1 for i in lang_idx if results[i]["language"] == rows[i]["lang"].strip())
        report["language_accuracy"] = round(right / len(lang_idx), 4)
        by_lang: dict[str, list[int]] = {}
        for i in lang_idx:
            by_lang.setdefault(rows[i]["lang"].strip(), []).append(i)
        report["language_per_lang"] = {
            lang: round(sum(1 for i in idx if results[i]["language"] == lang) / len(idx), 4)
            for lang, idx in sorted(by_lang.items())
        }
        report["anger_f1_per_lang"] = {
            lang: binary_f1(
                [rows[i]["anger"] in ANGRY for i in idx if rows[i].get("anger") in LABELLED_ANGER],
                [results[i]["anger"]["level"] in ANGRY for i in idx if rows[i].get("anger") in LABELLED_ANGER],
            )
            for lang, idx in sorted(by_lang.items())
            if any(rows[i].get("anger") in LABELLED_ANGER for i in idx)
        }

    risk_idx = [i for i, r in enumerate(rows) if r.get("risks") is not None]
    if risk_idx:
        gold_r = [set(filter(None, rows[i]["risks"].split(";"))) for i in risk_idx]
        pred_r = [{risk["id"] for risk in results[i]["risks"]} for i in risk_idx]
        ids = sorted(set().union(*gold_r))
        table = {}
        for rid in ids:
            tp = sum(1 for g, p in zip(gold_r, pred_r, strict=True) if rid in g and rid in p)
            fp = sum(1 for g, p in zip(gold_r, pred_r, strict=True) if rid not in g and rid in p)
            fn = sum(1 for g, p in zip(gold_r, pred_r, strict=True) if rid in g and rid not in p)
            p, r, f = prf(tp, fp, fn)
            table[rid] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn}
        report["risks"] = table
    return report


def _table(title: str, table: dict[str, dict[str, float]]) -> list[str]:
    lines = [f"{title:<24} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}"]
    for label, v in table.items():
        lines.append(f"  {label:<22} {v['precision']:>9.3f} {v['recall']:>7.3f} {v['f1']:>6.3f} {v['support']:>8}")
    return lines


def text_report(report: dict[str, Any]) -> str:
    lines = _table("scenario (all files)", report["per_scenario"])
    lines.append(f"macro-F1 (all files): {report['macro_f1']}")
    for name, sub in report["per_file"].items():
        if sub["per_scenario"]:
            lines.append("")
            lines += _table(f"{name} ({sub['rows']} rows)", sub["per_scenario"])
            lines.append(f"macro-F1 {name}: {sub['macro_f1']}")
        if "anger_f1" in sub:
            lines.append(
                f"anger {name}: anger_f1 {sub['anger_f1']}, vader_anger_f1 {sub['vader_anger_f1']}"
                f" ({sub['anger_rows']} rows)"
            )
    if report["confusions"]:
        lines.append("")
        lines.append("top confusions (gold -> predicted: count)")
        lines += [f"  {c['gold']} -> {c['predicted']}: {c['count']}" for c in report["confusions"]]
    lines.append("")
    if report["anger_f1"] is not None:
        vader = report["vader_anger_f1"]
        lines.append(f"anger_f1: {report['anger_f1']}  (rows: {report['anger_rows']}; high or medium = angry)")
        lines.append(f"vader_anger_f1: {vader if vader is not None else 'n/a (pip install vaderSentiment)'}")
        if vader is not None:
            lines.append(f"anger_f1 - vader_anger_f1: {round(report['anger_f1'] - vader, 4)}")
    if report.get("anger_f1_per_lang"):
        lines.append("anger_f1 per language: " + ", ".join(f"{k}={v}" for k, v in report["anger_f1_per_lang"].items()))
    if report["complaint_f1"] is not None:
        lines.append(f"complaint_f1: {report['complaint_f1']}  (rows: {report['complaint_rows']})")
    if report["types"]:
        lines.append("")
        lines += _table("complainant type", report["types"])
    if report.get("risks"):
        lines.append("")
        lines += _table("risk", report["risks"])
    if report["language_accuracy"] is not None:
        lines.append("")
        lines.append(
            f"language accuracy: {report['language_accuracy']}  "
            + ", ".join(f"{k}={v}" for k, v in report["language_per_lang"].items())
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of tables")
    parser.add_argument("--confusions", type=int, default=12, help="how many confusion pairs to list")
    parser.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validated figures (benchmarks/eval_cv.py)")
    args = parser.parse_args(argv)
    if args.cv:
        if args.files:
            parser.error("--cv reads ../shared/eval and labelled/ itself: give no files")
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import eval_cv

        return int(eval_cv.main(["--cv", str(args.cv), *(["--json"] if args.json else [])]) or 0)
    if not args.files:
        parser.error("give labelled CSV files, or --cv K")
    report = evaluate(args.files, args.confusions)
    sys.stdout.write(json.dumps(report, indent=2) + "\n" if args.json else text_report(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
