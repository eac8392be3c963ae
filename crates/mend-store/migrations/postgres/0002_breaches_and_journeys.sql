-- A breach belongs to a space; its roles name the two partners. Its facts (kind, agreement,
-- dates, how it came to light) are sealed together with the space key.
CREATE TABLE breaches (
    id UUID PRIMARY KEY NOT NULL,
    space_id UUID NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    hurt_person UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    repairing_person UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    opened_by UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    details_sealed BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (hurt_person <> repairing_person)
);
CREATE INDEX breaches_by_space ON breaches(space_id, created_at);

-- The seven areas of each journey and where each stands.
CREATE TABLE journey_areas (
    breach_id UUID NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    area TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done')),
    changed_at BIGINT NOT NULL,
    changed_by UUID REFERENCES people(id) ON DELETE SET NULL,
    PRIMARY KEY (breach_id, area)
);
