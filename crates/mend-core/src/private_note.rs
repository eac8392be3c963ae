//! Notes private to their author until they share one: the hurt partner's evidence log and
//! each partner's journal. A note is its author's alone; sharing lets the partner read it, and
//! only the author shares it, takes it back or deletes it. The two kinds differ in who may keep
//! one and how long it may be, not in these rules.

use crate::ids::PersonId;

/// Why something asked of a private note is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoteRefusal {
    #[error("a note needs some words")]
    Empty,
    #[error("the note is longer than its kind allows")]
    TooLong,
    #[error("only the partner who wrote a note decides what happens to it")]
    NotTheAuthor,
    #[error("the note is shared already")]
    AlreadyShared,
    #[error("the note is private already")]
    NotShared,
}

/// Whether `text` may be kept as a note of at most `max_chars` characters. Counted in
/// characters, not bytes, so a note in any script gets the same room.
pub fn check_text(text: &str, max_chars: usize) -> Result<(), NoteRefusal> {
    if crate::text::is_blank(text) {
        return Err(NoteRefusal::Empty);
    }
    if text.chars().count() > max_chars {
        return Err(NoteRefusal::TooLong);
    }
    Ok(())
}

/// Whether `viewer` may share a note `author` wrote.
pub fn may_share(author: PersonId, viewer: PersonId, shared: bool) -> Result<(), NoteRefusal> {
    if author != viewer {
        return Err(NoteRefusal::NotTheAuthor);
    }
    if shared {
        return Err(NoteRefusal::AlreadyShared);
    }
    Ok(())
}

/// Whether `viewer` may take back a shared note `author` wrote.
pub fn may_unshare(author: PersonId, viewer: PersonId, shared: bool) -> Result<(), NoteRefusal> {
    if author != viewer {
        return Err(NoteRefusal::NotTheAuthor);
    }
    if !shared {
        return Err(NoteRefusal::NotShared);
    }
    Ok(())
}

/// Whether `viewer` may delete a note `author` wrote, shared or not: it is their writing.
pub fn may_delete(author: PersonId, viewer: PersonId) -> Result<(), NoteRefusal> {
    if author != viewer {
        return Err(NoteRefusal::NotTheAuthor);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_need_words_within_the_limit() {
        assert_eq!(
            check_text("Slept badly. Walked by the river after.", 50),
            Ok(())
        );
        assert_eq!(check_text(" \n ", 50), Err(NoteRefusal::Empty));
        assert_eq!(check_text(&"a".repeat(50), 50), Ok(()));
        assert_eq!(check_text(&"a".repeat(51), 50), Err(NoteRefusal::TooLong));
        assert_eq!(check_text(&"é".repeat(50), 50), Ok(()));
    }

    #[test]
    fn only_the_author_shares_a_private_note() {
        let (author, partner) = (PersonId::new(), PersonId::new());
        assert_eq!(may_share(author, author, false), Ok(()));
        assert_eq!(
            may_share(author, partner, false),
            Err(NoteRefusal::NotTheAuthor)
        );
        assert_eq!(
            may_share(author, author, true),
            Err(NoteRefusal::AlreadyShared)
        );
    }

    #[test]
    fn only_the_author_takes_back_a_shared_note() {
        let (author, partner) = (PersonId::new(), PersonId::new());
        assert_eq!(may_unshare(author, author, true), Ok(()));
        assert_eq!(
            may_unshare(author, partner, true),
            Err(NoteRefusal::NotTheAuthor)
        );
        assert_eq!(
            may_unshare(author, author, false),
            Err(NoteRefusal::NotShared)
        );
    }

    #[test]
    fn only_the_author_deletes_a_note() {
        let (author, partner) = (PersonId::new(), PersonId::new());
        assert_eq!(may_delete(author, author), Ok(()));
        assert_eq!(may_delete(author, partner), Err(NoteRefusal::NotTheAuthor));
    }
}
