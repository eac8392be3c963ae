-- What every page of a space reads about it (its key, its partners with their stored names
-- and author keys, its journeys and their areas, when a partner left;
-- "SpaceStateStore::space_state") is kept between requests too (issue 13), under a second
-- counter that only changes to those raise: a visit marking something seen moves the space's
-- version but leaves its state kept. A space's row and a person's are only ever updated while
-- anything is kept for them (a new space has no counter yet and a deleted one takes it with it;
-- a new person has no seat, and an account is emptied, not deleted), so updates are what count.
-- Their triggers call the function with the argument 'state'. A space's own row names it by
-- its id, and a person's row names it through their seat.

ALTER TABLE space_changes ADD COLUMN state_version BIGINT NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION space_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed JSONB;
    state_moves INTEGER := CASE WHEN TG_NARGS > 0 AND TG_ARGV[0] = 'state' THEN 1 ELSE 0 END;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := to_jsonb(OLD);
    ELSE
        changed := to_jsonb(NEW);
    END IF;
    INSERT INTO space_changes (space_id, version, state_version)
        SELECT s.id, 1, state_moves FROM spaces s
        WHERE s.id = COALESCE((changed ->> 'space_id')::UUID,
            (SELECT b.space_id FROM breaches b WHERE b.id = (changed ->> 'breach_id')::UUID),
            CASE WHEN TG_TABLE_NAME = 'spaces' THEN (changed ->> 'id')::UUID END,
            CASE WHEN TG_TABLE_NAME = 'people' THEN (SELECT m.space_id FROM memberships m
                WHERE m.person_id = (changed ->> 'id')::UUID) END)
        ON CONFLICT (space_id) DO UPDATE SET version = space_changes.version + 1,
            state_version = space_changes.state_version + state_moves;
    RETURN NULL;
END
$$;

DROP TRIGGER breaches_changes_space ON breaches;
DROP TRIGGER memberships_changes_space ON memberships;

CREATE CONSTRAINT TRIGGER breaches_changes_space AFTER INSERT OR UPDATE OR DELETE ON breaches
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed('state');

CREATE CONSTRAINT TRIGGER memberships_changes_space AFTER INSERT OR UPDATE OR DELETE ON memberships
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed('state');

CREATE CONSTRAINT TRIGGER spaces_changes_space AFTER UPDATE ON spaces
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed('state');

CREATE CONSTRAINT TRIGGER author_keys_changes_space AFTER INSERT OR UPDATE OR DELETE ON author_keys
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed('state');

CREATE CONSTRAINT TRIGGER people_changes_space AFTER UPDATE ON people
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed('state');

CREATE CONSTRAINT TRIGGER journey_areas_changes_space AFTER INSERT OR UPDATE OR DELETE ON journey_areas
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed('state');
