"""``--format json`` for scripts: ``playbooks list | show`` and ``log list``."""

from __future__ import annotations

import json

from .conftest import NOW, SAMPLES


def test_playbooks_list_json(run) -> None:
    r = run("playbooks", "list", "--format", "json")
    assert r.code == 0 and r.err == ""
    listed = json.loads(r.out)
    text_ids = [line.split()[0] for line in run("playbooks", "list").out.splitlines()]
    assert [p["id"] for p in listed] == text_ids
    by_id = {p["id"]: p for p in listed}
    assert by_id["damaged-or-defective"]["detected"] is True
    assert by_id["backlog"]["detected"] is False
    assert set(by_id["general"]) == {"id", "title", "detected", "file"}
    assert by_id["general"]["file"].endswith("general.yaml")


def test_playbooks_show_json(run) -> None:
    r = run("playbooks", "show", "damaged-or-defective", "--format", "json")
    assert r.code == 0 and r.err == ""
    pb = json.loads(r.out)
    assert pb["id"] == "damaged-or-defective"
    assert [o["id"] for o in pb["steps"]["resolve"]["options"]] == [
        "replace",
        "refund",
        "choose",
        "replace-credit",
        "collect-refund",
        "repair",
    ]
    assert "packaging" in [c["id"] for c in pb["steps"]["diagnose"]["causes"]]
    assert {q["id"] for q in pb["questions"]} >= {"refund_amount", "order_id"}
    assert pb["file"].endswith("damaged-or-defective.yaml")


def test_playbooks_show_json_of_an_unknown_id_is_exit_2(run) -> None:
    r = run("playbooks", "show", "nope", "--format", "json")
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith("replycoach: error: ") and r.err.count("\n") == 1


def test_playbooks_format_is_text_or_json(run) -> None:
    r = run("playbooks", "list", "--format", "xml")
    assert (r.code, r.out, r.err) == (2, "", "replycoach: error: --format: 'xml' is not one of: text, json\n")


def test_log_list_json(run) -> None:
    assert run("log", "list", "--format", "json").out == "[]\n"
    logged = run("draft", str(SAMPLES / "damaged.eml"), "--set", "agent=Sam", "--now", NOW, "--log")
    assert logged.code == 0, logged.err
    r = run("log", "list", "--format", "json")
    assert r.code == 0
    [row] = json.loads(r.out)
    assert (row["id"], row["scenario"], row["agent"], row["sender_email"]) == (
        1,
        "damaged-or-defective",
        "Sam",
        "ana.lopez@example.com",
    )
