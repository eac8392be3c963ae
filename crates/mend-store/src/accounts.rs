//! People, sessions, safety answers, password resets and log-in attempts.

use async_trait::async_trait;
use mend_core::mail::MailKind;
use mend_core::store::{
    AccountStore, LoginAttemptId, LoginReservation, LookupHash, NewPerson, PersonRecord,
    SessionRecord, SpaceVersion,
};
use mend_core::{PersonId, StoreError, Timestamp};
use mend_crypto::{Sealed, WrappedKey};
use uuid::Uuid;

use crate::db::{db_err, Backend, Db};

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: Uuid,
    email_sealed: Vec<u8>,
    name_sealed: Vec<u8>,
    password_hash: String,
    wrapped_key: Vec<u8>,
    safety_cleared_at: Option<i64>,
    created_at: i64,
    time_zone: Option<String>,
    counsellor_since: Option<i64>,
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
            time_zone: r.time_zone,
            counsellor_since: r.counsellor_since.map(Timestamp),
        }
    }
}

/// A session's person, their seat (none outside a space) and their space's version.
#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    person: PersonRow,
    space_id: Option<Uuid>,
    seat: Option<i64>,
    joined_at: Option<i64>,
    version: i64,
    state_version: i64,
}

impl TryFrom<SessionRow> for SessionRecord {
    type Error = StoreError;
    fn try_from(r: SessionRow) -> Result<Self, StoreError> {
        let person = PersonRecord::from(r.person);
        let membership = match (r.space_id, r.seat, r.joined_at) {
            (Some(space), Some(seat), Some(joined_at)) => Some(crate::spaces::membership(
                space,
                person.id.0,
                seat,
                joined_at,
            )?),
            _ => None,
        };
        let space = membership.as_ref().map(|m| SpaceVersion {
            space: m.space,
            version: r.version,
            state: r.state_version,
        });
        Ok(SessionRecord {
            person,
            membership,
            space,
        })
    }
}

const PERSON_COLUMNS: &str =
    "p.id, p.email_sealed, p.name_sealed, p.password_hash, p.wrapped_key, \
                              p.safety_cleared_at, p.created_at, p.time_zone, p.counsellor_since";

/// How long a log-in attempt is kept: far past the throttle window, then it is forgotten.
const LOGIN_ATTEMPT_MEMORY_MS: i64 = 24 * 3_600_000;

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

/// What a write for a person whose account was deleted meanwhile is refused with.
const DELETED: &str = "the account is deleted";

impl Db {
    /// A condition that holds while the person `person` (a parameter) has an account: a
    /// deleted one keeps its row with an empty password hash. It locks the person's row, so
    /// a write that gets there first is deleted with the account (see `Db::for_share`).
    pub(crate) fn not_deleted(&self, person: &str) -> String {
        format!(
            "EXISTS (SELECT 1 FROM people WHERE id = {person} AND password_hash <> ''{})",
            self.for_share()
        )
    }
}

#[async_trait]
impl AccountStore for Db {
    async fn create_person(&self, p: NewPerson) -> Result<(), StoreError> {
        // A taken address is rewritten with its own value: nothing changes, but both cases
        // commit one write and take the same time, so sign-up cannot tell who has an account.
        let id: Uuid = fetch_one!(scalar self,
            "INSERT INTO people (id, email_lookup, email_sealed, name_sealed, password_hash, \
             wrapped_key, created_at, counsellor_since) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (email_lookup) DO UPDATE SET email_lookup = excluded.email_lookup \
             RETURNING id",
            p.id.0,
            p.email_lookup.as_slice(),
            p.email.as_bytes(),
            p.name.as_bytes(),
            &p.password_hash,
            p.wrapped_key.0.as_bytes(),
            p.created_at.0,
            p.counsellor.then_some(p.created_at.0),
        )?;
        if id != p.id.0 {
            return Err(StoreError::Conflict("the e-mail address has an account"));
        }
        Ok(())
    }

    async fn person(&self, id: PersonId) -> Result<Option<PersonRecord>, StoreError> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM people p WHERE p.id = $1");
        let row: Option<PersonRow> = fetch_optional!(self, &sql, id.0)?;
        Ok(row.map(Into::into))
    }

    async fn person_by_email(
        &self,
        email: &LookupHash,
    ) -> Result<Option<PersonRecord>, StoreError> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM people p WHERE p.email_lookup = $1");
        let row: Option<PersonRow> = fetch_optional!(self, &sql, email.as_slice())?;
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
        transaction!(self, tx => {
            // Not for an account deleted meanwhile (its hash is empty): it stays deleted.
            let changed = execute!(on &mut *tx,
                "UPDATE people SET password_hash = $1 WHERE id = $2 AND password_hash <> ''",
                password_hash, person.0)?;
            if changed == 0 {
                return Err(StoreError::Conflict(DELETED));
            }
            execute!(on &mut *tx,
                "DELETE FROM sessions WHERE person_id = $1 AND token_hash <> $2",
                person.0, keep)?;
        })
    }

    async fn create_session(
        &self,
        token: &LookupHash,
        person: PersonId,
        created_at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        // Only for an account that is not deleted: a log-in whose password was checked just
        // before the account was deleted gets no session (see `Db::for_share`).
        let sql = format!(
            "INSERT INTO sessions (token_hash, person_id, created_at, expires_at) \
             SELECT $1, $2, $3, $4 WHERE {}",
            self.not_deleted("$2")
        );
        transaction!(self, tx => {
            let stored = execute!(on &mut *tx,
                &sql, token.as_slice(), person.0, created_at.0, expires_at.0)?;
            if stored == 0 {
                return Err(StoreError::Conflict(DELETED));
            }
            // Sessions that ran out are forgotten when their owner logs in again.
            execute!(on &mut *tx,
                "DELETE FROM sessions WHERE person_id = $1 AND expires_at <= $2",
                person.0, created_at.0)?;
        })
    }

    async fn session(
        &self,
        token: &LookupHash,
        now: Timestamp,
    ) -> Result<Option<SessionRecord>, StoreError> {
        // The seat and the space's version come with the person, so a page starts from one
        // query; the version is read before anything kept under it (`Db::space_state`).
        let sql = format!(
            "SELECT {PERSON_COLUMNS}, m.space_id, m.seat, m.joined_at, \
             COALESCE(c.version, 0) AS version, COALESCE(c.state_version, 0) AS state_version \
             FROM sessions s JOIN people p ON p.id = s.person_id \
             LEFT JOIN memberships m ON m.person_id = p.id \
             LEFT JOIN space_changes c ON c.space_id = m.space_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2"
        );
        let row: Option<SessionRow> = fetch_optional!(self, &sql, token.as_slice(), now.0)?;
        row.map(SessionRecord::try_from).transpose()
    }

    async fn end_session(&self, token: &LookupHash) -> Result<(), StoreError> {
        execute!(
            self,
            "DELETE FROM sessions WHERE token_hash = $1",
            token.as_slice()
        )?;
        Ok(())
    }

    async fn save_safety_answers(
        &self,
        person: PersonId,
        answers: Sealed,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO safety_checks (person_id, answers_sealed, answered_at) \
             SELECT $1, $2, $3 WHERE {} \
             ON CONFLICT (person_id) DO UPDATE SET answers_sealed = $2, answered_at = $3",
            self.not_deleted("$1")
        );
        let stored = execute!(self, &sql, person.0, answers.as_bytes(), at.0)?;
        if stored == 0 {
            return Err(StoreError::Conflict(DELETED));
        }
        Ok(())
    }

    async fn safety_answers(&self, person: PersonId) -> Result<Option<Sealed>, StoreError> {
        let bytes: Option<Vec<u8>> = fetch_optional!(scalar self,
            "SELECT answers_sealed FROM safety_checks WHERE person_id = $1",
            person.0)?;
        Ok(bytes.map(Sealed::from_stored))
    }

    async fn clear_safety(&self, person: PersonId, at: Timestamp) -> Result<(), StoreError> {
        execute!(
            self,
            "UPDATE people SET safety_cleared_at = $1 WHERE id = $2 AND safety_cleared_at IS NULL \
             AND password_hash <> ''",
            at.0,
            person.0
        )?;
        Ok(())
    }

    async fn choose_time_zone(&self, person: PersonId, zone: &str) -> Result<(), StoreError> {
        execute!(
            self,
            "UPDATE people SET time_zone = $1 WHERE id = $2",
            zone,
            person.0
        )?;
        Ok(())
    }

    async fn detect_time_zone(&self, person: PersonId, zone: &str) -> Result<bool, StoreError> {
        let done = execute!(
            self,
            "UPDATE people SET time_zone = $1 WHERE id = $2 AND time_zone IS NULL",
            zone,
            person.0
        )?;
        Ok(done > 0)
    }

    async fn create_password_reset(
        &self,
        token: &LookupHash,
        person: PersonId,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        // Guarded in the statement itself: a link for an account deleted meanwhile is not
        // made (the mail worker then gives its job up).
        let sql = format!(
            "INSERT INTO password_resets (token_hash, person_id, expires_at) \
             SELECT $1, $2, $3 WHERE {}",
            self.not_deleted("$2")
        );
        let added = execute!(self, &sql, token.as_slice(), person.0, expires_at.0)?;
        if added == 0 {
            return Err(StoreError::Conflict(DELETED));
        }
        Ok(())
    }

    async fn password_reset_person(
        &self,
        token: &LookupHash,
        now: Timestamp,
    ) -> Result<Option<PersonId>, StoreError> {
        let person: Option<Uuid> = fetch_optional!(scalar self,
            "SELECT person_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL \
             AND expires_at > $2",
            token.as_slice(), now.0)?;
        Ok(person.map(PersonId))
    }

    async fn use_password_reset(
        &self,
        token: &LookupHash,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<Option<PersonId>, StoreError> {
        transaction!(self, tx => {
            let person: Option<Uuid> = fetch_optional!(scalar on &mut *tx,
                "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
                 AND expires_at > $1 RETURNING person_id",
                now.0, token.as_slice())?;
            let Some(person) = person else {
                return Ok(None);
            };
            // A link to an account deleted meanwhile sets nothing (and is not used up).
            let set = execute!(on &mut *tx,
                "UPDATE people SET password_hash = $1 WHERE id = $2 AND password_hash <> ''",
                password_hash, person)?;
            if set == 0 {
                return Ok(None);
            }
            execute!(on &mut *tx, "DELETE FROM sessions WHERE person_id = $1", person)?;
            // Every other link the person was sent is spent too, and a reset mail still
            // waiting to go is not sent: an old message in an inbox opens nothing.
            execute!(on &mut *tx,
                "UPDATE password_resets SET used_at = $1 WHERE person_id = $2 AND used_at IS NULL",
                now.0, person)?;
            execute!(on &mut *tx,
                "DELETE FROM mail_jobs WHERE person_id = $1 AND kind = $2 \
                 AND sent_at IS NULL AND gave_up_at IS NULL",
                person, MailKind::PasswordReset.as_str())?;
            Some(PersonId(person))
        })
    }

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
                let times: Vec<i64> = fetch_all!(scalar on pool,
                    "SELECT at FROM login_attempts WHERE key_hash = $1 AND at >= $2 ORDER BY at",
                    key.as_slice(), since.0)?;
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
                    execute!(on &mut *tx, lock, LOGIN_ATTEMPT_LOCKS, id)?;
                }
            }
            for (i, (key, limit)) in buckets.iter().enumerate() {
                execute!(on &mut *tx,
                    "DELETE FROM login_attempts WHERE key_hash = $1 AND at < $2",
                    key.as_slice(), at.0 - LOGIN_ATTEMPT_MEMORY_MS)?;
                let times: Vec<i64> = fetch_all!(scalar on &mut *tx,
                    "SELECT at FROM login_attempts WHERE key_hash = $1 AND at >= $2 ORDER BY at",
                    key.as_slice(), since.0)?;
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
                Some(_) => fetch_one!(scalar on &mut *tx,
                    "SELECT pg_try_advisory_xact_lock($1, 0)",
                    LOGIN_ATTEMPT_SWEEP)?,
            };
            if sweep {
                execute!(on &mut *tx,
                    "DELETE FROM login_attempts WHERE at < $1 AND id IN \
                     (SELECT id FROM login_attempts ORDER BY id LIMIT $2)",
                    at.0 - LOGIN_ATTEMPT_MEMORY_MS, LOGIN_ATTEMPTS_SWEPT)?;
            }
            for (key, _) in buckets {
                execute!(on &mut *tx,
                    "INSERT INTO login_attempts (key_hash, attempt, at) VALUES ($1, $2, $3)",
                    key.as_slice(), attempt.as_slice(), at.0)?;
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
        transaction!(self, tx => {
            match take_back {
                None => {
                    execute!(on &mut *tx,
                        "DELETE FROM login_attempts WHERE attempt = $1",
                        attempt.as_slice())?;
                }
                Some(keys) => {
                    for key in keys {
                        execute!(on &mut *tx,
                            "DELETE FROM login_attempts WHERE attempt = $1 AND key_hash = $2",
                            attempt.as_slice(), key.as_slice())?;
                    }
                }
            }
            for key in clear {
                execute!(on &mut *tx, "DELETE FROM login_attempts WHERE key_hash = $1", key.as_slice())?;
            }
        })
    }
}
