"""Team playbook folders, team templates, complainant-type layouts and the
``playbooks list | show | validate | new`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import NOW, ROOT

LATE = """From: Gary Walsh <gary.walsh@example.com>
Subject: Order #77310

Order #77310 was promised for Tuesday and has not arrived.
"""
DRAFT = ["--set", "agent=Sam", "--set", "restatement=your order has not arrived", "--now", NOW]

TEAM_PLAYBOOK = """\
id: lost-parcel
title: Lost parcel (team)
detected: false
extends: late-delivery
template: team-reply.j2
snippets:
  next_step: "Our team line is open 8-20 every day."
"""
TEAM_TEMPLATE = """\
{% extends "builtin/base.j2" %}
{% block signoff %}Warm wishes,
{{ agent.name }}, Parcel Team{% endblock %}
"""


def _team(tmp_path: Path, files: dict[str, str]) -> Path:
    team = tmp_path / "team"
    for name, text in files.items():
        (team / name).parent.mkdir(parents=True, exist_ok=True)
        (team / name).write_text(text, encoding="utf-8")
    return team


def _locale(code: str, name: str, playbooks: dict[str, str] | None = None) -> dict[str, str]:
    """The files of a team's own locale ``code``: its locale.yaml, a base template that
    extends the built-in one, and playbook overlays by playbook id."""
    return {
        f"locales/{code}/locale.yaml": f'name: {name}\ndate_format: "d MMMM"\n',
        f"locales/{code}/templates/base.j2": '{% extends "builtin/base.j2" %}\n',
        **{f"locales/{code}/playbooks/{pid}.yaml": text for pid, text in (playbooks or {}).items()},
    }


def _paragraphs(draft: str) -> list[str]:
    return draft.strip().split("\n\n")


# --- team folders ------------------------------------------------------------------


def test_team_playbook_extends_builtin_and_its_template_extends_builtin_base(run, tmp_path: Path) -> None:
    team = _team(tmp_path, {"lost-parcel.yaml": TEAM_PLAYBOOK, "templates/team-reply.j2": TEAM_TEMPLATE})
    r = run("draft", "--playbooks", str(team), "--playbook", "lost-parcel", *DRAFT, stdin=LATE)
    assert r.code == 0, r.err
    paragraphs = _paragraphs(r.out)
    assert paragraphs[0] == "Hi Gary,"
    # The steps come from the built-in late-delivery playbook it extends ...
    assert paragraphs[1] == (
        "Thank you for chasing this with me. If I have understood you correctly, "
        "your order has not arrived (order #77310)."
    )
    # ... only the signoff block is the team's; the playbook's own closing line is used.
    assert paragraphs[-2:] == ["Our team line is open 8-20 every day.", "Warm wishes,\nSam, Parcel Team"]


def test_team_folder_from_environment(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    team = _team(tmp_path, {"lost-parcel.yaml": TEAM_PLAYBOOK, "templates/team-reply.j2": TEAM_TEMPLATE})
    monkeypatch.setenv("REPLYCOACH_PLAYBOOKS", str(team))
    r = run("playbooks", "list")
    assert r.code == 0, r.err
    assert "lost-parcel           chosen    Lost parcel (team)\n" in r.out
    r = run("draft", "--playbook", "lost-parcel", *DRAFT, stdin=LATE)
    assert r.code == 0, r.err
    assert r.out.endswith("Warm wishes,\nSam, Parcel Team\n")


def test_command_line_folder_goes_before_environment_folder(run, tmp_path: Path, monkeypatch) -> None:
    first = _team(tmp_path / "a", {"outage.yaml": _retitled("outage", "Outage (team A)")})
    second = _team(tmp_path / "b", {"outage.yaml": _retitled("outage", "Outage (team B)")})
    monkeypatch.setenv("REPLYCOACH_PLAYBOOKS", str(second))
    r = run("playbooks", "list", "--playbooks", str(first))
    assert "Outage (team A)" in r.out and "Outage (team B)" not in r.out
    r = run("playbooks", "list")
    assert "Outage (team B)" in r.out


def _retitled(pid: str, title: str) -> str:
    text = (ROOT / "playbooks" / f"{pid}.yaml").read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("title:"))
    return text.replace(old, f"title: {title}")


def test_team_template_overrides_builtin_of_the_same_name(run, tmp_path: Path) -> None:
    # A team's own base.j2 replaces the built-in one for every playbook, and can
    # still reach the original as builtin/base.j2.
    team = _team(
        tmp_path,
        {
            "templates/base.j2": '{% extends "builtin/base.j2" %}{% block greeting %}Dear customer,{% endblock %}',
            "keep.yaml": TEAM_PLAYBOOK.replace("lost-parcel", "keep").replace("template: team-reply.j2\n", ""),
        },
    )
    r = run("draft", "--playbooks", str(team), "--playbook", "late-delivery", *DRAFT, stdin=LATE)
    assert r.code == 0, r.err
    assert r.out.startswith("Dear customer,\n\n")


def test_missing_team_template_is_one_line_error(run, tmp_path: Path) -> None:
    team = _team(tmp_path, {"lost-parcel.yaml": TEAM_PLAYBOOK})
    r = run("draft", "--playbooks", str(team), "--playbook", "lost-parcel", *DRAFT, stdin=LATE)
    assert r.code == 2
    assert r.err == "replycoach: error: template: template not found: team-reply.j2\n"


def test_missing_team_folder_is_one_line_error(run, tmp_path: Path) -> None:
    r = run("playbooks", "list", "--playbooks", str(tmp_path / "nope"))
    assert r.code == 2
    assert r.err == f"replycoach: error: {tmp_path / 'nope'}: playbook folder does not exist\n"


# --- complainant types ---------------------------------------------------------------


def _json_draft(run, *args: str, stdin: str = LATE) -> dict:
    r = run("draft", *args, *DRAFT, "--format", "json", stdin=stdin)
    assert r.code == 0, r.err
    return json.loads(r.out)


@pytest.mark.parametrize(("ctype", "first"), [("aggressive", "resolve"), ("high-roller", "resolve"), ("meek", "hear")])
def test_layout_puts_results_first_for_aggressive_and_high_roller(run, ctype: str, first: str) -> None:
    data = _json_draft(run, "--playbook", "late-delivery", "--type", ctype)
    # The step opens its paragraph; the customer's own date may follow it (listen.j2).
    assert _paragraphs(data["draft"])[1].startswith(data["steps"][first])


def test_meek_customer_is_invited_to_say_more(run) -> None:
    data = _json_draft(run, "--playbook", "late-delivery", "--type", "meek")
    assert _paragraphs(data["draft"])[-2] == (
        "If anything else is not quite right, even something small, please tell me: I would much rather hear about it."
    )


def test_type_picks_its_options(run) -> None:
    data = _json_draft(run, "--playbook", "late-delivery", "--type", "aggressive")
    assert data["choices"] == {
        "hear": "promise-broken",
        "empathize": "short",
        "apologize": "short",
        "resolve": "reship",
    }
    data = _json_draft(run, "--playbook", "late-delivery", "--type", "chronic")
    assert data["choices"]["apologize"] == "repeat"


RIP_OFF_REFUND = "Your offer of a 50% refund is not good enough. I want the full $240.00 back."
RIP_OFF_FIRST = "I want the full $240.00 back for the course, plus a free month."


def test_rip_off_after_not_good_enough_asks_what_would_make_it_right(run) -> None:
    args = ["--playbook", "refund-request", "--type", "rip-off", "--set", "paid_amount=240"]
    args += ["--set", "refund_amount=120", "--set", "terms=a refund for the unused half"]
    args += ["--channel", "email"]  # the letter's steps (a pasted line alone reads as chat)
    after = _json_draft(run, *args, stdin=RIP_OFF_REFUND)
    assert "What can I do to make things right?" in after["draft"]
    assert after["choices"]["resolve"] == "figures"
    assert "You paid $240.00" in after["steps"]["resolve"]
    first = _json_draft(run, *args, stdin=RIP_OFF_FIRST)
    assert "What can I do to make things right?" not in first["draft"]
    assert "This is what I offer every customer in the same situation" in first["draft"]


def test_rip_off_offer_above_the_cap_needs_a_reason(run) -> None:
    r = run(
        "draft",
        "--playbook",
        "refund-request",
        "--type",
        "rip-off",
        "--set",
        "paid_amount=900",
        "--set",
        "refund_amount=900",
        "--set",
        "terms=x",
        *DRAFT,
        stdin=RIP_OFF_REFUND,
    )
    assert r.code == 2
    assert "above the policy cap of 500" in r.err


def test_playbook_overrides_type_layout_and_closing(run, tmp_path: Path) -> None:
    text = _retitled("late-delivery", "Late (team)").replace(
        "types:\n  aggressive:\n",
        "types:\n  aggressive:\n    layout: heard\n    snippets: {next_step: 'Reply here any time.'}\n",
    )
    team = _team(tmp_path, {"late-delivery.yaml": text})
    data = _json_draft(run, "--playbooks", str(team), "--playbook", "late-delivery", "--type", "aggressive")
    paragraphs = _paragraphs(data["draft"])
    assert paragraphs[1] == data["steps"]["hear"]
    assert paragraphs[-2] == "Reply here any time."


def test_unknown_layout_in_types_file_names_file_line_field(run, tmp_path: Path) -> None:
    types = (ROOT / "playbooks" / "_types.yaml").read_text(encoding="utf-8")
    team = _team(tmp_path, {"_types.yaml": types.replace("layout: results-first", "layout: sideways", 1)})
    r = run("playbooks", "validate", str(team))
    assert r.code == 2
    line = types.splitlines().index("  layout: results-first") + 1
    assert r.err == (
        f"replycoach: error: {team / '_types.yaml'}:{line}: aggressive.layout: "
        "'sideways' is not one of: heard, results-first\n"
    )


def test_outage_update_deadline_counts_clock_hours_over_the_weekend(run) -> None:
    data = _json_draft(run, "--playbook", "outage", stdin="Nothing loads, the whole app is down.")
    # Friday 17:00 + 2 clock hours: an outage update does not wait for Monday.
    assert data["deadline"] == "2026-11-20T19:00:00+01:00"
    assert "by Friday, 20 November, 7 pm" in data["steps"]["resolve"]


# --- playbooks show / validate / new ----------------------------------------------------


def test_show_lists_option_ids_for_set(run, tmp_path: Path) -> None:
    team = _team(tmp_path, {"lost-parcel.yaml": TEAM_PLAYBOOK, "templates/team-reply.j2": TEAM_TEMPLATE})
    r = run("playbooks", "show", "lost-parcel", "--playbooks", str(team))
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[:5] == [
        "lost-parcel: Lost parcel (team)",
        "  chosen by the agent (--playbook)",
        f"  file: {team / 'lost-parcel.yaml'}",
        "  The order has not arrived: find it, give a date, or send another one now.",
        "  template: team-reply.j2",
    ]
    assert "  reship: Send a new one now by express [for aggressive, high-roller; by 3 business hours]" in lines
    assert "  refund: Full refund if they no longer want it [for rip-off; by 1 business day; cap 500]" in lines
    assert "  currency (choice; default '$'): Currency symbol" in lines


def test_show_unknown_id_exits_2(run) -> None:
    r = run("playbooks", "show", "nope")
    assert r.code == 2
    assert r.err.startswith("replycoach: error: --playbook: unknown playbook 'nope' (known: account-access, backlog,")


def test_validate_reports_each_bad_file_and_exits_2(run, tmp_path: Path) -> None:
    good = _retitled("outage", "Outage (team)")
    team = _team(tmp_path, {"outage.yaml": good, "cancellation.yaml": good.replace("id: outage", "id: cancellation")})
    bad = good.replace('    tip: "Confirm what they are seeing', '    hint: "Confirm what they are seeing', 1)
    (team / "outage.yaml").write_text(bad, encoding="utf-8")
    r = run("playbooks", "validate", str(team))
    assert r.code == 2
    line = bad.splitlines().index(next(ln for ln in bad.splitlines() if ln.startswith("    hint:"))) + 1
    assert r.err.startswith(f"replycoach: error: {team / 'outage.yaml'}:{line}: steps.hear.hint: unknown key")
    assert r.err.count("\n") == 1
    assert r.out == ""


def test_new_writes_a_starter_that_validates_and_drafts(run, tmp_path: Path) -> None:
    r = run("playbooks", "new", "lost-parcel", "--dir", str(tmp_path))
    assert r.code == 0, r.err
    path = tmp_path / "lost-parcel.yaml"
    assert r.out == f"wrote {path}\n"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# A team playbook")
    assert "id: lost-parcel " in text and 'title: "Lost parcel"' in text
    assert run("playbooks", "validate", str(path)).out == "1 file(s) valid\n"
    r = run(
        "draft",
        "--playbooks",
        str(tmp_path),
        "--playbook",
        "lost-parcel",
        *DRAFT,
        "--format",
        "json",
        stdin=LATE,
    )
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["findings"] == []
    assert "I will look into this personally and write to you by Monday, 23 November, 5 pm." in data["draft"]


def test_new_refuses_to_overwrite_and_bad_ids(run, tmp_path: Path) -> None:
    assert run("playbooks", "new", "x-1", "--dir", str(tmp_path)).code == 0
    r = run("playbooks", "new", "x-1", "--dir", str(tmp_path))
    assert r.code == 2
    assert r.err == f"replycoach: error: {tmp_path / 'x-1.yaml'}: file exists (use --force to overwrite it)\n"
    assert run("playbooks", "new", "x-1", "--dir", str(tmp_path), "--force").code == 0
    r = run("playbooks", "new", "Bad_Id", "--dir", str(tmp_path))
    assert r.code == 2
    assert r.err == (
        "replycoach: error: ID: 'Bad_Id' is not a playbook id (lowercase letters, digits and '-', e.g. 'lost-parcel')\n"
    )
    r = run("playbooks", "new", "ok", "--dir", str(tmp_path / "missing"))
    assert r.code == 2
    assert r.err == f"replycoach: error: {tmp_path / 'missing'}: --dir: folder does not exist\n"


def test_validate_checks_team_templates_and_reports_every_bad_file(run, tmp_path: Path) -> None:
    team = _team(
        tmp_path,
        {
            "a.yaml": "id: a\ntitle: [unclosed\n",
            "b.yaml": TEAM_PLAYBOOK.replace("lost-parcel", "b"),
            "templates/team-reply.j2": '{% extends "builtin/base.j2" %}\n{% block signoff %}{{ agent.name }\n',
        },
    )
    r = run("playbooks", "validate", str(team))
    assert r.code == 2
    errors = r.err.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"replycoach: error: {team / 'a.yaml'}:")
    assert errors[1].startswith(f"replycoach: error: {team / 'templates' / 'team-reply.j2'}:2: template error: ")
    assert r.out == ""


@pytest.mark.parametrize(
    "pid",
    sorted(p.stem for p in (ROOT / "playbooks").glob("[a-z]*.yaml")),
)
def test_show_every_builtin_names_every_option(run, pid: str) -> None:
    from replycoach.playbook.registry import STEPS, load_registry

    r = run("playbooks", "show", pid)
    assert r.code == 0, r.err
    pb = load_registry().get(pid)
    for step in STEPS:
        for option in pb["steps"][step]["options"]:
            assert f"\n  {option['id']}: {option['label']}" in r.out
