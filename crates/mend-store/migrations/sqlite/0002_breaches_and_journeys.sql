-- A breach belongs to a space; its roles name the two partners. Its facts (kind, agreement,
-- dates, how it came to light) are sealed together with the space key.
CREATE TABLE breaches (
    id BLOB PRIMARY KEY NOT NULL,
    space_id BLOB NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    hurt_person BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    repairing_person BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    opened_by BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    details_sealed BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    CHECK (hurt_person <> repairing_person)
);
CREATE INDEX breaches_by_space ON breaches(space_id, created_at);

-- The seven areas of each journey and where each stands.
CREATE TABLE journey_areas (
    breach_id BLOB NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    area TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done')),
    changed_at INTEGER NOT NULL,
    changed_by BLOB REFERENCES people(id) ON DELETE SET NULL,
    PRIMARY KEY (breach_id, area)
);
