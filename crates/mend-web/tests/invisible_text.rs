//! Names, addresses and words that show as nothing, or that turn the text around them, are
//! refused over HTTP on every backend, and nothing is stored for them.

use mend_testkit::{breach_form, on_each_backend, Browser, Page, TestApp};
use reqwest::StatusCode;

const PASSWORD: &str = "lantern-orchid-gravel-71";

/// Posts the sign-up form once, as a browser would, and returns its answer.
async fn sign_up_form(browser: &Browser, name: &str, email: &str) -> Page {
    browser.get("/signup").await;
    browser
        .post(
            "/signup",
            &[("name", name), ("email", email), ("password", PASSWORD)],
        )
        .await
}

#[tokio::test]
async fn names_and_addresses_that_hide_characters_are_refused_and_create_nothing() {
    on_each_backend(|app: TestApp| async move {
        let cases = [
            (
                "\u{200B}\u{200C}\u{200D}",
                "one@example.org",
                "Please tell us your name.",
            ),
            (
                "\u{FEFF} \u{2060}",
                "two@example.org",
                "Please tell us your name.",
            ),
            (
                "Al\u{202E}xe",
                "three@example.org",
                "characters we can&#39;t show",
            ),
            (
                "\u{2067}Sam",
                "four@example.org",
                "characters we can&#39;t show",
            ),
        ];
        for (name, email, message) in cases {
            let browser = app.browser();
            let page = sign_up_form(&browser, name, email).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
            assert!(page.contains(message), "{name:?}: {}", page.body);
            // Nothing was created: the address is free for a proper sign-up.
            let retry = app.browser();
            let after = retry.sign_up("Robin", email, PASSWORD, None).await;
            assert!(after.status.is_success(), "{email}");
            assert!(after.contains("name=\"afraid\""), "{email}");
        }

        let owner = app.browser();
        owner
            .sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        for lookalike in [
            "alex\u{200B}@example.org",
            "alex@exam\u{200D}ple.org",
            "\u{FEFF}alex@example.org",
            "alex\u{202E}@example.org",
        ] {
            let browser = app.browser();
            let page = sign_up_form(&browser, "Alex", lookalike).await;
            assert_eq!(
                page.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{lookalike:?}"
            );
            assert!(
                page.contains("It should look like name@example.org."),
                "{lookalike:?}"
            );
            // And it is no way into the real account either.
            let guess = browser.log_in(lookalike, PASSWORD).await;
            assert_ne!(guess.status, StatusCode::OK, "{lookalike:?}");
            assert!(!guess.contains("Log out"), "{lookalike:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_composed_and_a_decomposed_address_are_one_account() {
    on_each_backend(|app: TestApp| async move {
        let first = app.browser();
        first
            .sign_up_safe("Amélie", "ame\u{0301}lie@example.org", PASSWORD)
            .await;
        // The same address typed with the composed letter logs in to the same account.
        let again = app.browser();
        let page = again.log_in("amélie@example.org", PASSWORD).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.contains("Amélie"));
    })
    .await;
}

#[tokio::test]
async fn words_that_show_as_nothing_count_as_empty() {
    on_each_backend(|app: TestApp| async move {
        let c = app.couple().await;
        let journal = format!("{}/journal", c.space);
        c.sam.get(&journal).await;
        for blank in [
            "\u{200B}\u{200B}\u{200B}",
            " \u{FEFF}\n\u{2060} ",
            "\u{3164}",
        ] {
            let page = c.sam.post(&journal, &[("text", blank)]).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{blank:?}");
            assert!(
                page.contains("Please write something before keeping the entry."),
                "{blank:?}"
            );
        }
        let kept = c.sam.get(&journal).await;
        assert!(!kept.contains("Private: only you can read this."));
    })
    .await;
}

#[tokio::test]
async fn a_journey_a_question_and_an_acknowledgement_need_visible_words() {
    on_each_backend(|app: TestApp| async move {
        let c = app.couple().await;
        let hidden = "\u{200B}\u{2060}\u{FEFF}";
        let refused = breach_form("me", "lie", hidden, "told");
        c.alex.get(&format!("{}/breaches/new", c.space)).await;
        let page = c
            .alex
            .post(&format!("{}/breaches", c.space), &refused)
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!c.alex.get(&c.space).await.contains("/breaches/0"));

        let form = breach_form("me", "lie", "We tell each other the truth.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let questions = format!("{journey}/questions");
        c.sam.get(&questions).await;
        let asked = c.sam.post(&questions, &[("text", hidden)]).await;
        assert_eq!(asked.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(asked.contains("Please write your question or answer before sending it."));
        assert!(c.sam.get(&questions).await.contains("No questions yet."));

        let acknowledge = format!("{journey}/acknowledge");
        let entry = c
            .alex
            .get(&acknowledge)
            .await
            .field("entry")
            .expect("the form's entry id");
        let sent = c
            .alex
            .post(
                &format!("{acknowledge}/send"),
                &[("entry", entry.as_str()), ("text", hidden)],
            )
            .await;
        assert_eq!(sent.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(sent.contains("Please write your acknowledgement before sending it."));
    })
    .await;
}
