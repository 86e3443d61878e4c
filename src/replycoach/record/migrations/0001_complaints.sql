-- One row per handled complaint. Text columns hold masked text only (see privacy.py);
-- lists and mappings are JSON text so the same SQL runs on SQLite and PostgreSQL.
-- Times are UTC, ISO 8601 with a Z ("2026-11-20T16:00:00Z"): they sort as text.
CREATE TABLE complaints (
    id @ID@,
    created_at TEXT NOT NULL,
    agent TEXT NOT NULL DEFAULT '',
    sender_email TEXT NOT NULL DEFAULT '',
    sender_name TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    scenario TEXT NOT NULL,
    playbook TEXT NOT NULL,
    customer_type TEXT NOT NULL,
    anger_score REAL NOT NULL DEFAULT 0,
    anger_level TEXT NOT NULL DEFAULT 'none',
    risks TEXT NOT NULL DEFAULT '[]',
    choices TEXT NOT NULL DEFAULT '{}',
    promise TEXT NOT NULL DEFAULT '',
    deadline TEXT NOT NULL DEFAULT '',
    due_utc TEXT,
    cause TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    draft_sha256 TEXT NOT NULL,
    findings TEXT NOT NULL DEFAULT '[]',
    message TEXT,
    done_at TEXT
);
CREATE INDEX complaints_sender ON complaints (sender_email, created_at);
CREATE INDEX complaints_open ON complaints (done_at, due_utc);
CREATE INDEX complaints_created ON complaints (created_at);
