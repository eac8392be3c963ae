-- A feeling waits for one reflection at a time: at most one that is neither withdrawn nor
-- answered "not yet". The insert already checks this, but two inserts at the same moment on
-- PostgreSQL could each miss the other; the index refuses the second.
CREATE UNIQUE INDEX reflections_one_waiting ON reflections(feeling_id)
    WHERE withdrawn_at IS NULL AND (verdict IS NULL OR verdict = 'heard');
