-- Written entries of a journey. A draft is its author's alone; once sent, the body never
-- changes: a correction, or a further disclosure, is a new entry that follows an earlier one.
-- Withdrawing keeps the row but not the text.
CREATE TABLE entries (
    id BLOB PRIMARY KEY NOT NULL,
    breach_id BLOB NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    author BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    body_sealed BLOB,
    state TEXT NOT NULL CHECK (state IN ('draft', 'sent', 'withdrawn')),
    follows BLOB REFERENCES entries(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    sent_at INTEGER,
    received_at INTEGER,
    withdrawn_at INTEGER
);
CREATE INDEX entries_by_breach ON entries(breach_id, kind, created_at);
-- One draft per author and kind in a journey.
CREATE UNIQUE INDEX entries_one_draft ON entries(breach_id, kind, author) WHERE state = 'draft';
