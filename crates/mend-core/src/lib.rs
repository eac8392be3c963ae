//! Mend's domain: who the partners are, what they may do and when.
//!
//! Everything here is plain data and pure functions — no I/O, no clock, no database — so each
//! rule of the method is written once and tested without a server. Time comes in as a
//! [`Timestamp`] chosen by the caller. [`Store`] is the narrow interface storage implements.

pub mod account;
pub mod agreement;
pub mod check_in;
pub mod counsellor;
pub mod ending;
pub mod entry;
pub mod evidence;
pub mod feeling;
pub mod ids;
pub mod invite;
pub mod journal;
pub mod journey;
pub mod journey_state;
pub mod local_time;
pub mod login_throttle;
pub mod mail;
pub mod notification;
pub mod paging;
mod parsed;
pub mod private_note;
pub mod question;
pub mod rhythm;
pub mod safety;
pub mod space;
pub mod store;
pub mod text;
pub mod time;
pub mod timeline;
pub mod transparency;
pub mod trigger;
pub mod waiting;

pub use account::{DisplayName, Email, NewPassword, PasswordProblem};
pub use agreement::{AgreementRefusal, AgreementState, MAX_AGREEMENT_CHARS};
pub use check_in::Trust;
pub use counsellor::{
    may_have_a_space, may_propose, may_read, may_share_with_counsellor, Consent, CounsellorRefusal,
    Grant, GrantEnd, ItemKind, Piece, ShareArea, ShareChoices, COUNSELLOR_INVITE_LIFETIME,
};
pub use ending::{Ending, EndingRefusal};
pub use entry::{
    EntryKind, EntryRefusal, EntryState, FollowUp, Gate, StatementResponse, MAX_ENTRY_CHARS,
};
pub use evidence::{EvidenceRefusal, Moment};
pub use feeling::{
    Feeling, FeelingProblem, FeelingRefusal, FeelingWord, Intensity, Listening, Verdict,
};
pub use ids::{
    AgreementId, AnswerId, BreachId, CheckInId, CounsellorGrantId, CounsellorNoteId, EntryId,
    EvidenceId, FeelingId, InviteId, JournalEntryId, MailJobId, PersonId, QuestionId, ReflectionId,
    SpaceId, TransparencyId, TriggerId,
};
pub use invite::{InviteCheck, InviteRefusal, InviteStatus, INVITE_LIFETIME};
pub use journal::MAX_JOURNAL_CHARS;
pub use journey::{
    may_change_area, Area, AreaRefusal, AreaStatus, BreachDetails, BreachKind, BreachProblem,
    CameToLight, Month, Role,
};
pub use journey_state::{Ended, JourneyChange, JourneyRefusal, JourneyState};
pub use local_time::Zone;
pub use login_throttle::LoginThrottle;
pub use paging::{Cursor, Window, WindowAsk};
pub use private_note::NoteRefusal;
pub use question::{QuestionKind, QuestionRefusal, Response};
pub use rhythm::Rhythm;
pub use safety::{SafetyAnswer, SafetyAnswers, SafetyQuestion};
pub use space::{may_create_space, Seat, SpaceRefusal};
pub use store::{Store, StoreError};
pub use time::{Duration, Timestamp};
pub use timeline::{Event, Happening};
pub use transparency::{Period, TransparencyRefusal, TransparencyState, MAX_TRANSPARENCY_CHARS};
