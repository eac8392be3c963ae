-- Each partner's private journal. A private entry is sealed with its author's own key; while
-- shared, its text is sealed with the space key instead so the partner can read it.
CREATE TABLE journal_entries (
    id BLOB PRIMARY KEY NOT NULL,
    space_id BLOB NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    author BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    text_sealed BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    shared_at INTEGER
);
CREATE INDEX journal_entries_by_space ON journal_entries(space_id, created_at);

-- When each person last opened their journal page, for "new since your last visit" on what the
-- partner shared. Kept per space: the journal belongs to a space, not to a journey.
CREATE TABLE journal_seen (
    person_id BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    space_id BLOB NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (person_id, space_id)
);
