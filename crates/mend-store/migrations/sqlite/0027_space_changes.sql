-- What waits for a person is kept between requests (issue 13), under a version of their space
-- that the database itself raises on every change to a table the facts of what waits are read
-- from ("WaitingStore::waiting_facts"), so a page reads one small row instead of the facts, and
-- no write can forget to invalidate them. A space without a row is at version 0. The table is
-- a counter, not data: backups leave it out, and deleting the space deletes its row.

CREATE TABLE space_changes (
    space_id BLOB PRIMARY KEY NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    version INTEGER NOT NULL
);

CREATE TRIGGER answers_insert_changes_space AFTER INSERT ON answers BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER answers_update_changes_space AFTER UPDATE ON answers BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER answers_delete_changes_space AFTER DELETE ON answers BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = OLD.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER check_ins_insert_changes_space AFTER INSERT ON check_ins BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER check_ins_update_changes_space AFTER UPDATE ON check_ins BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER check_ins_delete_changes_space AFTER DELETE ON check_ins BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = OLD.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER entries_insert_changes_space AFTER INSERT ON entries BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER entries_update_changes_space AFTER UPDATE ON entries BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER entries_delete_changes_space AFTER DELETE ON entries BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = OLD.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER evidence_insert_changes_space AFTER INSERT ON evidence BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER evidence_update_changes_space AFTER UPDATE ON evidence BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER evidence_delete_changes_space AFTER DELETE ON evidence BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = OLD.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER feelings_insert_changes_space AFTER INSERT ON feelings BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER feelings_update_changes_space AFTER UPDATE ON feelings BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER feelings_delete_changes_space AFTER DELETE ON feelings BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = OLD.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER questions_insert_changes_space AFTER INSERT ON questions BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER questions_update_changes_space AFTER UPDATE ON questions BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER questions_delete_changes_space AFTER DELETE ON questions BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = OLD.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER reflections_insert_changes_space AFTER INSERT ON reflections BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER reflections_update_changes_space AFTER UPDATE ON reflections BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER reflections_delete_changes_space AFTER DELETE ON reflections BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = OLD.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER seen_insert_changes_space AFTER INSERT ON seen BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER seen_update_changes_space AFTER UPDATE ON seen BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER seen_delete_changes_space AFTER DELETE ON seen BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = OLD.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER transparency_agreements_insert_changes_space AFTER INSERT ON transparency_agreements BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER transparency_agreements_update_changes_space AFTER UPDATE ON transparency_agreements BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER transparency_agreements_delete_changes_space AFTER DELETE ON transparency_agreements BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = OLD.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER triggers_insert_changes_space AFTER INSERT ON triggers BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER triggers_update_changes_space AFTER UPDATE ON triggers BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = NEW.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER triggers_delete_changes_space AFTER DELETE ON triggers BEGIN
    INSERT INTO space_changes (space_id, version) SELECT b.space_id, 1 FROM breaches b WHERE b.id = OLD.breach_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER breaches_insert_changes_space AFTER INSERT ON breaches BEGIN
    INSERT INTO space_changes (space_id, version) SELECT s.id, 1 FROM spaces s WHERE s.id = NEW.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER breaches_update_changes_space AFTER UPDATE ON breaches BEGIN
    INSERT INTO space_changes (space_id, version) SELECT s.id, 1 FROM spaces s WHERE s.id = NEW.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER breaches_delete_changes_space AFTER DELETE ON breaches BEGIN
    INSERT INTO space_changes (space_id, version) SELECT s.id, 1 FROM spaces s WHERE s.id = OLD.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER journal_entries_insert_changes_space AFTER INSERT ON journal_entries BEGIN
    INSERT INTO space_changes (space_id, version) SELECT s.id, 1 FROM spaces s WHERE s.id = NEW.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER journal_entries_update_changes_space AFTER UPDATE ON journal_entries BEGIN
    INSERT INTO space_changes (space_id, version) SELECT s.id, 1 FROM spaces s WHERE s.id = NEW.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER journal_entries_delete_changes_space AFTER DELETE ON journal_entries BEGIN
    INSERT INTO space_changes (space_id, version) SELECT s.id, 1 FROM spaces s WHERE s.id = OLD.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER journal_seen_insert_changes_space AFTER INSERT ON journal_seen BEGIN
    INSERT INTO space_changes (space_id, version) SELECT s.id, 1 FROM spaces s WHERE s.id = NEW.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER journal_seen_update_changes_space AFTER UPDATE ON journal_seen BEGIN
    INSERT INTO space_changes (space_id, version) SELECT s.id, 1 FROM spaces s WHERE s.id = NEW.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER journal_seen_delete_changes_space AFTER DELETE ON journal_seen BEGIN
    INSERT INTO space_changes (space_id, version) SELECT s.id, 1 FROM spaces s WHERE s.id = OLD.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER memberships_insert_changes_space AFTER INSERT ON memberships BEGIN
    INSERT INTO space_changes (space_id, version) SELECT s.id, 1 FROM spaces s WHERE s.id = NEW.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER memberships_update_changes_space AFTER UPDATE ON memberships BEGIN
    INSERT INTO space_changes (space_id, version) SELECT s.id, 1 FROM spaces s WHERE s.id = NEW.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER memberships_delete_changes_space AFTER DELETE ON memberships BEGIN
    INSERT INTO space_changes (space_id, version) SELECT s.id, 1 FROM spaces s WHERE s.id = OLD.space_id
    ON CONFLICT (space_id) DO UPDATE SET version = version + 1;
END;
