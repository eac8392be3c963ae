-- What every page of a space reads about it (its key, its partners with their stored names
-- and author keys, its journeys and their areas, when a partner left;
-- "SpaceStateStore::space_state") is kept between requests too (issue 13), under a second
-- counter that only changes to those raise: a visit marking something seen moves the space's
-- version but leaves its state kept. A space's row and a person's are only ever updated while
-- anything is kept for them (a new space has no counter yet and a deleted one takes it with it;
-- a new person has no seat, and an account is emptied, not deleted), so updates are what count.

ALTER TABLE space_changes ADD COLUMN state_version INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER breaches_insert_changes_space;
DROP TRIGGER breaches_update_changes_space;
DROP TRIGGER breaches_delete_changes_space;
DROP TRIGGER memberships_insert_changes_space;
DROP TRIGGER memberships_update_changes_space;
DROP TRIGGER memberships_delete_changes_space;

CREATE TRIGGER breaches_insert_changes_space AFTER INSERT ON breaches BEGIN
    INSERT INTO space_changes (space_id, version, state_version) SELECT s.id, 1, 1 FROM spaces s WHERE s.id = NEW.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1, state_version = state_version + 1;
END;

CREATE TRIGGER breaches_update_changes_space AFTER UPDATE ON breaches BEGIN
    INSERT INTO space_changes (space_id, version, state_version) SELECT s.id, 1, 1 FROM spaces s WHERE s.id = NEW.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1, state_version = state_version + 1;
END;

CREATE TRIGGER breaches_delete_changes_space AFTER DELETE ON breaches BEGIN
    INSERT INTO space_changes (space_id, version, state_version) SELECT s.id, 1, 1 FROM spaces s WHERE s.id = OLD.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1, state_version = state_version + 1;
END;

CREATE TRIGGER memberships_insert_changes_space AFTER INSERT ON memberships BEGIN
    INSERT INTO space_changes (space_id, version, state_version) SELECT s.id, 1, 1 FROM spaces s WHERE s.id = NEW.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1, state_version = state_version + 1;
END;

CREATE TRIGGER memberships_update_changes_space AFTER UPDATE ON memberships BEGIN
    INSERT INTO space_changes (space_id, version, state_version) SELECT s.id, 1, 1 FROM spaces s WHERE s.id = NEW.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1, state_version = state_version + 1;
END;

CREATE TRIGGER memberships_delete_changes_space AFTER DELETE ON memberships BEGIN
    INSERT INTO space_changes (space_id, version, state_version) SELECT s.id, 1, 1 FROM spaces s WHERE s.id = OLD.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1, state_version = state_version + 1;
END;

CREATE TRIGGER spaces_update_changes_space AFTER UPDATE ON spaces BEGIN
    INSERT INTO space_changes (space_id, version, state_version) VALUES (NEW.id, 1, 1)
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1, state_version = state_version + 1;
END;

CREATE TRIGGER author_keys_insert_changes_space AFTER INSERT ON author_keys BEGIN
    INSERT INTO space_changes (space_id, version, state_version) SELECT s.id, 1, 1 FROM spaces s WHERE s.id = NEW.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1, state_version = state_version + 1;
END;

CREATE TRIGGER author_keys_update_changes_space AFTER UPDATE ON author_keys BEGIN
    INSERT INTO space_changes (space_id, version, state_version) SELECT s.id, 1, 1 FROM spaces s WHERE s.id = NEW.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1, state_version = state_version + 1;
END;

CREATE TRIGGER author_keys_delete_changes_space AFTER DELETE ON author_keys BEGIN
    INSERT INTO space_changes (space_id, version, state_version) SELECT s.id, 1, 1 FROM spaces s WHERE s.id = OLD.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1, state_version = state_version + 1;
END;

CREATE TRIGGER people_update_changes_space AFTER UPDATE ON people BEGIN
    INSERT INTO space_changes (space_id, version, state_version) SELECT m.space_id, 1, 1 FROM memberships m WHERE m.person_id = NEW.id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1, state_version = state_version + 1;
END;

CREATE TRIGGER journey_areas_insert_changes_space AFTER INSERT ON journey_areas BEGIN
    INSERT INTO space_changes (space_id, version, state_version) SELECT b.space_id, 1, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1, state_version = state_version + 1;
END;

CREATE TRIGGER journey_areas_update_changes_space AFTER UPDATE ON journey_areas BEGIN
    INSERT INTO space_changes (space_id, version, state_version) SELECT b.space_id, 1, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1, state_version = state_version + 1;
END;

CREATE TRIGGER journey_areas_delete_changes_space AFTER DELETE ON journey_areas BEGIN
    INSERT INTO space_changes (space_id, version, state_version) SELECT b.space_id, 1, 1 FROM breaches b WHERE b.id = OLD.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1, state_version = state_version + 1;
END;
