//! Author keys and the move of older texts to them (see `mend_core::store::AuthorKeyStore`).

use async_trait::async_trait;
use mend_core::store::{AuthorKeyStore, Resealed, SpaceRecord, SpaceText, StoredText};
use mend_core::{PersonId, SpaceId, StoreError, Timestamp};
use mend_crypto::{Sealed, WrappedKey};
use uuid::Uuid;

use crate::db::Db;

/// The partner of the space `$1` who is `$who` (`=`), or the other one (`<>`): authors are read
/// through the memberships, so a leftover text of a partner who left has none and is not moved
/// to anyone's key.
macro_rules! partner {
    ($op:literal, $who:literal) => {
        concat!(
            "(SELECT m.person_id FROM memberships m WHERE m.space_id = $1 AND m.person_id ",
            $op,
            " ",
            $who,
            ")"
        )
    };
}

/// Where a kind of shared text is kept: its table, sealed column, and a query for its rows in
/// the space `$1` as (row id, author, sealed), the author being NULL when they have left.
fn place(kind: SpaceText) -> (&'static str, &'static str, &'static str) {
    match kind {
        SpaceText::EntryBody => (
            "entries",
            "body_sealed",
            concat!(
                "SELECT t.id, ",
                partner!("=", "t.author"),
                ", t.body_sealed FROM entries t \
             JOIN breaches b ON b.id = t.breach_id WHERE b.space_id = $1 \
             AND t.body_sealed IS NOT NULL"
            ),
        ),
        SpaceText::EntryResponseNote => (
            "entries",
            "response_note_sealed",
            concat!(
                "SELECT t.id, ",
                partner!("<>", "t.author"),
                ", t.response_note_sealed FROM entries t \
             JOIN breaches b ON b.id = t.breach_id WHERE b.space_id = $1 \
             AND t.response_note_sealed IS NOT NULL"
            ),
        ),
        SpaceText::Feeling => (
            "feelings",
            "feeling_sealed",
            concat!(
                "SELECT t.id, ",
                partner!("=", "t.person_id"),
                ", t.feeling_sealed FROM feelings t \
             JOIN breaches b ON b.id = t.breach_id WHERE b.space_id = $1 \
             AND t.feeling_sealed IS NOT NULL"
            ),
        ),
        SpaceText::ReflectionBody => (
            "reflections",
            "body_sealed",
            concat!(
                "SELECT t.id, ",
                partner!("=", "t.author"),
                ", t.body_sealed FROM reflections t \
             JOIN feelings f ON f.id = t.feeling_id JOIN breaches b ON b.id = f.breach_id \
             WHERE b.space_id = $1 AND t.body_sealed IS NOT NULL"
            ),
        ),
        SpaceText::ReflectionMissed => (
            "reflections",
            "missed_sealed",
            concat!(
                "SELECT t.id, ",
                partner!("=", "f.person_id"),
                ", t.missed_sealed FROM reflections t \
             JOIN feelings f ON f.id = t.feeling_id JOIN breaches b ON b.id = f.breach_id \
             WHERE b.space_id = $1 AND t.missed_sealed IS NOT NULL"
            ),
        ),
        SpaceText::AgreementText => (
            "agreements",
            "text_sealed",
            concat!(
                "SELECT t.id, ",
                partner!("=", "t.proposed_by"),
                ", t.text_sealed FROM agreements t WHERE t.space_id = $1"
            ),
        ),
        SpaceText::QuestionText => (
            "questions",
            "text_sealed",
            concat!(
                "SELECT t.id, ",
                partner!("=", "t.asked_by"),
                ", t.text_sealed FROM questions t \
             JOIN breaches b ON b.id = t.breach_id WHERE b.space_id = $1 \
             AND t.text_sealed IS NOT NULL"
            ),
        ),
        SpaceText::AnswerBody => (
            "answers",
            "body_sealed",
            concat!(
                "SELECT t.id, ",
                partner!("=", "t.author"),
                ", t.body_sealed FROM answers t \
             JOIN questions q ON q.id = t.question_id JOIN breaches b ON b.id = q.breach_id \
             WHERE b.space_id = $1 AND t.body_sealed IS NOT NULL"
            ),
        ),
        SpaceText::EvidenceText => (
            "evidence",
            "text_sealed",
            concat!(
                "SELECT t.id, ",
                partner!("=", "t.author"),
                ", t.text_sealed FROM evidence t \
             JOIN breaches b ON b.id = t.breach_id WHERE b.space_id = $1 \
             AND t.shared_at IS NOT NULL"
            ),
        ),
        SpaceText::TransparencyText => (
            "transparency_agreements",
            "text_sealed",
            concat!(
                "SELECT t.id, ",
                partner!("=", "t.offered_by"),
                ", t.text_sealed \
             FROM transparency_agreements t JOIN breaches b ON b.id = t.breach_id \
             WHERE b.space_id = $1"
            ),
        ),
        SpaceText::TriggerNote => (
            "triggers",
            "note_sealed",
            concat!(
                "SELECT t.id, ",
                partner!("=", "t.person_id"),
                ", t.note_sealed FROM triggers t \
             JOIN breaches b ON b.id = t.breach_id WHERE b.space_id = $1 \
             AND t.note_sealed IS NOT NULL"
            ),
        ),
        SpaceText::TriggerReply => (
            "triggers",
            "reply_sealed",
            concat!(
                "SELECT t.id, ",
                partner!("<>", "t.person_id"),
                ", t.reply_sealed FROM triggers t \
             JOIN breaches b ON b.id = t.breach_id WHERE b.space_id = $1 \
             AND t.reply_sealed IS NOT NULL"
            ),
        ),
        SpaceText::JournalText => (
            "journal_entries",
            "text_sealed",
            concat!(
                "SELECT t.id, ",
                partner!("=", "t.author"),
                ", t.text_sealed FROM journal_entries t \
             WHERE t.space_id = $1 AND t.shared_at IS NOT NULL"
            ),
        ),
        SpaceText::BreachDetails => (
            "breaches",
            "details_sealed",
            "SELECT t.id, NULL, t.details_sealed FROM breaches t WHERE t.space_id = $1",
        ),
        SpaceText::InviteCode => (
            "invites",
            "code_sealed",
            "SELECT t.id, NULL, t.code_sealed FROM invites t WHERE t.space_id = $1",
        ),
    }
}

#[async_trait]
impl AuthorKeyStore for Db {
    async fn author_keys(&self, space: SpaceId) -> Result<Vec<(PersonId, WrappedKey)>, StoreError> {
        let rows: Vec<(Uuid, Vec<u8>)> = fetch_all!(
            self,
            "SELECT person_id, wrapped_key FROM author_keys WHERE space_id = $1",
            space.0
        )?;
        Ok(rows
            .into_iter()
            .map(|(p, k)| (PersonId(p), WrappedKey(Sealed::from_stored(k))))
            .collect())
    }

    async fn space_with_author_keys(
        &self,
        space: SpaceId,
    ) -> Result<Option<(SpaceRecord, Vec<(PersonId, WrappedKey)>)>, StoreError> {
        Ok(self
            .space_and_author_keys(space)
            .await?
            .map(|(record, _, authors)| (record, authors)))
    }

    async fn add_author_key(
        &self,
        space: SpaceId,
        person: PersonId,
        key: &WrappedKey,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        // Only for a partner still seated: a request of a partner who is leaving at this
        // moment cannot leave a key behind (see `Db::seated`).
        let sql = format!(
            "INSERT INTO author_keys (space_id, person_id, wrapped_key, created_at) \
             SELECT $1, $2, $3, $4 WHERE {} ON CONFLICT (space_id, person_id) DO NOTHING",
            self.seated("$2", "$1")
        );
        execute!(self, &sql, space.0, person.0, key.0.as_bytes(), at.0)?;
        Ok(())
    }

    async fn spaces_sealed_for_space(&self) -> Result<Vec<SpaceId>, StoreError> {
        let ids: Vec<Uuid> = fetch_all!(scalar self,
            "SELECT id FROM spaces WHERE authors_sealed_at IS NULL ORDER BY created_at")?;
        Ok(ids.into_iter().map(SpaceId).collect())
    }

    async fn space_texts(
        &self,
        space: SpaceId,
        kind: SpaceText,
    ) -> Result<Vec<StoredText>, StoreError> {
        let (_, _, select) = place(kind);
        let rows: Vec<(Uuid, Option<Uuid>, Vec<u8>)> = fetch_all!(self, select, space.0)?;
        Ok(rows
            .into_iter()
            .map(|(row, author, sealed)| StoredText {
                row,
                author: author.map(PersonId),
                sealed: Sealed::from_stored(sealed),
            })
            .collect())
    }

    async fn move_to_author_keys(
        &self,
        space: SpaceId,
        new_key: &WrappedKey,
        texts: &[Resealed],
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        transaction!(self, tx => {
            // The space's row first: a second start at the same moment waits here, then
            // finds the space moved and changes nothing.
            let claimed = execute!(on &mut *tx,
                "UPDATE spaces SET wrapped_key = $2, authors_sealed_at = $3 \
                 WHERE id = $1 AND authors_sealed_at IS NULL",
                space.0, new_key.0.as_bytes(), at.0)?;
            if claimed == 0 {
                return Ok(false);
            }
            // The space's own texts are all here, or a journey or invitation was made since
            // they were read: it would be sealed with the key being replaced.
            for (kind, table) in [
                (SpaceText::BreachDetails, "breaches"),
                (SpaceText::InviteCode, "invites"),
            ] {
                let stored: i64 = fetch_one!(scalar on &mut *tx,
                    &format!("SELECT COUNT(*) FROM {table} WHERE space_id = $1"), space.0)?;
                let moving = texts.iter().filter(|t| t.kind == kind).count();
                if usize::try_from(stored).ok() != Some(moving) {
                    return Ok(false);
                }
            }
            for text in texts {
                let (table, column, _) = place(text.kind);
                let sql = format!(
                    "UPDATE {table} SET {column} = $1 WHERE id = $2 AND {column} = $3");
                let replaced = execute!(on &mut *tx, &sql,
                    text.new.as_bytes(), text.row, text.old.as_bytes())?;
                if replaced != 1 {
                    // Changed since it was read: nothing of this move is kept.
                    return Ok(false);
                }
            }
            true
        })
    }
}

/// A space, when a partner left it, and its partners' author keys.
pub(crate) type SpaceAndAuthorKeys = (SpaceRecord, Option<Timestamp>, Vec<(PersonId, WrappedKey)>);

impl Db {
    /// A space and its partners' author keys, in one read: every page of a space needs both.
    pub(crate) async fn space_and_author_keys(
        &self,
        space: SpaceId,
    ) -> Result<Option<SpaceAndAuthorKeys>, StoreError> {
        type Row = (
            Uuid,
            Vec<u8>,
            i64,
            Option<i64>,
            Option<Uuid>,
            Option<Vec<u8>>,
        );
        let rows: Vec<Row> = fetch_all!(
            self,
            "SELECT s.id, s.wrapped_key, s.created_at, s.departed_at, a.person_id, a.wrapped_key \
             FROM spaces s LEFT JOIN author_keys a ON a.space_id = s.id WHERE s.id = $1",
            space.0
        )?;
        let Some((id, key, created_at, departed_at, _, _)) = rows.first().cloned() else {
            return Ok(None);
        };
        let record = SpaceRecord {
            id: SpaceId(id),
            wrapped_key: WrappedKey(Sealed::from_stored(key)),
            created_at: Timestamp(created_at),
        };
        let authors = rows
            .into_iter()
            .filter_map(|(_, _, _, _, person, key)| {
                Some((PersonId(person?), WrappedKey(Sealed::from_stored(key?))))
            })
            .collect();
        Ok(Some((record, departed_at.map(Timestamp), authors)))
    }
}
