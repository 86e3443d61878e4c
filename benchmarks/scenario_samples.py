"""The scenario samples drafted as the golden-draft tests draft them, and the replies a
run hands the checker: shared by the speed scripts and the checker's memo test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "fixtures" / "scenarios"
NOW = "2026-11-20T17:00:00+01:00"


def draft_samples(now: str = NOW) -> None:
    """``api.draft_text`` of every scenario sample with its playbook and answers."""
    from replycoach import api

    for sample in sorted(SCENARIOS.glob("*/*.txt")):
        api.draft_text(
            sample.read_bytes(),
            playbook=sample.parent.name,
            answers=str(sample.with_suffix(".yaml")),
            sets=["agent=Sam"],
            now=now,
        )


def checks_made(run: Callable[[], Any]) -> list[tuple[str, dict[str, Any]]]:
    """(reply, the analysis it was checked against) for every ``checker.check`` call
    that ``run()`` makes."""
    from replycoach.checking import checker

    seen: list[tuple[str, dict[str, Any]]] = []
    real = checker.check

    def spy(reply: str, **kwargs: Any) -> list[dict[str, Any]]:
        seen.append((reply, kwargs.get("analysis")))  # type: ignore[arg-type]
        return real(reply, **kwargs)

    checker.check = spy  # type: ignore[assignment]
    try:
        run()
    finally:
        checker.check = real  # type: ignore[assignment]
    return seen
