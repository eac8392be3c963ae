-- A counsellor's pages (issue 14). A counsellor's account is marked as one when it is made,
-- and never has a space of its own.
ALTER TABLE people ADD COLUMN counsellor_since BIGINT;

-- When the counsellor last looked at the couple's journeys: both partners see it.
ALTER TABLE counsellor_grants ADD COLUMN last_seen_at BIGINT;

-- A counsellor's note for both partners on one journey, sealed with the space key: it stays
-- with the couple after the counsellor's access ends.
CREATE TABLE counsellor_notes (
    id UUID PRIMARY KEY NOT NULL,
    grant_id UUID NOT NULL REFERENCES counsellor_grants(id) ON DELETE CASCADE,
    breach_id UUID NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    body_sealed BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX counsellor_notes_of_breach ON counsellor_notes(breach_id, created_at);

-- Every change of a partner's share choices, so that both see what was shared when.
CREATE TABLE counsellor_share_changes (
    breach_id UUID NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    person_id UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    area TEXT NOT NULL,
    allowed BIGINT NOT NULL CHECK (allowed IN (0, 1)),
    changed_at BIGINT NOT NULL
);
CREATE INDEX counsellor_share_changes_of_breach ON counsellor_share_changes(breach_id, changed_at);
