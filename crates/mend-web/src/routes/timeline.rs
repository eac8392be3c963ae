//! The timeline of a journey — every event in order, filterable by area, with the trust chart
//! — and the printable summary a couple can bring to a counselling session.

use axum::extract::State;
use axum::response::Response;
use mend_core::store::BreachRecord;
use mend_core::timeline::{arrange, timeline_window, EventFilter, PlacedEvent};
use mend_core::{
    Area, AreaStatus, Cursor, EntryKind, EntryState, Event, FollowUp, Happening, StatementResponse,
    Timestamp, TransparencyState, Verdict, WindowAsk,
};
use serde::Deserialize;

use crate::access::JourneyAccess;
use crate::chart::TrustScores;
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::Query;
use crate::fields;
use crate::key;
use crate::names::{area_name, ending_name, kind_name, status_name};
use crate::paging::Pager;
use crate::sections::section_path;
use crate::state::AppState;
use crate::views::{
    render, CheckInView, Count, EventView, Labelled, StatementPart, StatementView, SummaryPage,
    TimelinePage,
};
use crate::when::LocalClock;

fn sent_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Acknowledgement => key!("timeline.sent_acknowledgement"),
        EntryKind::Pledge => key!("timeline.sent_pledge"),
        EntryKind::Disclosure => key!("timeline.sent_disclosure"),
        EntryKind::Accountability => key!("timeline.sent_accountability"),
        EntryKind::Intention => key!("timeline.sent_intention"),
        EntryKind::Recommitment => key!("timeline.sent_recommitment"),
        EntryKind::Reassurance => key!("timeline.sent_reassurance"),
        EntryKind::MySide => key!("timeline.sent_my_side"),
        EntryKind::Context => key!("timeline.sent_context"),
    }
}

/// A correction or addition, named as one: "an addition to the accountability statement".
fn corrected_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Acknowledgement => key!("everyday.added_acknowledgement"),
        EntryKind::Pledge => key!("everyday.added_pledge"),
        EntryKind::Accountability => key!("everyday.added_accountability"),
        EntryKind::Intention => key!("everyday.added_intention"),
        EntryKind::MySide => key!("everyday.added_my_side"),
        other => sent_name(other),
    }
}

/// The journey's own moments, from its record: when it began, when the later conversations
/// were opened, closing proposed, and its end. Each stands at the journey's row in the order.
pub(crate) fn journey_moments(breach: &BreachRecord) -> Vec<PlacedEvent> {
    let s = &breach.state;
    let mut moments = vec![(Some(breach.created_at), Happening::JourneyBegan)];
    moments.push((s.my_side_opened_at, Happening::MySideOpened));
    moments.push((s.context_opened_at, Happening::ContextOpened));
    moments.push((s.closing_proposed_at, Happening::ClosingProposed));
    if let Some(ended) = s.ended {
        moments.push((Some(ended.at), Happening::Ended(ended.how)));
    }
    moments
        .into_iter()
        .filter_map(|(at, what)| {
            Some(PlacedEvent {
                event: Event { at: at?, what },
                row: breach.id.0,
            })
        })
        .collect()
}

/// Every event of the journey the viewer may see (never the other partner's drafts or private
/// notes), in no particular order: the printable summary holds all of them.
async fn events(state: &AppState, journey: &JourneyAccess) -> Result<Vec<Event>, WebError> {
    let (breach, viewer) = (&journey.breach, journey.viewer_id());
    let mut events: Vec<Event> = journey_moments(breach)
        .into_iter()
        .map(|p| p.event)
        .collect();
    let mut push = |at: Option<Timestamp>, what: Happening| {
        if let Some(at) = at {
            events.push(Event { at, what });
        }
    };
    for kind in EntryKind::ALL {
        for e in state.store.entries_for(breach.id, kind, viewer).await? {
            let sent = if e.follows.is_some() && kind.follow_up() == FollowUp::Correction {
                Happening::Corrected(kind)
            } else {
                Happening::Sent(kind)
            };
            push(e.sent_at, sent);
            push(e.withdrawn_at, Happening::Withdrawn(kind));
            push(e.received_at, Happening::AcknowledgementReceived);
            if let Some(response) = e.response {
                push(e.responded_at, Happening::StatementAnswered(response));
            }
        }
    }
    for q in state.store.questions(breach.id).await? {
        push(Some(q.created_at), Happening::QuestionAsked);
    }
    for a in state.store.answers(breach.id).await? {
        push(Some(a.created_at), Happening::QuestionAnswered);
    }
    for f in state.store.feelings(breach.id).await? {
        push(Some(f.created_at), Happening::FeelingShared);
    }
    for r in state.store.reflections(breach.id).await? {
        push(Some(r.created_at), Happening::Reflected);
        if r.verdict == Some(Verdict::Heard) {
            push(r.verdict_at, Happening::FeltHeard);
        }
    }
    for c in state.store.check_ins(breach.id).await? {
        push(Some(c.created_at), Happening::CheckedIn(c.trust));
    }
    for t in state.store.triggers(breach.id).await? {
        push(Some(t.created_at), Happening::Triggered);
        push(t.replied_at, Happening::TriggerAnswered);
    }
    for e in state.store.evidence_for(breach.id, viewer).await? {
        push(e.shared_at, Happening::EvidenceShared);
    }
    for t in state.store.transparency_agreements(breach.id).await? {
        push(Some(t.created_at), Happening::TransparencyOffered);
        if t.state == TransparencyState::Accepted {
            push(t.decided_at, Happening::TransparencyAgreed);
        }
    }
    for a in state.store.areas(breach.id).await? {
        if a.status == AreaStatus::Done {
            push(Some(a.changed_at), Happening::AreaDone(a.area));
        }
    }
    Ok(events)
}

/// An event in words, with a link to where it lives in the journey at `journey`.
pub(crate) fn describe(
    chrome: &Chrome,
    clock: &LocalClock,
    journey: &str,
    event: &Event,
) -> EventView {
    let page = |path: &str| Some(format!("{journey}/{path}"));
    let (text, href) = match event.what {
        Happening::JourneyBegan => (chrome.s.t(key!("timeline.began")).to_owned(), None),
        Happening::Sent(kind) => (
            chrome.s.t(sent_name(kind)).to_owned(),
            page(section_path(kind)),
        ),
        Happening::Corrected(kind) => (
            chrome.s.t(corrected_name(kind)).to_owned(),
            page(section_path(kind)),
        ),
        Happening::Withdrawn(kind) => (
            chrome.s.t(key!("timeline.withdrawn")).to_owned(),
            page(section_path(kind)),
        ),
        Happening::AcknowledgementReceived => (
            chrome.s.t(key!("timeline.received")).to_owned(),
            page("acknowledge"),
        ),
        Happening::StatementAnswered(StatementResponse::FeelsGenuine) => (
            chrome.s.t(key!("timeline.genuine")).to_owned(),
            page("accountability"),
        ),
        Happening::StatementAnswered(StatementResponse::SomethingMissing) => (
            chrome.s.t(key!("timeline.missing")).to_owned(),
            page("accountability"),
        ),
        Happening::QuestionAsked => (
            chrome.s.t(key!("timeline.asked")).to_owned(),
            page("questions"),
        ),
        Happening::QuestionAnswered => (
            chrome.s.t(key!("timeline.answered")).to_owned(),
            page("questions"),
        ),
        Happening::FeelingShared => (
            chrome.s.t(key!("timeline.feeling")).to_owned(),
            page("feelings"),
        ),
        Happening::Reflected => (
            chrome.s.t(key!("timeline.reflected")).to_owned(),
            page("feelings"),
        ),
        Happening::FeltHeard => (
            chrome.s.t(key!("timeline.heard")).to_owned(),
            page("feelings"),
        ),
        Happening::CheckedIn(trust) => (
            chrome.s.with(
                key!("timeline.check_in"),
                "trust",
                &trust.value().to_string(),
            ),
            page("patience"),
        ),
        Happening::Triggered => (
            chrome.s.t(key!("timeline.triggered")).to_owned(),
            page("triggers"),
        ),
        Happening::TriggerAnswered => (
            chrome.s.t(key!("timeline.trigger_answered")).to_owned(),
            page("triggers"),
        ),
        Happening::EvidenceShared => (
            chrome.s.t(key!("timeline.evidence")).to_owned(),
            page("evidence"),
        ),
        Happening::TransparencyOffered => (
            chrome.s.t(key!("timeline.transparency_offered")).to_owned(),
            page("transparency"),
        ),
        Happening::TransparencyAgreed => (
            chrome.s.t(key!("timeline.transparency_agreed")).to_owned(),
            page("transparency"),
        ),
        Happening::AreaDone(area) => (
            chrome.s.with(
                key!("timeline.area_done"),
                "area",
                chrome.s.t(area_name(area)),
            ),
            None,
        ),
        Happening::MySideOpened => (
            chrome.s.t(key!("timeline.my_side_opened")).to_owned(),
            page("my-side"),
        ),
        Happening::ContextOpened => (
            chrome.s.t(key!("timeline.context_opened")).to_owned(),
            page("context"),
        ),
        Happening::ClosingProposed => (
            chrome.s.t(key!("timeline.closing_proposed")).to_owned(),
            page("endings"),
        ),
        Happening::Ended(how) => (
            chrome
                .s
                .with(key!("timeline.ended"), "how", chrome.s.t(ending_name(how))),
            page("endings"),
        ),
    };
    EventView {
        when: clock.at(event.at),
        area: event.what.area().map(area_name),
        text,
        href,
    }
}

/// The trust chart and its table: the latest scores only, read without their notes.
async fn chart_rows(
    state: &AppState,
    clock: &LocalClock,
    breach: &BreachRecord,
) -> Result<(Option<crate::views::Chart>, Vec<CheckInView>), WebError> {
    let scores = TrustScores::latest(state, breach).await?;
    let rows = scores
        .points
        .iter()
        .rev()
        .map(|(at, trust)| CheckInView {
            id: None,
            when: clock.at(*at),
            trust: trust.value(),
            note: None,
        })
        .collect();
    Ok((scores.chart(clock), rows))
}

/// `?area=<area>`: the one area to show; none, empty or "all" shows them all. `?before=`:
/// the window of events before that place; none is the newest.
#[derive(Deserialize)]
pub struct TimelineQuery {
    area: Option<String>,
    before: Option<Cursor>,
}

/// How many events one window of the timeline shows.
pub(crate) const TIMELINE_WINDOW: usize = 50;

impl TimelineQuery {
    /// The area asked for; one that is not an area is a malformed request.
    fn only(&self) -> Result<Option<Area>, WebError> {
        match self.area.as_deref() {
            None | Some("") | Some("all") => Ok(None),
            Some(raw) => Area::parse(raw).map(Some).ok_or(WebError::BadRequest),
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    journey: JourneyAccess,
    chrome: Chrome,
    Query(query): Query<TimelineQuery>,
) -> Result<Response, WebError> {
    let only = query.only()?;
    let (chrome, href) = (chrome.signed_in(), journey.href());
    let clock = LocalClock::of(state.strings, &journey.viewer);
    let ask = WindowAsk::before(query.before, TIMELINE_WINDOW);
    let stored = state
        .store
        .timeline_events(journey.id(), &EventFilter::of(only), ask)
        .await?;
    let window = timeline_window(stored, journey_moments(&journey.breach), only, ask);
    let list = match only {
        Some(area) => format!("{href}/timeline?area={}", area.as_str()),
        None => format!("{href}/timeline"),
    };
    let pager = Pager::of(&list, ask, &window);
    let shown = window
        .items
        .iter()
        .map(|e| describe(&chrome, &clock, &href, e))
        .collect();
    let (chart, rows) = chart_rows(&state, &clock, &journey.breach).await?;
    Ok(render(&TimelinePage {
        journey: href,
        chrome,
        areas: Area::ALL
            .iter()
            .map(|a| Labelled {
                value: a.as_str(),
                label: area_name(*a),
            })
            .collect(),
        only: only.map(Area::as_str).unwrap_or("all"),
        events: shown,
        pager,
        chart,
        rows,
        show_notes: false,
    }))
}

/// Each statement that belongs in a summary, whole: what was sent first and every correction
/// or addition sent after it, in order (a withdrawn part has no words left to show).
async fn statements(
    state: &AppState,
    clock: &LocalClock,
    journey: &JourneyAccess,
) -> Result<Vec<StatementView>, WebError> {
    let mut shown = Vec::new();
    for (kind, title) in [
        (EntryKind::Acknowledgement, key!("ack.title")),
        (EntryKind::Pledge, key!("pledge.title")),
        (EntryKind::Accountability, key!("accountability.title")),
        (EntryKind::Intention, key!("intention.title")),
    ] {
        let mut parts = Vec::new();
        for entry in state
            .store
            .entries_for(journey.id(), kind, journey.viewer_id())
            .await?
            .into_iter()
            .filter(|e| e.state == EntryState::Sent)
        {
            let Some(sealed) = &entry.body else { continue };
            parts.push(StatementPart {
                text: journey.key.open(entry.id.0, fields::ENTRY_BODY, sealed)?,
                sent_on: clock.at(entry.sent_at.unwrap_or(entry.created_at)),
                addition: !parts.is_empty(),
            });
        }
        if !parts.is_empty() {
            shown.push(StatementView { title, parts });
        }
    }
    Ok(shown)
}

pub async fn summary(
    State(state): State<AppState>,
    journey: JourneyAccess,
    chrome: Chrome,
) -> Result<Response, WebError> {
    let (breach, href) = (&journey.breach, journey.href());
    let details = journey.details()?;
    let chrome = chrome.signed_in();
    // The summary is made for paper: full dates, and the zone they are in.
    let clock = LocalClock::of(state.strings, &journey.viewer).absolute();
    let all = arrange(events(&state, &journey).await?, None);
    let count = |pred: &dyn Fn(&Happening) -> bool| all.iter().filter(|e| pred(&e.what)).count();
    let counts = vec![
        Count {
            label: key!("summary.questions_asked"),
            value: count(&|h| *h == Happening::QuestionAsked),
        },
        Count {
            label: key!("summary.questions_answered"),
            value: count(&|h| *h == Happening::QuestionAnswered),
        },
        Count {
            label: key!("summary.disclosures"),
            value: count(&|h| *h == Happening::Sent(EntryKind::Disclosure)),
        },
        Count {
            label: key!("summary.feelings_shared"),
            value: count(&|h| *h == Happening::FeelingShared),
        },
        Count {
            label: key!("summary.feelings_heard"),
            value: count(&|h| *h == Happening::FeltHeard),
        },
        Count {
            label: key!("summary.check_ins"),
            value: count(&|h| matches!(h, Happening::CheckedIn(_))),
        },
        Count {
            label: key!("summary.triggers"),
            value: count(&|h| *h == Happening::Triggered),
        },
    ];
    let areas = state
        .store
        .areas(breach.id)
        .await?
        .into_iter()
        .map(|a| (area_name(a.area), status_name(a.status)))
        .collect();
    let events = all
        .iter()
        .map(|e| describe(&chrome, &clock, &href, e))
        .collect();
    let (chart, rows) = chart_rows(&state, &clock, breach).await?;
    Ok(render(&SummaryPage {
        journey: href,
        kind: kind_name(details.kind),
        agreement: details.agreement,
        began: clock.at(breach.created_at),
        ended: breach
            .state
            .ended
            .map(|e| (ending_name(e.how), clock.at(e.at))),
        printed_on: clock.at(clock.now()),
        zone_note: clock.zone_note(),
        areas,
        counts,
        statements: statements(&state, &clock, &journey).await?,
        events,
        chart,
        rows,
        show_notes: false,
        chrome,
    }))
}
