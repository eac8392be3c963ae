//! Issue 13: several `mend serve` on one database. Everything a request needs beyond the
//! server key lives in the database (sessions, CSRF tokens tied to them, log-in limits), so a
//! reverse proxy may send each request of one browser to any instance.

use mend_testkit::on_each_backend;
use reqwest::StatusCode;

const PASSWORD: &str = "lantern-orchid-gravel-71";

#[tokio::test]
async fn a_session_made_on_one_instance_works_on_another_and_ends_on_both() {
    on_each_backend(|app| async move {
        let other = app.another_instance(|_| {}).await;
        let c = app.couple().await;
        let alex_there = c.alex.at(&other);
        let page = alex_there.get(&c.space).await;
        assert_eq!(
            page.status,
            StatusCode::OK,
            "logged in on the other instance"
        );
        // A form from one instance's page is accepted by the other.
        let journal = format!("{}/journal", c.space);
        c.alex.get(&journal).await;
        let sent = alex_there
            .post(
                &journal,
                &[("text", "Written through the second instance.")],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        assert!(c
            .alex
            .get(&journal)
            .await
            .contains("Written through the second instance."));
        // Logging out on one ends the session on both.
        alex_there.get(&c.space).await;
        let out = alex_there.post("/logout", &[]).await;
        assert!(out.status.is_redirection(), "{:?}", out.status);
        let home = c.alex.get(&c.space).await;
        assert!(
            home.location().is_some_and(|l| l.starts_with("/login")),
            "{:?}",
            home.status
        );
    })
    .await;
}

#[tokio::test]
async fn the_log_in_limits_count_failures_on_every_instance_together() {
    on_each_backend(|app| async move {
        let other = app.another_instance(|_| {}).await;
        app.browser()
            .sign_up("Alex", "alex@example.org", PASSWORD, None)
            .await;
        // Alex's own first log-in was one of the five checks the account allows from unknown
        // browsers in 15 minutes: two more guesses here and two there use up the rest.
        let here = app.browser();
        let there = other.browser();
        for guesser in [&here, &here, &there, &there] {
            let page = guesser
                .log_in("alex@example.org", "guess-guess-guess")
                .await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
        for guesser in [&here, &there] {
            let page = guesser.log_in("alex@example.org", PASSWORD).await;
            assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        }
    })
    .await;
}
