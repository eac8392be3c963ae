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
