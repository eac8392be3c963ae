//! Each partner's private journal. An entry is theirs alone until they share it; they can take
//! a shared entry back, and delete any of their entries, at any time.

use crate::ids::PersonId;

/// The longest journal entry, in characters.
pub const MAX_JOURNAL_CHARS: usize = 20_000;

/// Why a journal action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JournalRefusal {
    #[error("an entry needs some words")]
    Empty,
    #[error("the entry is longer than 20000 characters")]
    TooLong,
    #[error("only the partner who wrote an entry decides what happens to it")]
    NotTheAuthor,
    #[error("the entry is shared already")]
    AlreadyShared,
    #[error("the entry is private already")]
    NotShared,
}

pub fn check_text(text: &str) -> Result<(), JournalRefusal> {
    if crate::text::is_blank(text) {
        return Err(JournalRefusal::Empty);
    }
    if text.chars().count() > MAX_JOURNAL_CHARS {
        return Err(JournalRefusal::TooLong);
    }
    Ok(())
}

/// Whether `viewer` may share an entry `author` wrote.
pub fn may_share(author: PersonId, viewer: PersonId, shared: bool) -> Result<(), JournalRefusal> {
    if author != viewer {
        return Err(JournalRefusal::NotTheAuthor);
    }
    if shared {
        return Err(JournalRefusal::AlreadyShared);
    }
    Ok(())
}

/// Whether `viewer` may take back a shared entry `author` wrote.
pub fn may_unshare(author: PersonId, viewer: PersonId, shared: bool) -> Result<(), JournalRefusal> {
    if author != viewer {
        return Err(JournalRefusal::NotTheAuthor);
    }
    if !shared {
        return Err(JournalRefusal::NotShared);
    }
    Ok(())
}

/// Whether `viewer` may delete an entry `author` wrote, shared or not: it is their writing.
pub fn may_delete(author: PersonId, viewer: PersonId) -> Result<(), JournalRefusal> {
    if author != viewer {
        return Err(JournalRefusal::NotTheAuthor);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_need_words_within_the_limit() {
        assert_eq!(
            check_text("Slept badly. Walked by the river after."),
            Ok(())
        );
        assert_eq!(check_text(" \n "), Err(JournalRefusal::Empty));
        assert_eq!(check_text(&"a".repeat(MAX_JOURNAL_CHARS)), Ok(()));
        assert_eq!(
            check_text(&"a".repeat(MAX_JOURNAL_CHARS + 1)),
            Err(JournalRefusal::TooLong)
        );
        // Counted in characters, not bytes: a long entry in any script gets the same room.
        assert_eq!(check_text(&"é".repeat(MAX_JOURNAL_CHARS)), Ok(()));
    }

    #[test]
    fn only_the_author_shares_a_private_entry() {
        let (author, partner) = (PersonId::new(), PersonId::new());
        assert_eq!(may_share(author, author, false), Ok(()));
        assert_eq!(
            may_share(author, partner, false),
            Err(JournalRefusal::NotTheAuthor)
        );
        assert_eq!(
            may_share(author, author, true),
            Err(JournalRefusal::AlreadyShared)
        );
    }

    #[test]
    fn only_the_author_takes_back_a_shared_entry() {
        let (author, partner) = (PersonId::new(), PersonId::new());
        assert_eq!(may_unshare(author, author, true), Ok(()));
        assert_eq!(
            may_unshare(author, partner, true),
            Err(JournalRefusal::NotTheAuthor)
        );
        assert_eq!(
            may_unshare(author, author, false),
            Err(JournalRefusal::NotShared)
        );
    }

    #[test]
    fn only_the_author_deletes_an_entry() {
        let (author, partner) = (PersonId::new(), PersonId::new());
        assert_eq!(may_delete(author, author), Ok(()));
        assert_eq!(
            may_delete(author, partner),
            Err(JournalRefusal::NotTheAuthor)
        );
    }
}
