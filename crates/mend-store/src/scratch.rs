//! Throw-away databases for tests: a SQLite file in a temporary folder, or — when
//! `MEND_TEST_POSTGRES_URL` is set — a new PostgreSQL database created for one test.

use sqlx::Connection;

/// Where the PostgreSQL server for tests is, if any.
pub const POSTGRES_ENV: &str = "MEND_TEST_POSTGRES_URL";

/// A fresh, empty database; dropping it removes a SQLite folder (PostgreSQL test databases
/// are named `mend_test_*` and left for the test command to clean up).
pub struct ScratchDatabase {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The backends to test on: SQLite always, PostgreSQL when its URL is set. With
/// `MEND_REQUIRE_POSTGRES` set (as the test command does), a missing URL fails the test
/// instead of quietly testing SQLite alone.
pub fn backends() -> Vec<Backend> {
    if std::env::var_os("MEND_REQUIRE_POSTGRES").is_some() {
        assert!(
            std::env::var_os(POSTGRES_ENV).is_some(),
            "MEND_REQUIRE_POSTGRES is set but {POSTGRES_ENV} is not"
        );
    }
    let mut all = vec![Backend::Sqlite];
    if std::env::var_os(POSTGRES_ENV).is_some() {
        all.push(Backend::Postgres);
    }
    all
}

impl ScratchDatabase {
    pub async fn new(backend: Backend) -> Result<Self, String> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
                let url = format!("sqlite://{}", dir.path().join("mend.db").display());
                Ok(Self {
                    url,
                    _dir: Some(dir),
                })
            }
            Backend::Postgres => {
                let admin = std::env::var(POSTGRES_ENV)
                    .map_err(|_| format!("{POSTGRES_ENV} is not set"))?;
                let name = format!("mend_test_{}", uuid::Uuid::now_v7().simple());
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .map_err(|e| e.to_string())?;
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .map_err(|e| e.to_string())?;
                conn.close().await.map_err(|e| e.to_string())?;
                let base = admin
                    .rsplit_once('/')
                    .map(|(base, _)| base)
                    .unwrap_or(&admin);
                Ok(Self {
                    url: format!("{base}/{name}"),
                    _dir: None,
                })
            }
        }
    }
}

impl crate::Db {
    /// For tests that check what is in the database: the count `sql` (a `SELECT COUNT(*)`
    /// with `$1`) gives for `id`.
    pub async fn count_for(&self, sql: &str, id: uuid::Uuid) -> Result<i64, mend_core::StoreError> {
        fetch_one!(scalar self, sql, id)
    }

    /// For tests that need a state Mend itself no longer makes (a database from before a
    /// change): runs the statement `sql` with `$1` bound to `id`, giving the rows it changed.
    pub async fn execute_for(
        &self,
        sql: &str,
        id: uuid::Uuid,
    ) -> Result<u64, mend_core::StoreError> {
        execute!(self, sql, id)
    }
}

impl crate::Db {
    /// For tests of notifications, which cannot wait for the hour a message is planned at:
    /// makes the person's pending "something waits" message due now, as the clock would.
    pub async fn make_notice_due(&self, person: uuid::Uuid) -> Result<u64, mend_core::StoreError> {
        execute!(
            self,
            "UPDATE mail_jobs SET due_at = 0 WHERE person_id = $1 AND kind = 'something_waits' \
             AND sent_at IS NULL AND gave_up_at IS NULL",
            person
        )
    }
}
