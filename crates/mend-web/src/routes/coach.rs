//! `/coach`: try the language coach without an account. The draft is reviewed and forgotten:
//! nothing here stores it, and nothing logs it.

use axum::http::StatusCode;
use axum::response::Response;
use mend_coach::{Category, Coach, Finding, Mode};
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::extract::Form;
use crate::key;
use crate::session::MaybeViewer;
use crate::views::{
    render, render_with, CoachMark, CoachPage, CoachResults, CoachSegment, ModeOption,
};

/// Longest draft the page reviews, in characters (the body limit is larger).
const MAX_CHARS: usize = 20_000;

#[derive(Deserialize)]
pub struct DraftForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    mode: String,
}

fn mode_label(mode: Mode) -> &'static str {
    match mode {
        Mode::Free => key!("coach.mode_free"),
        Mode::Acknowledgement => key!("coach.mode_acknowledgement"),
        Mode::Answer => key!("coach.mode_answer"),
        Mode::Reflection => key!("coach.mode_reflection"),
        Mode::Reassurance => key!("coach.mode_reassurance"),
        Mode::Accountability => key!("coach.mode_accountability"),
        Mode::Pledge => key!("coach.mode_pledge"),
        Mode::Intention => key!("coach.mode_intention"),
    }
}

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

fn mode_options(selected: Mode) -> Vec<ModeOption> {
    // "Anything" first: it is the default and the broadest.
    std::iter::once(Mode::Free)
        .chain(Mode::ALL.iter().copied().filter(|m| *m != Mode::Free))
        .map(|mode| ModeOption {
            value: mode.as_str(),
            label: mode_label(mode),
            selected: mode == selected,
        })
        .collect()
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

/// Reviews the draft, or says why it could not.
fn review(form: &DraftForm) -> (Mode, CoachResults) {
    let mode: Mode = form.mode.parse().unwrap_or_default();
    (mode, results_for(&form.text, mode))
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

pub async fn page(viewer: MaybeViewer, chrome: Chrome) -> Response {
    let chrome = if viewer.0.is_some() {
        chrome.signed_in()
    } else {
        chrome
    };
    render(&CoachPage {
        chrome,
        text: String::new(),
        modes: mode_options(Mode::Free),
        results: CoachResults::refused(key!("coach.empty")),
    })
}

/// The form sent without JavaScript: the whole page, with the results.
pub async fn check(viewer: MaybeViewer, chrome: Chrome, Form(form): Form<DraftForm>) -> Response {
    let chrome = if viewer.0.is_some() {
        chrome.signed_in()
    } else {
        chrome
    };
    let (mode, results) = review(&form);
    let status = if results.problem == Some(key!("coach.too_long")) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_with(
        status,
        &CoachPage {
            chrome,
            text: form.text,
            modes: mode_options(mode),
            results,
        },
    )
}

/// Live feedback while typing (htmx): only the results.
pub async fn live(chrome: Chrome, Form(form): Form<DraftForm>) -> Response {
    let (_, results) = review(&form);
    render(&crate::views::CoachFragment { chrome, results })
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

    #[test]
    fn modes_default_to_free_and_list_each_once() {
        let options = mode_options(Mode::Free);
        assert_eq!(options[0].value, "free");
        assert!(options[0].selected);
        assert_eq!(options.len(), Mode::ALL.len());
    }
}
