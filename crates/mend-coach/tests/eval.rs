//! The quality floors on the labelled corpus, and the corpus's own shape.

use std::collections::BTreeSet;

use mend_coach::eval::evaluate;
use mend_coach::{Category, Coach, Mode, ENGLISH_CORPUS, ENGLISH_HOLDOUT};

/// Every sentence the coach gets wrong, for a readable failure message.
fn mistakes() -> String {
    let coach = Coach::english();
    let mut out = String::new();
    for line in ENGLISH_CORPUS.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("corpus line is JSON");
        let text = v["text"].as_str().unwrap_or_default();
        let want: BTreeSet<String> = v["labels"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let found = coach.review(text, Mode::Free);
        let got: BTreeSet<String> = found
            .iter()
            .map(|f| f.category.as_str().to_owned())
            .collect();
        if want != got {
            let rules: Vec<&str> = found.iter().map(|f| &*f.rule).collect();
            out.push_str(&format!("want {want:?} got {rules:?}: {text}\n"));
        }
    }
    out
}

#[test]
fn corpus_has_the_required_shape() {
    let mut positives = [0usize; 12];
    let (mut total, mut clean) = (0, 0);
    for line in ENGLISH_CORPUS.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("corpus line is JSON");
        total += 1;
        let labels = v["labels"].as_array().expect("labels is an array");
        if labels.is_empty() {
            clean += 1;
        }
        for (i, c) in Category::ALL.iter().enumerate() {
            if labels.iter().any(|l| l.as_str() == Some(c.as_str())) {
                positives[i] += 1;
            }
        }
    }
    assert!(total >= 3_000, "{total} texts");
    assert!(clean >= 1_000, "{clean} clean texts");
    for (i, c) in Category::ALL.iter().enumerate() {
        assert!(positives[i] >= 150, "{c}: {} positives", positives[i]);
    }
    let multi_sentence = texts(ENGLISH_CORPUS)
        .iter()
        .filter(|t| {
            t.trim_end()
                .trim_end_matches(['.', '!', '?'])
                .contains(['.', '!', '?'])
        })
        .count();
    // Issue 15 asks for half of the corpus to be messages of several sentences.
    assert!(
        multi_sentence >= 1_500 && multi_sentence * 2 >= total,
        "{multi_sentence} of {total} texts are multi-sentence"
    );
}

#[test]
fn precision_and_false_alarm_floors_hold() {
    let report = evaluate(Coach::english(), ENGLISH_CORPUS).expect("the corpus parses");
    let ok = report.clean_false_alarm_share <= 0.05
        && report.per_category.iter().all(|s| s.precision >= 0.9);
    assert!(ok, "{report}\n{}", mistakes());
}

#[test]
fn recall_stays_useful() {
    let report = evaluate(Coach::english(), ENGLISH_CORPUS).expect("the corpus parses");
    let low: Vec<String> = report
        .per_category
        .iter()
        .filter(|s| s.recall < 0.8)
        .map(|s| format!("{}: {:.2}", s.category, s.recall))
        .collect();
    assert!(
        low.is_empty(),
        "{report}\n{}\n{}",
        low.join(", "),
        mistakes()
    );
}

#[test]
fn malformed_corpus_lines_are_reported_with_their_number() {
    let err = evaluate(
        Coach::english(),
        "{\"text\": \"a\", \"labels\": []}\nnot json\n",
    )
    .expect_err("line 2 is not JSON");
    assert!(err.to_string().contains("line 2"), "{err}");
    let err = evaluate(
        Coach::english(),
        "{\"text\": \"a\", \"labels\": [\"rudeness\"]}\n",
    )
    .expect_err("unknown label");
    assert!(err.to_string().contains("line 1"), "{err}");
    assert!(evaluate(Coach::english(), "\n").is_err());
}

/// Lower case with runs of white space made one space, so a copy differing only in those counts.
fn normalised(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn texts(jsonl: &str) -> Vec<String> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("line is JSON");
            v["text"].as_str().expect("text is a string").to_owned()
        })
        .collect()
}

// No quality floor here on purpose: the hold-out measures, it is not tuned on.
#[test]
fn holdout_parses_and_has_the_required_shape() {
    let report = evaluate(Coach::english(), ENGLISH_HOLDOUT)
        .expect("every hold-out line parses and every label is a known category");
    assert!(report.sentences >= 600, "{} texts", report.sentences);
    assert!(
        report.clean_sentences * 3 >= report.sentences,
        "{} clean of {}",
        report.clean_sentences,
        report.sentences
    );
    for s in &report.per_category {
        assert!(s.support >= 20, "{}: {} positives", s.category, s.support);
    }
    let multi_sentence = texts(ENGLISH_HOLDOUT)
        .iter()
        .filter(|t| {
            t.trim_end()
                .trim_end_matches(['.', '!', '?'])
                .contains(['.', '!', '?'])
        })
        .count();
    assert!(
        multi_sentence * 2 >= report.sentences,
        "{multi_sentence} multi-sentence texts of {}",
        report.sentences
    );
}

#[test]
fn holdout_shares_no_text_with_the_corpus_or_itself() {
    let corpus: BTreeSet<String> = texts(ENGLISH_CORPUS)
        .iter()
        .map(|t| normalised(t))
        .collect();
    let mut seen = BTreeSet::new();
    let (mut shared, mut twice) = (0, 0);
    for text in texts(ENGLISH_HOLDOUT) {
        let key = normalised(&text);
        shared += usize::from(corpus.contains(&key));
        twice += usize::from(!seen.insert(key));
    }
    // Counts only: a hold-out text printed here would be a hold-out text seen.
    assert_eq!(
        (shared, twice),
        (0, 0),
        "hold-out texts also in en.jsonl, and written twice in the hold-out"
    );
}

#[test]
fn a_duplicate_that_differs_in_case_and_spaces_is_caught() {
    assert_eq!(
        normalised("  I lied.\n  Sorry "),
        normalised("i LIED. sorry")
    );
}
