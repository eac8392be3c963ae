//! The connections under the HTTP server, so that even the refusals hyper writes by itself are
//! Mend pages.
//!
//! hyper answers a request it cannot even parse (an address over 64 KiB: 414; headers over its
//! buffer: 431; a malformed request line: 400) with an empty response and closes the
//! connection, before any of Mend's layers run. Such an answer is recognised as it is written,
//! by its shape (an error status, `content-length: 0`, `connection: close`, no content type:
//! every answer of Mend's own has one) and replaced with the same refusal rendered as a Mend
//! page, prepared once at start.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use axum::http::StatusCode;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::chrome::Chrome;
use crate::error::ErrorPage;
use crate::state::AppState;
use crate::views::MessagePage;

/// The statuses hyper answers by itself.
const BARE_STATUSES: [StatusCode; 3] = [
    StatusCode::BAD_REQUEST,
    StatusCode::URI_TOO_LONG,
    StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
];

/// Complete HTTP responses, one per status hyper answers by itself.
struct Refusals(HashMap<u16, Arc<[u8]>>);

impl Refusals {
    fn new(state: &AppState) -> Self {
        let chrome = Chrome {
            s: state.strings,
            csrf: String::new(),
            exit_url: state.config.exit_url.clone(),
            signed_in: false,
            waiting: None,
            zone: mend_core::Zone::utc(),
        };
        let mut responses = HashMap::new();
        for status in BARE_STATUSES {
            let error = ErrorPage::for_status(status);
            let page = MessagePage {
                title: state.strings.t(error.title).to_owned(),
                body: state.strings.t(error.body).to_owned(),
                chrome: chrome.clone(),
            };
            let Ok(body) = askama::Template::render(&page) else {
                continue;
            };
            let mut head = format!(
                "HTTP/1.1 {} {}\r\ncontent-type: text/html; charset=utf-8\r\n\
                 content-length: {}\r\nconnection: close\r\ncache-control: no-store\r\n",
                status.as_str(),
                status.canonical_reason().unwrap_or(""),
                body.len()
            );
            for (name, value) in crate::headers::security_headers(&state.config) {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let response: Vec<u8> = [head.as_bytes(), body.as_bytes()].concat();
            responses.insert(status.as_u16(), Arc::from(response));
        }
        Self(responses)
    }

    /// The page to write instead of `written`, when it is one of hyper's own bare refusals.
    fn instead_of(&self, written: &[u8]) -> Option<Arc<[u8]>> {
        let head = std::str::from_utf8(written.strip_suffix(b"\r\n\r\n")?).ok()?;
        let status = head
            .strip_prefix("HTTP/1.1 ")?
            .get(..3)?
            .parse::<u16>()
            .ok()?;
        let mut content_length_zero = false;
        let mut closes = false;
        for line in head.split("\r\n").skip(1) {
            let (name, value) = line.split_once(':')?;
            match (name.trim().to_ascii_lowercase().as_str(), value.trim()) {
                ("content-length", "0") => content_length_zero = true,
                ("connection", "close") => closes = true,
                ("content-type", _) => return None,
                _ => {}
            }
        }
        (content_length_zero && closes)
            .then(|| self.0.get(&status).cloned())
            .flatten()
    }
}

/// A listener whose connections put Mend pages in place of hyper's bare refusals.
pub struct Listener {
    inner: TcpListener,
    refusals: Arc<Refusals>,
}

impl Listener {
    pub fn new(inner: TcpListener, state: &AppState) -> Self {
        Self {
            inner,
            refusals: Arc::new(Refusals::new(state)),
        }
    }
}

impl axum::serve::Listener for Listener {
    type Io = Connection;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Connection, SocketAddr) {
        let (stream, address) = axum::serve::Listener::accept(&mut self.inner).await;
        let connection = Connection {
            stream,
            refusals: self.refusals.clone(),
            replacing: None,
        };
        (connection, address)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

pub struct Connection {
    stream: TcpStream,
    refusals: Arc<Refusals>,
    /// A page being written in place of a bare refusal, and how much of it has gone.
    replacing: Option<(Arc<[u8]>, usize)>,
}

impl AsyncRead for Connection {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.replacing.is_none() {
            match this.refusals.instead_of(buf) {
                Some(page) => this.replacing = Some((page, 0)),
                None => return Pin::new(&mut this.stream).poll_write(cx, buf),
            }
        }
        // hyper is told its own answer was written once the whole page has been.
        while let Some((page, sent)) = &mut this.replacing {
            if *sent == page.len() {
                this.replacing = None;
                return Poll::Ready(Ok(buf.len()));
            }
            let n = ready!(Pin::new(&mut this.stream).poll_write(cx, &page[*sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *sent += n;
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    // Left unvectored, so that hyper hands each response head over as one buffer that can be
    // recognised.
    fn is_write_vectored(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusals() -> Refusals {
        let page: Arc<[u8]> = Arc::from(&b"page"[..]);
        Refusals(HashMap::from([(414, page)]))
    }

    #[test]
    fn only_hypers_own_empty_refusals_are_replaced() {
        let bare = b"HTTP/1.1 414 URI Too Long\r\nconnection: close\r\ncontent-length: 0\r\n\
                     date: Tue, 01 Dec 2026 15:06:24 GMT\r\n\r\n";
        assert_eq!(refusals().instead_of(bare).as_deref(), Some(&b"page"[..]));
        for other in [
            &b"HTTP/1.1 414 URI Too Long\r\ncontent-type: text/html\r\nconnection: close\r\n\
               content-length: 0\r\n\r\n"[..],
            b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 414 URI Too Long\r\nconnection: close\r\ncontent-length: 0\r\n",
            b"<html>HTTP/1.1 414\r\n\r\n",
        ] {
            assert!(refusals().instead_of(other).is_none());
        }
    }
}
