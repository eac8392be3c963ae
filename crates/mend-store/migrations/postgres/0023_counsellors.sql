-- A counsellor (issue 14). One row per proposal: proposed by a partner, agreed by the other
-- (only then does its link work), accepted by a counsellor account, ended by either partner,
-- a departure or the counsellor's own account deletion. At most one open row per space.
CREATE TABLE counsellor_grants (
    id UUID PRIMARY KEY NOT NULL,
    space_id UUID NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    proposed_seat BIGINT NOT NULL CHECK (proposed_seat IN (1, 2)),
    code_lookup BYTEA NOT NULL UNIQUE,
    code_sealed BYTEA NOT NULL,
    proposed_at BIGINT NOT NULL,
    agreed_at BIGINT,
    accepted_at BIGINT,
    counsellor_id UUID REFERENCES people(id) ON DELETE CASCADE,
    ended_at BIGINT,
    ended_why TEXT,
    CHECK ((ended_at IS NULL) = (ended_why IS NULL)),
    CHECK ((accepted_at IS NULL) = (counsellor_id IS NULL))
);
CREATE UNIQUE INDEX counsellor_grants_one_open ON counsellor_grants(space_id) WHERE ended_at IS NULL;
CREATE INDEX counsellor_grants_by_counsellor ON counsellor_grants(counsellor_id) WHERE ended_at IS NULL;

-- What each partner allows the counsellor to read in one journey: one row per allowed area.
CREATE TABLE counsellor_shares (
    breach_id UUID NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    person_id UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    area TEXT NOT NULL,
    chosen_at BIGINT NOT NULL,
    PRIMARY KEY (breach_id, person_id, area)
);
