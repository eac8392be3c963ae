-- Issue 12: what waits for whom is counted in the database, against when each person last
-- opened the page where an item is read. A written entry's page is now recorded under its
-- kind's stored name, so the count can match `entries.kind` to `seen.section` directly.
UPDATE seen SET section = 'acknowledgement' WHERE section = 'acknowledge';
UPDATE seen SET section = 'disclosure' WHERE section = 'disclosures';
UPDATE seen SET section = 'recommitment' WHERE section = 'recommit';
UPDATE seen SET section = 'my_side' WHERE section = 'my-side';

-- What the partner sent since a visit is read as a range of times, so the count reads only
-- the items after the last visit, not the whole history before it.
CREATE INDEX entries_sent_by_kind ON entries(breach_id, kind, sent_at);
CREATE INDEX evidence_shared ON evidence(breach_id, shared_at);
CREATE INDEX journal_entries_shared ON journal_entries(space_id, shared_at);
