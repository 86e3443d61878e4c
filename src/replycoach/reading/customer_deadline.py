"""The customer's own deadline ("before Sunday", "by Friday", "today") and whether their
read with the listening cues (data/listening.yaml), which reading/listening.py compiles and passes in."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

# "until today" / "bis heute" say how long it has been; "bis heute Abend" is a deadline.
_SO_FAR = re.compile(r"\b(?:until|till|up (?:to|till)|bis)\s+(?:today|heute)$", re.I)
_LATER_TODAY = re.compile(r"\s+(?:abend|nachmittag|mittag|vormittag|evening|afternoon|night|noon|\d)", re.I)


def customer_deadline(
    body: str, now: datetime | None, cues: dict[str, Any], events: dict[str, Any], past: Any
) -> dict[str, str] | None:
    """The customer's own date: a day word led by "by", "before", "I need it" or an occasion
    ("the party is on Sunday"; "since Monday" and "I called on Monday" are not deadlines);
    the soonest when several."""
    today = (now or datetime.now().astimezone()).date()
    hits: list[tuple[date, str, str]] = []
    for m in cues["day"].finditer(body):
        led = cues["lead"].search(body, max(0, m.start() - 80), m.start())
        if led is None:
            continue
        kind = m.lastgroup or ""
        if (
            kind == "today"
            and _SO_FAR.search(body, max(0, m.start() - 12), m.end())
            and not _LATER_TODAY.match(body, m.end())
        ):
            continue  # "Bis heute ist nichts gekommen", "until today nothing": so far, not by when
        if kind == "today":
            when = today
        elif kind == "tomorrow":
            when = today + timedelta(days=1)
        else:
            when = today + timedelta(days=(int(kind[1:]) - today.weekday()) % 7 or 7)
        said = body[led.start() : m.end()]
        event = next((eid for eid, found in events.items() if found.search(said)), "")
        if event and past.search(said):
            continue  # "the party was on Sunday": an occasion gone by
        hits.append((when, said, event))
    if not hits:
        return None
    when, text, event = min(hits, key=lambda h: h[0])
    found = {"text": " ".join(text.split()), "date": when.isoformat()}
    if event:
        found["event"] = event  # "party": the reply names the occasion back in its own words
    return found
