"""The report as a team lead reads it (issue 19, point 7): kept on time out of the
promises already due, the overdue ones listed (who, what, since when), causes by
their playbook labels, times in the reader's zone, promises with their currency;
the ``--format json`` keys of before all still there."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import SAMPLES
from .test_log_support import another_message

SAMPLE = str(SAMPLES / "damaged.eml")
MONDAY = "2026-11-23T10:00:00+01:00"
OLD_KEYS = {
    "since", "by", "generated", "total", "senders", "anger_avg", "first", "last", "groups",
    "weeks", "days", "causes", "scenarios_by_anger", "promises",
}  # fmt: skip


@pytest.fixture
def logged(run) -> None:
    """One promise overdue (a replacement due 11 November), three not due yet (refunds)."""
    r = run("draft", SAMPLE, "--set", "agent=Sam", "--now", "2026-11-10T17:00:00+01:00", "--log",
            "--set", "cause=carrier-damage", "--set", "note=Claim with the carrier")  # fmt: skip
    assert r.code == 0, r.err
    for n in range(3):  # three messages (one complaint each), not one message logged thrice
        r = run("draft", "--set", "agent=Kim", "--now", "2026-11-20T17:00:00+01:00", "--log",
                "--set", "cause=packaging", "--set", "resolve=refund", "--set", "refund_amount=149",
                "--set", "currency=€", stdin=another_message(n))  # fmt: skip
        assert r.code == 0, r.err


def test_kept_on_time_counts_only_the_promises_already_due(run, logged) -> None:
    out = run("report", "--now", MONDAY).out
    assert "0% kept on time (0 of 1 due; 3 not due yet), as of 2026-11-23 10:00 UTC+01:00\n" in out
    data = json.loads(run("report", "--now", MONDAY, "--format", "json").out)
    assert data["promises_due"] == {"due": 1, "kept_on_time": 0, "share": 0.0, "not_due_yet": 3}
    assert data["promises"] == {"total": 4, "kept_on_time": 0, "late": 0, "overdue": 1, "pending": 3}
    assert run("followups", "done", "1", "--now", MONDAY).code == 0
    # Kept late is due and not kept on time; still three not due.
    assert "0% kept on time (0 of 1 due; 3 not due yet)" in run("report", "--now", MONDAY).out
    early = run("report", "--now", "2026-11-11T09:00:00+01:00", "--since", "2026-11-11").out
    assert "no promise due yet (3 not due yet)" in early


def test_html_card_is_out_of_the_promises_due(run, logged, tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    assert run("report", "--now", MONDAY, "--html", str(page)).code == 0
    html = page.read_text()
    assert "<b>0%</b><span>promises kept on time (0 of 1 due; 3 not due yet)</span>" in html
    assert "(0 of 4)" not in html


def test_overdue_promises_are_listed_who_what_since_when(run, logged, tmp_path: Path) -> None:
    out = run("report", "--now", MONDAY).out
    assert (
        "overdue promises:\n"
        "  #1 Ana Lopez <ana.lopez@example.com>, agent Sam: Ship a replacement at no cost "
        "(due 2026-11-11 15:00 UTC+01:00, 11 days late)\n"
    ) in out
    [item] = json.loads(run("report", "--now", MONDAY, "--format", "json").out)["overdue_promises"]
    assert item == {
        "id": 1,
        "sender": {"email": "ana.lopez@example.com", "name": "Ana Lopez"},
        "agent": "Sam",
        "promise": "Ship a replacement at no cost",
        "due": "2026-11-11T15:00:00+01:00",
        "due_local": "2026-11-11 15:00 UTC+01:00",
        "days_overdue": 11,
    }
    page = tmp_path / "r.html"
    run("report", "--now", MONDAY, "--html", str(page))
    assert "<h2>Overdue promises</h2>" in page.read_text()
    assert "overdue promises" not in run("report", "--now", "2026-11-10T18:00:00+01:00").out


def test_causes_show_their_playbook_labels(run, logged, tmp_path: Path) -> None:
    out = run("report", "--now", MONDAY, "--by", "cause").out
    assert "\nPackaging not strong enough for the item      3 " in out
    assert "\nDamaged in transit by the carrier             1 " in out
    assert "  Damaged in transit by the carrier (1): Claim with the carrier\n" in out
    assert "carrier-damage" not in out
    data = json.loads(run("report", "--now", MONDAY, "--by", "cause", "--format", "json").out)
    assert [g["key"] for g in data["groups"]] == ["packaging", "carrier-damage"]  # ids stay the keys
    assert data["cause_labels"] == {
        "carrier-damage": "Damaged in transit by the carrier",
        "packaging": "Packaging not strong enough for the item",
    }
    csv = run("report", "--now", MONDAY, "--by", "cause", "--format", "csv").out
    assert csv.splitlines()[1].startswith("packaging,3,")
    page = tmp_path / "r.html"
    run("report", "--now", MONDAY, "--html", str(page))
    assert "<td>Damaged in transit by the carrier</td>" in page.read_text()


def test_times_are_local_with_the_zone(run, logged, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLYCOACH_TZ", "Europe/Helsinki")
    data = json.loads(run("report", "--now", MONDAY, "--format", "json").out)
    assert data["generated"] == "2026-11-23T09:00:00Z"  # the stored UTC form stays
    assert (data["generated_local"], data["first_local"], data["last_local"]) == (
        "2026-11-23 11:00 EET",
        "2026-11-10 18:00 EET",
        "2026-11-20 18:00 EET",
    )
    assert "as of 2026-11-23 11:00 EET\n" in run("report", "--now", MONDAY).out
    page = tmp_path / "r.html"
    run("report", "--now", MONDAY, "--html", str(page))
    html = page.read_text()
    assert "generated 2026-11-23 11:00 EET" in html and not re.search(r"generated \d{4}-\d\d-\d\dT", html)


def test_promises_carry_their_currency(run, logged) -> None:
    listed = run("log", "list").out
    assert "promise: Refund €149.00 to the original payment method" in listed
    assert "149.0 " not in listed
    german = run("draft", SAMPLE, "--set", "agent=Kim", "--now", MONDAY, "--format", "json", "--lang", "de",
                 "--set", "resolve=refund", "--set", "refund_amount=149", "--set", "currency=€")  # fmt: skip
    assert json.loads(german.out)["promise"] == "Refund 149,00\u00a0€ to the original payment method"


def test_json_keys_of_before_are_kept(run, logged) -> None:
    data = json.loads(run("report", "--now", MONDAY, "--format", "json").out)
    assert set(data) >= OLD_KEYS
    assert set(data["promises"]) == {"total", "kept_on_time", "late", "overdue", "pending"}
    assert all(set(c) == {"cause", "count", "notes"} for c in data["causes"])
