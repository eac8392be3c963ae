-- Transparency agreements the repairing partner offers in a journey, for a period of days.
-- A renewal is a new offer that renews an accepted one; starts_at is set on acceptance (for a
-- renewal of a running agreement, the day the old one ends). The end is starts_at plus the
-- period, worked out when read. The text is sealed with the space key: both partners read it.
CREATE TABLE transparency_agreements (
    id BLOB PRIMARY KEY NOT NULL,
    breach_id BLOB NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    offered_by BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    text_sealed BLOB NOT NULL,
    period_days INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('offered', 'accepted', 'declined', 'withdrawn')),
    renews BLOB REFERENCES transparency_agreements(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    decided_at INTEGER,
    starts_at INTEGER
);
CREATE INDEX transparency_agreements_by_breach ON transparency_agreements(breach_id, created_at);
-- One renewal at a time: two offers to renew the same agreement cannot both be open or agreed.
CREATE UNIQUE INDEX transparency_agreements_one_renewal ON transparency_agreements(renews)
    WHERE state IN ('offered', 'accepted');
