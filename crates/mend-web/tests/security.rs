//! CSRF, security headers, size limits, the quick exit, cookies over https, and what never
//! reaches the logs — against the real server on every backend.

use std::io::Write;
use std::sync::{Arc, Mutex};

use mend_testkit::{on_each_backend, StoreBackend, TestApp};
use reqwest::StatusCode;

const PASSWORD: &str = "lantern-orchid-gravel-71";

#[tokio::test]
async fn posts_without_the_token_or_from_another_origin_are_refused_and_change_nothing() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        browser.get("/signup").await;
        let token = browser.csrf();
        let fields = [
            ("name", "Alex"),
            ("email", "alex@example.org"),
            ("password", PASSWORD),
        ];
        fn with<'a>(
            fields: &[(&'a str, &'a str)],
            extra: Option<&'a str>,
        ) -> Vec<(&'a str, &'a str)> {
            let mut f = fields.to_vec();
            if let Some(t) = extra {
                f.push(("csrf", t));
            }
            f
        }
        let base = app.base.clone();
        let cases = [
            (with(&fields, None), Some(base.as_str())),
            (
                with(&fields, Some("wrong-token-wrong-token-wrong-token-wrong-t")),
                Some(base.as_str()),
            ),
            (with(&fields, Some(&token)), Some("http://evil.example")),
            (with(&fields, Some(&token)), Some("null")),
        ];
        for (form, origin) in cases {
            let page = browser.post_raw("/signup", &form, origin).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{origin:?}");
            assert!(page.contains("That request was refused"));
        }
        // A browser that sends no Origin still says when a request crossed sites.
        let cross = browser
            .client
            .post(format!("{}/signup", app.base))
            .header("sec-fetch-site", "cross-site")
            .form(&with(&fields, Some(&token)))
            .send()
            .await
            .unwrap();
        assert_eq!(cross.status(), StatusCode::FORBIDDEN);
        // A fresh browser with no cookie at all.
        let stranger = app.browser();
        let page = stranger
            .post_raw("/signup", &with(&fields, Some(&token)), None)
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);

        assert_eq!(
            app.browser()
                .log_in("alex@example.org", PASSWORD)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        // The same form with the token from the same origin works.
        let ok = browser
            .post_raw("/signup", &with(&fields, Some(&token)), Some(&app.base))
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn logging_out_needs_the_token_too() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        browser
            .sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        let forged = browser
            .post_raw("/logout", &[], Some("http://evil.example"))
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(browser.get("/home").await.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn every_page_carries_the_security_headers_and_no_inline_code() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        browser
            .sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        for path in [
            "/",
            "/login",
            "/signup",
            "/help",
            "/home",
            "/safety",
            "/account/password",
            "/missing",
        ] {
            let page = browser.get(path).await;
            let csp = page.header("content-security-policy").unwrap();
            for part in [
                "default-src 'none'",
                "script-src 'self'",
                "frame-ancestors 'none'",
                "form-action 'self'",
            ] {
                assert!(csp.contains(part), "{path}: {csp}");
            }
            assert!(!csp.contains("unsafe-inline"));
            assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
            assert_eq!(page.header("referrer-policy"), Some("same-origin"));
            assert_eq!(page.header("cache-control"), Some("no-store"), "{path}");
            assert!(
                !page.body.contains("<script>") && !page.body.contains(" style="),
                "{path}"
            );
            assert!(
                !page.body.contains("http://")
                    || page.body.contains(&app.base)
                    || !page.body.contains("src=\"http")
            );
        }
        let css = browser.get("/static/mend.css").await;
        assert_eq!(css.status, StatusCode::OK);
        assert!(css.header("content-type").unwrap().starts_with("text/css"));
    })
    .await;
}

#[tokio::test]
async fn user_text_is_escaped_in_pages() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        browser
            .sign_up_safe("<b>Al</b>", "alex@example.org", PASSWORD)
            .await;
        let start = browser.visit("/home").await;
        assert!(
            start.contains("Welcome, &#60;b&#62;Al&#60;/b&#62;")
                || start.contains("&lt;b&gt;Al&lt;/b&gt;")
        );
        assert!(!start.contains("<b>Al</b>"));
    })
    .await;
}

#[tokio::test]
async fn oversized_bodies_get_a_friendly_413_and_change_nothing() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        browser.get("/signup").await;
        let huge = "x".repeat(300 * 1024);
        let page = browser
            .post(
                "/signup",
                &[
                    ("name", huge.as_str()),
                    ("email", "big@example.org"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(page.contains("That was too much to send at once"));
        assert_eq!(
            app.browser()
                .log_in("big@example.org", PASSWORD)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    })
    .await;
}

#[tokio::test]
async fn the_longest_entry_fits_in_any_script() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = mend_testkit::breach_form("me", "lie", "We tell each other the truth.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let ack = format!("{journey}/acknowledge");
        let entry = c.alex.get(&ack).await.field("entry").unwrap();
        // Four bytes each in UTF-8, twelve once percent-encoded.
        let longest = "💛".repeat(mend_core::MAX_ENTRY_CHARS);
        let sent = c
            .alex
            .post(
                &format!("{ack}/send"),
                &[("entry", &entry), ("text", &longest)],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        assert!(c.sam.get(&ack).await.contains(&longest));
    })
    .await;
}

#[tokio::test]
async fn the_quick_exit_is_on_every_page_and_leaves_without_javascript() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        for path in ["/", "/login", "/help", "/invite/AAAAAAAAAAAAAAAAAAAAAA"] {
            let page = browser.get(path).await;
            assert!(page.contains("id=\"quick-exit\" href=\"/exit\""), "{path}");
            assert!(page.contains("data-exit-url=\"https://www.wikipedia.org/\""));
        }
        let exit = browser.get("/exit").await;
        assert_eq!(exit.status, StatusCode::SEE_OTHER);
        assert_eq!(exit.location(), Some("https://www.wikipedia.org/"));
    })
    .await;
}

#[tokio::test]
async fn the_exit_target_is_configurable() {
    let app = TestApp::spawn(StoreBackend::Sqlite, |c| {
        c.exit_url = "https://weather.example/".into()
    })
    .await;
    let exit = app.browser().get("/exit").await;
    assert_eq!(exit.location(), Some("https://weather.example/"));
}

#[tokio::test]
async fn with_an_https_address_cookies_are_secure_and_host_prefixed() {
    let app = TestApp::spawn(StoreBackend::Sqlite, |c| {
        c.public_url = Some("https://mend.example.org".into())
    })
    .await;
    let page = app.browser().get("/").await;
    let cookie = page.header("set-cookie").unwrap();
    assert!(cookie.starts_with("__Host-mend_csrf="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("Path=/")
    );
    // Forms must then come from that https origin.
    let browser = app.browser();
    browser.get("/signup").await;
    let token = browser.csrf();
    let from_http = browser
        .post_raw(
            "/signup",
            &[("csrf", token.as_str()), ("name", "A")],
            Some(&app.base),
        )
        .await;
    assert_eq!(from_http.status, StatusCode::FORBIDDEN);
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn user_text_emails_and_tokens_never_reach_the_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        // Everything the server side emits, at every level; the test's own HTTP client (reqwest,
        // cookie_store) logs what it sends and is not part of the server.
        .with_env_filter("mend_web=trace,mend_store=trace,mend_core=trace,tower_http=trace,axum=trace,sqlx=trace")
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let app = TestApp::spawn(StoreBackend::Sqlite, |_| {}).await;
    let alex = app.browser();
    alex.sign_up_safe("Zephyrine", "zephyrine@example.org", PASSWORD)
        .await;
    alex.get("/home").await;
    let space = alex
        .post("/spaces", &[])
        .await
        .location()
        .unwrap()
        .to_owned();
    alex.get(&space).await;
    let page = alex.submit(&format!("{space}/invites"), &[]).await;
    let link = page.value_of("invite-link-1").unwrap();
    let code = link.rsplit('/').next().unwrap().to_owned();
    let sam = app.browser();
    sam.sign_up(
        "Quillon",
        "quillon@example.org",
        PASSWORD,
        Some(&format!("/invite/{code}")),
    )
    .await;
    sam.answer_safety("yes").await;
    sam.log_in("quillon@example.org", "wrong-password-attempt")
        .await;
    let csrf = sam.csrf();
    sam.get("/coach").await;
    sam.post(
        "/coach",
        &[
            ("text", "Marzipanic confession about the Quillon affair"),
            ("mode", "free"),
        ],
    )
    .await;
    sam.post("/coach/review", &[("text", "Marzipanic again")])
        .await;

    // Sam goes on after the safety check and joins; then the journey's later areas.
    sam.post("/safety/continue", &[("next", &format!("/invite/{code}"))])
        .await;
    sam.get(&format!("/invite/{code}")).await;
    sam.post(&format!("/invite/{code}"), &[]).await;
    let form = mend_testkit::breach_form("me", "affair", "Marzipanic agreement", "told");
    let journey = alex.record_breach(&space, &form).await;
    let feelings = format!("{journey}/feelings");
    sam.get(&feelings).await;
    sam.post(
        &feelings,
        &[
            ("word", "hurt"),
            ("intensity", "3"),
            ("text", "Marzipanic feeling"),
        ],
    )
    .await;
    let page = alex.get(&feelings).await;
    let feeling = page
        .body
        .split("id=\"feeling-")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the feeling reached the partner")
        .to_owned();
    alex.post(
        &format!("{feelings}/{feeling}/reflect"),
        &[("text", "Marzipanic reflection")],
    )
    .await;
    let journal = format!("{space}/journal");
    let entry = sam.get(&journal).await.field("entry").unwrap();
    sam.post(
        &journal,
        &[("entry", &entry), ("text", "Marzipanic journal")],
    )
    .await;
    assert!(
        sam.get(&feelings).await.contains("Marzipanic reflection")
            && sam.get(&journal).await.contains("Marzipanic journal"),
        "the story went through"
    );

    // Issue 14: a counsellor proposed, agreed, signed up from the link, reading what both
    // share and leaving a note.
    let counsellor_page = format!("{space}/counsellor");
    alex.get(&counsellor_page).await;
    alex.post(&format!("{counsellor_page}/propose"), &[]).await;
    sam.get(&counsellor_page).await;
    sam.post(&format!("{counsellor_page}/agree"), &[]).await;
    let counsellor_link = alex
        .get(&counsellor_page)
        .await
        .value_of("counsellor-link")
        .unwrap();
    let counsellor_code = counsellor_link.rsplit('/').next().unwrap().to_owned();
    for partner in [&alex, &sam] {
        partner.get(&format!("{journey}/counsellor")).await;
        partner
            .post(&format!("{journey}/counsellor"), &[("area", "feelings")])
            .await;
    }
    let robin = app.browser();
    robin
        .get(&format!("/counsellor-invite/{counsellor_code}"))
        .await;
    robin
        .get(&format!("/signup?counsellor={counsellor_code}"))
        .await;
    let login = robin
        .submit(
            "/signup",
            &[
                ("name", "Vellichor"),
                ("email", "vellichor@example.org"),
                ("password", PASSWORD),
                ("counsellor", &counsellor_code),
            ],
        )
        .await;
    let next = login.field("next").unwrap();
    robin
        .submit(
            "/login",
            &[
                ("email", "vellichor@example.org"),
                ("password", PASSWORD),
                ("next", &next),
            ],
        )
        .await;
    let couple = robin.post(&next, &[]).await.location().unwrap().to_owned();
    robin.get("/counsel").await;
    let read = format!("{couple}/breaches/{}", journey.rsplit('/').next().unwrap());
    assert!(robin.get(&read).await.contains("Marzipanic feeling"));
    robin
        .post(&format!("{read}/notes"), &[("text", "Marzipanic note")])
        .await;
    assert!(sam
        .get(&format!("{journey}/counsellor"))
        .await
        .contains("Marzipanic note"));
    sam.post(&format!("{counsellor_page}/end"), &[]).await;
    robin.get(&read).await;

    let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).to_string();
    assert!(
        logs.contains("account created"),
        "the capture works: {logs}"
    );
    for secret in [
        "Zephyrine",
        "zephyrine",
        "Quillon",
        "quillon",
        PASSWORD,
        "wrong-password-attempt",
        code.as_str(),
        counsellor_code.as_str(),
        "Vellichor",
        "vellichor",
        csrf.as_str(),
        "example.org",
        "Marzipanic",
    ] {
        if let Some(at) = logs.find(secret) {
            panic!(
                "{secret:?} reached the logs: {}",
                &logs[at.saturating_sub(300)..at + 50]
            );
        }
    }
}

/// The session token the log-in after a sign-up set, read from its `Set-Cookie`.
async fn sign_up_keeping_the_token(
    browser: &mend_testkit::Browser,
    email: &str,
    safety: &str,
) -> String {
    browser.get("/signup").await;
    browser
        .post(
            "/signup",
            &[("name", "Robin"), ("email", email), ("password", PASSWORD)],
        )
        .await;
    // Signing up never logs in by itself: the session starts at the log-in that follows.
    browser.get("/login").await;
    let created = browser
        .post("/login", &[("email", email), ("password", PASSWORD)])
        .await;
    let token = created
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("mend_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned();
    browser.answer_safety(safety).await;
    token
}

/// What `/home` answers to a request carrying only this session cookie.
async fn home_with(app: &TestApp, token: &str) -> (StatusCode, Option<String>) {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/home", app.base))
        .header("cookie", format!("mend_session={token}"))
        .send()
        .await
        .unwrap();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (response.status(), location)
}

#[tokio::test]
async fn the_quick_exit_ends_the_session_so_the_old_cookie_is_refused() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        let token = sign_up_keeping_the_token(&browser, "robin@example.org", "no").await;
        assert_eq!(home_with(&app, &token).await.0, StatusCode::OK);

        let exit = browser.get("/exit").await;
        assert_eq!(exit.status, StatusCode::SEE_OTHER);
        assert_eq!(exit.location(), Some("https://www.wikipedia.org/"));
        assert_eq!(exit.header("clear-site-data"), Some("\"cache\""));
        let cleared: Vec<&str> = exit
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        for name in ["mend_session=;", "mend_csrf=;"] {
            assert!(
                cleared
                    .iter()
                    .any(|c| c.starts_with(name) && c.contains("Max-Age=0")),
                "{cleared:?}"
            );
        }

        // The cookie a Back button or a copied cookie would send is now worthless.
        let (status, location) = home_with(&app, &token).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(location.unwrap().starts_with("/login"));
        assert_eq!(browser.get("/home").await.status, StatusCode::SEE_OTHER);
        // Leaving works just the same for someone not logged in.
        assert_eq!(
            app.browser().get("/exit").await.status,
            StatusCode::SEE_OTHER
        );
    })
    .await;
}

#[tokio::test]
async fn leaving_quietly_lands_on_a_mend_page_that_moves_on_with_a_plain_link() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        let token = sign_up_keeping_the_token(&browser, "robin@example.org", "yes").await;
        assert!(browser.get("/safety").await.contains("Leave quietly"));

        let away = browser.post("/safety/leave", &[]).await;
        assert_eq!(away.status, StatusCode::SEE_OTHER);
        // A form's redirect stays on this site: form-action 'self' would block any other.
        assert_eq!(away.location(), Some("/left"));
        assert_eq!(away.header("clear-site-data"), Some("\"cache\""));
        assert_eq!(home_with(&app, &token).await.0, StatusCode::SEE_OTHER);

        let left = browser.get("/left").await;
        assert_eq!(left.status, StatusCode::OK);
        assert!(left.contains("You are logged out"));
        assert!(left.contains(
            "<meta http-equiv=\"refresh\" content=\"0;url=https://www.wikipedia.org/\">"
        ));
        assert!(left.contains("id=\"leave-now\" href=\"https://www.wikipedia.org/\""));
        assert!(left.contains("id=\"quick-exit\" href=\"/exit\""));
        let csp = left.header("content-security-policy").unwrap();
        assert!(csp.contains("form-action 'self'") && !csp.contains("unsafe-inline"));
    })
    .await;
}

#[tokio::test]
async fn leaving_quietly_always_leaves_after_the_session_ended_or_without_a_token() {
    on_each_backend(|app| async move {
        // The quick exit in one tab ended the session and took the token; "Leave quietly" in
        // the other tab still moves on.
        let browser = app.browser();
        sign_up_keeping_the_token(&browser, "robin@example.org", "yes").await;
        let support = browser.get("/safety").await;
        assert!(support.contains("Leave quietly"));
        let token = browser.csrf();
        browser.get("/exit").await;
        let away = browser
            .post_raw(
                "/safety/leave",
                &[("csrf", token.as_str())],
                Some(&app.base),
            )
            .await;
        assert_eq!(away.status, StatusCode::SEE_OTHER);
        assert_eq!(away.location(), Some("/left"));

        // A session that is still alive: a request without the token (or from elsewhere) is
        // refused like any other and ends nothing, yet it leads on to the page that leaves.
        let other = app.browser();
        let session = sign_up_keeping_the_token(&other, "sky@example.org", "yes").await;
        for origin in [Some(app.base.as_str()), Some("http://evil.example")] {
            let forged = other.post_raw("/safety/leave", &[], origin).await;
            assert_eq!(forged.status, StatusCode::SEE_OTHER, "{origin:?}");
            assert_eq!(forged.location(), Some("/left"), "{origin:?}");
            // Still logged in: home sends them back to the support page, not to log in.
            let (_, to) = home_with(&app, &session).await;
            assert!(to.is_some_and(|t| t.starts_with("/safety")), "{origin:?}");
        }
        // Every other refused request is still the 403 page.
        let refused = other.post_raw("/safety/pause", &[], Some(&app.base)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn strict_transport_security_is_sent_only_with_an_https_public_url() {
    let https = TestApp::spawn(StoreBackend::Sqlite, |c| {
        c.public_url = Some("https://mend.example.org".into())
    })
    .await;
    for path in ["/", "/missing", "/static/mend.css"] {
        let page = https.browser().get(path).await;
        assert_eq!(
            page.header("strict-transport-security"),
            Some("max-age=31536000"),
            "{path}"
        );
    }
    let plain = TestApp::spawn(StoreBackend::Sqlite, |_| {}).await;
    let bare = TestApp::spawn(StoreBackend::Sqlite, |c| c.public_url = None).await;
    for app in [&plain, &bare] {
        let page = app.browser().get("/").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.header("strict-transport-security"), None);
    }
}

/// A refusal shown as Mend's own page: HTML, a heading from the catalogue, the quick exit.
fn assert_mend_page(page: &mend_testkit::Page, heading: &str, what: &str) {
    assert!(
        page.header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "{what}: {:?}",
        page.headers
    );
    assert!(
        page.contains(&format!("<h1>{heading}</h1>")),
        "{what}: {}",
        page.body
    );
    assert!(page.contains("id=\"quick-exit\" href=\"/exit\""), "{what}");
    assert!(page.header("content-security-policy").is_some(), "{what}");
}

#[tokio::test]
async fn every_refusal_is_a_mend_page_with_the_quick_exit() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        browser
            .sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        let bad = "Something in that request wasn&#39;t right";
        // A path segment that is not UTF-8, where a route expects text.
        for path in ["/guide/%FF", "/invite/%FF", "/reset/%FF", "/spaces/%FF"] {
            let page = browser.get(path).await;
            assert_eq!(page.status, StatusCode::BAD_REQUEST, "{path}");
            assert_mend_page(&page, bad, path);
        }

        // A method the route does not take, with its Allow header kept.
        let options = browser
            .client
            .request(reqwest::Method::OPTIONS, format!("{}/help", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(options.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(
            options.headers().get("allow").and_then(|v| v.to_str().ok()),
            Some("GET,HEAD")
        );
        let body = options.text().await.unwrap();
        assert!(
            body.contains("<h1>That can&#39;t be done here</h1>"),
            "{body}"
        );
        browser.get("/help").await;
        let posted = browser.post("/help", &[]).await;
        assert_eq!(posted.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(posted.header("allow"), Some("GET,HEAD"));
        assert_mend_page(&posted, "That can&#39;t be done here", "POST /help");

        // Addresses far longer than any of Mend's.
        let long = format!("/{}", "a".repeat(10 * 1024));
        let page = browser.get(&long).await;
        assert_eq!(page.status, StatusCode::URI_TOO_LONG);
        assert_mend_page(&page, "That address is too long", "10 KB path");
        let query = format!("/login?next={}", "a".repeat(10 * 1024));
        assert_eq!(browser.get(&query).await.status, StatusCode::URI_TOO_LONG);

        // Requests hyper refuses before Mend sees them: an address over 64 KiB, a request line
        // that is not HTTP. No client library sends these, so they go over a plain socket.
        let address = app.base.trim_start_matches("http://").to_owned();
        for (request, status, heading) in [
            (
                format!(
                    "GET /{} HTTP/1.1\r\nHost: {address}\r\n\r\n",
                    "a".repeat(100 * 1024)
                ),
                "414",
                "That address is too long",
            ),
            (
                format!("GE(T / HTTP/1.1\r\nHost: {address}\r\n\r\n"),
                "400",
                bad,
            ),
        ] {
            let address = address.clone();
            let answer = tokio::task::spawn_blocking(move || {
                use std::io::Read;
                let mut stream = std::net::TcpStream::connect(address).unwrap();
                stream.write_all(request.as_bytes()).unwrap();
                let mut answer = String::new();
                stream.read_to_string(&mut answer).unwrap();
                answer
            })
            .await
            .unwrap();
            let (head, body) = answer.split_once("\r\n\r\n").unwrap();
            assert!(head.starts_with(&format!("HTTP/1.1 {status} ")), "{head}");
            assert!(head.contains("content-type: text/html"), "{head}");
            assert!(head.contains("content-security-policy: default-src 'none'"));
            assert!(body.contains(&format!("<h1>{heading}</h1>")), "{body}");
            assert!(body.contains("id=\"quick-exit\" href=\"/exit\""));
        }

        // Refusals still say nothing to the logs and change nothing: Alex is still logged in.
        assert_eq!(browser.get("/home").await.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn without_a_public_url_only_addresses_localhost_and_given_names_are_answered() {
    let app = TestApp::spawn(StoreBackend::Sqlite, |c| {
        c.public_url = None;
        c.allowed_hosts = vec!["mend.home.arpa".into()];
    })
    .await;
    let port = app.base.rsplit(':').next().unwrap().to_owned();
    let client = app.browser().client;
    let get = |host: String| {
        let client = client.clone();
        let url = format!("{}/", app.base);
        async move {
            let response = client.get(url).header("host", host).send().await.unwrap();
            let status = response.status();
            (status, response.text().await.unwrap())
        }
    };
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("mend.home.arpa:{port}"),
    ] {
        assert_eq!(get(host.clone()).await.0, StatusCode::OK, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
    ] {
        let (status, body) = get(host.clone()).await;
        assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "{host}");
        assert!(
            body.contains("<h1>This address is not Mend&#39;s</h1>"),
            "{host}"
        );
        assert!(body.contains("id=\"quick-exit\" href=\"/exit\""));
    }
    // The health check answers under any name: an orchestrator calls it by a service name.
    let health = client
        .get(format!("{}/healthz", app.base))
        .header("host", format!("mend-service:{port}"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);

    // A page of a stranger's name resolved to this server (DNS rebinding) sends forms whose
    // Origin matches its Host: they are refused before the origin check could be fooled.
    let stranger = app.browser();
    stranger.get("/signup").await;
    let token = stranger.csrf();
    let evil = format!("evil.example:{port}");
    let forged = stranger
        .client
        .post(format!("{}/signup", app.base))
        .header("host", &evil)
        .header("origin", format!("http://{evil}"))
        .form(&[
            ("csrf", token.as_str()),
            ("name", "Mallory"),
            ("email", "mallory@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::MISDIRECTED_REQUEST);
    assert_eq!(
        app.browser()
            .log_in("mallory@example.org", PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // The same form addressed to the listening address works.
    let ok = stranger
        .post(
            "/signup",
            &[
                ("name", "Mallory"),
                ("email", "mallory@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
}
