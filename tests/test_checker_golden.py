"""Golden findings: the exact `check` output for labelled replies with several habits.

Regenerate after a deliberate change to a rule's wording or reach with
``REPLYCOACH_REGEN_GOLDEN=1 pytest tests/test_checker_golden.py``, and read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import FIXTURES
from .test_checker_eval import cases_by_id

GOLDEN = Path(__file__).resolve().parent / "golden" / "findings"
REGEN = os.environ.get("REPLYCOACH_REGEN_GOLDEN") == "1"
CASES = [
    ("good-001", "text"),
    ("apol-020", "text"),
    ("apol-021", "line"),
    ("time-017", "text"),
    ("time-024", "json"),
    ("inv-025", "text"),
    ("ref-017", "line"),
    ("st-003", "json"),
    ("st-009", "text"),
    ("hard-028", "text"),
]


@pytest.mark.parametrize(("case_id", "fmt"), CASES)
def test_findings_match_golden(run, tmp_path: Path, case_id: str, fmt: str) -> None:
    case = cases_by_id()[case_id]
    args = ["check", "-", "--format", fmt, "--no-exit"]
    if case.get("message"):
        mail = tmp_path / "mail.txt"
        mail.write_text(case["message"], encoding="utf-8")
        args += ["--message", str(mail)]
    r = run(*args, stdin=case["reply"])
    assert (r.code, r.err) == (0, "")
    golden = GOLDEN / f"{case_id}.{'json' if fmt == 'json' else 'txt'}"
    if REGEN:
        golden.write_text(r.out, encoding="utf-8")
    assert r.out == golden.read_text(encoding="utf-8")


def test_golden_cases_exist() -> None:
    assert (FIXTURES / "replies").is_dir()
    names = {p.name for p in GOLDEN.iterdir()}
    assert names == {f"{c}.{'json' if f == 'json' else 'txt'}" for c, f in CASES}
