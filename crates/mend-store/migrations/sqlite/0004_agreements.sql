-- Agreements of a space. A change to an accepted agreement is a new proposal that revises it;
-- accepting the change supersedes the old one. The text is sealed with the space key.
CREATE TABLE agreements (
    id BLOB PRIMARY KEY NOT NULL,
    space_id BLOB NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    proposed_by BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    text_sealed BLOB NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('proposed', 'accepted', 'declined', 'withdrawn', 'superseded')),
    revises BLOB REFERENCES agreements(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    decided_at INTEGER,
    decided_by BLOB REFERENCES people(id) ON DELETE SET NULL
);
CREATE INDEX agreements_by_space ON agreements(space_id, created_at);
