//! Notifications by e-mail: what a person chose, what counts as new for them, and when the one
//! message that tells them "something waits" is due.
//!
//! Pure like the rest of the core: the caller passes the moment, the person's zone, when the
//! last message went and the facts of what waits (`store::WaitingFact`). The message itself
//! never says what waits: its words are one of a few fixed wordings the person picks
//! ([`Wording`]), so what is counted here only decides *whether* and *when* to send.

use crate::journey::Role;
use crate::local_time::Zone;
use crate::rhythm::recommitment_due;
use crate::store::{Fact, WaitingFact};
use crate::time::{Duration, Timestamp};
use crate::waiting::{every_journey, journal_waits, JourneyFacts, New, WaitingFor};
use crate::StatementResponse;

/// How long "soon" waits after the first new thing, so that a few answers written one after
/// another arrive as one message.
pub const SOON_BATCH: Duration = Duration::minutes(10);

/// "Soon" sends at most one message in this long.
pub const SOON_GAP: Duration = Duration::hours(1);

/// A trigger signal sent at once still waits this long after the previous message, so that
/// several signals in a hard moment make one message, not a stream.
pub const TRIGGER_GAP: Duration = Duration::minutes(10);

/// How often messages come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cadence {
    /// No messages: everyone starts here until they choose.
    Off,
    /// One message a day at most, at this local hour (0 to 23), when something is new.
    Digest { hour: u8 },
    /// A little while after something new, at most one message an hour.
    Soon,
}

impl Cadence {
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Off => "off",
            Cadence::Digest { .. } => "digest",
            Cadence::Soon => "soon",
        }
    }

    /// The cadence stored as `name` with its digest hour (ignored unless a digest).
    pub fn parse(name: &str, hour: u8) -> Option<Self> {
        match name {
            "off" => Some(Cadence::Off),
            "digest" => Hour::new(hour).map(|h| Cadence::Digest { hour: h.0 }),
            "soon" => Some(Cadence::Soon),
            _ => None,
        }
    }
}

/// An hour of the local clock, 0 to 23.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hour(u8);

impl Hour {
    pub fn new(hour: u8) -> Option<Self> {
        (hour < 24).then_some(Hour(hour))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// Hours of the local day when nothing is sent, from `start`:00 up to `end`:00; they wrap
/// past midnight when `start` is later than `end` (22 to 7 is the night).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuietHours {
    start: u8,
    end: u8,
}

/// Why quiet hours were refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuietProblem {
    #[error("an hour is not between 0 and 23")]
    NotAnHour,
    #[error("quiet hours start and end at the same hour")]
    Empty,
}

impl QuietHours {
    pub fn new(start: u8, end: u8) -> Result<Self, QuietProblem> {
        if start > 23 || end > 23 {
            return Err(QuietProblem::NotAnHour);
        }
        if start == end {
            return Err(QuietProblem::Empty);
        }
        Ok(Self { start, end })
    }

    pub fn start(self) -> u8 {
        self.start
    }

    pub fn end(self) -> u8 {
        self.end
    }

    /// Whether a local clock showing `hour` is in the quiet hours.
    pub fn holds(self, hour: u8) -> bool {
        if self.start < self.end {
            (self.start..self.end).contains(&hour)
        } else {
            hour >= self.start || hour < self.end
        }
    }

    /// The first moment at or after `at` outside the quiet hours, on the local clock of `zone`.
    pub fn next_allowed(self, zone: &Zone, at: Timestamp) -> Timestamp {
        let hour = u8::try_from(zone.local(at).hour).unwrap_or(0);
        if self.holds(hour) {
            zone.next_at_hour(at, self.end)
        } else {
            at
        }
    }
}

/// The kinds of thing a person may want to be told about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    /// Answers to one's questions, and responses to one's answers.
    Answers,
    /// Questions to answer, and requests to say more.
    Questions,
    /// Feelings to reflect, reflections to answer, "heard" or "not yet", "my side".
    Feelings,
    /// The hurt partner's check-in, due on their rhythm.
    CheckIns,
    /// The repairing partner's recommitment, due on their rhythm.
    Recommitments,
    /// Trigger signals (to the repairing partner) and replies to them (to the hurt partner).
    Triggers,
    /// Everything else the partner sends or shares: an acknowledgement, a pledge, a note, a
    /// statement, a shared entry, an offer, a proposal.
    Shared,
}

impl Topic {
    pub const ALL: [Topic; 7] = [
        Topic::Answers,
        Topic::Questions,
        Topic::Feelings,
        Topic::CheckIns,
        Topic::Recommitments,
        Topic::Triggers,
        Topic::Shared,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Answers => "answers",
            Topic::Questions => "questions",
            Topic::Feelings => "feelings",
            Topic::CheckIns => "check_ins",
            Topic::Recommitments => "recommitments",
            Topic::Triggers => "triggers",
            Topic::Shared => "shared",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// What on the dashboard belongs to this topic; none for the request to write the
    /// acknowledgement, which is there from the first day and never news.
    pub fn of(what: WaitingFor) -> Option<Topic> {
        Some(match what {
            WaitingFor::WriteAcknowledgement => return None,
            WaitingFor::RespondToAnswers | WaitingFor::New(New::InPerson) => Topic::Answers,
            WaitingFor::AnswerQuestions
            | WaitingFor::SayMore
            | WaitingFor::New(New::AnswerResponses) => Topic::Questions,
            WaitingFor::ReflectFeelings
            | WaitingFor::AnswerReflections
            | WaitingFor::New(New::Verdicts)
            | WaitingFor::New(New::MySideOpened)
            | WaitingFor::New(New::Entry(crate::EntryKind::MySide)) => Topic::Feelings,
            WaitingFor::CheckIn => Topic::CheckIns,
            WaitingFor::Recommit => Topic::Recommitments,
            WaitingFor::ReplyToTriggers | WaitingFor::New(New::TriggerReplies) => Topic::Triggers,
            WaitingFor::ReadAcknowledgement
            | WaitingFor::RespondToStatements
            | WaitingFor::AddWhatIsMissing
            | WaitingFor::AnswerClosing
            | WaitingFor::DecideOnOffers
            | WaitingFor::New(_) => Topic::Shared,
        })
    }
}

/// The topics a person counts. All of them until they choose otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Topics(u8);

impl Default for Topics {
    fn default() -> Self {
        Topics::ALL
    }
}

impl Topics {
    pub const ALL: Topics = Topics(0b111_1111);
    pub const NONE: Topics = Topics(0);

    pub fn with(self, topic: Topic) -> Self {
        Topics(self.0 | topic.bit())
    }

    pub fn has(self, topic: Topic) -> bool {
        self.0 & topic.bit() != 0
    }

    /// As stored: the topics' names, comma-separated.
    pub fn to_stored(self) -> String {
        Topic::ALL
            .into_iter()
            .filter(|t| self.has(*t))
            .map(Topic::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// From the stored form; a name no longer known is dropped.
    pub fn from_stored(stored: &str) -> Self {
        stored
            .split(',')
            .filter_map(Topic::parse)
            .fold(Topics::NONE, Topics::with)
    }
}

/// The words of the message, chosen by the person from a few neutral ones. The words
/// themselves are in the catalogue; none names Mend's purpose, the partner or anything written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Wording {
    /// "Something new is waiting for you".
    #[default]
    Waiting,
    /// "A new update".
    Update,
    /// "A reminder from Mend".
    Reminder,
}

impl Wording {
    pub const ALL: [Wording; 3] = [Wording::Waiting, Wording::Update, Wording::Reminder];

    pub fn as_str(self) -> &'static str {
        match self {
            Wording::Waiting => "waiting",
            Wording::Update => "update",
            Wording::Reminder => "reminder",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.as_str() == name)
    }
}

/// What a person chose about notifications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotificationChoice {
    pub cadence: Cadence,
    pub quiet: Option<QuietHours>,
    pub topics: Topics,
    pub wording: Wording,
    /// The repairing partner's choice: a trigger signal is sent at once, in quiet hours too.
    pub triggers_at_once: bool,
}

impl Default for NotificationChoice {
    /// Off until chosen; when first turned on, quiet at night and everything counted.
    fn default() -> Self {
        NotificationChoice {
            cadence: Cadence::Off,
            quiet: Some(QuietHours { start: 22, end: 7 }),
            topics: Topics::ALL,
            wording: Wording::default(),
            triggers_at_once: false,
        }
    }
}

/// Why a choice was refused as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChoiceProblem {
    #[error(transparent)]
    Quiet(#[from] QuietProblem),
    #[error("the digest hour falls in the quiet hours")]
    DigestInQuietHours,
}

impl NotificationChoice {
    /// Checks the parts together: a digest at an hour that is quiet would never come when
    /// the person expects it.
    pub fn checked(self) -> Result<Self, ChoiceProblem> {
        if let (Cadence::Digest { hour }, Some(quiet)) = (self.cadence, self.quiet) {
            if quiet.holds(hour) {
                return Err(ChoiceProblem::DigestInQuietHours);
            }
        }
        Ok(self)
    }
}

/// What is new for a person since their last message, counted by topic (only topics they
/// count), and how many of those are trigger signals sent to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct News {
    counts: [usize; Topic::ALL.len()],
    /// New trigger signals waiting for the repairing partner's reply.
    pub trigger_signals: usize,
}

impl News {
    pub fn add(&mut self, topic: Topic, count: usize) {
        self.counts[topic as usize] += count;
    }

    pub fn count(&self, topic: Topic) -> usize {
        self.counts[topic as usize]
    }

    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }
}

/// What the store's facts say for one person: what is new since `since` (the last message;
/// none if there never was one), and the next reminder due after `now` (check-in or
/// recommitment), for the topics `topics` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Outlook {
    pub news: News,
    pub next_reminder: Option<Timestamp>,
}

/// Reads the facts of what waits for a person as news since their last message.
///
/// An item counts when it waits for the person now and something at it happened after
/// `since`: a question asked, an answer given, a reflection written, a rhythm falling due.
/// Something still waiting that the last message already told them of is not news again.
pub fn outlook(
    facts: &[WaitingFact],
    topics: Topics,
    since: Option<Timestamp>,
    now: Timestamp,
    zone: &Zone,
) -> Outlook {
    let newer = |at: Option<Timestamp>| match (since, at) {
        (None, _) => true,
        (Some(since), Some(at)) => at > since,
        (Some(_), None) => false,
    };
    let mut out = Outlook::default();
    for (breach, items) in every_journey(facts, now, zone) {
        let Some(journey) = JourneyFacts::gather(breach, facts) else {
            continue;
        };
        let of_journey: Vec<&WaitingFact> =
            facts.iter().filter(|f| f.breach == Some(breach)).collect();
        for item in items {
            let Some(topic) = Topic::of(item.what).filter(|t| topics.has(*t)) else {
                continue;
            };
            if newer(happened(item.what, &journey, &of_journey, zone)) {
                out.news.add(topic, item.count);
                if item.what == WaitingFor::ReplyToTriggers {
                    out.news.trigger_signals += item.count;
                }
            }
        }
        for (topic, due) in reminders(&journey, zone) {
            if topics.has(topic) && due > now {
                out.next_reminder = Some(out.next_reminder.map_or(due, |r| r.min(due)));
            }
        }
    }
    if topics.has(Topic::Shared) {
        if let Some(journal) = journal_waits(facts) {
            let at = facts
                .iter()
                .filter(|f| f.fact == Fact::New(New::Journal))
                .filter_map(|f| f.at)
                .max();
            if newer(at) {
                out.news.add(Topic::Shared, journal.count);
            }
        }
    }
    out
}

/// The reminders of a journey for the person, with when each is next due.
fn reminders(journey: &JourneyFacts, zone: &Zone) -> Vec<(Topic, Timestamp)> {
    match journey.role {
        Role::HurtPartner => journey
            .state
            .check_in_rhythm
            .map(|r| {
                (
                    Topic::CheckIns,
                    r.next_due(journey.last_check_in, journey.opened_at, zone),
                )
            })
            .into_iter()
            .collect(),
        Role::RepairingPartner => recommitment_due(
            journey.state.recommit_rhythm,
            journey.first_intention,
            journey.last_recommitment,
            zone,
        )
        .map(|due| (Topic::Recommitments, due))
        .into_iter()
        .collect(),
    }
}

/// When the latest thing happened that makes `what` wait: the newest of the facts behind it
/// (the store gives each count the time of its newest item), or when a rhythm fell due.
fn happened(
    what: WaitingFor,
    journey: &JourneyFacts,
    facts: &[&WaitingFact],
    zone: &Zone,
) -> Option<Timestamp> {
    let latest = |wanted: &[Fact]| {
        facts
            .iter()
            .filter(|f| wanted.contains(&f.fact))
            .filter_map(|f| f.at)
            .max()
    };
    match what {
        WaitingFor::WriteAcknowledgement => None,
        WaitingFor::CheckIn | WaitingFor::Recommit => reminders(journey, zone)
            .into_iter()
            .map(|(_, due)| due)
            .max(),
        WaitingFor::ReadAcknowledgement => latest(&[Fact::AcknowledgementsUnread]),
        WaitingFor::ReflectFeelings => {
            latest(&[Fact::FeelingsAwaitingReflection, Fact::New(New::Verdicts)])
        }
        WaitingFor::AnswerReflections => latest(&[Fact::ReflectionsAwaitingVerdict]),
        WaitingFor::RespondToStatements => latest(&[Fact::StatementsUnanswered]),
        WaitingFor::AddWhatIsMissing => latest(&[
            Fact::LatestStatement(Some(StatementResponse::SomethingMissing)),
            Fact::New(New::StatementResponse),
        ]),
        WaitingFor::AnswerClosing => latest(&[Fact::ClosingProposed]),
        WaitingFor::ReplyToTriggers => latest(&[Fact::UnansweredTriggers]),
        WaitingFor::DecideOnOffers => latest(&[Fact::TransparencyOffers]),
        WaitingFor::AnswerQuestions => latest(&[Fact::OpenQuestions]),
        WaitingFor::SayMore => latest(&[Fact::AskedForMore, Fact::New(New::AnswerResponses)]),
        WaitingFor::RespondToAnswers => {
            latest(&[Fact::AnswersUnresponded, Fact::New(New::InPerson)])
        }
        WaitingFor::New(new) => latest(&[Fact::New(new)]),
    }
}

/// When the next message is due, or none when nothing calls for one.
///
/// `last_sent` is when the previous message went. What is new now is due by the cadence:
/// soon after it (at most one an hour), or at the digest hour; a trigger signal at once when
/// the person chose so, in quiet hours too. A reminder that falls due later is due then, by
/// the same cadence. Everything but an urgent trigger waits for the end of quiet hours.
pub fn next_message(
    choice: &NotificationChoice,
    zone: &Zone,
    now: Timestamp,
    last_sent: Option<Timestamp>,
    outlook: &Outlook,
) -> Option<Timestamp> {
    if choice.cadence == Cadence::Off {
        return None;
    }
    let mut due: Option<Timestamp> = None;
    let mut earliest = |at: Timestamp| due = Some(due.map_or(at, |d| d.min(at)));
    let news = &outlook.news;
    if choice.triggers_at_once && choice.topics.has(Topic::Triggers) && news.trigger_signals > 0 {
        earliest(last_sent.map_or(now, |last| now.max(last + TRIGGER_GAP)));
    }
    if !news.is_empty() {
        earliest(by_cadence(choice, zone, now, last_sent));
    }
    if let Some(reminder) = outlook.next_reminder {
        earliest(by_cadence(choice, zone, reminder.max(now), last_sent));
    }
    due
}

/// When something that happened at `at` is due by the cadence, outside the quiet hours.
fn by_cadence(
    choice: &NotificationChoice,
    zone: &Zone,
    at: Timestamp,
    last_sent: Option<Timestamp>,
) -> Timestamp {
    let due = match choice.cadence {
        // Off plans nothing (`next_message` returns first); it is here to keep the match whole.
        Cadence::Off | Cadence::Soon => {
            let batched = at + SOON_BATCH;
            last_sent.map_or(batched, |last| batched.max(last + SOON_GAP))
        }
        Cadence::Digest { hour } => {
            // Strictly after the last digest, so that a day has one.
            let from = last_sent.map_or(at, |last| at.max(last + Duration(1)));
            zone.next_at_hour(from, hour)
        }
    };
    choice.quiet.map_or(due, |q| q.next_allowed(zone, due))
}

/// Whether a message due now may go now: not in the quiet hours, unless it carries a trigger
/// signal the person wants at once. Checked again when the message is sent, since the choice
/// or the zone may have changed since it was planned.
pub fn may_send_now(
    choice: &NotificationChoice,
    zone: &Zone,
    now: Timestamp,
    outlook: &Outlook,
) -> Result<(), Hold> {
    if choice.cadence == Cadence::Off {
        return Err(Hold::TurnedOff);
    }
    if outlook.news.is_empty() {
        return Err(Hold::NothingNew);
    }
    let urgent = choice.triggers_at_once
        && choice.topics.has(Topic::Triggers)
        && outlook.news.trigger_signals > 0;
    match choice.quiet {
        Some(q) if !urgent => {
            let allowed = q.next_allowed(zone, now);
            if allowed > now {
                return Err(Hold::Until(allowed));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Why a message due now does not go now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    /// The person turned messages off.
    TurnedOff,
    /// Nothing they count is new any more (they opened it, or it was withdrawn).
    NothingNew,
    /// Quiet hours: not before this moment.
    Until(Timestamp),
}

#[cfg(test)]
mod tests;
