"""The batch's fast paths against the plain code they stand for."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from replycoach.batch import pipeline as batch

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-20T17:00:00+01:00"


def _mailgen(count: int) -> list[bytes]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import mailgen
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return list(mailgen.messages(count, 11))


def _plain_record(item: batch.Item, result: dict) -> str:  # type: ignore[type-arg]
    return json.dumps({"id": item.id, "source": item.source, **result}, ensure_ascii=False) + "\n"


def test_jsonl_record_is_json_dumps_of_the_merged_dict() -> None:
    drafter = batch.Drafter(batch.Options(sets=["agent=Sam"], placeholders=True, now=NOW))
    samples = [*_mailgen(150), *(p.read_bytes() for p in sorted((ROOT / "samples").iterdir()) if p.is_file())]
    checked = 0
    for n, raw in enumerate(samples):
        try:
            result = drafter.draft(raw)
        except Exception:  # an unreadable sample: its error record is another path
            continue
        item = batch.Item(f"inbox.{n} «ü»\u2028\"'\\", "/tmp/x.mbox", raw)
        assert batch.jsonl_record(item, result) == _plain_record(item, result)
        checked += 1
    assert checked > 150


def test_jsonl_record_edge_shapes() -> None:
    item = batch.Item("a\udcff", "s\n", b"")
    for result in (
        {},
        {"id": 1},
        {"x": 1, "source": "other"},
        {"draft": "é\u2028\x00", "n": [1.5, None, True, {"k": []}]},
        {1: "int key", "z": float("inf")},
    ):
        assert batch.jsonl_record(item, result) == _plain_record(item, result)


def test_worker_chunk_takes_tuples_and_drafts_like_payload() -> None:
    drafter = batch.Drafter(batch.Options(sets=["agent=Sam"], placeholders=True, now=NOW))
    items = [batch.Item(f"m.{n}", "src", raw) for n, raw in enumerate(_mailgen(5))]
    items.append(batch.Item("bad", "src", None, "cannot read: gone"))
    old, batch._WORKER = batch._WORKER, drafter
    try:
        out = batch._worker_chunk([(it.id, it.source, it.raw, it.error) for it in items])
    finally:
        batch._WORKER = old
    assert out == [drafter.payload(it) for it in items]
    assert out[-1] == (False, "cannot read: gone")


def test_worker_freezes_once_after_its_first_chunk(monkeypatch) -> None:
    import gc

    drafter = batch.Drafter(batch.Options(sets=["agent=Sam"], placeholders=True, now=NOW))
    frozen: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(1))
    monkeypatch.setattr(batch, "_WORKER", drafter)
    monkeypatch.setattr(batch, "_FREEZE_PENDING", True)
    chunk = [(f"m.{n}", "src", raw, None) for n, raw in enumerate(_mailgen(3))]
    first = batch._worker_chunk(chunk)
    second = batch._worker_chunk(chunk)
    assert frozen == [1] and first == second
    assert batch._FREEZE_PENDING is False
