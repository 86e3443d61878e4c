"""Measure the message's mode (complaint, question, request, praise, other) on the team's sets.

    python benchmarks/eval_mode.py [--split tune|test] [--labelled DIR] [--errors] [--json]

Reads the JSON Lines sets of ``labelled/`` (key ``mode``), only the rows of ``--split``
(default ``tune``), and reads each message as a draft does (``reply.compose.analyse``:
the analysis, then the listening with the model blended in). Prints per language and
per channel the accuracy and macro-F1 (over the modes the gold side has) of:

- ``cues``: ``listening.mode`` alone (the cue data, before the model);
- ``final``: the mode the draft uses (after ``reading.blend``);

then per mode precision / recall / F1 of ``final``, its confusions, and how often the
analysis's ``complaint`` flag agrees with ``final == "complaint"``.

``--errors`` lists the misread rows (id, gold, read, evidence): for the ``tune`` split
only. ``test`` rows are measured, never looked at one by one (the script refuses).
The model was trained on the ``tune`` rows, so ``final`` on ``tune`` is an in-sample
figure; ``test`` is held out for the cues and the model alike.
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MODES = ("complaint", "question", "request", "praise", "other")
LANGS = ("en", "fi", "nb", "ru", "he", "de", "fr", "es")
# As the labels were written: the message received on Monday 2026-11-23 at 09:00.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def load(folder: Path, split: str) -> list[dict[str, Any]]:
    rows = []
    for name in sorted(glob.glob(str(folder / "*.jsonl"))):
        with open(name, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    if row["split"] == split:
                        rows.append(row)
    return rows


def read(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per row: the cue mode, the final mode, its evidence and the complaint flag."""
    from replycoach.message import parse_message
    from replycoach.playbook.registry import load_registry
    from replycoach.reading import listening
    from replycoach.reply.compose import analyse

    registry = load_registry()
    out = []
    for row in rows:
        message = parse_message(row["raw"])
        result = analyse(message, registry, now=NOW)
        cue, _ = listening.mode(
            message.body, message.subject, result["scenario"]["id"], result["asks"], result["anger"]["level"]
        )
        out.append(
            {"cues": cue, "final": result["mode"], "evidence": result["mode_evidence"], "flag": result["complaint"]}
        )
    return out


def f1(gold: list[str], pred: list[str], label: str) -> tuple[float, float, float, int]:
    tp = sum(g == label == p for g, p in zip(gold, pred, strict=True))
    fp = sum(p == label != g for g, p in zip(gold, pred, strict=True))
    fn = sum(g == label != p for g, p in zip(gold, pred, strict=True))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0), tp + fn


def scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    labels = sorted(set(gold))
    right = sum(g == p for g, p in zip(gold, pred, strict=True))
    macro = sum(f1(gold, pred, label)[2] for label in labels) / len(labels) if labels else 0.0
    return {"n": len(gold), "accuracy": round(right / len(gold), 4) if gold else 0.0, "macro_f1": round(macro, 4)}


def report(rows: list[dict[str, Any]], found: list[dict[str, Any]]) -> dict[str, Any]:
    gold = [r["mode"] for r in rows]
    groups: dict[str, list[int]] = {"all": list(range(len(rows)))}
    for lang in LANGS:
        groups[lang] = [i for i, r in enumerate(rows) if r["lang"] == lang]
    groups["non-en"] = [i for i, r in enumerate(rows) if r["lang"] != "en"]
    for channel in ("email", "chat", "social"):
        groups[channel] = [i for i, r in enumerate(rows) if r["channel"] == channel]
    out: dict[str, Any] = {"groups": {}}
    for name, idx in groups.items():
        if idx:
            g = [gold[i] for i in idx]
            out["groups"][name] = {kind: scores(g, [found[i][kind] for i in idx]) for kind in ("cues", "final")} | {
                "n": len(idx)
            }
    final = [f["final"] for f in found]
    out["per_mode"] = {
        m: dict(zip(("precision", "recall", "f1", "support"), f1(gold, final, m), strict=True)) for m in MODES
    }
    out["confusions"] = Counter(f"{g} -> {p}" for g, p in zip(gold, final, strict=True) if g != p).most_common(10)
    agree = sum(f["flag"] == (f["final"] == "complaint") for f in found)
    out["flag_agrees"] = round(agree / len(found), 4) if found else 0.0
    return out


def text(rep: dict[str, Any], split: str) -> str:
    lines = [
        f"mode on the {split} split",
        f"{'group':<8} {'n':>4}  {'cues acc':>8} {'F1':>6}  {'final acc':>9} {'F1':>6}",
    ]
    for name, g in rep["groups"].items():
        c, f = g["cues"], g["final"]
        lines.append(
            f"{name:<8} {g['n']:>4}  {c['accuracy']:>8.3f} {c['macro_f1']:>6.3f}  {f['accuracy']:>9.3f} {f['macro_f1']:>6.3f}"
        )
    lines += ["", f"{'final, per mode':<16} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}"]
    for m, v in rep["per_mode"].items():
        lines.append(f"  {m:<14} {v['precision']:>9.3f} {v['recall']:>7.3f} {v['f1']:>6.3f} {v['support']:>8}")
    lines += ["", "confusions (gold -> read): " + ", ".join(f"{k}: {n}" for k, n in rep["confusions"])]
    lines.append(f"complaint flag agrees with final mode: {rep['flag_agrees']}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("tune", "test"), default="tune")
    parser.add_argument("--labelled", type=Path, default=ROOT / "labelled")
    parser.add_argument("--errors", action="store_true", help="list the misread rows (tune split only)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.errors and args.split != "tune":
        parser.error("--errors is for the tune split only: test rows are measured, not read one by one")
    rows = load(args.labelled, args.split)
    found = read(rows)
    rep = report(rows, found)
    sys.stdout.write(json.dumps(rep, indent=2) + "\n" if args.json else text(rep, args.split))
    if args.errors:
        for r, f in zip(rows, found, strict=True):
            if r["mode"] != f["final"] or r["mode"] != f["cues"]:
                words = " ".join(r["raw"].split())[:160]
                print(
                    f"{r['id']:<12} gold={r['mode']:<9} cue={f['cues']:<9} final={f['final']:<9} {f['evidence'][:3]} | {words}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
