"""How often the reading finds a stake (reading/stakes.py), and how often a draft's empathy names it.

    python benchmarks/eval_stakes.py [SET.jsonl ...] [--eval DIR] [--list]

Messages that name none should get none: over the CSVs of ../shared/eval (support
requests, banking queries, Reddit comments), every stake read is printed with ``--list``
and counted per file; near 0 is the aim. Over the JSON Lines sets given (default: the
team's ``labelled/*.jsonl``, key ``raw``, ``mode``) it counts the stakes read per mode and
per kind, and drafts each message twice, with the stake and without it: a draft whose
text differs got the stake's line. ``--list`` prints each row's stake (id, mode, kind,
item, the customer's words) and whether its draft used it, for reading them by hand.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent.parent / "shared" / "eval"
NOW = "2026-11-23T09:00:00+01:00"  # the labelled sets' "received" time


def _eval_dir() -> Path:
    for candidate in (EVAL, ROOT.parent / "shared" / "eval"):
        if candidate.is_dir():
            return candidate
    return EVAL


def eval_csvs(folder: Path, listing: bool) -> None:
    from replycoach.reading.listening import stake as read_stake

    total = hits = 0
    for path in sorted(folder.glob("*.csv")):
        rows = found = 0
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                rows += 1
                stake = read_stake(row["text"])
                if stake:
                    found += 1
                    if listing:
                        print(f"  {path.name} {row['id']}: {stake['kind']}/{stake['item']} {stake['text']!r}")
        print(f"{path.name}: {found} of {rows} with a stake ({found / max(rows, 1):.2%})")
        total, hits = total + rows, hits + found
    print(f"eval CSVs: {hits} of {total} with a stake ({hits / max(total, 1):.2%})")


def _drafts(raw: str) -> tuple[dict[str, Any], str, str]:
    """The analysis, the draft with the stake and the draft without it."""
    from replycoach.api import _message, _registry, collect_answers
    from replycoach.reply.compose import analyse, build
    from replycoach.reply.deadline import as_datetime

    answers = collect_answers(None, ["agent=Sam"])
    registry = _registry(None)
    message = _message(raw)
    now = as_datetime(NOW)
    analysis = analyse(message, registry, db=False, now=now)
    with_stake = build(message, registry, analysis, answers, placeholders=True, now=now)["draft"]
    without = build(message, registry, {**analysis, "stake": None}, answers, placeholders=True, now=now)["draft"]
    return analysis, with_stake, without


def sets(files: list[Path], listing: bool) -> None:
    by_mode: Counter[str] = Counter()
    read: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    lines = 0
    rows = 0
    for path in files:
        for text in path.read_text(encoding="utf-8").splitlines():
            if not text.strip():
                continue
            row = json.loads(text)
            rows += 1
            mode = str(row.get("mode", "?"))
            by_mode[mode] += 1
            analysis, with_stake, without = _drafts(row["raw"])
            stake = analysis.get("stake")
            used = with_stake != without
            lines += used
            if stake:
                read[mode] += 1
                kinds[stake["kind"]] += 1
                if listing:
                    mark = "line" if used else "    "
                    print(f"  {mark} {row.get('id')} {mode}: {stake['kind']}/{stake['item']} {stake['text']!r}")
    print(f"sets: {rows} rows, {sum(read.values())} with a stake, {lines} drafts with its line")
    print("  stakes per mode (read / rows): " + ", ".join(f"{m} {read[m]}/{n}" for m, n in sorted(by_mode.items())))
    print("  per kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("files", nargs="*", type=Path, help="JSON Lines sets (default: labelled/*.jsonl)")
    parser.add_argument("--eval", type=Path, default=None, help="the folder of labelled CSVs (../shared/eval)")
    parser.add_argument("--list", action="store_true", help="print every stake read")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    eval_csvs(args.eval or _eval_dir(), args.list)
    sets(args.files or sorted((ROOT / "labelled").glob("*.jsonl")), args.list)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
