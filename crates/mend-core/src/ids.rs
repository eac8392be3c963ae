//! Identifiers: UUIDv7, so that they sort by creation time and reveal nothing else.

use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub Uuid);

        impl $name {
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        /// Read from a path or form as its text form, so an id that does not parse is a
        /// refusal of the whole request rather than a string a handler checks by hand.
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

id_type!(
    /// A person with an account.
    PersonId
);
id_type!(
    /// A shared space of two partners.
    SpaceId
);
id_type!(
    /// An invitation to join a space.
    InviteId
);
id_type!(
    /// A breach of an agreement, and the journey attached to it.
    BreachId
);
id_type!(
    /// A written entry of a journey (an acknowledgement, later answers and more).
    EntryId
);
id_type!(
    /// An agreement between the two partners of a space.
    AgreementId
);
id_type!(
    /// A question the hurt partner asked.
    QuestionId
);
id_type!(
    /// An answer to a question.
    AnswerId
);
id_type!(
    /// An entry of the hurt partner's evidence log.
    EvidenceId
);
id_type!(
    /// A trust check-in.
    CheckInId
);
id_type!(
    /// An "I'm triggered" signal.
    TriggerId
);
id_type!(
    /// A feeling the hurt partner shared.
    FeelingId
);
id_type!(
    /// The repairing partner's reflection of a feeling.
    ReflectionId
);
id_type!(
    /// A transparency agreement the repairing partner offered.
    TransparencyId
);
id_type!(
    /// An entry of a partner's private journal.
    JournalEntryId
);
id_type!(
    /// One message waiting in the mail queue (issue 12).
    MailJobId
);
id_type!(
    /// A counsellor's place in a space, from proposal to end (issue 14).
    CounsellorGrantId
);
id_type!(
    /// A counsellor's note for both partners on one journey (issue 14).
    CounsellorNoteId
);
