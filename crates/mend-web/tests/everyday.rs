//! The pages a couple uses every day, over HTTP on every backend: the navigation on error
//! pages, the favicon, first steps on a new journey and the invitation's copy button.

use mend_testkit::{breach_form, on_each_backend};
use reqwest::StatusCode;

/// The logged-in navigation: the links and the log-out form with a token.
fn has_navigation(body: &str) -> bool {
    body.contains("href=\"/home\"")
        && body.contains("href=\"/account\"")
        && body.contains("action=\"/logout\"")
}

#[tokio::test]
async fn error_pages_keep_the_navigation_of_a_person_who_is_logged_in() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "affair", "We are faithful to each other.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let (alex, sam) = (c.alex, c.sam);

        // 404: an unknown page and a journey that is not theirs to see.
        for path in [
            "/no-such-page",
            "/spaces/00000000-0000-0000-0000-000000000000",
        ] {
            let missing = alex.get(path).await;
            assert_eq!(missing.status, StatusCode::NOT_FOUND, "{path}");
            assert!(has_navigation(&missing.body), "{path}");
        }
        let logged_out = app.browser().get("/no-such-page").await;
        assert_eq!(logged_out.status, StatusCode::NOT_FOUND);
        assert!(!logged_out.contains("href=\"/account\""));
        assert!(!logged_out.contains("action=\"/logout\""));

        // 422: a blank reply to a trigger.
        let triggers = format!("{journey}/triggers");
        sam.get(&triggers).await;
        sam.post(&triggers, &[]).await;
        let trigger = alex.get(&triggers).await.ids_of("trigger")[0].clone();
        let blank = alex
            .post(&format!("{triggers}/{trigger}/reply"), &[("text", " ")])
            .await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(has_navigation(&blank.body));

        // 409: anything written to an ended journey.
        let parted = alex
            .post(
                &format!("{journey}/choices"),
                &[("change", "part_with_care"), ("confirm", "yes")],
            )
            .await;
        assert_eq!(parted.status, StatusCode::SEE_OTHER);
        sam.get(&triggers).await;
        let ended = sam.post(&triggers, &[]).await;
        assert_eq!(ended.status, StatusCode::CONFLICT);
        assert!(has_navigation(&ended.body));

        // The log-out form on an error page works: its token is the browser's own.
        let missing = alex.get("/no-such-page").await;
        assert!(!missing.field("csrf").unwrap_or_default().is_empty());
        let out = alex.post("/logout", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(!has_navigation(&alex.get("/no-such-page").await.body));
    })
    .await;
}

#[tokio::test]
async fn the_favicon_is_ours_and_kept_in_the_cache() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        let page = browser.get("/").await;
        assert!(page
            .contains("<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"));
        let icon = browser.get("/static/favicon.svg").await;
        assert_eq!(icon.status, StatusCode::OK);
        assert_eq!(icon.header("content-type"), Some("image/svg+xml"));
        assert_eq!(icon.header("cache-control"), Some("public, max-age=3600"));
        assert!(icon
            .body
            .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    })
    .await;
}

#[tokio::test]
async fn a_new_journey_says_where_to_begin_for_each_partner_until_the_acknowledgement() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "affair", "We are faithful to each other.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let (alex, sam) = (c.alex, c.sam);

        let repairing = alex.get(&journey).await;
        assert!(repairing.contains("Where to begin"));
        assert!(repairing.contains("Begin with the acknowledgement"));
        let hurt = sam.get(&journey).await;
        assert!(hurt.contains("Where to begin"));
        assert!(hurt.contains("There is nothing you have to do first"));
        assert!(!hurt.contains("Begin with the acknowledgement"));

        let ack = format!("{journey}/acknowledge");
        let entry = alex.get(&ack).await.field("entry").unwrap();
        alex.post(
            &format!("{ack}/send"),
            &[
                ("entry", &entry),
                ("text", "I had an affair for five months."),
            ],
        )
        .await;
        assert!(!alex.get(&journey).await.contains("Where to begin"));
        assert!(!sam.get(&journey).await.contains("Where to begin"));
    })
    .await;
}

#[tokio::test]
async fn the_invitation_link_has_a_copy_button_that_needs_javascript() {
    on_each_backend(|app| async move {
        let alex = app.browser();
        alex.sign_up_safe("Alex", "alex-copy@example.org", "lantern-orchid-gravel-71")
            .await;
        let space = alex.post("/spaces", &[]).await;
        let space = space.location().unwrap().to_owned();
        alex.get(&space).await;
        alex.post(&format!("{space}/invites"), &[]).await;
        let page = alex.get(&space).await;
        // The link stays a plain, selectable field; the button appears only with the script.
        assert!(page.contains("class=\"invite-link\" type=\"text\" readonly value=\"http"));
        assert!(page.contains("data-copy=\"invite-link-1\""));
        assert!(page.contains(">Copy the link</button>"));
        assert!(page.contains("hidden>Copy the link"));
    })
    .await;
}
