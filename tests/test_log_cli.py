"""The complaint log through the command line: draft --log, log add/list/forget,
followups (text, json, ics, done), report (text, csv, json, html), paths, history in
analyze; exact output and exit codes. Runs on both backends where the log is used."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from . import test_log_support as support
from .conftest import NOW, SAMPLES

db_url = support.db_url  # tests taking it run on SQLite and PostgreSQL

SAMPLE = str(SAMPLES / "damaged.eml")
MONDAY = "2026-11-23T10:00:00+01:00"


_MESSAGES = itertools.count(1)


def _log(run, now: str = NOW, *extra: str) -> None:
    """Log the customer's next message: the sample's text, a Message-ID of its own (the log
    keeps one complaint per message, so a history is built from several)."""
    mail = support.another_message(next(_MESSAGES))
    r = run("draft", "--set", "agent=Sam", "--now", now, "--log", *extra, stdin=mail)
    assert r.code == 0, r.err


def test_draft_log_prints_the_same_draft_and_logs_one_row(run, db_url: str) -> None:
    plain = run("draft", SAMPLE, "--set", "agent=Sam", "--now", NOW)
    logged = run("draft", SAMPLE, "--set", "agent=Sam", "--now", NOW, "--log")
    assert logged.code == plain.code == 0
    assert logged.out == plain.out
    assert logged.err == plain.err + "replycoach: logged as complaint #1\n"
    r = run("log", "list")
    assert r.out == (
        "#1 2026-11-20T16:00:00Z ana.lopez@example.com damaged-or-defective aggressive anger=high cause=-\n"
        "  promise: Ship a replacement at no cost (due 2026-11-23T15:00)\n"
    )


def test_keep_message_needs_log(run) -> None:
    r = run("draft", SAMPLE, "--set", "agent=Sam", "--keep-message")
    assert (r.code, r.out) == (2, "")
    assert r.err == "replycoach: error: --keep-message: only makes sense with --log\n"


def test_log_add_after_the_fact(run, db_url: str, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "settings: {agent: Kim}\nsteps: {resolve: replace}\n"
        "diagnose: {cause: third-party, note: 'Carrier drops parcels: ask for fragile handling'}\n"
    )
    r = run("log", "add", SAMPLE, "--answers", str(answers), "--now", NOW, "--keep-message")
    assert (r.code, r.out) == (0, "logged as complaint #1\n"), r.err
    [row] = json.loads(run("log", "list", "--format", "json").out)
    assert (row["agent"], row["cause"], row["note"]) == (
        "Kim",
        "third-party",
        "Carrier drops parcels: ask for fragile handling",
    )
    assert row["message"].startswith("Hi,\n\nMy blender arrived today with the jug cracked")
    assert row["choices"]["resolve"] == "replace"
    # The logged hash is the hash of the exact reply `draft --answers` gives for the same answers.
    import hashlib

    replay = run("draft", SAMPLE, "--answers", str(answers), "--now", NOW, "--format", "json")
    assert row["draft_sha256"] == hashlib.sha256(json.loads(replay.out)["draft"].encode()).hexdigest()


def test_log_add_needs_answers(run) -> None:
    r = run("log", "add", SAMPLE)
    assert (r.code, r.out) == (2, "")
    assert r.err == "replycoach: error: --answers: give the answers the reply was drafted with (--answers FILE)\n"


def test_log_forget_says_how_many(run, db_url: str) -> None:
    _log(run)
    _log(run, MONDAY)
    r = run("log", "forget", "--sender", "Ana.Lopez@example.com")
    assert (r.code, r.out, r.err) == (0, "forgot 2 complaint(s) from ana.lopez@example.com\n", "")
    assert run("log", "list").out == ""
    assert run("log", "forget", "--sender", "ana.lopez@example.com").out == (
        "forgot 0 complaint(s) from ana.lopez@example.com\n"
    )


def test_followups_text_json_and_done(run, db_url: str) -> None:
    _log(run, "2026-11-10T17:00:00+01:00")  # due 2026-11-11 15:00: overdue
    _log(run)  # due 2026-11-23 15:00: today (Monday)
    _log(run, MONDAY)  # due 2026-11-24 10:00: upcoming
    r = run("followups", "--now", MONDAY)
    assert r.code == 0, r.err
    assert r.out == (
        "Overdue (1)\n"
        "  #1     2026-11-11 15:00  Ana Lopez <ana.lopez@example.com>\n"
        "         Ship a replacement at no cost\n"
        "\n"
        "Due today (1)\n"
        "  #2     2026-11-23 15:00  Ana Lopez <ana.lopez@example.com>\n"
        "         Ship a replacement at no cost\n"
        "\n"
        "Upcoming (1)\n"
        "  #3     2026-11-24 10:00  Ana Lopez <ana.lopez@example.com>\n"
        "         Ship a replacement and add $10.00 credit\n"  # third in 90 days: chronic, so credit too
    )
    data = json.loads(run("followups", "--now", MONDAY, "--format", "json").out)
    assert [[i["id"] for i in data[g]] for g in ("overdue", "today", "upcoming")] == [[1], [2], [3]]
    assert data["today"][0]["sender"] == {"email": "ana.lopez@example.com", "name": "Ana Lopez"}
    assert run("followups", "done", "1").out == "follow-up #1 done: Ship a replacement at no cost\n"
    again = run("followups", "done", "1")
    assert again.code == 0 and re.fullmatch(r"follow-up #1 was already done \(\S+Z\)\n", again.out)
    missing = run("followups", "done", "99")
    assert (missing.code, missing.err) == (2, "replycoach: error: ID: no logged complaint with id 99\n")
    assert [i["id"] for i in json.loads(run("followups", "--format", "json", "--now", MONDAY).out)["overdue"]] == []


def test_followups_none(run, db_url: str) -> None:
    assert run("followups").out == "No open follow-ups.\n"


TRICKY = (
    'From: "Doe, Jane; Esq." <jane@example.com>\nSubject: broken, again; \\ really\n\n'
    "My blender arrived broken. Order #55123. I want a replacement.\n"
)


def test_followups_ics_is_a_valid_calendar(run, db_url: str, tmp_path: Path) -> None:
    _log(run)
    r = run("draft", "--set", "agent=Sam", "--now", MONDAY, "--log", stdin=TRICKY)
    assert r.code == 0, r.err
    out = tmp_path / "f.ics"
    r = run("followups", "--format", "ics", "--now", MONDAY, "--out", str(out))
    assert r.code == 0, r.err
    raw = out.read_bytes()
    # RFC 5545: CRLF line ends, lines of at most 75 octets, balanced components.
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    stack = []
    for line in lines:
        if line.startswith(b"BEGIN:"):
            stack.append(line[6:])
        elif line.startswith(b"END:"):
            assert stack.pop() == line[4:]
    assert stack == []
    assert lines[0] == b"BEGIN:VCALENDAR" and b"VERSION:2.0" in lines and any(x.startswith(b"PRODID:") for x in lines)
    import icalendar

    cal = icalendar.Calendar.from_ical(raw)
    events = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [
        "replycoach-followup-1@replycoach.invalid",
        "replycoach-followup-2@replycoach.invalid",
    ]
    first = events[0]
    assert first.decoded("DTEND").isoformat() == "2026-11-23T14:00:00+00:00"
    assert first.decoded("DTSTART").isoformat() == "2026-11-23T13:45:00+00:00"
    assert str(first["SUMMARY"]) == "Follow up #1: Ana Lopez"
    assert "Promised: Ship a replacement at no cost" in str(first["DESCRIPTION"])
    assert [str(a["ACTION"]) for a in first.walk("VALARM")] == ["DISPLAY"]
    # Commas, semicolons and backslashes in stored text survive RFC 5545 escaping.
    assert str(events[1]["SUMMARY"]) == "Follow up #2: Doe, Jane; Esq."
    assert "Subject: broken, again; \\ really" in str(events[1]["DESCRIPTION"])
    assert b"Doe\\, Jane\\; Esq." in raw


def test_report_text_csv_json(run, db_url: str) -> None:
    _log(run, "2026-11-10T17:00:00+01:00", "--set", "cause=carrier-damage", "--set", "note=Double-box jugs")
    _log(run, NOW, "--set", "cause=carrier-damage", "--set", "note=Double-box jugs")
    _log(run, NOW, "--set", "cause=packaging", "--set", "note=Check the jug before packing")
    assert run("followups", "done", "1", "--now", "2026-11-11T09:00:00+01:00").code == 0
    r = run("report", "--now", MONDAY)
    assert r.code == 0, r.err
    assert r.out == (
        "3 complaint(s) from 1 sender(s), 2026-11-10 to 2026-11-20; average anger 0.61\n"
        "promises: 3, kept on time 1, late 0, overdue 0, pending 2\n"
        "100% kept on time (1 of 1 due; 2 not due yet), as of 2026-11-23 10:00 UTC+01:00\n"
        "\n"
        "scenario              count  share  anger  bar\n"
        "damaged-or-defective      3   100%  0.61  ##############################\n"
        "\n"
        "prevention notes by root cause:\n"
        "  Damaged in transit by the carrier (2): Double-box jugs\n"
        "  Packaging not strong enough for the item (1): Check the jug before packing\n"
    )
    csv = run("report", "--by", "cause", "--format", "csv", "--now", MONDAY)
    assert csv.out == (
        "cause,count,share,anger_avg,high_anger,promises,kept_on_time,late,overdue\n"
        "carrier-damage,2,0.667,0.613,2,2,1,0,0\n"
        "packaging,1,0.333,0.613,1,1,0,0,0\n"
    )
    data = json.loads(run("report", "--by", "week", "--format", "json", "--since", "2026-11-15").out)
    assert (data["total"], [g["key"] for g in data["groups"]]) == (2, ["2026-W47"])
    bad = run("report", "--since", "last tuesday")
    assert (bad.code, bad.err) == (2, "replycoach: error: --since: expected a date as YYYY-MM-DD, got 'last tuesday'\n")


def test_report_html_is_self_contained_and_escaped(run, db_url: str, tmp_path: Path) -> None:
    _log(run, NOW, "--set", "cause=carrier-damage", "--set", "note=<script>alert('x')</script> & <b>bold</b>")
    _log(run, MONDAY, "--set", "agent=<img src=x onerror=alert(1)>")
    page = tmp_path / "week.html"
    r = run("report", "--html", str(page), "--now", MONDAY)
    assert (r.code, r.out, r.err) == (0, "", f"replycoach: report written to {page}\n")
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    for section in ("over-time", "causes", "anger", "promises", "by"):
        assert f'<section id="{section}">' in html
    assert html.count("<svg ") == 4
    assert "<h2>Complaints over time (per day)</h2>" in html
    days = re.findall(r'text-anchor="middle">(\w{3} \d\d)</text>', html)
    assert days == ["Fri 20", "Sat 21", "Sun 22", "Mon 23"]  # quiet days shown as zero
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    # No scripts, no external assets: nothing is fetched when the page is opened.
    lowered = html.lower()
    for forbidden in ("<script", "<link", "<img", "src=", "href=", "@import", "url(", "http://", "https://"):
        assert forbidden not in lowered, forbidden


def test_report_empty(run, db_url: str) -> None:
    assert run("report").out == "No complaints logged.\n"
    assert run("report", "--since", "2026-01-01").out == "No complaints logged since 2026-01-01.\n"


def _days_ago(days: int) -> str:
    # `analyze` has no --now: complaints are logged relative to the real clock so the
    # 90-day window holds whenever the suite runs.
    return (datetime.now(UTC) - timedelta(days=days)).replace(microsecond=0).isoformat()


def test_analyze_shows_history_and_chronic(run, db_url: str) -> None:
    first = json.loads(run("analyze", SAMPLE, "--format", "json").out)
    assert first["history"] == {
        "sender": "ana.lopez@example.com",
        "complaints": 0,
        "last_90_days": 0,
        "earlier": [],
        "open_promises": [],
    }
    _log(run, _days_ago(20))
    _log(run, _days_ago(10))
    data = json.loads(run("analyze", SAMPLE, "--format", "json").out)
    assert data["history"]["complaints"] == 2
    assert [e["id"] for e in data["history"]["earlier"]] == [2, 1]
    dates = f"{_days_ago(10)[:10]}, {_days_ago(20)[:10]}"
    assert data["customer_type"] == {
        "id": "chronic",
        "evidence": [f"complaint 3 in 90 days (earlier: {dates})"],
        "was": "aggressive",
    }
    drafted = json.loads(run("draft", SAMPLE, "--set", "agent=Sam", "--format", "json").out)
    assert drafted["customer_type"]["id"] == "chronic"
    assert drafted["history"]["last_90_days"] == 2


def test_analyze_text_shows_history(run, db_url: str) -> None:
    _log(run, _days_ago(20))
    assert run("followups", "done", "1").code == 0
    _log(run, _days_ago(10))
    due = json.loads(run("log", "list", "--format", "json").out)[1]["deadline"]
    out = run("analyze", SAMPLE).out
    assert out.endswith(
        f"history:   2 earlier complaint(s), 2 in 90 days "
        f"({_days_ago(10)[:10]} damaged-or-defective, {_days_ago(20)[:10]} damaged-or-defective)\n"
        f"promised:  #2 Ship a replacement at no cost (due {due[:16].replace('T', ' ')}, overdue)\n"
    )


def test_no_log_no_file_no_lookup(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLYCOACH_HOME", str(tmp_path / "home"))
    r = run("analyze", SAMPLE, "--format", "json")
    assert json.loads(r.out)["history"]["complaints"] == 0
    assert not (tmp_path / "home").exists()  # reading never creates the log


def test_paths(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from replycoach.foundation.resources import builtin_dir, cache_dir

    monkeypatch.setenv("REPLYCOACH_HOME", str(tmp_path))
    r = run("paths")
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "replycoach" / "config.toml"
    assert r.out == (
        f"config:     {config}  (not created yet)\n"
        f"data:       {tmp_path}\n"
        f"log:        {tmp_path / 'log.sqlite3'}  (not created yet)\n"
        f"playbooks:  {builtin_dir('playbooks')}\n"
        f"templates:  {builtin_dir('templates')}\n"
        f"rules:      {builtin_dir('rules')}\n"
        f"cache:      {cache_dir()}\n"
    )
    hidden = run("paths", "--db", "postgresql://team:s3cret@db.example:5432/support")
    assert "log:        postgresql://team:***@db.example:5432/support\n" in hidden.out
    assert "s3cret" not in hidden.out


def test_unreachable_server_is_one_line(run) -> None:
    r = run("report", "--db", "postgresql://u:pw@127.0.0.1:1/none")
    assert r.code == 2 and r.out == ""
    assert r.err.startswith(
        "replycoach: error: postgresql://u:***@127.0.0.1:1/none: cannot connect to the complaint log"
    )
    assert r.err.count("\n") == 1 and "Traceback" not in r.err


def _imported_by_draft(tmp_path: Path) -> set[str]:
    env = {"REPLYCOACH_HOME": str(tmp_path), "REPLYCOACH_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-X", "importtime", "-m", "replycoach", "draft", SAMPLE, "--set", "agent=Sam"]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    return {line.split("|")[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")}


WRITE_SIDE = (
    "psycopg",
    "replycoach.record.logbook",
    "replycoach.record.privacy",
    "replycoach.record.report",
    "icalendar",
)


def test_draft_hot_path_imports_nothing_of_the_log(tmp_path: Path) -> None:
    imported = _imported_by_draft(tmp_path)
    assert "replycoach.record.history" in imported  # the lookup ran …
    for module in ("sqlite3", *WRITE_SIDE):
        assert module not in imported, module  # … and, with no log file, imported nothing to read one


def test_draft_with_a_log_imports_only_the_reading_side(tmp_path: Path) -> None:
    from replycoach.record import logbook

    logbook.record(*support.drafted(), db=str(tmp_path / "log.sqlite3"))
    imported = _imported_by_draft(tmp_path)
    assert {"sqlite3", "replycoach.record.store", "replycoach.record.history"} <= imported
    for module in WRITE_SIDE:
        assert module not in imported, module


def test_history_survives_a_log_that_is_down(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLYCOACH_DB", "postgresql://u:pw@127.0.0.1:1/none")
    data = json.loads(run("analyze", SAMPLE, "--format", "json").out)
    text = run("analyze", SAMPLE).out
    assert data["history"]["complaints"] == 0
    assert data["history"]["error"].startswith("postgresql://u:***@127.0.0.1:1/none: cannot connect")
    assert text.splitlines()[-1].startswith("history:   unavailable (postgresql://u:***@127.0.0.1:1/none: cannot")
    logged = run("draft", SAMPLE, "--set", "agent=Sam", "--log", "--db", "postgresql://u:pw@127.0.0.1:1/none")
    assert logged.code == 2 and logged.out == ""  # asked to log: failing loudly is right


def test_report_csv_cells_cannot_become_formulas(run, db_url: str) -> None:
    _log(run, NOW, "--set", "cause=carrier-damage")
    _log(run, NOW, "--set", 'agent==HYPERLINK("http://x")')
    out = run("report", "--by", "agent", "--format", "csv").out
    assert '\n"\'=HYPERLINK(""http://x"")",1,' in out


def test_report_on_a_terminal_is_a_rich_table_without_markup_from_data(run, db_url: str, tmp_path: Path) -> None:
    from rich.console import Console

    from replycoach.record import logbook
    from replycoach.record import report as rp
    from replycoach.terminal.report_view import render

    # A cause in the agent's own words comes by an answers file (the coach's); --set takes an id.
    answers = tmp_path / "answers.yaml"
    answers.write_text('diagnose: {cause: "[bold red]boom[/]", note: "\\e[31mred"}\n', encoding="utf-8")
    _log(run, NOW, "--answers", str(answers))
    console = Console(record=True, width=100, force_terminal=True, color_system=None)
    render(rp.build(logbook.rows(), by="cause", now=datetime.fromisoformat(MONDAY)), console=console)
    text = console.export_text()
    assert "complaints by cause" in text
    assert "[bold red]boom[/]" in text  # printed as typed, not interpreted
    assert "^[[31mred" in text and "\x1b" not in text  # escape made visible
    assert "█" in text


def test_unsupported_database_url(run) -> None:
    r = run("report", "--db", "mysql://u:pw@host/db")
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        "replycoach: error: mysql://u:***@host/db: unsupported database URL "
        "(use a file path, sqlite:///PATH or postgresql://…)\n"
    )
