//! `mend backup` and `mend restore` as the operator runs them: the file they write, and what
//! they refuse.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

fn mend(args: &[&str], dir: &Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mend"));
    for var in ["MEND_DATA_DIR", "MEND_DATABASE_URL", "MEND_LOG"] {
        command.env_remove(var);
    }
    command
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run mend")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_backup_is_private_names_the_key_and_restores_into_an_empty_database_only() {
    let dir = tempfile::tempdir().unwrap();
    let at = dir.path();
    assert!(mend(&["migrate", "--data-dir", "live"], at)
        .status
        .success());
    std::fs::write(at.join("live/server.key"), [0u8; 32]).unwrap();

    let out = mend(
        &["backup", "--data-dir", "live", "--to", "nightly.mend"],
        at,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("The server key is NOT in the backup"),
        "{said}"
    );
    assert!(said.contains("live/server.key"), "{said}");
    let file = at.join("nightly.mend");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let content = std::fs::read_to_string(&file).unwrap();
    assert!(content.starts_with("{\"format\":\"mend-backup\",\"version\":2,"));
    assert!(!content.contains("server.key"));
    // The data keys are in a file of their own, as private, named after the backup.
    assert!(said.contains("nightly.mend.keys"), "{said}");
    let keys = at.join("nightly.mend.keys");
    let mode = std::fs::metadata(&keys).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let content = std::fs::read_to_string(&keys).unwrap();
    assert!(content.starts_with("{\"format\":\"mend-backup-keys\",\"version\":2,"));
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(at)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".partial")), "{names:?}");

    // A second backup to the same name replaces it, still private.
    assert!(mend(
        &["backup", "--data-dir", "live", "--to", "nightly.mend"],
        at
    )
    .status
    .success());
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    let out = mend(
        &["restore", "--data-dir", "new", "--from", "nightly.mend"],
        at,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("new/server.key"));
    // The restored database is ready to serve: migrate finds nothing to do.
    assert!(mend(&["migrate", "--data-dir", "new"], at).status.success());
}

#[test]
fn restore_refuses_a_database_with_data_another_file_and_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let at = dir.path();
    assert!(mend(&["migrate", "--data-dir", "live"], at)
        .status
        .success());
    assert!(
        mend(&["backup", "--data-dir", "live", "--to", "b.mend"], at)
            .status
            .success()
    );

    // A database that holds a person: put one in through a restore, then try again.
    with_one_person(&at.join("b.mend"), &at.join("one.mend"));
    let out = mend(&["restore", "--data-dir", "full", "--from", "one.mend"], at);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("There is no key file at full/server.key yet"),
        "{said}"
    );
    assert!(
        !at.join("full/server.key").exists(),
        "restore creates no key"
    );
    // A key that is not the one the data was sealed with is named as such.
    assert!(mend(&["migrate", "--data-dir", "keyed"], at)
        .status
        .success());
    let _serve_made_a_key = mend(
        &["admin", "reset-password", "x@y.org", "--data-dir", "keyed"],
        at,
    );
    assert!(at.join("keyed/server.key").exists());
    let out = mend(
        &["restore", "--data-dir", "keyed", "--from", "one.mend"],
        at,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("does NOT open this data"));

    let out = mend(&["restore", "--data-dir", "full", "--from", "b.mend"], at);
    assert!(!out.status.success());
    let said = text(&out.stderr);
    assert!(said.contains("already holds Mend data"), "{said}");
    assert!(said.contains("new, empty"), "{said}");
    assert!(said.contains("--replace"), "{said}");
    // Asked to replace, it does: the one person's database becomes the empty backup's.
    let out = mend(
        &[
            "restore",
            "--data-dir",
            "full",
            "--from",
            "b.mend",
            "--replace",
        ],
        at,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        mend(&["backup", "--data-dir", "full", "--to", "after.mend"], at)
            .status
            .success()
    );
    let rows = |file: &str| {
        std::fs::read_to_string(at.join(file))
            .unwrap()
            .lines()
            .filter(|l| l.starts_with('['))
            .count()
    };
    assert_eq!(
        rows("after.mend"),
        rows("b.mend"),
        "no row of the person is left"
    );

    std::fs::write(at.join("notes.txt"), "my shopping list\n").unwrap();
    let out = mend(
        &["restore", "--data-dir", "other", "--from", "notes.txt"],
        at,
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("not a Mend backup"));
    assert!(
        !at.join("other").exists(),
        "a refused file touches no database"
    );

    let out = mend(
        &["restore", "--data-dir", "other", "--from", "missing.mend"],
        at,
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("could not open the backup file missing.mend"));

    let cut: String = std::fs::read_to_string(at.join("b.mend"))
        .unwrap()
        .lines()
        .take(4)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(at.join("cut.mend"), cut).unwrap();
    let out = mend(
        &["restore", "--data-dir", "other", "--from", "cut.mend"],
        at,
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("cut off"));

    // A backup opens only with its keys file, or a later one.
    let out = mend(
        &[
            "restore",
            "--data-dir",
            "other",
            "--from",
            "b.mend",
            "--keys",
            "none.keys",
        ],
        at,
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("there is no keys file at none.keys"));
    std::thread::sleep(std::time::Duration::from_millis(5));
    assert!(
        mend(&["backup", "--data-dir", "live", "--to", "later.mend"], at)
            .status
            .success()
    );
    let out = mend(
        &[
            "restore",
            "--data-dir",
            "other",
            "--from",
            "later.mend",
            "--keys",
            "b.mend.keys",
        ],
        at,
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("taken before the backup"));
    assert!(!at.join("other").exists());
    let out = mend(
        &[
            "restore",
            "--data-dir",
            "other",
            "--from",
            "b.mend",
            "--keys",
            "later.mend.keys",
        ],
        at,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// Writes to `to` (and its keys file) the backup `from` with one person added (whose wrapped
/// key no key opens).
fn with_one_person(from: &Path, to: &Path) {
    let keys_of = |p: &Path| {
        let mut name = p.as_os_str().to_owned();
        name.push(".keys");
        std::path::PathBuf::from(name)
    };
    let mut keys = std::fs::read_to_string(keys_of(from)).unwrap();
    let people = keys
        .lines()
        .find(|l| l.starts_with("{\"table\":\"people\""))
        .unwrap()
        .to_owned();
    keys = keys.replacen(
        &people,
        &format!("{people}\n[\"AAAAAAAAAAAAAAAAAAAAAA==\",\"AQ==\"]"),
        1,
    );
    keys = keys.replacen("\"rows\":0", "\"rows\":1", 1);
    std::fs::write(keys_of(to), keys).unwrap();
    let mut backup = std::fs::read_to_string(from).unwrap();
    // The wrapped key (the sixth value) is in the keys file. The last values are
    // `email_verified_at` (migration 0016), `time_zone` (0018) and `counsellor_since` (0024).
    let person =
        "[\"AAAAAAAAAAAAAAAAAAAAAA==\",\"AQ==\",\"AQ==\",\"AQ==\",\"hash\",\"\",null,1,null,null,null]";
    let people = backup
        .lines()
        .find(|l| l.starts_with("{\"table\":\"people\""))
        .unwrap()
        .to_owned();
    backup = backup.replacen(&people, &format!("{people}\n{person}"), 1);
    backup = backup.replacen("\"rows\":0", "\"rows\":1", 1);
    std::fs::write(to, backup).unwrap();
}

#[test]
fn backup_refuses_a_database_that_is_not_there_and_creates_none() {
    let dir = tempfile::tempdir().unwrap();
    let at = dir.path();
    let out = mend(&["backup", "--data-dir", "nowhere", "--to", "b.mend"], at);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("there is no database at nowhere/mend.db"));
    assert!(!at.join("nowhere").exists());
    assert!(!at.join("b.mend").exists());
}

/// On PostgreSQL (when the tests have one): a backup through `--database-url`, and a SQLite
/// backup restored into PostgreSQL and back, all through the binary.
#[tokio::test]
async fn backups_move_between_sqlite_and_postgresql_through_the_binary() {
    use mend_store::scratch::{backends, Backend, ScratchDatabase};
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let at = dir.path();
    assert!(mend(&["migrate", "--data-dir", "live"], at)
        .status
        .success());
    assert!(
        mend(&["backup", "--data-dir", "live", "--to", "empty.mend"], at)
            .status
            .success()
    );
    with_one_person(&at.join("empty.mend"), &at.join("sqlite.mend"));
    let postgres = ScratchDatabase::new(Backend::Postgres).await.unwrap();
    let url = postgres.url.as_str();
    let out = mend(
        &[
            "restore",
            "--database-url",
            url,
            "--data-dir",
            "pg",
            "--from",
            "sqlite.mend",
        ],
        at,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("from a backup of a sqlite database"));
    let out = mend(&["backup", "--database-url", url, "--to", "pg.mend"], at);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let content = std::fs::read_to_string(at.join("pg.mend")).unwrap();
    assert!(content.contains("\"backend\":\"postgres\""));
    assert!(content.contains("\"rows\":1"), "the person came along");
    let out = mend(&["restore", "--database-url", url, "--from", "pg.mend"], at);
    assert!(!out.status.success(), "a restore into itself is refused");
    assert!(text(&out.stderr).contains("already holds Mend data"));
    let out = mend(&["restore", "--data-dir", "back", "--from", "pg.mend"], at);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Restored 1 rows"));
}

/// Ends the server when the test ends, however it ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_backup_is_taken_while_mend_serve_runs_on_the_same_sqlite_file() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let at = dir.path();
    let mut command = Command::new(env!("CARGO_BIN_EXE_mend"));
    for var in ["MEND_DATA_DIR", "MEND_DATABASE_URL", "MEND_LISTEN"] {
        command.env_remove(var);
    }
    let mut child = command
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir", "live"])
        .current_dir(at)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _server = Server(child);
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).unwrap();
    assert!(first.starts_with("Mend is running at"), "{first}");

    let out = mend(&["backup", "--data-dir", "live", "--to", "b.mend"], at);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("This Mend's key file is live/server.key."));
    let out = mend(&["restore", "--data-dir", "copy", "--from", "b.mend"], at);
    assert!(out.status.success(), "{}", text(&out.stderr));
}
