-- What waits for a person is kept between requests (issue 13), under a version of their space
-- that the database itself raises on every change to a table the facts of what waits are read
-- from ("WaitingStore::waiting_facts"), so a page reads one small row instead of the facts, and
-- no write can forget to invalidate them. A space without a row is at version 0. The table is
-- a counter, not data: backups leave it out, and deleting the space deletes its row.
-- On PostgreSQL the triggers are deferred to the commit, so the counter's row is the last lock
-- a transaction takes and two transactions cannot wait for each other on it.

CREATE TABLE space_changes (
    space_id UUID PRIMARY KEY NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    version BIGINT NOT NULL
);

-- A change to a row of a space (a journey, a membership, the journal) or of a journey (the rest):
-- its space moves on, if it is still there.
CREATE FUNCTION space_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed JSONB;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := to_jsonb(OLD);
    ELSE
        changed := to_jsonb(NEW);
    END IF;
    INSERT INTO space_changes (space_id, version)
        SELECT s.id, 1 FROM spaces s
        WHERE s.id = COALESCE((changed ->> 'space_id')::UUID,
            (SELECT b.space_id FROM breaches b WHERE b.id = (changed ->> 'breach_id')::UUID))
        ON CONFLICT (space_id) DO UPDATE SET version = space_changes.version + 1;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER answers_changes_space AFTER INSERT OR UPDATE OR DELETE ON answers
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed();

CREATE CONSTRAINT TRIGGER check_ins_changes_space AFTER INSERT OR UPDATE OR DELETE ON check_ins
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed();

CREATE CONSTRAINT TRIGGER entries_changes_space AFTER INSERT OR UPDATE OR DELETE ON entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed();

CREATE CONSTRAINT TRIGGER evidence_changes_space AFTER INSERT OR UPDATE OR DELETE ON evidence
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed();

CREATE CONSTRAINT TRIGGER feelings_changes_space AFTER INSERT OR UPDATE OR DELETE ON feelings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed();

CREATE CONSTRAINT TRIGGER questions_changes_space AFTER INSERT OR UPDATE OR DELETE ON questions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed();

CREATE CONSTRAINT TRIGGER reflections_changes_space AFTER INSERT OR UPDATE OR DELETE ON reflections
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed();

CREATE CONSTRAINT TRIGGER seen_changes_space AFTER INSERT OR UPDATE OR DELETE ON seen
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed();

CREATE CONSTRAINT TRIGGER transparency_agreements_changes_space AFTER INSERT OR UPDATE OR DELETE ON transparency_agreements
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed();

CREATE CONSTRAINT TRIGGER triggers_changes_space AFTER INSERT OR UPDATE OR DELETE ON triggers
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed();

CREATE CONSTRAINT TRIGGER breaches_changes_space AFTER INSERT OR UPDATE OR DELETE ON breaches
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed();

CREATE CONSTRAINT TRIGGER journal_entries_changes_space AFTER INSERT OR UPDATE OR DELETE ON journal_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed();

CREATE CONSTRAINT TRIGGER journal_seen_changes_space AFTER INSERT OR UPDATE OR DELETE ON journal_seen
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed();

CREATE CONSTRAINT TRIGGER memberships_changes_space AFTER INSERT OR UPDATE OR DELETE ON memberships
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION space_changed();
