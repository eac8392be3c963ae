//! A small SMTP receiver on 127.0.0.1, for tests only: it speaks just enough SMTP for lettre
//! (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS, no AUTH), keeps every message it is
//! given, and can be told to refuse the next few for a while (a `451`, which a sender should
//! try again later), or to hang: take connections and never answer, as a stuck server does.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One message as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body, as sent (lines joined by `\n`, dot-stuffing undone).
    pub data: String,
}

impl Received {
    /// The `Subject:` header.
    pub fn subject(&self) -> Option<&str> {
        self.data
            .lines()
            .take_while(|l| !l.is_empty())
            .find_map(|l| l.strip_prefix("Subject: "))
    }

    /// The first `https?://...` address in the body that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let start = self.data.find(prefix)?;
        let rest = &self.data[start..];
        let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
        Some(rest[..end].to_owned())
    }
}

#[derive(Default)]
struct Inner {
    received: Mutex<Vec<Received>>,
    /// How many transactions to refuse (451) before accepting again.
    refuse: AtomicUsize,
    refused: AtomicUsize,
    /// Take connections and never say a word.
    hang: AtomicBool,
}

/// The running receiver; it stops when the test's runtime does.
#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    inner: Arc<Inner>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind SMTP");
        let port = listener.local_addr().expect("address").port();
        let inner = Arc::new(Inner::default());
        let serving = inner.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let inner = serving.clone();
                tokio::spawn(async move {
                    let _ = session(stream, &inner).await;
                });
            }
        });
        Self { port, inner }
    }

    /// `smtp://127.0.0.1:PORT`, for `MailConfig::parse`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Refuses the next `n` messages with a temporary failure.
    pub fn refuse_next(&self, n: usize) {
        self.inner.refuse.store(n, Ordering::SeqCst);
    }

    /// From now on, takes each new connection and never answers on it (`false`: answers
    /// again).
    pub fn hang(&self, hang: bool) {
        self.inner.hang.store(hang, Ordering::SeqCst);
    }

    /// How many messages were refused so far.
    pub fn refused(&self) -> usize {
        self.inner.refused.load(Ordering::SeqCst)
    }

    pub fn received(&self) -> Vec<Received> {
        self.inner.received.lock().expect("sink lock").clone()
    }

    /// The messages sent to `address`.
    pub fn to(&self, address: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(address)))
            .collect()
    }

    /// Waits (up to ten seconds) until `address` has received `n` messages, and gives them.
    pub async fn wait_for(&self, address: &str, n: usize) -> Vec<Received> {
        for _ in 0..200 {
            let got = self.to(address);
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "{address} received {} messages, not {n}",
            self.to(address).len()
        );
    }
}

fn angle(arg: &str) -> String {
    let arg = arg.trim();
    let start = arg.find('<').map_or(0, |i| i + 1);
    let end = arg[start..].find('>').map_or(arg.len(), |i| start + i);
    arg[start..end].to_owned()
}

async fn session(stream: TcpStream, inner: &Inner) -> std::io::Result<()> {
    if inner.hang.load(Ordering::SeqCst) {
        let _held = stream;
        return std::future::pending().await;
    }
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write
        .write_all(b"220 sink.test ESMTP test-only\r\n")
        .await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            write
                .write_all(b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                .await?;
        } else if upper.starts_with("HELO") {
            write.write_all(b"250 sink.test\r\n").await?;
        } else if upper.starts_with("MAIL FROM:") {
            let refuse = inner.refuse.load(Ordering::SeqCst);
            if refuse > 0 {
                inner.refuse.store(refuse - 1, Ordering::SeqCst);
                inner.refused.fetch_add(1, Ordering::SeqCst);
                write.write_all(b"451 4.3.0 try again later\r\n").await?;
                continue;
            }
            from = angle(&command[10..]);
            to.clear();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO:") {
            to.push(angle(&command[8..]));
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "DATA" {
            write.write_all(b"354 go on\r\n").await?;
            let mut data = Vec::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                let l = line.trim_end_matches(['\r', '\n']);
                if l == "." {
                    break;
                }
                data.push(l.strip_prefix('.').unwrap_or(l).to_owned());
            }
            inner.received.lock().expect("sink lock").push(Received {
                from: std::mem::take(&mut from),
                to: std::mem::take(&mut to),
                data: data.join("\n"),
            });
            write.write_all(b"250 OK queued\r\n").await?;
        } else if upper == "RSET" || upper == "NOOP" {
            from.clear();
            to.clear();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            write.write_all(b"502 not here\r\n").await?;
        }
    }
}
