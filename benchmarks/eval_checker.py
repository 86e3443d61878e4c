"""Precision and recall of the built-in rule pack on the labelled replies.

    python benchmarks/eval_checker.py [--verbose] [--rules DIR ...] [--file NAME.yaml ...]

Every reply in ``tests/fixtures/replies/*.yaml`` carries the complete set of rule ids a
support lead would circle (``labels``). A rule "fires" on a reply when it gives at least
one finding; per rule, a firing on a labelled reply is a true positive, on an unlabelled
one a false positive, and a label with no firing a false negative. Prints one row per
rule, the error-level targets (precision >= 0.95, recall >= 0.90), and with
``--verbose`` every disagreement, so a false positive can be read, not guessed at.
``--file`` limits the run to some fixture files: run a new, unseen batch alone first,
and report that first run before tuning on it (after tuning it is in-sample).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "replies"
PRECISION_TARGET = 0.95
RECALL_TARGET = 0.90


def load_cases(folder: Path = FIXTURES) -> list[dict[str, Any]]:
    from replycoach.foundation.schema import plain
    from replycoach.foundation.yamlio import load_yaml_file

    cases: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yaml")):
        for entry in plain(load_yaml_file(path)) or []:
            entry["file"] = path.name
            cases.append(entry)
    ids = [c["id"] for c in cases]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise SystemExit(f"duplicate ids in {folder}: {', '.join(sorted(dupes))}")
    return cases


def evaluate(cases: list[dict[str, Any]], rules: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-rule counts, the disagreements, and the time spent checking."""
    from replycoach.checking.checker import check

    known = {r["id"] for r in rules}
    counts = {r["id"]: {"tp": 0, "fp": 0, "fn": 0, "level": r["level"]} for r in rules}
    misses: list[tuple[str, str, str, str]] = []  # (kind, rule, case id, detail)
    elapsed = 0.0
    for case in cases:
        unknown = set(case["labels"]) - known
        if unknown:
            raise SystemExit(f"{case['file']}: {case['id']}: unknown rule id(s) {', '.join(sorted(unknown))}")
        start = time.perf_counter()
        findings = check(case["reply"], message=case.get("message"), rules=rules)
        elapsed += time.perf_counter() - start
        fired: dict[str, str] = {}
        for f in findings:
            fired.setdefault(f["rule"], f"{f['line']}:{f['column']} {f['text']!r}")
        labels = set(case["labels"])
        for rid in known:
            if rid in fired and rid in labels:
                counts[rid]["tp"] += 1
            elif rid in fired:
                counts[rid]["fp"] += 1
                misses.append(("FP", rid, case["id"], fired[rid]))
            elif rid in labels:
                counts[rid]["fn"] += 1
                misses.append(("FN", rid, case["id"], ""))
    return {"counts": counts, "misses": misses, "seconds": elapsed}


def ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:5.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list every false positive and negative")
    parser.add_argument("--rules", action="append", default=[], help="extra rules folder (as check --rules)")
    parser.add_argument("--file", action="append", default=[], help="only these fixture files (e.g. a new batch)")
    args = parser.parse_args(argv)

    from replycoach.checking.checker import load_rules

    rules = load_rules(tuple(args.rules))
    cases = [c for c in load_cases() if not args.file or c["file"] in args.file]
    if not cases:
        raise SystemExit(f"no replies in {', '.join(args.file)}")
    result = evaluate(cases, rules)
    counts = result["counts"]
    labelled = sum(1 for c in cases if c["labels"])
    print(f"{len(cases)} replies ({len(cases) - labelled} clean, {labelled} with habits), {len(rules)} rules")
    print(f"{'rule':<24} {'level':<10} {'tp':>3} {'fp':>3} {'fn':>3}  precision  recall")
    order = {"error": 0, "warning": 1, "suggestion": 2}
    failing = []
    for rid, c in sorted(counts.items(), key=lambda kv: (order[kv[1]["level"]], kv[0])):
        p = ratio(c["tp"], c["tp"] + c["fp"])
        r = ratio(c["tp"], c["tp"] + c["fn"])
        mark = ""
        if c["level"] == "error" and (
            (p is not None and p < PRECISION_TARGET) or (r is not None and r < RECALL_TARGET)
        ):
            mark = "  below target"
            failing.append(rid)
        print(f"{rid:<24} {c['level']:<10} {c['tp']:>3} {c['fp']:>3} {c['fn']:>3}  {fmt(p):>9}  {fmt(r):>6}{mark}")
    for level in ("error", "warning", "suggestion"):
        tp = sum(c["tp"] for c in counts.values() if c["level"] == level)
        fp = sum(c["fp"] for c in counts.values() if c["level"] == level)
        fn = sum(c["fn"] for c in counts.values() if c["level"] == level)
        print(
            f"{'all ' + level:<24} {'':<10} {tp:>3} {fp:>3} {fn:>3}  {fmt(ratio(tp, tp + fp)):>9}  {fmt(ratio(tp, tp + fn)):>6}"
        )
    clean_with_errors = sum(
        1 for kind, rid, _, _ in result["misses"] if kind == "FP" and counts[rid]["level"] == "error"
    )
    print(f"error-level false positives: {clean_with_errors}")
    print(
        f"targets for error-level rules: precision >= {PRECISION_TARGET}, recall >= {RECALL_TARGET}: "
        + ("met" if not failing else "NOT met by " + ", ".join(failing))
    )
    per_reply = result["seconds"] / max(len(cases), 1) * 1000
    print(f"check() time: {per_reply:.2f} ms per reply (mean over {len(cases)}, rules loaded once)")
    if args.verbose:
        for kind, rid, cid, detail in sorted(result["misses"], key=lambda m: (m[1], m[0], m[2])):
            print(f"  {kind} {rid:<24} {cid:<10} {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
