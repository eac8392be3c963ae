-- Ids are UUIDv7 (native uuid), times are unix milliseconds. Free text is sealed (bytea);
-- e-mails, tokens and client addresses are stored only as keyed hashes for lookup.
CREATE TABLE people (
    id UUID PRIMARY KEY NOT NULL,
    email_lookup BYTEA NOT NULL UNIQUE,
    email_sealed BYTEA NOT NULL,
    name_sealed BYTEA NOT NULL,
    password_hash TEXT NOT NULL,
    wrapped_key BYTEA NOT NULL,
    safety_cleared_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY NOT NULL,
    person_id UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_person ON sessions(person_id);

CREATE TABLE login_failures (
    id BIGSERIAL PRIMARY KEY,
    key_hash BYTEA NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures(key_hash, at);

CREATE TABLE safety_checks (
    person_id UUID PRIMARY KEY NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    answers_sealed BYTEA NOT NULL,
    answered_at BIGINT NOT NULL
);

CREATE TABLE spaces (
    id UUID PRIMARY KEY NOT NULL,
    wrapped_key BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

-- Two seats per space and one space per person, enforced by the keys themselves.
CREATE TABLE memberships (
    space_id UUID NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    person_id UUID NOT NULL UNIQUE REFERENCES people(id) ON DELETE CASCADE,
    seat BIGINT NOT NULL CHECK (seat IN (1, 2)),
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (space_id, seat)
);

CREATE TABLE invites (
    id UUID PRIMARY KEY NOT NULL,
    space_id UUID NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    created_by UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    code_lookup BYTEA NOT NULL UNIQUE,
    code_sealed BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    used_by UUID REFERENCES people(id) ON DELETE SET NULL,
    revoked_at BIGINT
);
CREATE INDEX invites_by_space ON invites(space_id);

CREATE TABLE password_resets (
    token_hash BYTEA PRIMARY KEY NOT NULL,
    person_id UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
