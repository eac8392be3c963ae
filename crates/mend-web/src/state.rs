//! State shared by every request.

use std::sync::Arc;

use mend_core::Store;
use mend_crypto::ServerKey;

use crate::config::WebConfig;
use crate::error::WebError;
use crate::passwords::Passwords;
use crate::strings::Strings;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub key: Arc<ServerKey>,
    pub config: Arc<WebConfig>,
    pub strings: &'static Strings,
    pub passwords: Passwords,
    /// Mail, when the operator configured it (issue 12).
    pub mail: Option<Arc<crate::mail::Mail>>,
}

impl AppState {
    pub async fn new(
        store: Arc<dyn Store>,
        key: ServerKey,
        config: WebConfig,
    ) -> Result<Self, WebError> {
        let mail = match &config.mail {
            Some(m) => Some(
                crate::mail::Mail::new(m.clone(), config.public_url.as_deref())
                    .map_err(WebError::internal)?,
            ),
            None => None,
        };
        Ok(Self {
            mail,
            store,
            key: Arc::new(key),
            strings: Strings::english(),
            passwords: Passwords::new(config.password_hashes, config.password_wait)?,
            config: Arc::new(config),
        })
    }
}
