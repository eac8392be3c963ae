-- Written entries of a journey. A draft is its author's alone; once sent, the body never
-- changes: a correction, or a further disclosure, is a new entry that follows an earlier one.
-- Withdrawing keeps the row but not the text.
CREATE TABLE entries (
    id UUID PRIMARY KEY NOT NULL,
    breach_id UUID NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    author UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    body_sealed BYTEA,
    state TEXT NOT NULL CHECK (state IN ('draft', 'sent', 'withdrawn')),
    follows UUID REFERENCES entries(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    sent_at BIGINT,
    received_at BIGINT,
    withdrawn_at BIGINT
);
CREATE INDEX entries_by_breach ON entries(breach_id, kind, created_at);
-- One draft per author and kind in a journey.
CREATE UNIQUE INDEX entries_one_draft ON entries(breach_id, kind, author) WHERE state = 'draft';
