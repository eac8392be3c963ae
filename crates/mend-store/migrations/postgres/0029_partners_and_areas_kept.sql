-- The space's state kept between requests (issue 13) holds its partners' stored names and its
-- journeys' areas too, so a change to either moves the state on. A person's row names their
-- space through their seat; it changes only while they are seated or after (a new person has
-- no seat; an account is emptied, not deleted), so updates are what count.

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

CREATE CONSTRAINT TRIGGER people_changes_space AFTER UPDATE ON people
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed('state');

CREATE CONSTRAINT TRIGGER journey_areas_changes_space AFTER INSERT OR UPDATE OR DELETE ON journey_areas
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed('state');
