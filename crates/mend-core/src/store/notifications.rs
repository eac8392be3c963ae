//! What each person chose about notifications, when their last one went, and the one
//! pending "something waits" message per person (issue 12).
//!
//! The choices are stored in the clear: they are a cadence, hours and names of topics, never
//! a word anyone wrote (see `docs/security.md`).

use async_trait::async_trait;

use super::{MailClaim, StoreError};
use crate::ids::{MailJobId, PersonId};
use crate::notification::NotificationChoice;
use crate::time::Timestamp;

/// A person's notification settings as stored, with what planning their next message needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeRecipient {
    pub person: PersonId,
    pub choice: NotificationChoice,
    /// When the last "something waits" message went to them.
    pub last_sent: Option<Timestamp>,
    /// Their time zone's IANA name, as stored on their account.
    pub time_zone: Option<String>,
    /// Whether their address is verified: nothing goes to one that is not.
    pub verified: bool,
}

#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// The person's choice and what planning needs; none when they never chose (that is off)
    /// or the account is deleted.
    async fn notice_recipient(
        &self,
        person: PersonId,
    ) -> Result<Option<NoticeRecipient>, StoreError>;

    /// Keeps the person's choice (a first one, or a change).
    async fn choose_notifications(
        &self,
        person: PersonId,
        choice: &NotificationChoice,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    /// The other partner of `person`'s space, if there is one.
    async fn partner_of(&self, person: PersonId) -> Result<Option<PersonId>, StoreError>;

    /// Up to `limit` people, after `after` in id order, whose messages are on and whose
    /// address is verified: the worker's periodic look at reminders.
    async fn people_with_notices_on(
        &self,
        after: Option<PersonId>,
        limit: u32,
    ) -> Result<Vec<PersonId>, StoreError>;

    /// Makes sure one "something waits" message is pending for the person, due no later than
    /// `due_at`: queues one (under `id`) if none is pending, or brings the pending one forward.
    /// Two callers at once still leave one. True when it queued a new one.
    async fn ensure_notice(
        &self,
        id: MailJobId,
        person: PersonId,
        due_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Moves the pending message to `due_at`, earlier or later, or removes it when none is
    /// due; one a worker is sending right now is left to it.
    async fn reschedule_notice(
        &self,
        person: PersonId,
        due_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// The claimed message was sent at `at`: marks it sent and keeps `at` as the person's
    /// last message, together. False when the claim was lost.
    async fn notice_sent(
        &self,
        job: MailJobId,
        claim: &MailClaim,
        person: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// The claimed message may not go yet (quiet hours): due again at `until`, as if never
    /// tried. False when the claim was lost.
    async fn notice_postponed(
        &self,
        job: MailJobId,
        claim: &MailClaim,
        until: Timestamp,
    ) -> Result<bool, StoreError>;
}
