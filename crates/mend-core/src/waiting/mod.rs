//! What waits for whom: the dashboard's list of what a journey asks of the viewer next, and
//! of what the partner sent or shared that the viewer has not opened yet.
//!
//! The caller gathers a journey's facts as the store answers them directly — counts of open
//! items and of items newer than the viewer's last visit to their page, and a few times (see
//! [`crate::store::WaitingStore`]) — and passes the moment to judge by; [`what_waits`] answers
//! with the items in the order the dashboard lists them, each with the page where it is done
//! or read and how many things wait there. An ended journey asks nothing.
//!
//! The rule for what the partner sends or shares is one: it waits for the viewer until the
//! viewer opens the page where it is read ([`New`]). Where that page also asks something of
//! the viewer (an answer waiting for a response, a statement waiting for one), the request is
//! listed and the note that something new is there is not, so each page is named once.

use crate::entry::{EntryKind, StatementResponse};
use crate::ids::BreachId;
use crate::journey::{Area, Role};
use crate::journey_state::JourneyState;
use crate::local_time::Zone;
use crate::rhythm::recommitment_due;
use crate::store::{Fact, WaitingFact};
use crate::time::Timestamp;

/// The page of a journey (or, for the journal, of the space) where something is done or read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The page of a kind of written entry.
    Entries(EntryKind),
    Feelings,
    Endings,
    Patience,
    Triggers,
    Transparency,
    Questions,
    Evidence,
    /// The space's journal, outside any journey.
    Journal,
}

impl Place {
    /// The area of the journey page the place belongs to; none for the journal and endings.
    pub fn area(self) -> Option<Area> {
        Some(match self {
            Place::Entries(kind) => match kind {
                EntryKind::Acknowledgement => Area::Acknowledge,
                EntryKind::Pledge | EntryKind::Disclosure => Area::Honesty,
                EntryKind::Accountability | EntryKind::Context => Area::Responsibility,
                EntryKind::Intention | EntryKind::Recommitment => Area::Intention,
                EntryKind::Reassurance => Area::Patience,
                EntryKind::MySide => Area::Feelings,
            },
            Place::Evidence | Place::Transparency => Area::Honesty,
            Place::Feelings => Area::Feelings,
            Place::Patience | Place::Triggers => Area::Patience,
            Place::Questions => Area::Questions,
            Place::Endings | Place::Journal => return None,
        })
    }
}

/// Something the partner sent or shared, or did to what the viewer wrote, that waits until the
/// viewer opens its page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum New {
    /// Written entries of a kind the partner sent: a pledge, a further disclosure, a
    /// reassurance note, an accountability statement or its correction, an intention, a
    /// recommitment, "my side", the context conversation.
    Entry(EntryKind),
    /// The hurt partner marked the viewer's acknowledgement received.
    Received,
    /// The hurt partner answered the viewer's reflections ("heard" or "not yet").
    Verdicts,
    /// The hurt partner responded to the viewer's accountability statement.
    StatementResponse,
    /// The hurt partner responded to the viewer's answers.
    AnswerResponses,
    /// The repairing partner asked to answer the viewer's questions in person.
    InPerson,
    /// The repairing partner replied to the viewer's trigger signals.
    TriggerReplies,
    /// The hurt partner decided on the viewer's transparency offers.
    Decisions,
    /// The partner shared entries of their evidence log.
    Evidence,
    /// The hurt partner opened "my side" for the viewer to write.
    MySideOpened,
    /// The hurt partner opened the context conversation.
    ContextOpened,
    /// The partner shared journal entries.
    Journal,
}

impl New {
    pub fn place(self) -> Place {
        match self {
            New::Entry(kind) => Place::Entries(kind),
            New::Received => Place::Entries(EntryKind::Acknowledgement),
            New::Verdicts => Place::Feelings,
            New::StatementResponse => Place::Entries(EntryKind::Accountability),
            New::AnswerResponses | New::InPerson => Place::Questions,
            New::TriggerReplies => Place::Triggers,
            New::Decisions => Place::Transparency,
            New::Evidence => Place::Evidence,
            New::MySideOpened => Place::Entries(EntryKind::MySide),
            New::ContextOpened => Place::Entries(EntryKind::Context),
            New::Journal => Place::Journal,
        }
    }

    /// Whether this can wait for a person in `role`: the hurt partner opens "my side" and
    /// the context conversation, so only the repairing partner is told; everything else is
    /// counted for the viewer by the store already (the partner's items, responses to the
    /// viewer's own).
    fn is_for(self, role: Role) -> bool {
        match self {
            New::MySideOpened | New::ContextOpened => role == Role::RepairingPartner,
            _ => true,
        }
    }
}

/// What the viewer is asked to do, or may read.
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
    /// Something the partner sent or shared, not opened yet.
    New(New),
}

impl WaitingFor {
    /// The page where it is done or read.
    pub fn place(self) -> Place {
        match self {
            WaitingFor::WriteAcknowledgement | WaitingFor::ReadAcknowledgement => {
                Place::Entries(EntryKind::Acknowledgement)
            }
            WaitingFor::ReflectFeelings | WaitingFor::AnswerReflections => Place::Feelings,
            WaitingFor::RespondToStatements | WaitingFor::AddWhatIsMissing => {
                Place::Entries(EntryKind::Accountability)
            }
            WaitingFor::Recommit => Place::Entries(EntryKind::Recommitment),
            WaitingFor::AnswerClosing => Place::Endings,
            WaitingFor::CheckIn => Place::Patience,
            WaitingFor::ReplyToTriggers => Place::Triggers,
            WaitingFor::DecideOnOffers => Place::Transparency,
            WaitingFor::AnswerQuestions | WaitingFor::SayMore | WaitingFor::RespondToAnswers => {
                Place::Questions
            }
            WaitingFor::New(new) => new.place(),
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

/// What the store answers about one journey for the viewer, as far as the dashboard needs it:
/// counts and times, never the rows themselves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JourneyFacts {
    /// The viewer's role in the journey.
    pub role: Role,
    /// When the journey was opened: a check-in rhythm counts from here until the first one.
    pub opened_at: Timestamp,
    pub state: JourneyState,
    /// Acknowledgements sent (by the repairing partner).
    pub acknowledgements_sent: usize,
    /// Acknowledgements sent and not marked received yet.
    pub acknowledgements_unread: usize,
    /// Accountability statements sent and not responded to.
    pub statements_unanswered: usize,
    /// The response to the latest statement sent, if it has one.
    pub latest_statement_response: Option<StatementResponse>,
    /// When the first intention was sent.
    pub first_intention: Option<Timestamp>,
    /// When the latest recommitment was sent.
    pub last_recommitment: Option<Timestamp>,
    /// When the last check-in was made.
    pub last_check_in: Option<Timestamp>,
    /// Feelings (not withdrawn, not heard) with no reflection waiting for an answer.
    pub feelings_awaiting_reflection: usize,
    /// Feelings whose reflection waits for the hurt partner's answer.
    pub reflections_awaiting_verdict: usize,
    /// Triggers not replied to yet.
    pub unanswered_triggers: usize,
    /// Transparency agreements offered and not decided yet.
    pub transparency_offers: usize,
    /// Questions not withdrawn with no answer standing.
    pub open_questions: usize,
    /// Answers the hurt partner asked more about, with no newer answer to the question.
    pub asked_for_more: usize,
    /// Answers standing with no response yet.
    pub answers_unresponded: usize,
    /// What the partner sent or shared (or did to the viewer's writing) since the viewer
    /// last opened its page, with how many.
    pub new: Vec<(New, usize)>,
}

impl JourneyFacts {
    /// A journey's facts with nothing in it yet.
    pub fn empty(role: Role, opened_at: Timestamp, state: JourneyState) -> Self {
        JourneyFacts {
            role,
            opened_at,
            state,
            acknowledgements_sent: 0,
            acknowledgements_unread: 0,
            statements_unanswered: 0,
            latest_statement_response: None,
            first_intention: None,
            last_recommitment: None,
            last_check_in: None,
            feelings_awaiting_reflection: 0,
            reflections_awaiting_verdict: 0,
            unanswered_triggers: 0,
            transparency_offers: 0,
            open_questions: 0,
            asked_for_more: 0,
            answers_unresponded: 0,
            new: Vec::new(),
        }
    }

    /// The facts of journey `breach` among the store's answer for the viewer; none when the
    /// answer holds no such ongoing journey.
    pub fn gather(breach: BreachId, facts: &[WaitingFact]) -> Option<Self> {
        let mine = || facts.iter().filter(|x| x.breach == Some(breach));
        let (role, opened_at) = mine().find_map(|x| match x.fact {
            Fact::Journey(role) => Some((role, x.at?)),
            _ => None,
        })?;
        let mut f = JourneyFacts::empty(role, opened_at, JourneyState::default());
        for fact in mine() {
            let n = fact.count;
            match fact.fact {
                Fact::Journey(_) => {}
                Fact::CheckInRhythm(r) => f.state.check_in_rhythm = Some(r),
                Fact::RecommitRhythm(r) => f.state.recommit_rhythm = r,
                Fact::ClosingProposed => f.state.closing_proposed_at = fact.at,
                Fact::AcknowledgementsSent => f.acknowledgements_sent = n,
                Fact::AcknowledgementsUnread => f.acknowledgements_unread = n,
                Fact::StatementsUnanswered => f.statements_unanswered = n,
                Fact::LatestStatement(response) => f.latest_statement_response = response,
                Fact::FirstIntention => f.first_intention = fact.at,
                Fact::LastRecommitment => f.last_recommitment = fact.at,
                Fact::LastCheckIn => f.last_check_in = fact.at,
                Fact::FeelingsAwaitingReflection => f.feelings_awaiting_reflection = n,
                Fact::ReflectionsAwaitingVerdict => f.reflections_awaiting_verdict = n,
                Fact::UnansweredTriggers => f.unanswered_triggers = n,
                Fact::TransparencyOffers => f.transparency_offers = n,
                Fact::OpenQuestions => f.open_questions = n,
                Fact::AskedForMore => f.asked_for_more = n,
                Fact::AnswersUnresponded => f.answers_unresponded = n,
                Fact::New(new) => f.new.push((new, n)),
            }
        }
        Some(f)
    }
}

/// What waits for the viewer in each ongoing journey the store's answer holds, in the order
/// the journeys first appear in it.
pub fn every_journey(
    facts: &[WaitingFact],
    now: Timestamp,
    zone: &Zone,
) -> Vec<(BreachId, Vec<Waiting>)> {
    let mut journeys: Vec<BreachId> = Vec::new();
    for f in facts {
        if let (Some(b), Fact::Journey(_)) = (f.breach, f.fact) {
            if !journeys.contains(&b) {
                journeys.push(b);
            }
        }
    }
    journeys
        .into_iter()
        .filter_map(|b| Some((b, what_waits(&JourneyFacts::gather(b, facts)?, now, zone))))
        .collect()
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
            items.once(
                WaitingFor::WriteAcknowledgement,
                facts.acknowledgements_sent == 0,
            );
            items.add(
                WaitingFor::ReflectFeelings,
                facts.feelings_awaiting_reflection,
            );
            items.once(
                WaitingFor::AddWhatIsMissing,
                facts.latest_statement_response == Some(StatementResponse::SomethingMissing),
            );
            // Recommitment is due on the rhythm the repairing partner chose, once an intention
            // was sent; it is shown to them only.
            let due = recommitment_due(
                facts.state.recommit_rhythm,
                facts.first_intention,
                facts.last_recommitment,
                zone,
            );
            items.once(WaitingFor::Recommit, due.is_some_and(|at| at <= now));
            items.once(
                WaitingFor::AnswerClosing,
                facts.state.closing_proposed_at.is_some(),
            );
            items.add(WaitingFor::ReplyToTriggers, facts.unanswered_triggers);
            items.add(WaitingFor::AnswerQuestions, facts.open_questions);
            items.add(WaitingFor::SayMore, facts.asked_for_more);
        }
        Role::HurtPartner => {
            items.once(
                WaitingFor::ReadAcknowledgement,
                facts.acknowledgements_unread > 0,
            );
            items.add(
                WaitingFor::AnswerReflections,
                facts.reflections_awaiting_verdict,
            );
            items.add(WaitingFor::RespondToStatements, facts.statements_unanswered);
            // The check-in rhythm is a reminder for the hurt partner alone.
            let check_in = facts
                .state
                .check_in_rhythm
                .is_some_and(|r| r.is_due(facts.last_check_in, facts.opened_at, now, zone));
            items.once(WaitingFor::CheckIn, check_in);
            items.add(WaitingFor::DecideOnOffers, facts.transparency_offers);
            items.add(WaitingFor::RespondToAnswers, facts.answers_unresponded);
        }
    }
    // What the partner sent or shared, on pages that ask nothing else of the viewer now.
    for (new, count) in &facts.new {
        if new.is_for(facts.role) && !items.names(new.place()) {
            items.add(WaitingFor::New(*new), *count);
        }
    }
    items.0
}

/// The new journal entries the partner shared, as an item of the space (not of a journey).
pub fn journal_waits(facts: &[WaitingFact]) -> Option<Waiting> {
    let count: usize = facts
        .iter()
        .filter(|f| f.fact == Fact::New(New::Journal))
        .map(|f| f.count)
        .sum();
    (count > 0).then_some(Waiting {
        what: WaitingFor::New(New::Journal),
        count,
    })
}

/// How many things wait, all items together: the number the navigation shows.
pub fn total<'a>(items: impl IntoIterator<Item = &'a Waiting>) -> usize {
    items.into_iter().map(|w| w.count).sum()
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

    /// Whether an item so far is done on `place`.
    fn names(&self, place: Place) -> bool {
        self.0.iter().any(|w| w.place() == place)
    }
}

#[cfg(test)]
mod tests;
