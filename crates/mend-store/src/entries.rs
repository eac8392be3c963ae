//! Written entries: drafts, sending in one step, withdrawing, and responses to statements.

use async_trait::async_trait;
use mend_core::store::{EntryRecord, EntryStore};
use mend_core::{
    BreachId, Cursor, EntryId, EntryKind, EntryState, PersonId, SpaceId, StatementResponse,
    StoreError, Timestamp, Window, WindowAsk,
};
use mend_crypto::Sealed;
use uuid::Uuid;

use crate::db::Db;
use crate::journeys::BREACHES_OF_SPACE;

#[derive(sqlx::FromRow)]
pub(crate) struct EntryRow {
    id: Uuid,
    breach_id: Uuid,
    kind: String,
    author: Uuid,
    body_sealed: Option<Vec<u8>>,
    state: String,
    follows: Option<Uuid>,
    created_at: i64,
    updated_at: i64,
    sent_at: Option<i64>,
    received_at: Option<i64>,
    withdrawn_at: Option<i64>,
    response: Option<String>,
    response_note_sealed: Option<Vec<u8>>,
    responded_at: Option<i64>,
}

impl TryFrom<EntryRow> for EntryRecord {
    type Error = StoreError;
    fn try_from(r: EntryRow) -> Result<Self, StoreError> {
        Ok(EntryRecord {
            id: EntryId(r.id),
            breach: BreachId(r.breach_id),
            kind: EntryKind::parse(&r.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("entry kind {}", r.kind)))?,
            author: PersonId(r.author),
            body: r.body_sealed.map(Sealed::from_stored),
            state: EntryState::parse(&r.state)
                .ok_or_else(|| StoreError::Corrupt(format!("entry state {}", r.state)))?,
            follows: r.follows.map(EntryId),
            created_at: Timestamp(r.created_at),
            updated_at: Timestamp(r.updated_at),
            sent_at: r.sent_at.map(Timestamp),
            received_at: r.received_at.map(Timestamp),
            withdrawn_at: r.withdrawn_at.map(Timestamp),
            response: r
                .response
                .map(|v| {
                    StatementResponse::parse(&v)
                        .ok_or_else(|| StoreError::Corrupt(format!("statement response {v}")))
                })
                .transpose()?,
            response_note: r.response_note_sealed.map(Sealed::from_stored),
            responded_at: r.responded_at.map(Timestamp),
        })
    }
}

const ENTRY_COLUMNS: &str =
    "id, breach_id, kind, author, body_sealed, state, follows, created_at, updated_at, \
     sent_at, received_at, withdrawn_at, response, response_note_sealed, responded_at";

#[async_trait]
impl EntryStore for Db {
    async fn entries_for(
        &self,
        breach: BreachId,
        kind: EntryKind,
        viewer: PersonId,
    ) -> Result<Vec<EntryRecord>, StoreError> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM entries \
             WHERE breach_id = $1 AND kind = $2 AND (state <> 'draft' OR author = $3) \
             ORDER BY created_at, id"
        );
        let rows: Vec<EntryRow> = fetch_all!(self, &sql, breach.0, kind.as_str(), viewer.0)?;
        rows.into_iter().map(EntryRecord::try_from).collect()
    }

    async fn entry_for(
        &self,
        breach: BreachId,
        kind: EntryKind,
        viewer: PersonId,
        id: EntryId,
    ) -> Result<Option<EntryRecord>, StoreError> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE id = $1 AND breach_id = $2 AND kind = $3 \
             AND (state <> 'draft' OR author = $4)"
        );
        let row: Option<EntryRow> =
            fetch_optional!(self, &sql, id.0, breach.0, kind.as_str(), viewer.0)?;
        row.map(EntryRecord::try_from).transpose()
    }

    async fn entry_window(
        &self,
        breach: BreachId,
        kind: EntryKind,
        ask: WindowAsk,
    ) -> Result<Window<EntryRecord>, StoreError> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE breach_id = $1 AND kind = $2 \
             AND state <> 'draft' AND (created_at, id) < ($3, $4) \
             ORDER BY created_at DESC, id DESC LIMIT $5"
        );
        let rows: Vec<EntryRow> = fetch_all!(
            self,
            &sql,
            breach.0,
            kind.as_str(),
            ask.before.at.0,
            ask.before.id,
            ask.rows_to_fetch()
        )?;
        let rows = rows
            .into_iter()
            .map(EntryRecord::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Window::of(rows, ask, |e| Cursor::new(e.created_at, e.id.0)))
    }

    async fn draft_of(
        &self,
        breach: BreachId,
        kind: EntryKind,
        author: PersonId,
    ) -> Result<Option<EntryRecord>, StoreError> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE breach_id = $1 AND kind = $2 \
             AND author = $3 AND state = 'draft'"
        );
        let row: Option<EntryRow> = fetch_optional!(self, &sql, breach.0, kind.as_str(), author.0)?;
        row.map(EntryRecord::try_from).transpose()
    }

    async fn senders(
        &self,
        breach: BreachId,
        kind: EntryKind,
    ) -> Result<Vec<PersonId>, StoreError> {
        let authors: Vec<Uuid> = fetch_all!(
            scalar self,
            "SELECT DISTINCT author FROM entries WHERE breach_id = $1 AND kind = $2 \
             AND state = 'sent'",
            breach.0,
            kind.as_str()
        )?;
        Ok(authors.into_iter().map(PersonId).collect())
    }

    async fn last_sent(
        &self,
        breach: BreachId,
        kind: EntryKind,
        author: PersonId,
    ) -> Result<Option<Timestamp>, StoreError> {
        let at: Option<i64> = fetch_one!(
            scalar self,
            "SELECT MAX(sent_at) FROM entries WHERE breach_id = $1 AND kind = $2 \
             AND author = $3 AND sent_at IS NOT NULL",
            breach.0,
            kind.as_str(),
            author.0
        )?;
        Ok(at.map(Timestamp))
    }

    async fn sent_in_space(
        &self,
        space: SpaceId,
        kind: EntryKind,
    ) -> Result<Vec<EntryRecord>, StoreError> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM entries \
             WHERE breach_id IN ({BREACHES_OF_SPACE}) AND kind = $2 AND state <> 'draft' \
             ORDER BY created_at, id"
        );
        let rows: Vec<EntryRow> = fetch_all!(self, &sql, space.0, kind.as_str())?;
        rows.into_iter().map(EntryRecord::try_from).collect()
    }

    async fn create_draft(&self, e: EntryRecord) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO entries (id, breach_id, kind, author, body_sealed, state, follows, \
             created_at, updated_at) SELECT $1, $2, $3, $4, $5, 'draft', $6, $7, $7 WHERE {}",
            self.ongoing("$2")
        );
        let stored = execute!(
            self,
            &sql,
            e.id.0,
            e.breach.0,
            e.kind.as_str(),
            e.author.0,
            e.body.as_ref().map(|b| b.as_bytes()),
            e.follows.map(|c| c.0),
            e.created_at.0,
        )?;
        if stored == 0 {
            return Err(self.not_stored(e.breach.0).await);
        }
        Ok(())
    }

    async fn update_draft(
        &self,
        id: EntryId,
        author: PersonId,
        body: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE entries SET body_sealed = $1, updated_at = $2 \
             WHERE id = $3 AND author = $4 AND state = 'draft' AND {}",
            self.ongoing("entries.breach_id")
        );
        let changed = execute!(self, &sql, body.as_bytes(), at.0, id.0, author.0)?;
        self.changed_entry(changed, id).await
    }

    async fn send_entry(&self, e: EntryRecord) -> Result<(), StoreError> {
        let body = e
            .body
            .as_ref()
            .ok_or(StoreError::Conflict("an entry is sent with its text"))?;
        // One guarded statement: a new entry is stored sent, or the author's draft under this
        // id (in this journey and section) takes the text and is sent. Anything else already
        // under the id is left alone and reported as a conflict.
        // (SQLite reads `INSERT … SELECT … ON CONFLICT` only when the SELECT has a WHERE,
        // which the journey's guard is.)
        let sql = format!(
            "INSERT INTO entries (id, breach_id, kind, author, body_sealed, state, follows, \
             created_at, updated_at, sent_at) SELECT $1, $2, $3, $4, $5, 'sent', $6, $7, $7, $7 \
             WHERE {} \
             ON CONFLICT (id) DO UPDATE SET body_sealed = excluded.body_sealed, state = 'sent', \
             follows = excluded.follows, updated_at = excluded.updated_at, sent_at = excluded.sent_at \
             WHERE entries.author = excluded.author AND entries.breach_id = excluded.breach_id \
             AND entries.kind = excluded.kind AND entries.state = 'draft'",
            self.ongoing("$2")
        );
        let changed = execute!(
            self,
            &sql,
            e.id.0,
            e.breach.0,
            e.kind.as_str(),
            e.author.0,
            body.as_bytes(),
            e.follows.map(|c| c.0),
            e.updated_at.0,
        )?;
        if changed == 1 {
            return Ok(());
        }
        self.unless_ended(e.breach.0).await?;
        Err(StoreError::Conflict("the entry id is taken"))
    }

    async fn withdraw_entry(
        &self,
        id: EntryId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE entries SET state = 'withdrawn', withdrawn_at = $1, updated_at = $1, \
             body_sealed = NULL WHERE id = $2 AND author = $3 AND state = 'sent' AND {}",
            self.ongoing("entries.breach_id")
        );
        let changed = execute!(self, &sql, at.0, id.0, author.0)?;
        self.changed_entry(changed, id).await
    }

    async fn mark_received(
        &self,
        breach: BreachId,
        id: EntryId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE entries SET received_at = $1 WHERE id = $2 AND breach_id = $3 \
             AND state = 'sent' AND received_at IS NULL AND {}",
            self.ongoing("$3")
        );
        let changed = execute!(self, &sql, at.0, id.0, breach.0)?;
        self.changed_in(changed, breach.0).await
    }

    async fn respond_to_statement(
        &self,
        breach: BreachId,
        entry: EntryId,
        response: StatementResponse,
        note: Option<Sealed>,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE entries SET response = $1, response_note_sealed = $2, responded_at = $3 \
             WHERE id = $4 AND breach_id = $5 AND kind = 'accountability' AND state = 'sent' \
             AND {}",
            self.ongoing("$5")
        );
        let changed = execute!(
            self,
            &sql,
            response.as_str(),
            note.as_ref().map(|n| n.as_bytes()),
            at.0,
            entry.0,
            breach.0
        )?;
        self.changed_in(changed, breach.0).await
    }
}

impl Db {
    /// [`changed_in`] for a write that names only the entry.
    async fn changed_entry(&self, changed: u64, id: EntryId) -> Result<bool, StoreError> {
        if changed == 1 {
            return Ok(true);
        }
        let breach: Option<Uuid> = fetch_optional!(scalar self,
            "SELECT breach_id FROM entries WHERE id = $1", id.0)?;
        match breach {
            Some(breach) => self.unless_ended(breach).await,
            None => Ok(false),
        }
    }
}
