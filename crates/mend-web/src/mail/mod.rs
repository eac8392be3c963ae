//! Mail over SMTP (issue 12): the operator's settings, the messages' words, the queue's
//! worker. Without `--smtp-url` none of it runs and Mend works as it did.
//!
//! Nothing here logs an address, a password, a token or a message's text: a failure is logged
//! and stored as a class ("connection", "refused", ...), never as what a server answered,
//! since a server's answer often repeats the address.

mod message;
pub(crate) mod worker;

use std::sync::Arc;
use std::time::Duration as StdDuration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use mend_core::mail::{Backoff, MailKind};
use mend_core::store::NewMailJob;
use mend_core::{Duration, MailJobId, PersonId, StoreError, Timestamp};
use tokio::sync::Notify;

pub use message::{compose, notice_link, Composed};

/// How long a stopping server waits for a send in hand before dropping it.
pub const STOP_WAIT: StdDuration = StdDuration::from_secs(3);
pub use worker::{run_worker, Worker};

/// How a connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// `smtps://`: TLS from the first byte (port 465 by default).
    Tls,
    /// `smtp://` to any other host: STARTTLS, required (port 587 by default).
    StartTls,
    /// `smtp://` to 127.0.0.1, ::1 or localhost: no TLS (port 25 by default), for a relay on
    /// this machine and for tests.
    Plain,
}

/// The operator's mail settings. Its `Debug` never shows the password.
#[derive(Clone)]
pub struct MailConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    credentials: Option<(String, String)>,
    pub from: Mailbox,
    /// How often the worker looks for due messages when nothing wakes it.
    pub poll: StdDuration,
    /// How long one send may take before it counts as failed.
    pub send_timeout: StdDuration,
    /// How long a claimed message is held before another worker may take it: longer than
    /// the worst send (lettre's timeout applies to each step of a send: connecting, the
    /// greeting, STARTTLS, authentication, each command and the message; about ten steps of
    /// up to `send_timeout`, five minutes at 30 s), so that no second worker sends a
    /// message while the first is still sending it.
    pub lease: Duration,
    pub backoff: Backoff,
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("credentials", &self.credentials.as_ref().map(|_| "(set)"))
            .finish_non_exhaustive()
    }
}

/// Why mail settings were refused. Never holds the URL, which may hold a password.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MailConfigError {
    #[error("the SMTP URL is not a URL (smtp://user:password@host:587 or smtps://...)")]
    NotAUrl,
    #[error("the SMTP URL must start with smtp:// (STARTTLS) or smtps:// (TLS)")]
    Scheme,
    #[error("the SMTP URL names no host")]
    NoHost,
    #[error("the SMTP URL's user name or password is not valid UTF-8 once decoded")]
    Credentials,
    #[error("the sender address (--mail-from) is not a valid address")]
    From,
    #[error("mail needs --public-url, for the links in messages")]
    NoPublicUrl,
}

fn is_local(host: &str) -> bool {
    matches!(
        host.trim_start_matches('[').trim_end_matches(']'),
        "127.0.0.1" | "::1" | "localhost"
    )
}

fn decoded(part: &str) -> Result<String, MailConfigError> {
    percent_encoding::percent_decode_str(part)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| MailConfigError::Credentials)
}

impl MailConfig {
    /// Reads `--smtp-url` and `--mail-from`.
    pub fn parse(smtp_url: &str, from: &str) -> Result<Self, MailConfigError> {
        let url = url::Url::parse(smtp_url.trim()).map_err(|_| MailConfigError::NotAUrl)?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or(MailConfigError::NoHost)?
            .to_owned();
        let security = match url.scheme() {
            "smtps" => Security::Tls,
            "smtp" if is_local(&host) => Security::Plain,
            "smtp" => Security::StartTls,
            _ => return Err(MailConfigError::Scheme),
        };
        let port = url.port().unwrap_or(match security {
            Security::Tls => 465,
            Security::StartTls => 587,
            Security::Plain => 25,
        });
        let credentials = if url.username().is_empty() {
            None
        } else {
            Some((
                decoded(url.username())?,
                decoded(url.password().unwrap_or(""))?,
            ))
        };
        let from: Mailbox = from.trim().parse().map_err(|_| MailConfigError::From)?;
        Ok(Self {
            host,
            port,
            security,
            credentials,
            from,
            poll: StdDuration::from_secs(5),
            send_timeout: StdDuration::from_secs(30),
            lease: Duration::minutes(15),
            backoff: Backoff::DEFAULT,
        })
    }

    pub fn has_credentials(&self) -> bool {
        self.credentials.is_some()
    }

    fn transport(
        &self,
        hello: Option<String>,
    ) -> Result<AsyncSmtpTransport<Tokio1Executor>, lettre::transport::smtp::Error> {
        let mut builder = match self.security {
            Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&self.host)?,
            Security::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&self.host)?,
            Security::Plain => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host),
        }
        .port(self.port)
        .timeout(Some(self.send_timeout));
        if let Some((user, password)) = &self.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        if let Some(name) = hello {
            builder = builder.hello_name(ClientId::Domain(name));
        }
        Ok(builder.build())
    }
}

/// Mail as the running server has it: the settings, the transport, and a bell that wakes the
/// worker when a request queues a message.
pub struct Mail {
    pub config: MailConfig,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    /// The public address, for links.
    pub base: String,
    wake: Notify,
}

impl Mail {
    pub fn new(config: MailConfig, public_url: Option<&str>) -> Result<Arc<Self>, String> {
        let base = public_url
            .ok_or_else(|| MailConfigError::NoPublicUrl.to_string())?
            .trim_end_matches('/')
            .to_owned();
        let hello = url::Url::parse(&base)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .filter(|h| !is_local(h) && h.parse::<std::net::IpAddr>().is_err());
        let transport = config
            .transport(hello)
            .map_err(|_| "the SMTP settings could not be used".to_owned())?;
        Ok(Arc::new(Self {
            config,
            transport,
            base,
            wake: Notify::new(),
        }))
    }

    /// Wakes the worker: a message is due now.
    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }

    /// Queues a message of `kind` for `person`, due now; at most one per kind, person and
    /// window. False when one was already asked for in this window. A person that does not
    /// exist (the same work is done for unknown addresses, see `forgot`) queues nothing.
    pub async fn queue(
        &self,
        store: &dyn mend_core::Store,
        person: PersonId,
        kind: MailKind,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let queued = store
            .enqueue_mail(NewMailJob {
                id: MailJobId::new(),
                person,
                kind,
                window_start: Some(kind.window_start(now)),
                created_at: now,
                due_at: now,
            })
            .await;
        match queued {
            Ok(added) => {
                if added {
                    self.wake.notify_one();
                }
                Ok(added)
            }
            Err(StoreError::Conflict(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_their_protection_and_never_show_the_password() {
        let c = MailConfig::parse(
            "smtp://me%40x.org:s%3Acret@mail.example.org",
            "Mend <m@x.org>",
        )
        .unwrap();
        assert_eq!((c.security, c.port), (Security::StartTls, 587));
        assert_eq!(
            c.credentials,
            Some(("me@x.org".to_owned(), "s:cret".to_owned()))
        );
        assert!(!format!("{c:?}").contains("cret"));
        let c = MailConfig::parse("smtps://mail.example.org", "m@x.org").unwrap();
        assert_eq!((c.security, c.port), (Security::Tls, 465));
        let c = MailConfig::parse("smtp://127.0.0.1:2525", "m@x.org").unwrap();
        assert_eq!((c.security, c.port), (Security::Plain, 2525));
        let c = MailConfig::parse("smtp://localhost", "m@x.org").unwrap();
        assert_eq!((c.security, c.port), (Security::Plain, 25));
        assert_eq!(
            MailConfig::parse("http://mail.example.org", "m@x.org").unwrap_err(),
            MailConfigError::Scheme
        );
        assert_eq!(
            MailConfig::parse("smtp://mail.example.org", "not an address").unwrap_err(),
            MailConfigError::From
        );
        assert_eq!(
            MailConfig::parse("nonsense", "m@x.org").unwrap_err(),
            MailConfigError::NotAUrl
        );
    }
}
