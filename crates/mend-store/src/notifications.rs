//! Notification choices, the last message's time, and the one pending "something waits"
//! message per person (issue 12). The partial unique index `mail_jobs_one_pending_notice`
//! keeps it one even when writes race to queue it.

use async_trait::async_trait;
use mend_core::mail::MailKind;
use mend_core::notification::{Cadence, NotificationChoice, QuietHours, Topics, Wording};
use mend_core::store::{MailClaim, NoticeRecipient, NotificationStore};
use mend_core::{MailJobId, PersonId, StoreError, Timestamp};
use uuid::Uuid;

use crate::db::Db;

/// A pending notice: not sent, not given up.
const PENDING: &str = "person_id = $1 AND kind = 'something_waits' AND sent_at IS NULL \
     AND gave_up_at IS NULL";

type ChoiceRow = (
    String,
    i64,
    Option<i64>,
    Option<i64>,
    String,
    String,
    i64,
    Option<i64>,
    Option<String>,
    Option<i64>,
);

fn hour(n: i64) -> Result<u8, StoreError> {
    u8::try_from(n)
        .ok()
        .filter(|h| *h < 24)
        .ok_or_else(|| StoreError::Corrupt(format!("an hour {n}")))
}

fn choice(row: &ChoiceRow) -> Result<NotificationChoice, StoreError> {
    let (cadence, digest, start, end, topics, wording, at_once, ..) = row;
    let cadence = Cadence::parse(cadence, hour(*digest)?)
        .ok_or_else(|| StoreError::Corrupt(format!("a cadence {cadence:?}")))?;
    let quiet = match (start, end) {
        (Some(s), Some(e)) => Some(
            QuietHours::new(hour(*s)?, hour(*e)?)
                .map_err(|_| StoreError::Corrupt("quiet hours".into()))?,
        ),
        _ => None,
    };
    Ok(NotificationChoice {
        cadence,
        quiet,
        topics: Topics::from_stored(topics),
        wording: Wording::parse(wording)
            .ok_or_else(|| StoreError::Corrupt(format!("a wording {wording:?}")))?,
        triggers_at_once: *at_once != 0,
    })
}

#[async_trait]
impl NotificationStore for Db {
    async fn notice_recipient(
        &self,
        person: PersonId,
    ) -> Result<Option<NoticeRecipient>, StoreError> {
        let row: Option<ChoiceRow> = fetch_optional!(
            self,
            "SELECT c.cadence, c.digest_hour, c.quiet_start, c.quiet_end, c.topics, c.wording, \
             c.triggers_at_once, c.last_sent_at, p.time_zone, p.email_verified_at \
             FROM notification_choices c JOIN people p ON p.id = c.person_id \
             WHERE c.person_id = $1 AND p.password_hash <> ''",
            person.0
        )?;
        row.map(|row| {
            Ok(NoticeRecipient {
                person,
                choice: choice(&row)?,
                last_sent: row.7.map(Timestamp),
                time_zone: row.8.clone(),
                verified: row.9.is_some(),
            })
        })
        .transpose()
    }

    async fn choose_notifications(
        &self,
        person: PersonId,
        c: &NotificationChoice,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let digest_hour = match c.cadence {
            Cadence::Digest { hour } => hour,
            Cadence::Off | Cadence::Soon => 0,
        };
        let sql = format!(
            "INSERT INTO notification_choices (person_id, cadence, digest_hour, quiet_start, \
             quiet_end, topics, wording, triggers_at_once, chosen_at) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE {} \
             ON CONFLICT (person_id) DO UPDATE SET cadence = excluded.cadence, \
             digest_hour = excluded.digest_hour, quiet_start = excluded.quiet_start, \
             quiet_end = excluded.quiet_end, topics = excluded.topics, \
             wording = excluded.wording, triggers_at_once = excluded.triggers_at_once, \
             chosen_at = excluded.chosen_at",
            self.not_deleted("$1")
        );
        let n = execute!(
            self,
            &sql,
            person.0,
            c.cadence.as_str(),
            i64::from(digest_hour),
            c.quiet.map(|q| i64::from(q.start())),
            c.quiet.map(|q| i64::from(q.end())),
            c.topics.to_stored(),
            c.wording.as_str(),
            i64::from(c.triggers_at_once),
            at.0
        )?;
        if n == 0 {
            return Err(StoreError::Conflict("the account is deleted"));
        }
        Ok(())
    }

    async fn partner_of(&self, person: PersonId) -> Result<Option<PersonId>, StoreError> {
        let other: Option<Uuid> = fetch_optional!(scalar self,
            "SELECT o.person_id FROM memberships m JOIN memberships o \
             ON o.space_id = m.space_id AND o.person_id <> m.person_id WHERE m.person_id = $1",
            person.0)?;
        Ok(other.map(PersonId))
    }

    async fn people_with_notices_on(
        &self,
        after: Option<PersonId>,
        limit: u32,
    ) -> Result<Vec<PersonId>, StoreError> {
        let ids: Vec<Uuid> = fetch_all!(scalar self,
            "SELECT c.person_id FROM notification_choices c JOIN people p ON p.id = c.person_id \
             WHERE c.cadence <> 'off' AND p.email_verified_at IS NOT NULL \
             AND p.password_hash <> '' AND c.person_id > $1 ORDER BY c.person_id LIMIT $2",
            after.map_or(Uuid::nil(), |p| p.0), i64::from(limit))?;
        Ok(ids.into_iter().map(PersonId).collect())
    }

    async fn ensure_notice(
        &self,
        id: MailJobId,
        person: PersonId,
        due_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        // The insert first: a second one, at the same moment or later, meets the unique
        // index of pending notices and adds nothing; it then only brings that one forward.
        let sql = format!(
            "INSERT INTO mail_jobs (id, person_id, kind, window_start, created_at, due_at) \
             SELECT $1, $2, $3, NULL, $4, $5 WHERE {} ON CONFLICT DO NOTHING",
            self.not_deleted("$2")
        );
        let added = execute!(
            self,
            &sql,
            id.0,
            person.0,
            MailKind::SomethingWaits.as_str(),
            now.0,
            due_at.0
        )?;
        if added == 1 {
            return Ok(true);
        }
        let sql = format!(
            "UPDATE mail_jobs SET due_at = $2 WHERE {PENDING} AND due_at > $2 \
             AND (claimed_until IS NULL OR claimed_until <= $3)"
        );
        execute!(self, &sql, person.0, due_at.0, now.0)?;
        Ok(false)
    }

    async fn reschedule_notice(
        &self,
        person: PersonId,
        due_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let free = "(claimed_until IS NULL OR claimed_until <= $2)";
        match due_at {
            Some(due) => {
                let sql = format!("UPDATE mail_jobs SET due_at = $3 WHERE {PENDING} AND {free}");
                execute!(self, &sql, person.0, now.0, due.0)?;
            }
            None => {
                let sql = format!("DELETE FROM mail_jobs WHERE {PENDING} AND {free}");
                execute!(self, &sql, person.0, now.0)?;
            }
        }
        Ok(())
    }

    async fn notice_sent(
        &self,
        job: MailJobId,
        claim: &MailClaim,
        person: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        transaction!(self, tx => {
            let n = execute!(on &mut *tx,
                "UPDATE mail_jobs SET sent_at = $3, claim = NULL, claimed_until = NULL, \
                 failure = NULL WHERE id = $1 AND claim = $2 AND sent_at IS NULL",
                job.0, claim.as_slice(), at.0)?;
            if n == 1 {
                execute!(on &mut *tx,
                    "UPDATE notification_choices SET last_sent_at = $2 WHERE person_id = $1",
                    person.0, at.0)?;
            }
            n == 1
        })
    }

    async fn notice_postponed(
        &self,
        job: MailJobId,
        claim: &MailClaim,
        until: Timestamp,
    ) -> Result<bool, StoreError> {
        // Not a failed try: the count goes back, so quiet nights never use up the retries.
        let n = execute!(
            self,
            "UPDATE mail_jobs SET due_at = $3, claim = NULL, claimed_until = NULL, \
             attempts = attempts - 1 WHERE id = $1 AND claim = $2 AND sent_at IS NULL",
            job.0,
            claim.as_slice(),
            until.0
        )?;
        Ok(n == 1)
    }
}
