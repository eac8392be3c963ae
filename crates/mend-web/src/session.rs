//! Sessions: a random token in an HttpOnly cookie, and only its keyed hash in the database.

use axum::extract::FromRequestParts;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use mend_core::store::{LookupHash, Membership, PartnerName, PersonRecord, SpaceVersion};
use mend_core::{DisplayName, Duration, PersonId, Timestamp};
use mend_crypto::{DataKey, Sealed, WrappedKey};
use rand::RngCore;

use crate::config::WebConfig;
use crate::error::WebError;
use crate::state::AppState;

/// How long a session lasts after logging in.
pub const SESSION_LIFETIME: Duration = Duration::days(14);

#[derive(Clone, Copy)]
pub enum CookieKind {
    Session,
    Csrf,
    /// The devices that have logged in here, for the log-in limits (`throttle.rs`).
    Device,
}

impl CookieKind {
    /// With an https public address the `__Host-` prefix pins the cookie to this host and
    /// path `/`, and browsers refuse it without `Secure`.
    pub fn name(self, config: &WebConfig) -> &'static str {
        match (self, config.is_https()) {
            (CookieKind::Session, true) => "__Host-mend_session",
            (CookieKind::Session, false) => "mend_session",
            (CookieKind::Csrf, true) => "__Host-mend_csrf",
            (CookieKind::Csrf, false) => "mend_csrf",
            (CookieKind::Device, true) => "__Host-mend_device",
            (CookieKind::Device, false) => "mend_device",
        }
    }
}

/// 256 random bits, URL-safe base64 (43 characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// 128 random bits, URL-safe base64 (22 characters), for links people copy.
pub fn random_code() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn now() -> Timestamp {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Timestamp(millis)
}

pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v: &'a str| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
}

pub fn set_cookie_header(config: &WebConfig, kind: CookieKind, value: &str) -> Option<HeaderValue> {
    let secure = if config.is_https() { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax{secure}",
        kind.name(config)
    ))
    .ok()
}

pub fn clear_cookie_header(config: &WebConfig, kind: CookieKind) -> Option<HeaderValue> {
    let secure = if config.is_https() { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
        kind.name(config)
    ))
    .ok()
}

pub fn token_hash(state: &AppState, token: &str) -> LookupHash {
    state.key.lookup_hash("session", token.as_bytes())
}

/// The keyed hash an invitation is found by; the code itself is stored sealed.
pub fn invite_code_hash(state: &AppState, code: &str) -> LookupHash {
    state.key.lookup_hash("invite", code.as_bytes())
}

/// Starts a session for `person`, returning the cookie to set.
pub async fn start(state: &AppState, person: PersonId) -> Result<HeaderValue, WebError> {
    let token = random_token();
    let now = now();
    state
        .store
        .create_session(
            &token_hash(state, &token),
            person,
            now,
            now + SESSION_LIFETIME,
        )
        .await?;
    set_cookie_header(&state.config, CookieKind::Session, &token)
        .ok_or_else(|| WebError::internal("session cookie could not be built"))
}

/// The logged-in person making this request.
#[derive(Clone)]
pub struct Viewer {
    pub record: PersonRecord,
    pub key: DataKey,
    pub name: DisplayName,
    pub token: LookupHash,
    /// Their seat, if they are in a space, read with the session.
    pub membership: Option<Membership>,
    /// Where their space stood when this request began: what is kept under this version
    /// is used without reading it again (issue 13).
    pub space: Option<SpaceVersion>,
}

impl Viewer {
    pub fn id(&self) -> PersonId {
        self.record.id
    }

    pub fn safety_cleared(&self) -> bool {
        self.record.safety_cleared_at.is_some()
    }

    /// The time zone the person's pages use: the one they chose or their browser gave, or UTC.
    pub fn zone(&self) -> mend_core::Zone {
        mend_core::Zone::stored(self.record.time_zone.as_deref())
    }
}

/// Opens a person's name with their own key.
pub fn open_name(
    state: &AppState,
    record: &PersonRecord,
) -> Result<(DataKey, DisplayName), WebError> {
    open_sealed_name(state, record.id, &record.wrapped_key, &record.name)
}

/// Opens a partner's name as their space keeps it.
pub fn open_partner_name(state: &AppState, partner: &PartnerName) -> Result<DisplayName, WebError> {
    Ok(open_sealed_name(state, partner.person, &partner.wrapped_key, &partner.name)?.1)
}

fn open_sealed_name(
    state: &AppState,
    person: PersonId,
    wrapped_key: &WrappedKey,
    name: &Sealed,
) -> Result<(DataKey, DisplayName), WebError> {
    let key = state.key.unwrap_key(person.0, wrapped_key)?;
    let name = key.open(person.0, crate::fields::NAME, name)?;
    Ok((key, DisplayName::from_stored(&name)))
}

/// The viewer, if the request has a live session.
pub struct MaybeViewer(pub Option<Viewer>);

/// The session looked up for this request, kept in its extensions.
#[derive(Clone)]
struct Looked(Option<Viewer>);

async fn look_up(parts: &Parts, state: &AppState) -> Result<Option<Viewer>, WebError> {
    let Some(token) = cookie_value(&parts.headers, CookieKind::Session.name(&state.config)) else {
        return Ok(None);
    };
    let hash = token_hash(state, &token);
    let Some(session) = state.store.session(&hash, now()).await? else {
        return Ok(None);
    };
    let (key, name) = open_name(state, &session.person)?;
    Ok(Some(Viewer {
        record: session.person,
        key,
        name,
        token: hash,
        membership: session.membership,
        space: session.space,
    }))
}

/// Whether these headers carry a live session, for pages drawn outside any handler (the
/// error pages); a store that cannot answer counts as logged out.
pub async fn has_session(headers: &axum::http::HeaderMap, state: &AppState) -> bool {
    let Some(token) = cookie_value(headers, CookieKind::Session.name(&state.config)) else {
        return false;
    };
    let hash = token_hash(state, &token);
    matches!(state.store.session(&hash, now()).await, Ok(Some(_)))
}

impl FromRequestParts<AppState> for MaybeViewer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        // Two extractors of one request (the viewer, then a journey) look the session up once.
        if let Some(Looked(viewer)) = parts.extensions.get::<Looked>() {
            return Ok(MaybeViewer(viewer.clone()));
        }
        let viewer = look_up(parts, state).await?;
        if let (Some(v), Some(writer)) = (&viewer, parts.extensions.get::<crate::notify::Writer>())
        {
            writer.set(v.id());
        }
        parts.extensions.insert(Looked(viewer.clone()));
        Ok(MaybeViewer(viewer))
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        match MaybeViewer::from_request_parts(parts, state).await? {
            MaybeViewer(Some(viewer)) => Ok(viewer),
            MaybeViewer(None) => {
                let next = if parts.method == axum::http::Method::GET {
                    parts.uri.path().to_owned()
                } else {
                    "/home".to_owned()
                };
                Err(WebError::LoginRequired { next })
            }
        }
    }
}

/// A `next` address from a form or query, kept only if it is a path on this site.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?;
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= 200
        && next
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-_.".contains(&b));
    ok.then(|| next.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_stay_on_this_site() {
        assert_eq!(
            safe_next(Some("/invite/abc_-1")).as_deref(),
            Some("/invite/abc_-1")
        );
        assert_eq!(safe_next(Some("//evil.example")), None);
        assert_eq!(safe_next(Some("https://evil.example")), None);
        assert_eq!(safe_next(Some("/\\evil")), None);
        assert_eq!(safe_next(Some("/a?b=c")), None);
        assert_eq!(safe_next(None), None);
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; mend_session=xyz; b=2"),
        );
        assert_eq!(
            cookie_value(&headers, "mend_session").as_deref(),
            Some("xyz")
        );
        assert_eq!(cookie_value(&headers, "mend"), None);
    }

    #[test]
    fn https_cookies_are_secure_with_the_host_prefix() {
        let config = WebConfig {
            public_url: Some("https://mend.example.org".into()),
            ..WebConfig::default()
        };
        let value = set_cookie_header(&config, CookieKind::Session, "t").unwrap();
        let value = value.to_str().unwrap();
        assert!(value.starts_with("__Host-mend_session=t;"));
        assert!(
            value.contains("HttpOnly")
                && value.contains("SameSite=Lax")
                && value.contains("Secure")
        );
        let plain = set_cookie_header(&WebConfig::default(), CookieKind::Session, "t").unwrap();
        assert!(!plain.to_str().unwrap().contains("Secure"));
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        assert_eq!(random_token().len(), 43);
        assert_eq!(random_code().len(), 22);
        assert_ne!(random_token(), random_token());
    }
}
