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

#[tokio::test]
async fn check_ins_are_read_a_window_at_a_time_and_the_chart_the_latest_scores() {
    use mend_core::store::CheckInRecord;
    use mend_core::{CheckInId, Cursor, Trust, WindowAsk};
    each_backend(|db| async move {
        let (alex, sam, space_id, _) = couple(&db).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let other = breach(&db, space_id, sam, alex).await;
        // Two at the same time, told apart by their ids.
        let mut ids = Vec::new();
        for (at, trust) in [(10, "1"), (20, "2"), (20, "3"), (30, "4"), (40, "5")] {
            let id = CheckInId::new();
            ids.push((Timestamp(at), id));
            db.create_check_in(CheckInRecord {
                id,
                breach: journey,
                person: sam,
                trust: Trust::parse(trust).unwrap(),
                note: None,
                created_at: Timestamp(at),
            })
            .await
            .unwrap();
        }
        ids.sort();
        let newest: Vec<_> = ids.iter().rev().map(|(_, id)| *id).collect();

        let first = db
            .check_in_window(journey, WindowAsk::newest(2))
            .await
            .unwrap();
        let shown: Vec<_> = first.items.iter().map(|c| c.id).collect();
        assert_eq!(shown, newest[..2]);
        let older = first.older.expect("more before these");
        let second = db
            .check_in_window(journey, WindowAsk::before(Some(older), 2))
            .await
            .unwrap();
        assert_eq!(
            second.items.iter().map(|c| c.id).collect::<Vec<_>>(),
            newest[2..4]
        );
        let last = db
            .check_in_window(journey, WindowAsk::before(second.older, 2))
            .await
            .unwrap();
        assert_eq!(
            last.items.iter().map(|c| c.id).collect::<Vec<_>>(),
            newest[4..]
        );
        assert_eq!(last.older, None);
        let elsewhere = db
            .check_in_window(other, WindowAsk::before(Some(older), 2))
            .await
            .unwrap();
        assert!(elsewhere.items.is_empty(), "a position is not a permission");
        assert_eq!(
            db.check_in_window(
                journey,
                WindowAsk::before(Some(Cursor::new(Timestamp(0), ids[0].1 .0)), 2)
            )
            .await
            .unwrap()
            .items
            .len(),
            0
        );

        let latest: Vec<_> = db
            .latest_trust(journey, 3)
            .await
            .unwrap()
            .iter()
            .map(|(at, _)| at.0)
            .collect();
        assert_eq!(latest, vec![20, 30, 40], "the latest, oldest first");
        let (at, id) = ids[0];
        assert_eq!(
            db.check_in(journey, id).await.unwrap().unwrap().created_at,
            at
        );
        assert!(db.check_in(other, id).await.unwrap().is_none());
    })
    .await;
}
