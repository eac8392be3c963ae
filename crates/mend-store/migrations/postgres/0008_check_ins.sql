-- Trust check-ins of the hurt partner: a number from 0 to 10 (shared with the partner, drawn
-- as a chart) and an optional note sealed with their own key.
CREATE TABLE check_ins (
    id UUID PRIMARY KEY NOT NULL,
    breach_id UUID NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    person_id UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    trust BIGINT NOT NULL CHECK (trust BETWEEN 0 AND 10),
    note_sealed BYTEA,
    created_at BIGINT NOT NULL
);
CREATE INDEX check_ins_by_breach ON check_ins(breach_id, created_at);
