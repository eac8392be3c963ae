//! The words of each message: the catalogue's `[mail]` section, never a word anyone wrote,
//! never what the journey is about. Someone else may read the inbox, so each says only that
//! there is something in Mend, links to it, and says how to stop the messages.

use mend_core::mail::MailKind;
use mend_core::notification::Wording;

use crate::key;
use crate::strings::Strings;

/// A message's subject and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub body: String,
}

/// The message of `kind` with its `link`; `base` is this Mend's public address. `wording` is
/// the person's choice of words for a "something waits" message (the other kinds have one).
pub fn compose(s: &Strings, kind: MailKind, wording: Wording, link: &str, base: &str) -> Composed {
    let (subject, lead, after) = match kind {
        MailKind::VerifyAddress => (
            key!("mail.verify_subject"),
            key!("mail.verify_lead"),
            key!("mail.verify_after"),
        ),
        MailKind::PasswordReset => (
            key!("mail.reset_subject"),
            key!("mail.reset_lead"),
            key!("mail.reset_after"),
        ),
        MailKind::SomethingWaits => match wording {
            Wording::Waiting => (
                key!("mail.waiting_subject"),
                key!("mail.waiting_lead"),
                key!("mail.waiting_after"),
            ),
            Wording::Update => (
                key!("mail.update_subject"),
                key!("mail.update_lead"),
                key!("mail.waiting_after"),
            ),
            Wording::Reminder => (
                key!("mail.reminder_subject"),
                key!("mail.reminder_lead"),
                key!("mail.waiting_after"),
            ),
        },
    };
    let account = format!("{base}/account");
    // A notice says how to stop notices, with the link on a line of its own so that no mail
    // program breaks it; the other messages come only when asked for.
    let stop = match kind {
        MailKind::SomethingWaits => format!("{}\r\n{account}", s.t(key!("mail.notice_stop"))),
        MailKind::VerifyAddress | MailKind::PasswordReset => {
            s.with(key!("mail.stop"), "account", &account)
        }
    };
    let body = [
        s.t(key!("mail.greeting")).to_owned(),
        String::new(),
        s.t(lead).to_owned(),
        link.to_owned(),
        String::new(),
        s.t(after).to_owned(),
        String::new(),
        stop,
        String::new(),
        s.with(key!("mail.signature"), "site", base),
        String::new(),
    ]
    .join("\r\n");
    Composed {
        subject: s.t(subject).to_owned(),
        body,
    }
}

/// Where a "something waits" message leads: the log-in page, which goes on to the
/// dashboard for someone already logged in.
pub fn notice_link(base: &str) -> String {
    format!("{base}/login")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_plain_neutral_and_links_to_mend() {
        let s = Strings::english();
        let every = MailKind::ALL
            .into_iter()
            .flat_map(|k| Wording::ALL.into_iter().map(move |w| (k, w)));
        for (kind, wording) in every {
            let m = compose(
                s,
                kind,
                wording,
                "https://mend.example.org/x",
                "https://mend.example.org",
            );
            assert!(m.body.contains("https://mend.example.org/x"));
            assert!(m.body.contains("https://mend.example.org/account"));
            let all = format!("{} {}", m.subject, m.body).to_lowercase();
            for word in [
                "betray",
                "affair",
                "cheat",
                "infidel",
                "breach",
                "unfaithful",
                "partner",
                "trust",
                "hurt",
                "{",
            ] {
                assert!(!all.contains(word), "{kind:?} says {word:?}");
            }
            // Plain ASCII, so that it travels as 7-bit text and every mail program shows it.
            assert!(all.is_ascii(), "{kind:?} is not plain ASCII");
        }
    }
}
