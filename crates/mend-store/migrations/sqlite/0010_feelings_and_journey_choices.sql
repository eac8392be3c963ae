-- What the partners choose along a journey: rhythms, muting reassurance, opening "my side" and
-- the context conversation, and how the journey ended. Plain facts, no text: text stays sealed.
ALTER TABLE breaches ADD COLUMN reassurance_muted_at INTEGER;
ALTER TABLE breaches ADD COLUMN check_in_rhythm TEXT
    CHECK (check_in_rhythm IN ('daily', 'weekly', 'fortnightly', 'monthly'));
ALTER TABLE breaches ADD COLUMN recommit_rhythm TEXT NOT NULL DEFAULT 'weekly'
    CHECK (recommit_rhythm IN ('daily', 'weekly', 'fortnightly', 'monthly'));
ALTER TABLE breaches ADD COLUMN my_side_opened_at INTEGER;
ALTER TABLE breaches ADD COLUMN context_opened_at INTEGER;
ALTER TABLE breaches ADD COLUMN closing_proposed_at INTEGER;
ALTER TABLE breaches ADD COLUMN ended_how TEXT
    CHECK (ended_how IN ('closed_chapter', 'parted_with_care'));
ALTER TABLE breaches ADD COLUMN ended_by BLOB REFERENCES people(id) ON DELETE SET NULL;
ALTER TABLE breaches ADD COLUMN ended_at INTEGER;

-- The hurt partner's response to an accountability statement; it may change later.
ALTER TABLE entries ADD COLUMN response TEXT
    CHECK (response IN ('feels_genuine', 'something_missing'));
ALTER TABLE entries ADD COLUMN response_note_sealed BLOB;
ALTER TABLE entries ADD COLUMN responded_at INTEGER;

-- Feelings the hurt partner shares (words, intensity and text sealed together) and the
-- repairing partner's reflections, each answered "heard" or "not yet". Withdrawing keeps the
-- row and the date and forgets the text.
CREATE TABLE feelings (
    id BLOB PRIMARY KEY NOT NULL,
    breach_id BLOB NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    person_id BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    feeling_sealed BLOB,
    created_at INTEGER NOT NULL,
    withdrawn_at INTEGER
);
CREATE INDEX feelings_by_breach ON feelings(breach_id, created_at);

CREATE TABLE reflections (
    id BLOB PRIMARY KEY NOT NULL,
    feeling_id BLOB NOT NULL REFERENCES feelings(id) ON DELETE CASCADE,
    author BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    body_sealed BLOB,
    created_at INTEGER NOT NULL,
    withdrawn_at INTEGER,
    verdict TEXT CHECK (verdict IN ('heard', 'not_yet')),
    missed_sealed BLOB,
    verdict_at INTEGER
);
CREATE INDEX reflections_by_feeling ON reflections(feeling_id, created_at);
