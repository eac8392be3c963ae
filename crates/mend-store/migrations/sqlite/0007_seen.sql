-- When each person last looked at each part of a journey, for "new since your last visit".
CREATE TABLE seen (
    person_id BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    breach_id BLOB NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    section TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (person_id, breach_id, section)
);
