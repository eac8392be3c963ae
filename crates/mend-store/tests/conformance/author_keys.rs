//! Author keys (issue 11): stored only for a seated partner, read with their space in one
//! query, and the one-time move of a space's texts, all or nothing.

use mend_core::store::prelude::*;
use mend_core::store::{Resealed, SpaceText};
use mend_core::Timestamp;
use mend_crypto::DataKey;

use crate::{breach, couple, each_backend, invite, server_key};

#[tokio::test]
async fn an_author_key_is_kept_only_for_a_partner_in_the_space_and_the_first_stays() {
    each_backend(|db| async move {
        let (alex, sam, space, _) = couple(&db).await;
        let wrap =
            |p: mend_core::PersonId| server_key().wrap_author_key(&DataKey::generate(space.0), p.0);
        // Sam is not seated yet: nothing is stored.
        db.add_author_key(space, sam, &wrap(sam), Timestamp(1))
            .await
            .unwrap();
        assert!(db.author_keys(space).await.unwrap().is_empty());
        let first = wrap(alex);
        db.add_author_key(space, alex, &first, Timestamp(1))
            .await
            .unwrap();
        db.add_author_key(space, alex, &wrap(alex), Timestamp(2))
            .await
            .unwrap();
        let (record, keys) = db.space_with_author_keys(space).await.unwrap().unwrap();
        assert_eq!(record.id, space);
        assert_eq!(keys, vec![(alex, first)], "the first key stays");
        assert!(db
            .space_with_author_keys(mend_core::SpaceId::new())
            .await
            .unwrap()
            .is_none());
        let code = invite(&db, space, alex, "code-1", 1_000).await;
        db.accept_invite(code, sam, Timestamp(21)).await.unwrap();
        db.add_author_key(space, sam, &wrap(sam), Timestamp(22))
            .await
            .unwrap();
        assert_eq!(db.author_keys(space).await.unwrap().len(), 2);
        db.leave_space(sam, Timestamp(30)).await.unwrap();
        assert_eq!(
            db.author_keys(space)
                .await
                .unwrap()
                .iter()
                .map(|(p, _)| *p)
                .collect::<Vec<_>>(),
            vec![alex],
            "Sam's key left with them"
        );
    })
    .await;
}

#[tokio::test]
async fn a_move_to_author_keys_happens_whole_or_not_at_all() {
    each_backend(|db| async move {
        let (alex, sam, space, _) = couple(&db).await;
        let code = invite(&db, space, alex, "code-1", 1_000).await;
        db.accept_invite(code, sam, Timestamp(21)).await.unwrap();
        let journey = breach(&db, space, sam, alex).await;
        let unmoved = "UPDATE spaces SET authors_sealed_at = NULL WHERE id = $1";
        db.execute_for(unmoved, space.0).await.unwrap();
        assert_eq!(db.spaces_sealed_for_space().await.unwrap(), vec![space]);
        let facts = db
            .space_texts(space, SpaceText::BreachDetails)
            .await
            .unwrap();
        assert_eq!(facts.len(), 1);
        assert_eq!((facts[0].row, facts[0].author), (journey.0, None));
        let new_key = DataKey::generate(space.0);
        let resealed = Resealed {
            kind: SpaceText::BreachDetails,
            row: journey.0,
            old: facts[0].sealed.clone(),
            new: new_key.seal(journey.0, "breach.details", "{}"),
        };
        let codes = db.space_texts(space, SpaceText::InviteCode).await.unwrap();
        assert_eq!(codes.len(), 1);
        let code = Resealed {
            kind: SpaceText::InviteCode,
            row: codes[0].row,
            old: codes[0].sealed.clone(),
            new: new_key.seal(codes[0].row, "invite.code", "code-1"),
        };
        // An invitation left out (as one made after the texts were read would be): nothing
        // of the move is kept.
        assert!(!db
            .move_to_author_keys(
                space,
                &server_key().wrap(&new_key),
                std::slice::from_ref(&resealed),
                Timestamp(40)
            )
            .await
            .unwrap());
        let (before, _) = db.space_with_author_keys(space).await.unwrap().unwrap();

        // A text that changed since it was read: nothing of the move is kept.
        let stale = Resealed {
            old: new_key.seal(journey.0, "breach.details", "[]"),
            ..resealed.clone()
        };
        let wrapped = server_key().wrap(&new_key);
        assert!(!db
            .move_to_author_keys(space, &wrapped, &[stale, code.clone()], Timestamp(40))
            .await
            .unwrap());
        let (after, _) = db.space_with_author_keys(space).await.unwrap().unwrap();
        assert_eq!(after.wrapped_key, before.wrapped_key, "the old key stays");
        assert_eq!(db.spaces_sealed_for_space().await.unwrap(), vec![space]);

        assert!(db
            .move_to_author_keys(space, &wrapped, &[resealed.clone(), code], Timestamp(40))
            .await
            .unwrap());
        let (after, _) = db.space_with_author_keys(space).await.unwrap().unwrap();
        assert_eq!(after.wrapped_key, wrapped);
        let facts = db
            .space_texts(space, SpaceText::BreachDetails)
            .await
            .unwrap();
        assert_eq!(facts[0].sealed, resealed.new);
        assert!(db.spaces_sealed_for_space().await.unwrap().is_empty());
        // A second start finds the space moved and changes nothing.
        assert!(!db
            .move_to_author_keys(space, &wrapped, &[], Timestamp(41))
            .await
            .unwrap());
    })
    .await;
}

/// Whose words each kind of text is, read as the move reads them: a partner's words on the
/// other's row (a response, a reply, what was missed) are the responder's, so they move to the
/// responder's key and go when the responder leaves.
#[tokio::test]
async fn each_kind_of_text_is_read_with_its_own_writer() {
    use crate::departure_races::{couple_in, entry, feeling, trigger};
    use mend_core::store::{ReflectionRecord, StoredText};
    use mend_core::Verdict;
    use mend_core::{EntryId, EntryKind, FeelingId, ReflectionId, StatementResponse, TriggerId};
    each_backend(|db| async move {
        let c = couple_in(&db, 0).await;
        let (alex, sam) = (c.alex, c.sam);
        let statement = EntryId::new();
        db.send_entry(entry(&c, statement, alex, EntryKind::Accountability))
            .await
            .unwrap();
        let note = c
            .key
            .seal(statement.0, "entry.response_note", "I need more.");
        assert!(db
            .respond_to_statement(
                c.journey,
                statement,
                StatementResponse::SomethingMissing,
                Some(note),
                Timestamp(50)
            )
            .await
            .unwrap());
        let felt = FeelingId::new();
        db.create_feeling(feeling(&c, felt, sam)).await.unwrap();
        let reflection = ReflectionId::new();
        db.create_reflection(
            c.journey,
            ReflectionRecord {
                id: reflection,
                feeling: felt,
                author: alex,
                body: Some(c.key.seal(reflection.0, "reflection.body", "I hear you.")),
                created_at: Timestamp(51),
                withdrawn_at: None,
                verdict: None,
                missed: None,
                verdict_at: None,
            },
        )
        .await
        .unwrap();
        let missed = c
            .key
            .seal(reflection.0, "reflection.missed", "How alone I was.");
        assert!(db
            .answer_reflection(
                c.journey,
                reflection,
                Verdict::NotYet,
                Some(missed),
                Timestamp(52)
            )
            .await
            .unwrap());
        let signal = TriggerId::new();
        db.create_trigger(trigger(&c, signal, sam)).await.unwrap();
        let reply = c.key.seal(signal.0, "trigger.reply", "I'm here.");
        assert!(db
            .reply_to_trigger(c.journey, signal, reply, Timestamp(53))
            .await
            .unwrap());

        let writer = |texts: Vec<StoredText>| texts.iter().map(|t| t.author).collect::<Vec<_>>();
        for (kind, by) in [
            (SpaceText::EntryBody, alex),
            (SpaceText::EntryResponseNote, sam),
            (SpaceText::Feeling, sam),
            (SpaceText::ReflectionBody, alex),
            (SpaceText::ReflectionMissed, sam),
            (SpaceText::TriggerNote, sam),
            (SpaceText::TriggerReply, alex),
        ] {
            assert_eq!(
                writer(db.space_texts(c.space, kind).await.unwrap()),
                vec![Some(by)],
                "{kind:?}"
            );
        }
    })
    .await;
}
