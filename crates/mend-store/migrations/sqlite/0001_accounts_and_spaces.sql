-- Ids are UUIDv7 (16-byte blobs), times are unix milliseconds. Free text is sealed (blobs);
-- e-mails, tokens and client addresses are stored only as keyed hashes for lookup.
CREATE TABLE people (
    id BLOB PRIMARY KEY NOT NULL,
    email_lookup BLOB NOT NULL UNIQUE,
    email_sealed BLOB NOT NULL,
    name_sealed BLOB NOT NULL,
    password_hash TEXT NOT NULL,
    wrapped_key BLOB NOT NULL,
    safety_cleared_at INTEGER,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_person ON sessions(person_id);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key_hash BLOB NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures(key_hash, at);

CREATE TABLE safety_checks (
    person_id BLOB PRIMARY KEY NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    answers_sealed BLOB NOT NULL,
    answered_at INTEGER NOT NULL
);

CREATE TABLE spaces (
    id BLOB PRIMARY KEY NOT NULL,
    wrapped_key BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

-- Two seats per space and one space per person, enforced by the keys themselves.
CREATE TABLE memberships (
    space_id BLOB NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    person_id BLOB NOT NULL UNIQUE REFERENCES people(id) ON DELETE CASCADE,
    seat INTEGER NOT NULL CHECK (seat IN (1, 2)),
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (space_id, seat)
);

CREATE TABLE invites (
    id BLOB PRIMARY KEY NOT NULL,
    space_id BLOB NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    created_by BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    code_lookup BLOB NOT NULL UNIQUE,
    code_sealed BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    used_by BLOB REFERENCES people(id) ON DELETE SET NULL,
    revoked_at INTEGER
);
CREATE INDEX invites_by_space ON invites(space_id);

CREATE TABLE password_resets (
    token_hash BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
