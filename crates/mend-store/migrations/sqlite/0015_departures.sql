-- no-transaction
-- Leaving a space and deleting an account (issue 11).
--
-- A journey whose partner has left Mend, or left the space, ends "partner_left"; the journey
-- stays readable to the one who remains, as every ended journey does. SQLite cannot change a
-- CHECK in place, so `breaches` is rebuilt the way SQLite documents (foreign keys off, new
-- table, copy, drop, rename, check), outside sqlx's transaction because the foreign-key
-- pragma has no effect inside one; the rebuild itself is one transaction.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE breaches_new (
    id BLOB PRIMARY KEY NOT NULL,
    space_id BLOB NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    hurt_person BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    repairing_person BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    opened_by BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    details_sealed BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    reassurance_muted_at INTEGER,
    check_in_rhythm TEXT
        CHECK (check_in_rhythm IN ('daily', 'weekly', 'fortnightly', 'monthly')),
    recommit_rhythm TEXT NOT NULL DEFAULT 'weekly'
        CHECK (recommit_rhythm IN ('daily', 'weekly', 'fortnightly', 'monthly')),
    my_side_opened_at INTEGER,
    context_opened_at INTEGER,
    closing_proposed_at INTEGER,
    ended_how TEXT
        CHECK (ended_how IN ('closed_chapter', 'parted_with_care', 'partner_left')),
    ended_by BLOB REFERENCES people(id) ON DELETE SET NULL,
    ended_at INTEGER,
    CHECK (hurt_person <> repairing_person)
);
INSERT INTO breaches_new (id, space_id, hurt_person, repairing_person, opened_by,
    details_sealed, created_at, reassurance_muted_at, check_in_rhythm, recommit_rhythm,
    my_side_opened_at, context_opened_at, closing_proposed_at, ended_how, ended_by, ended_at)
SELECT id, space_id, hurt_person, repairing_person, opened_by,
    details_sealed, created_at, reassurance_muted_at, check_in_rhythm, recommit_rhythm,
    my_side_opened_at, context_opened_at, closing_proposed_at, ended_how, ended_by, ended_at
FROM breaches;
DROP TABLE breaches;
ALTER TABLE breaches_new RENAME TO breaches;
CREATE INDEX breaches_by_space ON breaches(space_id, created_at);

-- When one of its partners left: such a space takes no new partner, since its journeys
-- belong to the relationship that was.
ALTER TABLE spaces ADD COLUMN departed_at INTEGER;
COMMIT;
PRAGMA foreign_keys = ON;
