//! The sealed-text format: `version (1 byte) || nonce (24 bytes) || ciphertext || tag (16 bytes)`.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use uuid::Uuid;

use crate::CryptoError;

/// The version written in the first byte of every sealed text. Changing the layout or the
/// associated data means a new version, and the golden tests keep the old one readable.
pub const FORMAT_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const AAD_LABEL: &[u8] = b"mend/sealed";

/// Free text as it is stored: opaque bytes that only the owner's data key opens.
///
/// The store accepts free text only as `Sealed`, so plain text cannot reach the database by
/// accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed(Vec<u8>);

impl Sealed {
    /// Takes bytes read back from storage; they are checked when opened.
    pub fn from_stored(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealed({} bytes)", self.0.len())
    }
}

/// What the ciphertext is bound to: the version, the owner (space or person), the row and the
/// field. A NUL separates the field name so that no two bindings share the same bytes.
fn associated_data(version: u8, owner: Uuid, row: Uuid, field: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(AAD_LABEL.len() + 1 + 32 + field.len() + 1);
    aad.extend_from_slice(AAD_LABEL);
    aad.push(version);
    aad.extend_from_slice(owner.as_bytes());
    aad.extend_from_slice(row.as_bytes());
    aad.extend_from_slice(field.as_bytes());
    aad.push(0);
    aad
}

pub(crate) fn seal_with_nonce(
    key: &[u8; 32],
    nonce: [u8; NONCE_LEN],
    owner: Uuid,
    row: Uuid,
    field: &str,
    plaintext: &[u8],
) -> Sealed {
    let cipher = XChaCha20Poly1305::new(key.into());
    let aad = associated_data(FORMAT_VERSION, owner, row, field);
    // Encryption with a valid key and nonce length cannot fail; the only error is a plaintext
    // beyond 256 GiB, far past any size limit Mend accepts.
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: &aad,
            },
        )
        .unwrap_or_default();
    let mut out = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
    out.push(FORMAT_VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    Sealed(out)
}

pub(crate) fn seal(
    key: &[u8; 32],
    owner: Uuid,
    row: Uuid,
    field: &str,
    plaintext: &[u8],
) -> Sealed {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    seal_with_nonce(key, nonce, owner, row, field, plaintext)
}

pub(crate) fn open(
    key: &[u8; 32],
    owner: Uuid,
    row: Uuid,
    field: &str,
    sealed: &Sealed,
) -> Result<Vec<u8>, CryptoError> {
    let bytes = sealed.as_bytes();
    let (&version, rest) = bytes.split_first().ok_or(CryptoError::Truncated)?;
    if version != FORMAT_VERSION {
        return Err(CryptoError::UnknownVersion(version));
    }
    if rest.len() < NONCE_LEN + TAG_LEN {
        return Err(CryptoError::Truncated);
    }
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new(key.into());
    let aad = associated_data(version, owner, row, field);
    cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: &aad,
            },
        )
        .map_err(|_| CryptoError::Open)
}
