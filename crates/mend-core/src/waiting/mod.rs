//! What waits for whom: the dashboard's list of what a journey asks of the viewer next.
//!
//! The caller gathers a journey's facts as the store holds them and passes the moment to
//! judge by; [`what_waits`] answers with the items in the order the dashboard lists them,
//! each with the page where it is done and how many things wait there. An ended journey asks
//! nothing.

use crate::entry::{EntryState, StatementResponse};
use crate::feeling::Listening;
use crate::ids::QuestionId;
use crate::journey::Role;
use crate::journey_state::JourneyState;
use crate::local_time::Zone;
use crate::question::Response;
use crate::rhythm::recommitment_due;
use crate::store::{AnswerRecord, EntryRecord, QuestionRecord};
use crate::time::Timestamp;

/// The page of a journey where something is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Acknowledge,
    Feelings,
    Accountability,
    Recommit,
    Endings,
    Patience,
    Triggers,
    Transparency,
    Questions,
}

/// What the viewer is asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitingFor {
    /// The repairing partner has not sent their acknowledgement yet.
    WriteAcknowledgement,
    /// An acknowledgement was sent and the hurt partner has not opened it.
    ReadAcknowledgement,
    /// Feelings wait for the repairing partner's reflection.
    ReflectFeelings,
    /// Reflections wait for the hurt partner's answer.
    AnswerReflections,
    /// Accountability statements wait for the hurt partner's response.
    RespondToStatements,
    /// The hurt partner said something is missing from the latest statement.
    AddWhatIsMissing,
    /// The repairing partner's recommitment is due on their rhythm.
    Recommit,
    /// The hurt partner proposed closing the chapter.
    AnswerClosing,
    /// A check-in is due on the hurt partner's rhythm.
    CheckIn,
    /// Triggers wait for the repairing partner's reply.
    ReplyToTriggers,
    /// Transparency offers wait for the hurt partner's decision.
    DecideOnOffers,
    /// Questions wait for an answer.
    AnswerQuestions,
    /// Answers the hurt partner asked more about, not answered again yet.
    SayMore,
    /// Answers wait for the hurt partner's response.
    RespondToAnswers,
}

impl WaitingFor {
    /// The page where it is done.
    pub fn place(self) -> Place {
        match self {
            WaitingFor::WriteAcknowledgement | WaitingFor::ReadAcknowledgement => {
                Place::Acknowledge
            }
            WaitingFor::ReflectFeelings | WaitingFor::AnswerReflections => Place::Feelings,
            WaitingFor::RespondToStatements | WaitingFor::AddWhatIsMissing => Place::Accountability,
            WaitingFor::Recommit => Place::Recommit,
            WaitingFor::AnswerClosing => Place::Endings,
            WaitingFor::CheckIn => Place::Patience,
            WaitingFor::ReplyToTriggers => Place::Triggers,
            WaitingFor::DecideOnOffers => Place::Transparency,
            WaitingFor::AnswerQuestions | WaitingFor::SayMore | WaitingFor::RespondToAnswers => {
                Place::Questions
            }
        }
    }
}

/// One item on the dashboard: what waits, and how many of it (at least one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub what: WaitingFor,
    pub count: usize,
}

impl Waiting {
    pub fn place(&self) -> Place {
        self.what.place()
    }
}

/// A written entry of the journey (an acknowledgement, an accountability statement), without
/// its words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    pub state: EntryState,
    /// The partner it was written to has opened it.
    pub received: bool,
    /// The hurt partner's response to a statement.
    pub response: Option<StatementResponse>,
}

impl From<&EntryRecord> for Written {
    fn from(e: &EntryRecord) -> Self {
        Written {
            state: e.state,
            received: e.received_at.is_some(),
            response: e.response,
        }
    }
}

/// A question of the journey, asked or asked again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Question {
    pub id: QuestionId,
    pub withdrawn: bool,
}

impl From<&QuestionRecord> for Question {
    fn from(q: &QuestionRecord) -> Self {
        Question {
            id: q.id,
            withdrawn: q.withdrawn_at.is_some(),
        }
    }
}

/// An answer to one of the journey's questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answer {
    pub question: QuestionId,
    pub created_at: Timestamp,
    pub withdrawn: bool,
    /// The hurt partner's response, once they gave one.
    pub response: Option<Response>,
}

impl From<&AnswerRecord> for Answer {
    fn from(a: &AnswerRecord) -> Self {
        Answer {
            question: a.question,
            created_at: a.created_at,
            withdrawn: a.withdrawn_at.is_some(),
            response: a.response,
        }
    }
}

/// What the store holds about one journey, as far as the dashboard needs it. Lists are
/// oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JourneyFacts {
    /// The viewer's role in the journey.
    pub role: Role,
    /// When the journey was opened: a check-in rhythm counts from here until the first one.
    pub opened_at: Timestamp,
    pub state: JourneyState,
    pub acknowledgements: Vec<Written>,
    pub statements: Vec<Written>,
    /// When each intention was sent.
    pub intentions_sent: Vec<Timestamp>,
    /// When each recommitment was sent.
    pub recommitments_sent: Vec<Timestamp>,
    /// When the last check-in was made.
    pub last_check_in: Option<Timestamp>,
    /// Where each feeling that was not withdrawn stands.
    pub feelings: Vec<Listening>,
    /// Triggers not replied to yet.
    pub unanswered_triggers: usize,
    /// Transparency agreements offered and not decided yet.
    pub transparency_offers: usize,
    pub questions: Vec<Question>,
    pub answers: Vec<Answer>,
}

/// What waits for the viewer in this journey at `now`, in the order the dashboard lists it;
/// rhythms count days in the viewer's `zone`.
pub fn what_waits(facts: &JourneyFacts, now: Timestamp, zone: &Zone) -> Vec<Waiting> {
    // An ended journey stays readable and asks nothing more of anyone.
    if facts.state.is_ended() {
        return Vec::new();
    }
    let mut items = Items::default();
    match facts.role {
        Role::RepairingPartner => {
            let sent = facts
                .acknowledgements
                .iter()
                .any(|e| e.state == EntryState::Sent);
            items.once(WaitingFor::WriteAcknowledgement, !sent);
            items.add(
                WaitingFor::ReflectFeelings,
                count_of(facts, Listening::AwaitingReflection),
            );
            let latest = facts
                .statements
                .iter()
                .rev()
                .find(|e| e.state == EntryState::Sent);
            items.once(
                WaitingFor::AddWhatIsMissing,
                latest.and_then(|e| e.response) == Some(StatementResponse::SomethingMissing),
            );
            // Recommitment is due on the rhythm the repairing partner chose, once an intention
            // was sent; it is shown to them only.
            let due = recommitment_due(
                facts.state.recommit_rhythm,
                facts.intentions_sent.iter().copied(),
                facts.recommitments_sent.iter().copied(),
                zone,
            );
            items.once(WaitingFor::Recommit, due.is_some_and(|at| at <= now));
            items.once(
                WaitingFor::AnswerClosing,
                facts.state.closing_proposed_at.is_some(),
            );
            items.add(WaitingFor::ReplyToTriggers, facts.unanswered_triggers);
            items.add(WaitingFor::AnswerQuestions, open_questions(facts));
            items.add(WaitingFor::SayMore, asked_for_more(facts));
        }
        Role::HurtPartner => {
            let unread = facts
                .acknowledgements
                .iter()
                .any(|e| e.state == EntryState::Sent && !e.received);
            items.once(WaitingFor::ReadAcknowledgement, unread);
            items.add(
                WaitingFor::AnswerReflections,
                count_of(facts, Listening::AwaitingVerdict),
            );
            let unanswered = facts
                .statements
                .iter()
                .filter(|e| e.state == EntryState::Sent && e.response.is_none())
                .count();
            items.add(WaitingFor::RespondToStatements, unanswered);
            // The check-in rhythm is a reminder for the hurt partner alone.
            let check_in = facts
                .state
                .check_in_rhythm
                .is_some_and(|r| r.is_due(facts.last_check_in, facts.opened_at, now, zone));
            items.once(WaitingFor::CheckIn, check_in);
            items.add(WaitingFor::DecideOnOffers, facts.transparency_offers);
            let unanswered = facts
                .answers
                .iter()
                .filter(|a| a.response.is_none() && !a.withdrawn)
                .count();
            items.add(WaitingFor::RespondToAnswers, unanswered);
        }
    }
    items.0
}

/// The items so far; nothing that counts none is listed.
#[derive(Default)]
struct Items(Vec<Waiting>);

impl Items {
    fn add(&mut self, what: WaitingFor, count: usize) {
        if count > 0 {
            self.0.push(Waiting { what, count });
        }
    }

    fn once(&mut self, what: WaitingFor, waits: bool) {
        self.add(what, usize::from(waits));
    }
}

fn count_of(facts: &JourneyFacts, listening: Listening) -> usize {
    facts.feelings.iter().filter(|l| **l == listening).count()
}

/// Questions not withdrawn that have no answer standing (one not withdrawn).
fn open_questions(facts: &JourneyFacts) -> usize {
    facts
        .questions
        .iter()
        .filter(|q| !q.withdrawn)
        .filter(|q| {
            !facts
                .answers
                .iter()
                .any(|a| a.question == q.id && !a.withdrawn)
        })
        .count()
}

/// Answers the hurt partner asked more about, with no newer answer to the same question yet.
fn asked_for_more(facts: &JourneyFacts) -> usize {
    facts
        .answers
        .iter()
        .filter(|a| a.response == Some(Response::NeedMore))
        .filter(|a| {
            !facts
                .answers
                .iter()
                .any(|b| b.question == a.question && b.created_at > a.created_at)
        })
        .count()
}

#[cfg(test)]
mod tests;
