-- Notifications (issue 12): what each person chose, and when their last message went.
-- Stored in the clear: a cadence, hours of the local clock, names of topics and of a wording,
-- never a word anyone wrote (docs/security.md). No row: never chosen, which is off.
-- cadence: 'off', 'digest' (at digest_hour) or 'soon'. quiet_start/quiet_end: local hours,
-- both NULL for none; they wrap past midnight when start > end. topics: mend-core's Topic
-- names, comma-separated. wording: mend-core's Wording. triggers_at_once: 0 or 1.
CREATE TABLE notification_choices (
    person_id UUID PRIMARY KEY NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    cadence TEXT NOT NULL,
    digest_hour BIGINT NOT NULL,
    quiet_start BIGINT,
    quiet_end BIGINT,
    topics TEXT NOT NULL,
    wording TEXT NOT NULL,
    triggers_at_once BIGINT NOT NULL,
    chosen_at BIGINT NOT NULL,
    last_sent_at BIGINT
);

-- At most one "something waits" message pending per person, whatever writes race to queue
-- it: a second insert does nothing, and planning moves the one there instead. Nothing queued
-- such messages before this migration, so none can be pending twice.
CREATE UNIQUE INDEX mail_jobs_one_pending_notice ON mail_jobs(person_id)
    WHERE kind = 'something_waits' AND sent_at IS NULL AND gave_up_at IS NULL;
