//! Author keys (issue 11): each partner's own key for what they write in a space for both to
//! read, and the one-time move of older texts from the space key to their authors' keys.
//!
//! A partner's author key goes when they leave the space or delete their account (the
//! departure deletes it with their rows), so every copy of their shared words, in any backup,
//! can no longer be opened once no copy of the key remains (docs/security.md).

use async_trait::async_trait;
use mend_crypto::{Sealed, WrappedKey};
use uuid::Uuid;

use super::{SpaceRecord, StoreError};
use crate::ids::{PersonId, SpaceId};
use crate::time::Timestamp;

/// Every sealed text of a space, by where it is kept: what one partner writes for both to
/// read (sealed with their author key), and what belongs to the space itself (sealed with
/// the space key). The store knows each one's table, column and author; the web layer knows
/// the field name sealed into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpaceText {
    EntryBody,
    /// Written by the partner who responds, on the author's entry.
    EntryResponseNote,
    Feeling,
    ReflectionBody,
    /// Written by the person who named the feeling, on the partner's reflection.
    ReflectionMissed,
    AgreementText,
    QuestionText,
    AnswerBody,
    /// Only the entries shared with the partner are sealed for the space.
    EvidenceText,
    TransparencyText,
    TriggerNote,
    /// Written by the partner who replies, on the signal.
    TriggerReply,
    /// Only the entries shared with the partner are sealed for the space.
    JournalText,
    /// A journey's facts: the space's, so they stay readable to the partner who stays.
    BreachDetails,
    /// An invitation's code: the space's.
    InviteCode,
}

impl SpaceText {
    /// The texts of the space itself, sealed with the space key.
    pub const OF_THE_SPACE: [SpaceText; 2] = [SpaceText::BreachDetails, SpaceText::InviteCode];

    /// The texts one partner writes, sealed with their author key.
    pub const BY_AUTHORS: [SpaceText; 13] = [
        SpaceText::EntryBody,
        SpaceText::EntryResponseNote,
        SpaceText::Feeling,
        SpaceText::ReflectionBody,
        SpaceText::ReflectionMissed,
        SpaceText::AgreementText,
        SpaceText::QuestionText,
        SpaceText::AnswerBody,
        SpaceText::EvidenceText,
        SpaceText::TransparencyText,
        SpaceText::TriggerNote,
        SpaceText::TriggerReply,
        SpaceText::JournalText,
    ];
}

/// One stored text of a space, with the partner who wrote it (`None` for the space's own
/// texts, and when the writer is no longer in the space: their words were removed when they
/// left, so such a text is a leftover that is not moved).
#[derive(Debug, Clone)]
pub struct StoredText {
    pub row: Uuid,
    pub author: Option<PersonId>,
    pub sealed: Sealed,
}

/// A text sealed again: where it is, what it was, and what it is now.
#[derive(Debug, Clone)]
pub struct Resealed {
    pub kind: SpaceText,
    pub row: Uuid,
    pub old: Sealed,
    pub new: Sealed,
}

#[async_trait]
pub trait AuthorKeyStore: Send + Sync {
    /// The author keys of the space's partners.
    async fn author_keys(&self, space: SpaceId) -> Result<Vec<(PersonId, WrappedKey)>, StoreError>;

    /// The space and its partners' author keys, in one read: every page of a space needs both.
    async fn space_with_author_keys(
        &self,
        space: SpaceId,
    ) -> Result<Option<(SpaceRecord, Vec<(PersonId, WrappedKey)>)>, StoreError>;

    /// Stores `person`'s author key for `space`, only while they are one of its partners;
    /// a key already there stays (two first requests at once keep the first key).
    async fn add_author_key(
        &self,
        space: SpaceId,
        person: PersonId,
        key: &WrappedKey,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    /// Spaces whose texts have not yet been moved to their authors' keys.
    async fn spaces_sealed_for_space(&self) -> Result<Vec<SpaceId>, StoreError>;

    /// Every stored text of one kind in `space`.
    async fn space_texts(
        &self,
        space: SpaceId,
        kind: SpaceText,
    ) -> Result<Vec<StoredText>, StoreError>;

    /// In one transaction: replaces each text (only if it is still as it was read), gives
    /// the space its new key, and marks the space as moved. False, changing nothing, when a
    /// text changed meanwhile or the space was moved already.
    async fn move_to_author_keys(
        &self,
        space: SpaceId,
        new_key: &WrappedKey,
        texts: &[Resealed],
        at: Timestamp,
    ) -> Result<bool, StoreError>;
}
