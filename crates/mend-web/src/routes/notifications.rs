//! The account page's "Notifications" block (issue 12): how often Mend may write, the quiet
//! hours, what counts, the words of the message, and, for the partner who is making amends,
//! whether a trigger signal is sent at once. Saving plans the pending message again.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::journey::Role;
use mend_core::mail::MailKind;
use mend_core::notification::{
    Cadence, ChoiceProblem, Hour, NotificationChoice, QuietHours, QuietProblem, Topic, Topics,
    Wording,
};
use mend_core::store::Fact;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::Form;
use crate::key;
use crate::mail::{compose, notice_link};
use crate::notify;
use crate::session::{now, Viewer};
use crate::state::AppState;
use crate::views::{render_with, HourOption, NotificationBlock, TopicOption, WordingOption};

/// The block's form. Choices and hours arrive as text and are read by the core's own parse;
/// a checkbox is present ("on") or missing.
#[derive(Deserialize)]
pub struct NotificationForm {
    #[serde(default)]
    cadence: String,
    #[serde(default)]
    digest_hour: String,
    #[serde(default)]
    quiet: Option<String>,
    #[serde(default)]
    quiet_start: String,
    #[serde(default)]
    quiet_end: String,
    #[serde(default)]
    topic_answers: Option<String>,
    #[serde(default)]
    topic_questions: Option<String>,
    #[serde(default)]
    topic_feelings: Option<String>,
    #[serde(default)]
    topic_check_ins: Option<String>,
    #[serde(default)]
    topic_recommitments: Option<String>,
    #[serde(default)]
    topic_triggers: Option<String>,
    #[serde(default)]
    topic_shared: Option<String>,
    #[serde(default)]
    wording: String,
    #[serde(default)]
    triggers_at_once: Option<String>,
}

fn hour(text: &str) -> Result<u8, &'static str> {
    text.trim()
        .parse::<u8>()
        .ok()
        .and_then(Hour::new)
        .map(Hour::get)
        .ok_or(key!("notifications.hour_invalid"))
}

impl TryFrom<NotificationForm> for NotificationChoice {
    type Error = &'static str;

    fn try_from(f: NotificationForm) -> Result<Self, Self::Error> {
        let cadence = match f.cadence.as_str() {
            "off" => Cadence::Off,
            "soon" => Cadence::Soon,
            "digest" => Cadence::Digest {
                hour: hour(&f.digest_hour)?,
            },
            _ => return Err(key!("notifications.cadence_invalid")),
        };
        let quiet = match f.quiet {
            Some(_) => Some(
                QuietHours::new(hour(&f.quiet_start)?, hour(&f.quiet_end)?).map_err(
                    |p| match p {
                        QuietProblem::NotAnHour => key!("notifications.hour_invalid"),
                        QuietProblem::Empty => key!("notifications.quiet_empty"),
                    },
                )?,
            ),
            None => None,
        };
        let ticked = [
            (Topic::Answers, &f.topic_answers),
            (Topic::Questions, &f.topic_questions),
            (Topic::Feelings, &f.topic_feelings),
            (Topic::CheckIns, &f.topic_check_ins),
            (Topic::Recommitments, &f.topic_recommitments),
            (Topic::Triggers, &f.topic_triggers),
            (Topic::Shared, &f.topic_shared),
        ];
        let topics = ticked
            .into_iter()
            .filter(|(_, on)| on.is_some())
            .fold(Topics::NONE, |t, (topic, _)| t.with(topic));
        if topics == Topics::NONE && cadence != Cadence::Off {
            return Err(key!("notifications.nothing_counted"));
        }
        let wording = Wording::parse(&f.wording).ok_or(key!("notifications.wording_invalid"))?;
        NotificationChoice {
            cadence,
            quiet,
            topics,
            wording,
            triggers_at_once: f.triggers_at_once.is_some(),
        }
        .checked()
        .map_err(|p| match p {
            ChoiceProblem::DigestInQuietHours => key!("notifications.digest_in_quiet"),
            ChoiceProblem::Quiet(_) => key!("notifications.quiet_empty"),
        })
    }
}

/// `POST /account/notifications`: keeps the choice and plans the next message by it, or says
/// what is wrong and changes nothing. Not here when this server sends no mail.
pub async fn choose(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Form(form): Form<NotificationForm>,
) -> Result<Response, WebError> {
    if state.mail.is_none() {
        return Err(WebError::NotFound);
    }
    let choice = match NotificationChoice::try_from(form) {
        Ok(choice) => choice,
        Err(problem) => {
            let page = super::export::page(&state, &viewer, chrome, vec![problem], None).await?;
            return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let at = now();
    state
        .store
        .choose_notifications(viewer.id(), &choice, at)
        .await?;
    notify::replan(&state, viewer.id(), at).await?;
    tracing::info!(cadence = choice.cadence.as_str(), "notifications chosen");
    Ok(Redirect::to("/account?saved=notifications#notifications-title").into_response())
}

/// The block as the account page shows it: the person's choice (or the default, off), and
/// the exact words of each wording.
pub(crate) async fn block(
    state: &AppState,
    viewer: &Viewer,
) -> Result<NotificationBlock, WebError> {
    let Some(mail) = &state.mail else {
        return Ok(NotificationBlock::off_here());
    };
    let stored = state.store.notice_recipient(viewer.id()).await?;
    let verified = state.store.email_verified_at(viewer.id()).await?.is_some();
    let choice = stored.map(|r| r.choice).unwrap_or_default();
    // Trigger signals come to the partner who is making amends: the choice is theirs.
    let repairing = state
        .store
        .waiting_facts(viewer.id(), viewer.space)
        .await?
        .iter()
        .any(|f| f.fact == Fact::Journey(Role::RepairingPartner));
    let link = notice_link(&mail.base);
    let (cadence, digest_hour) = match choice.cadence {
        Cadence::Off => ("off", DEFAULT_DIGEST_HOUR),
        Cadence::Soon => ("soon", DEFAULT_DIGEST_HOUR),
        Cadence::Digest { hour } => ("digest", hour),
    };
    let quiet = choice.quiet;
    let fallback = NotificationChoice::default().quiet;
    let (quiet_start, quiet_end) = quiet.or(fallback).map_or((22, 7), |q| (q.start(), q.end()));
    Ok(NotificationBlock {
        on_server: true,
        verified,
        cadence,
        digest_hour,
        quiet: quiet.is_some(),
        quiet_start,
        quiet_end,
        hours: (0..24)
            .map(|h| HourOption {
                value: h,
                label: format!("{h:02}:00"),
            })
            .collect(),
        topics: Topic::ALL
            .into_iter()
            .map(|t| TopicOption {
                field: topic_field(t),
                label: topic_label(t),
                checked: choice.topics.has(t),
            })
            .collect(),
        wordings: Wording::ALL
            .into_iter()
            .map(|w| {
                let words = compose(
                    state.strings,
                    MailKind::SomethingWaits,
                    w,
                    &link,
                    &mail.base,
                );
                WordingOption {
                    value: w.as_str(),
                    subject: words.subject,
                    body: words.body.replace("\r\n", "\n"),
                    checked: w == choice.wording,
                }
            })
            .collect(),
        at_once_offered: repairing,
        triggers_at_once: choice.triggers_at_once,
        zone: viewer.zone().name(),
        saved: false,
    })
}

/// The digest hour the form offers before one is chosen.
const DEFAULT_DIGEST_HOUR: u8 = 19;

fn topic_field(t: Topic) -> &'static str {
    match t {
        Topic::Answers => "topic_answers",
        Topic::Questions => "topic_questions",
        Topic::Feelings => "topic_feelings",
        Topic::CheckIns => "topic_check_ins",
        Topic::Recommitments => "topic_recommitments",
        Topic::Triggers => "topic_triggers",
        Topic::Shared => "topic_shared",
    }
}

fn topic_label(t: Topic) -> &'static str {
    match t {
        Topic::Answers => key!("notifications.topic_answers"),
        Topic::Questions => key!("notifications.topic_questions"),
        Topic::Feelings => key!("notifications.topic_feelings"),
        Topic::CheckIns => key!("notifications.topic_check_ins"),
        Topic::Recommitments => key!("notifications.topic_recommitments"),
        Topic::Triggers => key!("notifications.topic_triggers"),
        Topic::Shared => key!("notifications.topic_shared"),
    }
}
