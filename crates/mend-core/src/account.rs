//! What an account is made of, and what makes its parts valid.

use crate::text;

/// An e-mail address, trimmed, composed (NFC) and lower-cased so that one person cannot hold
/// two accounts by changing case, and free of invisible characters so that no address can pass
/// for another one. Mend never sends e-mail; the address is only a login name.
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

/// Why an e-mail address was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailProblem {
    #[error("the e-mail address is empty")]
    Empty,
    #[error("the e-mail address is too long")]
    TooLong,
    #[error("the e-mail address is not in the form name@example.org")]
    Malformed,
}

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, EmailProblem> {
        let email = text::composed(input.trim()).to_lowercase();
        if text::is_blank(&email) {
            return Err(EmailProblem::Empty);
        }
        if email.len() > Self::MAX_LEN {
            return Err(EmailProblem::TooLong);
        }
        let (local, domain) = email.split_once('@').ok_or(EmailProblem::Malformed)?;
        let well_formed = !local.is_empty()
            && !domain.is_empty()
            && !domain.contains('@')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email.chars().any(|c| {
                c.is_whitespace()
                    || c.is_control()
                    || text::is_invisible(c)
                    || text::is_direction_control(c)
            });
        if !well_formed {
            return Err(EmailProblem::Malformed);
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form an address typed as `typed` was stored in before addresses were composed
    /// (NFC): only trimmed and lower-cased. `None` when that is `normalised` itself, so an
    /// account kept under the earlier form is looked up under it only when it could differ.
    pub fn stored_before_composing(typed: &str, normalised: &str) -> Option<String> {
        let earlier = typed.trim().to_lowercase();
        (earlier != normalised).then_some(earlier)
    }
}

// An e-mail address is personal data: keep it out of debug output and so out of logs.
impl std::fmt::Debug for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Email(..)")
    }
}

/// The name a person shows to their partner.
#[derive(Clone, PartialEq, Eq)]
pub struct DisplayName(String);

/// Why a name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameProblem {
    #[error("the name is empty")]
    Empty,
    #[error("the name is longer than 60 characters")]
    TooLong,
    #[error("the name contains control or direction-changing characters")]
    ControlCharacters,
}

impl DisplayName {
    pub const MAX_CHARS: usize = 60;

    /// Trims spaces and invisible characters from both ends and composes the name (NFC); a
    /// name that shows nothing is empty, and one that could reorder the text around it when
    /// the partner reads it is refused.
    pub fn parse(input: &str) -> Result<Self, NameProblem> {
        let name = text::composed(text::trimmed(input));
        if text::is_blank(&name) {
            return Err(NameProblem::Empty);
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(NameProblem::TooLong);
        }
        if name
            .chars()
            .any(|c| c.is_control() || text::is_direction_control(c))
        {
            return Err(NameProblem::ControlCharacters);
        }
        Ok(Self(name))
    }

    /// A name read back from storage. Names kept before the checks above may hold controls or
    /// direction changes: those characters are dropped when shown, never refused, so that no
    /// one is locked out of their account by the name they chose then.
    pub fn from_stored(stored: &str) -> Self {
        Self(
            stored
                .chars()
                .filter(|&c| !c.is_control() && !text::is_direction_control(c))
                .collect(),
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for DisplayName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DisplayName(..)")
    }
}

/// A password a person has chosen, checked against the policy but not yet hashed.
pub struct NewPassword(String);

/// Why a new password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("the password is shorter than 10 characters")]
    TooShort,
    #[error("the password is longer than 1024 bytes")]
    TooLong,
    #[error("the password is common or easy to guess")]
    EasyToGuess,
}

impl NewPassword {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_BYTES: usize = 1024;

    /// Checks length and guessability; `personal` holds the person's own name and e-mail,
    /// which make a password easier to guess when they appear in it.
    pub fn parse(password: &str, personal: &[&str]) -> Result<Self, PasswordProblem> {
        if password.len() > Self::MAX_BYTES {
            return Err(PasswordProblem::TooLong);
        }
        if password.chars().count() < Self::MIN_CHARS {
            return Err(PasswordProblem::TooShort);
        }
        // zxcvbn scores 0-4; 3 means "safely unguessable" against an offline attack with a
        // slow hash, which is what Argon2id gives us.
        let estimate = zxcvbn::zxcvbn(password, personal);
        if (estimate.score() as u8) < 3 {
            return Err(PasswordProblem::EasyToGuess);
        }
        Ok(Self(password.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Sam@Example.ORG ").unwrap().as_str(),
            "sam@example.org"
        );
        assert_eq!(Email::parse("").unwrap_err(), EmailProblem::Empty);
        assert_eq!(
            Email::parse("no-at-sign").unwrap_err(),
            EmailProblem::Malformed
        );
        assert_eq!(Email::parse("a@b@c").unwrap_err(), EmailProblem::Malformed);
        assert_eq!(
            Email::parse("a b@c.org").unwrap_err(),
            EmailProblem::Malformed
        );
        assert_eq!(
            Email::parse(&format!("{}@x.org", "a".repeat(260))).unwrap_err(),
            EmailProblem::TooLong
        );
    }

    #[test]
    fn emails_with_invisible_or_direction_characters_are_refused() {
        // Each would look exactly like sam@example.org on a page.
        for lookalike in [
            "sam\u{200B}@example.org",
            "sam@exam\u{200D}ple.org",
            "\u{FEFF}sam@example.org",
            "sam@example.org\u{2060}",
            "sam\u{202E}@example.org",
        ] {
            assert_eq!(
                Email::parse(lookalike).unwrap_err(),
                EmailProblem::Malformed,
                "{lookalike:?}"
            );
        }
        assert_eq!(
            Email::parse("\u{200B}\u{200B}").unwrap_err(),
            EmailProblem::Empty
        );
        // The same address typed with a combining accent or a composed letter is one address.
        assert_eq!(
            Email::parse("Ame\u{0301}lie@example.org").unwrap(),
            Email::parse("amélie@example.org").unwrap()
        );
    }

    #[test]
    fn the_earlier_stored_form_is_offered_only_when_it_differs() {
        let typed = " Ame\u{0301}lie@Example.org";
        let normalised = Email::parse(typed).unwrap();
        assert_eq!(
            Email::stored_before_composing(typed, normalised.as_str()).as_deref(),
            Some("ame\u{0301}lie@example.org")
        );
        let plain = Email::parse(" Sam@Example.org").unwrap();
        assert_eq!(
            Email::stored_before_composing(" Sam@Example.org", plain.as_str()),
            None
        );
    }

    #[test]
    fn email_debug_output_hides_the_address() {
        assert!(!format!("{:?}", Email::parse("sam@example.org").unwrap()).contains("sam"));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse(" Alex ").unwrap().as_str(), "Alex");
        assert_eq!(DisplayName::parse("   ").unwrap_err(), NameProblem::Empty);
        assert_eq!(
            DisplayName::parse(&"é".repeat(61)).unwrap_err(),
            NameProblem::TooLong
        );
        assert!(DisplayName::parse(&"é".repeat(60)).is_ok());
        assert_eq!(
            DisplayName::parse("a\u{7}b").unwrap_err(),
            NameProblem::ControlCharacters
        );
    }

    #[test]
    fn names_that_show_nothing_or_turn_text_around_are_refused() {
        for invisible in [
            "\u{200B}",
            "\u{200B}\u{200C}\u{200D}",
            " \u{FEFF} ",
            "\u{3164}",
        ] {
            assert_eq!(
                DisplayName::parse(invisible).unwrap_err(),
                NameProblem::Empty,
                "{invisible:?}"
            );
        }
        for turning in [
            "Al\u{202E}xe",
            "\u{2067}Alex",
            "Al\u{200F}ex",
            "Sam\u{202A}",
        ] {
            assert_eq!(
                DisplayName::parse(turning).unwrap_err(),
                NameProblem::ControlCharacters,
                "{turning:?}"
            );
        }
        // Invisible characters at the ends go; the name is composed (NFC).
        assert_eq!(
            DisplayName::parse("\u{200B}Ame\u{0301}lie\u{FEFF}")
                .unwrap()
                .as_str(),
            "Amélie"
        );
        assert_eq!(
            DisplayName::from_stored("Al\u{202E}ex\u{7}").as_str(),
            "Alex"
        );
        // Right-to-left names and emoji sequences (joined by U+200D) are ordinary names.
        assert!(DisplayName::parse("נועה").is_ok());
        assert!(DisplayName::parse("Sam 👩\u{200D}💻").is_ok());
        assert_eq!(
            DisplayName::parse("Sam ❤\u{FE0F}").unwrap().as_str(),
            "Sam ❤\u{FE0F}"
        );
    }

    #[test]
    fn passwords_must_be_long_and_hard_to_guess() {
        assert_eq!(
            NewPassword::parse("short", &[]).err(),
            Some(PasswordProblem::TooShort)
        );
        assert_eq!(
            NewPassword::parse("password123", &[]).err(),
            Some(PasswordProblem::EasyToGuess)
        );
        assert_eq!(
            NewPassword::parse("qwertyuiop", &[]).err(),
            Some(PasswordProblem::EasyToGuess)
        );
        assert_eq!(
            NewPassword::parse("1234567890", &[]).err(),
            Some(PasswordProblem::EasyToGuess)
        );
        assert!(NewPassword::parse("lantern-orchid-gravel-71", &[]).is_ok());
        assert_eq!(
            NewPassword::parse(&"x".repeat(1025), &[]).err(),
            Some(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn a_password_built_from_ones_own_name_is_refused() {
        assert_eq!(
            NewPassword::parse("alexandria2024", &["alexandria", "alexandria@example.org"]).err(),
            Some(PasswordProblem::EasyToGuess)
        );
    }
}
