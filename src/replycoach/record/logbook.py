"""The complaint log: record one handled complaint, forget a person, list rows.

``record`` is the one way a row is written: ``draft --log``, ``log add`` and the
coach (on finish) all call it with the ``draft`` JSON and the answers. Every text is
masked (``privacy.mask``) before it is stored; the customer's message is kept only
when asked (``keep_message``), and then masked too.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from replycoach.foundation.errors import UsageError
from replycoach.record.history import message_key
from replycoach.record.privacy import mask, mask_data
from replycoach.record.store import Store, borrow, open_store, parse_utc, utc_text

__all__ = ["parse_utc", "record", "rows", "utc_text"]


def _agent(answers: dict[str, Any]) -> str:
    from replycoach.foundation.config import setting

    return setting("agent", answers.get("settings") or {})


def row_from_result(
    result: dict[str, Any],
    answers: dict[str, Any] | None = None,
    *,
    keep_message: bool = False,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The masked row for one complaint, ready to insert (also what tests inspect)."""
    answers = answers or {}
    message = result.get("message") or {}
    diagnose = (result.get("steps") or {}).get("diagnose") or {}
    deadline = result.get("deadline") or ""
    promise = result.get("promise") or ""
    due_utc = utc_text(datetime.fromisoformat(deadline)) if deadline and promise else None
    # Only a finding's free text is masked: its rule id and severity are names, not text
    # ("password-echo" must stay a rule id).
    findings = [
        {
            **{k: f.get(k) for k in ("rule", "severity", "line", "column")},
            **{k: mask_data(f.get(k)) for k in ("text", "message")},
        }
        for f in result.get("findings") or []
    ]
    draft = result.get("draft") or ""
    when = now or (datetime.fromisoformat(answers["now"]) if answers.get("now") else datetime.now(UTC))
    return {
        "created_at": utc_text(when),
        "agent": mask(_agent(answers)),
        "sender_email": str(message.get("from_email") or "").strip().lower(),
        "sender_name": mask(str(message.get("from_name") or "")),
        "subject": mask(str(message.get("subject") or "")),
        "scenario": result["scenario"]["id"],
        "playbook": result.get("playbook") or result["scenario"]["id"],
        "customer_type": result["customer_type"]["id"],
        "anger_score": float(result["anger"]["score"]),
        "anger_level": result["anger"]["level"],
        "risks": json.dumps([r["id"] for r in result.get("risks") or []]),
        "choices": json.dumps(result.get("choices") or {}, sort_keys=True),
        "promise": mask(promise),
        "deadline": deadline if promise else "",
        "due_utc": due_utc,
        "cause": mask(str(diagnose.get("cause") or "")),
        "note": mask(str(diagnose.get("note") or "")),
        "draft_sha256": hashlib.sha256(draft.encode("utf-8")).hexdigest(),
        "findings": json.dumps(findings, ensure_ascii=False),
        "message": mask(str(message.get("body") or "")) if keep_message else None,
        # NULL when there is nothing to know the message by: such a row is never merged.
        "message_key": message_key(message.get("message_id"), message.get("body")) or None,
    }


def record(
    result: dict[str, Any],
    answers: dict[str, Any] | None = None,
    *,
    keep_message: bool = False,
    db: str | Store | None = None,
    now: datetime | None = None,
) -> int:
    """Log one handled complaint; returns its id (also the follow-up id).

    ``result`` is the ``draft`` JSON, ``answers`` the answers mapping (the shape
    ``coach --save-answers`` writes); ``db`` a URL/path or an open ``Store``.
    One complaint per message: a message already logged for the sender (same
    ``message_key``) has its row updated to this, the latest, handling; see ``_again``.
    """
    row = row_from_result(result, answers, keep_message=keep_message, now=now)
    with borrow(db) as store, store.transaction():
        if row["message_key"]:
            sets, params = _again(row)
            found = store.execute(
                f"UPDATE complaints SET {sets} WHERE sender_email = ? AND message_key = ? RETURNING id",
                [*params, row["sender_email"], row["message_key"]],
            ).fetchone()
            if found:
                return int(found["id"] if isinstance(found, dict) else found[0])
        # A new message. Two processes logging the same one at once: the unique index
        # (sender_email, message_key) fails the second insert instead of adding a twin.
        return store.insert("complaints", row)


# The same message logged again (drafted four times, or `log add` after `draft --log`):
# its row takes the latest handling, as that is the reply the customer got. It keeps its
# id (the follow-up id agents already use; an UPDATE, not an upsert, so no id is used up),
# its first created_at (when the complaint was first handled: history and report dates do
# not move), a message kept earlier unless this run keeps one, and a follow-up marked done
# unless the promise or its deadline changed. SET reads the old row on both backends.
_KEPT = ("created_at", "sender_email", "message_key", "message")


def _again(row: dict[str, Any]) -> tuple[str, list[Any]]:
    names = [c for c in row if c not in _KEPT]
    sets = [f"{c} = ?" for c in names]
    sets.append("message = COALESCE(?, message)")
    sets.append("done_at = CASE WHEN promise = ? AND deadline = ? THEN done_at END")
    return ", ".join(sets), [*(row[c] for c in names), row["message"], row["promise"], row["deadline"]]


def forget(sender: str, *, db: str | None = None) -> int:
    """Delete every row for one sender address; returns how many were deleted."""
    address = sender.strip().lower()
    if not address:
        raise UsageError("give the sender's address", field="--sender")
    with open_store(db) as store, store.transaction():
        cursor = store.execute("DELETE FROM complaints WHERE sender_email = ?", [address])
        return int(cursor.rowcount)


COLUMNS = (
    "id, created_at, agent, sender_email, sender_name, subject, scenario, playbook, customer_type, "
    "anger_score, anger_level, risks, choices, promise, deadline, due_utc, cause, note, draft_sha256, "
    "findings, message, done_at, message_key"
)


def decode(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row with its JSON columns decoded."""
    out = dict(row)
    for key in ("risks", "choices", "findings"):
        out[key] = json.loads(out[key]) if out.get(key) else ([] if key != "choices" else {})
    return out


def rows(
    *,
    db: str | Store | None = None,
    sender: str | None = None,
    since: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Stored complaints, oldest first, optionally for one sender or since a UTC time."""
    where, params = [], []
    if sender:
        where.append("sender_email = ?")
        params.append(sender.strip().lower())
    if since:
        where.append("created_at >= ?")
        params.append(since)
    sql = f"SELECT {COLUMNS} FROM complaints"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY created_at, id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    with borrow(db) as store:
        return [decode(r) for r in store.rows(sql, params)]
