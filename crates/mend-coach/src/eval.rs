//! Measures a coach against a labelled corpus: per-category precision, recall and F1, macro-F1,
//! and how often a clean sentence draws any finding at all.

use std::collections::BTreeSet;
use std::fmt;

use serde::Deserialize;

use crate::{Category, Coach, Mode};

/// Why a corpus could not be evaluated.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("corpus line {line}: {source}")]
    Line {
        line: usize,
        #[source]
        source: serde_json::Error,
    },
    #[error("the corpus has no sentences")]
    Empty,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    text: String,
    labels: Vec<Category>,
    #[serde(default)]
    mode: Mode,
}

/// Counts and scores for one category.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CategoryScore {
    pub category: Category,
    /// Sentences labelled with the category.
    pub support: usize,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    /// 1.0 when the coach never predicted the category (it made no mistake of that kind).
    pub precision: f64,
    /// 1.0 when no sentence carries the label.
    pub recall: f64,
    pub f1: f64,
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, PartialEq)]
pub struct EvalReport {
    pub sentences: usize,
    pub per_category: Vec<CategoryScore>,
    /// Mean F1 over the categories that have at least one labelled sentence.
    pub macro_f1: f64,
    pub clean_sentences: usize,
    pub clean_flagged: usize,
    /// Share of clean sentences (no labels) that drew any finding.
    pub clean_false_alarm_share: f64,
}

impl EvalReport {
    /// The score for one category.
    pub fn category(&self, category: Category) -> Option<&CategoryScore> {
        self.per_category.iter().find(|s| s.category == category)
    }
}

/// Reviews each corpus line (`{"text", "labels", "mode"?}`; mode defaults to `free`) and
/// compares the categories found with the labels.
pub fn evaluate(coach: &Coach, corpus_jsonl: &str) -> Result<EvalReport, EvalError> {
    let n = Category::ALL.len();
    let (mut tp, mut fp, mut fnn, mut support) = (vec![0; n], vec![0; n], vec![0; n], vec![0; n]);
    let (mut sentences, mut clean, mut clean_flagged) = (0, 0, 0);
    for (i, line) in corpus_jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: Entry = serde_json::from_str(line).map_err(|source| EvalError::Line {
            line: i + 1,
            source,
        })?;
        sentences += 1;
        let found: BTreeSet<Category> = coach
            .review(&entry.text, entry.mode)
            .into_iter()
            .map(|f| f.category)
            .collect();
        let wanted: BTreeSet<Category> = entry.labels.into_iter().collect();
        if wanted.is_empty() {
            clean += 1;
            if !found.is_empty() {
                clean_flagged += 1;
            }
        }
        for c in Category::ALL {
            let k = c.index();
            match (wanted.contains(&c), found.contains(&c)) {
                (true, true) => tp[k] += 1,
                (false, true) => fp[k] += 1,
                (true, false) => fnn[k] += 1,
                (false, false) => {}
            }
            if wanted.contains(&c) {
                support[k] += 1;
            }
        }
    }
    if sentences == 0 {
        return Err(EvalError::Empty);
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let per_category: Vec<CategoryScore> = Category::ALL
        .into_iter()
        .map(|c| {
            let k = c.index();
            let precision = ratio(tp[k], tp[k] + fp[k]);
            let recall = ratio(tp[k], tp[k] + fnn[k]);
            let f1 = if precision + recall == 0.0 {
                0.0
            } else {
                2.0 * precision * recall / (precision + recall)
            };
            CategoryScore {
                category: c,
                support: support[k],
                true_positives: tp[k],
                false_positives: fp[k],
                false_negatives: fnn[k],
                precision,
                recall,
                f1,
            }
        })
        .collect();
    let scored: Vec<f64> = per_category
        .iter()
        .filter(|s| s.support > 0)
        .map(|s| s.f1)
        .collect();
    let macro_f1 = if scored.is_empty() {
        0.0
    } else {
        scored.iter().sum::<f64>() / scored.len() as f64
    };
    Ok(EvalReport {
        sentences,
        per_category,
        macro_f1,
        clean_sentences: clean,
        clean_flagged,
        clean_false_alarm_share: if clean == 0 {
            0.0
        } else {
            clean_flagged as f64 / clean as f64
        },
    })
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<20} {:>7} {:>4} {:>4} {:>4} {:>9} {:>7} {:>6}",
            "category", "support", "tp", "fp", "fn", "precision", "recall", "f1"
        )?;
        for s in &self.per_category {
            writeln!(
                f,
                "{:<20} {:>7} {:>4} {:>4} {:>4} {:>9.3} {:>7.3} {:>6.3}",
                s.category.as_str(),
                s.support,
                s.true_positives,
                s.false_positives,
                s.false_negatives,
                s.precision,
                s.recall,
                s.f1
            )?;
        }
        writeln!(f, "{:<20} {:>44.3}", "macro-F1", self.macro_f1)?;
        write!(
            f,
            "sentences: {}; clean: {}; clean with any finding: {} ({:.1}%)",
            self.sentences,
            self.clean_sentences,
            self.clean_flagged,
            self.clean_false_alarm_share * 100.0
        )
    }
}
