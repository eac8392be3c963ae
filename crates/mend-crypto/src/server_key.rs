//! The server key: the one secret the operator keeps, in a file beside the database.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use uuid::Uuid;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::data_key::{DataKey, WrappedKey};
use crate::sealed;
use crate::CryptoError;

/// Field name under which data keys are wrapped; the row is the owner itself.
const WRAP_FIELD: &str = "data_key";
/// Bound into a wrapped author key with its space and its author (see [`crate::SpaceKeys`]).
const AUTHOR_WRAP_FIELD: &str = "author_key";
const KEY_FILE_HEADER: &str = "mend-server-key-v1";

/// Wraps data keys and derives lookup hashes. Losing it makes every sealed text unreadable.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct ServerKey {
    bytes: [u8; 32],
}

/// The server key together with where it lives and whether this start created it.
pub struct KeyFile {
    pub key: ServerKey,
    pub path: PathBuf,
    pub created: bool,
}

impl ServerKey {
    /// A key from raw bytes, for tests and tools.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self { bytes }
    }

    /// Reads the key file at `path`, or creates it with mode 0600 when it does not exist.
    pub fn load_or_create(path: &Path) -> Result<KeyFile, CryptoError> {
        let io_err = |source| CryptoError::KeyFileIo {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(KeyFile {
                key: Self::parse(&text).map_err(|reason| CryptoError::BadKeyFile {
                    path: path.display().to_string(),
                    reason,
                })?,
                path: path.to_path_buf(),
                created: false,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut bytes);
                let key = Self { bytes };
                let text = Zeroizing::new(format!("{KEY_FILE_HEADER}\n{}\n", hex_encode(&bytes)));
                bytes.zeroize();
                // create_new: two instances starting at once must not overwrite each other's key.
                let mut file = OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(path)
                    .map_err(io_err)?;
                file.write_all(text.as_bytes()).map_err(io_err)?;
                file.sync_all().map_err(io_err)?;
                Ok(KeyFile {
                    key,
                    path: path.to_path_buf(),
                    created: true,
                })
            }
            Err(e) => Err(io_err(e)),
        }
    }

    fn parse(text: &str) -> Result<Self, &'static str> {
        let mut lines = text.lines();
        if lines.next() != Some(KEY_FILE_HEADER) {
            return Err("the first line must be mend-server-key-v1");
        }
        let hex = lines.next().ok_or("the key line is missing")?.trim();
        let mut bytes = [0u8; 32];
        if hex.len() != 64 {
            return Err("the key must be 64 hexadecimal digits");
        }
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
                .map_err(|_| "the key must be 64 hexadecimal digits")?;
        }
        Ok(Self { bytes })
    }

    /// Wraps `key` so that it opens only for its own owner.
    pub fn wrap(&self, key: &DataKey) -> WrappedKey {
        WrappedKey(sealed::seal(
            &self.bytes,
            key.owner(),
            key.owner(),
            WRAP_FIELD,
            key.bytes(),
        ))
    }

    /// Unwraps the data key of `owner`.
    pub fn unwrap_key(&self, owner: Uuid, wrapped: &WrappedKey) -> Result<DataKey, CryptoError> {
        let bytes = Zeroizing::new(sealed::open(
            &self.bytes,
            owner,
            owner,
            WRAP_FIELD,
            &wrapped.0,
        )?);
        let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| CryptoError::Open)?;
        Ok(DataKey::from_bytes(owner, array))
    }

    /// Wraps an author key: the key of what `author` writes in the space that owns `key`.
    /// It unwraps only for that space and that author.
    pub fn wrap_author_key(&self, key: &DataKey, author: Uuid) -> WrappedKey {
        WrappedKey(sealed::seal(
            &self.bytes,
            key.owner(),
            author,
            AUTHOR_WRAP_FIELD,
            key.bytes(),
        ))
    }

    /// Unwraps the key of what `author` writes in `space`.
    pub fn unwrap_author_key(
        &self,
        space: Uuid,
        author: Uuid,
        wrapped: &WrappedKey,
    ) -> Result<DataKey, CryptoError> {
        let bytes = Zeroizing::new(sealed::open(
            &self.bytes,
            space,
            author,
            AUTHOR_WRAP_FIELD,
            &wrapped.0,
        )?);
        let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| CryptoError::Open)?;
        Ok(DataKey::from_bytes(space, array))
    }

    /// A keyed hash of `value` for looking rows up without storing the value in the clear
    /// (e-mail addresses, tokens, client addresses). `purpose` separates the uses.
    pub fn lookup_hash(&self, purpose: &str, value: &[u8]) -> [u8; 32] {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.bytes)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value);
        mac.finalize().into_bytes().into()
    }
}

fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Sealed;

    const OWNER: Uuid = Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_0001);
    const OTHER: Uuid = Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_0002);
    const ROW: Uuid = Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_00aa);
    const ROW2: Uuid = Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_00bb);

    /// Freezes format version 1: if this changes, stored text stops opening.
    #[test]
    fn golden_sealed_text_of_format_version_1() {
        let key = [7u8; 32];
        let sealed =
            sealed::seal_with_nonce(&key, [9u8; 24], OWNER, ROW, "answer", b"I was wrong.");
        assert_eq!(
            hex::encode(sealed.as_bytes()),
            GOLDEN_V1,
            "the sealed format changed; bump FORMAT_VERSION instead"
        );
        let opened = DataKey::from_bytes(OWNER, key)
            .open(
                ROW,
                "answer",
                &Sealed::from_stored(hex::decode(GOLDEN_V1).unwrap()),
            )
            .unwrap();
        assert_eq!(opened, "I was wrong.");
    }

    const GOLDEN_V1: &str = "01090909090909090909090909090909090909090909090909f75295eb0f8a0e109b7c6f125196e657255661e41088b172ba93685e";

    #[test]
    fn sealed_text_moved_to_another_row_field_or_owner_does_not_open() {
        let key = DataKey::generate(OWNER);
        let sealed = key.seal(ROW, "answer", "the whole truth");
        assert_eq!(key.open(ROW, "answer", &sealed).unwrap(), "the whole truth");
        assert!(matches!(
            key.open(ROW2, "answer", &sealed),
            Err(CryptoError::Open)
        ));
        assert!(matches!(
            key.open(ROW, "question", &sealed),
            Err(CryptoError::Open)
        ));
        let same_bytes_other_owner = DataKey::from_bytes(OTHER, *key.bytes());
        assert!(matches!(
            same_bytes_other_owner.open(ROW, "answer", &sealed),
            Err(CryptoError::Open)
        ));
    }

    #[test]
    fn tampered_truncated_and_unknown_versions_are_refused() {
        let key = DataKey::generate(OWNER);
        let mut bytes = key.seal(ROW, "f", "text").into_bytes();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert!(matches!(
            key.open(ROW, "f", &Sealed::from_stored(bytes.clone())),
            Err(CryptoError::Open)
        ));
        bytes[0] = 9;
        assert!(matches!(
            key.open(ROW, "f", &Sealed::from_stored(bytes)),
            Err(CryptoError::UnknownVersion(9))
        ));
        assert!(matches!(
            key.open(ROW, "f", &Sealed::from_stored(vec![1, 2, 3])),
            Err(CryptoError::Truncated)
        ));
        assert!(matches!(
            key.open(ROW, "f", &Sealed::from_stored(vec![])),
            Err(CryptoError::Truncated)
        ));
    }

    #[test]
    fn the_same_text_seals_differently_each_time() {
        let key = DataKey::generate(OWNER);
        assert_ne!(key.seal(ROW, "f", "same"), key.seal(ROW, "f", "same"));
    }

    #[test]
    fn wrapped_keys_open_only_for_their_owner_and_server_key() {
        let server = ServerKey::from_bytes([1u8; 32]);
        let key = DataKey::generate(OWNER);
        let wrapped = server.wrap(&key);
        let back = server.unwrap_key(OWNER, &wrapped).unwrap();
        assert_eq!(back.bytes(), key.bytes());
        assert!(server.unwrap_key(OTHER, &wrapped).is_err());
        assert!(ServerKey::from_bytes([2u8; 32])
            .unwrap_key(OWNER, &wrapped)
            .is_err());
    }

    #[test]
    fn key_file_is_created_with_mode_0600_and_read_back() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.key");
        let first = ServerKey::load_or_create(&path).unwrap();
        assert!(first.created);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let second = ServerKey::load_or_create(&path).unwrap();
        assert!(!second.created);
        assert_eq!(first.key.bytes, second.key.bytes);
    }

    #[test]
    fn a_damaged_key_file_is_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.key");
        std::fs::write(&path, "mend-server-key-v1\nnot-hex\n").unwrap();
        assert!(matches!(
            ServerKey::load_or_create(&path),
            Err(CryptoError::BadKeyFile { .. })
        ));
    }

    #[test]
    fn lookup_hashes_depend_on_purpose_and_key() {
        let a = ServerKey::from_bytes([1u8; 32]);
        let b = ServerKey::from_bytes([2u8; 32]);
        assert_ne!(a.lookup_hash("email", b"x"), a.lookup_hash("ip", b"x"));
        assert_ne!(a.lookup_hash("email", b"x"), b.lookup_hash("email", b"x"));
        assert_eq!(a.lookup_hash("email", b"x"), a.lookup_hash("email", b"x"));
    }
}
