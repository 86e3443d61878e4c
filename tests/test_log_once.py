"""One complaint per customer message (issue "Hardening", row 7): the same message logged
again (drafted four times with ``--log``, ``log add`` after ``draft --log``) updates its
one row; a v1 log upgrades in place. Runs on both backends."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from replycoach.record import followups, history, logbook, store

from . import test_log_support as support
from .conftest import NOW
from .test_log_support import another, another_message, drafted

db_url = support.db_url

T = datetime.fromisoformat
MONDAY = "2026-11-23T10:00:00+01:00"


def test_logging_the_same_message_again_updates_its_one_row(db_url: str) -> None:
    result, answers = drafted(cause="carrier-damage", note="first note")
    first = logbook.record(result, answers, keep_message=True, db=db_url, now=T("2026-11-20T16:00:00+00:00"))
    followups.done(first, db=db_url, now=T("2026-11-21T09:00:00+00:00"))
    redrafted, answers2 = drafted(cause="packaging", note="second note", agent="Kim")
    again = logbook.record(redrafted, answers2, db=db_url, now=T("2026-11-22T09:00:00+00:00"))
    assert again == first
    [row] = logbook.rows(db=db_url)
    # The latest handling; the first date, the kept message and the done follow-up stay.
    assert (row["agent"], row["cause"], row["note"]) == ("Kim", "packaging", "second note")
    assert row["created_at"] == "2026-11-20T16:00:00Z"
    assert row["message"] is not None and row["message"].startswith("Hi,")
    assert row["done_at"] is not None
    assert row["message_key"] == "id:<CAF7x9q1.48213@mail.example.com>"
    moved = json.loads(json.dumps(redrafted))
    moved["deadline"] = "2026-11-30T12:00:00+01:00"  # a new promise date: the follow-up is open again
    assert logbook.record(moved, answers2, db=db_url) == first
    [row] = logbook.rows(db=db_url)
    assert (row["deadline"], row["done_at"]) == ("2026-11-30T12:00:00+01:00", None)


def test_a_message_without_message_id_is_known_by_its_body(db_url: str) -> None:
    text = b"From: Bo <bo@example.com>\nSubject: lamp\n\nMy lamp arrived broken. I want a refund.\n"
    result, answers = drafted(text=text)
    assert logbook.record(result, answers, db=db_url) == logbook.record(result, answers, db=db_url)
    other, _ = drafted(text=text.replace(b"lamp arrived", b"second lamp arrived"))
    logbook.record(other, answers, db=db_url)
    keys = [r["message_key"] for r in logbook.rows(db=db_url)]
    assert len(keys) == 2 and all(k.startswith("sha256:") for k in keys) and keys[0] != keys[1]
    # The same text from another customer is that customer's complaint.
    elsewhere = json.loads(json.dumps(result))
    elsewhere["message"]["from_email"] = "cy@example.com"
    logbook.record(elsewhere, answers, db=db_url)
    assert [r["sender_email"] for r in logbook.rows(db=db_url)] == ["bo@example.com"] * 2 + ["cy@example.com"]


def test_history_does_not_count_the_message_being_drafted(db_url: str) -> None:
    result, answers = drafted()
    logbook.record(another(result, 1), answers, db=db_url, now=T("2026-11-02T10:00:00+00:00"))
    logbook.record(result, answers, db=db_url, now=T("2026-11-10T10:00:00+00:00"))
    key = history.message_key(result["message"]["message_id"], result["message"]["body"])
    h = history.lookup("ana.lopez@example.com", db=db_url, now=T(NOW), key=key)
    assert (h["complaints"], [e["date"] for e in h["earlier"]]) == (1, ["2026-11-02T10:00:00Z"])
    assert history.lookup("ana.lopez@example.com", db=db_url, now=T(NOW))["complaints"] == 2


def test_a_v1_log_upgrades_in_place(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    v1 = tmp_path / "v1"
    v1.mkdir()
    shutil.copy(Path(store.__file__).parent / "migrations" / "0001_complaints.sql", v1)
    with monkeypatch.context() as m:
        m.delenv("REPLYCOACH_DB")  # drafting reads the history: it must not open (and upgrade) the log yet
        result, answers = drafted()
    with store.open_store(db_url, migrations_dir=v1) as st:  # a log as the old code wrote it
        assert [r["version"] for r in st.rows("SELECT version FROM schema_migrations")] == [1]
        old = []
        for sample in (result, result, another(result, 1)):  # the old code logged a redraft twice
            row = logbook.row_from_result(sample, answers)
            del row["message_key"]
            with st.transaction():
                old.append(st.insert("complaints", row))
    with store.open_store(db_url) as st:
        assert [r["version"] for r in st.rows("SELECT version FROM schema_migrations ORDER BY version")] == [1, 2]
    rows = logbook.rows(db=db_url)
    # Every row kept, none added or merged; their key is unknown (the Message-ID was never stored).
    assert [(r["id"], r["message_key"]) for r in rows] == [(i, None) for i in old]
    # New logging follows the rule: one new row for the message, however often it is logged.
    new = logbook.record(result, answers, db=db_url)
    assert logbook.record(result, answers, db=db_url) == new
    assert len(logbook.rows(db=db_url)) == 4
    with store.open_store(db_url) as st:
        assert store.migrate(st) == []


def test_report_and_followups_only_lose_the_duplicates(run, db_url: str, tmp_path: Path) -> None:
    def log(db: str, n: int, now: str, *extra: str) -> None:
        r = run("draft", "--set", "agent=Sam", "--now", now, "--log", "--db", db, *extra, stdin=another_message(n))
        assert r.code == 0, r.err

    once = str(tmp_path / "once.sqlite3")  # each message logged once: the reference
    final = ("--set", "cause=carrier-damage", "--set", "note=Double-box jugs")
    log(once, 1, "2026-11-10T17:00:00+01:00", *final)
    log(once, 2, NOW, "--set", "cause=packaging")
    # Message 1 drafted three times over ten minutes, the agent refining the answers.
    log(db_url, 1, "2026-11-10T17:00:00+01:00", "--set", "cause=packaging")
    log(db_url, 1, "2026-11-10T17:05:00+01:00", "--set", "cause=carrier-damage")
    log(db_url, 1, "2026-11-10T17:10:00+01:00", *final)
    log(db_url, 2, NOW, "--set", "cause=packaging")
    answers = tmp_path / "answers.yaml"
    answers.write_text("settings: {agent: Sam}\ndiagnose: {cause: packaging}\n")
    added = run("log", "add", "--answers", str(answers), "--now", NOW, "--db", db_url, stdin=another_message(2))
    assert (added.code, added.out) == (0, "logged as complaint #2\n"), added.err  # after the fact: the same row
    for db in (once, db_url):
        assert [r["id"] for r in logbook.rows(db=db)] == [1, 2]

    def shown(db: str) -> tuple[dict[str, object], dict[str, object], str]:
        report = json.loads(run("report", "--now", MONDAY, "--format", "json", "--db", db).out)
        due = json.loads(run("followups", "--now", MONDAY, "--format", "json", "--db", db).out)
        return report, due, run("followups", "--now", MONDAY, "--db", db).out

    report, due, text = shown(db_url)
    assert (report, due, text) == shown(once)
    assert (report["total"], report["senders"]) == (2, 1)
    assert [[i["id"] for i in due[g]] for g in ("overdue", "today", "upcoming")] == [[1], [2], []]
    # Message 2 was drafted after message 1 was logged: one earlier complaint, not chronic.
    again = json.loads(
        run("draft", "--set", "agent=Sam", "--now", NOW, "--format", "json", stdin=another_message(2)).out
    )
    assert (again["history"]["complaints"], again["customer_type"]["id"]) == (1, "aggressive")
