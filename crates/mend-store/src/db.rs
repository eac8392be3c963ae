//! The connection to either backend, its migrations, and the few helpers every query runs
//! through, so that an area's module reads as SQL plus its parameters.

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use mend_core::store::HealthStore;
use mend_core::StoreError;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub(crate) static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
pub(crate) static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator =
    sqlx::migrate!("migrations/postgres");

pub(crate) enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A connection pool to either backend, chosen by the database URL's scheme.
pub struct Db {
    pub(crate) backend: Backend,
    /// What this store has read so far (issue 12): tests check that a page's reads are
    /// bounded by what it shows.
    pub(crate) reads: Reads,
    /// What waits for each person, as last read, with the version of the space it was read at.
    pub(crate) kept_facts: crate::waiting::KeptFacts,
    pub(crate) kept_spaces: crate::space_state::KeptSpaces,
}

/// Queries run and rows fetched through the fetch helpers outside transactions, since the
/// store was connected.
#[derive(Default)]
pub(crate) struct Reads {
    queries: AtomicU64,
    rows: AtomicU64,
}

impl Reads {
    pub(crate) fn note(&self, rows: u64) {
        self.queries.fetch_add(1, Ordering::Relaxed);
        self.rows.fetch_add(rows, Ordering::Relaxed);
    }
}

/// A snapshot of [`Db::reads`]: subtract two to see what happened between them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadCount {
    pub queries: u64,
    pub rows: u64,
}

impl std::ops::Sub for ReadCount {
    type Output = ReadCount;
    fn sub(self, earlier: ReadCount) -> ReadCount {
        ReadCount {
            queries: self.queries - earlier.queries,
            rows: self.rows - earlier.rows,
        }
    }
}

/// Runs `$body` with `$pool` bound to whichever pool this store has.
macro_rules! on_pool {
    ($self:expr, $pool:ident => $body:expr) => {
        match &$self.backend {
            $crate::db::Backend::Sqlite($pool) => $body,
            $crate::db::Backend::Postgres($pool) => $body,
        }
    };
}

/// Runs one statement with its parameters, giving the number of rows it changed:
/// `execute!(self, SQL, binds..)` on whichever pool this store has, or
/// `execute!(on &mut *tx, SQL, binds..)` inside a transaction.
macro_rules! execute {
    (on $exec:expr, $sql:expr $(, $bind:expr)* $(,)?) => {
        sqlx::query($sql)
            $(.bind($bind))*
            .execute($exec)
            .await
            .map(|r| r.rows_affected())
            .map_err($crate::db::db_err)
    };
    ($self:expr, $sql:expr $(, $bind:expr)* $(,)?) => {
        on_pool!($self, pool => execute!(on pool, $sql $(, $bind)*))
    };
}

/// The shared body of the fetch helpers: `$query` is `query_as` (rows) or `query_scalar`
/// (one column), `$fetch` how many rows are expected.
macro_rules! fetch {
    ($query:ident, $fetch:ident, on $exec:expr, $sql:expr $(, $bind:expr)* $(,)?) => {
        sqlx::$query($sql)
            $(.bind($bind))*
            .$fetch($exec)
            .await
            .map_err($crate::db::db_err)
    };
    ($query:ident, $fetch:ident, $self:expr, $sql:expr $(, $bind:expr)* $(,)?) => {{
        let fetched = on_pool!($self, pool => fetch!($query, $fetch, on pool, $sql $(, $bind)*));
        if let Ok(rows) = &fetched {
            $self.reads.note(rows_of!($fetch, rows));
        }
        fetched
    }};
}

/// How many rows a fetch of kind `$fetch` gave, for [`Reads`].
macro_rules! rows_of {
    (fetch_one, $rows:expr) => {{
        let _ = $rows;
        1
    }};
    (fetch_optional, $rows:expr) => {
        u64::from($rows.is_some())
    };
    (fetch_all, $rows:expr) => {
        $rows.len() as u64
    };
}

/// Exactly one row: `fetch_one!(self, SQL, binds..)` decodes it as the type asked for (a
/// `FromRow` struct or a tuple); `fetch_one!(scalar self, ..)` gives its one column. Either
/// takes `on EXECUTOR` instead of `self`, as [`execute!`] does.
macro_rules! fetch_one {
    (scalar $($rest:tt)*) => { fetch!(query_scalar, fetch_one, $($rest)*) };
    ($($rest:tt)*) => { fetch!(query_as, fetch_one, $($rest)*) };
}

/// At most one row, as [`fetch_one!`].
macro_rules! fetch_optional {
    (scalar $($rest:tt)*) => { fetch!(query_scalar, fetch_optional, $($rest)*) };
    ($($rest:tt)*) => { fetch!(query_as, fetch_optional, $($rest)*) };
}

/// Every row, as [`fetch_one!`].
macro_rules! fetch_all {
    (scalar $($rest:tt)*) => { fetch!(query_scalar, fetch_all, $($rest)*) };
    ($($rest:tt)*) => { fetch!(query_as, fetch_all, $($rest)*) };
}

/// Every row, as [`fetch_all!`], with the values of `$list` bound after the fixed ones: for an
/// `IN (…)` over the ids of a window, whose placeholders the caller writes.
macro_rules! fetch_all_listed {
    ($self:expr, $sql:expr, [$($bind:expr),* $(,)?], $list:expr) => {{
        let fetched = on_pool!($self, pool => {
            let mut query = sqlx::query_as($sql) $(.bind($bind))*;
            for value in $list {
                query = query.bind(value);
            }
            query.fetch_all(pool).await.map_err($crate::db::db_err)
        });
        if let Ok(rows) = &fetched {
            $self.reads.note(rows.len() as u64);
        }
        fetched
    }};
}

/// `$from, $from + 1, …`: the placeholders of a list of `count` values bound from `$from` on.
pub(crate) fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs `$body` in one transaction `$tx` on whichever pool this store has, and commits it
/// when the body gets to its end; the body's value is the result. A body that fails, or
/// returns early (only as its function's last expression), is rolled back before anything
/// is returned: a transaction that is only dropped is rolled back later, and on SQLite the
/// next write could meanwhile find the write lock taken ("database is locked").
macro_rules! transaction {
    ($self:expr, $tx:ident => $body:block) => {
        on_pool!($self, pool => {
            let mut $tx = pool.begin().await.map_err($crate::db::db_err)?;
            let mut finished = false;
            let done: Result<_, mend_core::StoreError> = async {
                let value = $body;
                finished = true;
                Ok(value)
            }
            .await;
            if finished {
                $tx.commit().await.map_err($crate::db::db_err)?;
                done
            } else {
                // A failed rollback changes nothing: the connection is closed then.
                let _ = $tx.rollback().await;
                Ok(done?)
            }
        })
    };
}

pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
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
        Ok(Self {
            backend,
            reads: Reads::default(),
            kept_facts: crate::waiting::kept_facts(),
            kept_spaces: crate::space_state::kept_spaces(),
        })
    }

    /// Applies the migrations this backend has not seen yet.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let result = match &self.backend {
            Backend::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await,
            Backend::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await,
        };
        result.map_err(|e| StoreError::Database(format!("migration failed: {e}")))
    }

    /// Ends the `SELECT` of a write's guard: ` FOR SHARE` on PostgreSQL, nothing on SQLite.
    /// On PostgreSQL a guarded write then waits for a departure that holds the row (it locks
    /// the space's row, its journeys' rows and the leaver's seat before deleting anything) and
    /// sees the row as the departure left it: ended, or gone. A departure that comes second
    /// waits for the write instead, and so deletes it. SQLite runs one write at a time, so
    /// its guard sees every committed departure and no departure sees half a write.
    pub(crate) fn for_share(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "",
            Backend::Postgres(_) => " FOR SHARE",
        }
    }

    /// A condition that holds while the journey `breach` (a parameter such as `$2`, or a
    /// column such as `entries.breach_id`) goes on. Every write into a journey's tables
    /// carries it (see [`Db::for_share`]).
    pub(crate) fn ongoing(&self, breach: &str) -> String {
        format!(
            "EXISTS (SELECT 1 FROM breaches WHERE id = {breach} AND ended_at IS NULL{})",
            self.for_share()
        )
    }

    /// A condition that holds while `person` is one of the partners of `space` (parameters
    /// or columns, as in [`Db::ongoing`]). The writes into a space's own tables carry it for
    /// the writer, and for the partner whose row they answer.
    pub(crate) fn seated(&self, person: &str, space: &str) -> String {
        format!(
            "EXISTS (SELECT 1 FROM memberships WHERE person_id = {person} \
             AND space_id = {space}{})",
            self.for_share()
        )
    }

    /// A condition that holds while no partner has left the space `space` (a parameter) and
    /// it still exists: what a new journey or invitation needs. It locks the space's row, the
    /// row a departure locks first.
    pub(crate) fn space_open(&self, space: &str) -> String {
        format!(
            "EXISTS (SELECT 1 FROM spaces WHERE id = {space} AND departed_at IS NULL{})",
            self.for_share()
        )
    }

    /// Whether the journey `breach` exists and has ended.
    async fn has_ended(&self, breach: uuid::Uuid) -> Result<bool, StoreError> {
        let ended: Option<Option<i64>> = fetch_optional!(scalar self,
            "SELECT ended_at FROM breaches WHERE id = $1", breach)?;
        Ok(matches!(ended, Some(Some(_))))
    }

    /// What a guarded write into a journey that changed nothing comes to: the journey has
    /// ended ([`StoreError::Ended`]), or else the write's own condition did not hold
    /// (`Ok(false)`: a double submit, an item withdrawn meanwhile, an id from elsewhere).
    pub(crate) async fn unless_ended(&self, breach: uuid::Uuid) -> Result<bool, StoreError> {
        if self.has_ended(breach).await? {
            Err(StoreError::Ended)
        } else {
            Ok(false)
        }
    }

    /// A guarded write into the journey `breach` that changed `changed` rows: true for one,
    /// else what [`Db::unless_ended`] says.
    pub(crate) async fn changed_in(
        &self,
        changed: u64,
        breach: uuid::Uuid,
    ) -> Result<bool, StoreError> {
        if changed == 1 {
            Ok(true)
        } else {
            self.unless_ended(breach).await
        }
    }

    /// Why a guarded insert into the journey `breach` stored nothing: it has ended, or there
    /// is no such journey (as its reference would have said).
    pub(crate) async fn not_stored(&self, breach: uuid::Uuid) -> StoreError {
        match self.has_ended(breach).await {
            Ok(true) => StoreError::Ended,
            Ok(false) => StoreError::Conflict("a referenced row does not exist"),
            Err(e) => e,
        }
    }

    /// The queries and rows read so far (outside transactions), for tests of bounded work.
    pub fn reads(&self) -> ReadCount {
        ReadCount {
            queries: self.reads.queries.load(Ordering::Relaxed),
            rows: self.reads.rows.load(Ordering::Relaxed),
        }
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

#[async_trait]
impl HealthStore for Db {
    async fn ping(&self) -> Result<(), StoreError> {
        execute!(self, "SELECT 1")?;
        Ok(())
    }
}
