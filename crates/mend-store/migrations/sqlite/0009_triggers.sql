-- "I'm triggered" signals from the hurt partner, each with an optional note and the repairing
-- partner's reply. Texts are sealed with the space key: both partners read them.
CREATE TABLE triggers (
    id BLOB PRIMARY KEY NOT NULL,
    breach_id BLOB NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    person_id BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    note_sealed BLOB,
    created_at INTEGER NOT NULL,
    reply_sealed BLOB,
    replied_at INTEGER
);
CREATE INDEX triggers_by_breach ON triggers(breach_id, created_at);
