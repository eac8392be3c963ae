//! The `mend` binary as a newcomer runs it: serve with defaults in a fresh folder, migrate,
//! and the admin reset link.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::process::{Child, Command, Stdio};

fn mend() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mend"));
    // The tests choose every setting themselves.
    for var in [
        "MEND_LISTEN",
        "MEND_DATA_DIR",
        "MEND_DATABASE_URL",
        "MEND_PUBLIC_URL",
        "MEND_EXIT_URL",
        "MEND_SMTP_URL",
        "MEND_MAIL_FROM",
    ] {
        command.env_remove(var);
    }
    command
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http_get(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn serve_creates_the_data_folder_and_key_and_prints_its_address() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = mend()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let server = Server(child);
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).unwrap();
    let address = first
        .trim()
        .strip_prefix("Mend is running at http://")
        .unwrap_or_else(|| panic!("unexpected first line: {first:?}"))
        .to_owned();

    let response = http_get(&address, "/healthz");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with(r#"{"status":"ok"}"#));

    let data = dir.path().join("mend-data");
    assert!(data.join("mend.db").exists());
    let key = data.join("server.key");
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    drop(server);
    let mut warnings = String::new();
    BufReader::new(stderr)
        .read_to_string(&mut warnings)
        .unwrap();
    assert!(
        warnings.contains("server.key") && warnings.contains("BACK IT UP"),
        "{warnings}"
    );
}

#[test]
fn migrate_prepares_a_database_and_can_run_again() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let out = mend()
            .args(["migrate", "--data-dir"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("up to date (sqlite)"));
    }
}

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = mend()
        .args(["migrate", "--database-url", "mysql://x", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("sqlite:// or postgres://"));
}

#[test]
fn reset_password_for_an_unknown_address_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = mend()
        .args([
            "admin",
            "reset-password",
            "nobody@example.org",
            "--data-dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no account has that e-mail address"));
}

/// Mail settings (issue 12): refused with a reason that never repeats the password.
#[test]
fn mail_settings_are_checked_and_the_password_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let serve = |extra: &[&str]| {
        let out = mend()
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path())
            .args(extra)
            .output()
            .unwrap();
        assert!(!out.status.success());
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!said.contains("hunter2secret"), "{said}");
        said
    };
    let no_public = serve(&[
        "--smtp-url",
        "smtp://me:hunter2secret@mail.example.org:587",
        "--mail-from",
        "Mend <mend@example.org>",
    ]);
    assert!(no_public.contains("needs --public-url"), "{no_public}");
    let scheme = serve(&[
        "--smtp-url",
        "ftp://me:hunter2secret@mail.example.org",
        "--mail-from",
        "mend@example.org",
        "--public-url",
        "https://mend.example.org",
    ]);
    assert!(scheme.contains("must start with smtp://"), "{scheme}");
    let alone = serve(&["--smtp-url", "smtp://me:hunter2secret@mail.example.org"]);
    assert!(alone.contains("--mail-from"), "{alone}");
}
