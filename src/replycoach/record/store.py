"""The complaint log's storage: an SQLite file in the user data folder, or a shared
PostgreSQL server (``--db postgresql://…`` / ``REPLYCOACH_DB``).

Both backends run the same SQL (written with ``?`` placeholders) and the same
migrations. Only the standard library's ``sqlite3`` is imported for a local log;
``psycopg`` is imported only when a ``postgresql://`` URL is used.

Durability: SQLite runs in WAL mode, every write is one transaction taken with
``BEGIN IMMEDIATE`` (writers queue on the lock instead of failing), and a killed
process leaves at worst an uncommitted transaction that the next open rolls back.
``synchronous=NORMAL`` keeps every committed row through a process crash; only a
power cut can lose the last commits (never the file's integrity).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from replycoach.foundation.errors import StoreError

DB_FILE = "log.sqlite3"
_PG_LOCK = 7_318_215_114  # advisory lock key: serialises migrations across processes


def utc_text(moment: datetime) -> str:
    """A UTC timestamp that sorts as text: ``2026-11-20T16:00:00Z`` (how the log stores times)."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def data_dir() -> Path:
    """The user data folder (``REPLYCOACH_HOME`` overrides the platform's convention)."""
    env = os.environ.get("REPLYCOACH_HOME")
    if env:
        return Path(env)
    from replycoach.foundation.userdirs import user_dir

    return Path(user_dir("data"))


def resolve(db: str | None = None) -> str:
    """The log's location: ``--db``, then ``REPLYCOACH_DB``, then the default SQLite file."""
    value = db or os.environ.get("REPLYCOACH_DB") or ""
    return value or str(data_dir() / DB_FILE)


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url.removeprefix("sqlite:"))


def exists(db: str | None = None) -> bool:
    """Whether there may be a log to read, without opening (or creating) anything."""
    url = resolve(db)
    return is_postgres(url) or sqlite_path(url).is_file()


def display(url: str) -> str:
    """The URL without its password, for ``paths`` and error messages."""
    if "://" in url:
        import re

        return re.sub(r"(//[^:/@]+):[^@/]*@", r"\1:***@", url)
    return url


class Store:
    """One open connection, the dialect it speaks and the few helpers the log needs."""

    def __init__(self, conn: Any, dialect: str, url: str) -> None:
        self.conn = conn
        self.dialect = dialect
        self.url = url

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgresql" else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            if self.dialect == "postgresql":
                # No parameters: None, so psycopg does not read '%' in the SQL as a placeholder.
                return self.conn.execute(self._sql(sql), tuple(params) or None)
            return self.conn.execute(sql, tuple(params))
        except self.errors() as exc:
            raise StoreError(f"database error: {exc}".strip(), file=display(self.url)) from None

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.execute(sql, params)
        if self.dialect == "sqlite":
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return list(cursor.fetchall())

    def errors(self) -> tuple[type[BaseException], ...]:
        if self.dialect == "sqlite":
            import sqlite3

            return (sqlite3.Error,)
        import psycopg

        return (psycopg.Error,)

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One atomic write; SQLite takes the write lock at once so writers queue, not fail."""
        if self.dialect == "sqlite":
            self.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.execute("COMMIT")
        else:
            try:
                with self.conn.transaction():
                    yield self
            except self.errors() as exc:
                raise StoreError(f"database error: {exc}".strip(), file=display(self.url)) from None

    def insert(self, table: str, values: dict[str, Any]) -> int:
        """Insert one row and return its id (``RETURNING`` works on SQLite ≥ 3.35 and PostgreSQL)."""
        names = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        row = self.execute(f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id", list(values.values()))
        found = row.fetchone()
        return int(found["id"] if isinstance(found, dict) else found[0])

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect_sqlite(url: str) -> Store:
    import sqlite3

    path = sqlite_path(url)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # The log holds customers' names and addresses: readable by its owner only.
            # SQLite gives the -wal and -shm files the same mode as the database.
            path.touch(mode=0o600)
        # Autocommit mode: transactions are explicit (Store.transaction); 30 s lock wait.
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 30000")
        _wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open the complaint log: {exc}", file=str(path)) from None
    return Store(conn, "sqlite", str(path))


def _wal(conn: Any) -> None:
    """Switch the file to WAL once. Changing the journal mode answers SQLITE_BUSY at once
    (the busy timeout does not apply) while another process is opening the same fresh
    file, so it is retried; a file already in WAL mode costs one read."""
    import sqlite3
    import time

    deadline = time.monotonic() + 30
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _connect_postgres(url: str) -> Store:
    try:
        import psycopg
        from psycopg.rows import dict_row
    except ImportError:
        raise StoreError(
            "a postgresql:// log needs psycopg: pip install 'replycoach[postgres]'", file=display(url)
        ) from None
    try:
        conn = psycopg.connect(url, autocommit=True, row_factory=dict_row, connect_timeout=5)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"cannot connect to the complaint log: {first}", file=display(url)) from None
    return Store(conn, "postgresql", url)


def open_store(db: str | None = None, *, migrations_dir: Path | None = None) -> Store:
    """Open (creating if needed) the log and bring its schema up to date."""
    url = resolve(db)
    if "://" in url and not is_postgres(url) and not url.startswith("sqlite:"):
        raise StoreError(
            "unsupported database URL (use a file path, sqlite:///PATH or postgresql://…)", file=display(url)
        )
    store = _connect_postgres(url) if is_postgres(url) else _connect_sqlite(url)
    try:
        migrate(store, migrations_dir)
    except BaseException:
        store.close()
        raise
    return store


@contextmanager
def borrow(db: str | Store | None) -> Iterator[Store]:
    """An open ``Store`` as is (the caller closes it), or a URL opened for this block."""
    if isinstance(db, Store):
        yield db
    else:
        with open_store(db) as store:
            yield store


def current_version(store: Store) -> int:
    """The highest applied migration, or 0 for a fresh database (read without locking)."""
    try:
        rows = store.conn.execute("SELECT max(version) AS v FROM schema_migrations").fetchall()
    except store.errors():
        return 0
    value = rows[0]["v"] if store.dialect == "postgresql" else rows[0][0]
    return int(value or 0)


def migrate(store: Store, folder: Path | None = None) -> list[int]:
    """Apply every pending migration, each in its own transaction; returns the versions applied.

    Concurrent openers are serialised (SQLite's write lock, PostgreSQL's advisory lock)
    and re-read the applied versions under the lock, so each migration runs exactly once.
    """
    from replycoach.record.migrations import latest, migrations

    if current_version(store) >= latest(folder):
        return []  # the common case: one cheap read, no lock, no SQL files parsed
    pending = migrations(store.dialect, folder)
    applied: list[int] = []
    for version, name, statements in pending:
        with store.transaction():
            if store.dialect == "postgresql":
                store.execute("SELECT pg_advisory_xact_lock(?)", [_PG_LOCK])
            store.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = {r["version"] for r in store.rows("SELECT version FROM schema_migrations")}
            if version in done:
                continue
            for statement in statements:
                store.execute(statement)
            now = utc_text(datetime.now(UTC))
            store.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [version, name, now]
            )
            applied.append(version)
    return applied
