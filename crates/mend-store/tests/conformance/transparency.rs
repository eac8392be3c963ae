//! Transparency agreements.

use mend_core::store::prelude::*;
use mend_core::{StoreError, Timestamp};

use crate::{breach, couple, each_backend, two_journeys_and_one_elsewhere};

#[tokio::test]
async fn transparency_offers_are_decided_once_and_renewed_one_at_a_time() {
    use mend_core::store::TransparencyRecord;
    use mend_core::{Period, TransparencyId, TransparencyState};
    each_backend(|db| async move {
        let (alex, sam, space_id, key) = couple(&db).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let other = breach(&db, space_id, sam, alex).await;
        let offer = |renews: Option<TransparencyId>, at: i64| {
            let id = TransparencyId::new();
            TransparencyRecord {
                id,
                breach: journey,
                offered_by: alex,
                text: key.seal(id.0, "transparency.text", "I will tell you the same day."),
                period: Period::ThreeMonths,
                state: TransparencyState::Offered,
                renews,
                created_at: Timestamp(at),
                decided_at: None,
                starts_at: None,
            }
        };
        let first = offer(None, 5);
        let first_id = first.id;
        db.create_transparency(first).await.unwrap();

        assert!(!db
            .accept_transparency(other, first_id, Timestamp(6), Timestamp(6))
            .await
            .unwrap());
        assert!(db
            .accept_transparency(journey, first_id, Timestamp(6), Timestamp(6))
            .await
            .unwrap());
        assert!(
            !db.accept_transparency(journey, first_id, Timestamp(7), Timestamp(7))
                .await
                .unwrap(),
            "once"
        );
        assert!(!db
            .close_transparency_offer(
                journey,
                first_id,
                TransparencyState::Withdrawn,
                Timestamp(7)
            )
            .await
            .unwrap());

        let renewal = offer(Some(first_id), 8);
        let renewal_id = renewal.id;
        db.create_transparency(renewal).await.unwrap();
        assert!(
            matches!(
                db.create_transparency(offer(Some(first_id), 9)).await,
                Err(StoreError::Conflict(_))
            ),
            "one open renewal of an agreement"
        );
        assert!(db
            .close_transparency_offer(
                journey,
                renewal_id,
                TransparencyState::Declined,
                Timestamp(10)
            )
            .await
            .unwrap());
        db.create_transparency(offer(Some(first_id), 11))
            .await
            .unwrap();

        let all = db.transparency_agreements(journey).await.unwrap();
        let states: Vec<_> = all.iter().map(|t| t.state).collect();
        assert_eq!(
            states,
            [
                TransparencyState::Accepted,
                TransparencyState::Declined,
                TransparencyState::Offered
            ]
        );
        assert_eq!(
            (all[0].starts_at, all[0].decided_at, all[0].period),
            (Some(Timestamp(6)), Some(Timestamp(6)), Period::ThreeMonths)
        );
        assert_eq!(all[1].renews, Some(first_id));
        assert_eq!(
            key.open(all[0].id.0, "transparency.text", &all[0].text)
                .unwrap(),
            "I will tell you the same day."
        );
        assert!(db.transparency_agreements(other).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_spaces_transparency_agreements_are_read_at_once() {
    use mend_core::store::TransparencyRecord;
    use mend_core::{Period, TransparencyId, TransparencyState};
    each_backend(|db| async move {
        let t = two_journeys_and_one_elsewhere(&db).await;
        let [first, second] = t.journeys;
        for (breach, at) in [(first, 5), (t.elsewhere, 4), (second, 3)] {
            let id = TransparencyId::new();
            db.create_transparency(TransparencyRecord {
                id,
                breach,
                offered_by: t.alex,
                text: t.key.seal(id.0, "transparency.text", "I will tell you."),
                period: Period::ThreeMonths,
                state: TransparencyState::Offered,
                renews: None,
                created_at: Timestamp(at),
                decided_at: None,
                starts_at: None,
            })
            .await
            .unwrap();
        }
        let found: Vec<_> = db
            .transparency_in_space(t.space)
            .await
            .unwrap()
            .iter()
            .map(|o| (o.breach, o.created_at, o.state))
            .collect();
        assert_eq!(
            found,
            vec![
                (second, Timestamp(3), TransparencyState::Offered),
                (first, Timestamp(5), TransparencyState::Offered)
            ]
        );
    })
    .await;
}
