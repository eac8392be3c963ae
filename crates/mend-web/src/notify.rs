//! Planning the "something waits" message (issue 12): after a partner's write, when a choice
//! changes, after a message went, and in the worker's periodic look at reminders.
//!
//! Every plan reads the same things — the person's choice, their zone, when the last message
//! went, and the facts of what waits for them (one bounded query) — and asks
//! `mend_core::notification` when the next message is due. The store keeps one pending
//! message per person whatever races, so planning twice is harmless.

use std::sync::{Arc, OnceLock};

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use mend_core::notification::{next_message, outlook, Cadence, Outlook};
use mend_core::store::NoticeRecipient;
use mend_core::{MailJobId, PersonId, StoreError, Timestamp, Zone};

use crate::session::now;
use crate::state::AppState;

/// What planning found for a person with messages on and a verified address.
pub(crate) struct Plan {
    pub recipient: NoticeRecipient,
    pub zone: Zone,
    pub outlook: Outlook,
    pub due: Option<Timestamp>,
}

/// The person's plan, or none when mail is off here, they never chose, chose off, or their
/// address is not verified: then nothing is ever queued for them.
pub(crate) async fn plan(
    state: &AppState,
    person: PersonId,
    at: Timestamp,
) -> Result<Option<Plan>, StoreError> {
    if state.mail.is_none() {
        return Ok(None);
    }
    let Some(recipient) = state.store.notice_recipient(person).await? else {
        return Ok(None);
    };
    if recipient.choice.cadence == Cadence::Off || !recipient.verified {
        return Ok(None);
    }
    let zone = Zone::stored(recipient.time_zone.as_deref());
    let facts = state.store.waiting_facts(person, None).await?;
    let outlook = outlook(
        &facts,
        recipient.choice.topics,
        recipient.last_sent,
        at,
        &zone,
    );
    let due = next_message(&recipient.choice, &zone, at, recipient.last_sent, &outlook);
    Ok(Some(Plan {
        recipient,
        zone,
        outlook,
        due,
    }))
}

/// Makes sure the person's next message is queued, no later than the plan says.
pub(crate) async fn ensure(
    state: &AppState,
    person: PersonId,
    at: Timestamp,
) -> Result<(), StoreError> {
    let Some(Plan { due: Some(due), .. }) = plan(state, person, at).await? else {
        return Ok(());
    };
    queue(state, person, due, at).await
}

async fn queue(
    state: &AppState,
    person: PersonId,
    due: Timestamp,
    at: Timestamp,
) -> Result<(), StoreError> {
    state
        .store
        .ensure_notice(MailJobId::new(), person, due, at)
        .await?;
    if due <= at {
        if let Some(mail) = &state.mail {
            mail.wake();
        }
    }
    Ok(())
}

/// After the person changed their choice: the pending message moves to the new plan, earlier
/// or later, or goes when nothing is due any more.
pub(crate) async fn replan(
    state: &AppState,
    person: PersonId,
    at: Timestamp,
) -> Result<(), StoreError> {
    let due = plan(state, person, at).await?.and_then(|p| p.due);
    state.store.reschedule_notice(person, due, at).await?;
    match due {
        Some(due) => queue(state, person, due, at).await,
        None => Ok(()),
    }
}

/// Who wrote in this request, when the session was looked up: set by the viewer extractor
/// (`session.rs`), read once the handler is done.
#[derive(Clone, Default)]
pub(crate) struct Writer(Arc<OnceLock<PersonId>>);

impl Writer {
    pub(crate) fn set(&self, person: PersonId) {
        let _ = self.0.set(person);
    }
}

/// A layer around every route: after a form a logged-in person sent went through (a success
/// or a redirect after it), their partner's next message is planned, and their own (a rhythm
/// they chose sets when their reminder falls due). One place, so no write can forget it; what
/// counts as new is decided from the facts, so a form that wrote nothing for anyone (a draft,
/// a setting) queues nothing.
pub(crate) async fn after_writes(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST || state.mail.is_none() {
        return next.run(request).await;
    }
    let writer = Writer::default();
    request.extensions_mut().insert(writer.clone());
    let response = next.run(request).await;
    let status = response.status();
    let went_through = status.is_success() || status.is_redirection();
    if let (Some(author), true) = (writer.0.get(), went_through) {
        if after_write(&state, *author).await.is_err() {
            // The write itself stands; the next write or the worker's look plans again.
            tracing::warn!("the partner's notification could not be planned");
        }
    }
    response
}

async fn after_write(state: &AppState, author: PersonId) -> Result<(), StoreError> {
    let at = now();
    ensure(state, author, at).await?;
    match state.store.partner_of(author).await? {
        Some(partner) => ensure(state, partner, at).await,
        None => Ok(()),
    }
}
