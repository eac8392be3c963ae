//! Sign-up, log-in, sessions, password changes and resets, over HTTP against the real
//! server, on every backend.

use mend_core::LoginThrottle;
use mend_testkit::on_each_backend;
use reqwest::StatusCode;

const PASSWORD: &str = "lantern-orchid-gravel-71";

#[tokio::test]
async fn logged_out_the_front_page_offers_log_in_and_sign_up() {
    on_each_backend(|app| async move {
        let page = app.browser().get("/").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.contains("href=\"/signup\""));
        assert!(page.contains("href=\"/login\""));
        assert!(page.contains("id=\"quick-exit\""));
        let health = app.browser().get("/healthz").await;
        assert_eq!(health.status, StatusCode::OK);
        assert_eq!(health.body, r#"{"status":"ok"}"#);
    })
    .await;
}

#[tokio::test]
async fn signing_up_leads_to_log_in_and_then_to_the_safety_check() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        browser.get("/signup").await;
        let page = browser
            .post(
                "/signup",
                &[
                    ("name", "Alex"),
                    ("email", "Alex@Example.org"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.location(), Some("/login?signed_up=1"));
        assert!(page.header("set-cookie").is_none(), "signing up logs nobody in");
        let login = browser.get("/login?signed_up=1").await;
        assert!(login.contains("Please log in with the e-mail address and password you just chose"));

        let page = browser
            .post(
                "/login",
                &[("email", "alex@example.org"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let cookie = page.header("set-cookie").unwrap();
        assert!(cookie.starts_with("mend_session="));
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        let home = browser.visit("/home").await;
        assert!(home.contains("A private check before you begin"));
    })
    .await;
}

#[tokio::test]
async fn signing_up_from_an_invitation_keeps_where_it_leads() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        browser.get("/signup?next=/invite/abc").await;
        let page = browser
            .post(
                "/signup",
                &[
                    ("name", "Sam"),
                    ("email", "sam@example.org"),
                    ("password", PASSWORD),
                    ("next", "/invite/abc"),
                ],
            )
            .await;
        assert_eq!(
            page.location(),
            Some("/login?signed_up=1&next=%2Finvite%2Fabc")
        );
        let login = browser.get(page.location().unwrap()).await;
        assert_eq!(login.field("next").as_deref(), Some("/invite/abc"));
    })
    .await;
}

#[tokio::test]
async fn bad_sign_ups_explain_themselves_and_create_nothing() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        browser.get("/signup").await;
        let long_name = "n".repeat(61);
        let cases: [(&str, &str, &str, &str); 6] = [
            ("", "a@example.org", PASSWORD, "Please tell us your name."),
            (
                &long_name,
                "a@example.org",
                PASSWORD,
                "60 characters or fewer",
            ),
            (
                "Alex",
                "not-an-address",
                PASSWORD,
                "doesn&#39;t look like an e-mail address",
            ),
            ("Alex", "a@example.org", "short", "at least 10 characters"),
            (
                "Alex",
                "a@example.org",
                "password123",
                "common or easy to guess",
            ),
            (
                "Alex",
                "a@example.org",
                "alexalexalex",
                "common or easy to guess",
            ),
        ];
        for (name, email, password, message) in cases {
            let page = browser
                .post(
                    "/signup",
                    &[("name", name), ("email", email), ("password", password)],
                )
                .await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
            assert!(
                page.contains(message),
                "expected {message:?} in {}",
                page.body
            );
            assert!(page
                .header("set-cookie")
                .is_none_or(|c| !c.contains("mend_session")));
        }
        // None of those made an account.
        let login = app.browser().log_in("a@example.org", PASSWORD).await;
        assert_eq!(login.status, StatusCode::UNAUTHORIZED);

        // A malformed form is a clear refusal too.
        let page = browser.post("/signup", &[("name", "Alex")]).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        assert!(page.contains("Something in that request wasn"));
    })
    .await;
}

/// The parts of a page that differ between any two requests: the CSRF token.
fn without_tokens(page: &mend_testkit::Page) -> String {
    let mut body = page.body.clone();
    while let Some(at) = body.find("name=\"csrf\" value=\"") {
        let start = at + "name=\"csrf\" value=\"".len();
        let end = start + body[start..].find('"').unwrap();
        body.replace_range(at..end, "");
    }
    body
}

#[tokio::test]
async fn signing_up_with_a_taken_address_answers_exactly_like_a_new_one_and_changes_nothing() {
    on_each_backend(|app| async move {
        app.browser()
            .sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        let sign_up = |name: &'static str, email: &'static str, password: &'static str| {
            let browser = app.browser();
            async move {
                browser.get("/signup").await;
                let answer = browser
                    .post(
                        "/signup",
                        &[("name", name), ("email", email), ("password", password)],
                    )
                    .await;
                let next = browser.get(answer.location().unwrap_or("/")).await;
                (answer, next)
            }
        };
        let (taken, taken_next) =
            sign_up("Other", " ALEX@example.org ", "river-basalt-quill-48").await;
        let (new, new_next) = sign_up("Robin", "robin@example.org", "river-basalt-quill-48").await;
        assert_eq!(taken.status, StatusCode::SEE_OTHER);
        assert_eq!(taken.status, new.status);
        assert_eq!(taken.location(), new.location());
        assert_eq!(taken.body, new.body);
        let names = |p: &mend_testkit::Page| {
            let mut names: Vec<String> = p.headers.keys().map(|k| k.to_string()).collect();
            names.sort();
            names
        };
        assert_eq!(names(&taken), names(&new));
        assert!(taken.header("set-cookie").is_none() && new.header("set-cookie").is_none());
        assert_eq!(without_tokens(&taken_next), without_tokens(&new_next));

        // The account that was there is untouched: its own password still works, the one
        // typed into the second sign-up does not, and its name is still Alex.
        assert_eq!(
            app.browser()
                .log_in("alex@example.org", "river-basalt-quill-48")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        assert!(app
            .browser()
            .log_in("alex@example.org", PASSWORD)
            .await
            .contains("Welcome, Alex"));
    })
    .await;
}

#[tokio::test]
async fn unknown_address_and_wrong_password_get_the_same_answer() {
    on_each_backend(|app| async move {
        app.browser()
            .sign_up("Alex", "alex@example.org", PASSWORD, None)
            .await;
        let wrong = app
            .browser()
            .log_in("alex@example.org", "not-the-password-at-all")
            .await;
        let unknown = app.browser().log_in("nobody@example.org", PASSWORD).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!(unknown.status, wrong.status);
        let message = "That e-mail address and password don&#39;t match an account.";
        assert!(wrong.contains(message) && unknown.contains(message));
    })
    .await;
}

#[tokio::test]
async fn logging_in_starts_a_new_session_and_logging_out_ends_it() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        browser
            .sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        let start = browser.visit("/home").await;
        assert!(start.contains("Welcome, Alex"));

        browser.get("/login").await;
        let again = browser
            .post(
                "/login",
                &[("email", "alex@example.org"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        assert_eq!(again.location(), Some("/home"));
        assert!(again
            .header("set-cookie")
            .unwrap()
            .starts_with("mend_session="));

        browser.get("/home").await;
        let out = browser.post("/logout", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
        let home = browser.get("/home").await;
        assert_eq!(home.status, StatusCode::SEE_OTHER);
        assert_eq!(home.location(), Some("/login?next=%2Fhome"));
    })
    .await;
}

#[tokio::test]
async fn five_failures_in_a_row_throttle_the_account_with_retry_after() {
    on_each_backend(|app| async move {
        app.browser()
            .sign_up("Alex", "alex@example.org", PASSWORD, None)
            .await;
        // Alex's own first log-in, from a browser then unknown, was one of the five passwords
        // the account may have checked from unknown devices in 15 minutes.
        let attacker = app.browser();
        for _ in 0..4 {
            let page = attacker
                .log_in("alex@example.org", "guess-guess-guess")
                .await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
        let page = attacker.log_in("alex@example.org", PASSWORD).await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        let retry: i64 = page.header("retry-after").unwrap().parse().unwrap();
        assert!(retry > 800 && retry <= 900, "{retry}");
        assert!(page.contains("please wait 15 minutes"));
        // The right password does not get through while throttled.
        assert!(page
            .header("set-cookie")
            .is_none_or(|c| !c.contains("mend_session")));
    })
    .await;
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_throttled_too() {
    on_each_backend(|app| async move {
        let attacker = app.browser();
        for i in 0..LoginThrottle::default().per_address {
            let page = attacker
                .log_in(&format!("person{i}@example.org"), "guess-guess-guess")
                .await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
        let page = attacker
            .log_in("someone-else@example.org", "guess-guess-guess")
            .await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(page.header("retry-after").is_some());
    })
    .await;
}

#[tokio::test]
async fn changing_the_password_ends_every_other_session() {
    on_each_backend(|app| async move {
        let phone = app.browser();
        phone
            .sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        let laptop = app.browser();
        assert!(laptop
            .log_in("alex@example.org", PASSWORD)
            .await
            .contains("Welcome, Alex"));

        phone.get("/account/password").await;
        let wrong = phone
            .post(
                "/account/password",
                &[
                    ("current", "nope-nope-nope"),
                    ("password", "river-basalt-quill-48"),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        let weak = phone
            .post(
                "/account/password",
                &[("current", PASSWORD), ("password", "password1234")],
            )
            .await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        let done = phone
            .post(
                "/account/password",
                &[("current", PASSWORD), ("password", "river-basalt-quill-48")],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK);
        assert!(done.contains("Your password is changed"));

        assert_eq!(
            phone.get("/home").await.status,
            StatusCode::OK,
            "this session goes on"
        );
        assert_eq!(
            laptop.get("/home").await.status,
            StatusCode::SEE_OTHER,
            "the other one ended"
        );
        assert_eq!(
            app.browser()
                .log_in("alex@example.org", PASSWORD)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        assert!(app
            .browser()
            .log_in("alex@example.org", "river-basalt-quill-48")
            .await
            .contains("Welcome, Alex"));
    })
    .await;
}

#[tokio::test]
async fn a_reset_link_works_once_and_logs_out_everywhere() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        browser
            .sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        let key = app.server_key();
        let link = mend_web::admin::password_reset_link(
            app.store.as_ref(),
            &key,
            "ALEX@example.org",
            &app.base,
        )
        .await
        .unwrap();
        assert!(mend_web::admin::password_reset_link(
            app.store.as_ref(),
            &key,
            "no@example.org",
            &app.base
        )
        .await
        .is_err());

        let visitor = app.browser();
        let form = visitor.get(&link).await;
        assert_eq!(form.status, StatusCode::OK);
        let path = link.strip_prefix(&app.base).unwrap();
        let weak = visitor.post(path, &[("password", "short")]).await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        let done = visitor
            .post(path, &[("password", "river-basalt-quill-48")])
            .await;
        // The reset leads to log-in (issue 12).
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert_eq!(done.location(), Some("/login?reset=1"));
        assert!(visitor
            .get("/login?reset=1")
            .await
            .contains("Your new password is saved"));

        assert_eq!(browser.get("/home").await.status, StatusCode::SEE_OTHER);
        let again = visitor.get(&link).await;
        assert_eq!(again.status, StatusCode::GONE);
        assert!(again.contains("reset link doesn"));
        assert_eq!(
            visitor
                .post(path, &[("password", "another-long-phrase-99")])
                .await
                .status,
            StatusCode::GONE
        );
        assert!(app
            .browser()
            .log_in("alex@example.org", "river-basalt-quill-48")
            .await
            .contains("Welcome, Alex"));
    })
    .await;
}

/// Before addresses were composed (NFC), they were stored only trimmed and lowercased: an
/// address typed decomposed then must still log in, and still get a reset link.
#[tokio::test]
async fn an_address_stored_decomposed_before_normalisation_still_logs_in() {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    use mend_core::store::prelude::*;
    use mend_core::store::NewPerson;
    use mend_core::{PersonId, Timestamp};
    on_each_backend(|app| async move {
        let typed = "Ame\u{0301}lie@Example.org";
        let legacy = typed.trim().to_lowercase();
        assert_ne!(
            mend_core::Email::parse(typed).unwrap().as_str(),
            legacy,
            "the test needs an address whose two forms differ"
        );
        let key = app.server_key();
        let id = PersonId::new();
        let data_key = mend_crypto::DataKey::generate(id.0);
        let password_hash = argon2::Argon2::default()
            .hash_password(PASSWORD.as_bytes(), &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        app.store
            .create_person(NewPerson {
                id,
                email_lookup: key.lookup_hash("email", legacy.as_bytes()),
                email: data_key.seal(id.0, "person.email", &legacy),
                name: data_key.seal(id.0, "person.name", "Amélie"),
                password_hash,
                wrapped_key: key.wrap(&data_key),
                created_at: Timestamp(1),
                counsellor: false,
            })
            .await
            .unwrap();

        let browser = app.browser();
        browser.get("/login").await;
        let wrong = browser
            .post(
                "/login",
                &[("email", typed), ("password", "not-the-password-9")],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        let page = browser
            .post("/login", &[("email", typed), ("password", PASSWORD)])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert!(
            mend_web::admin::password_reset_link(app.store.as_ref(), &key, typed, &app.base)
                .await
                .is_ok()
        );
    })
    .await;
}
