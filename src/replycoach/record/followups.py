"""Promises owed: every logged complaint with a promise and a deadline is a follow-up
until it is marked done. Listed as overdue, due today and upcoming; exported to a
calendar as an iCalendar (.ics) file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from replycoach.foundation.errors import UsageError
from replycoach.record.store import open_store

GROUPS = ("overdue", "today", "upcoming")


def _now(now: datetime | None) -> datetime:
    moment = now or datetime.now().astimezone()
    return moment if moment.tzinfo else moment.astimezone()


def pending(*, db: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Open follow-ups by group, each oldest deadline first (the ``--format json`` shape)."""
    from replycoach.record.store import parse_utc

    moment = _now(now)
    with open_store(db) as store:
        found = store.rows(
            "SELECT id, created_at, agent, sender_email, sender_name, subject, scenario, promise, deadline, due_utc "
            "FROM complaints WHERE done_at IS NULL AND promise <> '' AND due_utc IS NOT NULL "
            "ORDER BY due_utc, id"
        )
    out: dict[str, Any] = {"now": moment.isoformat(), **{g: [] for g in GROUPS}}
    for row in found:
        due = parse_utc(row["due_utc"]).astimezone(moment.tzinfo)
        group = "overdue" if due < moment else "today" if due.date() == moment.date() else "upcoming"
        out[group].append(
            {
                "id": row["id"],
                "due": row["deadline"],
                "sender": {"email": row["sender_email"], "name": row["sender_name"]},
                "subject": row["subject"],
                "scenario": row["scenario"],
                "promise": row["promise"],
                "agent": row["agent"],
                "logged": row["created_at"],
            }
        )
    return out


def done(complaint_id: int, *, db: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Close one follow-up; returns the row (``already`` tells whether it was closed before)."""
    from replycoach.record.store import utc_text

    with open_store(db) as store, store.transaction():
        found = store.rows(
            "SELECT id, sender_email, promise, done_at FROM complaints WHERE id = ?", [int(complaint_id)]
        )
        if not found:
            raise UsageError(f"no logged complaint with id {complaint_id}", field="ID")
        row = found[0]
        if not row["promise"]:
            raise UsageError(f"complaint {complaint_id} has no promise to follow up", field="ID")
        if row["done_at"]:
            return {**row, "already": True}
        stamp = utc_text(_now(now))
        # ``done_at IS NULL``: of two agents closing the same promise at once, one wins.
        cursor = store.execute(
            "UPDATE complaints SET done_at = ? WHERE id = ? AND done_at IS NULL", [stamp, int(complaint_id)]
        )
        return {**row, "done_at": stamp, "already": cursor.rowcount == 0}


def text(data: dict[str, Any]) -> str:
    """Plain text: one block per group, one line per promise."""
    lines: list[str] = []
    titles = {"overdue": "Overdue", "today": "Due today", "upcoming": "Upcoming"}
    for group in GROUPS:
        items = data[group]
        if not items:
            continue
        lines.append(f"{titles[group]} ({len(items)})")
        for item in items:
            who = item["sender"]["name"] or item["sender"]["email"] or "(no sender)"
            if item["sender"]["name"] and item["sender"]["email"]:
                who += f" <{item['sender']['email']}>"
            lines.append(f"  #{item['id']:<5} {item['due'][:16].replace('T', ' ')}  {who}")
            lines.append(f"         {item['promise']}")
        lines.append("")
    if not lines:
        return "No open follow-ups.\n"
    return "\n".join(lines)


def ics(data: dict[str, Any], *, now: datetime | None = None) -> bytes:
    """An iCalendar file with one 15-minute event (and a reminder) per open promise.

    Written with ``icalendar`` (imported only here): it gets RFC 5545's line folding,
    escaping and CRLF endings right, which calendar apps are strict about.
    """
    import icalendar

    from replycoach.record.store import parse_utc

    cal = icalendar.Calendar()
    cal.add("prodid", "-//replycoach//follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "replycoach follow-ups")
    stamp = _now(now)
    for group in GROUPS:
        for item in data[group]:
            due = datetime.fromisoformat(item["due"]) if item["due"] else parse_utc(item["logged"])
            who = item["sender"]["name"] or item["sender"]["email"]
            event = icalendar.Event()
            event.add("uid", f"replycoach-followup-{item['id']}@replycoach.invalid")
            # UTC times ("…Z") need no VTIMEZONE block and mean the same in every calendar app.
            event.add("dtstamp", stamp.astimezone(UTC))
            event.add("dtstart", (due - timedelta(minutes=15)).astimezone(UTC))
            event.add("dtend", due.astimezone(UTC))
            event.add("summary", f"Follow up #{item['id']}: {who}")
            description = f"Promised: {item['promise']}\nTo: {who} <{item['sender']['email']}>"
            if item["subject"]:
                description += f"\nSubject: {item['subject']}"
            event.add("description", description + f"\nWhen done: replycoach followups done {item['id']}")
            event.add("categories", [item["scenario"]])
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Follow up #{item['id']}")
            alarm.add("trigger", timedelta(minutes=-15))
            event.add_component(alarm)
            cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical
