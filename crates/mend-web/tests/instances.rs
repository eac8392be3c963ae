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

/// Each instance keeps what waits for the people it served (issue 13), under a version the
/// database raises on every change: what one partner shares through one instance waits at
/// once on the other's dashboard on another, and opening it there is seen here too.
#[tokio::test]
async fn what_waits_is_the_same_on_every_instance_at_once() {
    on_each_backend(|app| async move {
        let other = app.another_instance(|_| {}).await;
        let c = app.couple().await;
        let sam_there = c.sam.at(&other);
        // The navigation's count (the dashboard lists items only once a journey is open).
        let shared = "(1 thing is waiting for you)";
        // Both instances have counted what waits for Sam: nothing yet.
        assert!(!sam_there.get(&c.space).await.contains(shared));
        assert!(!c.sam.get(&c.space).await.contains(shared));

        let journal = format!("{}/journal", c.space);
        let written = c
            .alex
            .post(&journal, &[("text", "Today I kept my word.")])
            .await;
        assert_eq!(written.status, StatusCode::SEE_OTHER);
        let entry = c
            .alex
            .get(&journal)
            .await
            .ids_of("journal")
            .into_iter()
            .find(|id| id.len() == 36)
            .expect("the entry on the journal page");
        let share = c.alex.post(&format!("{journal}/{entry}/share"), &[]).await;
        assert_eq!(share.status, StatusCode::SEE_OTHER);

        let dashboard = sam_there.get(&c.space).await;
        assert!(dashboard.contains(shared), "{}", dashboard.body);
        c.sam.get(&journal).await;
        assert!(!sam_there.get(&c.space).await.contains(shared));
    })
    .await;
}

/// What every page of a space reads about it (its journeys, its partners) is kept on each
/// instance between requests: a journey opened, and a partner leaving, through one instance
/// show on the other at once.
#[tokio::test]
async fn a_journey_opened_or_a_partner_leaving_shows_on_every_instance_at_once() {
    on_each_backend(|app| async move {
        let other = app.another_instance(|_| {}).await;
        let c = app.couple().await;
        let alex_there = c.alex.at(&other);
        // The other instance keeps the space as it stands: no journey yet.
        assert_eq!(alex_there.get(&c.space).await.status, StatusCode::OK);

        let form =
            mend_testkit::breach_form("partner", "lie", "We tell each other the truth.", "told");
        let journey = c.sam.record_breach(&c.space, &form).await;
        assert_eq!(alex_there.get(&journey).await.status, StatusCode::OK);
        assert!(alex_there.get(&c.space).await.contains(&journey));

        let left = c
            .sam
            .post(
                "/account/leave",
                &[("current", PASSWORD), ("confirm", "leave")],
            )
            .await;
        assert_eq!(left.status, StatusCode::SEE_OTHER);
        assert!(alex_there
            .get(&c.space)
            .await
            .contains("id=\"partner-left\""));
        assert!(alex_there.get(&journey).await.contains("ended-note"));
    })
    .await;
}
