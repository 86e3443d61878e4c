"""The checker agrees with the drafter: no built-in draft carries a finding above
suggestion level, except `unfilled-marker` where the draft leaves a [[marker]] for the
agent (that finding is the point of the marker). Drafted over every scenario sample and
a fixed sample of the labelled eval messages beside the repository (../shared/eval)."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import pytest

import replycoach

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "tests" / "fixtures" / "scenarios").glob("*/*.txt"))
EVAL = ROOT.parent / "shared" / "eval"
NOW = "2026-11-23T09:00:00+02:00"


def _eval_messages(per_file: int = 40) -> list[str]:
    rng = random.Random(15)
    found: list[str] = []
    for name in ("bitext", "banking77", "nlupp", "goemotions"):
        path = EVAL / f"{name}.csv"
        if path.is_file():
            with path.open(encoding="utf-8") as f:
                texts = [r["text"] for r in csv.DictReader(f)]
            found.extend(rng.sample(texts, min(per_file, len(texts))))
    return found


def _above_suggestion(draft: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (f["rule"], f["text"])
        for f in draft["findings"]
        if f["severity"] in ("warning", "error") and f["rule"] != "unfilled-marker"
    ]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_scenario_samples_draft_clean(sample: Path) -> None:
    answers = sample.with_suffix(".yaml")
    draft = replycoach.draft_text(
        sample.read_bytes(),
        playbook=sample.parent.name,
        answers=str(answers) if answers.is_file() else None,
        sets={"agent": "Sam Carter"},
        placeholders=True,
        now=NOW,
    )
    assert _above_suggestion(draft) == []


def test_eval_messages_draft_clean() -> None:
    messages = _eval_messages()
    if not messages:
        pytest.skip(f"no labelled messages at {EVAL}")
    dirty = []
    for text in messages:
        draft = replycoach.draft_text(text, sets={"agent": "Sam"}, placeholders=True, now=NOW)
        found = _above_suggestion(draft)
        if found:
            dirty.append((text[:80], found))
    assert dirty == []
