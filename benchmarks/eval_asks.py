"""Precision and recall of the reading's asks, per ask id, on the team's labelled rows.

    python benchmarks/eval_asks.py tune|test [--prefix ID-PREFIX] [--show ASK-ID]

Rows: ``labelled/*.jsonl`` of one split (``--prefix fx-`` keeps one set, e.g. the fresh
held-out rows). An ask counts as found when the reading gives its id; its text is not
compared. ``--show`` lists the false positives and negatives of one id, and refuses the
test split: test rows are measured, never read to fix a case.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T09:00:00+01:00"


def main(argv: list[str] | None = None) -> int:
    import replycoach

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("split", choices=("tune", "test"))
    parser.add_argument("--prefix", default="")
    parser.add_argument("--show", metavar="ASK-ID")
    args = parser.parse_args(argv)
    if args.show and args.split == "test":
        parser.error("--show lists rows: only for the tune split")
    rows = [
        json.loads(line)
        for path in sorted((ROOT / "labelled").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rows = [r for r in rows if r["split"] == args.split and r["id"].startswith(args.prefix)]
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    examples: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        found = {a["id"]: a["text"] for a in replycoach.analyze_text(row["raw"], now=NOW).get("asks") or []}
        gold = {a["id"]: a["text"] for a in row["asks"]}
        for aid, text in found.items():
            if aid in gold:
                tp[aid] += 1
            else:
                fp[aid] += 1
                examples[("fp", aid)].append((row["id"], text[:120]))
        for aid in gold.keys() - found.keys():
            fn[aid] += 1
            examples[("fn", aid)].append((row["id"], gold[aid][:120]))
    print(f"{len(rows)} rows ({args.split}{', ' + args.prefix if args.prefix else ''})")
    print(f"{'ask':14} {'P':>5} {'R':>5}   tp  fp  fn")
    for aid in sorted(tp.keys() | fp.keys() | fn.keys()):
        p = tp[aid] / max(tp[aid] + fp[aid], 1)
        r = tp[aid] / max(tp[aid] + fn[aid], 1)
        print(f"{aid:14} {p:5.2f} {r:5.2f}  {tp[aid]:3} {fp[aid]:3} {fn[aid]:3}")
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(f"{'all':14} {t / max(t + f, 1):5.2f} {t / max(t + n, 1):5.2f}  {t:3} {f:3} {n:3}")
    if args.show:
        for kind in ("fp", "fn"):
            for example in examples[(kind, args.show)][:20]:
                print(kind, *example)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
