-- A feeling waits for one reflection at a time: at most one that is neither withdrawn nor
-- answered "not yet". The insert already checks this, but two inserts at the same moment on
-- PostgreSQL could each miss the other; the index refuses the second.
--
-- Such a race may already have left two waiting reflections of one feeling. The earliest keeps
-- waiting; each later one is marked withdrawn as of when it was written, so it no longer waits
-- for an answer. Its words are kept and still shown: a migration erases nothing anyone wrote.
UPDATE reflections SET withdrawn_at = created_at
WHERE withdrawn_at IS NULL AND (verdict IS NULL OR verdict = 'heard')
  AND EXISTS (
    SELECT 1 FROM reflections earlier
    WHERE earlier.feeling_id = reflections.feeling_id
      AND earlier.withdrawn_at IS NULL
      AND (earlier.verdict IS NULL OR earlier.verdict = 'heard')
      AND (earlier.created_at < reflections.created_at
           OR (earlier.created_at = reflections.created_at AND earlier.id < reflections.id))
  );
CREATE UNIQUE INDEX reflections_one_waiting ON reflections(feeling_id)
    WHERE withdrawn_at IS NULL AND (verdict IS NULL OR verdict = 'heard');
