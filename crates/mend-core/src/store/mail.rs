//! The mail queue and verified addresses (issue 12).
//!
//! A job is a row: several instances of Mend on one PostgreSQL each claim due jobs with
//! `FOR UPDATE SKIP LOCKED`, so every message is sent once; on SQLite there is one writer. A
//! claim holds a job until its lease ends, so a job whose worker crashed is taken again.

use async_trait::async_trait;

use super::{LookupHash, StoreError};
use crate::ids::{MailJobId, PersonId};
use crate::mail::MailKind;
use crate::time::Timestamp;

/// A random id for one claim of a job, so that only the claimer may finish it.
pub type MailClaim = [u8; 16];

#[derive(Debug, Clone)]
pub struct NewMailJob {
    pub id: MailJobId,
    pub person: PersonId,
    pub kind: MailKind,
    /// One job per person, kind and window: a second request in it adds nothing.
    pub window_start: Option<Timestamp>,
    pub created_at: Timestamp,
    pub due_at: Timestamp,
}

/// A job a worker has claimed and now sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedMail {
    pub id: MailJobId,
    pub person: PersonId,
    pub kind: MailKind,
    /// Tries so far, this one included.
    pub attempts: u32,
    /// When it was asked for: a link's mail that comes too late is given up.
    pub created_at: Timestamp,
    pub claim: MailClaim,
}

/// A job as stored, for the account's own checks and for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailJobRecord {
    pub id: MailJobId,
    pub person: PersonId,
    pub kind: MailKind,
    pub created_at: Timestamp,
    pub due_at: Timestamp,
    pub attempts: u32,
    pub sent_at: Option<Timestamp>,
    pub gave_up_at: Option<Timestamp>,
    pub failure: Option<String>,
}

#[async_trait]
pub trait MailStore: Send + Sync {
    /// Queues a message; false when one of the same kind for the same person is already in
    /// the same window (nothing is added).
    async fn enqueue_mail(&self, job: NewMailJob) -> Result<bool, StoreError>;

    /// Claims the job due first at `now` that no live claim holds, until `lease_until`, and
    /// counts the try. Each due job goes to one claimer only, on any number of instances.
    async fn claim_mail(
        &self,
        claim: &MailClaim,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> Result<Option<ClaimedMail>, StoreError>;

    /// Records that the claimed job was sent. False when the claim no longer holds it.
    async fn mail_sent(
        &self,
        job: MailJobId,
        claim: &MailClaim,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Records that a try failed (`failure` is a class, never a server's answer): the job is
    /// due again at `retry_at`, or, without one, given up at `at`.
    async fn mail_failed(
        &self,
        job: MailJobId,
        claim: &MailClaim,
        failure: &str,
        retry_at: Option<Timestamp>,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Forgets jobs sent or given up before `before`, so the queue does not keep a history
    /// of who was written to when.
    async fn forget_finished_mail(&self, before: Timestamp) -> Result<u64, StoreError>;

    /// Forgets verification and reset links used or expired before `before` (swept beside
    /// the finished jobs); how many.
    async fn forget_spent_links(&self, before: Timestamp) -> Result<u64, StoreError>;

    /// Every job for `person`, oldest first.
    async fn mail_jobs_of(&self, person: PersonId) -> Result<Vec<MailJobRecord>, StoreError>;

    /// Stores the keyed hash of a new verification link for `person`'s address; refused
    /// (`Conflict`) when the account is deleted or does not exist, in the same statement.
    async fn create_email_verification(
        &self,
        token: &LookupHash,
        person: PersonId,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;

    /// Uses a verification link, once, while it is unexpired, and marks the person's address
    /// verified, in one transaction; the person's other verification links are spent and
    /// their pending verification mail dropped with it. The person it was for, or `None`
    /// (nothing changed).
    async fn verify_email(
        &self,
        token: &LookupHash,
        now: Timestamp,
    ) -> Result<Option<PersonId>, StoreError>;

    /// When the person's address was verified, if it was.
    async fn email_verified_at(&self, person: PersonId) -> Result<Option<Timestamp>, StoreError>;
}
