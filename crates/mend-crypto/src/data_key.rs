//! Data keys: one per space and one per person, each stored only in wrapped form.

use rand::RngCore;
use uuid::Uuid;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::sealed::{self, Sealed};
use crate::CryptoError;

/// The key that seals one owner's free text. Never stored unwrapped.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DataKey {
    bytes: [u8; 32],
    #[zeroize(skip)]
    owner: Uuid,
}

/// A data key sealed by the server key, as it is kept in the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrappedKey(pub Sealed);

impl DataKey {
    /// A fresh random key for `owner` (a space id or a person id).
    pub fn generate(owner: Uuid) -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self { bytes, owner }
    }

    pub(crate) fn from_bytes(owner: Uuid, bytes: [u8; 32]) -> Self {
        Self { bytes, owner }
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    pub fn owner(&self) -> Uuid {
        self.owner
    }

    /// Seals `text` for one field of one row belonging to this key's owner.
    pub fn seal(&self, row: Uuid, field: &str, text: &str) -> Sealed {
        sealed::seal(&self.bytes, self.owner, row, field, text.as_bytes())
    }

    /// Opens a text sealed for exactly this owner, row and field.
    pub fn open(&self, row: Uuid, field: &str, sealed: &Sealed) -> Result<String, CryptoError> {
        let bytes = sealed::open(&self.bytes, self.owner, row, field, sealed)?;
        String::from_utf8(bytes).map_err(|_| CryptoError::NotUtf8)
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKey(owner {})", self.owner)
    }
}
