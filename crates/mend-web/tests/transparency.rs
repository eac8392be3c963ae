//! Transparency agreements over HTTP on every backend: the repairing partner offers, the hurt
//! partner decides, offers are withdrawn and agreements renewed, with every refusal.

use mend_core::store::prelude::*;
use mend_core::store::TransparencyRecord;
use mend_core::{
    BreachId, Duration, Period, SpaceId, Timestamp, TransparencyId, TransparencyState,
};
use mend_testkit::{breach_form, on_each_backend, Page, TestApp};
use reqwest::StatusCode;

const PROMISE: &str = "I will tell you the same day if Jo contacts me, and what was said.";

/// The ids of the agreements a page shows, in page order.
fn ids(page: &Page) -> Vec<String> {
    page.body
        .split("id=\"transparency-")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|s| s.parse::<TransparencyId>().is_ok())
        .map(str::to_owned)
        .collect()
}

fn journey_ids(journey: &str) -> (SpaceId, BreachId) {
    let mut parts = journey.trim_start_matches("/spaces/").split("/breaches/");
    let space = parts
        .next()
        .and_then(|s| s.parse().ok())
        .expect("a space id");
    let breach = parts
        .next()
        .and_then(|s| s.parse().ok())
        .expect("a breach id");
    (space, breach)
}

#[tokio::test]
async fn the_repairing_partner_offers_and_the_hurt_partner_decides() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "affair", "We are faithful to each other.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let page = format!("{journey}/transparency");
        let (alex, sam) = (c.alex, c.sam);

        assert!(alex
            .get(&journey)
            .await
            .contains(&format!("href=\"{page}\"")));
        let first_look = sam.get(&page).await;
        assert!(first_look.contains("never reads, tracks or monitors anything"));
        assert!(first_look.contains("No transparency agreements yet."));
        assert!(!first_look.contains("name=\"period\""), "no offer form");
        assert_eq!(
            sam.post(&page, &[("text", PROMISE), ("period", "91")])
                .await
                .status,
            StatusCode::FORBIDDEN,
            "transparency is the repairing partner's to offer"
        );

        alex.get(&page).await;
        let empty = alex.post(&page, &[("text", "  "), ("period", "91")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.contains("Please write what you will tell"));
        let long = "a".repeat(2001);
        let too_long = alex.post(&page, &[("text", &long), ("period", "91")]).await;
        assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_long.contains("2,000 characters or fewer"));
        let odd = alex
            .post(&page, &[("text", PROMISE), ("period", "90")])
            .await;
        assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(odd.contains("Please choose one of the periods."));
        assert!(odd.contains(PROMISE), "what was typed is kept");
        assert_eq!(
            alex.post(&page, &[("text", PROMISE)]).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert!(ids(&sam.get(&page).await).is_empty(), "nothing was offered");

        let form_id = alex.get(&page).await.field("form_id").unwrap();
        for _ in 0..2 {
            assert_eq!(
                alex.post(
                    &page,
                    &[("text", PROMISE), ("period", "91"), ("form_id", &form_id)]
                )
                .await
                .status,
                StatusCode::SEE_OTHER
            );
        }
        let seen = sam.get(&page).await;
        let offered = ids(&seen);
        assert_eq!(offered.len(), 1, "a double submit offers once");
        assert!(seen.contains(PROMISE) && seen.contains("Offered for 3 months"));
        assert!(sam
            .get(&c.space)
            .await
            .contains("Your partner offered a transparency agreement (An affair)."));
        let first = &offered[0];
        let decide = format!("{page}/{first}/decide");

        assert_eq!(
            sam.post(&format!("{page}/{first}/withdraw"), &[])
                .await
                .status,
            StatusCode::FORBIDDEN,
            "only the offerer withdraws"
        );
        assert_eq!(
            alex.post(&decide, &[("decision", "accept")]).await.status,
            StatusCode::FORBIDDEN,
            "the hurt partner decides"
        );
        assert_eq!(
            sam.post(&decide, &[("decision", "maybe")]).await.status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            sam.post(&decide, &[("decision", "accept")]).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            sam.post(&decide, &[("decision", "decline")]).await.status,
            StatusCode::CONFLICT,
            "decided once"
        );
        let accepted = alex.get(&page).await;
        assert!(accepted.contains("Agreements in place") && accepted.contains("Runs from"));
        assert!(!accepted.contains("No transparency agreements yet."));
        assert!(!sam.get(&c.space).await.contains("transparency agreement"));
        assert_eq!(
            alex.post(&format!("{page}/{first}/withdraw"), &[])
                .await
                .status,
            StatusCode::CONFLICT,
            "an accepted agreement is no longer an offer"
        );

        // Withdrawn and declined offers stay visible, marked as not taken up.
        alex.post(
            &page,
            &[
                ("text", "I will show you the messages.  "),
                ("period", "30"),
            ],
        )
        .await;
        alex.post(
            &page,
            &[("text", "I will say where I am going."), ("period", "365")],
        )
        .await;
        // Offers come first on the page, then the agreement in place.
        let shown = ids(&sam.get(&page).await);
        assert_eq!(&shown[2], first);
        let (second, third) = (&shown[0], &shown[1]);
        assert!(sam
            .get(&c.space)
            .await
            .contains("Your partner offered 2 transparency agreements (An affair)."));
        let withdraw = format!("{page}/{second}/withdraw");
        assert_eq!(
            alex.post(&withdraw, &[]).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(alex.post(&withdraw, &[]).await.status, StatusCode::CONFLICT);
        assert_eq!(
            sam.post(
                &format!("{page}/{third}/decide"),
                &[("decision", "decline")]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let closed = alex.get(&page).await;
        assert!(closed.contains("Offers not taken up"));
        assert!(
            closed.contains("Withdrawn <time")
                && closed.contains("Answered &#34;not now&#34; <time")
        );

        // Renewal: the same words by default, a chosen period, one at a time.
        assert!(closed.contains(&format!("action=\"{page}/{first}/renew\"")));
        let renew = format!("{page}/{first}/renew");
        assert_eq!(
            sam.post(&renew, &[("text", PROMISE), ("period", "91")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            alex.post(
                &format!("{page}/{third}/renew"),
                &[("text", PROMISE), ("period", "91")]
            )
            .await
            .status,
            StatusCode::CONFLICT,
            "only an accepted agreement is renewed"
        );
        assert_eq!(
            alex.post(&renew, &[("text", ""), ("period", "182")])
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            alex.post(&renew, &[("text", PROMISE), ("period", "182")])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            alex.post(&renew, &[("text", PROMISE), ("period", "182")])
                .await
                .status,
            StatusCode::CONFLICT,
            "one renewal at a time"
        );
        let waiting = alex.get(&page).await;
        assert!(waiting.contains("A renewal of this agreement is waiting for your partner."));
        let offer = sam.get(&page).await;
        assert!(offer.contains("A renewal of an earlier agreement.") && offer.contains("6 months"));
        let renewal = ids(&offer)[0].clone();
        assert_eq!(
            sam.post(
                &format!("{page}/{renewal}/decide"),
                &[("decision", "accept")]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let renewed = sam.get(&page).await;
        assert!(
            renewed.contains("Renewals that begin later")
                && renewed.contains("Will run from <time"),
            "renewed while running: it follows on when the first one ends"
        );

        // Another journey's agreement, an unknown one, and a stranger are not found.
        let theirs = sam
            .record_breach(
                &c.space,
                &breach_form("me", "lie", "We tell the truth.", "told"),
            )
            .await;
        assert_eq!(
            alex.post(
                &format!("{theirs}/transparency/{first}/decide"),
                &[("decision", "accept")]
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            sam.post(&format!("{theirs}/transparency/{first}/withdraw"), &[])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let unknown = format!("{page}/{}/decide", TransparencyId::new());
        assert_eq!(
            sam.post(&unknown, &[("decision", "accept")]).await.status,
            StatusCode::NOT_FOUND
        );
        let robin = app.browser();
        robin
            .sign_up_safe("Robin", "robin@example.org", "lantern-orchid-gravel-71")
            .await;
        assert_eq!(robin.get(&page).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

/// An accepted agreement whose period has passed, written straight to the store.
async fn an_old_agreement(app: &TestApp, journey: &str) {
    let (space, breach) = journey_ids(journey);
    let record = app.store.space(space).await.unwrap().unwrap();
    let space_key = app
        .server_key()
        .unwrap_key(space.0, &record.wrapped_key)
        .unwrap();
    let repairing = app
        .store
        .breach(space, breach)
        .await
        .unwrap()
        .unwrap()
        .repairing;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let long_ago = Timestamp(now) - Duration::days(100);
    let id = TransparencyId::new();
    app.store
        .create_transparency(TransparencyRecord {
            id,
            breach,
            offered_by: repairing,
            text: space_key.seal(id.0, "transparency.text", PROMISE),
            period: Period::OneMonth,
            state: TransparencyState::Accepted,
            renews: None,
            created_at: long_ago,
            decided_at: Some(long_ago),
            starts_at: Some(long_ago),
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn an_agreement_ends_on_its_date_and_can_be_renewed_after() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "financial", "We share what we spend.", "found_out");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let page = format!("{journey}/transparency");
        an_old_agreement(&app, &journey).await;

        let ended = c.alex.get(&page).await;
        assert!(ended.contains("Agreements that have ended") && ended.contains("Ended <time"));
        assert!(ended.contains("None in place right now."), "none in place");
        let old = ids(&ended)[0].clone();
        assert_eq!(
            c.alex
                .post(
                    &format!("{page}/{old}/renew"),
                    &[("text", PROMISE), ("period", "30")]
                )
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let renewal = ids(&c.sam.get(&page).await)[0].clone();
        assert_ne!(renewal, old, "offers come first on the page");
        c.sam
            .post(
                &format!("{page}/{renewal}/decide"),
                &[("decision", "accept")],
            )
            .await;
        let running = c.alex.get(&page).await;
        assert!(
            running.contains("Agreements in place") && running.contains("Runs from"),
            "ended before acceptance: the renewal runs from acceptance"
        );
        assert!(!running.contains("Renewals that begin later"));
    })
    .await;
}
