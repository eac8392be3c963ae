//! What a log-in attempt is counted under: the account, a device the account has logged in
//! from, the client address. The rules are `mend_core::LoginThrottle`; this holds the keys.
//!
//! A known device is remembered by a long-lived `HttpOnly` cookie set when a log-in succeeds:
//! for each account that logged in on this browser, a random device id and a tag binding it
//! to the account and its current password under the server key. It cannot be made up or moved to another account,
//! and it holds nothing readable: no e-mail address, no account id.

use std::net::{IpAddr, SocketAddr};

use axum::http::{HeaderMap, HeaderValue};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use mend_core::login_throttle::LoginBucket;
use mend_core::store::LookupHash;
use rand::RngCore;
use subtle::ConstantTimeEq;

use crate::config::WebConfig;
use crate::session::{cookie_value, CookieKind};
use crate::state::AppState;

/// A device id, random per browser and account.
pub type DeviceId = [u8; 16];

/// How many accounts one browser remembers (two partners sharing a laptop, and some room).
const REMEMBERED_ACCOUNTS: usize = 4;
/// A device stays known for a year after its last log-in.
const DEVICE_COOKIE_SECONDS: u32 = 365 * 24 * 3600;
const TAG_LEN: usize = 16;

/// The keys one attempt at one account is counted under.
pub struct AttemptKeys {
    /// The account, whatever device or address.
    pub account: LookupHash,
    /// This browser, when it has logged in to the account before.
    pub device: Option<(DeviceId, LookupHash)>,
    pub address: LookupHash,
}

impl AttemptKeys {
    /// `email` as typed, normalised; `password_hash` the account's current one (empty when
    /// there is no account: the same steps are taken); `client` the address the attempt
    /// comes from.
    pub fn new(
        state: &AppState,
        email: &str,
        password_hash: &str,
        headers: &HeaderMap,
        client: IpAddr,
    ) -> Self {
        let account = state.key.lookup_hash("login-account", email.as_bytes());
        let password = password_tag(state, password_hash);
        let device = known_devices(state, headers)
            .into_iter()
            .find(|(id, tag)| bool::from(tag.ct_eq(&device_tag(state, &account, &password, id))))
            .map(|(id, _)| id);
        Self {
            device: device.map(|id| (id, device_key(state, &account, &id))),
            address: state
                .key
                .lookup_hash("login-address", address_bucket(client).as_bytes()),
            account,
        }
    }

    /// The key of each bucket.
    pub fn key(&self, bucket: LoginBucket) -> LookupHash {
        match (bucket, &self.device) {
            (LoginBucket::KnownDevice, Some((_, key))) => *key,
            (LoginBucket::Address, _) => self.address,
            _ => self.account,
        }
    }
}

/// A device is known to an account only while the password it logged in with is the current
/// one: a change or reset of the password makes every device a stranger again (a partner's
/// browser among them).
fn password_tag(state: &AppState, password_hash: &str) -> LookupHash {
    state
        .key
        .lookup_hash("known-device-password", password_hash.as_bytes())
}

fn device_tag(
    state: &AppState,
    account: &LookupHash,
    password: &LookupHash,
    id: &DeviceId,
) -> [u8; TAG_LEN] {
    let mut input = account.to_vec();
    input.extend_from_slice(password);
    input.extend_from_slice(id);
    let full = state.key.lookup_hash("known-device", &input);
    let mut tag = [0u8; TAG_LEN];
    tag.copy_from_slice(&full[..TAG_LEN]);
    tag
}

fn device_key(state: &AppState, account: &LookupHash, id: &DeviceId) -> LookupHash {
    let mut input = account.to_vec();
    input.extend_from_slice(id);
    state.key.lookup_hash("login-device", &input)
}

/// The (device id, tag) pairs in the cookie, newest first; anything malformed is skipped.
fn known_devices(state: &AppState, headers: &HeaderMap) -> Vec<(DeviceId, [u8; TAG_LEN])> {
    let Some(value) = cookie_value(headers, CookieKind::Device.name(&state.config)) else {
        return Vec::new();
    };
    value
        .split('.')
        .take(REMEMBERED_ACCOUNTS)
        .filter_map(|entry| {
            let bytes = URL_SAFE_NO_PAD.decode(entry).ok()?;
            let (id, tag) = bytes.split_at_checked(16)?;
            Some((id.try_into().ok()?, tag.try_into().ok()?))
        })
        .collect()
}

/// The cookie to set after a successful log-in: this account's entry first (kept, or new),
/// then the other accounts this browser remembers. `password_hash` is the account's current
/// one (after a change of password, the new one).
pub fn remember_device(
    state: &AppState,
    headers: &HeaderMap,
    keys: &AttemptKeys,
    password_hash: &str,
) -> Option<HeaderValue> {
    let id = match &keys.device {
        Some((id, _)) => *id,
        None => {
            let mut id = [0u8; 16];
            rand::rngs::OsRng.fill_bytes(&mut id);
            id
        }
    };
    let password = password_tag(state, password_hash);
    let mut entries = vec![(id, device_tag(state, &keys.account, &password, &id))];
    entries.extend(
        known_devices(state, headers)
            .into_iter()
            .filter(|(other, _)| *other != id),
    );
    let value = entries
        .iter()
        .take(REMEMBERED_ACCOUNTS)
        .map(|(id, tag)| URL_SAFE_NO_PAD.encode([id.as_slice(), tag.as_slice()].concat()))
        .collect::<Vec<_>>()
        .join(".");
    device_cookie(&state.config, &value)
}

fn device_cookie(config: &WebConfig, value: &str) -> Option<HeaderValue> {
    let secure = if config.is_https() { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={value}; Path=/; Max-Age={DEVICE_COOKIE_SECONDS}; HttpOnly; SameSite=Lax{secure}",
        CookieKind::Device.name(config)
    ))
    .ok()
}

/// What an address's bucket is named by: an IPv4 address itself; for IPv6, its /64, since one
/// subscriber is usually given a whole /64 and could otherwise take a new address per guess.
pub(crate) fn address_bucket(client: IpAddr) -> String {
    match client.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !((1u128 << 64) - 1);
            format!("{}/64", std::net::Ipv6Addr::from(prefix))
        }
    }
}

/// The address a request comes from. Only when the connection is from a trusted proxy is
/// `X-Forwarded-For` believed: read from the right, the first address that is not itself a
/// trusted proxy is the client (what comes before it could be made up by anyone). Addresses
/// are compared canonically: on a dual-stack listener an IPv4 peer is seen as `::ffff:a.b.c.d`.
pub fn client_address(config: &WebConfig, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    let peer = peer.ip().to_canonical();
    let trusted = |ip: &IpAddr| {
        config
            .trusted_proxies
            .iter()
            .any(|p| p.to_canonical() == *ip)
    };
    if !trusted(&peer) {
        return peer;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    for hop in forwarded.iter().rev() {
        match hop.trim().parse::<IpAddr>().map(|ip| ip.to_canonical()) {
            Ok(ip) if trusted(&ip) => continue,
            Ok(ip) => return ip,
            // A hop that is not an address ends what can be believed.
            Err(_) => break,
        }
    }
    peer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(forwarded: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for f in forwarded {
            headers.append("x-forwarded-for", HeaderValue::from_str(f).unwrap());
        }
        headers
    }

    #[test]
    fn forwarded_addresses_count_only_from_a_trusted_proxy() {
        let proxy: SocketAddr = "10.0.0.1:4000".parse().unwrap();
        let untrusted = WebConfig::default();
        let h = headers(&["203.0.113.7"]);
        assert_eq!(client_address(&untrusted, proxy, &h), proxy.ip());

        let trusted = WebConfig {
            trusted_proxies: vec!["10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap()],
            ..WebConfig::default()
        };
        assert_eq!(
            client_address(&trusted, proxy, &h).to_string(),
            "203.0.113.7"
        );
        // A made-up address on the left is ignored: the proxy appended the real one.
        let h = headers(&["198.51.100.1, 203.0.113.7", "10.0.0.2"]);
        assert_eq!(
            client_address(&trusted, proxy, &h).to_string(),
            "203.0.113.7"
        );
        assert_eq!(client_address(&trusted, proxy, &headers(&[])), proxy.ip());
        assert_eq!(
            client_address(&trusted, proxy, &headers(&["not-an-address"])),
            proxy.ip()
        );
    }

    #[test]
    fn addresses_are_compared_canonically() {
        // An IPv4 proxy as a dual-stack listener sees it, configured as plain IPv4, or the
        // other way round; the hops it names likewise.
        let mapped: SocketAddr = "[::ffff:10.0.0.1]:4000".parse().unwrap();
        let plain: SocketAddr = "10.0.0.1:4000".parse().unwrap();
        for (configured, peer) in [("10.0.0.1", mapped), ("::ffff:10.0.0.1", plain)] {
            let config = WebConfig {
                trusted_proxies: vec![configured.parse().unwrap(), "10.0.0.2".parse().unwrap()],
                ..WebConfig::default()
            };
            let h = headers(&["::ffff:203.0.113.7, ::ffff:10.0.0.2"]);
            assert_eq!(client_address(&config, peer, &h).to_string(), "203.0.113.7");
        }
        let untrusted: SocketAddr = "[::ffff:198.51.100.1]:4000".parse().unwrap();
        assert_eq!(
            client_address(&WebConfig::default(), untrusted, &headers(&[])).to_string(),
            "198.51.100.1"
        );
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_64() {
        let of = |a: &str| address_bucket(a.parse().unwrap());
        assert_eq!(of("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(of("2001:db8:1:2:bbbb:cccc:dddd:eeee"), "2001:db8:1:2::/64");
        assert_ne!(of("2001:db8:1:3::1"), of("2001:db8:1:2::1"));
        assert_eq!(of("203.0.113.7"), "203.0.113.7");
        assert_eq!(of("::ffff:203.0.113.7"), "203.0.113.7");
    }
}
