"""Automatic proxies for draft quality over ../shared/eval and the team's labelled sets.

    python benchmarks/draft_quality.py [--eval ../shared/eval] [--per-source 150] [--split test]

They are proxies, not the grade: a blind reviewer with ../shared/design/DRAFT_RUBRIC.md
decides what is sendable. What they count, per set:

- broken restatement: the restating sentence holds an @handle, #hashtag, link or HTML
  entity, ends on an article or preposition, or is under three words;
- restatement shape: besides those, it opens on a pronoun or a fragment word ("that
  doesn't work", "not waiting …", "want a refund …"), holds a run of capitals, a weekday
  or month in lower case, an order number read with its dash ("order -884120"), or runs
  past 30 words;
- generic resolution: a specific scenario answered with "[[what I will do]]";
- apology to a non-complaint: "sorry"/"apologise" in a reply to a message whose mode
  (the label where there is one, else the reading's) is not a complaint;
- own-checker findings: warnings or errors from the tool's own checker, besides the
  `unfilled-marker` error every draft with a marker carries;
- markers: [[...]] left for the agent, per draft.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T09:00:00+02:00"
RESTATING = re.compile(
    r"(?:understood you correctly|as i understand it|i have read your message)[,:]\s*(.+?)(?:\.\s|\.$|$)", re.I | re.M
)
BROKEN = re.compile(r"[@#]\w|https?://|&(?:amp|lt|gt|quot|#\d+);")
DANGLING = re.compile(r"\b(?:the|a|an|of|to|for|from|with|and|or|my|your|in|on|at|by)\s*$", re.I)
MARKER = re.compile(r"\[\[[^\]]+\]\]")
SHAPE = re.compile(
    r"^(?:that|this|it|they)(?:['’]s|\s+(?:is|was|does|doesn['’]t|did|didn['’]t|has|hasn['’]t|won['’]t))\b"
    r"|^(?:not|want|wants|need|and|but|for|just|should|would|sorry|lol|ordered)\b"
    r"|\b[A-Z]{2,}\s+[A-Z]{2,}\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\border\s+-\d",
)
APOLOGY = re.compile(r"\b(?:sorry|apologi[sz]e)", re.I)


def rows(
    eval_dir: Path, per_source: int, split: str | None, extra: list[Path] | None = None
) -> dict[str, list[dict[str, Any]]]:
    sets: dict[str, list[dict[str, Any]]] = {}
    rng = random.Random(7)
    for name in ("bitext", "banking77", "nlupp"):
        path = eval_dir / f"{name}.csv"
        if path.is_file():
            with path.open(encoding="utf-8") as f:
                found = [{"raw": r["text"], "scenario": r["scenario"], "mode": None} for r in csv.DictReader(f)]
            sets[name] = rng.sample(found, min(per_source, len(found)))
    for path in [*sorted((ROOT / "labelled").glob("*.jsonl")), *(extra or [])]:
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        sets[path.stem] = [r for r in items if split is None or r.get("split") == split]
    return sets


def proxies(draft: dict[str, Any], mode: str | None) -> dict[str, int]:
    text = draft["draft"]
    restating = [m.group(1) for m in RESTATING.finditer(text)]
    broken = any(
        BROKEN.search(r) or DANGLING.search(r.rstrip(" .")) or len(r.split()) < 3 for r in restating if "[[" not in r
    )
    shape = any(SHAPE.search(r) or len(r.split()) > 30 for r in restating if "[[" not in r)
    mode = mode or draft.get("mode") or "complaint"
    own = [f for f in draft["findings"] if f["severity"] in ("warning", "error") and f["rule"] != "unfilled-marker"]
    return {
        "broken_restatement": int(broken),
        "restatement_shape": int(broken or shape),
        "generic_resolution": int(draft["playbook"] != "general" and "[[what I will do]]" in text),
        "apology_to_non_complaint": int(mode != "complaint" and bool(APOLOGY.search(text))),
        "own_findings": int(bool(own)),
        "markers": len(MARKER.findall(text)),
        "failed": 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--per-source", type=int, default=150)
    parser.add_argument("--split", choices=("tune", "test"), default=None, help="labelled rows of one split only")
    parser.add_argument("--also", type=Path, nargs="*", default=[], help="more labelled JSON Lines files to measure")
    parser.add_argument("--show", type=int, default=0, help="print this many drafts with a broken proxy")
    args = parser.parse_args()

    import replycoach

    keys = (
        "broken_restatement",
        "restatement_shape",
        "generic_resolution",
        "apology_to_non_complaint",
        "own_findings",
        "failed",
    )
    print(f"{'set':<16}{'n':>5}" + "".join(f"{k[:14]:>16}" for k in keys) + f"{'markers/draft':>15}")
    shown = 0
    for name, items in rows(args.eval, args.per_source, args.split, args.also).items():
        totals = dict.fromkeys((*keys, "markers"), 0)
        for item in items:
            try:
                draft = replycoach.draft_text(item["raw"], sets={"agent": "Sam"}, placeholders=True, now=NOW)
            except replycoach.ReplycoachError:
                totals["failed"] += 1
                continue
            found = proxies(draft, item.get("mode"))
            for k, v in found.items():
                totals[k] += v
            if args.show and shown < args.show and any(found[k] for k in keys[:5]):
                shown += 1
                print(f"--- {name}: {found}\n{item['raw'][:300]}\n>>>\n{draft['draft']}", file=sys.stderr)
        n = max(len(items), 1)
        cells = "".join(f"{100 * totals[k] / n:>15.1f}%" for k in keys)
        print(f"{name:<16}{len(items):>5}{cells}{totals['markers'] / n:>15.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
