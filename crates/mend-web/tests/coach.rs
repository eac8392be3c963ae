//! The `/coach` page: no login needed, findings highlighted with reasons and suggestions, a
//! fragment for live feedback, and clear refusals.

use mend_testkit::{StoreBackend, TestApp};
use reqwest::StatusCode;

const SLIPPING: &str = "I'm sorry if you were hurt, but you were never there for me.";

#[tokio::test]
async fn the_coach_page_works_without_an_account_or_javascript() {
    let app = TestApp::spawn(StoreBackend::Sqlite, |_| {}).await;
    let browser = app.browser();
    let page = browser.get("/coach").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.contains("Try the language coach"));
    assert!(page.contains("<option value=\"free\" selected>"));

    let checked = browser
        .post("/coach", &[("text", SLIPPING), ("mode", "free")])
        .await;
    assert_eq!(checked.status, StatusCode::OK);
    for label in [
        "An apology that isn&#39;t one",
        "Defending yourself",
        "Shifting the blame",
    ] {
        assert!(checked.contains(label), "{label} in {}", checked.body);
    }
    assert!(checked.contains("<mark id=\"mark-1\">"));
    assert!(checked.contains("3 places to look at again"));
    assert!(checked.contains("Instead:"));
    // The draft stays in the box so it can be edited.
    assert!(checked.contains("you were never there for me.</textarea>"));
}

#[tokio::test]
async fn live_feedback_returns_only_the_results() {
    let app = TestApp::spawn(StoreBackend::Sqlite, |_| {}).await;
    let browser = app.browser();
    browser.get("/coach").await;
    let fragment = browser
        .post(
            "/coach/review",
            &[("text", SLIPPING), ("mode", "acknowledgement")],
        )
        .await;
    assert_eq!(fragment.status, StatusCode::OK);
    assert!(!fragment.contains("<html"));
    assert!(fragment.contains("<mark"));

    let clean = browser
        .post(
            "/coach/review",
            &[
                ("text", "I have no excuse for what I did."),
                ("mode", "free"),
            ],
        )
        .await;
    assert!(clean.contains("The coach found nothing to change."));
    assert!(!clean.contains("<mark"));

    let empty = browser.post("/coach/review", &[("text", "   ")]).await;
    assert!(empty.contains("Write something above"));
}

#[tokio::test]
async fn an_unknown_mode_checks_everything_and_a_long_draft_is_refused_clearly() {
    let app = TestApp::spawn(StoreBackend::Sqlite, |_| {}).await;
    let browser = app.browser();
    browser.get("/coach").await;
    let odd = browser
        .post("/coach", &[("text", SLIPPING), ("mode", "nonsense")])
        .await;
    assert_eq!(odd.status, StatusCode::OK);
    assert!(odd.contains("<option value=\"free\" selected>"));

    let long = "I was wrong. ".repeat(1700);
    let refused = browser.post("/coach", &[("text", long.as_str())]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.contains("under 20,000 characters"));

    let without_token = browser
        .post_raw("/coach/review", &[("text", SLIPPING)], Some(&app.base))
        .await;
    assert_eq!(without_token.status, StatusCode::FORBIDDEN);
}
