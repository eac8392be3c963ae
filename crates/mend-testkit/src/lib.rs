//! The real application on port 0 with a fresh database, and a small cookie-keeping client
//! that fills in CSRF tokens the way a browser's form would.

use std::sync::{Arc, Mutex};

/// The test-only SMTP receiver (issue 12).
pub mod smtp;
pub use smtp::SmtpSink;

use mend_crypto::ServerKey;
use mend_store::scratch::{Backend, ScratchDatabase};
use mend_store::Db;
use mend_web::WebConfig;
use reqwest::header::{HeaderMap, LOCATION};
use reqwest::redirect::Policy;
use reqwest::StatusCode;
use tokio::sync::oneshot;

pub use mend_store::scratch::{backends, Backend as StoreBackend};

/// A running Mend; stopped when dropped.
pub struct TestApp {
    pub base: String,
    pub backend: Backend,
    pub store: Arc<Db>,
    pub key_path: std::path::PathBuf,
    /// The database's URL, for a second instance on it.
    pub db_url: String,
    stop: Option<oneshot::Sender<()>>,
    /// `None` for a second instance, whose database belongs to the first.
    _scratch: Option<ScratchDatabase>,
    _dir: tempfile::TempDir,
}

/// Runs `test` once per backend: SQLite always, PostgreSQL when MEND_TEST_POSTGRES_URL is
/// set (see [`backends`]).
pub async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in backends() {
        test(TestApp::spawn(backend, |_| {}).await).await;
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend, adjust: impl FnOnce(&mut WebConfig)) -> Self {
        let scratch = ScratchDatabase::new(backend)
            .await
            .expect("a scratch database");
        let store = Arc::new(Db::connect(&scratch.url).await.expect("connect"));
        store.migrate().await.expect("migrate");
        let dir = tempfile::tempdir().expect("a data folder");
        Self::start(backend, scratch, store, dir, adjust).await
    }

    /// Mend on a database that already holds data (a restored backup, say), with a copy of
    /// the server key file at `key`.
    pub async fn on_database(
        backend: Backend,
        scratch: ScratchDatabase,
        key: &std::path::Path,
    ) -> Self {
        let store = Arc::new(Db::connect(&scratch.url).await.expect("connect"));
        store.migrate().await.expect("migrate");
        let dir = tempfile::tempdir().expect("a data folder");
        std::fs::copy(key, dir.path().join("server.key")).expect("copy the key");
        Self::start(backend, scratch, store, dir, |_| {}).await
    }

    /// Mend with mail on, through a new [`SmtpSink`], with a worker that looks every 50 ms and
    /// retries after 200 ms, 400 ms, … (four tries in all).
    pub async fn with_mail(backend: Backend) -> (Self, SmtpSink) {
        let sink = SmtpSink::start().await;
        let config = quick_mail(&sink);
        let app = Self::spawn(backend, |c| c.mail = Some(config)).await;
        (app, sink)
    }

    /// Another instance of Mend on this one's database (its own pool, the same key), as a
    /// second server behind a load balancer would be.
    pub async fn another_instance(&self, adjust: impl FnOnce(&mut WebConfig)) -> Self {
        let store = Arc::new(Db::connect(&self.db_url).await.expect("connect again"));
        let dir = tempfile::tempdir().expect("a data folder");
        std::fs::copy(&self.key_path, dir.path().join("server.key")).expect("copy the key");
        Self::start_on(self.backend, None, self.db_url.clone(), store, dir, adjust).await
    }

    async fn start(
        backend: Backend,
        scratch: ScratchDatabase,
        store: Arc<Db>,
        dir: tempfile::TempDir,
        adjust: impl FnOnce(&mut WebConfig),
    ) -> Self {
        let url = scratch.url.clone();
        Self::start_on(backend, Some(scratch), url, store, dir, adjust).await
    }

    async fn start_on(
        backend: Backend,
        scratch: Option<ScratchDatabase>,
        db_url: String,
        store: Arc<Db>,
        dir: tempfile::TempDir,
        adjust: impl FnOnce(&mut WebConfig),
    ) -> Self {
        let key_path = dir.path().join("server.key");
        let key = ServerKey::load_or_create(&key_path)
            .expect("server key")
            .key;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let base = format!("http://{addr}");
        let mut config = WebConfig {
            public_url: Some(base.clone()),
            ..WebConfig::default()
        };
        adjust(&mut config);
        let state = mend_web::state(store.clone(), key, config)
            .await
            .expect("the web state");
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = mend_web::serve(listener, state, async {
                let _ = stopped.await;
            })
            .await;
        });
        Self {
            base,
            backend,
            store,
            key_path,
            db_url,
            stop: Some(stop),
            _scratch: scratch,
            _dir: dir,
        }
    }

    /// A new browser: its own cookies, nothing shared with other browsers.
    pub fn browser(&self) -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .build()
                .expect("a client"),
            base: self.base.clone(),
            csrf: Arc::new(Mutex::new(None)),
        }
    }

    /// Two partners in one space: Alex created it and Sam joined by invitation; both have
    /// passed the safety check.
    pub async fn couple(&self) -> Couple {
        self.couple_as("alex@example.org", "sam@example.org").await
    }

    /// [`TestApp::couple`] under other addresses, for tests with many couples.
    pub async fn couple_as(&self, alex_email: &str, sam_email: &str) -> Couple {
        const PASSWORD: &str = "lantern-orchid-gravel-71";
        let alex = self.browser();
        alex.sign_up_safe("Alex", alex_email, PASSWORD).await;
        alex.get("/home").await;
        let space = alex
            .post("/spaces", &[])
            .await
            .location()
            .expect("a space")
            .to_owned();
        let form_id = alex.get(&space).await.field("form_id").expect("a form id");
        let link = alex
            .submit(
                &format!("{space}/invites"),
                &[("form_id", form_id.as_str())],
            )
            .await
            .value_of("invite-link-1")
            .expect("an invitation link");
        let code_path = link
            .strip_prefix(&self.base)
            .expect("a link here")
            .to_owned();
        let sam = self.browser();
        sam.sign_up_safe("Sam", sam_email, PASSWORD).await;
        sam.get(&code_path).await;
        sam.post(&code_path, &[]).await;
        Couple { alex, sam, space }
    }

    pub fn server_key(&self) -> ServerKey {
        ServerKey::load_or_create(&self.key_path)
            .expect("server key")
            .key
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Mail settings for the sink: plain SMTP on 127.0.0.1, a quick worker and quick retries.
pub fn quick_mail(sink: &SmtpSink) -> mend_web::mail::MailConfig {
    let mut config = mend_web::mail::MailConfig::parse(&sink.url(), "Mend <mend@example.org>")
        .expect("the sink's settings");
    config.poll = std::time::Duration::from_millis(50);
    config.send_timeout = std::time::Duration::from_secs(5);
    config.backoff = mend_core::mail::Backoff {
        first: mend_core::Duration(200),
        longest: mend_core::Duration(1_000),
        attempts: 4,
    };
    config
}

/// Two partners sharing a space, and the space's path.
pub struct Couple {
    pub alex: Browser,
    pub sam: Browser,
    pub space: String,
}

/// A breach form: `who` is "me" or "partner" as the person posting it sees it.
pub fn breach_form<'a>(
    who: &'a str,
    kind: &'a str,
    agreement: &'a str,
    light: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("who", who),
        ("kind", kind),
        ("agreement", agreement),
        ("began", "2025-01"),
        ("came_to_light_on", "2025-06"),
        ("came_to_light", light),
    ]
}

/// What came back from one request.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The value of the first `<input name="NAME" ... value="...">`-style field whose name
    /// is `name`, as the template wrote it.
    pub fn field(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.body.find(&marker)? + marker.len();
        let end = self.body[start..].find('"')?;
        Some(self.body[start..start + end].to_owned())
    }

    /// The `value` of the element with this `id`.
    pub fn value_of(&self, id: &str) -> Option<String> {
        let start = self.body.find(&format!("id=\"{id}\""))?;
        let rest = &self.body[start..];
        let tag_end = rest.find('>')?;
        let value_at = rest[..tag_end].find("value=\"")? + "value=\"".len();
        let end = rest[value_at..].find('"')?;
        Some(rest[value_at..value_at + end].to_owned())
    }

    pub fn contains(&self, text: &str) -> bool {
        self.body.contains(text)
    }

    /// The ids of the elements whose `id` is `{kind}-…`, in page order: a list's entries.
    pub fn ids_of(&self, kind: &str) -> Vec<String> {
        self.body
            .split(&format!("id=\"{kind}-"))
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .map(str::to_owned)
            .collect()
    }
}

/// A cookie-keeping client that, like a browser, sends forms with the token of the last page.
#[derive(Clone)]
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    csrf: Arc<Mutex<Option<String>>>,
}

impl Browser {
    /// This browser, with its cookies, talking to another instance of the same Mend, as a
    /// reverse proxy in front of several instances sends each request to any one of them.
    pub fn at(&self, app: &TestApp) -> Browser {
        Browser {
            client: self.client.clone(),
            base: app.base.clone(),
            csrf: Arc::new(Mutex::new(None)),
        }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        }
    }

    async fn read(&self, response: reqwest::Response) -> Page {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.expect("a body");
        let page = Page {
            status,
            headers,
            body,
        };
        if let Some(token) = page.field("csrf") {
            *self.csrf.lock().expect("csrf lock") = Some(token);
        }
        page
    }

    pub async fn get(&self, path: &str) -> Page {
        let response = self.client.get(self.url(path)).send().await.expect("GET");
        self.read(response).await
    }

    /// GET, following redirects on this site the way a browser would.
    pub async fn visit(&self, path: &str) -> Page {
        let mut page = self.get(path).await;
        for _ in 0..10 {
            match page.location() {
                Some(next)
                    if page.status.is_redirection() && !next.starts_with("http")
                        || next_is_local(&page, &self.base) =>
                {
                    let next = page.location().unwrap_or("/").to_owned();
                    page = self.get(&next).await;
                }
                _ => break,
            }
        }
        page
    }

    pub fn csrf(&self) -> String {
        self.csrf
            .lock()
            .expect("csrf lock")
            .clone()
            .unwrap_or_default()
    }

    /// POSTs a form with this browser's CSRF token, from this site's origin.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf();
        let mut form: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        form.extend_from_slice(fields);
        self.post_raw(path, &form, Some(&self.base.clone())).await
    }

    /// POSTs a form with no fields of its own — a button — and gives the status.
    pub async fn press(&self, path: &str) -> StatusCode {
        self.post(path, &[]).await.status
    }

    /// POSTs exactly `fields`, with the given `Origin` header (or none).
    pub async fn post_raw(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Page {
        let mut request = self.client.post(self.url(path)).form(fields);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let response = request.send().await.expect("POST");
        self.read(response).await
    }

    /// POSTs a form, then follows the redirect like a browser.
    pub async fn submit(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.post(path, fields).await;
        match page.location() {
            Some(next) if page.status.is_redirection() => {
                let next = next.to_owned();
                self.visit(&next).await
            }
            _ => page,
        }
    }

    /// Signs up (fetching the form first for its token) and answers the safety check with
    /// "no" to everything; returns the page that follows.
    pub async fn sign_up_safe(&self, name: &str, email: &str, password: &str) -> Page {
        self.sign_up(name, email, password, None).await;
        self.answer_safety("no").await
    }

    /// Signs up, then logs in from the page the sign-up leads to (signing up never logs in
    /// by itself); returns the page the log-in leads to.
    pub async fn sign_up(
        &self,
        name: &str,
        email: &str,
        password: &str,
        next: Option<&str>,
    ) -> Page {
        self.get("/signup").await;
        let next = next.unwrap_or("");
        let login = self
            .submit(
                "/signup",
                &[
                    ("name", name),
                    ("email", email),
                    ("password", password),
                    ("next", next),
                ],
            )
            .await;
        let next = login.field("next").unwrap_or_default();
        self.submit(
            "/login",
            &[("email", email), ("password", password), ("next", &next)],
        )
        .await
    }

    pub async fn answer_safety(&self, every_answer: &str) -> Page {
        let form = self.get("/safety").await;
        self.answer_safety_on(&form, every_answer).await
    }

    /// Answers the safety check shown on `form`, keeping where it was going to lead.
    pub async fn answer_safety_on(&self, form: &Page, every_answer: &str) -> Page {
        let next = form.field("next").unwrap_or_default();
        let fields: Vec<(&str, &str)> = [
            "afraid",
            "harmed",
            "threatened",
            "controlled",
            "unsafe_if_seen",
        ]
        .into_iter()
        .map(|q| (q, every_answer))
        .collect();
        let mut with_next = fields.clone();
        with_next.push(("next", next.as_str()));
        self.submit("/safety", &with_next).await
    }

    /// Records a breach in `space` and returns the path of its journey. Like a browser, it
    /// sends the id the form page carries.
    pub async fn record_breach(&self, space: &str, form: &[(&str, &str)]) -> String {
        let page = self.get(&format!("{space}/breaches/new")).await;
        let form_id = page.field("form_id").expect("a form id");
        let mut fields = form.to_vec();
        fields.push(("form_id", form_id.as_str()));
        self.post(&format!("{space}/breaches"), &fields)
            .await
            .location()
            .expect("a journey")
            .to_owned()
    }

    pub async fn log_in(&self, email: &str, password: &str) -> Page {
        self.get("/login").await;
        self.submit("/login", &[("email", email), ("password", password)])
            .await
    }
}

fn next_is_local(page: &Page, base: &str) -> bool {
    page.status.is_redirection() && page.location().is_some_and(|l| l.starts_with(base))
}
