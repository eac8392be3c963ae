-- The hurt partner's evidence log. A private entry is sealed with its author's own key; when
-- shared, its text is sealed again with the space key so the partner can read it.
CREATE TABLE evidence (
    id BLOB PRIMARY KEY NOT NULL,
    breach_id BLOB NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    author BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    moment TEXT NOT NULL CHECK (moment IN ('built', 'shook')),
    text_sealed BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    shared_at INTEGER
);
CREATE INDEX evidence_by_breach ON evidence(breach_id, created_at);
