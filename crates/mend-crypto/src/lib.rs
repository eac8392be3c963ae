//! Envelope encryption for everything a person writes in Mend.
//!
//! A [`ServerKey`] (a file the operator keeps) wraps one random [`DataKey`] per owner — a space,
//! or a person for what belongs to them alone. Free text is sealed with the owner's data key
//! using XChaCha20-Poly1305; the owner id, row id, field name and format version are bound as
//! associated data, so a ciphertext copied into another row, field or space does not open.
//! Deleting an owner's wrapped key makes all of its text unreadable (crypto-shredding).
//!
//! What a partner writes for both to read is sealed with their own *author key* for the space
//! ([`SpaceKeys`]), not with the space key, so that destroying it when they leave or delete
//! their account shreds their shared words too, in every copy, while the partner who stays
//! keeps theirs.

mod data_key;
mod sealed;
mod server_key;
mod space_keys;

pub use data_key::{DataKey, WrappedKey};
pub use sealed::{Sealed, FORMAT_VERSION};
pub use server_key::{KeyFile, ServerKey};
pub use space_keys::SpaceKeys;

/// Why a key or a sealed text could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("the sealed text is damaged, or belongs to another owner, row or field")]
    Open,
    #[error("the sealed text has format version {0}, which this build does not know")]
    UnknownVersion(u8),
    #[error("the sealed text is too short to be valid")]
    Truncated,
    #[error("the opened text is not valid UTF-8")]
    NotUtf8,
    #[error("the server key file {path} is not a valid key: {reason}")]
    BadKeyFile { path: String, reason: &'static str },
    #[error("could not read or write the server key file {path}: {source}")]
    KeyFileIo {
        path: String,
        #[source]
        source: std::io::Error,
    },
}
