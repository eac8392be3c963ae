//! Private notes: the evidence log of a journey and the journal of a space. Both are kept
//! sealed with the author's own key until shared; sharing replaces the text with the copy
//! sealed for the space, and taking it back replaces it with the author's copy again. The
//! two tables differ in what a note belongs to (a journey, a space), so those queries are
//! written once, for both, in [`Notes`].

use async_trait::async_trait;
use mend_core::store::{EvidenceRecord, JournalEntryRecord, PrivateNoteStore};
use mend_core::{
    BreachId, Cursor, EvidenceId, JournalEntryId, Moment, PersonId, SpaceId, StoreError, Timestamp,
    Window, WindowAsk,
};
use mend_crypto::Sealed;
use uuid::Uuid;

use crate::db::Db;

/// Where one kind of private note is kept: its table, and the column naming what a note
/// belongs to. Both are fixed here, never taken from input, and written into the SQL text.
struct Notes {
    table: &'static str,
    scope: &'static str,
}

const EVIDENCE: Notes = Notes {
    table: "evidence",
    scope: "breach_id",
};

const JOURNAL: Notes = Notes {
    table: "journal_entries",
    scope: "space_id",
};

impl Notes {
    /// The condition every write into these notes carries (see `Db::for_share`): the journey
    /// goes on, for the evidence log; the author is still in the space, for the journal (which
    /// the one who stays keeps writing after a partner left).
    fn guard(&self, db: &Db, author: &str, scope: &str) -> String {
        if self.scope == EVIDENCE.scope {
            db.ongoing(scope)
        } else {
            db.seated(author, scope)
        }
    }

    /// What a guarded write that changed nothing comes to: `Ok(false)`, or for the evidence
    /// log the refusal of an ended journey.
    async fn unless(&self, db: &Db, scope: Uuid) -> Result<bool, StoreError> {
        if self.scope == EVIDENCE.scope {
            db.unless_ended(scope).await
        } else {
            Ok(false)
        }
    }

    /// The condition on notes of `$1` that `$2` may read: all of their own, and the ones
    /// shared. Nobody else's private note is ever returned.
    fn readable(&self) -> String {
        format!(
            "{} = $1 AND (author = $2 OR shared_at IS NOT NULL)",
            self.scope
        )
    }

    /// Shares the author's private note, replacing its text with the copy sealed for the
    /// space; false when it is not theirs, not in `scope`, or already shared.
    async fn share(
        &self,
        db: &Db,
        scope: Uuid,
        id: Uuid,
        author: PersonId,
        shared_text: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE {} SET text_sealed = $1, shared_at = $2 \
             WHERE id = $3 AND {} = $4 AND author = $5 AND shared_at IS NULL AND {}",
            self.table,
            self.scope,
            self.guard(db, "$5", "$4")
        );
        let changed = execute!(db, &sql, shared_text.as_bytes(), at.0, id, scope, author.0)?;
        if changed == 1 {
            return Ok(true);
        }
        self.unless(db, scope).await
    }

    /// Takes back the author's shared note, replacing its text with the copy sealed with their
    /// own key; false when it is not theirs, not in `scope`, or not shared.
    async fn unshare(
        &self,
        db: &Db,
        scope: Uuid,
        id: Uuid,
        author: PersonId,
        private_text: Sealed,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE {} SET text_sealed = $1, shared_at = NULL \
             WHERE id = $2 AND {} = $3 AND author = $4 AND shared_at IS NOT NULL AND {}",
            self.table,
            self.scope,
            self.guard(db, "$4", "$3")
        );
        let changed = execute!(db, &sql, private_text.as_bytes(), id, scope, author.0)?;
        if changed == 1 {
            return Ok(true);
        }
        self.unless(db, scope).await
    }
}

const EVIDENCE_COLUMNS: &str = "id, breach_id, author, moment, text_sealed, created_at, shared_at";
const JOURNAL_COLUMNS: &str = "id, space_id, author, text_sealed, created_at, shared_at";
/// Only members' writing: someone no longer in the space shares nothing with it.
const BY_MEMBERS: &str = "author IN (SELECT person_id FROM memberships WHERE space_id = $1)";
/// Before the window's cursor `($3, $4)`, newest first, `$5` rows.
const WINDOW: &str = "AND (created_at, id) < ($3, $4) ORDER BY created_at DESC, id DESC LIMIT $5";

#[derive(sqlx::FromRow)]
struct EvidenceRow {
    id: Uuid,
    breach_id: Uuid,
    author: Uuid,
    moment: String,
    text_sealed: Vec<u8>,
    created_at: i64,
    shared_at: Option<i64>,
}

impl TryFrom<EvidenceRow> for EvidenceRecord {
    type Error = StoreError;
    fn try_from(r: EvidenceRow) -> Result<Self, StoreError> {
        Ok(EvidenceRecord {
            id: EvidenceId(r.id),
            breach: BreachId(r.breach_id),
            author: PersonId(r.author),
            moment: Moment::parse(&r.moment)
                .ok_or_else(|| StoreError::Corrupt(format!("moment {}", r.moment)))?,
            text: Sealed::from_stored(r.text_sealed),
            created_at: Timestamp(r.created_at),
            shared_at: r.shared_at.map(Timestamp),
        })
    }
}

#[derive(sqlx::FromRow)]
struct JournalEntryRow {
    id: Uuid,
    space_id: Uuid,
    author: Uuid,
    text_sealed: Vec<u8>,
    created_at: i64,
    shared_at: Option<i64>,
}

impl From<JournalEntryRow> for JournalEntryRecord {
    fn from(r: JournalEntryRow) -> Self {
        JournalEntryRecord {
            id: JournalEntryId(r.id),
            space: SpaceId(r.space_id),
            author: PersonId(r.author),
            text: Sealed::from_stored(r.text_sealed),
            created_at: Timestamp(r.created_at),
            shared_at: r.shared_at.map(Timestamp),
        }
    }
}

#[async_trait]
impl PrivateNoteStore for Db {
    async fn create_evidence(&self, e: EvidenceRecord) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO evidence (id, breach_id, author, moment, text_sealed, created_at) \
             SELECT $1, $2, $3, $4, $5, $6 WHERE {}",
            EVIDENCE.guard(self, "$3", "$2")
        );
        let stored = execute!(
            self,
            &sql,
            e.id.0,
            e.breach.0,
            e.author.0,
            e.moment.as_str(),
            e.text.as_bytes(),
            e.created_at.0,
        )?;
        if stored == 0 {
            return Err(self.not_stored(e.breach.0).await);
        }
        Ok(())
    }

    async fn evidence_for(
        &self,
        breach: BreachId,
        viewer: PersonId,
    ) -> Result<Vec<EvidenceRecord>, StoreError> {
        let sql = format!(
            "SELECT id, breach_id, author, moment, text_sealed, created_at, shared_at FROM evidence \
             WHERE {} ORDER BY created_at, id",
            EVIDENCE.readable()
        );
        let rows: Vec<EvidenceRow> = fetch_all!(self, &sql, breach.0, viewer.0)?;
        rows.into_iter().map(EvidenceRecord::try_from).collect()
    }

    async fn share_evidence(
        &self,
        breach: BreachId,
        id: EvidenceId,
        author: PersonId,
        shared_text: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        EVIDENCE
            .share(self, breach.0, id.0, author, shared_text, at)
            .await
    }

    async fn unshare_evidence(
        &self,
        breach: BreachId,
        id: EvidenceId,
        author: PersonId,
        private_text: Sealed,
    ) -> Result<bool, StoreError> {
        EVIDENCE
            .unshare(self, breach.0, id.0, author, private_text)
            .await
    }

    async fn evidence_window(
        &self,
        breach: BreachId,
        viewer: PersonId,
        ask: WindowAsk,
    ) -> Result<Window<EvidenceRecord>, StoreError> {
        let sql = format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE {} {WINDOW}",
            EVIDENCE.readable()
        );
        let rows: Vec<EvidenceRow> = fetch_all!(
            self,
            &sql,
            breach.0,
            viewer.0,
            ask.before.at.0,
            ask.before.id,
            ask.rows_to_fetch()
        )?;
        let rows = rows
            .into_iter()
            .map(EvidenceRecord::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Window::of(rows, ask, |e| Cursor::new(e.created_at, e.id.0)))
    }

    async fn evidence_entry(
        &self,
        breach: BreachId,
        viewer: PersonId,
        id: EvidenceId,
    ) -> Result<Option<EvidenceRecord>, StoreError> {
        let sql = format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE {} AND id = $3",
            EVIDENCE.readable()
        );
        let row: Option<EvidenceRow> = fetch_optional!(self, &sql, breach.0, viewer.0, id.0)?;
        row.map(EvidenceRecord::try_from).transpose()
    }

    async fn journal_window(
        &self,
        space: SpaceId,
        viewer: PersonId,
        ask: WindowAsk,
    ) -> Result<Window<JournalEntryRecord>, StoreError> {
        let sql = format!(
            "SELECT {JOURNAL_COLUMNS} FROM journal_entries WHERE {} AND {BY_MEMBERS} {WINDOW}",
            JOURNAL.readable()
        );
        let rows: Vec<JournalEntryRow> = fetch_all!(
            self,
            &sql,
            space.0,
            viewer.0,
            ask.before.at.0,
            ask.before.id,
            ask.rows_to_fetch()
        )?;
        let rows = rows.into_iter().map(JournalEntryRecord::from).collect();
        Ok(Window::of(rows, ask, |e: &JournalEntryRecord| {
            Cursor::new(e.created_at, e.id.0)
        }))
    }

    async fn journal_entry(
        &self,
        space: SpaceId,
        viewer: PersonId,
        id: JournalEntryId,
    ) -> Result<Option<JournalEntryRecord>, StoreError> {
        let sql = format!(
            "SELECT {JOURNAL_COLUMNS} FROM journal_entries WHERE {} AND {BY_MEMBERS} AND id = $3",
            JOURNAL.readable()
        );
        let row: Option<JournalEntryRow> = fetch_optional!(self, &sql, space.0, viewer.0, id.0)?;
        Ok(row.map(Into::into))
    }

    async fn create_journal_entry(&self, e: JournalEntryRecord) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO journal_entries (id, space_id, author, text_sealed, created_at, shared_at) \
             SELECT $1, $2, $3, $4, $5, $6 WHERE {}",
            JOURNAL.guard(self, "$3", "$2")
        );
        let stored = execute!(
            self,
            &sql,
            e.id.0,
            e.space.0,
            e.author.0,
            e.text.as_bytes(),
            e.created_at.0,
            e.shared_at.map(|t| t.0),
        )?;
        if stored == 0 {
            return Err(StoreError::NotSeated);
        }
        Ok(())
    }

    async fn journal_for(
        &self,
        space: SpaceId,
        viewer: PersonId,
    ) -> Result<Vec<JournalEntryRecord>, StoreError> {
        // Only members' writing: someone no longer in the space shares nothing with it.
        let sql = format!(
            "SELECT id, space_id, author, text_sealed, created_at, shared_at FROM journal_entries \
             WHERE {} AND author IN (SELECT person_id FROM memberships WHERE space_id = $1) \
             ORDER BY created_at DESC, id DESC",
            JOURNAL.readable()
        );
        let rows: Vec<JournalEntryRow> = fetch_all!(self, &sql, space.0, viewer.0)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn share_journal_entry(
        &self,
        space: SpaceId,
        id: JournalEntryId,
        author: PersonId,
        shared_text: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        JOURNAL
            .share(self, space.0, id.0, author, shared_text, at)
            .await
    }

    async fn unshare_journal_entry(
        &self,
        space: SpaceId,
        id: JournalEntryId,
        author: PersonId,
        private_text: Sealed,
    ) -> Result<bool, StoreError> {
        JOURNAL
            .unshare(self, space.0, id.0, author, private_text)
            .await
    }

    async fn delete_journal_entry(
        &self,
        space: SpaceId,
        id: JournalEntryId,
        author: PersonId,
    ) -> Result<bool, StoreError> {
        let changed = execute!(
            self,
            "DELETE FROM journal_entries WHERE id = $1 AND space_id = $2 AND author = $3",
            id.0,
            space.0,
            author.0
        )?;
        Ok(changed == 1)
    }

    async fn journal_last_seen(
        &self,
        person: PersonId,
        space: SpaceId,
    ) -> Result<Option<Timestamp>, StoreError> {
        let at: Option<i64> = fetch_optional!(scalar self,
            "SELECT seen_at FROM journal_seen WHERE person_id = $1 AND space_id = $2",
            person.0, space.0)?;
        Ok(at.map(Timestamp))
    }

    async fn mark_journal_seen(
        &self,
        person: PersonId,
        space: SpaceId,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        // Kept only while the person is in the space; for anyone else nothing is written.
        let sql = format!(
            "INSERT INTO journal_seen (person_id, space_id, seen_at) SELECT $1, $2, $3 \
             WHERE {} ON CONFLICT (person_id, space_id) DO UPDATE SET seen_at = $3",
            self.seated("$1", "$2")
        );
        execute!(self, &sql, person.0, space.0, at.0)?;
        Ok(())
    }
}
