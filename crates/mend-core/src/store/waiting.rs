//! The facts the dashboard decides from ([`crate::waiting`]), answered by the database
//! directly: counts of open items and of items newer than the viewer's last visit to their
//! page, and a few times. Never a text, and never a row per item of the couple's past.

use async_trait::async_trait;

use super::{SpaceVersion, StoreError};
use crate::entry::StatementResponse;
use crate::ids::{BreachId, PersonId};
use crate::journey::Role;
use crate::rhythm::Rhythm;
use crate::time::Timestamp;
use crate::waiting::New;

/// What one fact is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fact {
    /// An ongoing journey and the person's role in it; `at`: when it was opened.
    Journey(Role),
    /// The hurt partner's check-in rhythm, when they chose one.
    CheckInRhythm(Rhythm),
    /// The repairing partner's recommitment rhythm.
    RecommitRhythm(Rhythm),
    /// `at`: when the hurt partner proposed closing the chapter, while it waits.
    ClosingProposed,
    AcknowledgementsSent,
    /// Sent and not marked received.
    AcknowledgementsUnread,
    /// Sent accountability statements with no response.
    StatementsUnanswered,
    /// The response to the latest statement sent (none if it has none).
    LatestStatement(Option<StatementResponse>),
    /// `at`: when the first intention was sent.
    FirstIntention,
    /// `at`: when the latest recommitment was sent.
    LastRecommitment,
    /// `at`: when the last check-in was made.
    LastCheckIn,
    FeelingsAwaitingReflection,
    ReflectionsAwaitingVerdict,
    UnansweredTriggers,
    TransparencyOffers,
    OpenQuestions,
    AskedForMore,
    AnswersUnresponded,
    /// Items for the viewer newer than their last visit to the page where they are read.
    New(New),
}

/// One fact of one of the viewer's ongoing journeys (or, for the journal, of their space).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitingFact {
    /// None for a fact of the space (the journal).
    pub breach: Option<BreachId>,
    pub fact: Fact,
    pub count: usize,
    /// For a journey, a time it names (when it was opened, the last check-in, …); for a
    /// count, when its newest item happened (asked, sent, answered), which notifications
    /// compare with the last message (`crate::notification`).
    pub at: Option<Timestamp>,
}

#[async_trait]
pub trait WaitingStore: Send + Sync {
    /// The facts of every ongoing journey in `person`'s space, and of the space's journal, as
    /// they stand for `person`, in one bounded query: a row per fact that is not zero, however
    /// long the couple's history. `at`: where their space stood when the request began, if
    /// it was read already (with the session); facts kept from that version are not read again.
    async fn waiting_facts(
        &self,
        person: PersonId,
        at: Option<SpaceVersion>,
    ) -> Result<Vec<WaitingFact>, StoreError>;
}
