use std::str::FromStr;
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use mend_core::store::{
    AgreementRecord, AnswerRecord, AreaRecord, BreachRecord, CheckInRecord, EntryRecord,
    EvidenceRecord, FeelingRecord, InviteRecord, JournalEntryRecord, LoginAttemptId,
    LoginReservation, LookupHash, Membership, NewInvite, NewPerson, PersonRecord, QuestionRecord,
    ReflectionRecord, SpaceRecord, TransparencyRecord, TriggerRecord,
};
use mend_core::{
    AgreementId, AgreementState, AnswerId, Area, AreaStatus, BreachId, CheckInId, Ended, Ending,
    EntryId, EntryKind, EntryState, EvidenceId, FeelingId, InviteId, JournalEntryId, JourneyChange,
    JourneyState, Moment, Period, PersonId, QuestionId, QuestionKind, ReflectionId, Response,
    Rhythm, Seat, SpaceId, StatementResponse, Store, StoreError, Timestamp, TransparencyId,
    TransparencyState, TriggerId, Trust, Verdict,
};
use mend_crypto::{Sealed, WrappedKey};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use uuid::Uuid;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A connection pool to either backend, chosen by the database URL's scheme.
pub struct Db {
    backend: Backend,
}

/// Runs `$body` with `$pool` bound to whichever pool this store has.
macro_rules! on_pool {
    ($self:expr, $pool:ident => $body:expr) => {
        match &$self.backend {
            Backend::Sqlite($pool) => $body,
            Backend::Postgres($pool) => $body,
        }
    };
}

/// Runs one statement with its parameters on whichever pool this store has, giving the number
/// of rows it changed.
macro_rules! run {
    ($self:expr, $sql:expr $(, $bind:expr)* $(,)?) => {
        on_pool!($self, pool => sqlx::query($sql)
            $(.bind($bind))*
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
            .map_err(db_err))
    };
}

fn db_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Conflict("a unique value is already taken")
        }
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
            StoreError::Conflict("a referenced row does not exist")
        }
        _ => StoreError::Database(e.to_string()),
    }
}

impl Db {
    /// Connects to `sqlite://PATH` (created if missing) or `postgres://...`.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let backend = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(db_err)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL: an acknowledged write survives a crash or power loss.
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(StdDuration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .map_err(db_err)?;
            Backend::Sqlite(pool)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(StdDuration::from_secs(10))
                .connect(url)
                .await
                .map_err(db_err)?;
            Backend::Postgres(pool)
        } else {
            return Err(StoreError::Database(
                "the database URL must start with sqlite:// or postgres://".into(),
            ));
        };
        Ok(Self { backend })
    }

    /// Applies the migrations this backend has not seen yet.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let result = match &self.backend {
            Backend::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await,
            Backend::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await,
        };
        result.map_err(|e| StoreError::Database(format!("migration failed: {e}")))
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: Uuid,
    email_sealed: Vec<u8>,
    name_sealed: Vec<u8>,
    password_hash: String,
    wrapped_key: Vec<u8>,
    safety_cleared_at: Option<i64>,
    created_at: i64,
}

impl From<PersonRow> for PersonRecord {
    fn from(r: PersonRow) -> Self {
        PersonRecord {
            id: PersonId(r.id),
            email: Sealed::from_stored(r.email_sealed),
            name: Sealed::from_stored(r.name_sealed),
            password_hash: r.password_hash,
            wrapped_key: WrappedKey(Sealed::from_stored(r.wrapped_key)),
            safety_cleared_at: r.safety_cleared_at.map(Timestamp),
            created_at: Timestamp(r.created_at),
        }
    }
}

const PERSON_COLUMNS: &str =
    "p.id, p.email_sealed, p.name_sealed, p.password_hash, p.wrapped_key, \
                              p.safety_cleared_at, p.created_at";

#[derive(sqlx::FromRow)]
struct MembershipRow {
    space_id: Uuid,
    person_id: Uuid,
    seat: i64,
    joined_at: i64,
}

impl TryFrom<MembershipRow> for Membership {
    type Error = StoreError;
    fn try_from(r: MembershipRow) -> Result<Self, StoreError> {
        Ok(Membership {
            space: SpaceId(r.space_id),
            person: PersonId(r.person_id),
            seat: Seat::from_number(r.seat)
                .ok_or_else(|| StoreError::Corrupt(format!("seat {} in a membership", r.seat)))?,
            joined_at: Timestamp(r.joined_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct InviteRow {
    id: Uuid,
    space_id: Uuid,
    created_by: Uuid,
    code_sealed: Vec<u8>,
    created_at: i64,
    expires_at: i64,
    used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl From<InviteRow> for InviteRecord {
    fn from(r: InviteRow) -> Self {
        InviteRecord {
            id: InviteId(r.id),
            space: SpaceId(r.space_id),
            created_by: PersonId(r.created_by),
            code: Sealed::from_stored(r.code_sealed),
            created_at: Timestamp(r.created_at),
            expires_at: Timestamp(r.expires_at),
            used_at: r.used_at.map(Timestamp),
            revoked_at: r.revoked_at.map(Timestamp),
        }
    }
}

const INVITE_COLUMNS: &str =
    "id, space_id, created_by, code_sealed, created_at, expires_at, used_at, revoked_at";

#[derive(sqlx::FromRow)]
struct BreachRow {
    id: Uuid,
    space_id: Uuid,
    hurt_person: Uuid,
    repairing_person: Uuid,
    opened_by: Uuid,
    details_sealed: Vec<u8>,
    created_at: i64,
    reassurance_muted_at: Option<i64>,
    check_in_rhythm: Option<String>,
    recommit_rhythm: String,
    my_side_opened_at: Option<i64>,
    context_opened_at: Option<i64>,
    closing_proposed_at: Option<i64>,
    ended_how: Option<String>,
    ended_by: Option<Uuid>,
    ended_at: Option<i64>,
}

fn rhythm(value: &str) -> Result<Rhythm, StoreError> {
    Rhythm::parse(value).ok_or_else(|| StoreError::Corrupt(format!("rhythm {value}")))
}

impl TryFrom<BreachRow> for BreachRecord {
    type Error = StoreError;
    fn try_from(r: BreachRow) -> Result<Self, StoreError> {
        let ended = match (r.ended_how, r.ended_by, r.ended_at) {
            (Some(how), Some(by), Some(at)) => Some(Ended {
                how: Ending::parse(&how)
                    .ok_or_else(|| StoreError::Corrupt(format!("ending {how}")))?,
                by: PersonId(by),
                at: Timestamp(at),
            }),
            _ => None,
        };
        Ok(BreachRecord {
            id: BreachId(r.id),
            space: SpaceId(r.space_id),
            hurt: PersonId(r.hurt_person),
            repairing: PersonId(r.repairing_person),
            opened_by: PersonId(r.opened_by),
            details: Sealed::from_stored(r.details_sealed),
            created_at: Timestamp(r.created_at),
            state: JourneyState {
                reassurance_muted_at: r.reassurance_muted_at.map(Timestamp),
                check_in_rhythm: r.check_in_rhythm.as_deref().map(rhythm).transpose()?,
                recommit_rhythm: rhythm(&r.recommit_rhythm)?,
                my_side_opened_at: r.my_side_opened_at.map(Timestamp),
                context_opened_at: r.context_opened_at.map(Timestamp),
                closing_proposed_at: r.closing_proposed_at.map(Timestamp),
                ended,
            },
        })
    }
}

const BREACH_COLUMNS: &str =
    "id, space_id, hurt_person, repairing_person, opened_by, details_sealed, created_at, \
     reassurance_muted_at, check_in_rhythm, recommit_rhythm, my_side_opened_at, \
     context_opened_at, closing_proposed_at, ended_how, ended_by, ended_at";

#[derive(sqlx::FromRow)]
struct EntryRow {
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

#[derive(sqlx::FromRow)]
struct FeelingRow {
    id: Uuid,
    breach_id: Uuid,
    person_id: Uuid,
    feeling_sealed: Option<Vec<u8>>,
    created_at: i64,
    withdrawn_at: Option<i64>,
}

impl From<FeelingRow> for FeelingRecord {
    fn from(r: FeelingRow) -> Self {
        FeelingRecord {
            id: FeelingId(r.id),
            breach: BreachId(r.breach_id),
            person: PersonId(r.person_id),
            feeling: r.feeling_sealed.map(Sealed::from_stored),
            created_at: Timestamp(r.created_at),
            withdrawn_at: r.withdrawn_at.map(Timestamp),
        }
    }
}

#[derive(sqlx::FromRow)]
struct ReflectionRow {
    id: Uuid,
    feeling_id: Uuid,
    author: Uuid,
    body_sealed: Option<Vec<u8>>,
    created_at: i64,
    withdrawn_at: Option<i64>,
    verdict: Option<String>,
    missed_sealed: Option<Vec<u8>>,
    verdict_at: Option<i64>,
}

impl TryFrom<ReflectionRow> for ReflectionRecord {
    type Error = StoreError;
    fn try_from(r: ReflectionRow) -> Result<Self, StoreError> {
        Ok(ReflectionRecord {
            id: ReflectionId(r.id),
            feeling: FeelingId(r.feeling_id),
            author: PersonId(r.author),
            body: r.body_sealed.map(Sealed::from_stored),
            created_at: Timestamp(r.created_at),
            withdrawn_at: r.withdrawn_at.map(Timestamp),
            verdict: r
                .verdict
                .map(|v| {
                    Verdict::parse(&v).ok_or_else(|| StoreError::Corrupt(format!("verdict {v}")))
                })
                .transpose()?,
            missed: r.missed_sealed.map(Sealed::from_stored),
            verdict_at: r.verdict_at.map(Timestamp),
        })
    }
}

#[derive(sqlx::FromRow)]
struct AgreementRow {
    id: Uuid,
    space_id: Uuid,
    proposed_by: Uuid,
    text_sealed: Vec<u8>,
    state: String,
    revises: Option<Uuid>,
    created_at: i64,
    decided_at: Option<i64>,
}

impl TryFrom<AgreementRow> for AgreementRecord {
    type Error = StoreError;
    fn try_from(r: AgreementRow) -> Result<Self, StoreError> {
        Ok(AgreementRecord {
            id: AgreementId(r.id),
            space: SpaceId(r.space_id),
            proposed_by: PersonId(r.proposed_by),
            text: Sealed::from_stored(r.text_sealed),
            state: AgreementState::parse(&r.state)
                .ok_or_else(|| StoreError::Corrupt(format!("agreement state {}", r.state)))?,
            revises: r.revises.map(AgreementId),
            created_at: Timestamp(r.created_at),
            decided_at: r.decided_at.map(Timestamp),
        })
    }
}

#[derive(sqlx::FromRow)]
struct QuestionRow {
    id: Uuid,
    breach_id: Uuid,
    asked_by: Uuid,
    text_sealed: Option<Vec<u8>>,
    kind: Option<String>,
    asked_again_of: Option<Uuid>,
    created_at: i64,
    in_person_at: Option<i64>,
    withdrawn_at: Option<i64>,
}

impl From<QuestionRow> for QuestionRecord {
    fn from(r: QuestionRow) -> Self {
        QuestionRecord {
            id: QuestionId(r.id),
            breach: BreachId(r.breach_id),
            asked_by: PersonId(r.asked_by),
            text: r.text_sealed.map(Sealed::from_stored),
            kind: r.kind.as_deref().and_then(QuestionKind::parse),
            asked_again_of: r.asked_again_of.map(QuestionId),
            created_at: Timestamp(r.created_at),
            in_person_at: r.in_person_at.map(Timestamp),
            withdrawn_at: r.withdrawn_at.map(Timestamp),
        }
    }
}

#[derive(sqlx::FromRow)]
struct AnswerRow {
    id: Uuid,
    question_id: Uuid,
    author: Uuid,
    body_sealed: Option<Vec<u8>>,
    created_at: i64,
    withdrawn_at: Option<i64>,
    response: Option<String>,
    responded_at: Option<i64>,
}

impl From<AnswerRow> for AnswerRecord {
    fn from(r: AnswerRow) -> Self {
        AnswerRecord {
            id: AnswerId(r.id),
            question: QuestionId(r.question_id),
            author: PersonId(r.author),
            body: r.body_sealed.map(Sealed::from_stored),
            created_at: Timestamp(r.created_at),
            withdrawn_at: r.withdrawn_at.map(Timestamp),
            response: r.response.as_deref().and_then(Response::parse),
            responded_at: r.responded_at.map(Timestamp),
        }
    }
}

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
struct CheckInRow {
    id: Uuid,
    breach_id: Uuid,
    person_id: Uuid,
    trust: i64,
    note_sealed: Option<Vec<u8>>,
    created_at: i64,
}

impl TryFrom<CheckInRow> for CheckInRecord {
    type Error = StoreError;
    fn try_from(r: CheckInRow) -> Result<Self, StoreError> {
        Ok(CheckInRecord {
            id: CheckInId(r.id),
            breach: BreachId(r.breach_id),
            person: PersonId(r.person_id),
            trust: Trust::from_stored(r.trust)
                .ok_or_else(|| StoreError::Corrupt(format!("trust {}", r.trust)))?,
            note: r.note_sealed.map(Sealed::from_stored),
            created_at: Timestamp(r.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct TriggerRow {
    id: Uuid,
    breach_id: Uuid,
    person_id: Uuid,
    note_sealed: Option<Vec<u8>>,
    created_at: i64,
    reply_sealed: Option<Vec<u8>>,
    replied_at: Option<i64>,
}

impl From<TriggerRow> for TriggerRecord {
    fn from(r: TriggerRow) -> Self {
        TriggerRecord {
            id: TriggerId(r.id),
            breach: BreachId(r.breach_id),
            person: PersonId(r.person_id),
            note: r.note_sealed.map(Sealed::from_stored),
            created_at: Timestamp(r.created_at),
            reply: r.reply_sealed.map(Sealed::from_stored),
            replied_at: r.replied_at.map(Timestamp),
        }
    }
}

#[derive(sqlx::FromRow)]
struct TransparencyRow {
    id: Uuid,
    breach_id: Uuid,
    offered_by: Uuid,
    text_sealed: Vec<u8>,
    period_days: i64,
    state: String,
    renews: Option<Uuid>,
    created_at: i64,
    decided_at: Option<i64>,
    starts_at: Option<i64>,
}

impl TryFrom<TransparencyRow> for TransparencyRecord {
    type Error = StoreError;
    fn try_from(r: TransparencyRow) -> Result<Self, StoreError> {
        Ok(TransparencyRecord {
            id: TransparencyId(r.id),
            breach: BreachId(r.breach_id),
            offered_by: PersonId(r.offered_by),
            text: Sealed::from_stored(r.text_sealed),
            period: Period::from_days(r.period_days).ok_or_else(|| {
                StoreError::Corrupt(format!("transparency period {}", r.period_days))
            })?,
            state: TransparencyState::parse(&r.state)
                .ok_or_else(|| StoreError::Corrupt(format!("transparency state {}", r.state)))?,
            renews: r.renews.map(TransparencyId),
            created_at: Timestamp(r.created_at),
            decided_at: r.decided_at.map(Timestamp),
            starts_at: r.starts_at.map(Timestamp),
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

/// How long a log-in attempt is kept: far past the throttle window, then it is forgotten.
const LOGIN_ATTEMPT_MEMORY_MS: i64 = 24 * 3_600_000;

#[async_trait]
impl Store for Db {
    async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|r| r.rows_affected()).map_err(db_err))?;
        Ok(())
    }

    async fn create_person(&self, p: NewPerson) -> Result<(), StoreError> {
        // A taken address is rewritten with its own value: nothing changes, but both cases
        // commit one write and take the same time, so sign-up cannot tell who has an account.
        let id: Uuid = on_pool!(self, pool => sqlx::query_scalar(
            "INSERT INTO people (id, email_lookup, email_sealed, name_sealed, password_hash, \
             wrapped_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (email_lookup) DO UPDATE SET email_lookup = excluded.email_lookup \
             RETURNING id",
        )
        .bind(p.id.0)
        .bind(p.email_lookup.as_slice())
        .bind(p.email.as_bytes())
        .bind(p.name.as_bytes())
        .bind(&p.password_hash)
        .bind(p.wrapped_key.0.as_bytes())
        .bind(p.created_at.0)
        .fetch_one(pool)
        .await
        .map_err(db_err))?;
        if id != p.id.0 {
            return Err(StoreError::Conflict("the e-mail address has an account"));
        }
        Ok(())
    }

    async fn person(&self, id: PersonId) -> Result<Option<PersonRecord>, StoreError> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM people p WHERE p.id = $1");
        let row: Option<PersonRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(pool)
            .await
            .map_err(db_err))?;
        Ok(row.map(Into::into))
    }

    async fn person_by_email(
        &self,
        email: &LookupHash,
    ) -> Result<Option<PersonRecord>, StoreError> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM people p WHERE p.email_lookup = $1");
        let row: Option<PersonRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(email.as_slice())
            .fetch_optional(pool)
            .await
            .map_err(db_err))?;
        Ok(row.map(Into::into))
    }

    async fn change_password(
        &self,
        person: PersonId,
        password_hash: &str,
        keep: Option<&LookupHash>,
    ) -> Result<(), StoreError> {
        // An empty hash never matches a stored token, so `None` ends every session.
        let keep: &[u8] = keep.map(|k| k.as_slice()).unwrap_or(&[]);
        on_pool!(self, pool => {
            let mut tx = pool.begin().await.map_err(db_err)?;
            sqlx::query("UPDATE people SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(person.0)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            sqlx::query("DELETE FROM sessions WHERE person_id = $1 AND token_hash <> $2")
                .bind(person.0)
                .bind(keep)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            tx.commit().await.map_err(db_err)
        })
    }

    async fn create_session(
        &self,
        token: &LookupHash,
        person: PersonId,
        created_at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await.map_err(db_err)?;
            sqlx::query(
                "INSERT INTO sessions (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(token.as_slice())
            .bind(person.0)
            .bind(created_at.0)
            .bind(expires_at.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            // Sessions that ran out are forgotten when their owner logs in again.
            sqlx::query("DELETE FROM sessions WHERE person_id = $1 AND expires_at <= $2")
                .bind(person.0)
                .bind(created_at.0)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            tx.commit().await.map_err(db_err)
        })
    }

    async fn session_person(
        &self,
        token: &LookupHash,
        now: Timestamp,
    ) -> Result<Option<PersonRecord>, StoreError> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM sessions s JOIN people p ON p.id = s.person_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2"
        );
        let row: Option<PersonRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(token.as_slice())
            .bind(now.0)
            .fetch_optional(pool)
            .await
            .map_err(db_err))?;
        Ok(row.map(Into::into))
    }

    async fn end_session(&self, token: &LookupHash) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token.as_slice())
            .execute(pool).await.map(|r| r.rows_affected())
            .map_err(db_err))?;
        Ok(())
    }

    async fn save_safety_answers(
        &self,
        person: PersonId,
        answers: Sealed,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO safety_checks (person_id, answers_sealed, answered_at) VALUES ($1, $2, $3) \
             ON CONFLICT (person_id) DO UPDATE SET answers_sealed = $2, answered_at = $3",
        )
        .bind(person.0)
        .bind(answers.as_bytes())
        .bind(at.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(())
    }

    async fn safety_answers(&self, person: PersonId) -> Result<Option<Sealed>, StoreError> {
        let bytes: Option<Vec<u8>> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT answers_sealed FROM safety_checks WHERE person_id = $1",
        )
        .bind(person.0)
        .fetch_optional(pool)
        .await
        .map_err(db_err))?;
        Ok(bytes.map(Sealed::from_stored))
    }

    async fn clear_safety(&self, person: PersonId, at: Timestamp) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "UPDATE people SET safety_cleared_at = $1 WHERE id = $2 AND safety_cleared_at IS NULL",
        )
        .bind(at.0)
        .bind(person.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(())
    }

    async fn create_space(&self, space: SpaceRecord, creator: PersonId) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await.map_err(db_err)?;
            sqlx::query("INSERT INTO spaces (id, wrapped_key, created_at) VALUES ($1, $2, $3)")
                .bind(space.id.0)
                .bind(space.wrapped_key.0.as_bytes())
                .bind(space.created_at.0)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            sqlx::query(
                "INSERT INTO memberships (space_id, person_id, seat, joined_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(space.id.0)
            .bind(creator.0)
            .bind(Seat::Creator.number())
            .bind(space.created_at.0)
            .execute(&mut *tx)
            .await
            .map_err(|e| match db_err(e) {
                StoreError::Conflict(_) => StoreError::Conflict("this person already belongs to a space"),
                other => other,
            })?;
            tx.commit().await.map_err(db_err)
        })
    }

    async fn space(&self, id: SpaceId) -> Result<Option<SpaceRecord>, StoreError> {
        let row: Option<(Uuid, Vec<u8>, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, wrapped_key, created_at FROM spaces WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(pool)
        .await
        .map_err(db_err))?;
        Ok(row.map(|(id, key, created_at)| SpaceRecord {
            id: SpaceId(id),
            wrapped_key: WrappedKey(Sealed::from_stored(key)),
            created_at: Timestamp(created_at),
        }))
    }

    async fn membership_of(&self, person: PersonId) -> Result<Option<Membership>, StoreError> {
        let row: Option<MembershipRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT space_id, person_id, seat, joined_at FROM memberships WHERE person_id = $1",
        )
        .bind(person.0)
        .fetch_optional(pool)
        .await
        .map_err(db_err))?;
        row.map(Membership::try_from).transpose()
    }

    async fn members(&self, space: SpaceId) -> Result<Vec<Membership>, StoreError> {
        let rows: Vec<MembershipRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT space_id, person_id, seat, joined_at FROM memberships WHERE space_id = $1 ORDER BY seat",
        )
        .bind(space.0)
        .fetch_all(pool)
        .await
        .map_err(db_err))?;
        rows.into_iter().map(Membership::try_from).collect()
    }

    async fn create_invite(&self, i: NewInvite) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO invites (id, space_id, created_by, code_lookup, code_sealed, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(i.id.0)
        .bind(i.space.0)
        .bind(i.created_by.0)
        .bind(i.code_lookup.as_slice())
        .bind(i.code.as_bytes())
        .bind(i.created_at.0)
        .bind(i.expires_at.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(())
    }

    async fn invite_by_code(&self, code: &LookupHash) -> Result<Option<InviteRecord>, StoreError> {
        let sql = format!("SELECT {INVITE_COLUMNS} FROM invites WHERE code_lookup = $1");
        let row: Option<InviteRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(code.as_slice())
            .fetch_optional(pool)
            .await
            .map_err(db_err))?;
        Ok(row.map(Into::into))
    }

    async fn open_invites(
        &self,
        space: SpaceId,
        now: Timestamp,
    ) -> Result<Vec<InviteRecord>, StoreError> {
        let sql = format!(
            "SELECT {INVITE_COLUMNS} FROM invites WHERE space_id = $1 AND used_at IS NULL \
             AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at"
        );
        let rows: Vec<InviteRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(space.0)
            .bind(now.0)
            .fetch_all(pool)
            .await
            .map_err(db_err))?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn revoke_invite(
        &self,
        space: SpaceId,
        invite: InviteId,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = on_pool!(self, pool => sqlx::query(
            "UPDATE invites SET revoked_at = $1 WHERE id = $2 AND space_id = $3 AND created_by = $4 \
             AND used_at IS NULL AND revoked_at IS NULL",
        )
        .bind(at.0)
        .bind(invite.0)
        .bind(space.0)
        .bind(by.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(done == 1)
    }

    async fn accept_invite(
        &self,
        invite: InviteId,
        person: PersonId,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            // The write comes first so that SQLite takes its write lock at once and waits for
            // other writers, instead of failing on a lock upgrade after a read.
            let mut tx = pool.begin().await.map_err(db_err)?;
            let space: Option<Uuid> = sqlx::query_scalar(
                "UPDATE invites SET used_at = $1, used_by = $2 WHERE id = $3 AND used_at IS NULL \
                 AND revoked_at IS NULL AND expires_at > $1 RETURNING space_id",
            )
            .bind(at.0)
            .bind(person.0)
            .bind(invite.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
            let space = space.ok_or(StoreError::Conflict("the invitation is no longer open"))?;
            sqlx::query(
                "INSERT INTO memberships (space_id, person_id, seat, joined_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(space)
            .bind(person.0)
            .bind(Seat::Joiner.number())
            .bind(at.0)
            .execute(&mut *tx)
            .await
            .map_err(|e| match db_err(e) {
                StoreError::Conflict(_) => {
                    StoreError::Conflict("the space is full or the person already has a space")
                }
                other => other,
            })?;
            tx.commit().await.map_err(db_err)
        })
    }

    async fn create_password_reset(
        &self,
        token: &LookupHash,
        person: PersonId,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO password_resets (token_hash, person_id, expires_at) VALUES ($1, $2, $3)",
        )
        .bind(token.as_slice())
        .bind(person.0)
        .bind(expires_at.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(())
    }

    async fn password_reset_person(
        &self,
        token: &LookupHash,
        now: Timestamp,
    ) -> Result<Option<PersonId>, StoreError> {
        let person: Option<Uuid> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT person_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL \
             AND expires_at > $2",
        )
        .bind(token.as_slice())
        .bind(now.0)
        .fetch_optional(pool)
        .await
        .map_err(db_err))?;
        Ok(person.map(PersonId))
    }

    async fn use_password_reset(
        &self,
        token: &LookupHash,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<Option<PersonId>, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await.map_err(db_err)?;
            let person: Option<Uuid> = sqlx::query_scalar(
                "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
                 AND expires_at > $1 RETURNING person_id",
            )
            .bind(now.0)
            .bind(token.as_slice())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
            let Some(person) = person else {
                return Ok(None);
            };
            sqlx::query("UPDATE people SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(person)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            sqlx::query("DELETE FROM sessions WHERE person_id = $1")
                .bind(person)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
            Ok(Some(PersonId(person)))
        })
    }

    async fn create_breach(
        &self,
        b: BreachRecord,
        initial: &[(Area, AreaStatus)],
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await.map_err(db_err)?;
            sqlx::query(
                "INSERT INTO breaches (id, space_id, hurt_person, repairing_person, opened_by, \
                 details_sealed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(b.id.0)
            .bind(b.space.0)
            .bind(b.hurt.0)
            .bind(b.repairing.0)
            .bind(b.opened_by.0)
            .bind(b.details.as_bytes())
            .bind(b.created_at.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            for (area, status) in initial {
                sqlx::query(
                    "INSERT INTO journey_areas (breach_id, area, status, changed_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(b.id.0)
                .bind(area.as_str())
                .bind(status.as_str())
                .bind(b.created_at.0)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            }
            tx.commit().await.map_err(db_err)
        })
    }

    async fn breaches(&self, space: SpaceId) -> Result<Vec<BreachRecord>, StoreError> {
        let sql = format!(
            "SELECT {BREACH_COLUMNS} FROM breaches WHERE space_id = $1 ORDER BY created_at, id"
        );
        let rows: Vec<BreachRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(space.0)
            .fetch_all(pool)
            .await
            .map_err(db_err))?;
        rows.into_iter().map(BreachRecord::try_from).collect()
    }

    async fn breach(
        &self,
        space: SpaceId,
        id: BreachId,
    ) -> Result<Option<BreachRecord>, StoreError> {
        let sql = format!("SELECT {BREACH_COLUMNS} FROM breaches WHERE id = $1 AND space_id = $2");
        let row: Option<BreachRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(id.0)
            .bind(space.0)
            .fetch_optional(pool)
            .await
            .map_err(db_err))?;
        row.map(BreachRecord::try_from).transpose()
    }

    async fn areas(&self, breach: BreachId) -> Result<Vec<AreaRecord>, StoreError> {
        let rows: Vec<(String, String, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT area, status, changed_at FROM journey_areas WHERE breach_id = $1",
        )
        .bind(breach.0)
        .fetch_all(pool)
        .await
        .map_err(db_err))?;
        let mut areas = rows
            .into_iter()
            .map(|(area, status, changed_at)| {
                Ok(AreaRecord {
                    area: Area::parse(&area)
                        .ok_or_else(|| StoreError::Corrupt(format!("area {area}")))?,
                    status: AreaStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("area status {status}")))?,
                    changed_at: Timestamp(changed_at),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        areas.sort_by_key(|a| Area::ALL.iter().position(|x| *x == a.area));
        Ok(areas)
    }

    async fn change_area(
        &self,
        breach: BreachId,
        area: Area,
        from: AreaStatus,
        to: AreaStatus,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE journey_areas SET status = $1, changed_at = $2, changed_by = $3 \
             WHERE breach_id = $4 AND area = $5 AND status = $6",
        )
        .bind(to.as_str())
        .bind(at.0)
        .bind(by.0)
        .bind(breach.0)
        .bind(area.as_str())
        .bind(from.as_str())
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn entries_for(
        &self,
        breach: BreachId,
        kind: EntryKind,
        viewer: PersonId,
    ) -> Result<Vec<EntryRecord>, StoreError> {
        let rows: Vec<EntryRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, breach_id, kind, author, body_sealed, state, follows, created_at, updated_at, \
             sent_at, received_at, withdrawn_at, response, response_note_sealed, responded_at \
             FROM entries \
             WHERE breach_id = $1 AND kind = $2 AND (state <> 'draft' OR author = $3) \
             ORDER BY created_at, id",
        )
        .bind(breach.0)
        .bind(kind.as_str())
        .bind(viewer.0)
        .fetch_all(pool)
        .await
        .map_err(db_err))?;
        rows.into_iter().map(EntryRecord::try_from).collect()
    }

    async fn create_draft(&self, e: EntryRecord) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO entries (id, breach_id, kind, author, body_sealed, state, follows, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $7)",
        )
        .bind(e.id.0)
        .bind(e.breach.0)
        .bind(e.kind.as_str())
        .bind(e.author.0)
        .bind(e.body.as_ref().map(|b| b.as_bytes()))
        .bind(e.follows.map(|c| c.0))
        .bind(e.created_at.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(())
    }

    async fn update_draft(
        &self,
        id: EntryId,
        author: PersonId,
        body: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE entries SET body_sealed = $1, updated_at = $2 WHERE id = $3 AND author = $4 AND state = 'draft'",
        )
        .bind(body.as_bytes())
        .bind(at.0)
        .bind(id.0)
        .bind(author.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn withdraw_entry(
        &self,
        id: EntryId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE entries SET state = 'withdrawn', withdrawn_at = $1, updated_at = $1, body_sealed = NULL \
             WHERE id = $2 AND author = $3 AND state = 'sent'",
        )
        .bind(at.0)
        .bind(id.0)
        .bind(author.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn mark_received(
        &self,
        breach: BreachId,
        id: EntryId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE entries SET received_at = $1 WHERE id = $2 AND breach_id = $3 AND state = 'sent' \
             AND received_at IS NULL",
        )
        .bind(at.0)
        .bind(id.0)
        .bind(breach.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn create_agreement(&self, a: AgreementRecord) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO agreements (id, space_id, proposed_by, text_sealed, state, revises, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(a.id.0)
        .bind(a.space.0)
        .bind(a.proposed_by.0)
        .bind(a.text.as_bytes())
        .bind(a.state.as_str())
        .bind(a.revises.map(|r| r.0))
        .bind(a.created_at.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(())
    }

    async fn agreements(&self, space: SpaceId) -> Result<Vec<AgreementRecord>, StoreError> {
        let rows: Vec<AgreementRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, space_id, proposed_by, text_sealed, state, revises, created_at, decided_at \
             FROM agreements WHERE space_id = $1 ORDER BY created_at, id",
        )
        .bind(space.0)
        .fetch_all(pool)
        .await
        .map_err(db_err))?;
        rows.into_iter().map(AgreementRecord::try_from).collect()
    }

    async fn decide_agreement(
        &self,
        space: SpaceId,
        id: AgreementId,
        to: AgreementState,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await.map_err(db_err)?;
            let revises: Option<Option<Uuid>> = sqlx::query_scalar(
                "UPDATE agreements SET state = $1, decided_at = $2, decided_by = $3 \
                 WHERE id = $4 AND space_id = $5 AND state = 'proposed' RETURNING revises",
            )
            .bind(to.as_str())
            .bind(at.0)
            .bind(by.0)
            .bind(id.0)
            .bind(space.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
            let Some(revises) = revises else {
                return Ok(false);
            };
            if let (AgreementState::Accepted, Some(old)) = (to, revises) {
                sqlx::query(
                    "UPDATE agreements SET state = 'superseded', decided_at = $1, decided_by = $2 \
                     WHERE id = $3 AND space_id = $4 AND state = 'accepted'",
                )
                .bind(at.0)
                .bind(by.0)
                .bind(old)
                .bind(space.0)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            }
            tx.commit().await.map_err(db_err)?;
            Ok(true)
        })
    }

    async fn create_question(&self, q: QuestionRecord) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO questions (id, breach_id, asked_by, text_sealed, kind, asked_again_of, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(q.id.0)
        .bind(q.breach.0)
        .bind(q.asked_by.0)
        .bind(q.text.as_ref().map(|t| t.as_bytes()))
        .bind(q.kind.map(QuestionKind::as_str))
        .bind(q.asked_again_of.map(|a| a.0))
        .bind(q.created_at.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(())
    }

    async fn questions(&self, breach: BreachId) -> Result<Vec<QuestionRecord>, StoreError> {
        let rows: Vec<QuestionRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, breach_id, asked_by, text_sealed, kind, asked_again_of, created_at, in_person_at, \
             withdrawn_at \
             FROM questions WHERE breach_id = $1 ORDER BY created_at, id",
        )
        .bind(breach.0)
        .fetch_all(pool)
        .await
        .map_err(db_err))?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn answer_in_person(
        &self,
        breach: BreachId,
        question: QuestionId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE questions SET in_person_at = $1 WHERE id = $2 AND breach_id = $3 AND in_person_at IS NULL",
        )
        .bind(at.0)
        .bind(question.0)
        .bind(breach.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn create_answer(&self, breach: BreachId, a: AnswerRecord) -> Result<bool, StoreError> {
        // Inserted only when the question belongs to this journey.
        let changed = on_pool!(self, pool => sqlx::query(
            "INSERT INTO answers (id, question_id, author, body_sealed, created_at) \
             SELECT $1, id, $2, $3, $4 FROM questions WHERE id = $5 AND breach_id = $6 AND withdrawn_at IS NULL",
        )
        .bind(a.id.0)
        .bind(a.author.0)
        .bind(a.body.as_ref().map(|b| b.as_bytes()))
        .bind(a.created_at.0)
        .bind(a.question.0)
        .bind(breach.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn answers(&self, breach: BreachId) -> Result<Vec<AnswerRecord>, StoreError> {
        let rows: Vec<AnswerRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT a.id, a.question_id, a.author, a.body_sealed, a.created_at, a.withdrawn_at, a.response, \
             a.responded_at \
             FROM answers a JOIN questions q ON q.id = a.question_id WHERE q.breach_id = $1 \
             ORDER BY a.created_at, a.id",
        )
        .bind(breach.0)
        .fetch_all(pool)
        .await
        .map_err(db_err))?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn respond(
        &self,
        breach: BreachId,
        answer: AnswerId,
        response: Response,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE answers SET response = $1, responded_at = $2 WHERE id = $3 AND withdrawn_at IS NULL \
             AND question_id IN \
             (SELECT id FROM questions WHERE breach_id = $4)",
        )
        .bind(response.as_str())
        .bind(at.0)
        .bind(answer.0)
        .bind(breach.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn create_evidence(&self, e: EvidenceRecord) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO evidence (id, breach_id, author, moment, text_sealed, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(e.id.0)
        .bind(e.breach.0)
        .bind(e.author.0)
        .bind(e.moment.as_str())
        .bind(e.text.as_bytes())
        .bind(e.created_at.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(())
    }

    async fn evidence_for(
        &self,
        breach: BreachId,
        viewer: PersonId,
    ) -> Result<Vec<EvidenceRecord>, StoreError> {
        let rows: Vec<EvidenceRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, breach_id, author, moment, text_sealed, created_at, shared_at FROM evidence \
             WHERE breach_id = $1 AND (author = $2 OR shared_at IS NOT NULL) ORDER BY created_at, id",
        )
        .bind(breach.0)
        .bind(viewer.0)
        .fetch_all(pool)
        .await
        .map_err(db_err))?;
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
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE evidence SET text_sealed = $1, shared_at = $2 \
             WHERE id = $3 AND breach_id = $4 AND author = $5 AND shared_at IS NULL",
        )
        .bind(shared_text.as_bytes())
        .bind(at.0)
        .bind(id.0)
        .bind(breach.0)
        .bind(author.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn unshare_evidence(
        &self,
        breach: BreachId,
        id: EvidenceId,
        author: PersonId,
        private_text: Sealed,
    ) -> Result<bool, StoreError> {
        let changed = run!(
            self,
            "UPDATE evidence SET text_sealed = $1, shared_at = NULL \
             WHERE id = $2 AND breach_id = $3 AND author = $4 AND shared_at IS NOT NULL",
            private_text.as_bytes(),
            id.0,
            breach.0,
            author.0
        )?;
        Ok(changed == 1)
    }

    async fn last_seen(
        &self,
        person: PersonId,
        breach: BreachId,
        section: &str,
    ) -> Result<Option<Timestamp>, StoreError> {
        let at: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT seen_at FROM seen WHERE person_id = $1 AND breach_id = $2 AND section = $3",
        )
        .bind(person.0)
        .bind(breach.0)
        .bind(section)
        .fetch_optional(pool)
        .await
        .map_err(db_err))?;
        Ok(at.map(Timestamp))
    }

    async fn mark_seen(
        &self,
        person: PersonId,
        breach: BreachId,
        section: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO seen (person_id, breach_id, section, seen_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (person_id, breach_id, section) DO UPDATE SET seen_at = $4",
        )
        .bind(person.0)
        .bind(breach.0)
        .bind(section)
        .bind(at.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(())
    }

    async fn withdraw_answer(
        &self,
        breach: BreachId,
        answer: AnswerId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE answers SET body_sealed = NULL, withdrawn_at = $1 WHERE id = $2 AND author = $3 \
             AND withdrawn_at IS NULL AND question_id IN (SELECT id FROM questions WHERE breach_id = $4)",
        )
        .bind(at.0)
        .bind(answer.0)
        .bind(author.0)
        .bind(breach.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn withdraw_question(
        &self,
        breach: BreachId,
        question: QuestionId,
        asker: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE questions SET text_sealed = NULL, withdrawn_at = $1 WHERE id = $2 AND breach_id = $3 \
             AND asked_by = $4 AND withdrawn_at IS NULL",
        )
        .bind(at.0)
        .bind(question.0)
        .bind(breach.0)
        .bind(asker.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn create_check_in(&self, c: CheckInRecord) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO check_ins (id, breach_id, person_id, trust, note_sealed, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(c.id.0)
        .bind(c.breach.0)
        .bind(c.person.0)
        .bind(i64::from(c.trust.value()))
        .bind(c.note.as_ref().map(|n| n.as_bytes()))
        .bind(c.created_at.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(())
    }

    async fn check_ins(&self, breach: BreachId) -> Result<Vec<CheckInRecord>, StoreError> {
        let rows: Vec<CheckInRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, breach_id, person_id, trust, note_sealed, created_at FROM check_ins \
             WHERE breach_id = $1 ORDER BY created_at, id",
        )
        .bind(breach.0)
        .fetch_all(pool)
        .await
        .map_err(db_err))?;
        rows.into_iter().map(CheckInRecord::try_from).collect()
    }

    async fn change_journey(
        &self,
        breach: BreachId,
        change: JourneyChange,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        // Each change is one guarded UPDATE: it applies only while the journey goes on and
        // only if it is not so already, so a double submit changes nothing.
        let ongoing = "WHERE id = $1 AND ended_at IS NULL";
        let changed = match change {
            JourneyChange::MuteReassurance => run!(self,
                &format!("UPDATE breaches SET reassurance_muted_at = $2 {ongoing} AND reassurance_muted_at IS NULL"),
                breach.0, at.0),
            JourneyChange::UnmuteReassurance => run!(self,
                &format!("UPDATE breaches SET reassurance_muted_at = NULL {ongoing} AND reassurance_muted_at IS NOT NULL"),
                breach.0),
            // No rhythm means "whenever I want", stored as NULL.
            JourneyChange::CheckInRhythm(r) => run!(self,
                &format!("UPDATE breaches SET check_in_rhythm = $2 {ongoing}"),
                breach.0, r.map(Rhythm::as_str)),
            JourneyChange::RecommitRhythm(r) => run!(self,
                &format!("UPDATE breaches SET recommit_rhythm = $2 {ongoing}"),
                breach.0, r.as_str()),
            JourneyChange::OpenMySide => run!(self,
                &format!("UPDATE breaches SET my_side_opened_at = $2 {ongoing} AND my_side_opened_at IS NULL"),
                breach.0, at.0),
            JourneyChange::OpenContext => run!(self,
                &format!("UPDATE breaches SET context_opened_at = $2 {ongoing} AND context_opened_at IS NULL"),
                breach.0, at.0),
            JourneyChange::ProposeClosing => run!(self,
                &format!("UPDATE breaches SET closing_proposed_at = $2 {ongoing} AND closing_proposed_at IS NULL"),
                breach.0, at.0),
            JourneyChange::WithdrawClosing => run!(self,
                &format!("UPDATE breaches SET closing_proposed_at = NULL {ongoing} AND closing_proposed_at IS NOT NULL"),
                breach.0),
            JourneyChange::AgreeClosing => run!(self,
                &format!("UPDATE breaches SET ended_how = 'closed_chapter', ended_by = $2, ended_at = $3 \
                          {ongoing} AND closing_proposed_at IS NOT NULL"),
                breach.0, by.0, at.0),
            JourneyChange::PartWithCare => run!(self,
                &format!("UPDATE breaches SET ended_how = 'parted_with_care', ended_by = $2, ended_at = $3 {ongoing}"),
                breach.0, by.0, at.0),
        }?;
        Ok(changed == 1)
    }

    async fn respond_to_statement(
        &self,
        breach: BreachId,
        entry: EntryId,
        response: StatementResponse,
        note: Option<Sealed>,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE entries SET response = $1, response_note_sealed = $2, responded_at = $3 \
             WHERE id = $4 AND breach_id = $5 AND kind = 'accountability' AND state = 'sent'",
        )
        .bind(response.as_str())
        .bind(note.as_ref().map(|n| n.as_bytes()))
        .bind(at.0)
        .bind(entry.0)
        .bind(breach.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn create_feeling(&self, f: FeelingRecord) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO feelings (id, breach_id, person_id, feeling_sealed, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(f.id.0)
        .bind(f.breach.0)
        .bind(f.person.0)
        .bind(f.feeling.as_ref().map(|b| b.as_bytes()))
        .bind(f.created_at.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(())
    }

    async fn feelings(&self, breach: BreachId) -> Result<Vec<FeelingRecord>, StoreError> {
        let rows: Vec<FeelingRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, breach_id, person_id, feeling_sealed, created_at, withdrawn_at FROM feelings \
             WHERE breach_id = $1 ORDER BY created_at, id",
        )
        .bind(breach.0)
        .fetch_all(pool)
        .await
        .map_err(db_err))?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn create_reflection(
        &self,
        breach: BreachId,
        r: ReflectionRecord,
    ) -> Result<bool, StoreError> {
        // Inserted only while the feeling waits for a reflection, in one statement, so two
        // submits at once cannot both land.
        let changed = on_pool!(self, pool => sqlx::query(
            "INSERT INTO reflections (id, feeling_id, author, body_sealed, created_at) \
             SELECT $1, f.id, $3, $4, $5 FROM feelings f WHERE f.id = $2 AND f.breach_id = $6 \
             AND f.withdrawn_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM reflections x WHERE x.feeling_id = f.id \
                             AND x.withdrawn_at IS NULL \
                             AND (x.verdict IS NULL OR x.verdict = 'heard'))",
        )
        .bind(r.id.0)
        .bind(r.feeling.0)
        .bind(r.author.0)
        .bind(r.body.as_ref().map(|b| b.as_bytes()))
        .bind(r.created_at.0)
        .bind(breach.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn withdraw_feeling(
        &self,
        breach: BreachId,
        feeling: FeelingId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = run!(
            self,
            "UPDATE feelings SET feeling_sealed = NULL, withdrawn_at = $1 \
             WHERE id = $2 AND breach_id = $3 AND person_id = $4 AND withdrawn_at IS NULL",
            at.0,
            feeling.0,
            breach.0,
            author.0
        )?;
        Ok(changed == 1)
    }

    async fn withdraw_reflection(
        &self,
        breach: BreachId,
        reflection: ReflectionId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = run!(
            self,
            "UPDATE reflections SET body_sealed = NULL, withdrawn_at = $1 \
             WHERE id = $2 AND author = $3 AND withdrawn_at IS NULL \
             AND feeling_id IN (SELECT id FROM feelings WHERE breach_id = $4)",
            at.0,
            reflection.0,
            author.0,
            breach.0
        )?;
        Ok(changed == 1)
    }

    async fn reflections(&self, breach: BreachId) -> Result<Vec<ReflectionRecord>, StoreError> {
        let rows: Vec<ReflectionRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT r.id, r.feeling_id, r.author, r.body_sealed, r.created_at, r.withdrawn_at, r.verdict, \
             r.missed_sealed, r.verdict_at FROM reflections r JOIN feelings f ON f.id = r.feeling_id \
             WHERE f.breach_id = $1 ORDER BY r.created_at, r.id",
        )
        .bind(breach.0)
        .fetch_all(pool)
        .await
        .map_err(db_err))?;
        rows.into_iter().map(ReflectionRecord::try_from).collect()
    }

    async fn answer_reflection(
        &self,
        breach: BreachId,
        reflection: ReflectionId,
        verdict: Verdict,
        missed: Option<Sealed>,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE reflections SET verdict = $1, missed_sealed = $2, verdict_at = $3 \
             WHERE id = $4 AND verdict IS NULL AND withdrawn_at IS NULL \
             AND feeling_id IN (SELECT id FROM feelings WHERE breach_id = $5)",
        )
        .bind(verdict.as_str())
        .bind(missed.as_ref().map(|m| m.as_bytes()))
        .bind(at.0)
        .bind(reflection.0)
        .bind(breach.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn create_trigger(&self, t: TriggerRecord) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO triggers (id, breach_id, person_id, note_sealed, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(t.id.0)
        .bind(t.breach.0)
        .bind(t.person.0)
        .bind(t.note.as_ref().map(|n| n.as_bytes()))
        .bind(t.created_at.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(())
    }

    async fn triggers(&self, breach: BreachId) -> Result<Vec<TriggerRecord>, StoreError> {
        let rows: Vec<TriggerRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, breach_id, person_id, note_sealed, created_at, reply_sealed, replied_at FROM triggers \
             WHERE breach_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(breach.0)
        .fetch_all(pool)
        .await
        .map_err(db_err))?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn reply_to_trigger(
        &self,
        breach: BreachId,
        trigger: TriggerId,
        reply: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE triggers SET reply_sealed = $1, replied_at = $2 WHERE id = $3 AND breach_id = $4 \
             AND replied_at IS NULL",
        )
        .bind(reply.as_bytes())
        .bind(at.0)
        .bind(trigger.0)
        .bind(breach.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn create_transparency(&self, t: TransparencyRecord) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO transparency_agreements (id, breach_id, offered_by, text_sealed, period_days, \
             state, renews, created_at, decided_at, starts_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(t.id.0)
        .bind(t.breach.0)
        .bind(t.offered_by.0)
        .bind(t.text.as_bytes())
        .bind(t.period.days())
        .bind(t.state.as_str())
        .bind(t.renews.map(|r| r.0))
        .bind(t.created_at.0)
        .bind(t.decided_at.map(|d| d.0))
        .bind(t.starts_at.map(|s| s.0))
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(())
    }

    async fn transparency_agreements(
        &self,
        breach: BreachId,
    ) -> Result<Vec<TransparencyRecord>, StoreError> {
        let rows: Vec<TransparencyRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, breach_id, offered_by, text_sealed, period_days, state, renews, created_at, \
             decided_at, starts_at FROM transparency_agreements WHERE breach_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(breach.0)
        .fetch_all(pool)
        .await
        .map_err(db_err))?;
        rows.into_iter().map(TransparencyRecord::try_from).collect()
    }

    async fn accept_transparency(
        &self,
        breach: BreachId,
        id: TransparencyId,
        at: Timestamp,
        starts_at: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE transparency_agreements SET state = 'accepted', decided_at = $1, starts_at = $2 \
             WHERE id = $3 AND breach_id = $4 AND state = 'offered'",
        )
        .bind(at.0)
        .bind(starts_at.0)
        .bind(id.0)
        .bind(breach.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn close_transparency_offer(
        &self,
        breach: BreachId,
        id: TransparencyId,
        to: TransparencyState,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE transparency_agreements SET state = $1, decided_at = $2 \
             WHERE id = $3 AND breach_id = $4 AND state = 'offered'",
        )
        .bind(to.as_str())
        .bind(at.0)
        .bind(id.0)
        .bind(breach.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn create_journal_entry(&self, e: JournalEntryRecord) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO journal_entries (id, space_id, author, text_sealed, created_at, shared_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(e.id.0)
        .bind(e.space.0)
        .bind(e.author.0)
        .bind(e.text.as_bytes())
        .bind(e.created_at.0)
        .bind(e.shared_at.map(|t| t.0))
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(())
    }

    async fn journal_for(
        &self,
        space: SpaceId,
        viewer: PersonId,
    ) -> Result<Vec<JournalEntryRecord>, StoreError> {
        // Only members' writing: someone no longer in the space shares nothing with it.
        let rows: Vec<JournalEntryRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, space_id, author, text_sealed, created_at, shared_at FROM journal_entries \
             WHERE space_id = $1 AND (author = $2 OR shared_at IS NOT NULL) \
             AND author IN (SELECT person_id FROM memberships WHERE space_id = $1) \
             ORDER BY created_at DESC, id DESC",
        )
        .bind(space.0)
        .bind(viewer.0)
        .fetch_all(pool)
        .await
        .map_err(db_err))?;
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
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE journal_entries SET text_sealed = $1, shared_at = $2 \
             WHERE id = $3 AND space_id = $4 AND author = $5 AND shared_at IS NULL",
        )
        .bind(shared_text.as_bytes())
        .bind(at.0)
        .bind(id.0)
        .bind(space.0)
        .bind(author.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn unshare_journal_entry(
        &self,
        space: SpaceId,
        id: JournalEntryId,
        author: PersonId,
        private_text: Sealed,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE journal_entries SET text_sealed = $1, shared_at = NULL \
             WHERE id = $2 AND space_id = $3 AND author = $4 AND shared_at IS NOT NULL",
        )
        .bind(private_text.as_bytes())
        .bind(id.0)
        .bind(space.0)
        .bind(author.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn delete_journal_entry(
        &self,
        space: SpaceId,
        id: JournalEntryId,
        author: PersonId,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "DELETE FROM journal_entries WHERE id = $1 AND space_id = $2 AND author = $3",
        )
        .bind(id.0)
        .bind(space.0)
        .bind(author.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(changed == 1)
    }

    async fn journal_last_seen(
        &self,
        person: PersonId,
        space: SpaceId,
    ) -> Result<Option<Timestamp>, StoreError> {
        let at: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT seen_at FROM journal_seen WHERE person_id = $1 AND space_id = $2",
        )
        .bind(person.0)
        .bind(space.0)
        .fetch_optional(pool)
        .await
        .map_err(db_err))?;
        Ok(at.map(Timestamp))
    }

    async fn mark_journal_seen(
        &self,
        person: PersonId,
        space: SpaceId,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO journal_seen (person_id, space_id, seen_at) VALUES ($1, $2, $3) \
             ON CONFLICT (person_id, space_id) DO UPDATE SET seen_at = $3",
        )
        .bind(person.0)
        .bind(space.0)
        .bind(at.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        Ok(())
    }

    // --- Sending an entry in one step ---

    async fn send_entry(&self, e: EntryRecord) -> Result<(), StoreError> {
        let body = e
            .body
            .as_ref()
            .ok_or(StoreError::Conflict("an entry is sent with its text"))?;
        // One guarded statement: a new entry is stored sent, or the author's draft under this
        // id (in this journey and section) takes the text and is sent. Anything else already
        // under the id is left alone and reported as a conflict.
        let changed = on_pool!(self, pool => sqlx::query(
            "INSERT INTO entries (id, breach_id, kind, author, body_sealed, state, follows, \
             created_at, updated_at, sent_at) VALUES ($1, $2, $3, $4, $5, 'sent', $6, $7, $7, $7) \
             ON CONFLICT (id) DO UPDATE SET body_sealed = excluded.body_sealed, state = 'sent', \
             follows = excluded.follows, updated_at = excluded.updated_at, sent_at = excluded.sent_at \
             WHERE entries.author = excluded.author AND entries.breach_id = excluded.breach_id \
             AND entries.kind = excluded.kind AND entries.state = 'draft'",
        )
        .bind(e.id.0)
        .bind(e.breach.0)
        .bind(e.kind.as_str())
        .bind(e.author.0)
        .bind(body.as_bytes())
        .bind(e.follows.map(|c| c.0))
        .bind(e.updated_at.0)
        .execute(pool).await.map(|r| r.rows_affected())
        .map_err(db_err))?;
        if changed == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict("the entry id is taken"))
        }
    }
    // Log-in attempts.

    async fn reserve_login_attempt(
        &self,
        attempt: &LoginAttemptId,
        buckets: &[(LookupHash, usize)],
        since: Timestamp,
        at: Timestamp,
    ) -> Result<LoginReservation, StoreError> {
        // SQLite: BEGIN IMMEDIATE takes the database's write lock before anything is read.
        // PostgreSQL: a transaction-scoped lock per bucket, taken in one order so that two
        // attempts never wait on each other; a count under READ COMMITTED alone would not do.
        // READ COMMITTED is named, whatever the database's default: under REPEATABLE READ the
        // count after the lock would miss attempts committed while it waited.
        let (begin, lock) = match self.backend {
            Backend::Sqlite(_) => ("BEGIN IMMEDIATE", None),
            Backend::Postgres(_) => (
                "BEGIN ISOLATION LEVEL READ COMMITTED",
                Some("SELECT pg_advisory_xact_lock($1, $2)"),
            ),
        };
        let mut locks: Vec<i32> = buckets.iter().map(|(key, _)| bucket_lock(key)).collect();
        locks.sort_unstable();
        locks.dedup();
        on_pool!(self, pool => {
            // A plain read first: an attempt refused because a bucket is full (a flood of
            // them, say) takes no lock and writes nothing, so it holds up no other write.
            // With room, the count is taken again under the lock: that one is the guarantee.
            for (i, (key, limit)) in buckets.iter().enumerate() {
                let times: Vec<i64> = sqlx::query_scalar(
                    "SELECT at FROM login_attempts WHERE key_hash = $1 AND at >= $2 ORDER BY at",
                )
                .bind(key.as_slice())
                .bind(since.0)
                .fetch_all(pool)
                .await
                .map_err(db_err)?;
                if times.len() >= *limit {
                    return Ok(LoginReservation::Full {
                        bucket: i,
                        attempts: times.into_iter().map(Timestamp).collect(),
                    });
                }
            }
            let mut tx = pool.begin_with(begin).await.map_err(db_err)?;
            if let Some(lock) = lock {
                for id in &locks {
                    sqlx::query(lock)
                        .bind(LOGIN_ATTEMPT_LOCKS)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                }
            }
            for (i, (key, limit)) in buckets.iter().enumerate() {
                sqlx::query("DELETE FROM login_attempts WHERE key_hash = $1 AND at < $2")
                    .bind(key.as_slice())
                    .bind(at.0 - LOGIN_ATTEMPT_MEMORY_MS)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                let times: Vec<i64> = sqlx::query_scalar(
                    "SELECT at FROM login_attempts WHERE key_hash = $1 AND at >= $2 ORDER BY at",
                )
                .bind(key.as_slice())
                .bind(since.0)
                .fetch_all(&mut *tx)
                .await
                .map_err(db_err)?;
                if times.len() >= *limit {
                    tx.rollback().await.map_err(db_err)?;
                    return Ok(LoginReservation::Full {
                        bucket: i,
                        attempts: times.into_iter().map(Timestamp).collect(),
                    });
                }
            }
            // Old rows are otherwise dropped only in the buckets reserved in, so the table
            // would keep every attempt at an account or address never tried again. Each
            // reservation also drops what has aged out among the oldest rows (by id): the
            // work is bounded, and on PostgreSQL one reservation sweeps at a time, the others
            // going on without waiting.
            let sweep = match lock {
                None => true,
                Some(_) => sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1, 0)")
                    .bind(LOGIN_ATTEMPT_SWEEP)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db_err)?,
            };
            if sweep {
                sqlx::query(
                    "DELETE FROM login_attempts WHERE at < $1 AND id IN \
                     (SELECT id FROM login_attempts ORDER BY id LIMIT $2)",
                )
                .bind(at.0 - LOGIN_ATTEMPT_MEMORY_MS)
                .bind(LOGIN_ATTEMPTS_SWEPT)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            }
            for (key, _) in buckets {
                sqlx::query("INSERT INTO login_attempts (key_hash, attempt, at) VALUES ($1, $2, $3)")
                    .bind(key.as_slice())
                    .bind(attempt.as_slice())
                    .bind(at.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
            }
            tx.commit().await.map_err(db_err)?;
            Ok(LoginReservation::Reserved)
        })
    }

    async fn forget_login_attempts(
        &self,
        attempt: &LoginAttemptId,
        take_back: Option<&[LookupHash]>,
        clear: &[LookupHash],
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await.map_err(db_err)?;
            match take_back {
                None => {
                    sqlx::query("DELETE FROM login_attempts WHERE attempt = $1")
                        .bind(attempt.as_slice())
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                }
                Some(keys) => {
                    for key in keys {
                        sqlx::query("DELETE FROM login_attempts WHERE attempt = $1 AND key_hash = $2")
                            .bind(attempt.as_slice())
                            .bind(key.as_slice())
                            .execute(&mut *tx)
                            .await
                            .map_err(db_err)?;
                    }
                }
            }
            for key in clear {
                sqlx::query("DELETE FROM login_attempts WHERE key_hash = $1")
                    .bind(key.as_slice())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
            }
            tx.commit().await.map_err(db_err)
        })
    }
}

/// The first key of every PostgreSQL advisory lock on log-in buckets, so that they can never
/// be taken for a lock meant for something else.
const LOGIN_ATTEMPT_LOCKS: i32 = 0x4c4f_4749; // "LOGI"

/// The first key of the advisory lock held by the one reservation sweeping old attempts.
const LOGIN_ATTEMPT_SWEEP: i32 = 0x4c4f_4753; // "LOGS"

/// How many of the oldest attempt rows each reservation looks at to drop those aged out: more
/// than it adds (one per bucket), so the table stays about a day of attempts.
const LOGIN_ATTEMPTS_SWEPT: i64 = 64;

/// The second key of the advisory lock that serialises reservations in one bucket: the first
/// four bytes of its keyed hash, which are as random as the rest (two buckets sharing a lock
/// only wait for each other).
fn bucket_lock(key: &LookupHash) -> i32 {
    let mut first = [0u8; 4];
    first.copy_from_slice(&key[..4]);
    i32::from_be_bytes(first)
}
