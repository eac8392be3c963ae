//! The timeline: everything that happened in a journey, in order, each event belonging to the
//! area of the method it is part of (or to none, like a trigger, which cuts across them).

use uuid::Uuid;

use crate::ending::Ending;
use crate::entry::{EntryKind, FollowUp, StatementResponse};
use crate::journey::Area;
use crate::paging::{Cursor, Window, WindowAsk};
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

/// Where the store keeps an event of the timeline: one column of times in one table. The
/// journey's own moments (its start, the conversations opened, closing proposed, its end) are
/// on the journey's record, which a page holds already, so they are not read again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventSource {
    EntrySent,
    EntryWithdrawn,
    EntryReceived,
    StatementAnswered,
    QuestionAsked,
    QuestionAnswered,
    FeelingShared,
    Reflected,
    FeltHeard,
    CheckedIn,
    Triggered,
    TriggerAnswered,
    EvidenceShared,
    TransparencyOffered,
    TransparencyAgreed,
    AreaDone,
}

impl EventSource {
    pub const ALL: [EventSource; 16] = [
        EventSource::EntrySent,
        EventSource::EntryWithdrawn,
        EventSource::EntryReceived,
        EventSource::StatementAnswered,
        EventSource::QuestionAsked,
        EventSource::QuestionAnswered,
        EventSource::FeelingShared,
        EventSource::Reflected,
        EventSource::FeltHeard,
        EventSource::CheckedIn,
        EventSource::Triggered,
        EventSource::TriggerAnswered,
        EventSource::EvidenceShared,
        EventSource::TransparencyOffered,
        EventSource::TransparencyAgreed,
        EventSource::AreaDone,
    ];

    /// The number the store writes for this source in a row of events.
    pub fn code(self) -> i64 {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) as i64
    }

    pub fn from_code(code: i64) -> Option<Self> {
        usize::try_from(code)
            .ok()
            .and_then(|i| Self::ALL.get(i).copied())
    }

    /// The one area all this source's events belong to, when it does not depend on the row.
    fn fixed_area(self) -> Option<Option<Area>> {
        let area = |a| Some(Some(a));
        match self {
            // An entry's area is its kind's; an area's completion is that area's.
            EventSource::EntrySent | EventSource::EntryWithdrawn | EventSource::AreaDone => None,
            EventSource::EntryReceived => area(Area::Acknowledge),
            EventSource::StatementAnswered => area(Area::Responsibility),
            EventSource::QuestionAsked | EventSource::QuestionAnswered => area(Area::Questions),
            EventSource::FeelingShared | EventSource::Reflected | EventSource::FeltHeard => {
                area(Area::Feelings)
            }
            EventSource::CheckedIn => area(Area::Patience),
            EventSource::EvidenceShared
            | EventSource::TransparencyOffered
            | EventSource::TransparencyAgreed => area(Area::Honesty),
            EventSource::Triggered | EventSource::TriggerAnswered => Some(None),
        }
    }
}

/// Which stored events belong on a timeline shown for one area, or for all of them: the store
/// reads only these, so a filtered window is as bounded as the whole one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventFilter {
    pub sources: Vec<EventSource>,
    /// The kinds of entry whose sending and withdrawal count.
    pub entry_kinds: Vec<EntryKind>,
    /// The one area whose completion counts; none for every area's.
    pub done_area: Option<Area>,
}

impl EventFilter {
    pub fn of(only: Option<Area>) -> EventFilter {
        let Some(area) = only else {
            return EventFilter {
                sources: EventSource::ALL.to_vec(),
                entry_kinds: EntryKind::ALL.to_vec(),
                done_area: None,
            };
        };
        let entry_kinds: Vec<EntryKind> = EntryKind::ALL
            .into_iter()
            .filter(|k| k.area() == area)
            .collect();
        let sources = EventSource::ALL
            .into_iter()
            .filter(|s| match (s, s.fixed_area()) {
                (_, Some(fixed)) => fixed == Some(area),
                (EventSource::AreaDone, None) => true,
                (_, None) => !entry_kinds.is_empty(),
            })
            .collect();
        EventFilter {
            sources,
            entry_kinds,
            done_area: Some(area),
        }
    }
}

/// An event as the store gives it: when, where from, the row it came from, and the value that
/// names it further (an entry's kind, a response, a trust score or an area).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    pub at: Timestamp,
    pub source: EventSource,
    pub row: Uuid,
    pub detail: Option<String>,
    /// For an entry sent: it follows an earlier one.
    pub follows: bool,
}

impl StoredEvent {
    /// What happened; none for a row whose value no longer reads (never shown rather than
    /// shown wrongly).
    pub fn happening(&self) -> Option<Happening> {
        let detail = self.detail.as_deref().unwrap_or_default();
        let kind = || EntryKind::parse(detail);
        Some(match self.source {
            EventSource::EntrySent => {
                let kind = kind()?;
                if self.follows && kind.follow_up() == FollowUp::Correction {
                    Happening::Corrected(kind)
                } else {
                    Happening::Sent(kind)
                }
            }
            EventSource::EntryWithdrawn => Happening::Withdrawn(kind()?),
            EventSource::EntryReceived => Happening::AcknowledgementReceived,
            EventSource::StatementAnswered => {
                Happening::StatementAnswered(StatementResponse::parse(detail)?)
            }
            EventSource::QuestionAsked => Happening::QuestionAsked,
            EventSource::QuestionAnswered => Happening::QuestionAnswered,
            EventSource::FeelingShared => Happening::FeelingShared,
            EventSource::Reflected => Happening::Reflected,
            EventSource::FeltHeard => Happening::FeltHeard,
            EventSource::CheckedIn => Happening::CheckedIn(Trust::parse(detail)?),
            EventSource::Triggered => Happening::Triggered,
            EventSource::TriggerAnswered => Happening::TriggerAnswered,
            EventSource::EvidenceShared => Happening::EvidenceShared,
            EventSource::TransparencyOffered => Happening::TransparencyOffered,
            EventSource::TransparencyAgreed => Happening::TransparencyAgreed,
            EventSource::AreaDone => Happening::AreaDone(Area::parse(detail)?),
        })
    }
}

/// An event and the row it came from: its place in the timeline's order (time, then row).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlacedEvent {
    pub event: Event,
    pub row: Uuid,
}

impl PlacedEvent {
    pub fn cursor(&self) -> Cursor {
        Cursor::new(self.event.at, self.row)
    }
}

/// A window of the timeline, in the order things happened: the newest `ask.size` events
/// before the cursor, from the stored events (newest first, as the store reads them, up to
/// [`WindowAsk::rows_to_fetch`]) and the journey's own moments, which are few and already known.
pub fn timeline_window(
    stored: Vec<StoredEvent>,
    journey: Vec<PlacedEvent>,
    only: Option<Area>,
    ask: WindowAsk,
) -> Window<Event> {
    let mut placed: Vec<PlacedEvent> = stored
        .iter()
        .filter_map(|s| {
            Some(PlacedEvent {
                event: Event {
                    at: s.at,
                    what: s.happening()?,
                },
                row: s.row,
            })
        })
        .chain(
            journey
                .into_iter()
                .filter(|p| p.cursor() < ask.before)
                .filter(|p| only.is_none() || p.event.what.area() == only),
        )
        .collect();
    placed.sort_by_key(|p| std::cmp::Reverse(p.cursor()));
    let mut window = Window::of(placed, ask, PlacedEvent::cursor);
    window.items.reverse();
    window.map(|p| p.event)
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

    fn stored(ms: i64, source: EventSource, row: u128, detail: Option<&str>) -> StoredEvent {
        StoredEvent {
            at: Timestamp(ms),
            source,
            row: Uuid::from_u128(row),
            detail: detail.map(str::to_owned),
            follows: false,
        }
    }

    #[test]
    fn every_source_has_its_own_code() {
        for source in EventSource::ALL {
            assert_eq!(EventSource::from_code(source.code()), Some(source));
        }
        assert_eq!(EventSource::from_code(-1), None);
        assert_eq!(EventSource::from_code(16), None);
    }

    #[test]
    fn an_areas_filter_reads_only_the_sources_that_can_hold_its_events() {
        let all = EventFilter::of(None);
        assert_eq!(all.sources.len(), EventSource::ALL.len());
        assert_eq!(all.done_area, None);
        let questions = EventFilter::of(Some(Area::Questions));
        assert_eq!(
            questions.sources,
            [
                EventSource::QuestionAsked,
                EventSource::QuestionAnswered,
                EventSource::AreaDone
            ]
        );
        assert!(questions.entry_kinds.is_empty());
        let honesty = EventFilter::of(Some(Area::Honesty));
        assert_eq!(
            honesty.entry_kinds,
            [EntryKind::Pledge, EntryKind::Disclosure]
        );
        assert!(honesty.sources.contains(&EventSource::EvidenceShared));
        assert!(!honesty.sources.contains(&EventSource::Triggered));
        // Every event a filter keeps is of its area, for every source and area.
        for area in Area::ALL {
            let filter = EventFilter::of(Some(area));
            for source in filter.sources {
                if let Some(Some(fixed)) = source.fixed_area() {
                    assert_eq!(fixed, area);
                }
            }
        }
    }

    #[test]
    fn a_stored_event_that_no_longer_reads_is_left_out() {
        let sent = stored(1, EventSource::EntrySent, 1, Some("pledge"));
        assert_eq!(sent.happening(), Some(Happening::Sent(EntryKind::Pledge)));
        let corrected = StoredEvent {
            follows: true,
            ..stored(1, EventSource::EntrySent, 1, Some("accountability"))
        };
        assert_eq!(
            corrected.happening(),
            Some(Happening::Corrected(EntryKind::Accountability))
        );
        assert_eq!(
            stored(1, EventSource::CheckedIn, 1, Some("11")).happening(),
            None
        );
        assert_eq!(
            stored(1, EventSource::AreaDone, 1, Some("x")).happening(),
            None
        );
    }

    #[test]
    fn a_window_merges_the_journeys_moments_and_reads_in_order() {
        let journey = vec![PlacedEvent {
            event: at(5, Happening::JourneyBegan),
            row: Uuid::from_u128(99),
        }];
        let rows = vec![
            stored(30, EventSource::QuestionAnswered, 3, None),
            stored(20, EventSource::QuestionAsked, 2, None),
            stored(10, EventSource::QuestionAsked, 1, None),
        ];
        // The newest two: an older window exists, and starts at the older of them.
        let ask = WindowAsk::newest(2);
        let window = timeline_window(rows.clone(), journey.clone(), None, ask);
        assert_eq!(
            window.items.iter().map(|e| e.at.0).collect::<Vec<_>>(),
            [20, 30]
        );
        assert_eq!(
            window.older,
            Some(Cursor::new(Timestamp(20), Uuid::from_u128(2)))
        );
        // The older window holds the rest and the journey's start, which no area filter of
        // an area keeps.
        let ask = WindowAsk::before(window.older, 2);
        let rest = timeline_window(rows[2..].to_vec(), journey.clone(), None, ask);
        assert_eq!(
            rest.items.iter().map(|e| e.at.0).collect::<Vec<_>>(),
            [5, 10]
        );
        assert_eq!(rest.older, None);
        let only = timeline_window(rows[2..].to_vec(), journey, Some(Area::Questions), ask);
        assert_eq!(only.items.iter().map(|e| e.at.0).collect::<Vec<_>>(), [10]);
    }
}
