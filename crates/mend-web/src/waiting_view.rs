//! The dashboard's words for what waits ([`mend_core::waiting`]): the page of each place and
//! the catalogue key of each reason, for one thing or for several.

use mend_core::waiting::{Place, Waiting, WaitingFor};
use mend_core::EntryKind;

use crate::key;
use crate::sections::section_path;
use crate::views::WaitingItem;

/// The item for `waiting` in the journey at `journey` (its page's path), of breach `kind`.
pub fn item(journey: &str, kind: &'static str, waiting: Waiting) -> WaitingItem {
    WaitingItem {
        href: format!("{journey}/{}", path(waiting.place())),
        text: text(waiting),
        kind,
        count: waiting.count,
    }
}

/// The part of a journey's path where the place's page is.
fn path(place: Place) -> &'static str {
    match place {
        Place::Acknowledge => section_path(EntryKind::Acknowledgement),
        Place::Feelings => "feelings",
        Place::Accountability => section_path(EntryKind::Accountability),
        Place::Recommit => section_path(EntryKind::Recommitment),
        Place::Endings => "endings",
        Place::Patience => "patience",
        Place::Triggers => "triggers",
        Place::Transparency => "transparency",
        Place::Questions => "questions",
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
    };
    if waiting.count == 1 {
        one
    } else {
        many
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
    }
}
