//! The quality floors on the labelled corpus, and the corpus's own shape.

use std::collections::BTreeSet;

use mend_coach::eval::evaluate;
use mend_coach::{Category, Coach, Mode, ENGLISH_CORPUS};

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
    assert!(total >= 400, "{total} sentences");
    assert!(clean >= 150, "{clean} clean sentences");
    for (i, c) in Category::ALL.iter().enumerate() {
        assert!(positives[i] >= 20, "{c}: {} positives", positives[i]);
    }
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
