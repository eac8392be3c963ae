//! The coach's findings turned into what a page shows: the draft in marked pieces and a note
//! for each mark. Used by the coach page and by every editor that checks a draft.

use mend_coach::{Category, Coach, Finding, Mode};

use crate::key;
use crate::views::{CoachMark, CoachResults, CoachSegment};

/// Longest draft the page reviews, in characters (the body limit is larger).
const MAX_CHARS: usize = 20_000;

fn category_label(category: Category) -> &'static str {
    match category {
        Category::Excuse => key!("coach.category_excuse"),
        Category::Justification => key!("coach.category_justification"),
        Category::BlameShift => key!("coach.category_blame_shift"),
        Category::Minimizing => key!("coach.category_minimizing"),
        Category::NonApology => key!("coach.category_non_apology"),
        Category::Defensive => key!("coach.category_defensive"),
        Category::Invalidating => key!("coach.category_invalidating"),
        Category::Urging => key!("coach.category_urging"),
        Category::Analyzing => key!("coach.category_analyzing"),
        Category::SelfFocus => key!("coach.category_self_focus"),
        Category::Hedging => key!("coach.category_hedging"),
        Category::InflammatoryDetail => key!("coach.category_inflammatory_detail"),
    }
}

/// Splits the draft into plain and marked pieces. Where findings overlap, the first one marks
/// the text and the later ones are still listed below.
fn segments(text: &str, findings: &[Finding]) -> Vec<CoachSegment> {
    let mut pieces = Vec::new();
    let mut at = 0;
    for (index, finding) in findings.iter().enumerate() {
        if finding.start < at || finding.end > text.len() || finding.start >= finding.end {
            continue;
        }
        if finding.start > at {
            pieces.push(CoachSegment {
                text: text[at..finding.start].to_owned(),
                mark: None,
            });
        }
        pieces.push(CoachSegment {
            text: text[finding.start..finding.end].to_owned(),
            mark: Some(index + 1),
        });
        at = finding.end;
    }
    if at < text.len() {
        pieces.push(CoachSegment {
            text: text[at..].to_owned(),
            mark: None,
        });
    }
    pieces
}

/// The coach's results for `text` in `mode`, ready for a page.
pub fn results_for(text: &str, mode: Mode) -> CoachResults {
    if text.chars().count() > MAX_CHARS {
        return CoachResults::refused(key!("coach.too_long"));
    }
    if mend_core::text::is_blank(text) {
        return CoachResults::refused(key!("coach.empty"));
    }
    let findings = Coach::english().review(text, mode);
    let marks = findings
        .iter()
        .enumerate()
        .map(|(i, f)| CoachMark {
            number: i + 1,
            category: category_label(f.category),
            severity: f.severity.as_str(),
            text: f.text.clone(),
            message: f.message.to_string(),
            suggestion: f.suggestion.to_string(),
        })
        .collect();
    CoachResults {
        problem: None,
        segments: segments(text, &findings),
        marks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cover_the_text_exactly_once() {
        let text = "I'm sorry if you were hurt, but you were never there for me.";
        let findings = Coach::english().review(text, Mode::Free);
        assert!(!findings.is_empty());
        let pieces = segments(text, &findings);
        let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, text);
        assert!(pieces.iter().any(|p| p.mark.is_some()));
    }
}
