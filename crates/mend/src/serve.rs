//! `mend serve`, `mend migrate` and `mend admin`: configuration, storage and the server key.

use std::net::{IpAddr, SocketAddr};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use mend_crypto::{KeyFile, ServerKey};
use mend_store::Db;
use mend_web::WebConfig;

/// Where Mend keeps its data.
#[derive(Args, Debug, Clone)]
pub struct StorageArgs {
    /// Folder for the SQLite database and the server key file.
    #[arg(long, env = "MEND_DATA_DIR", default_value = "./mend-data")]
    pub data_dir: PathBuf,
    /// sqlite://PATH or postgres://USER:PASSWORD@HOST/DB; defaults to SQLite in the data folder.
    #[arg(long, env = "MEND_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, env = "MEND_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The address people use to reach Mend, e.g. https://mend.example.org. Decides Secure
    /// cookies and the links in invitations.
    #[arg(long, env = "MEND_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Where the quick-exit button leads.
    #[arg(long, env = "MEND_EXIT_URL", default_value = WebConfig::DEFAULT_EXIT_URL)]
    pub exit_url: String,
    /// Without a public URL, a host name (besides IP addresses and localhost) that requests may
    /// be addressed to; repeat it, or separate names with commas.
    #[arg(
        long = "allowed-host",
        env = "MEND_ALLOWED_HOSTS",
        value_delimiter = ','
    )]
    pub allowed_hosts: Vec<String>,
    /// Address of a reverse proxy in front of Mend whose X-Forwarded-For names the client
    /// (comma-separated for several). Off by default: the connection's address is used.
    #[arg(long, env = "MEND_TRUSTED_PROXY", value_delimiter = ',')]
    pub trusted_proxy: Vec<IpAddr>,
    /// Mail server for Mend's messages (verification links, password resets):
    /// smtp://USER:PASSWORD@HOST:587 (STARTTLS), smtps://USER:PASSWORD@HOST:465 (TLS), or
    /// smtp://127.0.0.1:PORT without TLS for a relay on this machine. Unset: Mend sends no mail.
    #[arg(
        long,
        env = "MEND_SMTP_URL",
        hide_env_values = true,
        requires = "mail_from"
    )]
    pub smtp_url: Option<String>,
    /// The sender of Mend's messages, e.g. "Mend <mend@example.org>".
    #[arg(long, env = "MEND_MAIL_FROM", requires = "smtp_url")]
    pub mail_from: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum AdminTask {
    /// Print a one-time link (valid for an hour) that lets a person choose a new password.
    ResetPassword {
        /// The e-mail address of the account.
        email: String,
        #[command(flatten)]
        storage: StorageArgs,
        /// The address people use to reach Mend, for the link.
        #[arg(long, env = "MEND_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
}

fn init_logging() {
    // sqlx stays at warn: its statement logs are noise, and nothing user-written is ever in a
    // log line, whatever the level.
    let filter = tracing_subscriber::EnvFilter::try_from_env("MEND_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

impl StorageArgs {
    pub(crate) fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("mend.db").display()))
    }

    /// Creates the data folder (readable by its owner only) when missing.
    pub(crate) fn prepare_data_dir(&self) -> Result<()> {
        if !self.data_dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&self.data_dir)
                .with_context(|| {
                    format!(
                        "could not create the data folder {}",
                        self.data_dir.display()
                    )
                })?;
        }
        Ok(())
    }

    async fn open_store(&self) -> Result<Db> {
        self.prepare_data_dir()?;
        let db = Db::connect(&self.database_url())
            .await
            .context("could not open the database")?;
        db.migrate()
            .await
            .context("could not migrate the database")?;
        Ok(db)
    }

    fn server_key(&self) -> Result<KeyFile> {
        self.prepare_data_dir()?;
        let key = ServerKey::load_or_create(&key_path(&self.data_dir))?;
        if key.created {
            eprintln!(
                "A new server key was created at {}.\n\
                 BACK IT UP somewhere safe: without it, nothing written in Mend can be read again.",
                key.path.display()
            );
        }
        Ok(key)
    }
}

pub(crate) fn key_path(data_dir: &Path) -> PathBuf {
    data_dir.join("server.key")
}

pub async fn serve(args: ServeArgs) -> Result<()> {
    init_logging();
    let key = args.storage.server_key()?;
    let db = args.storage.open_store().await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("could not listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    let mail = match (&args.smtp_url, &args.mail_from) {
        (Some(url), Some(from)) => Some(mend_web::mail::MailConfig::parse(url, from)?),
        _ => None,
    };
    if mail.is_some() && args.public_url.is_none() {
        anyhow::bail!("mail (--smtp-url) needs --public-url, for the links in messages");
    }
    let mail_on = mail.is_some();
    let config = WebConfig {
        mail,
        public_url: args.public_url.clone(),
        exit_url: args.exit_url,
        allowed_hosts: args.allowed_hosts,
        trusted_proxies: args.trusted_proxy,
        ..WebConfig::default()
    };
    let state = mend_web::state(Arc::new(db), key.key, config)
        .await
        .context("could not prepare password hashing")?;
    println!("Mend is running at http://{address}");
    if let Some(url) = &args.public_url {
        println!("Public address: {url}");
    }
    tracing::info!(
        database = args.storage.backend_label(),
        mail = mail_on,
        "serving"
    );
    mend_web::serve(listener, state, shutdown_signal())
        .await
        .context("the server stopped with an error")?;
    tracing::info!("stopped");
    Ok(())
}

impl StorageArgs {
    fn backend_label(&self) -> &'static str {
        if self.database_url().starts_with("postgres") {
            "postgres"
        } else {
            "sqlite"
        }
    }
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
}

pub async fn migrate(args: StorageArgs) -> Result<()> {
    init_logging();
    args.open_store().await?;
    println!("The database is up to date ({}).", args.backend_label());
    Ok(())
}

pub async fn admin(task: AdminTask) -> Result<()> {
    match task {
        AdminTask::ResetPassword {
            email,
            storage,
            public_url,
        } => {
            let key = storage.server_key()?;
            let db = storage.open_store().await?;
            let link =
                mend_web::admin::password_reset_link(&db, &key.key, &email, &public_url).await?;
            println!(
                "Send this link to the account holder privately. It works once, for one hour:"
            );
            println!("{link}");
            Ok(())
        }
    }
}
