//! `mend-bench seed` writes a realistic history into a data folder or database that
//! `mend serve` then reads; `mend-bench ceiling` serves the minimal pages the bench compares
//! Mend's pages with. `scripts/bench` runs both; see docs/benchmarks.md.

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use mend_bench::seed::{self, History, Shape};
use mend_core::store::prelude::*;
use mend_core::{Email, Timestamp};
use mend_crypto::ServerKey;
use mend_store::Db;

#[derive(Parser)]
#[command(
    name = "mend-bench",
    about = "Seeds a history and serves the ceiling for scripts/bench"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes one couple with two years of history among many couples with a little, through
    /// the store, into an empty database; prints how to log in as the long couple.
    Seed(SeedArgs),
    /// Serves `/static` (a fixed page of about 2 KB) and `/one-row` (one row read through the
    /// store) until stopped.
    Ceiling(CeilingArgs),
}

/// Where the data is, the same flags and variables as `mend serve`.
#[derive(Args)]
struct Storage {
    /// Folder for the SQLite database and the server key file.
    #[arg(long, env = "MEND_DATA_DIR", default_value = "./mend-data")]
    data_dir: PathBuf,
    /// sqlite://PATH or postgres://USER:PASSWORD@HOST/DB; defaults to SQLite in the data folder.
    #[arg(long, env = "MEND_DATABASE_URL")]
    database_url: Option<String>,
}

impl Storage {
    fn url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("mend.db").display()))
    }

    /// The server key of the data folder (made with the folder when missing, owner only), and
    /// the migrated store.
    async fn open(&self) -> Result<(ServerKey, Db)> {
        if !self.data_dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&self.data_dir)
                .with_context(|| format!("could not create {}", self.data_dir.display()))?;
        }
        let key = ServerKey::load_or_create(&self.data_dir.join("server.key"))
            .context("could not read or make the server key")?
            .key;
        let db = Db::connect(&self.url())
            .await
            .context("could not open the database")?;
        db.migrate()
            .await
            .context("could not migrate the database")?;
        Ok((key, db))
    }
}

#[derive(Args)]
struct SeedArgs {
    #[command(flatten)]
    storage: Storage,
    /// How many couples besides the long one.
    #[arg(long, default_value_t = 10_000)]
    couples: usize,
    /// Couples written at once (default: 8 on SQLite, 16 on PostgreSQL: each pool's size).
    #[arg(long)]
    concurrency: Option<usize>,
    /// The random numbers' seed: the same seed writes the same texts and times.
    #[arg(long, default_value_t = 13)]
    seed: u64,
    /// Also writes the log-in and the paths as shell variables (BENCH_EMAIL, BENCH_PASSWORD,
    /// BENCH_SPACE, BENCH_JOURNEY, BENCH_SEED_SECONDS) to this file.
    #[arg(long)]
    env_file: Option<PathBuf>,
}

#[derive(Args)]
struct CeilingArgs {
    #[command(flatten)]
    storage: Storage,
    /// Address and port to listen on (`:0` picks a free port, printed at start).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// The account `/one-row` reads (by its id, looked up once at start).
    #[arg(long, default_value_t = seed::email("long", "a"))]
    email: String,
}

#[tokio::main]
async fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Seed(args) => seed_command(args).await,
        Command::Ceiling(args) => ceiling_command(args).await,
    }
}

async fn seed_command(args: SeedArgs) -> Result<()> {
    let (key, db) = args.storage.open().await?;
    if db
        .person_by_email(&key.lookup_hash("email", seed::email("long", "a").as_bytes()))
        .await?
        .is_some()
    {
        bail!("this database is seeded already: seed into a new data folder or database");
    }
    let backend = db.backend_name();
    let shape = Shape {
        long: History::two_years(),
        couples: args.couples,
        small: History::small(),
        concurrency: args
            .concurrency
            .unwrap_or(if backend == "sqlite" { 8 } else { 16 }),
        seed: args.seed,
    };
    let seeded = seed::seed(Arc::new(db), Arc::new(key), &shape, now()).await?;
    let long = &seeded.long;
    println!(
        "seeded the long couple and {} other couples on {backend} in {:.1} s",
        seeded.couples,
        seeded.took.as_secs_f64()
    );
    println!(
        "log in as {} (hurt partner) or {} (repairing partner), password {}",
        long.hurt_email,
        long.repairing_email,
        seed::PASSWORD
    );
    println!("space: {}", long.space_path());
    println!("journey: {}", long.journey_path());
    if let Some(path) = &args.env_file {
        write_env(path, &seeded)?;
    }
    Ok(())
}

fn write_env(path: &Path, seeded: &seed::Seeded) -> Result<()> {
    let long = &seeded.long;
    let text = format!(
        "BENCH_EMAIL={}\nBENCH_PASSWORD={}\nBENCH_SPACE={}\nBENCH_JOURNEY={}\nBENCH_SEED_SECONDS={:.1}\n",
        long.hurt_email,
        seed::PASSWORD,
        long.space_path(),
        long.journey_path(),
        seeded.took.as_secs_f64()
    );
    std::fs::write(path, text).with_context(|| format!("could not write {}", path.display()))
}

async fn ceiling_command(args: CeilingArgs) -> Result<()> {
    let (key, db) = args.storage.open().await?;
    let email = Email::parse(&args.email).map_err(|_| anyhow::anyhow!("not an e-mail address"))?;
    let Some(person) = db
        .person_by_email(&key.lookup_hash("email", email.as_str().as_bytes()))
        .await?
    else {
        bail!("no account {} in this database: seed it first", args.email);
    };
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("could not listen on {}", args.listen))?;
    println!("ceiling listening on http://{}", listener.local_addr()?);
    let app = mend_bench::ceiling::router(Arc::new(db), person.id);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

fn now() -> Timestamp {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Timestamp(millis)
}
