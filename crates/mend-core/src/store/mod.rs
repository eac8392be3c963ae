//! The narrow interface between Mend and its database.
//!
//! Implementations (SQLite and PostgreSQL, in `mend-store`) keep data; they decide nothing.
//! Free text crosses this boundary only as [`Sealed`](mend_crypto::Sealed); lookups of secrets
//! use keyed hashes. Operations that must not half-happen (joining a space, using a reset link)
//! are single methods, so each implementation runs them in one transaction.
//!
//! Each area of the method has its own trait, next to its records; [`Store`] is all of them, so
//! the web layer holds one `Arc<dyn Store>`. A caller that names a concrete store brings the
//! area traits into scope with `use mend_core::store::prelude::*;`.

use async_trait::async_trait;

mod accounts;
mod agreements;
mod author_keys;
mod check_ins;
mod counsellors;
mod departures;
mod entries;
mod feelings;
mod journeys;
// Mail queue and verified addresses (issue 12).
mod mail;
// Notification choices and the pending notice (issue 12).
mod notifications;
mod private_notes;
mod questions;
mod spaces;
// Issue 13: what every page of a space reads, kept between requests.
mod space_state;
// Issue 13: the timeline a window at a time.
mod timeline;
mod transparency;
mod triggers;
// Issue 12: what waits for whom.
mod waiting;

pub use accounts::{
    AccountStore, LoginAttemptId, LoginReservation, NewPerson, PersonRecord, SessionRecord,
};
pub use agreements::{AgreementRecord, AgreementStore};
pub use author_keys::{AuthorKeyStore, Resealed, SpaceText, StoredText};
pub use check_ins::{CheckInRecord, CheckInStore};
pub use counsellors::{
    CounsellorCopy, CounsellorGrantRecord, CounsellorNoteRecord, CounsellorStore, JourneyCounts,
    NewCounsellorGrant, ShareChange, COUNSELLOR_WINDOW,
};
pub use departures::{Departure, DepartureStore};
pub use entries::{EntryRecord, EntryStore};
pub use feelings::{FeelingRecord, FeelingStore, ReflectionRecord};
pub use journeys::{AreaRecord, BreachRecord, JourneyStore};
pub use mail::{ClaimedMail, MailClaim, MailJobRecord, MailStore, NewMailJob};
pub use notifications::{NoticeRecipient, NotificationStore};
pub use private_notes::{EvidenceRecord, JournalEntryRecord, PrivateNoteStore};
pub use questions::{AnswerRecord, QuestionRecord, QuestionStore};
pub use space_state::{PartnerName, SpaceState, SpaceStateStore, SpaceVersion};
pub use spaces::{InviteRecord, Membership, NewInvite, SpaceRecord, SpaceStore};
pub use timeline::TimelineStore;
pub use transparency::{TransparencyRecord, TransparencyStore};
pub use triggers::{TriggerRecord, TriggerStore};
pub use waiting::{Fact, WaitingFact, WaitingStore};

/// Every area trait, for callers that use a concrete store (`use mend_core::store::prelude::*;`).
pub mod prelude {
    pub use super::WaitingStore;
    pub use super::{
        AccountStore, AgreementStore, CheckInStore, DepartureStore, EntryStore, FeelingStore,
        HealthStore, JourneyStore, PrivateNoteStore, QuestionStore, SpaceStore, Store,
        TransparencyStore, TriggerStore,
    };
    // Issue 12.
    pub use super::{MailStore, NotificationStore};
    // Issue 11.
    pub use super::AuthorKeyStore;
    // Issue 13.
    pub use super::{SpaceStateStore, TimelineStore};
    // Issue 14.
    pub use super::CounsellorStore;
}

/// A keyed hash (of an e-mail, a token or a client address); never the value itself.
pub type LookupHash = [u8; 32];

/// Errors a store reports.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule refused the write (an e-mail already used, a seat already taken, an
    /// invitation already used); nothing was changed.
    #[error("the change conflicts with existing data: {0}")]
    Conflict(&'static str),
    /// The journey has ended (or is gone), so the write was refused and nothing was written.
    /// Every write into a journey is guarded in its own statement, so this holds even for a
    /// form that passed the web layer's check just before a partner left (issue 11).
    #[error("the journey has ended")]
    Ended,
    /// The person is no longer one of the space's partners (or the space is gone), so the
    /// write was refused and nothing was written: a second tab's form arriving as they leave.
    #[error("the person is no longer in the space")]
    NotSeated,
    #[error("a stored row is not valid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(String),
}

#[async_trait]
pub trait HealthStore: Send + Sync {
    /// Answers only when the database does.
    async fn ping(&self) -> Result<(), StoreError>;
}

/// The whole store: every area at once.
pub trait Store:
    HealthStore
    + AccountStore
    + SpaceStore
    + JourneyStore
    + EntryStore
    + AgreementStore
    + QuestionStore
    + FeelingStore
    + CheckInStore
    + TriggerStore
    + TransparencyStore
    + PrivateNoteStore
    + DepartureStore
    + MailStore
    + NotificationStore
    + WaitingStore
    + AuthorKeyStore
    + TimelineStore
    + SpaceStateStore
    + CounsellorStore
    + Send
    + Sync
    + 'static
{
}

impl<T> Store for T where
    T: HealthStore
        + AccountStore
        + SpaceStore
        + JourneyStore
        + EntryStore
        + AgreementStore
        + QuestionStore
        + FeelingStore
        + CheckInStore
        + TriggerStore
        + TransparencyStore
        + PrivateNoteStore
        + DepartureStore
        + MailStore
        + NotificationStore
        + WaitingStore
        + AuthorKeyStore
        + TimelineStore
        + SpaceStateStore
        + CounsellorStore
        + 'static
{
}
