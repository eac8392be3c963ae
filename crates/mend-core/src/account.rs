//! What an account is made of, and what makes its parts valid.

/// An e-mail address, trimmed and lower-cased so that one person cannot hold two accounts by
/// changing case. Mend never sends e-mail; the address is only a login name.
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
        let email = input.trim().to_lowercase();
        if email.is_empty() {
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
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if !well_formed {
            return Err(EmailProblem::Malformed);
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
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
    #[error("the name contains control characters")]
    ControlCharacters,
}

impl DisplayName {
    pub const MAX_CHARS: usize = 60;

    pub fn parse(input: &str) -> Result<Self, NameProblem> {
        let name = input.trim();
        if name.is_empty() {
            return Err(NameProblem::Empty);
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(NameProblem::TooLong);
        }
        if name.chars().any(char::is_control) {
            return Err(NameProblem::ControlCharacters);
        }
        Ok(Self(name.to_owned()))
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
