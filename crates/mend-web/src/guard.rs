//! What every request must be before anything else reads it: addressed to a host Mend answers
//! for, with an address of sensible length.

use std::net::IpAddr;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::config::WebConfig;
use crate::error::WebError;
use crate::key;
use crate::state::AppState;

/// Mend's longest address, a query included, is a few hundred bytes; anything past this is a
/// mistake or a probe. Addresses over 64 KiB never get here: the HTTP server refuses them.
pub const LONGEST_ADDRESS: usize = 8 * 1024;

/// The host name of a `Host` value, without its port or an IPv6 literal's brackets.
fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// Without a public address, the `Host` a browser sent decides which origin forms must come
/// from, so it must be one Mend was meant to be reached by. An IP address or `localhost` can
/// only be typed by the person; a name could be a stranger's pointing at this server (DNS
/// rebinding), so names must be given by the operator.
pub fn host_allowed(host: &str, config: &WebConfig) -> bool {
    let name = host_name(host);
    name.parse::<IpAddr>().is_ok()
        || name.eq_ignore_ascii_case("localhost")
        || config
            .allowed_hosts
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(name))
}

pub async fn check(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let length = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if length > LONGEST_ADDRESS {
        return WebError::Refused {
            status: StatusCode::URI_TOO_LONG,
            title: key!("errors.address_too_long_title"),
            body: key!("errors.address_too_long_body"),
        }
        .into_response();
    }
    // The health check holds nothing and changes nothing, and orchestrators call it by a
    // service name the operator never thinks to allow.
    let health = request.uri().path() == crate::routes::HEALTH;
    if state.config.public_url.is_none() && !health {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| request.uri().authority().map(|a| a.as_str()));
        if !host.is_some_and(|h| host_allowed(h, &state.config)) {
            return WebError::Refused {
                status: StatusCode::MISDIRECTED_REQUEST,
                title: key!("errors.wrong_host_title"),
                body: key!("errors.wrong_host_body"),
            }
            .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_localhost_pass_and_names_must_be_given() {
        let config = WebConfig {
            allowed_hosts: vec!["mend.home.arpa".into()],
            ..WebConfig::default()
        };
        for host in [
            "127.0.0.1:8080",
            "192.168.1.20",
            "[::1]:8080",
            "localhost:8080",
            "LOCALHOST",
            "mend.home.arpa:8080",
            "Mend.Home.Arpa",
        ] {
            assert!(host_allowed(host, &config), "{host}");
        }
        for host in [
            "evil.example:8080",
            "localhost.evil.example",
            "mend.home.arpa.evil.example",
            "127.0.0.1.nip.io:8080",
            "",
        ] {
            assert!(!host_allowed(host, &config), "{host}");
        }
    }
}
