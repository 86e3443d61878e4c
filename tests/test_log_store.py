"""The complaint log's store on both backends: migrations, rows, masking, forgetting,
history and the chronic reading, follow-ups and the report's numbers."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import pytest

from replycoach.foundation.errors import StoreError, UsageError
from replycoach.record import followups, history, logbook, report, store

from . import test_log_support as support
from .conftest import NOW
from .test_log_support import SAMPLE, another, drafted

db_url = support.db_url  # the backend fixture: every test here runs on SQLite and PostgreSQL

T = datetime.fromisoformat


def test_open_applies_migrations_once(db_url: str) -> None:
    with store.open_store(db_url) as st:
        versions = st.rows("SELECT version, name FROM schema_migrations")
        assert versions == [{"version": 1, "name": "complaints"}, {"version": 2, "name": "message_key"}]
        assert store.migrate(st) == []  # already current: nothing to do
        assert st.rows("SELECT count(*) AS n FROM complaints") == [{"n": 0}]


def test_new_migration_upgrades_an_existing_log(db_url: str, tmp_path: Path) -> None:
    result, answers = drafted()
    first = logbook.record(result, answers, db=db_url)
    folder = tmp_path / "migrations"
    folder.mkdir()
    shipped = sorted((Path(store.__file__).parent / "migrations").glob("[0-9]*.sql"))
    for src in shipped:
        (folder / src.name).write_text(src.read_text())
    later = len(shipped) + 1  # the version after the shipped ones (2 when only 0001 shipped)
    (folder / f"{later:04d}_channel.sql").write_text(
        "-- a later version\nALTER TABLE complaints ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';\n"
    )
    with store.open_store(db_url, migrations_dir=folder) as st:
        assert [r["version"] for r in st.rows("SELECT version FROM schema_migrations ORDER BY version")] == [
            *range(1, later + 1)
        ]
        assert st.rows("SELECT id, channel FROM complaints") == [{"id": first, "channel": "email"}]


def test_record_stores_one_masked_row(db_url: str) -> None:
    result, answers = drafted(cause="carrier-damage", note="Card 4111 1111 1111 1111 was shown in the ticket")
    cid = logbook.record(result, answers, db=db_url, now=T(NOW))
    [row] = logbook.rows(db=db_url)
    assert row["id"] == cid
    assert row["created_at"] == "2026-11-20T16:00:00Z"
    assert (row["agent"], row["sender_email"], row["sender_name"]) == ("Sam", "ana.lopez@example.com", "Ana Lopez")
    assert row["subject"] == "Blender arrived BROKEN - order #48213"
    assert (row["scenario"], row["playbook"], row["customer_type"]) == (
        "damaged-or-defective",
        "damaged-or-defective",
        "aggressive",
    )
    assert row["anger_level"] == "high"
    assert row["choices"] == result["choices"]
    assert row["promise"] == result["promise"] != ""
    assert row["deadline"] == "2026-11-23T15:00:00+01:00"
    assert row["due_utc"] == "2026-11-23T14:00:00Z"
    assert (row["cause"], row["note"]) == ("carrier-damage", "Card [card …1111] was shown in the ticket")
    assert row["draft_sha256"] == hashlib.sha256(result["draft"].encode()).hexdigest()
    assert row["message"] is None  # only with keep_message
    assert row["done_at"] is None


def test_keep_message_stores_the_body_masked(db_url: str) -> None:
    text = (
        b"From: Bo <bo@example.com>\nSubject: refund\n\nMy order #55123 arrived broken. "
        b"Refund to IBAN DE89 3704 0044 0532 0130 00 please, my password is hunter2 and SSN 123-45-6789.\n"
    )
    result, answers = drafted(text=text)
    logbook.record(result, answers, keep_message=True, db=db_url)
    [row] = logbook.rows(db=db_url)
    assert row["message"] == (
        "My order #55123 arrived broken. Refund to IBAN [IBAN …3000] please, "
        "my password is [password] and SSN [national id]."
    )
    assert "hunter2" not in json.dumps(row) and "123-45-6789" not in json.dumps(row)


def test_forget_deletes_every_row_for_one_sender(db_url: str) -> None:
    result, answers = drafted()
    other = json.loads(json.dumps(result))
    other["message"]["from_email"] = "someone@else.example"
    for n in range(3):
        logbook.record(another(result, n), answers, db=db_url)
    logbook.record(other, answers, db=db_url)
    assert logbook.forget(" Ana.Lopez@Example.com ", db=db_url) == 3
    assert logbook.forget("ana.lopez@example.com", db=db_url) == 0
    assert [r["sender_email"] for r in logbook.rows(db=db_url)] == ["someone@else.example"]


def test_history_counts_earlier_complaints_and_open_promises(db_url: str) -> None:
    result, answers = drafted()
    logbook.record(another(result, 1), answers, db=db_url, now=T("2026-06-01T10:00:00+00:00"))  # outside 90 days
    a = logbook.record(another(result, 2), answers, db=db_url, now=T("2026-11-02T10:00:00+00:00"))
    after = T("2026-12-01T10:00:00+00:00")  # after "now": not earlier
    logbook.record(another(result, 3), answers, db=db_url, now=after)
    followups.done(a, db=db_url, now=T("2026-11-03T10:00:00+00:00"))
    h = history.lookup("ANA.LOPEZ@example.com", db=db_url, now=T("2026-11-20T17:00:00+01:00"))
    assert h["complaints"] == 2
    assert h["last_90_days"] == 1
    assert [(e["date"], e["scenario"]) for e in h["earlier"]] == [
        ("2026-11-02T10:00:00Z", "damaged-or-defective"),
        ("2026-06-01T10:00:00Z", "damaged-or-defective"),
    ]
    assert [(p["due"], p["overdue"]) for p in h["open_promises"]] == [("2026-11-23T15:00:00+01:00", False)]


def test_third_complaint_in_90_days_reads_as_chronic(db_url: str) -> None:
    result, answers = drafted()
    assert result["customer_type"]["id"] == "aggressive"
    assert result["history"]["complaints"] == 0
    for n, day in enumerate(("2026-09-01", "2026-10-15")):
        logbook.record(another(result, n), answers, db=db_url, now=T(f"{day}T09:00:00+00:00"))
    again, _ = drafted()
    assert again["history"]["last_90_days"] == 2
    assert again["customer_type"] == {
        "id": "chronic",
        "evidence": ["complaint 3 in 90 days (earlier: 2026-10-15, 2026-09-01)"],
        "was": "aggressive",
    }
    from replycoach import api

    forced = api.draft_text(
        SAMPLE.read_bytes(), sets={"agent": "Sam"}, customer_type="meek", now="2026-11-20T17:00+01:00"
    )
    assert forced["customer_type"]["id"] == "meek"  # the agent's choice wins
    later, _ = drafted(now="2027-01-20T17:00:00+01:00")  # 2026-09-01 has left the window
    assert later["customer_type"]["id"] == "aggressive"


def test_followups_grouped_and_closed(db_url: str) -> None:
    result, answers = drafted()  # due 2026-11-23T15:00+01:00
    ids = [logbook.record(another(result, n), answers, db=db_url) for n in range(3)]
    moved = json.loads(json.dumps(result))
    moved["deadline"] = "2026-11-30T12:00:00+01:00"
    ids.append(logbook.record(moved, answers, db=db_url))
    no_promise = dict(another(result, 3), promise="")
    logbook.record(no_promise, answers, db=db_url)
    followups.done(ids[0], db=db_url, now=T("2026-11-21T09:00:00+01:00"))
    data = followups.pending(db=db_url, now=T("2026-11-23T09:00:00+01:00"))
    assert [i["id"] for i in data["today"]] == ids[1:3]
    assert [i["id"] for i in data["upcoming"]] == [ids[3]]
    assert data["overdue"] == []
    late = followups.pending(db=db_url, now=T("2026-11-24T09:00:00+01:00"))
    assert [i["id"] for i in late["overdue"]] == ids[1:3]
    assert followups.done(ids[0], db=db_url)["already"] is True
    with pytest.raises(UsageError, match="no logged complaint with id 999"):
        followups.done(999, db=db_url)


def test_report_numbers(db_url: str) -> None:
    result, answers = drafted(cause="carrier-damage", note="Double-box glass jugs")
    kept = logbook.record(another(result, 1), answers, db=db_url, now=T("2026-11-02T10:00:00+00:00"))
    late = logbook.record(another(result, 2), answers, db=db_url, now=T("2026-11-10T10:00:00+00:00"))
    logbook.record(another(result, 3), answers, db=db_url, now=T("2026-11-11T10:00:00+00:00"))
    followups.done(kept, db=db_url, now=T("2026-11-22T10:00:00+00:00"))  # due 2026-11-23 14:00Z
    followups.done(late, db=db_url, now=T("2026-11-24T10:00:00+00:00"))
    rows = logbook.rows(db=db_url)
    data = report.build(rows, by="week", now=T("2026-11-25T00:00:00+00:00"))
    assert data["total"] == 3 and data["senders"] == 1
    assert [(g["key"], g["count"]) for g in data["groups"]] == [("2026-W45", 1), ("2026-W46", 2)]
    assert [(d["day"], d["count"]) for d in data["days"]][::3] == [
        ("2026-11-02", 1),
        ("2026-11-05", 0),
        ("2026-11-08", 0),
        ("2026-11-11", 1),
    ]
    assert data["promises"] == {"total": 3, "kept_on_time": 1, "late": 1, "overdue": 1, "pending": 0}
    assert data["causes"] == [{"cause": "carrier-damage", "count": 3, "notes": ["Double-box glass jugs"]}]
    assert data["scenarios_by_anger"] == [
        {"scenario": "damaged-or-defective", "none": 0, "low": 0, "medium": 0, "high": 3, "count": 3}
    ]
    since = report.parse_since("2026-11-05")
    assert len(logbook.rows(db=db_url, since=since)) == 2


def test_unreachable_postgres_is_one_clear_error() -> None:
    with pytest.raises(StoreError) as info:
        store.open_store("postgresql://nobody:secret@127.0.0.1:1/none")
    assert str(info.value).startswith("postgresql://nobody:***@127.0.0.1:1/none: cannot connect to the complaint log")
    assert "secret" not in str(info.value)


def test_sqlite_log_is_private_to_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "log.sqlite3"
    logbook.record(*drafted(), db=str(path))
    assert path.stat().st_mode & 0o777 == 0o600
