"""Precision and recall of the channel read in a message (email, chat, social), on the
team's labelled rows, for both splits.

    python benchmarks/eval_channel.py [--split tune|test] [--prefix ID-PREFIX] [--show]

Rows: ``labelled/*.jsonl`` with a ``channel`` label (``--prefix fx-`` keeps one set).
Besides precision and recall per channel it counts the two kinds of error apart: an
email read as chat or social gets a reply too short for a letter (the worse one), a
chat or social line read as an email gets a letter. ``--show`` lists the misread rows
of the tune split only: test rows are measured, never read to fix a case.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHANNELS = ("email", "chat", "social")


def rows(split: str, prefix: str = "") -> list[dict[str, str]]:
    found = [
        json.loads(line)
        for path in sorted((ROOT / "labelled").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [r for r in found if r["split"] == split and r["id"].startswith(prefix) and r.get("channel")]


def read_channel(raw: str) -> str:
    import replycoach

    return str(replycoach.analyze_text(raw)["channel"])


def report(split: str, prefix: str, show: bool) -> None:
    pairs: Counter[tuple[str, str]] = Counter()
    missed: list[tuple[str, str, str, str]] = []
    chosen = rows(split, prefix)
    for row in chosen:
        gold, got = row["channel"], read_channel(row["raw"])
        pairs[(gold, got)] += 1
        if gold != got:
            missed.append((row["id"], gold, got, " ".join(row["raw"].split())[:150]))
    print(f"{split}{', ' + prefix if prefix else ''}: {len(chosen)} rows")
    print(f"  {'channel':8} {'P':>5} {'R':>5}   n  tp  fp  fn")
    for ch in CHANNELS:
        tp = pairs[(ch, ch)]
        fp = sum(n for (gold, got), n in pairs.items() if got == ch and gold != ch)
        fn = sum(n for (gold, got), n in pairs.items() if gold == ch and got != ch)
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        print(f"  {ch:8} {p:5.3f} {r:5.3f} {tp + fn:3} {tp:3} {fp:3} {fn:3}")
    right = sum(n for (gold, got), n in pairs.items() if gold == got)
    print(f"  accuracy {right / max(len(chosen), 1):.3f} ({right}/{len(chosen)})")
    emails = sum(n for (gold, _), n in pairs.items() if gold == "email")
    short = sum(n for (gold, got), n in pairs.items() if gold == "email" and got != "email")
    lines = sum(n for (gold, _), n in pairs.items() if gold != "email")
    long = sum(n for (gold, got), n in pairs.items() if gold != "email" and got == "email")
    print(f"  email answered short (chat/social): {short}/{emails}")
    print(f"  chat/social answered as email:      {long}/{lines}")
    print(f"  chat <-> social swapped:            {pairs[('chat', 'social')] + pairs[('social', 'chat')]}")
    print("  confusion (row: label, column: read): " + "  ".join(CHANNELS))
    for gold in CHANNELS:
        print(f"    {gold:8} " + " ".join(f"{pairs[(gold, got)]:6}" for got in CHANNELS))
    if show:
        for item in missed:
            print("  ", *item)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("tune", "test"), help="one split (default: both)")
    parser.add_argument("--prefix", default="")
    parser.add_argument("--show", action="store_true", help="list the misread rows (tune split only)")
    args = parser.parse_args(argv)
    if args.show and args.split != "tune":
        parser.error("--show lists rows: only with --split tune (test rows are never read to fix a case)")
    for split in (args.split,) if args.split else ("tune", "test"):
        report(split, args.prefix, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
