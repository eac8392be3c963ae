//! Leaving a space and deleting an account, each in one transaction. What each statement
//! removes or keeps, and why, is in docs/security.md ("Leaving and deleting").

use async_trait::async_trait;
use mend_core::store::{Departure, DepartureStore, LookupHash};
use mend_core::{PersonId, SpaceId, StoreError, Timestamp};
use uuid::Uuid;

use crate::db::Db;

/// The journeys of the space bound as `$1`.
const B: &str = "SELECT id FROM breaches WHERE space_id = $1";

/// Takes `$person` out of their space inside the transaction `$tx`, giving the
/// [`Departure`]. Every statement binds the space as `$1`, the person as `$2` and the moment
/// as `$3`, using only a prefix of them, so each backend can type every parameter.
macro_rules! leave_in {
    ($tx:ident, $person:expr, $at:expr) => {{
        let person: PersonId = $person;
        let at: Timestamp = $at;
        // First the space's own row, so that two partners leaving at the same moment take
        // turns: the second then sees that no one stays, and the space goes. (An unchanged
        // column: only the row lock is wanted.)
        execute!(on &mut *$tx,
            "UPDATE spaces SET departed_at = departed_at WHERE id IN \
             (SELECT space_id FROM memberships WHERE person_id = $1)", person.0)?;
        // Then every ongoing journey ends, before anything is deleted: a form sent into one
        // of them at this moment either wrote first (its statement holds the journey's row,
        // so this waits, and the deletes below see its row) or waits for this transaction
        // and finds the journey ended, writing nothing (`Db::ongoing`). Writes into the
        // space's own tables are held the same way by the leaver's seat, deleted below
        // before anything they wrote (`Db::seated`), and new journeys and invitations by the
        // space's row (`Db::space_open`). When no one stays the space goes anyway.
        execute!(on &mut *$tx,
            "UPDATE breaches SET partner_left_at = $2, ended_by = $1, ended_at = $2, \
             closing_proposed_at = NULL WHERE ended_at IS NULL AND space_id IN \
             (SELECT space_id FROM memberships WHERE person_id = $1)", person.0, at.0)?;
        // Then the space's open invitations close: an invitation accepted at this very
        // moment either waits for this transaction and finds itself revoked, or got there
        // first and finds the leaver's seat still taken. (Locking the invitations before the
        // seat, in the order accepting does, is what keeps the two from waiting on each
        // other.)
        execute!(on &mut *$tx,
            "UPDATE invites SET revoked_at = $2 WHERE used_at IS NULL AND revoked_at IS NULL \
             AND space_id IN (SELECT space_id FROM memberships WHERE person_id = $1)",
            person.0, at.0)?;
        // The space's counsellor, or a proposal of one, ends with it (issue 14), and the
        // leaver's share choices go: the counsellor reads through an open grant only.
        execute!(on &mut *$tx,
            "UPDATE counsellor_grants SET ended_at = $2, ended_why = 'partner_left' \
             WHERE ended_at IS NULL AND space_id IN \
             (SELECT space_id FROM memberships WHERE person_id = $1)", person.0, at.0)?;
        execute!(on &mut *$tx,
            "DELETE FROM counsellor_shares WHERE person_id = $1 AND breach_id IN \
             (SELECT b.id FROM breaches b JOIN memberships m ON m.space_id = b.space_id \
              WHERE m.person_id = $1)", person.0)?;
        let space: Option<Uuid> = fetch_optional!(scalar on &mut *$tx,
            "DELETE FROM memberships WHERE person_id = $1 RETURNING space_id", person.0)?;
        match space {
            None => Departure::NotInASpace,
            Some(space) => {
                // Their author key goes with their seat: from now on nothing can open their
                // shared words, in this database or any copy of it (issue 11). The rows of
                // theirs that stay as tombstones hold no words.
                execute!(on &mut *$tx,
                    "DELETE FROM author_keys WHERE space_id = $1 AND person_id = $2",
                    space, person.0)?;
                // Messages about the space not yet sent to the leaver (issue 12): nothing
                // in it is theirs to be told of any more. (Their own account's messages, a
                // verification or a reset, stay.)
                execute!(on &mut *$tx,
                    "DELETE FROM mail_jobs WHERE person_id = $1 AND sent_at IS NULL \
                     AND kind = 'something_waits'", person.0)?;
                let stays: i64 = fetch_one!(scalar on &mut *$tx,
                    "SELECT COUNT(*) FROM memberships WHERE space_id = $1", space)?;
                if stays == 0 {
                    // No one stays: the space and everything in it go.
                    execute!(on &mut *$tx, "DELETE FROM spaces WHERE id = $1", space)?;
                } else {
                    let (p, t) = (person.0, at.0);
                    // The leaver's words on the partner's rows.
                    execute!(on &mut *$tx, &format!(
                        "UPDATE entries SET response = NULL, response_note_sealed = NULL, \
                         responded_at = NULL WHERE breach_id IN ({B}) AND author <> $2 \
                         AND response IS NOT NULL"), space, p)?;
                    execute!(on &mut *$tx, &format!(
                        "UPDATE answers SET response = NULL, responded_at = NULL \
                         WHERE author <> $2 AND question_id IN \
                         (SELECT id FROM questions WHERE breach_id IN ({B}) AND asked_by = $2)"),
                        space, p)?;
                    execute!(on &mut *$tx, &format!(
                        "UPDATE reflections SET missed_sealed = NULL WHERE author <> $2 \
                         AND feeling_id IN \
                         (SELECT id FROM feelings WHERE breach_id IN ({B}) AND person_id = $2)"),
                        space, p)?;
                    execute!(on &mut *$tx, &format!(
                        "UPDATE triggers SET reply_sealed = NULL, replied_at = NULL \
                         WHERE breach_id IN ({B}) AND person_id <> $2"), space, p)?;
                    // Statements: a wordless tombstone where the partner responded to one.
                    execute!(on &mut *$tx, &format!(
                        "UPDATE entries SET body_sealed = NULL, state = 'withdrawn', \
                         withdrawn_at = COALESCE(withdrawn_at, $3) \
                         WHERE breach_id IN ({B}) AND author = $2 AND response IS NOT NULL"),
                        space, p, t)?;
                    execute!(on &mut *$tx, &format!(
                        "DELETE FROM entries WHERE breach_id IN ({B}) AND author = $2 \
                         AND response IS NULL"), space, p)?;
                    // Questions and answers: a wordless tombstone where the partner
                    // responded to an answer, so their response stays.
                    execute!(on &mut *$tx, &format!(
                        "UPDATE answers SET body_sealed = NULL, \
                         withdrawn_at = COALESCE(withdrawn_at, $3) \
                         WHERE author = $2 AND response IS NOT NULL AND question_id IN \
                         (SELECT id FROM questions WHERE breach_id IN ({B}))"), space, p, t)?;
                    execute!(on &mut *$tx, &format!(
                        "DELETE FROM answers WHERE author = $2 AND response IS NULL \
                         AND question_id IN \
                         (SELECT id FROM questions WHERE breach_id IN ({B}))"), space, p)?;
                    execute!(on &mut *$tx, &format!(
                        "UPDATE questions SET text_sealed = NULL, \
                         withdrawn_at = COALESCE(withdrawn_at, $3) \
                         WHERE breach_id IN ({B}) AND asked_by = $2 AND EXISTS \
                         (SELECT 1 FROM answers a WHERE a.question_id = questions.id)"),
                        space, p, t)?;
                    execute!(on &mut *$tx, &format!(
                        "DELETE FROM questions WHERE breach_id IN ({B}) AND asked_by = $2 \
                         AND NOT EXISTS \
                         (SELECT 1 FROM answers a WHERE a.question_id = questions.id)"),
                        space, p)?;
                    // Feelings and reflections: a wordless tombstone where the partner
                    // answered a reflection, so their verdict and what they missed stay.
                    execute!(on &mut *$tx, &format!(
                        "UPDATE reflections SET body_sealed = NULL, \
                         withdrawn_at = COALESCE(withdrawn_at, $3) \
                         WHERE author = $2 AND verdict IS NOT NULL AND feeling_id IN \
                         (SELECT id FROM feelings WHERE breach_id IN ({B}))"), space, p, t)?;
                    execute!(on &mut *$tx, &format!(
                        "DELETE FROM reflections WHERE author = $2 AND verdict IS NULL \
                         AND feeling_id IN \
                         (SELECT id FROM feelings WHERE breach_id IN ({B}))"), space, p)?;
                    // A withdrawn "heard" leaves its feeling no longer heard.
                    execute!(on &mut *$tx, &format!(
                        "UPDATE feelings SET heard_at = (SELECT MAX(r.verdict_at) \
                         FROM reflections r WHERE r.feeling_id = feelings.id \
                         AND r.withdrawn_at IS NULL AND r.verdict = 'heard') \
                         WHERE breach_id IN ({B})"), space)?;
                    execute!(on &mut *$tx, &format!(
                        "UPDATE feelings SET feeling_sealed = NULL, \
                         withdrawn_at = COALESCE(withdrawn_at, $3) \
                         WHERE breach_id IN ({B}) AND person_id = $2 AND EXISTS \
                         (SELECT 1 FROM reflections r WHERE r.feeling_id = feelings.id)"),
                        space, p, t)?;
                    execute!(on &mut *$tx, &format!(
                        "DELETE FROM feelings WHERE breach_id IN ({B}) AND person_id = $2 \
                         AND NOT EXISTS \
                         (SELECT 1 FROM reflections r WHERE r.feeling_id = feelings.id)"),
                        space, p)?;
                    // Signals: a tombstone where the partner replied.
                    execute!(on &mut *$tx, &format!(
                        "UPDATE triggers SET note_sealed = NULL WHERE breach_id IN ({B}) \
                         AND person_id = $2 AND reply_sealed IS NOT NULL"), space, p)?;
                    execute!(on &mut *$tx, &format!(
                        "DELETE FROM triggers WHERE breach_id IN ({B}) AND person_id = $2 \
                         AND reply_sealed IS NULL"), space, p)?;
                    // What hangs from nothing of the partner's.
                    for table in ["check_ins", "evidence", "transparency_agreements"] {
                        let author = match table {
                            "check_ins" => "person_id",
                            "evidence" => "author",
                            _ => "offered_by",
                        };
                        execute!(on &mut *$tx, &format!(
                            "DELETE FROM {table} WHERE breach_id IN ({B}) AND {author} = $2"),
                            space, p)?;
                    }
                    execute!(on &mut *$tx, &format!(
                        "DELETE FROM seen WHERE breach_id IN ({B}) AND person_id = $2"),
                        space, p)?;
                    execute!(on &mut *$tx, &format!(
                        "UPDATE journey_areas SET changed_by = NULL \
                         WHERE breach_id IN ({B}) AND changed_by = $2"), space, p)?;
                    // An agreement of the partner's that an accepted revision of the
                    // leaver's replaced is the partner's agreement again.
                    execute!(on &mut *$tx,
                        "UPDATE agreements SET state = 'accepted' WHERE space_id = $1 \
                         AND proposed_by <> $2 AND state = 'superseded' AND id IN \
                         (SELECT revises FROM agreements WHERE space_id = $1 \
                         AND proposed_by = $2 AND state = 'accepted')", space, p)?;
                    execute!(on &mut *$tx,
                        "DELETE FROM agreements WHERE space_id = $1 AND proposed_by = $2",
                        space, p)?;
                    execute!(on &mut *$tx,
                        "UPDATE agreements SET decided_by = NULL \
                         WHERE space_id = $1 AND decided_by = $2", space, p)?;
                    execute!(on &mut *$tx,
                        "DELETE FROM journal_entries WHERE space_id = $1 AND author = $2",
                        space, p)?;
                    execute!(on &mut *$tx,
                        "DELETE FROM journal_seen WHERE space_id = $1 AND person_id = $2",
                        space, p)?;
                    execute!(on &mut *$tx,
                        "DELETE FROM invites WHERE space_id = $1 AND created_by = $2", space, p)?;
                    execute!(on &mut *$tx,
                        "UPDATE invites SET used_by = NULL WHERE space_id = $1 AND used_by = $2",
                        space, p)?;
                    // The space takes no new partner (its journeys ended above).
                    execute!(on &mut *$tx,
                        "UPDATE spaces SET departed_at = $2 WHERE id = $1", space, t)?;
                }
                Departure::Left(SpaceId(space))
            }
        }
    }};
}

#[async_trait]
impl DepartureStore for Db {
    async fn leave_space(&self, person: PersonId, at: Timestamp) -> Result<Departure, StoreError> {
        transaction!(self, tx => { leave_in!(tx, person, at) })
    }

    async fn delete_person(
        &self,
        person: PersonId,
        login_keys: &[LookupHash],
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        transaction!(self, tx => {
            // Leaving first, so that its locks come in the order every guarded write takes
            // them (the space, its journeys, the seat), before the person's row: a write by
            // the person that holds a journey's row also needs their row, for its reference
            // to them. A second request for the same person waits for the first to commit,
            // then finds nothing to do (and rolls back). The e-mail lookup becomes the id's 16
            // bytes, which no 32-byte keyed hash of an address can equal: the address may
            // sign up again.
            leave_in!(tx, person, at);
            // Before the person's row, in the order using a reset link takes them.
            execute!(on &mut *tx, "DELETE FROM password_resets WHERE person_id = $1", person.0)?;
            let emptied = execute!(on &mut *tx,
                "UPDATE people SET email_lookup = $2, email_sealed = $3, name_sealed = $3, \
                 password_hash = '', wrapped_key = $3, safety_cleared_at = NULL, \
                 email_verified_at = NULL, time_zone = NULL, counsellor_since = NULL \
                 WHERE id = $1 AND password_hash <> ''",
                person.0, person.0.as_bytes().to_vec(), Vec::<u8>::new())?;
            if emptied == 0 {
                return Ok(false);
            }
            // Issue 14: as a counsellor, their access to every couple ends, and their notes
            // go with their account: they are their author's words.
            execute!(on &mut *tx,
                "UPDATE counsellor_grants SET ended_at = $2, ended_why = 'counsellor_left' \
                 WHERE counsellor_id = $1 AND ended_at IS NULL", person.0, at.0)?;
            execute!(on &mut *tx,
                "DELETE FROM counsellor_notes WHERE grant_id IN \
                 (SELECT id FROM counsellor_grants WHERE counsellor_id = $1)", person.0)?;
            for table in ["safety_checks", "sessions", "seen", "journal_seen",
                // Issue 12: the mail queue and verification links.
                "mail_jobs", "email_verifications"] {
                execute!(on &mut *tx,
                    &format!("DELETE FROM {table} WHERE person_id = $1"), person.0)?;
            }
            for key in login_keys {
                execute!(on &mut *tx,
                    "DELETE FROM login_attempts WHERE key_hash = $1", key.as_slice())?;
            }
            true
        })
    }

    async fn departed_at(&self, space: SpaceId) -> Result<Option<Timestamp>, StoreError> {
        let at: Option<Option<i64>> = fetch_optional!(scalar self,
            "SELECT departed_at FROM spaces WHERE id = $1", space.0)?;
        Ok(at.flatten().map(Timestamp))
    }
}
