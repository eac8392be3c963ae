//! The log-in limits under real concurrency, known devices, trusted proxies, and the bound on
//! password hashes running at once, over HTTP on every backend.

use std::time::Duration;

use mend_core::LoginThrottle;
use mend_testkit::{backends, on_each_backend, Browser, Page, TestApp};
use reqwest::StatusCode;
use tokio::task::JoinSet;

const PASSWORD: &str = "lantern-orchid-gravel-71";

/// Fresh browsers, each holding the log-in form's token, ready to post at the same moment.
async fn ready_browsers(app: &TestApp, n: usize) -> Vec<Browser> {
    let mut browsers = Vec::new();
    for _ in 0..n {
        let browser = app.browser();
        browser.get("/login").await;
        browsers.push(browser);
    }
    browsers
}

/// Posts every form at once, each from its own browser; the answers in no particular order.
async fn all_at_once(
    browsers: Vec<Browser>,
    path: &'static str,
    forms: Vec<Vec<(&'static str, String)>>,
) -> Vec<Page> {
    let mut tasks = JoinSet::new();
    for (browser, form) in browsers.into_iter().zip(forms) {
        tasks.spawn(async move {
            let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            browser.post(path, &fields).await
        });
    }
    let mut pages = Vec::new();
    while let Some(page) = tasks.join_next().await {
        pages.push(page.expect("a request task"));
    }
    pages
}

fn login_form(email: &str, password: &str) -> Vec<(&'static str, String)> {
    vec![
        ("email", email.to_owned()),
        ("password", password.to_owned()),
    ]
}

/// POSTs a log-in form as a browser behind a proxy that says the client is `forwarded`.
async fn log_in_via(browser: &Browser, forwarded: &str, email: &str, password: &str) -> Page {
    browser.get("/login").await;
    let token = browser.csrf();
    let response = browser
        .client
        .post(format!("{}/login", browser.base))
        .header("origin", &browser.base)
        .header("x-forwarded-for", forwarded)
        .form(&[
            ("csrf", token.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .expect("POST");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.expect("a body");
    Page {
        status,
        headers,
        body,
    }
}

fn is_busy_page(page: &Page) -> bool {
    page.status == StatusCode::SERVICE_UNAVAILABLE
        && page.header("retry-after") == Some("5")
        && page.contains("Mend is very busy just now")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_guesses_at_once_check_exactly_the_places_left() {
    on_each_backend(|app| async move {
        app.browser()
            .sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        let browsers = ready_browsers(&app, 40).await;
        let mut forms: Vec<_> = (0..39)
            .map(|i| login_form("alex@example.org", &format!("wrong-guess-number-{i}")))
            .collect();
        forms.insert(20, login_form("alex@example.org", PASSWORD));
        let pages = all_at_once(browsers, "/login", forms).await;

        let checked: Vec<&Page> = pages
            .iter()
            .filter(|p| p.status != StatusCode::TOO_MANY_REQUESTS)
            .collect();
        // Alex's own first log-in, at sign-up, from a device then unknown, took one of the
        // account's places: exactly the rest are checked, never more, and never none.
        assert_eq!(
            checked.len(),
            LoginThrottle::default().per_account - 1,
            "passwords checked on {:?}",
            app.backend
        );
        for page in &pages {
            match page.status {
                StatusCode::UNAUTHORIZED | StatusCode::SEE_OTHER => {}
                StatusCode::TOO_MANY_REQUESTS => assert!(page.header("retry-after").is_some()),
                other => panic!("unexpected answer {other}"),
            }
        }
        // The account's bucket is full whether or not the right password was among the five
        // checked: a right one from an unknown device frees nothing strangers could use.
        let late = app.browser().log_in("alex@example.org", PASSWORD).await;
        assert_eq!(late.status, StatusCode::TOO_MANY_REQUESTS);
    })
    .await;
}

#[tokio::test]
async fn the_owner_logs_in_from_their_own_device_while_a_strangers_guesses_are_refused() {
    on_each_backend(|app| async move {
        let phone = app.browser();
        phone
            .sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        phone.post("/logout", &[]).await;

        // Someone who knows the address guesses from another browser, on the same address
        // (every test client is 127.0.0.1), until the account is full (Alex's own first log-in,
        // from the phone while it was new, was one of its five), then at other accounts until
        // the address is full too.
        let stranger = app.browser();
        let throttle = LoginThrottle::default();
        for i in 1..throttle.per_account {
            let page = stranger
                .log_in("alex@example.org", &format!("wrong-guess-number-{i}"))
                .await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
        let refused = stranger.log_in("alex@example.org", PASSWORD).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        for i in throttle.per_account - 1..throttle.per_address {
            let page = stranger
                .log_in(&format!("person{i}@example.org"), PASSWORD)
                .await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
        let another_account = stranger.log_in("sam@example.org", PASSWORD).await;
        assert_eq!(another_account.status, StatusCode::TOO_MANY_REQUESTS);

        // The owner's phone has logged in here before: it counts on its own and gets in.
        let home = phone.log_in("alex@example.org", PASSWORD).await;
        assert!(home.contains("Welcome, Alex"), "{}", home.body);
        // A browser the owner never used is a stranger too.
        let new_laptop = app.browser().log_in("alex@example.org", PASSWORD).await;
        assert_eq!(new_laptop.status, StatusCode::TOO_MANY_REQUESTS);
    })
    .await;
}

#[tokio::test]
async fn a_known_device_has_its_own_limit_and_a_right_password_clears_it() {
    on_each_backend(|app| async move {
        let phone = app.browser();
        phone
            .sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        phone.post("/logout", &[]).await;
        for _ in 0..4 {
            let page = phone.log_in("alex@example.org", "mistyped-it-again").await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
        // The fifth try is the right one: it does not count as a failure and clears the four.
        assert!(phone
            .log_in("alex@example.org", PASSWORD)
            .await
            .contains("Welcome, Alex"));
        phone.post("/logout", &[]).await;
        for _ in 0..5 {
            let page = phone.log_in("alex@example.org", "mistyped-it-again").await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
        let page = phone.log_in("alex@example.org", PASSWORD).await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        // Those were the phone's own: a stranger's bucket for the account is untouched.
        assert_eq!(
            app.browser()
                .log_in("alex@example.org", "a-strangers-guess")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    })
    .await;
}

#[tokio::test]
async fn a_trusted_proxy_names_the_client_and_an_untrusted_one_does_not() {
    let per_address = LoginThrottle::default().per_address;
    for backend in backends() {
        let behind_proxy = TestApp::spawn(backend, |config| {
            config.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
        })
        .await;
        let direct = TestApp::spawn(backend, |_| {}).await;
        for app in [&behind_proxy, &direct] {
            let browser = app.browser();
            for i in 0..per_address {
                let page = log_in_via(
                    &browser,
                    "203.0.113.1",
                    &format!("person{i}@example.org"),
                    PASSWORD,
                )
                .await;
                assert_eq!(page.status, StatusCode::UNAUTHORIZED);
            }
            let same = log_in_via(&browser, "203.0.113.1", "more@example.org", PASSWORD).await;
            assert_eq!(same.status, StatusCode::TOO_MANY_REQUESTS);
        }
        // Behind the trusted proxy another client is its own address; without trust, the
        // header is anyone's to write and is ignored.
        let other = |app: &TestApp| {
            let browser = app.browser();
            async move { log_in_via(&browser, "203.0.113.2", "more@example.org", PASSWORD).await }
        };
        assert_eq!(other(&behind_proxy).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(other(&direct).await.status, StatusCode::TOO_MANY_REQUESTS);
    }
}

#[tokio::test]
async fn with_no_hash_free_log_in_and_sign_up_get_the_busy_page_and_change_nothing() {
    for backend in backends() {
        let app = TestApp::spawn(backend, |config| {
            config.password_hashes = 0;
            config.password_wait = Duration::from_millis(20);
        })
        .await;
        let browser = app.browser();
        browser.get("/signup").await;
        let page = browser
            .post(
                "/signup",
                &[
                    ("name", "Alex"),
                    ("email", "alex@example.org"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert!(is_busy_page(&page), "{:?} {}", page.status, page.body);
        let lookup = app.server_key().lookup_hash("email", b"alex@example.org");
        use mend_core::store::prelude::*;
        assert!(app.store.person_by_email(&lookup).await.unwrap().is_none());
        // A log-in that could not be checked does not count against anyone: more than the
        // limit in a row are all busy, never throttled.
        for _ in 0..=LoginThrottle::default().per_account {
            let page = browser.log_in("alex@example.org", PASSWORD).await;
            assert!(is_busy_page(&page), "{:?}", page.status);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_one_hash_at_a_time_a_crowd_gets_answers_or_the_busy_page_never_an_error() {
    for backend in backends() {
        let app = TestApp::spawn(backend, |config| {
            config.password_hashes = 1;
            config.password_wait = Duration::from_millis(1);
        })
        .await;
        let browsers = ready_browsers(&app, 15).await;
        let forms = (0..15)
            .map(|i| login_form(&format!("nobody{i}@example.org"), PASSWORD))
            .collect();
        let pages = all_at_once(browsers, "/login", forms).await;
        for page in &pages {
            assert!(
                page.status == StatusCode::UNAUTHORIZED || is_busy_page(page),
                "{:?}",
                page.status
            );
        }
        // A free hash is always taken at once, so at least one was checked.
        assert!(pages.iter().any(|p| p.status == StatusCode::UNAUTHORIZED));
        let mut browsers = Vec::new();
        for _ in 0..10 {
            let browser = app.browser();
            browser.get("/signup").await;
            browsers.push(browser);
        }
        let forms = (0..10)
            .map(|i| {
                vec![
                    ("name", "Robin".to_owned()),
                    ("email", format!("robin{i}@example.org")),
                    ("password", PASSWORD.to_owned()),
                ]
            })
            .collect();
        let pages = all_at_once(browsers, "/signup", forms).await;
        for page in &pages {
            assert!(
                page.status == StatusCode::SEE_OTHER || is_busy_page(page),
                "{:?}",
                page.status
            );
        }
        assert!(pages.iter().any(|p| p.status == StatusCode::SEE_OTHER));
    }
}

#[tokio::test]
async fn guessing_the_current_password_at_a_logged_in_browser_is_limited_like_a_log_in() {
    on_each_backend(|app| async move {
        let laptop = app.browser();
        laptop
            .sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        laptop.get("/account/password").await;
        let per_device = LoginThrottle::default().per_account;
        let mut checked = 0;
        let mut refused = 0;
        for i in 0..per_device + 3 {
            let page = laptop
                .post(
                    "/account/password",
                    &[
                        ("current", &format!("wrong-guess-number-{i}")),
                        ("password", "river-basalt-quill-48"),
                    ],
                )
                .await;
            match page.status {
                StatusCode::UNPROCESSABLE_ENTITY => checked += 1,
                StatusCode::TOO_MANY_REQUESTS => {
                    assert!(page.header("retry-after").is_some());
                    refused += 1;
                }
                other => panic!("unexpected answer {other}"),
            }
        }
        assert_eq!((checked, refused), (per_device, 3), "{:?}", app.backend);
        // Even the right one is not checked now.
        let page = laptop
            .post(
                "/account/password",
                &[("current", PASSWORD), ("password", "river-basalt-quill-48")],
            )
            .await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    })
    .await;
}

#[tokio::test]
async fn after_a_password_change_only_the_browser_that_changed_it_is_still_a_known_device() {
    on_each_backend(|app| async move {
        let phone = app.browser();
        phone
            .sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        // Someone else who knew the password logged in from their laptop: a known device too.
        let laptop = app.browser();
        assert!(laptop
            .log_in("alex@example.org", PASSWORD)
            .await
            .contains("Welcome, Alex"));
        laptop.post("/logout", &[]).await;
        phone.get("/account/password").await;
        let new_password = "river-basalt-quill-48";
        let changed = phone
            .post(
                "/account/password",
                &[("current", PASSWORD), ("password", new_password)],
            )
            .await;
        assert_eq!(changed.status, StatusCode::OK);

        // The laptop's guesses now count in the account's bucket, which the two first log-ins
        // (from devices then unknown) already hold two places of.
        let per_account = LoginThrottle::default().per_account;
        for i in 2..per_account {
            let page = laptop
                .log_in("alex@example.org", &format!("wrong-guess-number-{i}"))
                .await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(
            laptop.log_in("alex@example.org", new_password).await.status,
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(
            app.browser()
                .log_in("alex@example.org", new_password)
                .await
                .status,
            StatusCode::TOO_MANY_REQUESTS
        );
        // The phone changed the password, so it is still known and has its own bucket.
        phone.post("/logout", &[]).await;
        assert!(phone
            .log_in("alex@example.org", new_password)
            .await
            .contains("Welcome, Alex"));
    })
    .await;
}
