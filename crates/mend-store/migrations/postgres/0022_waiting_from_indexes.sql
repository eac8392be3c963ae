-- What waits, answered from indexes (issue 13): the count of what waits on every page read the
-- whole history of a long journey (every question for the open ones, every reflection for
-- new verdicts, every answer through its question). These columns and partial indexes let
-- each count read only the open items and the items after the person's last visit.

-- An answer's journey, copied from its question when it is written, so the answers that wait
-- for a response and the responses after a visit are found per journey.
ALTER TABLE answers ADD COLUMN breach_id UUID REFERENCES breaches(id) ON DELETE CASCADE;
UPDATE answers SET breach_id = (SELECT q.breach_id FROM questions q WHERE q.id = answers.question_id);
CREATE INDEX answers_unresponded ON answers(breach_id) WHERE response IS NULL AND withdrawn_at IS NULL;
CREATE INDEX answers_responded ON answers(breach_id, responded_at) WHERE responded_at IS NOT NULL;

-- When a feeling was heard: the time of its live "heard" verdict, NULL while it is still being
-- listened to. Every write to its reflections' verdicts or withdrawals sets it again in the
-- same transaction.
ALTER TABLE feelings ADD COLUMN heard_at BIGINT;
UPDATE feelings SET heard_at = (SELECT MAX(r.verdict_at) FROM reflections r
    WHERE r.feeling_id = feelings.id AND r.withdrawn_at IS NULL AND r.verdict = 'heard');
CREATE INDEX feelings_unheard ON feelings(breach_id) WHERE withdrawn_at IS NULL AND heard_at IS NULL;
CREATE INDEX feelings_heard ON feelings(breach_id, heard_at) WHERE heard_at IS NOT NULL;

CREATE INDEX questions_in_person ON questions(breach_id, in_person_at) WHERE in_person_at IS NOT NULL;
CREATE INDEX triggers_unanswered ON triggers(breach_id) WHERE replied_at IS NULL;
CREATE INDEX triggers_replied ON triggers(breach_id, replied_at) WHERE replied_at IS NOT NULL;
