-- A journal or evidence entry its author shares with the counsellor, one at a time (issue 14):
-- a copy sealed with the author's key for the space, kept apart from the text the partner may
-- read, so that sharing with the counsellor never shows it to the partner.
ALTER TABLE journal_entries ADD COLUMN counsellor_copy_sealed BLOB;
ALTER TABLE journal_entries ADD COLUMN counsellor_shared_at INTEGER;
ALTER TABLE evidence ADD COLUMN counsellor_copy_sealed BLOB;
ALTER TABLE evidence ADD COLUMN counsellor_shared_at INTEGER;
