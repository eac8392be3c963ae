//! `mend backup` and `mend restore`: the files and the messages around the store's
//! [`mend_store::backup`].

use std::fs::{File, OpenOptions};
use std::io::{BufReader, BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};
use clap::Args;
use mend_crypto::{Sealed, ServerKey, WrappedKey};
use mend_store::backup::keys::Departed;
use mend_store::backup::{Backup, BackupError, Value};
use mend_store::Db;

use crate::serve::{key_path, StorageArgs};

#[derive(Args, Debug)]
pub struct BackupArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// The file to write (readable by its owner only). An existing file of that name is
    /// replaced only once the new backup is complete.
    #[arg(long)]
    pub to: PathBuf,
    /// Where to write the keys file, which the backup needs to be read (by default the
    /// backup's name followed by `.keys`). Keep it apart from the data file, and only for a
    /// short time: see docs/operations.md.
    #[arg(long)]
    pub keys_to: Option<PathBuf>,
}

/// The keys file that goes with the data file `data` unless another is named.
fn keys_file(data: &Path, named: Option<&PathBuf>) -> PathBuf {
    named.cloned().unwrap_or_else(|| {
        let mut name = data.as_os_str().to_owned();
        name.push(".keys");
        PathBuf::from(name)
    })
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// The backup file to read.
    #[arg(long)]
    pub from: PathBuf,
    /// The keys file taken with the backup, or a later one (by default the backup's name
    /// followed by `.keys`).
    #[arg(long)]
    pub keys: Option<PathBuf>,
    /// Restore into a database that already holds Mend data: everything in it is deleted
    /// and replaced by the backup, in one transaction. Without it, only an empty database
    /// is restored into.
    #[arg(long)]
    pub replace: bool,
}

/// The SQLite file a `sqlite:` URL names, if it names one.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

pub async fn backup(args: BackupArgs) -> Result<()> {
    let url = args.storage.database_url();
    // Connecting to SQLite creates a missing file; a backup must not create an empty
    // database where the operator expected theirs.
    if let Some(path) = sqlite_path(&url) {
        if !path.exists() {
            bail!(
                "there is no database at {}; give the --data-dir (or --database-url) that \
                 mend serve uses",
                path.display()
            );
        }
    }
    let db = Db::connect(&url)
        .await
        .context("could not open the database")?;
    let taken_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    let mut data = Pending::create(&args.to)?;
    let written = db
        .backup(&mut data.out, taken_at)
        .await
        .context("the backup failed");
    let summary = data.finish(written)?;
    // The keys are read after the data, so they open all of it: whoever signed up meanwhile
    // has a key too many, which does no harm.
    let keys_to = keys_file(&args.to, args.keys_to.as_ref());
    let mut keys_file = Pending::create(&keys_to)?;
    let written = db
        .backup_keys(&mut keys_file.out, taken_at)
        .await
        .context("the keys file could not be written");
    let keys = keys_file.finish(written)?;
    db.close().await;
    println!(
        "Backed up {} rows of {} tables (schema version {}) to {}.",
        summary.rows,
        summary.tables,
        summary.schema_version,
        args.to.display()
    );
    println!(
        "The {keys} data keys are in {}: the backup opens only with it (or a later keys \
         file). Store it apart from the backup and keep keys files only for a short time \
         (docs/operations.md): a deleted account's words stay readable in older backups for \
         as long as a keys file from before the deletion exists.",
        keys_to.display()
    );
    let key = key_path(&args.storage.data_dir);
    println!(
        "The server key is NOT in the backup. Keep a copy of the key file separately: \
         without it, nothing in the backup can be read."
    );
    if key.exists() {
        println!("This Mend's key file is {}.", key.display());
    } else {
        println!(
            "No key file was found at {}: if mend serve runs with another --data-dir, its \
             key file (server.key) is there.",
            key.display()
        );
    }
    Ok(())
}

/// A file being written under a temporary name next to its target (mode 0600: it holds
/// sealed user data or keys), renamed to the target once complete, so that the name only ever
/// holds a complete file.
struct Pending {
    temporary: PathBuf,
    folder: PathBuf,
    target: PathBuf,
    out: BufWriter<File>,
}

impl Pending {
    fn create(target: &Path) -> Result<Self> {
        let name = target
            .file_name()
            .with_context(|| format!("{} is not a file name", target.display()))?;
        let folder = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let temporary = folder.join(format!(
            ".{}.{}.partial",
            name.to_string_lossy(),
            std::process::id()
        ));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temporary)
            .with_context(|| format!("could not create {}", temporary.display()))?;
        Ok(Self {
            temporary,
            folder,
            target: target.to_path_buf(),
            out: BufWriter::new(file),
        })
    }

    /// Puts the file in place if `written` succeeded; removes it otherwise.
    fn finish<T>(self, written: Result<T>) -> Result<T> {
        let done = written.and_then(|t| finish(self.out).map(|()| t));
        match done {
            Ok(t) => {
                std::fs::rename(&self.temporary, &self.target).with_context(|| {
                    format!(
                        "could not move the file into place at {}",
                        self.target.display()
                    )
                })?;
                if let Ok(dir) = File::open(&self.folder) {
                    let _ = dir.sync_all();
                }
                Ok(t)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&self.temporary);
                Err(e)
            }
        }
    }
}

fn now() -> mend_core::Timestamp {
    mend_core::Timestamp(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0),
    )
}

/// Flushes the file and waits until it is on disk.
fn finish(mut out: BufWriter<File>) -> Result<()> {
    out.flush().context("could not write the backup file")?;
    out.get_ref()
        .sync_all()
        .context("could not write the backup file")?;
    Ok(())
}

pub async fn restore(args: RestoreArgs) -> Result<()> {
    let file = File::open(&args.from)
        .with_context(|| format!("could not open the backup file {}", args.from.display()))?;
    let mut backup = Backup::read(&mut BufReader::new(file))
        .with_context(|| format!("{} cannot be restored", args.from.display()))?;
    let departed = if backup.keys_apart() {
        let path = keys_file(&args.from, args.keys.as_ref());
        let file = File::open(&path)
            .map_err(|_| BackupError::KeysMissing)
            .with_context(|| format!("there is no keys file at {}", path.display()))?;
        let keys = Backup::read_keys(&mut BufReader::new(file))
            .with_context(|| format!("{} cannot be used", path.display()))?;
        backup
            .with_keys(&keys)
            .with_context(|| format!("{} cannot be restored", args.from.display()))?
    } else {
        Departed::default()
    };
    args.storage.prepare_data_dir()?;
    let db = Db::connect(&args.storage.database_url())
        .await
        .context("could not open the database")?;
    let restored = match args.replace {
        true => db.restore_replacing(&backup).await,
        false => db.restore(&backup).await,
    };
    let summary = restored.context("nothing was restored")?;
    // Whoever was deleted or left after the backup was taken goes again.
    db.forget_departed(&departed, now())
        .await
        .context("the restore is in, but deleting again what was deleted since it failed")?;
    db.close().await;
    println!(
        "Restored {} rows of {} tables from a backup of a {} database (schema version {}).",
        summary.rows, summary.tables, backup.header.backend, summary.schema_version
    );
    if !departed.is_empty() {
        println!(
            "{} accounts deleted and {} departures from a space since the backup was taken \
             were made again: their words could not be opened any more.",
            departed.people.len(),
            departed.leavers.len()
        );
    }
    let key = key_path(&args.storage.data_dir);
    if !key.exists() {
        println!(
            "There is no key file at {} yet. Copy the server key this backup was taken with \
             there (mode 0600) BEFORE you start mend serve: otherwise serve creates a new key, \
             and a new key cannot open any of this data.",
            key.display()
        );
        return Ok(());
    }
    let server_key = ServerKey::load_or_create(&key)
        .with_context(|| format!("could not read the key file {}", key.display()))?
        .key;
    match key_opens(&backup, &server_key) {
        Some(true) => println!("The server key at {} opens this data.", key.display()),
        Some(false) => println!(
            "WARNING: the server key at {} does NOT open this data: it is not the key this \
             backup was taken with. Put that key there before you start mend serve.",
            key.display()
        ),
        None => println!(
            "Mend reads this data only with the server key it was written with: the key at {} \
             must be that key.",
            key.display()
        ),
    }
    Ok(())
}

/// Whether `key` unwraps the first restored person's data key; `None` when there is nobody.
fn key_opens(backup: &Backup, key: &ServerKey) -> Option<bool> {
    let people = backup.tables.iter().find(|t| t.name == "people")?;
    let at = |name: &str| people.columns.iter().position(|c| c.name == name);
    let (id_at, wrapped_at) = (at("id")?, at("wrapped_key")?);
    // The first person with a key (an emptied account has none).
    let row = people
        .rows
        .iter()
        .find(|r| matches!(&r[wrapped_at], Value::Bytes(b) if !b.is_empty()))?;
    let (Value::Bytes(id), Value::Bytes(wrapped)) = (&row[id_at], &row[wrapped_at]) else {
        return Some(false);
    };
    let Ok(owner) = uuid::Uuid::from_slice(id) else {
        return Some(false);
    };
    let wrapped = WrappedKey(Sealed::from_stored(wrapped.clone()));
    Some(key.unwrap_key(owner, &wrapped).is_ok())
}
