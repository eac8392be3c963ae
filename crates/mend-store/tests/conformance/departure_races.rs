//! Writes racing a departure (issue 11): a form sent from a second tab as its writer leaves,
//! or the partner's answer to the leaver's words sent at that moment. Each round starts the
//! departure and the writes at the same moment on the pool (in turn one or the other first,
//! some rounds a moment apart) and checks afterwards that nothing of the leaver's stays and
//! nothing of the partner's was lost, whichever came first. Then: a write after the journey
//! ended is refused by the store itself.

use std::future::Future;
use std::time::Duration;

use mend_core::store::prelude::*;
use mend_core::store::{
    AgreementRecord, AnswerRecord, BreachRecord, CheckInRecord, EntryRecord, EvidenceRecord,
    FeelingRecord, JournalEntryRecord, NewInvite, QuestionRecord, ReflectionRecord,
    TransparencyRecord, TriggerRecord,
};
use mend_core::{
    AgreementId, AgreementState, AnswerId, BreachId, CheckInId, EntryId, EntryKind, EntryState,
    EvidenceId, FeelingId, InviteId, JournalEntryId, JourneyChange, Moment, Period, PersonId,
    QuestionId, ReflectionId, SpaceId, StatementResponse, StoreError, Timestamp, TransparencyId,
    TransparencyState, TriggerId, Trust,
};
use mend_crypto::DataKey;
use mend_store::Db;

use crate::{breach, each_backend, invite, person, server_key, space};

/// Rounds per backend: each a fresh couple, so every ordering gets its chances.
const ROUNDS: usize = 16;

/// Alex (repairing) and Sam (hurt), both seated, with one journey between them.
pub(crate) struct Couple {
    pub(crate) alex: PersonId,
    pub(crate) sam: PersonId,
    pub(crate) space: SpaceId,
    pub(crate) key: DataKey,
    pub(crate) journey: BreachId,
}

pub(crate) async fn couple_in(db: &Db, round: usize) -> Couple {
    let alex = person(db, &format!("alex{round}@example.org")).await;
    let sam = person(db, &format!("sam{round}@example.org")).await;
    let space_id = space(db, alex).await;
    let code = invite(db, space_id, alex, &format!("code-{round}"), 1_000_000).await;
    db.accept_invite(code, sam, Timestamp(30)).await.unwrap();
    let journey = breach(db, space_id, sam, alex).await;
    Couple {
        alex,
        sam,
        space: space_id,
        key: DataKey::generate(space_id.0),
        journey,
    }
}

/// Runs the departure and the writes at the same moment: in turn each is sent first, and
/// some rounds the second follows a moment later, so both orders happen.
async fn at_once<L: Future, W: Future>(round: usize, leave: L, write: W) -> (L::Output, W::Output) {
    let pause = Duration::from_micros(((round / 2) % 4) as u64 * 700);
    if round.is_multiple_of(2) {
        tokio::join!(leave, async {
            tokio::time::sleep(pause).await;
            write.await
        })
    } else {
        tokio::join!(
            async {
                tokio::time::sleep(pause).await;
                leave.await
            },
            write
        )
    }
}

/// A write racing a departure either happened (and so came first) or was refused because
/// its journey had ended or its writer had left; nothing else, no deadlock, no error.
fn done<T: std::fmt::Debug>(what: &str, r: &Result<T, StoreError>) -> bool {
    match r {
        Ok(_) => true,
        Err(StoreError::Ended | StoreError::NotSeated) => false,
        Err(StoreError::Conflict(why)) if what == "journey" || what == "invite" => {
            assert!(why.contains("left"), "{what}: {why}");
            false
        }
        Err(e) => panic!("{what}: {e:?}"),
    }
}

/// Rows of `$1` (the leaver) that still hold words or point at them, per table.
const LEAVERS_ROWS: &[&str] = &[
    "SELECT COUNT(*) FROM questions WHERE asked_by = $1 AND text_sealed IS NOT NULL",
    "SELECT COUNT(*) FROM answers WHERE author = $1",
    "SELECT COUNT(*) FROM entries WHERE author = $1 AND body_sealed IS NOT NULL",
    "SELECT COUNT(*) FROM feelings WHERE person_id = $1 AND feeling_sealed IS NOT NULL",
    "SELECT COUNT(*) FROM reflections WHERE author = $1",
    "SELECT COUNT(*) FROM triggers WHERE person_id = $1 AND note_sealed IS NOT NULL",
    "SELECT COUNT(*) FROM check_ins WHERE person_id = $1",
    "SELECT COUNT(*) FROM evidence WHERE author = $1",
    "SELECT COUNT(*) FROM transparency_agreements WHERE offered_by = $1",
    "SELECT COUNT(*) FROM journal_entries WHERE author = $1",
    "SELECT COUNT(*) FROM agreements WHERE proposed_by = $1 OR decided_by = $1",
    "SELECT COUNT(*) FROM seen WHERE person_id = $1",
    "SELECT COUNT(*) FROM journal_seen WHERE person_id = $1",
    "SELECT COUNT(*) FROM journey_areas WHERE changed_by = $1",
    "SELECT COUNT(*) FROM invites WHERE created_by = $1 OR used_by = $1",
    "SELECT COUNT(*) FROM memberships WHERE person_id = $1",
];

async fn nothing_of(db: &Db, leaver: PersonId, round: usize) {
    for sql in LEAVERS_ROWS {
        let n = db.count_for(sql, leaver.0).await.unwrap();
        assert_eq!(n, 0, "round {round}: {sql}");
    }
}

pub(crate) fn entry(c: &Couple, id: EntryId, author: PersonId, kind: EntryKind) -> EntryRecord {
    EntryRecord {
        id,
        breach: c.journey,
        kind,
        author,
        body: Some(c.key.seal(id.0, "entry.body", "What I did.")),
        state: EntryState::Sent,
        follows: None,
        created_at: Timestamp(40),
        updated_at: Timestamp(40),
        sent_at: Some(Timestamp(40)),
        received_at: None,
        withdrawn_at: None,
        response: None,
        response_note: None,
        responded_at: None,
    }
}

fn question(c: &Couple, id: QuestionId, by: PersonId) -> QuestionRecord {
    QuestionRecord {
        id,
        breach: c.journey,
        asked_by: by,
        text: Some(c.key.seal(id.0, "question.text", "Who else knew?")),
        kind: None,
        asked_again_of: None,
        created_at: Timestamp(41),
        in_person_at: None,
        withdrawn_at: None,
    }
}

pub(crate) fn feeling(c: &Couple, id: FeelingId, by: PersonId) -> FeelingRecord {
    FeelingRecord {
        id,
        breach: c.journey,
        person: by,
        feeling: Some(c.key.seal(id.0, "feeling", "{}")),
        created_at: Timestamp(42),
        withdrawn_at: None,
    }
}

pub(crate) fn trigger(c: &Couple, id: TriggerId, by: PersonId) -> TriggerRecord {
    TriggerRecord {
        id,
        breach: c.journey,
        person: by,
        note: Some(c.key.seal(id.0, "trigger.note", "The song came on.")),
        created_at: Timestamp(43),
        reply: None,
        replied_at: None,
    }
}

fn agreement(
    c: &Couple,
    id: AgreementId,
    by: PersonId,
    revises: Option<AgreementId>,
) -> AgreementRecord {
    AgreementRecord {
        id,
        space: c.space,
        proposed_by: by,
        text: c
            .key
            .seal(id.0, "agreement.text", "We tell each other the truth."),
        state: AgreementState::Proposed,
        revises,
        created_at: Timestamp(44),
        decided_at: None,
    }
}

fn check_in(c: &Couple, by: PersonId) -> CheckInRecord {
    CheckInRecord {
        id: CheckInId::new(),
        breach: c.journey,
        person: by,
        trust: Trust::parse("4").unwrap(),
        note: None,
        created_at: Timestamp(45),
    }
}

fn evidence(c: &Couple, by: PersonId) -> EvidenceRecord {
    let id = EvidenceId::new();
    EvidenceRecord {
        id,
        breach: c.journey,
        author: by,
        moment: Moment::Built,
        text: c.key.seal(id.0, "evidence.text", "He called when late."),
        created_at: Timestamp(46),
        shared_at: None,
    }
}

fn transparency(c: &Couple, by: PersonId) -> TransparencyRecord {
    let id = TransparencyId::new();
    TransparencyRecord {
        id,
        breach: c.journey,
        offered_by: by,
        text: c.key.seal(id.0, "transparency.text", "My phone is open."),
        period: Period::OneMonth,
        state: TransparencyState::Offered,
        renews: None,
        created_at: Timestamp(47),
        decided_at: None,
        starts_at: None,
    }
}

fn journal(c: &Couple, by: PersonId) -> JournalEntryRecord {
    let id = JournalEntryId::new();
    JournalEntryRecord {
        id,
        space: c.space,
        author: by,
        text: c.key.seal(id.0, "journal.text", "My own page."),
        created_at: Timestamp(48),
        shared_at: None,
    }
}

fn new_journey(c: &Couple, opened_by: PersonId) -> BreachRecord {
    let id = BreachId::new();
    BreachRecord {
        id,
        space: c.space,
        hurt: c.sam,
        repairing: c.alex,
        opened_by,
        details: c.key.seal(id.0, "breach.details", "{}"),
        created_at: Timestamp(49),
        state: Default::default(),
    }
}

fn new_invite(c: &Couple, by: PersonId, round: usize) -> NewInvite {
    let id = InviteId::new();
    NewInvite {
        id,
        space: c.space,
        created_by: by,
        code_lookup: server_key().lookup_hash("invite", format!("race-{round}").as_bytes()),
        code: c.key.seal(id.0, "code", "race"),
        created_at: Timestamp(50),
        expires_at: Timestamp(1_000_000),
    }
}

#[tokio::test]
async fn the_leavers_own_writes_sent_as_they_leave_leave_nothing_behind() {
    each_backend(|db| async move {
        let mut landed = 0;
        let mut refused = 0;
        for round in 0..ROUNDS {
            let c = couple_in(&db, round).await;
            let sam = c.sam;
            // Alex's statement, which Sam responds to as Sam leaves.
            let statement = EntryId::new();
            db.send_entry(entry(&c, statement, c.alex, EntryKind::Accountability))
                .await
                .unwrap();
            let draft = EntryRecord {
                state: EntryState::Draft,
                sent_at: None,
                ..entry(&c, EntryId::new(), sam, EntryKind::Context)
            };
            let (left, writes) = at_once(round, db.leave_space(sam, Timestamp(100)), async {
                tokio::join!(
                    db.create_question(question(&c, QuestionId::new(), sam)),
                    db.send_entry(entry(&c, EntryId::new(), sam, EntryKind::Context)),
                    db.create_draft(draft),
                    db.respond_to_statement(
                        c.journey,
                        statement,
                        StatementResponse::SomethingMissing,
                        Some(c.key.seal(statement.0, "entry.note", "Say who it hurt.")),
                        Timestamp(60)
                    ),
                    db.create_feeling(feeling(&c, FeelingId::new(), sam)),
                    db.create_trigger(trigger(&c, TriggerId::new(), sam)),
                    db.create_check_in(check_in(&c, sam)),
                    db.create_evidence(evidence(&c, sam)),
                    db.create_transparency(transparency(&c, sam)),
                    db.create_journal_entry(journal(&c, sam)),
                    db.create_agreement(agreement(&c, AgreementId::new(), sam, None)),
                    db.mark_seen(sam, c.journey, "questions", Timestamp(61)),
                    db.mark_journal_seen(sam, c.space, Timestamp(61)),
                    db.create_breach(new_journey(&c, sam), &[]),
                    db.create_invite(new_invite(&c, sam, round)),
                )
            })
            .await;
            left.unwrap();
            let (q, s, d, r, f, t, ci, e, tr, j, a, seen, jseen, b, i) = writes;
            let outcomes = [
                done("question", &q),
                done("entry", &s),
                done("draft", &d),
                done("response", &r),
                done("feeling", &f),
                done("trigger", &t),
                done("check-in", &ci),
                done("evidence", &e),
                done("transparency", &tr),
                done("journal", &j),
                done("agreement", &a),
                done("seen", &seen),
                done("journal seen", &jseen),
                done("journey", &b),
                done("invite", &i),
            ];
            landed += outcomes.iter().filter(|o| **o).count();
            refused += outcomes.iter().filter(|o| !**o).count();

            nothing_of(&db, sam, round).await;
            let ongoing = db
                .count_for(
                    "SELECT COUNT(*) FROM breaches WHERE space_id = $1 AND ended_at IS NULL",
                    c.space.0,
                )
                .await
                .unwrap();
            assert_eq!(ongoing, 0, "round {round}: every journey ended");
            let open = db
                .count_for(
                    "SELECT COUNT(*) FROM invites WHERE space_id = $1 AND used_at IS NULL \
                     AND revoked_at IS NULL",
                    c.space.0,
                )
                .await
                .unwrap();
            assert_eq!(open, 0, "round {round}: no open invitation");
            let kept = db
                .count_for(
                    "SELECT COUNT(*) FROM entries WHERE author = $1 AND body_sealed IS NOT NULL",
                    c.alex.0,
                )
                .await
                .unwrap();
            assert_eq!(kept, 1, "round {round}: Alex's statement stays");
            let response = db
                .count_for(
                    "SELECT COUNT(*) FROM entries WHERE id = $1 AND response IS NULL \
                     AND response_note_sealed IS NULL",
                    statement.0,
                )
                .await
                .unwrap();
            assert_eq!(response, 1, "round {round}: Sam's response to it is gone");
        }
        // Which came first is the databases' choice; both are checked above.
        eprintln!(
            "{}: {landed} writes landed first, {refused} refused",
            db.backend_name()
        );
    })
    .await;
}

#[tokio::test]
async fn the_partners_answers_to_the_leavers_words_sent_as_they_leave_are_kept() {
    each_backend(|db| async move {
        let mut landed = 0;
        for round in 0..ROUNDS {
            let c = couple_in(&db, round).await;
            let (alex, sam) = (c.alex, c.sam);
            let asked = QuestionId::new();
            db.create_question(question(&c, asked, sam)).await.unwrap();
            let felt = FeelingId::new();
            db.create_feeling(feeling(&c, felt, sam)).await.unwrap();
            let signal = TriggerId::new();
            db.create_trigger(trigger(&c, signal, sam)).await.unwrap();
            // Alex's agreement, accepted; Sam proposes a change to it, which Alex accepts
            // as Sam leaves: Alex's agreement must stand at the end either way.
            let (original, revision) = (AgreementId::new(), AgreementId::new());
            db.create_agreement(agreement(&c, original, alex, None))
                .await
                .unwrap();
            assert!(db
                .decide_agreement(c.space, original, AgreementState::Accepted, sam, Timestamp(50))
                .await
                .unwrap());
            db.create_agreement(agreement(&c, revision, sam, Some(original)))
                .await
                .unwrap();

            let (answer, reflection) = (AnswerId::new(), ReflectionId::new());
            let (left, writes) = at_once(round, db.leave_space(sam, Timestamp(100)), async {
                tokio::join!(
                    db.create_answer(
                        c.journey,
                        AnswerRecord {
                            id: answer,
                            question: asked,
                            author: alex,
                            body: Some(c.key.seal(answer.0, "answer.body", "Only my brother.")),
                            created_at: Timestamp(60),
                            withdrawn_at: None,
                            response: None,
                            responded_at: None,
                        }
                    ),
                    db.create_reflection(
                        c.journey,
                        ReflectionRecord {
                            id: reflection,
                            feeling: felt,
                            author: alex,
                            body: Some(c.key.seal(reflection.0, "reflection.body", "I hear you.")),
                            created_at: Timestamp(61),
                            withdrawn_at: None,
                            verdict: None,
                            missed: None,
                            verdict_at: None,
                        }
                    ),
                    db.reply_to_trigger(
                        c.journey,
                        signal,
                        c.key.seal(signal.0, "trigger.reply", "I'm here."),
                        Timestamp(62)
                    ),
                    db.decide_agreement(
                        c.space,
                        revision,
                        AgreementState::Accepted,
                        alex,
                        Timestamp(63)
                    ),
                )
            })
            .await;
            left.unwrap();
            let (a, r, t, d) = writes;
            let answered = done("answer", &a) && a.unwrap();
            let reflected = done("reflection", &r) && r.unwrap();
            let replied = done("reply", &t) && t.unwrap();
            done("decision", &d);
            landed += [answered, reflected, replied].iter().filter(|x| **x).count();

            nothing_of(&db, sam, round).await;
            let count = |sql: &'static str| db.count_for(sql, alex.0);
            assert_eq!(
                count("SELECT COUNT(*) FROM answers WHERE author = $1 AND body_sealed IS NOT NULL")
                    .await
                    .unwrap(),
                i64::from(answered),
                "round {round}: Alex's answer stays exactly when it was stored"
            );
            assert_eq!(
                count(
                    "SELECT COUNT(*) FROM reflections WHERE author = $1 AND body_sealed IS NOT NULL"
                )
                .await
                .unwrap(),
                i64::from(reflected),
                "round {round}: Alex's reflection stays exactly when it was stored"
            );
            let replies = db
                .count_for(
                    "SELECT COUNT(*) FROM triggers WHERE breach_id = $1 AND reply_sealed IS NOT NULL",
                    c.journey.0,
                )
                .await
                .unwrap();
            assert_eq!(
                replies,
                i64::from(replied),
                "round {round}: Alex's reply stays exactly when it was stored"
            );
            let agreements = db.agreements(c.space).await.unwrap();
            assert_eq!(agreements.len(), 1, "round {round}: {agreements:?}");
            assert_eq!(
                (agreements[0].id, agreements[0].state),
                (original, AgreementState::Accepted),
                "round {round}: Alex's agreement stands again"
            );
        }
        eprintln!("{}: {landed} of the partner's writes landed first", db.backend_name());
    })
    .await;
}

#[tokio::test]
async fn the_store_refuses_writes_into_an_ended_journey_and_a_space_left() {
    each_backend(|db| async move {
        let c = couple_in(&db, 0).await;
        let (alex, sam) = (c.alex, c.sam);
        let asked = QuestionId::new();
        db.create_question(question(&c, asked, alex)).await.unwrap();
        let statement = EntryId::new();
        db.send_entry(entry(&c, statement, alex, EntryKind::Accountability))
            .await
            .unwrap();
        // A journey that ended by parting, before anyone left: refused the same way.
        let parted = breach(&db, c.space, sam, alex).await;
        assert!(db
            .change_journey(parted, JourneyChange::PartWithCare, sam, Timestamp(55))
            .await
            .unwrap());
        let into_parted = QuestionRecord {
            breach: parted,
            ..question(&c, QuestionId::new(), sam)
        };
        assert!(matches!(
            db.create_question(into_parted).await,
            Err(StoreError::Ended)
        ));

        db.leave_space(sam, Timestamp(60)).await.unwrap();
        let ended = |r: Result<(), StoreError>| matches!(r, Err(StoreError::Ended));
        let ended_bool = |r: Result<bool, StoreError>| matches!(r, Err(StoreError::Ended));
        // Alex, who stays: every write into the ended journey.
        assert!(ended(
            db.create_question(question(&c, QuestionId::new(), alex))
                .await
        ));
        assert!(ended(
            db.send_entry(entry(&c, EntryId::new(), alex, EntryKind::Disclosure))
                .await
        ));
        assert!(ended(
            db.create_feeling(feeling(&c, FeelingId::new(), alex)).await
        ));
        assert!(ended(
            db.create_trigger(trigger(&c, TriggerId::new(), alex)).await
        ));
        assert!(ended(db.create_check_in(check_in(&c, alex)).await));
        assert!(ended(db.create_evidence(evidence(&c, alex)).await));
        assert!(ended(db.create_transparency(transparency(&c, alex)).await));
        assert!(ended_bool(
            db.withdraw_question(c.journey, asked, alex, Timestamp(61))
                .await
        ));
        assert!(ended_bool(
            db.withdraw_entry(statement, alex, Timestamp(61)).await
        ));
        assert!(ended_bool(
            db.change_area(
                c.journey,
                mend_core::Area::ALL[0],
                mend_core::AreaStatus::NotStarted,
                mend_core::AreaStatus::InProgress,
                alex,
                Timestamp(61)
            )
            .await
        ));
        // What Alex keeps writing in the space stays possible; a new journey or
        // invitation does not.
        db.create_journal_entry(journal(&c, alex)).await.unwrap();
        db.mark_seen(alex, c.journey, "questions", Timestamp(62))
            .await
            .unwrap();
        assert!(db.create_breach(new_journey(&c, alex), &[]).await.is_err());
        assert!(db.create_invite(new_invite(&c, alex, 0)).await.is_err());
        // Sam, gone: nothing written in the space, nothing remembered.
        assert!(matches!(
            db.create_journal_entry(journal(&c, sam)).await,
            Err(StoreError::NotSeated)
        ));
        assert!(matches!(
            db.create_agreement(agreement(&c, AgreementId::new(), sam, None))
                .await,
            Err(StoreError::NotSeated)
        ));
        db.mark_seen(sam, c.journey, "questions", Timestamp(63))
            .await
            .unwrap();
        db.mark_journal_seen(sam, c.space, Timestamp(63))
            .await
            .unwrap();
        nothing_of(&db, sam, 0).await;
    })
    .await;
}

#[tokio::test]
async fn a_log_in_or_safety_answers_as_the_account_is_deleted_leave_nothing_behind() {
    each_backend(|db| async move {
        for round in 0..ROUNDS {
            let c = couple_in(&db, round).await;
            let sam = c.sam;
            let token = server_key().lookup_hash("session", format!("race-{round}").as_bytes());
            let safety = c.key.seal(sam.0, "safety", "{}");
            let (deleted, (session, answers, password, question)) =
                at_once(round, db.delete_person(sam, &[], Timestamp(100)), async {
                    tokio::join!(
                        db.create_session(&token, sam, Timestamp(90), Timestamp(1_000_000)),
                        db.save_safety_answers(sam, safety, Timestamp(90)),
                        db.change_password(sam, "a new hash", None),
                        db.create_question(question(&c, QuestionId::new(), sam)),
                    )
                })
                .await;
            assert!(deleted.unwrap(), "round {round}");
            for (what, r) in [
                ("session", &session),
                ("safety", &answers),
                ("password", &password),
            ] {
                match r {
                    Ok(()) | Err(StoreError::Conflict(_)) => {}
                    Err(e) => panic!("round {round}: {what}: {e:?}"),
                }
            }
            done("question", &question);
            nothing_of(&db, sam, round).await;
            for sql in [
                "SELECT COUNT(*) FROM sessions WHERE person_id = $1",
                "SELECT COUNT(*) FROM safety_checks WHERE person_id = $1",
                "SELECT COUNT(*) FROM people WHERE id = $1 AND password_hash <> ''",
            ] {
                assert_eq!(
                    db.count_for(sql, sam.0).await.unwrap(),
                    0,
                    "round {round}: {sql}"
                );
            }
        }
    })
    .await;
}
