-- Which customer message a row answers: "id:" and its Message-ID, else "sha256:" and
-- a hash of the (masked) body. One complaint per message: drafting the same message
-- again updates its row, and the sender's history does not count it twice.
ALTER TABLE complaints ADD COLUMN message_key TEXT NOT NULL DEFAULT '';
CREATE INDEX complaints_message ON complaints (sender_email, message_key);
