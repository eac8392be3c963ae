//! Author keys (issue 11): loading a space's keys for one partner, and moving texts sealed
//! before author keys existed to their authors' keys, once, as Mend starts.

use mend_core::store::{Resealed, SpaceRecord, SpaceText, Store};
use mend_core::{PersonId, SpaceId};
use mend_crypto::{DataKey, ServerKey, SpaceKeys, WrappedKey};

use crate::error::WebError;
use crate::fields;
use crate::session::now;

/// The field name sealed into each kind of shared text.
fn field(kind: SpaceText) -> &'static str {
    match kind {
        SpaceText::EntryBody => fields::ENTRY_BODY,
        SpaceText::EntryResponseNote => fields::ENTRY_RESPONSE_NOTE,
        SpaceText::Feeling => fields::FEELING,
        SpaceText::ReflectionBody => fields::REFLECTION_BODY,
        SpaceText::ReflectionMissed => fields::REFLECTION_MISSED,
        SpaceText::AgreementText => fields::AGREEMENT_TEXT,
        SpaceText::QuestionText => fields::QUESTION_TEXT,
        SpaceText::AnswerBody => fields::ANSWER_BODY,
        SpaceText::EvidenceText => fields::EVIDENCE_TEXT,
        SpaceText::TransparencyText => fields::TRANSPARENCY_TEXT,
        SpaceText::TriggerNote => fields::TRIGGER_NOTE,
        SpaceText::TriggerReply => fields::TRIGGER_REPLY,
        SpaceText::JournalText => fields::JOURNAL_TEXT,
        SpaceText::BreachDetails => fields::BREACH_DETAILS,
        SpaceText::InviteCode => fields::INVITE_CODE,
    }
}

/// The keys of `space` for `viewer`, one of its partners: their author key is made on their
/// first request in the space. "Not found" when the space is gone or they are not in it.
pub async fn space_keys(
    store: &dyn Store,
    key: &ServerKey,
    space: SpaceId,
    viewer: PersonId,
) -> Result<SpaceKeys, WebError> {
    let (record, stored) = store
        .space_with_author_keys(space)
        .await?
        .ok_or(WebError::NotFound)?;
    keys_for(store, key, &record, &stored, viewer).await
}

/// The keys of the space `record` for `viewer`, from its partners' author keys as read (a
/// page reads them with the rest of its space, `SpaceState`).
pub async fn keys_for(
    store: &dyn Store,
    key: &ServerKey,
    record: &SpaceRecord,
    stored: &[(PersonId, WrappedKey)],
    viewer: PersonId,
) -> Result<SpaceKeys, WebError> {
    let space = record.id;
    let shared = key.unwrap_key(space.0, &record.wrapped_key)?;
    let mut stored = std::borrow::Cow::Borrowed(stored);
    if !stored.iter().any(|(p, _)| *p == viewer) {
        let fresh = DataKey::generate(space.0);
        store
            .add_author_key(space, viewer, &key.wrap_author_key(&fresh, viewer.0), now())
            .await?;
        // Read again: a request at the same moment may have stored its key first.
        stored = std::borrow::Cow::Owned(store.author_keys(space).await?);
    }
    let (mut writer, mut partner) = (None, None);
    for (person, wrapped) in stored.iter() {
        let opened = key.unwrap_author_key(space.0, person.0, wrapped)?;
        if *person == viewer {
            writer = Some(opened);
        } else {
            partner = Some(opened);
        }
    }
    let writer = writer.ok_or(WebError::NotFound)?;
    Ok(SpaceKeys::new(shared, writer, partner))
}

/// The keys of `space` for its counsellor (issue 14): both partners' author keys open their
/// words, and the space key seals the counsellor's notes. No key is made: a counsellor never
/// writes with an author key. Whether they may read the space is the caller's to check.
pub async fn counsellor_keys(
    store: &dyn Store,
    key: &ServerKey,
    space: SpaceId,
) -> Result<SpaceKeys, WebError> {
    let (record, stored) = store
        .space_with_author_keys(space)
        .await?
        .ok_or(WebError::NotFound)?;
    let shared = key.unwrap_key(space.0, &record.wrapped_key)?;
    let mut opened = Vec::with_capacity(stored.len());
    for (person, wrapped) in &stored {
        opened.push(key.unwrap_author_key(space.0, person.0, wrapped)?);
    }
    let mut opened = opened.into_iter();
    let first = opened
        .next()
        .ok_or_else(|| WebError::internal("a space without an author key"))?;
    Ok(SpaceKeys::new(shared, first, opened.next()))
}

/// Moves every text still sealed with its space's key to its author's key, space by space,
/// and gives how many texts moved. The space's own texts (a journey's facts, invitation codes)
/// are sealed again with a new space key, and the old one is destroyed: a backup taken before
/// holds the older texts under the old space key, which no later keys file has, so a partner
/// who leaves later takes their words out of those backups too. Each space moves in one
/// transaction and is marked, so this is work only on the first start after the upgrade; a
/// space whose texts changed meanwhile is tried again at the next start.
pub async fn seal_older_texts_by_authors(
    store: &dyn Store,
    key: &ServerKey,
) -> Result<usize, WebError> {
    let mut moved = 0;
    for space in store.spaces_sealed_for_space().await? {
        let Some(record) = store.space(space).await? else {
            continue;
        };
        let old = key.unwrap_key(space.0, &record.wrapped_key)?;
        let new = DataKey::generate(space.0);
        let mut authors = Vec::new();
        for member in store.members(space).await? {
            let keys = space_keys(store, key, space, member.person).await?;
            authors.push((member.person, keys));
        }
        let mut texts = Vec::new();
        for kind in SpaceText::OF_THE_SPACE {
            for text in store.space_texts(space, kind).await? {
                let words = old.open(text.row, field(kind), &text.sealed)?;
                texts.push(Resealed {
                    kind,
                    row: text.row,
                    new: new.seal(text.row, field(kind), &words),
                    old: text.sealed,
                });
            }
        }
        for kind in SpaceText::BY_AUTHORS {
            for text in store.space_texts(space, kind).await? {
                let Some(author) = text.author else { continue };
                let Some((_, keys)) = authors.iter().find(|(p, _)| *p == author) else {
                    continue;
                };
                // Only what the space key opens: the rest is sealed with an author's key
                // already, or with a person's own key (a private note).
                let Ok(words) = old.open(text.row, field(kind), &text.sealed) else {
                    continue;
                };
                texts.push(Resealed {
                    kind,
                    row: text.row,
                    new: keys.seal(text.row, field(kind), &words),
                    old: text.sealed,
                });
            }
        }
        if store
            .move_to_author_keys(space, &key.wrap(&new), &texts, now())
            .await?
        {
            moved += texts.len();
        } else {
            // Only ids and counts: never a word.
            tracing::warn!(
                space = %space.0,
                "a space's texts changed while they were moved to their authors' keys; it \
                 stays as it was and is moved at the next start"
            );
        }
    }
    Ok(moved)
}
