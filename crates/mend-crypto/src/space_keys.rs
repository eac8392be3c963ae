//! The keys of one space as one partner uses them.
//!
//! Each partner has an author key per space: what they write for both to read is sealed with
//! it, and both partners' author keys open it. When a partner leaves the space or deletes their
//! account, their author key is destroyed, and with it every copy of their shared words,
//! backups included (see docs/security.md). The space key itself seals only what belongs to the
//! relationship rather than to one writer (a journey's facts, invitation codes), and opens what
//! was sealed before author keys existed.

use uuid::Uuid;

use crate::{CryptoError, DataKey, Sealed};

/// The space key and the author keys of the space's partners, for one of them (the writer).
#[derive(Clone)]
pub struct SpaceKeys {
    space: DataKey,
    writer: DataKey,
    partner: Option<DataKey>,
}

impl SpaceKeys {
    /// `writer` seals what the viewer writes; `partner`, when they have one, opens the
    /// partner's words. All three keys belong to the same space, so a text opens with the
    /// key it was sealed with and no other.
    pub fn new(space: DataKey, writer: DataKey, partner: Option<DataKey>) -> Self {
        Self {
            space,
            writer,
            partner,
        }
    }

    /// Seals what the viewer writes for both partners to read, with the viewer's author key.
    pub fn seal(&self, row: Uuid, field: &str, text: &str) -> Sealed {
        self.writer.seal(row, field, text)
    }

    /// Seals what belongs to the space rather than to its writer: it stays readable to the
    /// partner who stays when the other leaves.
    pub fn seal_for_space(&self, row: Uuid, field: &str, text: &str) -> Sealed {
        self.space.seal(row, field, text)
    }

    /// Opens a text of this space, whoever wrote it: the authentication tag tells which key
    /// sealed it, so at most three keys are tried.
    pub fn open(&self, row: Uuid, field: &str, sealed: &Sealed) -> Result<String, CryptoError> {
        let mut last = CryptoError::Open;
        for key in [Some(&self.writer), self.partner.as_ref(), Some(&self.space)]
            .into_iter()
            .flatten()
        {
            match key.open(row, field, sealed) {
                Ok(text) => return Ok(text),
                Err(CryptoError::Open) => {}
                Err(e) => last = e,
            }
        }
        Err(last)
    }
}

impl std::fmt::Debug for SpaceKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SpaceKeys(space {})", self.space.owner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ServerKey;

    const SPACE: Uuid = Uuid::from_u128(1);
    const ROBIN: Uuid = Uuid::from_u128(2);
    const SAM: Uuid = Uuid::from_u128(3);
    const ROW: Uuid = Uuid::from_u128(4);

    fn keys() -> (DataKey, DataKey, DataKey) {
        (
            DataKey::generate(SPACE),
            DataKey::generate(SPACE),
            DataKey::generate(SPACE),
        )
    }

    #[test]
    fn each_partner_seals_with_their_own_key_and_both_open_both() {
        let (space, robin, sam) = keys();
        let robins = SpaceKeys::new(space.clone(), robin.clone(), Some(sam.clone()));
        let sams = SpaceKeys::new(space.clone(), sam.clone(), Some(robin.clone()));
        let by_robin = robins.seal(ROW, "answer.body", "I lied about the money.");
        let by_sam = sams.seal(ROW, "answer.body", "Thank you for saying it.");
        assert_eq!(
            sams.open(ROW, "answer.body", &by_robin).unwrap(),
            "I lied about the money."
        );
        assert_eq!(
            robins.open(ROW, "answer.body", &by_sam).unwrap(),
            "Thank you for saying it."
        );
        // Only Robin's author key opens Robin's words: destroying it shreds them.
        assert!(robin.open(ROW, "answer.body", &by_robin).is_ok());
        assert!(sam.open(ROW, "answer.body", &by_robin).is_err());
        assert!(space.open(ROW, "answer.body", &by_robin).is_err());
        let sam_alone = SpaceKeys::new(space, sam, None);
        assert!(matches!(
            sam_alone.open(ROW, "answer.body", &by_robin),
            Err(CryptoError::Open)
        ));
    }

    #[test]
    fn the_space_key_still_opens_older_texts_and_seals_the_spaces_own() {
        let (space, robin, sam) = keys();
        let older = space.seal(ROW, "entry.body", "written before author keys");
        let space_copy = space.clone();
        let robins = SpaceKeys::new(space, robin, Some(sam));
        assert_eq!(
            robins.open(ROW, "entry.body", &older).unwrap(),
            "written before author keys"
        );
        let facts = robins.seal_for_space(ROW, "breach.details", "{}");
        assert_eq!(
            space_copy.open(ROW, "breach.details", &facts).unwrap(),
            "{}"
        );
        let own = robins.seal(ROW, "entry.body", "new");
        assert!(space_copy.open(ROW, "entry.body", &own).is_err());
        assert!(robins.open(ROW, "entry.response_note", &own).is_err());
    }

    #[test]
    fn a_wrapped_author_key_opens_only_for_its_space_and_author() {
        let server = ServerKey::from_bytes([5; 32]);
        let key = DataKey::generate(SPACE);
        let wrapped = server.wrap_author_key(&key, ROBIN);
        let back = server.unwrap_author_key(SPACE, ROBIN, &wrapped).unwrap();
        let sealed = key.seal(ROW, "f", "x");
        assert_eq!(back.open(ROW, "f", &sealed).unwrap(), "x");
        assert!(server.unwrap_author_key(SPACE, SAM, &wrapped).is_err());
        assert!(server.unwrap_author_key(ROW, ROBIN, &wrapped).is_err());
        assert!(server.unwrap_key(SPACE, &wrapped).is_err());
    }
}
