-- Which customer message a row answers: "id:" and its Message-ID, else "sha256:" and a
-- hash of its body (history.message_key). One complaint per message: logging the same
-- message again updates its row, and the unique index stops two processes that log it at
-- once from adding a twin. Rows logged before this version keep NULL: their
-- Message-ID was never stored and the masked message (if kept) no longer hashes the
-- same. NULLs never conflict (SQLite and PostgreSQL alike), so they stay as they are.
ALTER TABLE complaints ADD COLUMN message_key TEXT;
CREATE UNIQUE INDEX complaints_message ON complaints (sender_email, message_key);
