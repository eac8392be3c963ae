//! Transparency agreements.

use crate::when::When;
use askama::Template;

use crate::chrome::Chrome;

pub struct TransparencyView {
    pub id: String,
    pub text: String,
    /// The catalogue key of the period's name.
    pub period: &'static str,
    pub is_renewal: bool,
    /// When an accepted agreement starts and ends, or when an offer was declined or withdrawn.
    pub from: When,
    pub until: When,
    /// For an offer not taken up: the catalogue key saying how it closed.
    pub closed_how: &'static str,
    pub can_renew: bool,
    pub renewal_waiting: bool,
    /// What the renewal form starts with: the same words and period, or what was typed.
    pub renew_text: String,
    pub renew_days: i64,
    /// The renewal form is shown open again when it had a problem.
    pub renew_open: bool,
}

pub struct PeriodChoice {
    pub days: i64,
    pub name: &'static str,
}

#[derive(Template)]
#[template(path = "transparency.html")]
pub struct TransparencyPage {
    pub chrome: Chrome,
    /// The id a form creating something here stores it under (see `once.rs`).
    pub form_id: String,
    /// False once the journey has ended: it is shown to read, without forms.
    pub ongoing: bool,
    pub action: String,
    pub journey: String,
    pub is_hurt: bool,
    pub offers: Vec<TransparencyView>,
    pub running: Vec<TransparencyView>,
    pub upcoming: Vec<TransparencyView>,
    pub ended: Vec<TransparencyView>,
    pub closed: Vec<TransparencyView>,
    pub periods: Vec<PeriodChoice>,
    pub typed: String,
    pub typed_days: i64,
    pub errors: Vec<&'static str>,
}
