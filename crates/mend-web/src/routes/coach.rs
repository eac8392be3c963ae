//! `/coach`: try the language coach without an account. The draft is reviewed and forgotten:
//! nothing here stores it, and nothing logs it.

use axum::http::StatusCode;
use axum::response::Response;
use mend_coach::Mode;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::coaching::results_for;
use crate::extract::Form;
use crate::key;
use crate::session::MaybeViewer;
use crate::views::{render, render_with, CoachPage, CoachResults, ModeOption};

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

/// Reviews the draft, or says why it could not.
fn review(form: &DraftForm) -> (Mode, CoachResults) {
    let mode: Mode = form.mode.parse().unwrap_or_default();
    (mode, results_for(&form.text, mode))
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
    fn modes_default_to_free_and_list_each_once() {
        let options = mode_options(Mode::Free);
        assert_eq!(options[0].value, "free");
        assert!(options[0].selected);
        assert_eq!(options.len(), Mode::ALL.len());
    }
}
