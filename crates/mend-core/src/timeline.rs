//! The timeline: everything that happened in a journey, in order, each event belonging to the
//! area of the method it is part of (or to none, like a trigger, which cuts across them).

use crate::ending::Ending;
use crate::entry::{EntryKind, StatementResponse};
use crate::journey::Area;
use crate::time::Timestamp;
use crate::Trust;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Happening {
    JourneyBegan,
    Sent(EntryKind),
    /// A correction of or addition to a statement sent before (see `FollowUp::Correction`).
    Corrected(EntryKind),
    Withdrawn(EntryKind),
    AcknowledgementReceived,
    StatementAnswered(StatementResponse),
    QuestionAsked,
    QuestionAnswered,
    FeelingShared,
    Reflected,
    FeltHeard,
    CheckedIn(Trust),
    Triggered,
    TriggerAnswered,
    EvidenceShared,
    TransparencyOffered,
    TransparencyAgreed,
    AreaDone(Area),
    MySideOpened,
    ContextOpened,
    ClosingProposed,
    Ended(Ending),
}

impl EntryKind {
    /// The area of the method an entry of this kind belongs to.
    pub fn area(self) -> Area {
        match self {
            EntryKind::Acknowledgement => Area::Acknowledge,
            EntryKind::Pledge | EntryKind::Disclosure => Area::Honesty,
            EntryKind::MySide => Area::Feelings,
            EntryKind::Reassurance => Area::Patience,
            EntryKind::Accountability | EntryKind::Context => Area::Responsibility,
            EntryKind::Intention | EntryKind::Recommitment => Area::Intention,
        }
    }
}

impl Happening {
    /// The area this belongs to; none for what concerns the whole journey or cuts across it.
    pub fn area(self) -> Option<Area> {
        match self {
            Happening::Sent(kind) | Happening::Corrected(kind) | Happening::Withdrawn(kind) => {
                Some(kind.area())
            }
            Happening::AcknowledgementReceived => Some(Area::Acknowledge),
            Happening::StatementAnswered(_) | Happening::ContextOpened => {
                Some(Area::Responsibility)
            }
            Happening::QuestionAsked | Happening::QuestionAnswered => Some(Area::Questions),
            Happening::FeelingShared
            | Happening::Reflected
            | Happening::FeltHeard
            | Happening::MySideOpened => Some(Area::Feelings),
            Happening::CheckedIn(_) => Some(Area::Patience),
            // Transparency is honesty offered as a promise kept by telling.
            Happening::EvidenceShared
            | Happening::TransparencyOffered
            | Happening::TransparencyAgreed => Some(Area::Honesty),
            Happening::AreaDone(area) => Some(area),
            Happening::JourneyBegan
            | Happening::Triggered
            | Happening::TriggerAnswered
            | Happening::ClosingProposed
            | Happening::Ended(_) => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub at: Timestamp,
    pub what: Happening,
}

/// The events in the order they happened (ties keep the order given), only those of `only`
/// when an area is chosen.
pub fn arrange(mut events: Vec<Event>, only: Option<Area>) -> Vec<Event> {
    if let Some(area) = only {
        events.retain(|e| e.what.area() == Some(area));
    }
    events.sort_by_key(|e| e.at);
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64, what: Happening) -> Event {
        Event {
            at: Timestamp(ms),
            what,
        }
    }

    #[test]
    fn events_come_in_order_and_an_area_filter_keeps_only_its_own() {
        let events = vec![
            at(30, Happening::QuestionAnswered),
            at(10, Happening::JourneyBegan),
            at(20, Happening::Sent(EntryKind::Acknowledgement)),
            at(20, Happening::QuestionAsked),
            at(40, Happening::Triggered),
        ];
        let all = arrange(events.clone(), None);
        assert_eq!(
            all.iter().map(|e| e.at.0).collect::<Vec<_>>(),
            [10, 20, 20, 30, 40]
        );
        assert_eq!(all[1].what, Happening::Sent(EntryKind::Acknowledgement));
        let questions = arrange(events, Some(Area::Questions));
        assert_eq!(
            questions.iter().map(|e| e.what).collect::<Vec<_>>(),
            [Happening::QuestionAsked, Happening::QuestionAnswered]
        );
    }

    #[test]
    fn every_kind_of_entry_belongs_to_an_area_of_the_method() {
        assert_eq!(EntryKind::Disclosure.area(), Area::Honesty);
        assert_eq!(EntryKind::Context.area(), Area::Responsibility);
        assert_eq!(EntryKind::Recommitment.area(), Area::Intention);
        assert_eq!(EntryKind::Reassurance.area(), Area::Patience);
        assert_eq!(EntryKind::MySide.area(), Area::Feelings);
        assert_eq!(Happening::Triggered.area(), None);
        assert_eq!(
            Happening::CheckedIn(Trust::parse("4").unwrap()).area(),
            Some(Area::Patience)
        );
        assert_eq!(
            Happening::AreaDone(Area::Honesty).area(),
            Some(Area::Honesty)
        );
    }
}
