-- Mail (issue 12): verified addresses, verification links and the queue of messages to send.
-- A job names its recipient and its kind only; the address is opened from the person's sealed
-- row when it is sent, and the link a message carries is made then (only its keyed hash is
-- stored, like reset links). No job ever holds a word anyone wrote.
ALTER TABLE people ADD COLUMN email_verified_at INTEGER;

CREATE TABLE email_verifications (
    token_hash BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX email_verifications_by_person ON email_verifications(person_id);

-- kind: mend-core's MailKind. window_start: requests of one kind for one person in the same
-- window are one job (NULL: no window). claim and claimed_until: the worker sending it now;
-- a claim whose time has passed (a crashed worker) is taken again. failure: a class of
-- failure only ("connection", "refused", ...), never what a server answered.
CREATE TABLE mail_jobs (
    id BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    window_start INTEGER,
    created_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claim BLOB,
    claimed_until INTEGER,
    sent_at INTEGER,
    gave_up_at INTEGER,
    failure TEXT
);
CREATE UNIQUE INDEX mail_jobs_one_per_window ON mail_jobs(person_id, kind, window_start);
CREATE INDEX mail_jobs_due ON mail_jobs(due_at) WHERE sent_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX mail_jobs_by_person ON mail_jobs(person_id);
