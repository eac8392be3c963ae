//! Leaving the space, and deleting the account: one page model for both, since both say what
//! happens, what does not, and ask for the password and a typed word.

use askama::Template;

use crate::chrome::Chrome;

#[derive(Template)]
#[template(path = "departure.html")]
pub struct DeparturePage {
    pub chrome: Chrome,
    /// Where the form posts: `/account/leave` or `/account/delete`.
    pub action: &'static str,
    /// The catalogue section of the page's sentences: `leave` or `delete`.
    pub title: &'static str,
    pub intro: &'static str,
    pub happens: Vec<&'static str>,
    pub stays: Vec<&'static str>,
    /// The word to type, from the catalogue.
    pub word: &'static str,
    pub confirm_label: &'static str,
    pub submit: &'static str,
    pub errors: Vec<&'static str>,
}
