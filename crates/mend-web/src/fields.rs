//! Names of sealed fields. Each is bound into its ciphertext, so a sealed name cannot be
//! passed off as a sealed e-mail, and renaming one makes old rows unreadable: never rename.

pub const NAME: &str = "person.name";
pub const EMAIL: &str = "person.email";
pub const SAFETY_ANSWERS: &str = "person.safety_answers";
pub const INVITE_CODE: &str = "invite.code";
pub const BREACH_DETAILS: &str = "breach.details";
pub const ENTRY_BODY: &str = "entry.body";
pub const ENTRY_RESPONSE_NOTE: &str = "entry.response_note";
pub const FEELING: &str = "feeling.feeling";
pub const REFLECTION_BODY: &str = "reflection.body";
pub const REFLECTION_MISSED: &str = "reflection.missed";
pub const AGREEMENT_TEXT: &str = "agreement.text";
pub const QUESTION_TEXT: &str = "question.text";
pub const ANSWER_BODY: &str = "answer.body";
pub const EVIDENCE_TEXT: &str = "evidence.text";
pub const CHECK_IN_NOTE: &str = "check_in.note";
pub const TRIGGER_NOTE: &str = "trigger.note";
pub const TRIGGER_REPLY: &str = "trigger.reply";
pub const TRANSPARENCY_TEXT: &str = "transparency.text";
pub const JOURNAL_TEXT: &str = "journal.text";
// Issue 14: a counsellor's link code, and their notes for both partners.
pub const COUNSELLOR_CODE: &str = "counsellor.code";
pub const COUNSELLOR_NOTE: &str = "counsellor.note";
pub const JOURNAL_COUNSELLOR_COPY: &str = "journal.counsellor_copy";
pub const EVIDENCE_COUNSELLOR_COPY: &str = "evidence.counsellor_copy";
