//! Password hashing with Argon2id, always off the async threads, a bounded number at once.
//!
//! Each hash needs 19 MiB. Without a bound, a crowd of anonymous log-ins would each take that
//! much at the same time; and since glibc keeps freed blocks of that size in its arenas, the
//! memory would not come back. So at most `password_hashes` run at once, each with one of as
//! many buffers that are kept and reused: the memory Mend ever uses for hashing is that many
//! times 19 MiB. Requests beyond that wait `password_wait`, then get the busy page.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

use crate::error::WebError;

/// Hashes and verifies passwords. Holds a hash of a random password so that checking an
/// unknown e-mail address costs the same time as checking a wrong password.
#[derive(Clone)]
pub struct Passwords {
    inner: Arc<Inner>,
}

struct Inner {
    decoy: String,
    permits: Arc<Semaphore>,
    /// Argon2's working memory, one buffer per hash running; never more than `permits`.
    memory: Mutex<Vec<Vec<Block>>>,
    wait: Duration,
}

impl Passwords {
    /// `at_once` hashes may run together; others wait up to `wait` for one of them to end.
    /// Fails when the decoy hash cannot be made: without it, unknown addresses would answer
    /// at once and so tell themselves apart.
    pub fn new(at_once: usize, wait: Duration) -> Result<Self, WebError> {
        let decoy_password = SaltString::generate(&mut OsRng).to_string();
        let mut memory = fresh_memory();
        let decoy = hash_with(decoy_password.as_bytes(), &mut memory)
            .map_err(|e| WebError::internal(format!("the decoy password hash failed: {e}")))?;
        let memory = if at_once > 0 {
            vec![memory]
        } else {
            Vec::new()
        };
        Ok(Self {
            inner: Arc::new(Inner {
                decoy,
                permits: Arc::new(Semaphore::new(at_once)),
                memory: Mutex::new(memory),
                wait,
            }),
        })
    }

    /// Runs `job` on a blocking thread with a hash's working memory, once a hash is free.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut [Block]) -> T + Send + 'static,
    ) -> Result<T, WebError> {
        let permit =
            tokio::time::timeout(self.inner.wait, self.inner.permits.clone().acquire_owned())
                .await
                .map_err(|_| WebError::Busy)?
                .map_err(|_| WebError::internal("the password hashing queue was closed"))?;
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            // The permit is held until the memory is back in the pool, even when the request
            // that asked has gone away meanwhile.
            let _permit = permit;
            let mut memory = inner
                .memory
                .lock()
                .ok()
                .and_then(|mut pool| pool.pop())
                .unwrap_or_else(fresh_memory);
            let result = job(&mut memory);
            if let Ok(mut pool) = inner.memory.lock() {
                pool.push(memory);
            }
            result
        })
        .await
        .map_err(|e| WebError::internal(format!("hashing task failed: {e}")))
    }

    pub async fn hash(&self, password: String) -> Result<String, WebError> {
        self.run(move |memory| hash_with(password.as_bytes(), memory))
            .await?
            .map_err(|e| WebError::internal(format!("hashing failed: {e}")))
    }

    /// Checks `password` against `stored`, or against the decoy when there is no account,
    /// so that both cases take the same time and give the same answer.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, WebError> {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.inner.decoy.clone());
        let matches = self
            .run(move |memory| verify_with(password.as_bytes(), &hash, memory))
            .await?;
        Ok(known && matches)
    }
}

fn fresh_memory() -> Vec<Block> {
    vec![Block::default(); Params::DEFAULT.block_count()]
}

/// Argon2id, version 0x13, 19 MiB, 2 passes (OWASP's recommendation), as a PHC string.
fn hash_with(
    password: &[u8],
    memory: &mut [Block],
) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes)?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    Argon2::default().hash_password_into_with_memory(password, salt_bytes, &mut out, memory)?;
    Ok(PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&Params::DEFAULT)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out)?),
    }
    .to_string())
}

/// Whether `password` matches the PHC string `stored`, with the parameters written in it.
fn verify_with(password: &[u8], stored: &str, memory: &mut [Block]) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let needed = params.block_count();
    let argon2 = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    // A hash made with more memory than the pool's buffers (none today) gets its own.
    let hashed = match memory.get_mut(..needed) {
        Some(memory) => {
            argon2.hash_password_into_with_memory(password, salt_bytes, &mut out, memory)
        }
        None => argon2.hash_password_into(password, salt_bytes, &mut out),
    };
    // `Output`'s equality is constant-time.
    hashed.is_ok() && Output::new(&out).is_ok_and(|computed| computed == expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    #[tokio::test]
    async fn hashes_verify_and_unknown_accounts_never_match() {
        let passwords = Passwords::new(2, Duration::from_secs(5)).unwrap();
        let hash = passwords
            .hash("lantern-orchid-gravel".into())
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(passwords
            .verify("lantern-orchid-gravel".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!passwords.verify("wrong".into(), Some(hash)).await.unwrap());
        assert!(!passwords.verify("anything".into(), None).await.unwrap());
        assert!(!passwords
            .verify("anything".into(), Some("not a hash".into()))
            .await
            .unwrap());
    }

    #[test]
    fn pooled_hashes_are_the_same_as_the_crates_own() {
        let mut memory = fresh_memory();
        let ours = hash_with(b"river-basalt-quill", &mut memory).unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"river-basalt-quill", &parsed)
            .is_ok());
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"river-basalt-quill", &salt)
            .unwrap()
            .to_string();
        assert!(verify_with(b"river-basalt-quill", &theirs, &mut memory));
        assert!(!verify_with(b"river-basalt-quilt", &theirs, &mut memory));
    }

    #[tokio::test]
    async fn with_no_hash_free_the_answer_is_busy() {
        let passwords = Passwords::new(0, Duration::from_millis(10)).unwrap();
        assert!(matches!(
            passwords.hash("lantern-orchid-gravel".into()).await,
            Err(WebError::Busy)
        ));
        assert!(matches!(
            passwords.verify("x".into(), None).await,
            Err(WebError::Busy)
        ));
    }
}
