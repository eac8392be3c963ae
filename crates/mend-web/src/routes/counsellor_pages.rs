//! What a counsellor sees and does (issue 14): the invitation link, their couples, and each
//! couple's journeys read-only, with notes left for both partners.

use crate::routes::timeline::TIMELINE_WINDOW;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_coach::Mode;
use mend_core::counsellor::{ShareArea, Taker};
use mend_core::store::{CounsellorGrantRecord, CounsellorNoteRecord};
use mend_core::timeline::{timeline_window, EventFilter};
use mend_core::WindowAsk;
use mend_core::{CounsellorNoteId, CounsellorRefusal, PersonId, SpaceId, StoreError};
use serde::Deserialize;
use std::collections::HashMap;

use crate::access::{CounsellorViewer, CoupleAccess, SharedJourneyAccess};
use crate::chart::{TrustScores, CHART_POINTS};
use crate::chrome::Chrome;
use crate::coaching::results_for;
use crate::error::WebError;
use crate::extract::{Form, Path};
use crate::fields;
use crate::key;
use crate::once::FormId;
use crate::session::{self, now, MaybeViewer, Viewer};
use crate::state::AppState;
use crate::views::{
    render, render_with, CheckInView, CounselCouplePage, CounselHomePage, CounselJourneyLink,
    CounselJourneyPage, CounsellorAcceptPage, CounsellorInvitePage, CoupleLink, NoteView,
    SharedAgreement, SharedArea, SharedFeeling, SharedQuestion, SharedScore, SharedSummary,
    SharedText, SharedTrigger,
};
use crate::when::LocalClock;

/// The longest note a counsellor may leave, in characters.
pub const MAX_NOTE_CHARS: usize = 4_000;

/// `/counsellor-invite/{code}`: the code is the secret the link carries.
#[derive(Deserialize)]
pub struct CodePath {
    code: String,
}

/// The grant a link's code names, or "unknown".
pub async fn grant_by_code(
    state: &AppState,
    code: &str,
) -> Result<CounsellorGrantRecord, WebError> {
    if !super::invites::well_formed(code) {
        return Err(CounsellorRefusal::Unknown.into());
    }
    state
        .store
        .counsellor_grant_by_code(&crate::routes::counsellor::code_hash(state, code))
        .await?
        .ok_or_else(|| CounsellorRefusal::Unknown.into())
}

async fn taker(state: &AppState, viewer: &Viewer, space: SpaceId) -> Result<Taker, WebError> {
    Ok(Taker {
        counsellor_account: viewer.record.counsellor_since.is_some(),
        partner_of_this_space: state
            .store
            .membership_of(viewer.id())
            .await?
            .is_some_and(|m| m.space == space),
    })
}

/// The partners' names, the space's creator first, as they chose to show them.
async fn couple_names(
    state: &AppState,
    space: SpaceId,
) -> Result<(String, HashMap<PersonId, String>), WebError> {
    let mut members = state.store.members(space).await?;
    members.sort_by_key(|m| m.seat.number());
    let mut names = HashMap::new();
    let mut shown = Vec::new();
    for m in members {
        let record = state
            .store
            .person(m.person)
            .await?
            .ok_or_else(|| WebError::internal("a member has no person row"))?;
        let name = session::open_name(state, &record)?.1.as_str().to_owned();
        shown.push(name.clone());
        names.insert(m.person, name);
    }
    let together = match shown.as_slice() {
        [first, second] => state.strings.fill(
            key!("counsellor.names"),
            &[("first", first), ("second", second)],
        ),
        [only] => only.clone(),
        _ => String::new(),
    };
    Ok((together, names))
}

pub async fn invite(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    chrome: Chrome,
    Path(CodePath { code }): Path<CodePath>,
) -> Result<Response, WebError> {
    let grant = grant_by_code(&state, &code).await?;
    let Some(viewer) = viewer.0 else {
        grant.grant.link_usable(now())?;
        return Ok(render(&CounsellorInvitePage { chrome, code }));
    };
    grant
        .grant
        .may_accept(now(), taker(&state, &viewer, grant.space).await?)?;
    let (names, _) = couple_names(&state, grant.space).await?;
    Ok(render(&CounsellorAcceptPage {
        chrome: chrome.signed_in(),
        code,
        names,
    }))
}

pub async fn accept(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(CodePath { code }): Path<CodePath>,
) -> Result<Response, WebError> {
    let grant = grant_by_code(&state, &code).await?;
    let home = Redirect::to(&format!("/counsel/{}", grant.space)).into_response();
    if grant.counsellor == Some(viewer.id()) && grant.grant.is_active() {
        // Accepted already: a double submit.
        return Ok(home);
    }
    grant
        .grant
        .may_accept(now(), taker(&state, &viewer, grant.space).await?)?;
    if state
        .store
        .accept_counsellor(grant.id, viewer.id(), now())
        .await?
    {
        tracing::info!(space = %grant.space, "counsellor accepted");
        return Ok(home);
    }
    // Something changed at the same moment: say what is true now.
    let again = grant_by_code(&state, &code).await?;
    if again.counsellor == Some(viewer.id()) && again.grant.is_active() {
        return Ok(home);
    }
    again
        .grant
        .may_accept(now(), taker(&state, &viewer, again.space).await?)?;
    Err(WebError::Conflict)
}

pub async fn home(
    State(state): State<AppState>,
    CounsellorViewer(viewer): CounsellorViewer,
    chrome: Chrome,
) -> Result<Response, WebError> {
    let mut couples = Vec::new();
    for grant in state.store.counsellor_grants(viewer.id()).await? {
        let (names, _) = couple_names(&state, grant.space).await?;
        couples.push(CoupleLink {
            href: format!("/counsel/{}", grant.space),
            names,
            new_since: state
                .store
                .counsellor_new_since(viewer.id(), grant.space, grant.last_seen_at)
                .await?,
        });
    }
    Ok(render(&CounselHomePage {
        chrome: chrome.signed_in(),
        couples,
    }))
}

pub async fn couple(
    State(state): State<AppState>,
    couple: CoupleAccess,
    chrome: Chrome,
) -> Result<Response, WebError> {
    let clock = LocalClock::of(state.strings, &couple.viewer);
    let (names, people) = couple_names(&state, couple.space()).await?;
    let mut journal = Vec::new();
    for j in state
        .store
        .counsellor_journal(couple.viewer.id(), couple.space())
        .await?
    {
        journal.push(SharedText {
            by: people.get(&j.author).cloned().unwrap_or_default(),
            text: couple
                .key
                .open(j.id.0, fields::JOURNAL_COUNSELLOR_COPY, &j.copy)?,
            when: clock.at(j.created_at),
        });
    }
    let journeys = state
        .store
        .counsellor_breaches(couple.viewer.id(), couple.space())
        .await?
        .into_iter()
        .map(|b| CounselJourneyLink {
            href: format!("{}/breaches/{}", couple.href(), b.id),
            begun: clock.at(b.created_at),
        })
        .collect();
    state
        .store
        .counsellor_looked(couple.viewer.id(), couple.grant.id, now())
        .await?;
    Ok(render(&CounselCouplePage {
        chrome: chrome.signed_in(),
        names,
        journeys,
        journal,
    }))
}

/// What the note form kept when it comes back: the draft, its problems and the coach's view.
struct Draft {
    text: String,
    errors: Vec<&'static str>,
}

async fn journey_page(
    state: &AppState,
    access: &SharedJourneyAccess,
    chrome: Chrome,
    draft: Draft,
) -> Result<CounselJourneyPage, WebError> {
    let counsellor = access.couple.viewer.id();
    let breach = access.breach.id;
    let key = &access.couple.key;
    let clock = LocalClock::of(state.strings, &access.couple.viewer);
    let (names, people) = couple_names(state, access.couple.space()).await?;
    let name = |p: PersonId| people.get(&p).cloned().unwrap_or_default();
    let store = &state.store;

    let mut entries = Vec::new();
    for e in store.counsellor_entries(counsellor, breach).await? {
        let Some(body) = &e.body else { continue };
        entries.push(SharedText {
            by: name(e.author),
            text: key.open(e.id.0, fields::ENTRY_BODY, body)?,
            when: clock.at(e.sent_at.unwrap_or(e.created_at)),
        });
    }
    let answers = store.counsellor_answers(counsellor, breach).await?;
    let mut questions = Vec::new();
    for q in store.counsellor_questions(counsellor, breach).await? {
        let Some(text) = &q.text else { continue };
        let mut shown = Vec::new();
        for a in answers.iter().filter(|a| a.question == q.id) {
            let Some(body) = &a.body else { continue };
            shown.push(SharedText {
                by: name(a.author),
                text: key.open(a.id.0, fields::ANSWER_BODY, body)?,
                when: clock.at(a.created_at),
            });
        }
        questions.push(SharedQuestion {
            question: SharedText {
                by: name(q.asked_by),
                text: key.open(q.id.0, fields::QUESTION_TEXT, text)?,
                when: clock.at(q.created_at),
            },
            answers: shown,
        });
    }
    let reflections = store.counsellor_reflections(counsellor, breach).await?;
    let mut feelings = Vec::new();
    for f in store.counsellor_feelings(counsellor, breach).await? {
        let Some(feeling) = crate::opened::feeling(key, &f)? else {
            continue;
        };
        let mut shown = Vec::new();
        for r in reflections.iter().filter(|r| r.feeling == f.id) {
            let Some(body) = &r.body else { continue };
            shown.push(SharedText {
                by: name(r.author),
                text: key.open(r.id.0, fields::REFLECTION_BODY, body)?,
                when: clock.at(r.created_at),
            });
        }
        feelings.push(SharedFeeling {
            feeling: SharedText {
                by: name(f.person),
                text: feeling.text,
                when: clock.at(f.created_at),
            },
            words: feeling
                .words
                .iter()
                .map(|w| crate::names::word_name(*w))
                .collect(),
            reflections: shown,
        });
    }
    let scores = store
        .counsellor_scores(counsellor, breach)
        .await?
        .into_iter()
        .map(|c| SharedScore {
            by: name(c.person),
            score: c.trust.value().to_string(),
            when: clock.at(c.created_at),
        })
        .collect();
    let mut triggers = Vec::new();
    for t in store.counsellor_triggers(counsellor, breach).await? {
        let reply = match (&t.reply, t.replied_at) {
            (Some(reply), Some(at)) => Some(SharedText {
                by: people
                    .iter()
                    .find(|(p, _)| **p != t.person)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
                text: key.open(t.id.0, fields::TRIGGER_REPLY, reply)?,
                when: clock.at(at),
            }),
            _ => None,
        };
        let note = match &t.note {
            Some(note) => key.open(t.id.0, fields::TRIGGER_NOTE, note)?,
            None => String::new(),
        };
        triggers.push(SharedTrigger {
            trigger: SharedText {
                by: name(t.person),
                text: note,
                when: clock.at(t.created_at),
            },
            reply,
        });
    }
    let mut agreements = Vec::new();
    for a in store.counsellor_agreements(counsellor, breach).await? {
        agreements.push(SharedAgreement {
            agreement: SharedText {
                by: name(a.offered_by),
                text: key.open(a.id.0, fields::TRANSPARENCY_TEXT, &a.text)?,
                when: clock.at(a.created_at),
            },
            period: crate::names::period_name(a.period),
            state: crate::names::transparency_state_name(a.state),
        });
    }
    let summary = match store.counsellor_counts(counsellor, breach).await? {
        None => None,
        Some(counts) => {
            let areas = store
                .counsellor_areas(counsellor, breach)
                .await?
                .into_iter()
                .map(|a| SharedArea {
                    area: crate::names::area_name(a.area),
                    status: crate::names::status_name(a.status),
                })
                .collect();
            let mut points = store
                .counsellor_trust(counsellor, breach, CHART_POINTS + 1)
                .await?;
            let earlier = points.len() > CHART_POINTS;
            if earlier {
                points.remove(0);
            }
            let scores = TrustScores { points, earlier };
            let rows = scores
                .points
                .iter()
                .map(|(at, trust)| CheckInView {
                    id: None,
                    when: clock.at(*at),
                    trust: trust.value(),
                    note: None,
                })
                .collect();
            Some(SharedSummary {
                areas,
                counts: vec![
                    (
                        key!("counsellor.count_entries"),
                        counts.entries_sent.to_string(),
                    ),
                    (
                        key!("counsellor.count_questions"),
                        counts.questions.to_string(),
                    ),
                    (key!("counsellor.count_answers"), counts.answers.to_string()),
                    (
                        key!("counsellor.count_feelings"),
                        counts.feelings.to_string(),
                    ),
                    (
                        key!("counsellor.count_check_ins"),
                        counts.check_ins.to_string(),
                    ),
                    (
                        key!("counsellor.count_triggers"),
                        counts.triggers.to_string(),
                    ),
                ],
                chart: scores.chart(&clock),
                rows,
            })
        }
    };
    let mut evidence = Vec::new();
    for e in store.counsellor_evidence(counsellor, breach).await? {
        evidence.push(SharedText {
            by: name(e.author),
            text: key.open(e.id.0, fields::EVIDENCE_COUNSELLOR_COPY, &e.copy)?,
            when: clock.at(e.created_at),
        });
    }
    // The timeline's events hold no one's words: the gate in SQL decides, and the events are
    // the same neutral ones the partners' timeline shows, without links into their pages.
    let timeline = if store
        .counsellor_reads_shared(counsellor, breach, ShareArea::Timeline)
        .await?
    {
        let ask = WindowAsk::newest(TIMELINE_WINDOW);
        let stored = store
            .timeline_events(breach, &EventFilter::of(None), ask)
            .await?;
        let moments = crate::routes::timeline::journey_moments(&access.breach);
        let window = timeline_window(stored, moments, None, ask);
        Some(
            window
                .items
                .iter()
                .map(|e| crate::routes::timeline::describe(&chrome, &clock, "", e))
                .collect(),
        )
    } else {
        None
    };
    let mut notes = Vec::new();
    for n in store.counsellor_notes_for(counsellor, breach).await? {
        notes.push(NoteView {
            by: access.couple.viewer.name.as_str().to_owned(),
            text: key.open(n.id.0, fields::COUNSELLOR_NOTE, &n.body)?,
            when: clock.at(n.created_at),
        });
    }
    Ok(CounselJourneyPage {
        chrome: chrome.signed_in(),
        action: format!("{}/notes", access.href()),
        couple_href: access.couple.href(),
        names,
        ongoing: !access.breach.state.is_ended(),
        summary,
        timeline,
        triggers,
        agreements,
        entries,
        questions,
        feelings,
        scores,
        evidence,
        notes,
        form_id: CounsellorNoteId::new().to_string(),
        coach: results_for(&draft.text, Mode::Free),
        draft: draft.text,
        errors: draft.errors,
    })
}

pub async fn journey(
    State(state): State<AppState>,
    access: SharedJourneyAccess,
    chrome: Chrome,
) -> Result<Response, WebError> {
    let draft = Draft {
        text: String::new(),
        errors: Vec::new(),
    };
    let page = journey_page(&state, &access, chrome, draft).await?;
    state
        .store
        .counsellor_looked(access.couple.viewer.id(), access.couple.grant.id, now())
        .await?;
    Ok(render(&page))
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    form_id: FormId<CounsellorNoteId>,
    check: Option<String>,
}

fn note_problem(text: &str) -> Option<&'static str> {
    if mend_core::text::is_blank(text) {
        return Some(key!("counsellor.note_empty"));
    }
    if text.chars().count() > MAX_NOTE_CHARS {
        return Some(key!("counsellor.note_long"));
    }
    None
}

pub async fn leave_note(
    State(state): State<AppState>,
    access: SharedJourneyAccess,
    chrome: Chrome,
    Form(form): Form<NoteForm>,
) -> Result<Response, WebError> {
    if access.breach.state.is_ended() {
        return Err(WebError::Refused {
            status: StatusCode::CONFLICT,
            title: key!("counsellor.note_heading"),
            body: key!("counsellor.note_ended"),
        });
    }
    let problem = note_problem(&form.text);
    if problem.is_some() || form.check.is_some() {
        let draft = Draft {
            text: form.text.chars().take(MAX_NOTE_CHARS).collect(),
            errors: problem.into_iter().collect(),
        };
        let page = journey_page(&state, &access, chrome, draft).await?;
        let status = match problem {
            Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
            None => StatusCode::OK,
        };
        return Ok(render_with(status, &page));
    }
    let id = form.form_id.0;
    let note = CounsellorNoteRecord {
        id,
        grant: access.couple.grant.id,
        breach: access.breach.id,
        // The couple keeps the note when the counsellor's access ends.
        body: access
            .couple
            .key
            .seal_for_space(id.0, fields::COUNSELLOR_NOTE, &form.text),
        created_at: now(),
    };
    match state
        .store
        .add_counsellor_note(access.couple.viewer.id(), note)
        .await
    {
        Ok(true) => tracing::info!(breach = %access.breach.id, "counsellor left a note"),
        // The same form sent twice: its note is stored once.
        Err(StoreError::Conflict(_)) => {}
        // The access or the journey ended at this moment.
        Ok(false) => return Err(CounsellorRefusal::Ended.into()),
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&access.href()).into_response())
}
