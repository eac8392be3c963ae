//! The kinds of written entry as the pages show them: where each lives, how the coach reads
//! it, and its words.

use std::borrow::Cow;

use mend_coach::Mode;
use mend_core::EntryKind;
use serde::{Deserialize, Deserializer};

use crate::key;
use crate::views::SectionText;

/// One kind of entry as the pages show it: where it lives, how the coach reads it, its words.
pub struct Section {
    pub kind: EntryKind,
    pub path: &'static str,
    pub mode: Mode,
    pub text: SectionText,
}

pub const SECTIONS: [Section; 9] = [
    Section {
        kind: EntryKind::Acknowledgement,
        path: "acknowledge",
        mode: Mode::Acknowledgement,
        text: SectionText {
            title: key!("ack.title"),
            intro_writer: key!("ack.intro_repairing"),
            intro_reader: key!("ack.intro_hurt"),
            intro_reader_sent: key!("everyday.ack_reader_sent"),
            draft_label: key!("ack.draft_label"),
            follow_up_label: key!("ack.correction_label"),
            follow_up_intro: key!("ack.correction_intro"),
            follows_note: key!("ack.corrects"),
            error_empty: key!("ack.error_empty"),
        },
    },
    Section {
        kind: EntryKind::Pledge,
        path: "pledge",
        mode: Mode::Pledge,
        text: SectionText {
            title: key!("pledge.title"),
            intro_writer: key!("pledge.intro_writer"),
            intro_reader: key!("pledge.intro_reader"),
            intro_reader_sent: key!("everyday.pledge_reader_sent"),
            draft_label: key!("pledge.draft_label"),
            follow_up_label: key!("pledge.follow_up_label"),
            follow_up_intro: key!("pledge.follow_up_intro"),
            follows_note: key!("pledge.follows_note"),
            error_empty: key!("pledge.error_empty"),
        },
    },
    Section {
        kind: EntryKind::Disclosure,
        path: "disclosures",
        mode: Mode::Acknowledgement,
        text: SectionText {
            title: key!("disclosure.title"),
            intro_writer: key!("disclosure.intro_writer"),
            intro_reader: key!("disclosure.intro_reader"),
            intro_reader_sent: key!("disclosure.intro_reader"),
            draft_label: key!("disclosure.draft_label"),
            follow_up_label: key!("disclosure.draft_label"),
            follow_up_intro: key!("disclosure.follow_up_intro"),
            follows_note: key!("disclosure.follows_note"),
            error_empty: key!("disclosure.error_empty"),
        },
    },
    Section {
        kind: EntryKind::Accountability,
        path: "accountability",
        mode: Mode::Accountability,
        text: SectionText {
            title: key!("accountability.title"),
            intro_writer: key!("accountability.intro_writer"),
            intro_reader: key!("accountability.intro_reader"),
            intro_reader_sent: key!("everyday.accountability_reader_sent"),
            draft_label: key!("accountability.draft_label"),
            follow_up_label: key!("accountability.follow_up_label"),
            follow_up_intro: key!("accountability.follow_up_intro"),
            follows_note: key!("accountability.follows_note"),
            error_empty: key!("accountability.error_empty"),
        },
    },
    Section {
        kind: EntryKind::Intention,
        path: "intention",
        mode: Mode::Intention,
        text: SectionText {
            title: key!("intention.title"),
            intro_writer: key!("intention.intro_writer"),
            intro_reader: key!("intention.intro_reader"),
            intro_reader_sent: key!("everyday.intention_reader_sent"),
            draft_label: key!("intention.draft_label"),
            follow_up_label: key!("intention.follow_up_label"),
            follow_up_intro: key!("intention.follow_up_intro"),
            follows_note: key!("intention.follows_note"),
            error_empty: key!("intention.error_empty"),
        },
    },
    Section {
        kind: EntryKind::Recommitment,
        path: "recommit",
        mode: Mode::Intention,
        text: SectionText {
            title: key!("recommit.title"),
            intro_writer: key!("recommit.intro_writer"),
            intro_reader: key!("recommit.intro_reader"),
            intro_reader_sent: key!("recommit.intro_reader"),
            draft_label: key!("recommit.draft_label"),
            follow_up_label: key!("recommit.draft_label"),
            follow_up_intro: key!("recommit.follow_up_intro"),
            follows_note: key!("recommit.follows_note"),
            error_empty: key!("recommit.error_empty"),
        },
    },
    Section {
        kind: EntryKind::Reassurance,
        path: "reassurance",
        mode: Mode::Reassurance,
        text: SectionText {
            title: key!("reassurance.title"),
            intro_writer: key!("reassurance.intro_writer"),
            intro_reader: key!("reassurance.intro_reader"),
            intro_reader_sent: key!("reassurance.intro_reader"),
            draft_label: key!("reassurance.draft_label"),
            follow_up_label: key!("reassurance.draft_label"),
            follow_up_intro: key!("reassurance.follow_up_intro"),
            follows_note: key!("reassurance.follows_note"),
            error_empty: key!("reassurance.error_empty"),
        },
    },
    Section {
        kind: EntryKind::MySide,
        path: "my-side",
        mode: Mode::Free,
        text: SectionText {
            title: key!("my_side.title"),
            intro_writer: key!("my_side.intro_writer"),
            intro_reader: key!("my_side.intro_reader"),
            intro_reader_sent: key!("my_side.intro_reader"),
            draft_label: key!("my_side.draft_label"),
            follow_up_label: key!("my_side.follow_up_label"),
            follow_up_intro: key!("my_side.follow_up_intro"),
            follows_note: key!("my_side.follows_note"),
            error_empty: key!("my_side.error_empty"),
        },
    },
    Section {
        kind: EntryKind::Context,
        path: "context",
        mode: Mode::Free,
        text: SectionText {
            title: key!("context.title"),
            intro_writer: key!("context.intro"),
            intro_reader: key!("context.intro"),
            intro_reader_sent: key!("context.intro"),
            draft_label: key!("context.draft_label"),
            follow_up_label: key!("context.draft_label"),
            follow_up_intro: key!("context.follow_up_intro"),
            follows_note: key!("context.follows_note"),
            error_empty: key!("context.error_empty"),
        },
    },
];

/// The path of the page where entries of `kind` live.
pub fn section_path(kind: EntryKind) -> &'static str {
    SECTIONS
        .iter()
        .find(|s| s.kind == kind)
        .map(|s| s.path)
        .unwrap_or("acknowledge")
}

/// The `{section}` a path names: one of [`SECTIONS`]; any other name does not parse, so the
/// route is "not found".
impl<'de> Deserialize<'de> for &'static Section {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <Cow<'de, str>>::deserialize(d)?;
        SECTIONS
            .iter()
            .find(|s| s.path == name)
            .ok_or_else(|| serde::de::Error::custom("not a section"))
    }
}

#[cfg(test)]
mod tests {
    use super::Section;

    fn read(name: &str) -> Option<&'static Section> {
        serde_json::from_value(serde_json::json!(name)).ok()
    }

    #[test]
    fn a_section_is_read_by_its_path_and_nothing_else() {
        for path in ["acknowledge", "my-side", "context"] {
            assert_eq!(read(path).map(|s| s.path), Some(path));
        }
        for name in ["", "questions", "Acknowledge", "acknowledgement"] {
            assert!(read(name).is_none(), "{name:?} is no section");
        }
    }
}
