//! What waits for the viewer ([`mend_core::waiting`]): gathered once per request from the
//! store's bounded facts ([`Waits::gather`]), and the dashboard's words for each item — the
//! page of each place and the catalogue key of each reason, for one thing or for several.

use mend_core::store::{Fact, SpaceVersion, WaitingFact};
use mend_core::waiting::{self, New, Place, Waiting, WaitingFor};
use mend_core::{BreachId, EntryKind, PersonId, SpaceId, Timestamp, Zone};

use crate::access::{JourneyAccess, SpaceAccess};
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::key;
use crate::sections::section_path;
use crate::session::now;
use crate::state::AppState;
use crate::views::WaitingItem;

/// Everything that waits for one person, from one store query.
#[derive(Debug)]
pub struct Waits {
    /// The person's ongoing journeys, each with what waits in it.
    pub journeys: Vec<(BreachId, Vec<Waiting>)>,
    /// The journal entries the partner shared since the person last opened the journal.
    pub journal: Option<Waiting>,
    /// The pages of each journey with something newer than the person's last visit: the
    /// only counts a visit can change.
    unseen: Vec<(BreachId, Place)>,
}

impl Waits {
    pub async fn gather(
        state: &AppState,
        person: PersonId,
        at: Option<SpaceVersion>,
        now: Timestamp,
        zone: &Zone,
    ) -> Result<Self, WebError> {
        let facts: Vec<WaitingFact> = state.store.waiting_facts(person, at).await?;
        Ok(Waits {
            journeys: waiting::every_journey(&facts, now, zone),
            journal: waiting::journal_waits(&facts),
            unseen: facts
                .iter()
                .filter_map(|f| match (f.breach, f.fact) {
                    (Some(breach), Fact::New(new)) if f.count > 0 => Some((breach, new.place())),
                    _ => None,
                })
                .collect(),
        })
    }

    /// Whether a visit to `section` of `breach` would change a count: something there is
    /// newer than the last visit.
    fn visit_changes(&self, breach: BreachId, section: &str) -> bool {
        self.unseen
            .iter()
            .any(|(b, place)| *b == breach && section_name(*place) == Some(section))
    }

    /// What waits in one journey (nothing for an ended one, or another person's).
    pub fn of(&self, breach: BreachId) -> &[Waiting] {
        self.journeys
            .iter()
            .find(|(b, _)| *b == breach)
            .map(|(_, w)| w.as_slice())
            .unwrap_or(&[])
    }

    /// How many things wait, all together: the number the navigation shows.
    pub fn total(&self) -> usize {
        waiting::total(
            self.journeys
                .iter()
                .flat_map(|(_, w)| w)
                .chain(&self.journal),
        )
    }
}

/// Records that the viewer opened `section` of the journey (as the store's counts name it: a
/// written entry's kind, or the page's own name), so what waits there no longer does, and
/// what the page marks new (`shows_new`) is not marked again; the navigation is counted
/// again when the visit changed a count.
pub async fn opened(
    state: &AppState,
    journey: &JourneyAccess,
    section: &str,
    shows_new: bool,
    chrome: &mut Chrome,
) -> Result<(), WebError> {
    let person = journey.viewer_id();
    // Unknown (the count failed) is taken as a change.
    let changes_count = chrome
        .waiting
        .as_ref()
        .is_none_or(|w| w.visit_changes(journey.id(), section));
    // A visit that changes no count and no marker would only move a time nothing reads, and
    // every write makes the space's kept facts of what waits be read again (issue 13).
    if !changes_count && !shows_new {
        return Ok(());
    }
    state
        .store
        .mark_seen(person, journey.id(), section, now())
        .await?;
    // A visit changes only what is new on this page; what else waits stays as counted.
    if changes_count && chrome.waiting.is_some() {
        chrome.recount(state, person).await;
    }
    Ok(())
}

/// Records that the viewer opened the space's journal, as [`opened`] does for a journey.
pub async fn opened_journal(
    state: &AppState,
    space: &SpaceAccess,
    chrome: &mut Chrome,
) -> Result<(), WebError> {
    let person = space.viewer.id();
    let waits_here = chrome.waiting.as_ref().map(|w| w.journal.is_some());
    // As for a journey's page: nothing new waits, so the visit changes nothing.
    if waits_here == Some(false) {
        return Ok(());
    }
    state
        .store
        .mark_journal_seen(person, space.space, now())
        .await?;
    if waits_here == Some(true) {
        chrome.recount(state, person).await;
    }
    Ok(())
}

/// The item for `waiting` in the journey at `journey` (its page's path), of breach `kind`.
pub fn item(journey: &str, kind: &'static str, waiting: Waiting) -> WaitingItem {
    WaitingItem {
        href: format!("{journey}/{}", path(waiting.place())),
        text: text(waiting),
        kind,
        count: waiting.count,
    }
}

/// The item for new journal entries of the space.
pub fn journal_item(space: SpaceId, waiting: Waiting) -> WaitingItem {
    WaitingItem {
        href: format!("/spaces/{space}/journal"),
        text: text(waiting),
        kind: key!("journal.title"),
        count: waiting.count,
    }
}

/// The section a visit to the place's page is recorded under, as [`opened`] is told it; none
/// for the journal, whose visits are the space's.
fn section_name(place: Place) -> Option<&'static str> {
    match place {
        Place::Entries(kind) => Some(kind.as_str()),
        Place::Journal => None,
        // The other pages are marked under the name their path ends with.
        other => Some(path(other)),
    }
}

/// The part of a journey's path where the place's page is.
fn path(place: Place) -> &'static str {
    match place {
        Place::Entries(kind) => section_path(kind),
        Place::Feelings => "feelings",
        Place::Endings => "endings",
        Place::Patience => "patience",
        Place::Triggers => "triggers",
        Place::Transparency => "transparency",
        Place::Questions => "questions",
        Place::Evidence => "evidence",
        // The journal is the space's, not a journey's: its item is made by `journal_item`.
        Place::Journal => "journal",
    }
}

/// The words for one thing waiting, and for several; the same where they need not differ.
fn text(waiting: Waiting) -> &'static str {
    let (one, many) = match waiting.what {
        WaitingFor::WriteAcknowledgement => same(key!("space.wait_write_ack")),
        WaitingFor::ReadAcknowledgement => same(key!("space.wait_read_ack")),
        WaitingFor::ReflectFeelings => (
            key!("space.wait_feelings_one"),
            key!("space.wait_feelings_many"),
        ),
        WaitingFor::AnswerReflections => (
            key!("space.wait_reflections_one"),
            key!("space.wait_reflections_many"),
        ),
        WaitingFor::RespondToStatements => same(key!("space.wait_statement")),
        WaitingFor::AddWhatIsMissing => same(key!("space.wait_missing")),
        WaitingFor::Recommit => same(key!("space.wait_recommit")),
        WaitingFor::AnswerClosing => same(key!("space.wait_closing")),
        WaitingFor::CheckIn => same(key!("space.wait_check_in")),
        WaitingFor::ReplyToTriggers => (
            key!("space.wait_trigger_one"),
            key!("space.wait_trigger_many"),
        ),
        WaitingFor::DecideOnOffers => (
            key!("transparency.wait_one"),
            key!("transparency.wait_many"),
        ),
        WaitingFor::AnswerQuestions => (
            key!("space.wait_questions_one"),
            key!("space.wait_questions_many"),
        ),
        WaitingFor::SayMore => (key!("space.wait_more_one"), key!("space.wait_more_many")),
        WaitingFor::RespondToAnswers => (
            key!("space.wait_answers_one"),
            key!("space.wait_answers_many"),
        ),
        WaitingFor::New(new) => new_text(new),
    };
    if waiting.count == 1 {
        one
    } else {
        many
    }
}

fn new_text(new: New) -> (&'static str, &'static str) {
    match new {
        New::Entry(kind) => match kind {
            EntryKind::Acknowledgement => same(key!("waiting.new_acknowledgement")),
            EntryKind::Pledge => (
                key!("waiting.new_pledge_one"),
                key!("waiting.new_pledge_many"),
            ),
            EntryKind::Disclosure => (
                key!("waiting.new_disclosure_one"),
                key!("waiting.new_disclosure_many"),
            ),
            EntryKind::Accountability => (
                key!("waiting.new_accountability_one"),
                key!("waiting.new_accountability_many"),
            ),
            EntryKind::Intention => (
                key!("waiting.new_intention_one"),
                key!("waiting.new_intention_many"),
            ),
            EntryKind::Recommitment => (
                key!("waiting.new_recommitment_one"),
                key!("waiting.new_recommitment_many"),
            ),
            EntryKind::Reassurance => (
                key!("waiting.new_reassurance_one"),
                key!("waiting.new_reassurance_many"),
            ),
            EntryKind::MySide => (
                key!("waiting.new_my_side_one"),
                key!("waiting.new_my_side_many"),
            ),
            EntryKind::Context => (
                key!("waiting.new_context_one"),
                key!("waiting.new_context_many"),
            ),
        },
        New::Received => same(key!("waiting.new_received")),
        New::Verdicts => (
            key!("waiting.new_verdicts_one"),
            key!("waiting.new_verdicts_many"),
        ),
        New::StatementResponse => same(key!("waiting.new_statement_response")),
        New::AnswerResponses => (
            key!("waiting.new_answer_responses_one"),
            key!("waiting.new_answer_responses_many"),
        ),
        New::InPerson => (
            key!("waiting.new_in_person_one"),
            key!("waiting.new_in_person_many"),
        ),
        New::TriggerReplies => (
            key!("waiting.new_trigger_replies_one"),
            key!("waiting.new_trigger_replies_many"),
        ),
        New::Decisions => (
            key!("waiting.new_decisions_one"),
            key!("waiting.new_decisions_many"),
        ),
        New::Evidence => (
            key!("waiting.new_evidence_one"),
            key!("waiting.new_evidence_many"),
        ),
        New::MySideOpened => same(key!("waiting.new_my_side_opened")),
        New::ContextOpened => same(key!("waiting.new_context_opened")),
        New::Journal => (
            key!("waiting.new_journal_one"),
            key!("waiting.new_journal_many"),
        ),
    }
}

fn same(key: &'static str) -> (&'static str, &'static str) {
    (key, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(what: WaitingFor, count: usize) -> Waiting {
        Waiting { what, count }
    }

    #[test]
    fn one_and_many_have_their_own_words_where_they_differ() {
        let feelings = |count| text(waiting(WaitingFor::ReflectFeelings, count));
        assert_eq!(feelings(1), "space.wait_feelings_one");
        assert_eq!(feelings(2), "space.wait_feelings_many");
        let statements = |count| text(waiting(WaitingFor::RespondToStatements, count));
        assert_eq!(statements(1), "space.wait_statement");
        assert_eq!(statements(3), "space.wait_statement");
        let notes = |count| {
            text(waiting(
                WaitingFor::New(New::Entry(EntryKind::Reassurance)),
                count,
            ))
        };
        assert_eq!(notes(1), "waiting.new_reassurance_one");
        assert_eq!(notes(4), "waiting.new_reassurance_many");
    }

    /// The journey page drops the " ({kind})" aside its heading already says, so every
    /// item's words must carry it in that form, once, and read whole without it.
    #[test]
    fn every_item_names_the_kind_in_an_aside_the_journey_page_can_leave_out() {
        let s = crate::strings::Strings::english();
        let mut all = vec![
            WaitingFor::WriteAcknowledgement,
            WaitingFor::ReadAcknowledgement,
            WaitingFor::ReflectFeelings,
            WaitingFor::AnswerReflections,
            WaitingFor::RespondToStatements,
            WaitingFor::AddWhatIsMissing,
            WaitingFor::Recommit,
            WaitingFor::AnswerClosing,
            WaitingFor::CheckIn,
            WaitingFor::ReplyToTriggers,
            WaitingFor::DecideOnOffers,
            WaitingFor::AnswerQuestions,
            WaitingFor::SayMore,
            WaitingFor::RespondToAnswers,
        ];
        all.extend(
            [
                New::Received,
                New::Verdicts,
                New::StatementResponse,
                New::AnswerResponses,
                New::InPerson,
                New::TriggerReplies,
                New::Decisions,
                New::Evidence,
                New::MySideOpened,
                New::ContextOpened,
            ]
            .map(WaitingFor::New),
        );
        all.extend(EntryKind::ALL.map(|k| WaitingFor::New(New::Entry(k))));
        for what in all {
            for count in [1, 2] {
                let key = text(waiting(what, count));
                let words = s.t(key);
                assert_eq!(words.matches(" ({kind})").count(), 1, "{key}: {words}");
                let here = s.fill_without(key, "kind", &[("count", "2")]);
                assert!(!here.contains('{') && !here.contains("()"), "{key}: {here}");
            }
        }
    }

    #[test]
    fn an_item_links_to_its_page_in_the_journey() {
        let item = item(
            "/spaces/s/breaches/b",
            "breach.kind_lie",
            waiting(WaitingFor::DecideOnOffers, 2),
        );
        assert_eq!(item.href, "/spaces/s/breaches/b/transparency");
        assert_eq!(item.text, "transparency.wait_many");
        assert_eq!(item.kind, "breach.kind_lie");
        assert_eq!(item.count, 2);
        let pledge = super::item(
            "/j",
            "k",
            waiting(WaitingFor::New(New::Entry(EntryKind::Disclosure)), 1),
        );
        assert_eq!(pledge.href, "/j/disclosures");
        let opened = super::item("/j", "k", waiting(WaitingFor::New(New::MySideOpened), 1));
        assert_eq!(opened.href, "/j/my-side");
    }
}
