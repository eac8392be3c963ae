-- The space's state kept between requests (issue 13) holds its partners' stored names and its
-- journeys' areas too, so a change to either moves the state on. A person's row changes only
-- while they are seated or after (a new person has no seat; an account is emptied, not
-- deleted), so updates are what count.

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
