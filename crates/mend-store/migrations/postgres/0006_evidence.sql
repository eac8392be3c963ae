-- The hurt partner's evidence log. A private entry is sealed with its author's own key; when
-- shared, its text is sealed again with the space key so the partner can read it.
CREATE TABLE evidence (
    id UUID PRIMARY KEY NOT NULL,
    breach_id UUID NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    author UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    moment TEXT NOT NULL CHECK (moment IN ('built', 'shook')),
    text_sealed BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    shared_at BIGINT
);
CREATE INDEX evidence_by_breach ON evidence(breach_id, created_at);
