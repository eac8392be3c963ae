//! What the web layer needs to know about where it is served.

use std::net::IpAddr;
use std::time::Duration;

/// Settings decided by the operator.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// The address people use to reach Mend, such as `https://mend.example.org`. It decides
    /// whether cookies are `Secure` and which origin forms must come from. When unset, the
    /// request's own `Host` is used, if `allowed_hosts` lets it, and cookies are not `Secure`.
    pub public_url: Option<String>,
    /// Where the quick-exit button leads: an ordinary, unremarkable website.
    pub exit_url: String,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Host names, besides IP addresses and `localhost`, that requests may be addressed to
    /// when there is no public URL (see `guard::host_allowed`).
    pub allowed_hosts: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed: a request from one of them counts
    /// against the client address the proxy names. Empty: the connection's own address.
    pub trusted_proxies: Vec<IpAddr>,
    /// How many passwords may be hashed at once; each hash holds 19 MiB while it runs.
    pub password_hashes: usize,
    /// How long a log-in or sign-up waits for a free hash before it gets the busy page.
    pub password_wait: Duration,
    /// Mail over SMTP (issue 12); `None`: Mend sends nothing, as before.
    pub mail: Option<crate::mail::MailConfig>,
}

impl WebConfig {
    pub const DEFAULT_EXIT_URL: &'static str = "https://www.wikipedia.org/";
    /// Room for the longest entry (20,000 characters) in any script: percent-encoded, a
    /// character takes up to 12 bytes.
    pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;
    pub const DEFAULT_PASSWORD_WAIT: Duration = Duration::from_secs(3);

    /// One hash per core: more at once would only share the cores and use more memory.
    pub fn default_password_hashes() -> usize {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    }

    /// Whether the public address is https, so cookies get `Secure` and the `__Host-` prefix.
    pub fn is_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// The scheme, host and port of the public address, without a trailing slash or path.
    pub fn public_origin(&self) -> Option<String> {
        let url = self.public_url.as_deref()?;
        let (scheme, rest) = url.split_once("://")?;
        let host = rest.split('/').next().unwrap_or(rest);
        Some(format!(
            "{}://{}",
            scheme.to_ascii_lowercase(),
            host.to_ascii_lowercase()
        ))
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            public_url: None,
            exit_url: Self::DEFAULT_EXIT_URL.to_owned(),
            body_limit: Self::DEFAULT_BODY_LIMIT,
            allowed_hosts: Vec::new(),
            trusted_proxies: Vec::new(),
            password_hashes: Self::default_password_hashes(),
            password_wait: Self::DEFAULT_PASSWORD_WAIT,
            mail: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_origin_drops_the_path_and_keeps_the_port() {
        let config = WebConfig {
            public_url: Some("https://Mend.example.org:8443/base/".into()),
            ..WebConfig::default()
        };
        assert_eq!(
            config.public_origin().as_deref(),
            Some("https://mend.example.org:8443")
        );
        assert!(config.is_https());
        assert!(!WebConfig::default().is_https());
    }
}
