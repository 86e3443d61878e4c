"""Every playbook sample message routes to its own scenario (the playbooks' quality bar).

The samples are the playbook library's (tests/fixtures/scenarios/<id>/NN.txt); the cues
are the analysis' (src/replycoach/data/scenarios.yaml). Agent-chosen playbooks
(`detected: false`) are never the answer of detection, so their samples are left out.
"""

from __future__ import annotations

import pytest

from replycoach import api
from replycoach.playbook.registry import load_registry

from .conftest import FIXTURES

SCENARIOS = FIXTURES / "scenarios"
DETECTED = sorted(pid for pid, pb in load_registry(()).playbooks.items() if pb["detected"])
SAMPLES = sorted(p for pid in DETECTED for p in (SCENARIOS / pid).glob("*.txt"))


def test_every_detected_playbook_has_three_samples() -> None:
    for pid in DETECTED:
        assert len(list((SCENARIOS / pid).glob("*.txt"))) >= 3, pid


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sample_routes_to_its_playbook(sample) -> None:
    reading = api.analyze_text(sample.read_bytes())
    assert reading["scenario"]["id"] == sample.parent.name, reading["scenario"]
    if sample.parent.name != "general":  # general is what is left when no cue decides
        assert reading["scenario"]["evidence"], "a routed scenario shows the words that decided it"


def test_agent_chosen_playbooks_are_never_detected() -> None:
    chosen = {pid for pid, pb in load_registry(()).playbooks.items() if not pb["detected"]}
    assert chosen == {"unknown-answer", "backlog", "part-ways", "incident-followup"}
    for pid in chosen:
        for sample in (SCENARIOS / pid).glob("*.txt"):
            assert api.analyze_text(sample.read_bytes())["scenario"]["id"] not in chosen
