//! Pages of accounts and safety: signing up, logging in, the safety check, help.

use askama::Template;

use crate::chrome::Chrome;

#[derive(Template)]
#[template(path = "landing.html")]
pub struct LandingPage {
    pub chrome: Chrome,
}

#[derive(Template)]
#[template(path = "signup.html")]
pub struct SignupPage {
    pub chrome: Chrome,
    pub name: String,
    pub email: String,
    pub next: String,
    /// A counsellor's link code, when this account is to be a counsellor's (issue 14).
    pub counsellor: String,
    pub errors: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub chrome: Chrome,
    pub email: String,
    pub next: String,
    /// What happens now, after the sign-up form.
    pub notice: Option<&'static str>,
    pub error: Option<&'static str>,
}

pub struct SafetyItem {
    pub id: &'static str,
    pub text: &'static str,
    pub selected: &'static str,
}

#[derive(Template)]
#[template(path = "safety.html")]
pub struct SafetyPage {
    pub chrome: Chrome,
    pub next: String,
    pub items: Vec<SafetyItem>,
    pub error: bool,
}

#[derive(Template)]
#[template(path = "support.html")]
pub struct SupportPage {
    pub chrome: Chrome,
    pub next: String,
}

#[derive(Template)]
#[template(path = "left.html")]
pub struct LeftPage {
    pub chrome: Chrome,
}

#[derive(Template)]
#[template(path = "help.html")]
pub struct HelpPage {
    pub chrome: Chrome,
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub chrome: Chrome,
    pub errors: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "reset.html")]
pub struct ResetPage {
    pub chrome: Chrome,
    pub token: String,
    pub errors: Vec<&'static str>,
}

/// The account page: change password, export, leave the space, delete the account.
#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub chrome: Chrome,
    /// Whether the viewer is in a space, so may leave it.
    pub in_space: bool,
    pub time_zone: ZoneChoice,
    pub errors: Vec<&'static str>,
    /// Mail (issue 12): `None` when this server sends no mail; else whether the address is
    /// verified.
    pub verified: Option<bool>,
    /// What came of asking for the verification link again.
    pub mail_notice: Option<&'static str>,
    pub notifications: NotificationBlock,
}

/// The "Notifications" block of the account page (issue 12).
pub struct NotificationBlock {
    /// Whether this server sends mail at all; without it the block says so and no more.
    pub on_server: bool,
    pub verified: bool,
    /// "off", "digest" or "soon".
    pub cadence: &'static str,
    pub digest_hour: u8,
    pub quiet: bool,
    pub quiet_start: u8,
    pub quiet_end: u8,
    pub hours: Vec<HourOption>,
    pub topics: Vec<TopicOption>,
    pub wordings: Vec<WordingOption>,
    /// Shown to the partner who is making amends: trigger signals come to them.
    pub at_once_offered: bool,
    pub triggers_at_once: bool,
    /// The zone the hours are read in.
    pub zone: &'static str,
    /// The choice was just saved.
    pub saved: bool,
}

impl NotificationBlock {
    pub fn off_here() -> Self {
        NotificationBlock {
            on_server: false,
            verified: false,
            cadence: "off",
            digest_hour: 0,
            quiet: false,
            quiet_start: 0,
            quiet_end: 0,
            hours: Vec::new(),
            topics: Vec::new(),
            wordings: Vec::new(),
            at_once_offered: false,
            triggers_at_once: false,
            zone: "",
            saved: false,
        }
    }
}

pub struct HourOption {
    pub value: u8,
    /// "07:00".
    pub label: String,
}

pub struct TopicOption {
    /// The form field's name.
    pub field: &'static str,
    /// Its catalogue key.
    pub label: &'static str,
    pub checked: bool,
}

/// One wording, with the exact subject and body a message in it has.
pub struct WordingOption {
    pub value: &'static str,
    pub subject: String,
    pub body: String,
    pub checked: bool,
}

/// "Forgot your password?": a form when mail is on, who to ask when it is off.
#[derive(Template)]
#[template(path = "forgot.html")]
pub struct ForgotPage {
    pub chrome: Chrome,
    pub mail_on: bool,
    /// The request was taken: the same answer for every address.
    pub sent: bool,
}

/// The verification link's page: one button, so that previewing the link uses nothing up.
#[derive(Template)]
#[template(path = "verify.html")]
pub struct VerifyPage {
    pub chrome: Chrome,
    pub token: String,
}

/// The account page's time zone block: the zone in use, whether one was chosen, and the list.
pub struct ZoneChoice {
    pub current: &'static str,
    pub chosen: bool,
    pub names: &'static [&'static str],
}

impl ZoneChoice {
    pub fn of(viewer: &crate::session::Viewer) -> Self {
        Self {
            current: viewer.zone().name(),
            chosen: viewer.record.time_zone.is_some(),
            names: mend_core::Zone::names(),
        }
    }
}
