"""Fixtures for the complaint-log tests (no tests here): the backends to run against.

Every store test runs on SQLite and on PostgreSQL. PostgreSQL needs a server: `.ci/run`
starts one on loopback and sets ``REPLYCOACH_TEST_PG``; without it those cases skip.
Each PostgreSQL case gets its own schema (``search_path`` in the URL), dropped afterwards.
"""

from __future__ import annotations

import copy
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import NOW, SAMPLES

PG_SKIP = "PostgreSQL tests need a server: set REPLYCOACH_TEST_PG=postgresql://… (.ci/run starts one)"
SAMPLE = SAMPLES / "damaged.eml"


def _pg_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, empty log on each backend; also set as REPLYCOACH_DB for CLI runs."""
    monkeypatch.setenv("REPLYCOACH_HOME", str(tmp_path / "home"))
    if request.param == "sqlite":
        url = str(tmp_path / "log.sqlite3")
        monkeypatch.setenv("REPLYCOACH_DB", url)
        yield url
        return
    base = os.environ.get("REPLYCOACH_TEST_PG")
    if not base:
        pytest.skip(PG_SKIP)
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = _pg_url(base, schema)
    monkeypatch.setenv("REPLYCOACH_DB", url)
    try:
        yield url
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def drafted(now: str = NOW, text: bytes | None = None, **sets: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A draft of the sample email (or ``text``) and the answers it used."""
    from replycoach import api

    pairs = {"agent": "Sam", **sets}
    result = api.draft_text(text or SAMPLE.read_bytes(), sets=pairs, now=now)
    return result, api.collect_answers(None, pairs).to_dict()


# The log keeps one complaint per message (its Message-ID, else a hash of its body): a
# history of several complaints is built from several messages, as a customer sends them.
def another(result: dict[str, Any], n: int) -> dict[str, Any]:
    """``result`` as the draft of the customer's ``n``-th message (its own Message-ID)."""
    out = copy.deepcopy(result)
    out["message"]["message_id"] = f"<log-{n}.48213@mail.example.com>"
    return out


def another_message(n: int, sample: Path = SAMPLE) -> bytes:
    """The sample email as the customer's ``n``-th message: the same text, its own Message-ID."""
    raw = sample.read_bytes()
    assert b"Message-ID: <CAF7x9q1.48213@mail.example.com>" in raw
    return raw.replace(b"<CAF7x9q1.48213@mail.example.com>", f"<log-{n}.48213@mail.example.com>".encode())
