//! The mail queue and verified addresses (issue 12).

use async_trait::async_trait;
use mend_core::mail::MailKind;
use mend_core::store::{ClaimedMail, LookupHash, MailClaim, MailJobRecord, MailStore, NewMailJob};
use mend_core::{MailJobId, PersonId, StoreError, Timestamp};
use uuid::Uuid;

use crate::db::{Backend, Db};

fn kind(s: &str) -> Result<MailKind, StoreError> {
    MailKind::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown mail kind {s:?}")))
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// The claim's shared part: the first due job that no live claim holds. PostgreSQL skips the
/// rows another instance is claiming at this moment (`FOR UPDATE SKIP LOCKED`), so two
/// instances never take the same job; SQLite has one writer, so the UPDATE alone is enough.
const CLAIM_SQLITE: &str = "UPDATE mail_jobs SET attempts = attempts + 1, claim = $1, \
     claimed_until = $2 WHERE id = (SELECT id FROM mail_jobs \
     WHERE sent_at IS NULL AND gave_up_at IS NULL AND due_at <= $3 \
     AND (claimed_until IS NULL OR claimed_until <= $3) ORDER BY due_at, id LIMIT 1) \
     RETURNING id, person_id, kind, attempts, created_at";
const CLAIM_POSTGRES: &str = "UPDATE mail_jobs SET attempts = attempts + 1, claim = $1, \
     claimed_until = $2 WHERE id = (SELECT id FROM mail_jobs \
     WHERE sent_at IS NULL AND gave_up_at IS NULL AND due_at <= $3 \
     AND (claimed_until IS NULL OR claimed_until <= $3) ORDER BY due_at, id LIMIT 1 \
     FOR UPDATE SKIP LOCKED) \
     RETURNING id, person_id, kind, attempts, created_at";

type JobRow = (
    Uuid,
    Uuid,
    String,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

#[async_trait]
impl MailStore for Db {
    async fn enqueue_mail(&self, job: NewMailJob) -> Result<bool, StoreError> {
        // One statement whether or not the person has an account: for none (an unknown
        // address at "Forgot your password?", or an account deleted meanwhile) it inserts no
        // row, rather than failing on the foreign key.
        let sql = format!(
            "INSERT INTO mail_jobs (id, person_id, kind, window_start, created_at, due_at) \
             SELECT $1, $2, $3, $4, $5, $6 WHERE {} ON CONFLICT DO NOTHING",
            self.not_deleted("$2")
        );
        let added = execute!(
            self,
            &sql,
            job.id.0,
            job.person.0,
            job.kind.as_str(),
            job.window_start.map(|t| t.0),
            job.created_at.0,
            job.due_at.0
        )?;
        Ok(added == 1)
    }

    async fn claim_mail(
        &self,
        claim: &MailClaim,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> Result<Option<ClaimedMail>, StoreError> {
        let sql = match self.backend {
            Backend::Sqlite(_) => CLAIM_SQLITE,
            Backend::Postgres(_) => CLAIM_POSTGRES,
        };
        let row: Option<(Uuid, Uuid, String, i64, i64)> =
            fetch_optional!(self, sql, claim.as_slice(), lease_until.0, now.0)?;
        row.map(|(id, person, k, attempts, created)| {
            Ok(ClaimedMail {
                id: MailJobId(id),
                person: PersonId(person),
                kind: kind(&k)?,
                attempts: count(attempts),
                created_at: Timestamp(created),
                claim: *claim,
            })
        })
        .transpose()
    }

    async fn mail_sent(
        &self,
        job: MailJobId,
        claim: &MailClaim,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let n = execute!(
            self,
            "UPDATE mail_jobs SET sent_at = $3, claim = NULL, claimed_until = NULL, \
             failure = NULL WHERE id = $1 AND claim = $2 AND sent_at IS NULL",
            job.0,
            claim.as_slice(),
            at.0
        )?;
        Ok(n == 1)
    }

    async fn mail_failed(
        &self,
        job: MailJobId,
        claim: &MailClaim,
        failure: &str,
        retry_at: Option<Timestamp>,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let n =
            match retry_at {
                Some(retry) => execute!(
                    self,
                    "UPDATE mail_jobs SET due_at = $3, claim = NULL, claimed_until = NULL, \
                 failure = $4 WHERE id = $1 AND claim = $2 AND sent_at IS NULL",
                    job.0,
                    claim.as_slice(),
                    retry.0,
                    failure
                )?,
                None => {
                    execute!(self,
                "UPDATE mail_jobs SET gave_up_at = $3, claim = NULL, claimed_until = NULL, \
                 failure = $4 WHERE id = $1 AND claim = $2 AND sent_at IS NULL",
                job.0, claim.as_slice(), at.0, failure)?
                }
            };
        Ok(n == 1)
    }

    async fn forget_finished_mail(&self, before: Timestamp) -> Result<u64, StoreError> {
        execute!(
            self,
            "DELETE FROM mail_jobs WHERE (sent_at IS NOT NULL AND sent_at < $1) \
             OR (gave_up_at IS NOT NULL AND gave_up_at < $1)",
            before.0
        )
    }

    async fn forget_spent_links(&self, before: Timestamp) -> Result<u64, StoreError> {
        let mut forgotten = 0;
        for table in ["email_verifications", "password_resets"] {
            let sql = format!(
                "DELETE FROM {table} WHERE (used_at IS NOT NULL AND used_at < $1) \
                 OR expires_at < $1"
            );
            forgotten += execute!(self, &sql, before.0)?;
        }
        Ok(forgotten)
    }

    async fn mail_jobs_of(&self, person: PersonId) -> Result<Vec<MailJobRecord>, StoreError> {
        let rows: Vec<JobRow> = fetch_all!(
            self,
            "SELECT id, person_id, kind, created_at, due_at, attempts, sent_at, gave_up_at, \
             failure FROM mail_jobs WHERE person_id = $1 ORDER BY created_at, id",
            person.0
        )?;
        rows.into_iter()
            .map(
                |(id, p, k, created, due, attempts, sent, gave_up, failure)| {
                    Ok(MailJobRecord {
                        id: MailJobId(id),
                        person: PersonId(p),
                        kind: kind(&k)?,
                        created_at: Timestamp(created),
                        due_at: Timestamp(due),
                        attempts: count(attempts),
                        sent_at: sent.map(Timestamp),
                        gave_up_at: gave_up.map(Timestamp),
                        failure,
                    })
                },
            )
            .collect()
    }

    async fn create_email_verification(
        &self,
        token: &LookupHash,
        person: PersonId,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        // Guarded in the statement itself: no link for an account deleted meanwhile.
        let sql = format!(
            "INSERT INTO email_verifications (token_hash, person_id, expires_at) \
             SELECT $1, $2, $3 WHERE {}",
            self.not_deleted("$2")
        );
        let added = execute!(self, &sql, token.as_slice(), person.0, expires_at.0)?;
        if added == 0 {
            return Err(StoreError::Conflict("the account is deleted"));
        }
        Ok(())
    }

    async fn verify_email(
        &self,
        token: &LookupHash,
        now: Timestamp,
    ) -> Result<Option<PersonId>, StoreError> {
        transaction!(self, tx => {
            // The write first, so that SQLite takes its lock before anything is read and a
            // second use of the same link waits, then finds it used.
            let person: Option<Uuid> = fetch_optional!(scalar on &mut *tx,
                "UPDATE email_verifications SET used_at = $1 \
                 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
                 RETURNING person_id", now.0, token.as_slice())?;
            if let Some(person) = person {
                execute!(on &mut *tx,
                    "UPDATE people SET email_verified_at = $2 \
                     WHERE id = $1 AND email_verified_at IS NULL", person, now.0)?;
                // The address is verified: its other links are spent, and a verification
                // mail still waiting is not sent.
                execute!(on &mut *tx,
                    "UPDATE email_verifications SET used_at = $1 \
                     WHERE person_id = $2 AND used_at IS NULL", now.0, person)?;
                execute!(on &mut *tx,
                    "DELETE FROM mail_jobs WHERE person_id = $1 AND kind = $2 \
                     AND sent_at IS NULL AND gave_up_at IS NULL",
                    person, MailKind::VerifyAddress.as_str())?;
            }
            person.map(PersonId)
        })
    }

    async fn email_verified_at(&self, person: PersonId) -> Result<Option<Timestamp>, StoreError> {
        let at: Option<Option<i64>> = fetch_optional!(scalar self,
            "SELECT email_verified_at FROM people WHERE id = $1", person.0)?;
        Ok(at.flatten().map(Timestamp))
    }
}
