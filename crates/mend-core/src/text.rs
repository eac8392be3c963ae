//! What counts as visible text. A name, an address or an entry made only of characters that
//! show as nothing must be treated as empty, and characters that reorder what follows them
//! must never reach a name the partner reads.

use unicode_normalization::UnicodeNormalization;

/// Characters that render as nothing: Unicode's default-ignorable code points (zero-width
/// spaces and joiners, direction marks, word joiners, variation selectors, tags, fillers),
/// plus the blank look-alikes that fonts draw empty.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Characters that change the direction of the text after them (embeddings, overrides,
/// isolates and the marks), which can make a name read as something else.
pub fn is_direction_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Invisible characters that belong to the visible character before them: variation selectors
/// (❤ drawn as ❤️) and tags (the letters of a regional flag).
fn belongs_to_previous(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0000}'..='\u{E0FFF}')
}

/// `text` without the spaces and invisible characters at either end, keeping those that are
/// part of the last character drawn, and direction controls (which callers refuse).
pub fn trimmed(text: &str) -> &str {
    let strip = |c: char| {
        c.is_whitespace()
            || (is_invisible(c) && !is_direction_control(c) && !belongs_to_previous(c))
    };
    text.trim_matches(strip)
}

/// Whether `text` shows nothing at all: empty, spaces, or only invisible characters.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// The text in Unicode's composed form (NFC), so that one name or address typed on two
/// keyboards is stored and compared as the same characters.
pub fn composed(text: &str) -> String {
    text.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_invisible_characters_are_blank() {
        for text in [
            "",
            "   ",
            "\u{200B}\u{200B}",
            " \u{200D}\u{FEFF}\n",
            "\u{2800}",
            "\u{3164}",
            "\u{E0041}",
        ] {
            assert!(is_blank(text), "{text:?}");
        }
        for text in ["a", "\u{200B}x\u{200B}", "😀", "\u{0301}"] {
            assert!(!is_blank(text), "{text:?}");
        }
    }

    #[test]
    fn direction_controls_are_recognised() {
        assert!("Al\u{202E}xe".chars().any(is_direction_control));
        assert!("\u{2067}x".chars().any(is_direction_control));
        assert!(!"Alex".chars().any(is_direction_control));
        // Arabic and Hebrew letters are not controls: they are ordinary right-to-left text.
        assert!(!"سارا".chars().any(is_direction_control));
        assert!(!"נועה".chars().any(is_direction_control));
    }

    #[test]
    fn trimming_keeps_what_belongs_to_the_last_character() {
        assert_eq!(trimmed("\u{200B} Sam \u{FEFF}"), "Sam");
        assert_eq!(trimmed("Sam ❤\u{FE0F}"), "Sam ❤\u{FE0F}");
        let scotland = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
        assert_eq!(
            trimmed(&format!("Sam {scotland}")),
            format!("Sam {scotland}")
        );
        assert_eq!(trimmed("\u{202E}Sam"), "\u{202E}Sam");
    }

    #[test]
    fn composed_form_joins_accents() {
        assert_eq!(composed("Ame\u{0301}lie"), "Amélie");
        assert_eq!(composed("Amélie"), "Amélie");
    }
}
