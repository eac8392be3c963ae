//! People, their sessions, safety answers and password resets, and log-in attempts.

use async_trait::async_trait;
use mend_crypto::{Sealed, WrappedKey};

use super::{LookupHash, Membership, SpaceVersion, StoreError};
use crate::ids::PersonId;
use crate::time::Timestamp;

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub id: PersonId,
    pub email_lookup: LookupHash,
    pub email: Sealed,
    pub name: Sealed,
    pub password_hash: String,
    pub wrapped_key: WrappedKey,
    pub created_at: Timestamp,
    /// A counsellor's account (issue 14): it reads couples' shared words through grants and
    /// never has a space of its own.
    pub counsellor: bool,
}

#[derive(Debug, Clone)]
pub struct PersonRecord {
    pub id: PersonId,
    pub email: Sealed,
    pub name: Sealed,
    pub password_hash: String,
    pub wrapped_key: WrappedKey,
    pub safety_cleared_at: Option<Timestamp>,
    pub created_at: Timestamp,
    /// The IANA name of the time zone the person uses, once chosen or detected; read it with
    /// [`crate::Zone::stored`].
    pub time_zone: Option<String>,
    /// When the account was made as a counsellor's (issue 14); `None` for a partner's.
    pub counsellor_since: Option<Timestamp>,
}

/// A live session: the person it belongs to, their seat in a space, and where that space
/// stood, read together, so a page starts from one query (issue 13).
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub person: PersonRecord,
    pub membership: Option<Membership>,
    pub space: Option<SpaceVersion>,
}

/// A random id for one log-in attempt, so that its reservations can be taken back.
pub type LoginAttemptId = [u8; 16];

/// What came of reserving a log-in attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginReservation {
    Reserved,
    Full {
        bucket: usize,
        attempts: Vec<Timestamp>,
    },
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    async fn create_person(&self, person: NewPerson) -> Result<(), StoreError>;
    async fn person(&self, id: PersonId) -> Result<Option<PersonRecord>, StoreError>;
    async fn person_by_email(&self, email: &LookupHash)
        -> Result<Option<PersonRecord>, StoreError>;
    /// Sets a new password hash and ends every session of the person except `keep`.
    async fn change_password(
        &self,
        person: PersonId,
        password_hash: &str,
        keep: Option<&LookupHash>,
    ) -> Result<(), StoreError>;

    async fn create_session(
        &self,
        token: &LookupHash,
        person: PersonId,
        created_at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;
    /// The live session of `token`, if it has not run out.
    async fn session(
        &self,
        token: &LookupHash,
        now: Timestamp,
    ) -> Result<Option<SessionRecord>, StoreError>;
    async fn end_session(&self, token: &LookupHash) -> Result<(), StoreError>;

    async fn save_safety_answers(
        &self,
        person: PersonId,
        answers: Sealed,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    async fn safety_answers(&self, person: PersonId) -> Result<Option<Sealed>, StoreError>;
    /// Records that the person chose to go on after the safety check.
    async fn clear_safety(&self, person: PersonId, at: Timestamp) -> Result<(), StoreError>;

    /// Sets the person's time zone, an IANA name already checked by [`crate::Zone::parse`].
    async fn choose_time_zone(&self, person: PersonId, zone: &str) -> Result<(), StoreError>;
    /// Sets the zone detected by the browser only if the person has none yet; whether it did.
    async fn detect_time_zone(&self, person: PersonId, zone: &str) -> Result<bool, StoreError>;

    /// Stores a reset link's keyed hash; refused (`Conflict`) in the same statement when
    /// the account is deleted or does not exist.
    async fn create_password_reset(
        &self,
        token: &LookupHash,
        person: PersonId,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;
    /// The person a reset link is for, while it is unused and unexpired.
    async fn password_reset_person(
        &self,
        token: &LookupHash,
        now: Timestamp,
    ) -> Result<Option<PersonId>, StoreError>;
    /// Uses the reset link, sets the password and ends every session, all at once; every
    /// other reset link of the person is spent and their pending reset mail dropped with it.
    async fn use_password_reset(
        &self,
        token: &LookupHash,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<Option<PersonId>, StoreError>;

    // Log-in attempts, counted before the password is checked (rules in `login_throttle`).

    /// Counts `attempt` in every bucket, all or none. Refused, naming the first full bucket
    /// (its index in `buckets`) and the times of its attempts since `since`, when a bucket
    /// already holds its limit. Concurrent reservations of one bucket are serialised, so no
    /// bucket ever holds more than its limit, on any number of instances.
    async fn reserve_login_attempt(
        &self,
        attempt: &LoginAttemptId,
        buckets: &[(LookupHash, usize)],
        since: Timestamp,
        at: Timestamp,
    ) -> Result<LoginReservation, StoreError>;
    /// Takes back `attempt` from the buckets `take_back` (`None`: from every bucket it was
    /// counted in), and forgets every attempt in the buckets `clear`.
    async fn forget_login_attempts(
        &self,
        attempt: &LoginAttemptId,
        take_back: Option<&[LookupHash]>,
        clear: &[LookupHash],
    ) -> Result<(), StoreError>;
}
