//! Whatever the input, the coach never panics and every span is a real slice of it.

use mend_coach::{Coach, Mode};
use proptest::prelude::*;

fn check(text: &str) {
    let coach = Coach::english();
    for mode in Mode::ALL {
        let findings = coach.review(text, mode);
        let mut prev = 0;
        for f in findings {
            assert!(f.start < f.end && f.end <= text.len());
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            assert_eq!(&text[f.start..f.end], f.text);
            assert_eq!(text[..f.start].chars().count(), f.char_start);
            assert_eq!(text[..f.end].chars().count(), f.char_end);
            assert_eq!(text[..f.start].encode_utf16().count(), f.utf16_start);
            assert_eq!(text[..f.end].encode_utf16().count(), f.utf16_end);
            assert!(f.start >= prev, "findings are ordered by start");
            prev = f.start;
            assert!(mode.categories().contains(&f.category));
        }
    }
}

/// Fragments that trigger rules, glued with odd Unicode, quotes and punctuation, so the
/// context checks run on hostile text rather than only on random noise.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("I'm sorry if you were hurt".to_owned()),
        Just(", but ".to_owned()),
        Just("you’re overreacting".to_owned()),
        Just("YOU WERE NEVER THERE".to_owned()),
        Just("“get over it”".to_owned()),
        Just("'".to_owned()),
        Just("\u{2019}".to_owned()),
        Just("\"".to_owned()),
        Just("not ".to_owned()),
        Just(". ".to_owned()),
        Just("\n".to_owned()),
        Just("sorry ... but".to_owned()),
        Just("I'll try".to_owned()),
        Just("é́".to_owned()),
        Just("😀".to_owned()),
        Just("İ".to_owned()),
        Just("\u{0}".to_owned()),
        any::<String>(),
        "[a-zA-Z ’'\",.!?]{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_unicode_is_safe(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn trigger_soup_is_safe(parts in proptest::collection::vec(fragment(), 0..24)) {
        check(&parts.concat());
    }
}

#[test]
fn long_text_without_punctuation_is_safe() {
    check(&"you're overreacting and sorry but ".repeat(600));
    check(&"é".repeat(5_000));
    check("");
}

/// Long texts are scanned in pieces; the findings must be exactly those of each line alone.
#[test]
fn long_texts_find_what_their_lines_find() {
    let coach = Coach::english();
    let lines: Vec<String> = mend_coach::ENGLISH_CORPUS
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_owned))
        .collect();
    let mut text = String::new();
    let mut expected = Vec::new();
    while text.len() < 200 * 1024 {
        for line in &lines {
            for f in coach.review(line, Mode::Free) {
                expected.push((f.start + text.len(), f.end + text.len(), f.rule.to_string()));
            }
            text.push_str(line);
            text.push('\n');
        }
    }
    let got: Vec<(usize, usize, String)> = coach
        .review(&text, Mode::Free)
        .into_iter()
        .map(|f| (f.start, f.end, f.rule.to_string()))
        .collect();
    assert_eq!(got.len(), expected.len());
    let first = got.iter().zip(&expected).position(|(a, b)| a != b);
    assert!(
        first.is_none(),
        "{:?}",
        first.map(|i| (
            &got[i],
            &expected[i],
            &text[got[i].0.saturating_sub(80)..got[i].1]
        ))
    );
}
