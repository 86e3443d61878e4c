"""Playbook validation, deadlines and rendering safety."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from replycoach.foundation.errors import PlaybookError
from replycoach.reply.deadline import BusinessCalendar, compute, human

from .conftest import ROOT, SAMPLES

GENERAL = (ROOT / "playbooks" / "general.yaml").read_text()


def _team(tmp_path: Path, name: str, text: str) -> Path:
    team = tmp_path / "team"
    team.mkdir(exist_ok=True)
    (team / name).write_text(text)
    return team


def test_builtin_playbooks_validate(run) -> None:
    r = run("playbooks", "validate")
    assert r.code == 0, r.err
    assert r.out.endswith("file(s) valid\n")


def test_unknown_key_in_playbook_names_file_line_field(run, tmp_path: Path) -> None:
    team = _team(tmp_path, "general.yaml", GENERAL.replace("summary:", "sumary:"))
    r = run("playbooks", "validate", str(team / "general.yaml"))
    assert r.code == 2
    line = GENERAL.split("\n").index(next(ln for ln in GENERAL.split("\n") if ln.startswith("summary:"))) + 1
    assert r.err.startswith(f"replycoach: error: {team / 'general.yaml'}:{line}: sumary: unknown key (known keys: ")


def test_bad_option_text_template_is_caught_at_load(tmp_path: Path, run) -> None:
    text = GENERAL.replace("You are right to be annoyed about this.", "You are right {{ to be annoyed")
    team = _team(tmp_path, "general.yaml", text)
    r = run("draft", "--playbooks", str(team), "--set", "agent=Sam", stdin="hello there, the app is slow")
    assert r.code == 2
    assert f"{team / 'general.yaml'}:" in r.err
    assert "steps.empathize.options[2].text: template error" in r.err


def test_python_tag_in_playbook_is_rejected(tmp_path: Path, run) -> None:
    team = _team(
        tmp_path,
        "general.yaml",
        GENERAL.replace("title: Any complaint (plain HEARD)", "title: !!python/object/apply:os.system ['id']"),
    )
    r = run("playbooks", "validate", str(team))
    assert r.code == 2
    assert "unsafe or unknown YAML tag rejected" in r.err


def test_team_playbook_overrides_builtin(tmp_path: Path, run) -> None:
    team = _team(tmp_path, "general.yaml", GENERAL.replace("Any complaint (plain HEARD)", "Team general"))
    r = run("playbooks", "list", "--playbooks", str(team))
    assert r.code == 0
    assert "Team general" in r.out


def test_id_must_match_file_name(tmp_path: Path) -> None:
    from replycoach.playbook.registry import load_playbook_file

    team = _team(tmp_path, "other.yaml", GENERAL)
    with pytest.raises(PlaybookError) as exc:
        load_playbook_file(team / "other.yaml")
    assert str(exc.value).endswith("id: id 'general' does not match the file name 'other.yaml'")


def test_cache_is_rebuilt_when_a_file_changes(tmp_path: Path, run) -> None:
    team = _team(tmp_path, "general.yaml", GENERAL)
    assert run("playbooks", "list", "--playbooks", str(team)).code == 0
    import os
    import time

    (team / "general.yaml").write_text(GENERAL.replace("Any complaint (plain HEARD)", "Changed title"))
    os.utime(team / "general.yaml", ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert "Changed title" in run("playbooks", "list", "--playbooks", str(team)).out


# --- deadlines ------------------------------------------------------------------


def _cal(country: str | None = None) -> BusinessCalendar:
    from zoneinfo import ZoneInfo

    return BusinessCalendar(tz=ZoneInfo("Europe/Helsinki"), country=country)


def test_business_hours_skip_the_weekend() -> None:
    friday = datetime.fromisoformat("2026-11-20T16:00:00+02:00")
    due = compute({"business_hours": 4}, friday, _cal())
    assert due.isoformat() == "2026-11-23T12:00:00+02:00"
    assert human(due) == "Monday, 23 November, noon"


def test_business_days_skip_public_holidays() -> None:
    # 6 December is Finland's Independence Day (a Sunday in 2026; 2027: Monday).
    friday = datetime.fromisoformat("2027-12-03T10:00:00+02:00")
    assert compute({"business_days": 1}, friday, _cal()).date().isoformat() == "2027-12-06"
    assert compute({"business_days": 1}, friday, _cal("FI")).date().isoformat() == "2027-12-07"


def test_human_wording() -> None:
    assert human(datetime(2026, 11, 24, 15, 0)) == "Tuesday, 24 November, 3 pm"
    assert human(datetime(2026, 11, 24, 9, 30)) == "Tuesday, 24 November, 9:30 am"
    assert human(datetime(2027, 1, 4, 17, 0), datetime(2026, 12, 30)) == "Monday, 4 January 2027, 5 pm"


def test_now_and_timezone_settings_change_the_deadline(run) -> None:
    sample = str(SAMPLES / "damaged.eml")
    r = run(
        "draft",
        sample,
        "--set",
        "agent=Sam",
        "--now",
        "2026-11-24T10:00:00+00:00",
        "--set",
        "timezone=America/New_York",
        "--format",
        "json",
    )
    import json

    assert json.loads(r.out)["deadline"] == "2026-11-25T15:00:00-05:00"
