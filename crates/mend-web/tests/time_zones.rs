//! Each person's own time zone (issue 12): chosen on the account page or detected at log-in,
//! and used for every time their pages show, never anyone else's.

use axum::http::StatusCode;
use mend_core::store::prelude::*;
use mend_core::store::CheckInRecord;
use mend_core::{BreachId, CheckInId, SpaceId, Timestamp, Trust};
use mend_testkit::{breach_form, on_each_backend, Browser};

const PASSWORD: &str = "lantern-orchid-gravel-71";

/// 15 January 2025, 12:00 UTC: 13:00 in Paris, 21:00 in Tokyo.
const KNOWN: Timestamp = Timestamp(1_736_942_400_000);

fn ids(journey: &str) -> (SpaceId, BreachId) {
    let parts: Vec<&str> = journey.split('/').collect();
    (parts[2].parse().unwrap(), parts[4].parse().unwrap())
}

async fn choose(browser: &Browser, zone: &str) -> StatusCode {
    browser.get("/account").await;
    browser
        .post("/account/time-zone", &[("time_zone", zone)])
        .await
        .status
}

#[tokio::test]
async fn each_partner_sees_times_in_their_own_zone_and_an_unknown_zone_changes_nothing() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "lie", "We tell each other the truth.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let (space, breach) = ids(&journey);
        let hurt = app.store.breach(space, breach).await.unwrap().unwrap().hurt;
        app.store
            .create_check_in(CheckInRecord {
                id: CheckInId::new(),
                breach,
                person: hurt,
                trust: Trust::parse("4").unwrap(),
                note: None,
                created_at: KNOWN,
            })
            .await
            .unwrap();
        let patience = format!("{journey}/patience");

        // Before anyone chooses, pages are in UTC and the account page says so.
        let account = c.alex.get("/account").await;
        assert!(account.contains("shown in UTC, because no time zone has been chosen yet"));
        let page = c.alex.get(&patience).await;
        assert!(page.contains("<time datetime=\"2025-01-15T12:00+00:00\""));
        assert!(page.contains(">15 January 2025 at 12:00</time>"));
        assert!(!page.contains("(UTC).") && !page.contains("When (UTC)"));

        assert_eq!(choose(&c.alex, "Asia/Tokyo").await, StatusCode::SEE_OTHER);
        assert_eq!(choose(&c.sam, "Europe/Paris").await, StatusCode::SEE_OTHER);
        assert!(c
            .alex
            .get("/account")
            .await
            .contains("shown in the Asia/Tokyo time zone"));

        // The same check-in, each in the viewer's own zone, never the partner's.
        let alex_sees = c.alex.get(&patience).await;
        assert!(alex_sees.contains(
            "<time datetime=\"2025-01-15T21:00+09:00\" title=\"15 January 2025 at 21:00 (Asia/Tokyo)\">15 January 2025 at 21:00</time>"
        ));
        assert!(!alex_sees.contains("+01:00"));
        let sam_sees = c.sam.get(&patience).await;
        assert!(sam_sees.contains("<time datetime=\"2025-01-15T13:00+01:00\""));
        assert!(sam_sees.contains(">15 January 2025 at 13:00</time>"));
        assert!(!sam_sees.contains("+09:00"));

        // Something that just happened reads in words, in the viewer's zone.
        let space_page = c.alex.get(&c.space).await;
        assert!(space_page.contains("Recorded <time datetime=\""));
        assert!(space_page.contains("+09:00\" title=\""));
        assert!(space_page.contains(">just now</time>") || space_page.contains("minute"));

        // An unknown zone is refused with the account page, and nothing changes.
        for bad in ["Mars/Olympus", "asia/tokyo", "", "../../etc/localtime", "UTC+3"] {
            let refused = c
                .alex
                .post("/account/time-zone", &[("time_zone", bad)])
                .await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
            assert!(refused.contains("isn&#39;t a time zone Mend knows") || refused.contains("isn't a time zone Mend knows"));
        }
        // Without the CSRF token nothing changes either.
        let forged = c
            .alex
            .post_raw("/account/time-zone", &[("time_zone", "Europe/London")], None)
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert!(c
            .alex
            .get("/account")
            .await
            .contains("shown in the Asia/Tokyo time zone"));
        assert!(c
            .alex
            .get(&patience)
            .await
            .contains("2025-01-15T21:00+09:00"));

        // Sam's daily check-in is suggested from midnight in Paris, never in Tokyo.
        c.sam
            .post(
                &format!("{journey}/choices"),
                &[("change", "check_in_rhythm"), ("rhythm", "daily")],
            )
            .await;
        let sam_sees = c.sam.get(&patience).await;
        let suggested = sam_sees
            .body
            .split("suggested from <time datetime=\"")
            .nth(1)
            .expect("a suggested time");
        let stamp: String = suggested.chars().take(22).collect();
        assert!(
            stamp.ends_with("T00:00+01:00") || stamp.ends_with("T00:00+02:00"),
            "{stamp}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_browsers_zone_is_kept_at_log_in_only_while_none_is_set() {
    on_each_backend(|app| async move {
        let robin = app.browser();
        robin
            .sign_up_safe("Robin", "robin@example.org", PASSWORD)
            .await;
        assert!(robin
            .get("/account")
            .await
            .contains("shown in UTC, because no time zone has been chosen yet"));
        let person = app
            .store
            .person_by_email(&app.server_key().lookup_hash("email", b"robin@example.org"))
            .await
            .unwrap()
            .unwrap()
            .id;
        let zone_of = || async { app.store.person(person).await.unwrap().unwrap().time_zone };

        // A name the database does not know is ignored: it is only a hint.
        let log_in = |zone: &'static str| {
            let robin = &robin;
            async move {
                robin.get("/login").await;
                robin
                    .submit(
                        "/login",
                        &[
                            ("email", "robin@example.org"),
                            ("password", PASSWORD),
                            ("time_zone", zone),
                        ],
                    )
                    .await
            }
        };
        log_in("Nowhere/Special").await;
        assert_eq!(zone_of().await, None);
        log_in("America/New_York").await;
        assert_eq!(zone_of().await.as_deref(), Some("America/New_York"));
        assert!(robin
            .get("/account")
            .await
            .contains("shown in the America/New_York time zone"));
        // Once set, another browser's zone does not replace it; only a choice does.
        log_in("Asia/Tokyo").await;
        assert_eq!(zone_of().await.as_deref(), Some("America/New_York"));
        assert_eq!(choose(&robin, "Asia/Tokyo").await, StatusCode::SEE_OTHER);
        assert_eq!(zone_of().await.as_deref(), Some("Asia/Tokyo"));
    })
    .await;
}
