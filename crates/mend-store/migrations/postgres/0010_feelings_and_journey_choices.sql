-- What the partners choose along a journey: rhythms, muting reassurance, opening "my side" and
-- the context conversation, and how the journey ended. Plain facts, no text: text stays sealed.
ALTER TABLE breaches ADD COLUMN reassurance_muted_at BIGINT;
ALTER TABLE breaches ADD COLUMN check_in_rhythm TEXT
    CHECK (check_in_rhythm IN ('daily', 'weekly', 'fortnightly', 'monthly'));
ALTER TABLE breaches ADD COLUMN recommit_rhythm TEXT NOT NULL DEFAULT 'weekly'
    CHECK (recommit_rhythm IN ('daily', 'weekly', 'fortnightly', 'monthly'));
ALTER TABLE breaches ADD COLUMN my_side_opened_at BIGINT;
ALTER TABLE breaches ADD COLUMN context_opened_at BIGINT;
ALTER TABLE breaches ADD COLUMN closing_proposed_at BIGINT;
ALTER TABLE breaches ADD COLUMN ended_how TEXT
    CHECK (ended_how IN ('closed_chapter', 'parted_with_care'));
ALTER TABLE breaches ADD COLUMN ended_by UUID REFERENCES people(id) ON DELETE SET NULL;
ALTER TABLE breaches ADD COLUMN ended_at BIGINT;

-- The hurt partner's response to an accountability statement; it may change later.
ALTER TABLE entries ADD COLUMN response TEXT
    CHECK (response IN ('feels_genuine', 'something_missing'));
ALTER TABLE entries ADD COLUMN response_note_sealed BYTEA;
ALTER TABLE entries ADD COLUMN responded_at BIGINT;

-- Feelings the hurt partner shares (words, intensity and text sealed together) and the
-- repairing partner's reflections, each answered "heard" or "not yet". Withdrawing keeps the
-- row and the date and forgets the text.
CREATE TABLE feelings (
    id UUID PRIMARY KEY NOT NULL,
    breach_id UUID NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    person_id UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    feeling_sealed BYTEA,
    created_at BIGINT NOT NULL,
    withdrawn_at BIGINT
);
CREATE INDEX feelings_by_breach ON feelings(breach_id, created_at);

CREATE TABLE reflections (
    id UUID PRIMARY KEY NOT NULL,
    feeling_id UUID NOT NULL REFERENCES feelings(id) ON DELETE CASCADE,
    author UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    body_sealed BYTEA,
    created_at BIGINT NOT NULL,
    withdrawn_at BIGINT,
    verdict TEXT CHECK (verdict IN ('heard', 'not_yet')),
    missed_sealed BYTEA,
    verdict_at BIGINT
);
CREATE INDEX reflections_by_feeling ON reflections(feeling_id, created_at);
