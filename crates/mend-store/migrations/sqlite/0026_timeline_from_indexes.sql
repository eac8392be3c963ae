-- The timeline and the questions page read only what they show (issue 13): each of the
-- timeline's sources is read newest first from an index of (journey, time, id), so a window
-- stops after its rows instead of sorting every event of its kind in a long journey; answers
-- and reflections are found by their own journey, not through every question or feeling.

-- A reflection's journey, copied from its feeling when it is written.
ALTER TABLE reflections ADD COLUMN breach_id BLOB REFERENCES breaches(id) ON DELETE CASCADE;
UPDATE reflections SET breach_id = (SELECT f.breach_id FROM feelings f WHERE f.id = reflections.feeling_id);
CREATE INDEX reflections_by_breach ON reflections(breach_id, created_at, id);
CREATE INDEX reflections_verdicts ON reflections(breach_id, verdict_at, id) WHERE verdict_at IS NOT NULL;

CREATE INDEX answers_by_breach ON answers(breach_id, created_at, id);

CREATE INDEX entries_sent ON entries(breach_id, sent_at, id) WHERE sent_at IS NOT NULL;
CREATE INDEX entries_withdrawn ON entries(breach_id, withdrawn_at, id) WHERE withdrawn_at IS NOT NULL;
CREATE INDEX entries_received ON entries(breach_id, received_at, id) WHERE received_at IS NOT NULL;
CREATE INDEX entries_responded ON entries(breach_id, responded_at, id) WHERE responded_at IS NOT NULL;
