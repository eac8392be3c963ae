//! Each partner's private journal: private notes (see [`crate::private_note`]) kept in a
//! space. An entry is theirs alone until they share it; they can take a shared entry back, and
//! delete any of their entries, at any time.

/// The longest journal entry, in characters.
pub const MAX_JOURNAL_CHARS: usize = 20_000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::private_note::{check_text, NoteRefusal};

    #[test]
    fn entries_need_words_within_the_limit() {
        assert_eq!(
            check_text("Slept badly. Walked by the river after.", MAX_JOURNAL_CHARS),
            Ok(())
        );
        assert_eq!(
            check_text(" \n ", MAX_JOURNAL_CHARS),
            Err(NoteRefusal::Empty)
        );
        assert_eq!(
            check_text(&"a".repeat(MAX_JOURNAL_CHARS), MAX_JOURNAL_CHARS),
            Ok(())
        );
        assert_eq!(
            check_text(&"a".repeat(MAX_JOURNAL_CHARS + 1), MAX_JOURNAL_CHARS),
            Err(NoteRefusal::TooLong)
        );
        // Counted in characters, not bytes: a long entry in any script gets the same room.
        assert_eq!(
            check_text(&"é".repeat(MAX_JOURNAL_CHARS), MAX_JOURNAL_CHARS),
            Ok(())
        );
    }
}
