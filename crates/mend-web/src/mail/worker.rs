//! The worker that sends the queue's messages, started by `mend serve` beside the web server.
//! It claims due jobs from the database (so any number of instances may run it), sends each
//! through lettre, and marks it sent, or due again after a backoff, or given up. A request only
//! ever queues a job, so a slow or failing mail server never holds one up.

use std::sync::Arc;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::AsyncTransport;
use mend_core::mail::MailKind;
use mend_core::store::ClaimedMail;
use mend_core::{Duration, StoreError, Timestamp};
use rand::RngCore;
use tokio::sync::watch;

use super::{compose, Mail};
use crate::fields;
use crate::notify;
use crate::session::{now, random_token};
use crate::state::AppState;
use mend_core::notification::{may_send_now, Hold, Wording};

/// How long a verification link works.
pub const VERIFY_LIFETIME: Duration = Duration::days(1);

/// How long a sent or given-up job is kept before it is forgotten.
const KEEP_FINISHED: Duration = Duration::days(1);

/// At most this many messages in one round, so that a long queue still lets the worker stop.
const ROUND: usize = 100;

/// Why a try did not send. The text is a class, safe to log and store.
enum Failure {
    /// Trying again cannot help: no recipient, an unverified address, a refusal for good.
    Final(&'static str),
    /// Worth trying again later.
    Again(&'static str),
    /// A "something waits" message no longer called for: messages turned off, or nothing
    /// new waits any more (it was opened). Not a failure; nothing is sent.
    NotNeeded(&'static str),
    /// A "something waits" message that may not go yet (quiet hours began, or the choice
    /// changed since it was planned): due again then.
    NotYet(Timestamp),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            // The account was deleted meanwhile: the link's insert, guarded in its own
            // statement, made nothing, and nothing is sent.
            StoreError::Conflict(_) => Failure::Final("no recipient"),
            _ => Failure::Again("database"),
        }
    }
}

/// How long after it was asked for a message carrying a link may still go: the link's own
/// lifetime. Later (retried for hours, or resumed from a restored backup) it would arrive
/// in an inbox long after anyone waited for it.
fn too_late(kind: MailKind) -> Option<Duration> {
    match kind {
        MailKind::PasswordReset => Some(crate::admin::RESET_LIFETIME),
        MailKind::VerifyAddress => Some(VERIFY_LIFETIME),
        MailKind::SomethingWaits => None,
    }
}

/// One worker: the state it sends with.
pub struct Worker {
    state: AppState,
    mail: Arc<Mail>,
}

impl Worker {
    /// A worker for `state`, when mail is configured.
    pub fn new(state: &AppState) -> Option<Self> {
        Some(Self {
            mail: state.mail.clone()?,
            state: state.clone(),
        })
    }

    /// Sends every message due now (up to one round's worth); how many were tried.
    pub async fn run_once(&self) -> Result<usize, StoreError> {
        let (_keep, stop) = watch::channel(false);
        self.run_round(&stop).await
    }

    /// Like [`Worker::run_once`], but claims nothing more once `stop` holds true: the
    /// worker looks before each claim, so a stop waits for one send at most.
    async fn run_round(&self, stop: &watch::Receiver<bool>) -> Result<usize, StoreError> {
        let mut tried = 0;
        while tried < ROUND && !*stop.borrow() {
            let mut claim = [0u8; 16];
            rand::rngs::OsRng.fill_bytes(&mut claim);
            let at = now();
            let Some(job) = self
                .state
                .store
                .claim_mail(&claim, at, at + self.mail.config.lease)
                .await?
            else {
                break;
            };
            tried += 1;
            self.handle(job).await?;
        }
        Ok(tried)
    }

    async fn handle(&self, job: ClaimedMail) -> Result<(), StoreError> {
        let kind = job.kind.as_str();
        let attempts = job.attempts;
        let outcome = self.send(&job).await;
        let at = now();
        let store = &self.state.store;
        match outcome {
            Ok(()) if job.kind == MailKind::SomethingWaits => {
                store
                    .notice_sent(job.id, &job.claim, job.person, at)
                    .await?;
                tracing::info!(kind, attempts, "mail sent");
                // The next one, if a reminder will fall due later.
                notify::ensure(&self.state, job.person, at).await?;
            }
            Ok(()) => {
                store.mail_sent(job.id, &job.claim, at).await?;
                tracing::info!(kind, attempts, "mail sent");
            }
            Err(Failure::NotNeeded(class)) => {
                store
                    .mail_failed(job.id, &job.claim, class, None, at)
                    .await?;
                tracing::info!(kind, reason = class, "mail not needed any more");
                notify::ensure(&self.state, job.person, at).await?;
            }
            Err(Failure::NotYet(until)) => {
                store.notice_postponed(job.id, &job.claim, until).await?;
                tracing::info!(kind, "mail held until the quiet hours end");
            }
            Err(Failure::Final(class)) => {
                store
                    .mail_failed(job.id, &job.claim, class, None, at)
                    .await?;
                tracing::warn!(kind, attempts, failure = class, "mail given up");
            }
            Err(Failure::Again(class)) => {
                let retry = self.mail.config.backoff.next_try(attempts, at);
                store
                    .mail_failed(job.id, &job.claim, class, retry, at)
                    .await?;
                if retry.is_some() {
                    tracing::warn!(kind, attempts, failure = class, "mail not sent; will retry");
                } else {
                    tracing::warn!(kind, attempts, failure = class, "mail given up");
                }
            }
        }
        Ok(())
    }

    /// The link a message of this kind carries, made now: a new single-use token whose keyed
    /// hash is stored, like the reset links the operator's command makes.
    async fn link(&self, job: &ClaimedMail) -> Result<String, Failure> {
        let store = &self.state.store;
        let base = &self.mail.base;
        Ok(match job.kind {
            MailKind::VerifyAddress => {
                let token = random_token();
                store
                    .create_email_verification(
                        &verify_hash(&self.state, &token),
                        job.person,
                        now() + VERIFY_LIFETIME,
                    )
                    .await?;
                format!("{base}/verify/{token}")
            }
            MailKind::PasswordReset => {
                let token = random_token();
                store
                    .create_password_reset(
                        &self
                            .state
                            .key
                            .lookup_hash("password-reset", token.as_bytes()),
                        job.person,
                        now() + crate::admin::RESET_LIFETIME,
                    )
                    .await?;
                format!("{base}/reset/{token}")
            }
            MailKind::SomethingWaits => super::notice_link(base),
        })
    }

    async fn send(&self, job: &ClaimedMail) -> Result<(), Failure> {
        if too_late(job.kind).is_some_and(|lifetime| now() - job.created_at > lifetime) {
            return Err(Failure::Final("too late"));
        }
        let store = &self.state.store;
        let person = match store.person(job.person).await? {
            Some(p) if !p.password_hash.is_empty() => p,
            _ => return Err(Failure::Final("no recipient")),
        };
        if job.kind.needs_verified_address() && store.email_verified_at(job.person).await?.is_none()
        {
            return Err(Failure::Final("unverified"));
        }
        let address = self
            .state
            .key
            .unwrap_key(person.id.0, &person.wrapped_key)
            .and_then(|key| key.open(person.id.0, fields::EMAIL, &person.email))
            .map_err(|_| Failure::Final("unreadable address"))?;
        let to: Mailbox = address.parse().map_err(|_| Failure::Final("address"))?;
        let wording = match job.kind {
            MailKind::SomethingWaits => self.still_wanted(job).await?,
            MailKind::VerifyAddress | MailKind::PasswordReset => Wording::default(),
        };
        let link = self.link(job).await?;
        let words = compose(
            self.state.strings,
            job.kind,
            wording,
            &link,
            &self.mail.base,
        );
        let message = Message::builder()
            .from(self.mail.config.from.clone())
            .to(to)
            .subject(words.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(words.body)
            .map_err(|_| Failure::Final("message"))?;
        match self.mail.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(Failure::Final("refused")),
            Err(e) if e.is_timeout() => Err(Failure::Again("timeout")),
            Err(e) if e.is_transient() => Err(Failure::Again("deferred")),
            Err(_) => Err(Failure::Again("connection")),
        }
    }
}

impl Worker {
    /// Whether a "something waits" message should go now, checked again when it is sent:
    /// the choice may have changed, and what waited may have been opened, since it was
    /// planned. The wording to send it in, if so.
    async fn still_wanted(&self, job: &ClaimedMail) -> Result<Wording, Failure> {
        let at = now();
        let Some(plan) = notify::plan(&self.state, job.person, at).await? else {
            return Err(Failure::NotNeeded("turned off"));
        };
        match may_send_now(&plan.recipient.choice, &plan.zone, at, &plan.outlook) {
            Ok(()) => Ok(plan.recipient.choice.wording),
            Err(Hold::TurnedOff) => Err(Failure::NotNeeded("turned off")),
            Err(Hold::NothingNew) => Err(Failure::NotNeeded("nothing new")),
            Err(Hold::Until(until)) => Err(Failure::NotYet(until)),
        }
    }
}

/// The keyed hash a verification token is stored under.
pub(crate) fn verify_hash(state: &AppState, token: &str) -> [u8; 32] {
    state
        .key
        .lookup_hash("email-verification", token.as_bytes())
}

/// How many people one query of the reminder sweep reads.
const SWEEP_PAGE: u32 = 200;

/// Plans the next message of everyone whose messages are on, a page at a time. Several
/// instances may sweep at once: the store keeps one pending message per person.
async fn sweep_reminders(state: &AppState, at: Timestamp) -> Result<(), StoreError> {
    let mut after = None;
    loop {
        let people = state
            .store
            .people_with_notices_on(after, SWEEP_PAGE)
            .await?;
        for person in &people {
            notify::ensure(state, *person, at).await?;
        }
        match people.last() {
            Some(last) if people.len() == SWEEP_PAGE as usize => after = Some(*last),
            _ => return Ok(()),
        }
    }
}

/// Runs the worker until `stop` turns true (or its sender goes): a round whenever a request
/// queues a message, and every `poll` in any case (for retries, and for messages other
/// instances queued). It looks at `stop` before each claim, so it ends after the send in
/// hand at most; whoever stops it bounds that wait too (see `serve`).
pub async fn run_worker(state: AppState, mut stop: watch::Receiver<bool>) {
    let Some(worker) = Worker::new(&state) else {
        return;
    };
    let mut swept = Timestamp(0);
    loop {
        if *stop.borrow() {
            break;
        }
        if worker.run_round(&stop).await.is_err() {
            tracing::warn!("the mail queue could not be read; trying again soon");
        }
        let at = now();
        if at - swept > Duration::hours(1) {
            swept = at;
            if state
                .store
                .forget_finished_mail(at - KEEP_FINISHED)
                .await
                .is_err()
            {
                tracing::warn!("old mail jobs could not be forgotten; trying again later");
            }
            // Reminders (check-ins, recommitments) fall due without anyone writing: plan
            // them for everyone whose messages are on.
            if sweep_reminders(&state, at).await.is_err() {
                tracing::warn!("reminders could not be planned; trying again later");
            }
            // Links used or expired: nothing opens with them any more.
            if state
                .store
                .forget_spent_links(at - KEEP_FINISHED)
                .await
                .is_err()
            {
                tracing::warn!("old links could not be forgotten; trying again later");
            }
        }
        tokio::select! {
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    break;
                }
            }
            _ = worker.mail.wake.notified() => {}
            _ = tokio::time::sleep(worker.mail.config.poll) => {}
        }
    }
}
