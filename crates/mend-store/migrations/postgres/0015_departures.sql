-- Leaving a space and deleting an account (issue 11).
--
-- A journey whose partner has left Mend, or left the space, ends "partner_left"; the journey
-- stays readable to the one who remains, as every ended journey does.
ALTER TABLE breaches DROP CONSTRAINT breaches_ended_how_check;
ALTER TABLE breaches ADD CONSTRAINT breaches_ended_how_check
    CHECK (ended_how IN ('closed_chapter', 'parted_with_care', 'partner_left'));

-- When one of its partners left: such a space takes no new partner, since its journeys
-- belong to the relationship that was.
ALTER TABLE spaces ADD COLUMN departed_at BIGINT;
