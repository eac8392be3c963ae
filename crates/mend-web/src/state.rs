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
}

impl AppState {
    pub async fn new(
        store: Arc<dyn Store>,
        key: ServerKey,
        config: WebConfig,
    ) -> Result<Self, WebError> {
        Ok(Self {
            store,
            key: Arc::new(key),
            strings: Strings::english(),
            passwords: Passwords::new(config.password_hashes, config.password_wait)?,
            config: Arc::new(config),
        })
    }
}
