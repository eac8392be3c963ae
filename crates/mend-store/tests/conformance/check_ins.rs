//! Check-ins.

use mend_core::store::prelude::*;
use mend_core::Timestamp;

use crate::{breach, couple, each_backend, two_journeys_and_one_elsewhere};

#[tokio::test]
async fn check_ins_are_kept_in_order_within_their_journey() {
    use mend_core::store::CheckInRecord;
    use mend_core::{CheckInId, Trust};
    each_backend(|db| async move {
        let (alex, sam, space_id, _) = couple(&db).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let other = breach(&db, space_id, sam, alex).await;
        for (at, trust) in [(30, "6"), (10, "2"), (20, "4")] {
            db.create_check_in(CheckInRecord {
                id: CheckInId::new(),
                breach: journey,
                person: sam,
                trust: Trust::parse(trust).unwrap(),
                note: None,
                created_at: Timestamp(at),
            })
            .await
            .unwrap();
        }
        let values: Vec<u8> = db
            .check_ins(journey)
            .await
            .unwrap()
            .iter()
            .map(|c| c.trust.value())
            .collect();
        assert_eq!(values, vec![2, 4, 6]);
        assert!(db.check_ins(other).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_spaces_check_ins_are_read_at_once() {
    use mend_core::store::CheckInRecord;
    use mend_core::{CheckInId, Trust};
    each_backend(|db| async move {
        let t = two_journeys_and_one_elsewhere(&db).await;
        let [first, second] = t.journeys;
        for (breach, at) in [(first, 30), (t.elsewhere, 20), (second, 10)] {
            db.create_check_in(CheckInRecord {
                id: CheckInId::new(),
                breach,
                person: t.sam,
                trust: Trust::parse("4").unwrap(),
                note: None,
                created_at: Timestamp(at),
            })
            .await
            .unwrap();
        }
        let found: Vec<_> = db
            .check_ins_in_space(t.space)
            .await
            .unwrap()
            .iter()
            .map(|c| (c.breach, c.created_at))
            .collect();
        assert_eq!(found, vec![(second, Timestamp(10)), (first, Timestamp(30))]);
    })
    .await;
}
