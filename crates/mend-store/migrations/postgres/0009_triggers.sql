-- "I'm triggered" signals from the hurt partner, each with an optional note and the repairing
-- partner's reply. Texts are sealed with the space key: both partners read them.
CREATE TABLE triggers (
    id UUID PRIMARY KEY NOT NULL,
    breach_id UUID NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    person_id UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    note_sealed BYTEA,
    created_at BIGINT NOT NULL,
    reply_sealed BYTEA,
    replied_at BIGINT
);
CREATE INDEX triggers_by_breach ON triggers(breach_id, created_at);
