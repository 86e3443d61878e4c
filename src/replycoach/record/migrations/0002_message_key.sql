-- Which customer message a row answers: "id:" and its Message-ID, else "sha256:" and a
-- hash of its body (logbook.message_key). One complaint per message: the unique index
-- makes a second logging of the same message update its row (INSERT ... ON CONFLICT),
-- even from two processes at once. Rows logged before this version keep NULL: their
-- Message-ID was never stored and the masked message (if kept) no longer hashes the
-- same. NULLs never conflict (SQLite and PostgreSQL alike), so they stay as they are.
ALTER TABLE complaints ADD COLUMN message_key TEXT;
CREATE UNIQUE INDEX complaints_message ON complaints (sender_email, message_key);
