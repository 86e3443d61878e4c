"""What the log knows about the sender of a new message: earlier complaints, their
scenarios and dates, open promises; and the ``chronic`` reading it implies.

This runs on every ``analyze`` and ``draft``, so it stays cheap: when there is no log
(no ``REPLYCOACH_DB`` and no database file) nothing is opened or imported at all.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from replycoach.foundation.errors import StoreError

CHRONIC_DAYS = 90
SHOWN = 10  # earlier complaints listed (the count covers all of them)


def empty(sender: str = "") -> dict[str, Any]:
    return {"sender": sender, "complaints": 0, "last_90_days": 0, "earlier": [], "open_promises": []}


def message_key(message_id: object, body: object) -> str:
    """The one key of a customer message: ``id:`` and its Message-ID, else ``sha256:`` and a
    hash of its body as the draft JSON shows it (cards masked); "" when it has neither.
    The log keeps one complaint per sender and key (``logbook.record``)."""
    mid = str(message_id or "").strip()
    if mid:
        return "id:" + mid
    text = str(body or "").strip()
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() if text else ""


def lookup(sender: str, *, db: Any = None, now: datetime | None = None, key: str = "") -> dict[str, Any]:
    """The sender's history; an empty one when there is no log or no address.

    ``db`` is a URL/path, None (``REPLYCOACH_DB`` or the default file), an open ``Store``,
    or False when the caller already knows there is no log (a batch asks once). ``key``
    (``message_key``) is this message's: its own row, if logged, is no *earlier* complaint.
    """
    from replycoach.record import store

    address = (sender or "").strip().lower()
    if not address or db is False or not (isinstance(db, store.Store) or store.exists(db)):
        return empty(address)
    from replycoach.record.store import parse_utc, utc_text

    moment = now or datetime.now(UTC)
    try:
        found = _earlier(store, db, address, utc_text(moment if moment.tzinfo else moment.astimezone()))
        found = [r for r in found if not key or r["message_key"] != key]
    except StoreError as exc:
        # A team server that is down must not stop an agent from replying: the reading
        # goes on without history and says why (``draft --log`` still fails loudly).
        return {**empty(address), "error": str(exc)}
    cutoff = (moment if moment.tzinfo else moment.astimezone()) - timedelta(days=CHRONIC_DAYS)

    recent = [r for r in found if parse_utc(r["created_at"]) >= cutoff]
    now_utc = utc_text(moment)
    return {
        "sender": address,
        "complaints": len(found),
        "last_90_days": len(recent),
        "earlier": [
            {"id": r["id"], "date": r["created_at"], "scenario": r["scenario"], "type": r["customer_type"]}
            for r in found[:SHOWN]
        ],
        "open_promises": [
            {"id": r["id"], "promise": r["promise"], "due": r["deadline"], "overdue": r["due_utc"] < now_utc}
            for r in reversed(found)
            if r["promise"] and r["due_utc"] and not r["done_at"]
        ],
    }


def _earlier(store: Any, db: Any, address: str, before: str) -> list[dict[str, Any]]:
    with store.borrow(db) as st:
        rows: list[dict[str, Any]] = st.rows(
            "SELECT id, created_at, scenario, customer_type, promise, deadline, due_utc, done_at, message_key "
            "FROM complaints WHERE sender_email = ? AND created_at < ? ORDER BY created_at DESC, id DESC",
            [address, before],
        )
        return rows


def for_analysis(history: dict[str, Any]) -> dict[str, Any] | None:
    """What the analysis needs to apply its chronic rule (threshold in data/signals.yaml):
    the complaints in the window counting this one, and the earlier dates as evidence."""
    earlier = history["last_90_days"]
    if not earlier:
        return None
    # ``earlier`` is newest first, so its head is the ones inside the window.
    return {"count_90d": earlier + 1, "dates": [e["date"][:10] for e in history["earlier"][:earlier]]}
