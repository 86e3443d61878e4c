"""The batch's shortcuts against the plain code they stand for: a ``Drafter`` loads the
rules once and asks about (and opens) the complaint log once per process, where
``api.draft_text`` does both for every message; both must draft the same."""

from __future__ import annotations

import sys
from pathlib import Path

from replycoach import api
from replycoach.batch import workers
from replycoach.batch.drafter import Drafter, Options
from replycoach.batch.readers import Item

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-20T17:00:00+01:00"


def _mailgen(count: int) -> list[bytes]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import mailgen
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return list(mailgen.messages(count, 11))


def _outcome(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return ("ok", fn(*args, **kwargs))
    except Exception as exc:
        return ("error", type(exc).__name__, str(exc))


def test_the_drafter_drafts_what_the_api_drafts() -> None:
    # Without a complaint log (test_batch_cli checks the history a log gives each record).
    sample = (ROOT / "samples" / "damaged.eml").read_bytes()
    drafter = Drafter(Options(sets=["agent=Sam"], placeholders=True, now=NOW))
    messages = [sample, *_mailgen(60), b"", b"\xff\xfe"]
    try:
        for raw in messages:
            mine = _outcome(drafter.draft, raw)
            plain = _outcome(api.draft_text, raw, sets=["agent=Sam"], placeholders=True, now=NOW)
            assert mine == plain
    finally:
        drafter.close()


def test_a_worker_chunk_is_each_message_s_payload(monkeypatch) -> None:
    drafter = Drafter(Options(sets=["agent=Sam"], placeholders=True, now=NOW))
    items = [Item(f"m.{n}", "src", raw) for n, raw in enumerate(_mailgen(5))]
    items.append(Item("bad", "src", None, "cannot read: gone"))
    monkeypatch.setattr(workers, "_WORKER", drafter)
    out = workers._worker_chunk(items)
    assert out == [drafter.payload(it) for it in items]
    assert out[-1] == (False, "cannot read: gone")
