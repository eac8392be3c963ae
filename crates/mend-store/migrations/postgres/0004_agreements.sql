-- Agreements of a space. A change to an accepted agreement is a new proposal that revises it;
-- accepting the change supersedes the old one. The text is sealed with the space key.
CREATE TABLE agreements (
    id UUID PRIMARY KEY NOT NULL,
    space_id UUID NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    proposed_by UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    text_sealed BYTEA NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('proposed', 'accepted', 'declined', 'withdrawn', 'superseded')),
    revises UUID REFERENCES agreements(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by UUID REFERENCES people(id) ON DELETE SET NULL
);
CREATE INDEX agreements_by_space ON agreements(space_id, created_at);
