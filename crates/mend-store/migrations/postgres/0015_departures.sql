-- Leaving a space and deleting an account (issue 11).
--
-- A journey whose partner left the space (or Mend) ends with `Ending::PartnerLeft`: its
-- `ended_by` and `ended_at` are set as for every ending, and `partner_left_at` says how it
-- ended. `ended_how` stays empty for it, because SQLite cannot change that column's CHECK in
-- place, and rebuilding `breaches` would need foreign keys off, which sqlx's migration
-- transaction does not allow; both backends keep the same schema and SQL.
ALTER TABLE breaches ADD COLUMN partner_left_at BIGINT;

-- When one of its partners left: such a space takes no new partner, since its journeys
-- belong to the relationship that was.
ALTER TABLE spaces ADD COLUMN departed_at BIGINT;
