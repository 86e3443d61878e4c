"""How many of the labelled asks and questions the drafts answer.

    python benchmarks/asks_answered.py [FILE.jsonl ...] [--split tune|test] [--show]

Rows: the JSONL files given (default: labelled/*.jsonl), labelled as labelled/ rows are
(``asks`` with ids, ``questions`` as the customer's words). Each row is drafted as
``draft --placeholders`` would; the reply's own ``listen`` values (what the templates
are given) tell what it answers:

- an ask is answered when the chosen resolve option grants it, or the playbook is the one
  written for it (manager-request, feature-request, discount-request, cancellation), or
  the letter has a line
  for it (an open ask: another remedy offered, a dated call, "I can't promise X yet; what
  I can do is Y"; an explanation, prevention or manager line), or, for "information", a
  question of theirs gets its answer line; a chat or social reply answers only what its resolve grants (it has no such lines);
- a question is answered when the letter gives it a line (an answer slot or a dated
  promise), or a chat/social reply to a question or request answers it.

Run it from two checkouts (PYTHONPATH) to compare before and after: it measures the
drafts, not the reading (an ask the reading missed counts as unanswered).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T09:00:00+01:00"
OWN_PLAYBOOK = {
    "manager": "manager-request",
    "feature": "feature-request",
    "discount": "discount-request",
    "cancel": "cancellation",
}


def _norm(text: str) -> str:
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace()).split())


def answered(result: dict[str, Any], listen: dict[str, Any], registry: Any) -> tuple[set[str], list[str]]:
    """The ask ids and the question texts this draft answers."""
    pb = registry.get(result["playbook"])
    options = {o["id"]: o for o in pb["steps"]["resolve"]["options"]}
    chosen = result["choices"].get("resolve")
    ids = set(options.get(chosen, {}).get("grants", ())) if chosen else set()
    questions: list[str] = []
    short = bool(listen.get("short"))
    # A playbook written for the ask answers it in its own texts ("I cannot promise when
    # it will be built"), granted or honestly declined.
    ids |= {aid for aid, pid in OWN_PLAYBOOK.items() if result["playbook"] == pid and chosen}
    if not short:
        ids |= {a["id"] for a in listen.get("open_asks", ())}
        for key, aid in (("wants_explanation", "explanation"), ("wants_prevention", "prevention")):
            if listen.get(key):
                ids.add(aid)
        if listen.get("wants_manager"):
            ids.add("manager")
        questions = [q["text"] for q in listen.get("questions", ())]
    else:
        # The short form answers a safety question always, the others outside a complaint.
        questions = [
            q["text"] for q in listen.get("questions", ()) if q.get("safety") or listen.get("mode") != "complaint"
        ]
    if questions:
        ids.add("information")
    return ids, questions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--split", choices=("tune", "test"), default=None)
    parser.add_argument("--show", action="store_true", help="list each unanswered ask and question")
    args = parser.parse_args(argv)

    import replycoach
    from replycoach.foundation import templating
    from replycoach.playbook.registry import load_registry

    files = args.files or sorted((ROOT / "labelled").glob("*.jsonl"))
    rows = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if args.split is None or r.get("split") == args.split]
    registry = load_registry()
    seen: list[dict[str, Any]] = []
    plain = templating.render_template

    def capture(env: Any, name: str, context: dict[str, Any]) -> str:
        seen.append(context["listen"])
        return plain(env, name, context)

    templating.render_template = capture  # type: ignore[assignment]
    asked: Counter[str] = Counter()
    met: Counter[str] = Counter()
    q_total = q_met = 0
    try:
        for row in rows:
            seen.clear()
            result = replycoach.draft_text(row["raw"], sets={"agent": "Sam"}, placeholders=True, now=NOW)
            ids, questions = answered(result, seen[-1], registry)
            for aid in {a["id"] for a in row.get("asks") or ()}:
                asked[aid] += 1
                met[aid] += aid in ids
                if args.show and aid not in ids:
                    print(f"  ask {row['id']}: {aid}", file=sys.stderr)
            told = [_norm(q) for q in questions]
            for q in row.get("questions") or ():
                q_total += 1
                hit = any(_norm(q) in t or t in _norm(q) for t in told if t)
                q_met += hit
                if args.show and not hit:
                    print(f"  question {row['id']}: {q}", file=sys.stderr)
    finally:
        templating.render_template = plain  # type: ignore[assignment]

    total, hits = sum(asked.values()), sum(met.values())
    print(f"{len(rows)} rows")
    print(f"{'ask':14}{'labelled':>9}{'answered':>9}")
    for aid in sorted(asked):
        print(f"{aid:14}{asked[aid]:>9}{met[aid]:>9}")
    print(f"{'asks':14}{total:>9}{hits:>9}   agreement {100 * hits / max(total, 1):.1f}%")
    print(f"{'questions':14}{q_total:>9}{q_met:>9}   agreement {100 * q_met / max(q_total, 1):.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
