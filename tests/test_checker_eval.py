"""The labelled replies hold the built-in pack to its targets (benchmarks/eval_checker.py
prints the same numbers per rule, with every disagreement)."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

from .conftest import ROOT

# The benchmark script is the one definition of the metric; load it by path, since
# benchmarks/ is not a package.
_spec = importlib.util.spec_from_file_location("replycoach_eval_checker", ROOT / "benchmarks" / "eval_checker.py")
assert _spec is not None and _spec.loader is not None
eval_checker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(eval_checker)


@cache
def _cases() -> tuple[dict[str, Any], ...]:
    return tuple(eval_checker.load_cases())


def cases_by_id() -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in _cases()}


def test_the_set_is_big_and_covers_every_rule() -> None:
    from replycoach.checking.checker import load_rules

    cases = _cases()
    assert len(cases) >= 150
    assert sum(1 for c in cases if not c["labels"]) >= 50
    labels = [rid for c in cases for rid in c["labels"]]
    thin = {r["id"]: labels.count(r["id"]) for r in load_rules() if labels.count(r["id"]) < 2}
    assert thin == {}


def test_error_level_rules_meet_the_targets() -> None:
    from replycoach.checking.checker import load_rules

    result = eval_checker.evaluate(list(_cases()), load_rules())
    below = {}
    for rid, c in result["counts"].items():
        if c["level"] != "error":
            continue
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        if precision < eval_checker.PRECISION_TARGET or recall < eval_checker.RECALL_TARGET:
            below[rid] = (round(precision, 3), round(recall, 3))
    misses = [m for m in result["misses"] if result["counts"][m[1]]["level"] == "error"]
    assert below == {}, misses


def test_clean_replies_have_no_error_findings() -> None:
    from replycoach.checking.checker import check

    noisy = {
        c["id"]: [f["rule"] for f in check(c["reply"], message=c.get("message")) if f["severity"] == "error"]
        for c in _cases()
        if not c["labels"]
    }
    assert {k: v for k, v in noisy.items() if v} == {}


def test_fixture_folder_is_where_the_benchmark_reads() -> None:
    assert Path(eval_checker.FIXTURES) == ROOT / "tests" / "fixtures" / "replies"
