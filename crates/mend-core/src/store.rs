//! The narrow interface between Mend and its database.
//!
//! Implementations (SQLite and PostgreSQL, in `mend-store`) keep data; they decide nothing.
//! Free text crosses this boundary only as [`Sealed`]; lookups of secrets use keyed hashes.
//! Operations that must not half-happen (joining a space, using a reset link) are single
//! methods, so each implementation runs them in one transaction.

use async_trait::async_trait;
use mend_crypto::{Sealed, WrappedKey};

use crate::agreement::AgreementState;
use crate::check_in::Trust;
use crate::entry::{EntryKind, EntryState, StatementResponse};
use crate::evidence::Moment;
use crate::feeling::Verdict;
use crate::ids::{
    AgreementId, AnswerId, BreachId, CheckInId, EntryId, EvidenceId, FeelingId, InviteId,
    JournalEntryId, PersonId, QuestionId, ReflectionId, SpaceId, TransparencyId, TriggerId,
};
use crate::journey::{Area, AreaStatus};
use crate::journey_state::{JourneyChange, JourneyState};
use crate::question::{QuestionKind, Response};
use crate::space::Seat;
use crate::time::Timestamp;
use crate::transparency::{Period, TransparencyState};

/// A keyed hash (of an e-mail, a token or a client address); never the value itself.
pub type LookupHash = [u8; 32];

/// Errors a store reports.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule refused the write (an e-mail already used, a seat already taken, an
    /// invitation already used); nothing was changed.
    #[error("the change conflicts with existing data: {0}")]
    Conflict(&'static str),
    #[error("a stored row is not valid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(String),
}

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub id: PersonId,
    pub email_lookup: LookupHash,
    pub email: Sealed,
    pub name: Sealed,
    pub password_hash: String,
    pub wrapped_key: WrappedKey,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct PersonRecord {
    pub id: PersonId,
    pub email: Sealed,
    pub name: Sealed,
    pub password_hash: String,
    pub wrapped_key: WrappedKey,
    pub safety_cleared_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct SpaceRecord {
    pub id: SpaceId,
    pub wrapped_key: WrappedKey,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct Membership {
    pub space: SpaceId,
    pub person: PersonId,
    pub seat: Seat,
    pub joined_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewInvite {
    pub id: InviteId,
    pub space: SpaceId,
    pub created_by: PersonId,
    pub code_lookup: LookupHash,
    /// The code itself, sealed with the space key, so its creator can copy the link again.
    pub code: Sealed,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct InviteRecord {
    pub id: InviteId,
    pub space: SpaceId,
    pub created_by: PersonId,
    pub code: Sealed,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct BreachRecord {
    pub id: BreachId,
    pub space: SpaceId,
    pub hurt: PersonId,
    pub repairing: PersonId,
    pub opened_by: PersonId,
    /// `BreachDetails` as JSON, sealed with the space key.
    pub details: Sealed,
    pub created_at: Timestamp,
    /// What the partners have chosen since, and how the journey ended.
    pub state: JourneyState,
}

impl BreachRecord {
    /// The role `person` has in this journey; the caller has checked they belong to it.
    pub fn role_of(&self, person: PersonId) -> crate::Role {
        if self.hurt == person {
            crate::Role::HurtPartner
        } else {
            crate::Role::RepairingPartner
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AreaRecord {
    pub area: Area,
    pub status: AreaStatus,
    pub changed_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct EntryRecord {
    pub id: EntryId,
    pub breach: BreachId,
    pub kind: EntryKind,
    pub author: PersonId,
    /// Sealed with the space key; gone once withdrawn.
    pub body: Option<Sealed>,
    pub state: EntryState,
    /// The earlier entry this one follows: what a correction corrects, or the
    /// acknowledgement a further disclosure adds to.
    pub follows: Option<EntryId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    pub received_at: Option<Timestamp>,
    pub withdrawn_at: Option<Timestamp>,
    /// The hurt partner's response to an accountability statement.
    pub response: Option<StatementResponse>,
    /// What they felt was missing, sealed with the space key.
    pub response_note: Option<Sealed>,
    pub responded_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct AgreementRecord {
    pub id: AgreementId,
    pub space: SpaceId,
    pub proposed_by: PersonId,
    /// Sealed with the space key.
    pub text: Sealed,
    pub state: AgreementState,
    /// The accepted agreement this proposal would change.
    pub revises: Option<AgreementId>,
    pub created_at: Timestamp,
    pub decided_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct QuestionRecord {
    pub id: QuestionId,
    pub breach: BreachId,
    pub asked_by: PersonId,
    /// Sealed with the space key; gone once withdrawn.
    pub text: Option<Sealed>,
    pub kind: Option<QuestionKind>,
    /// The earlier ask this one repeats.
    pub asked_again_of: Option<QuestionId>,
    pub created_at: Timestamp,
    /// When the repairing partner asked to answer it in person or with a counsellor.
    pub in_person_at: Option<Timestamp>,
    /// When the asker withdrew it.
    pub withdrawn_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct AnswerRecord {
    pub id: AnswerId,
    pub question: QuestionId,
    pub author: PersonId,
    /// Sealed with the space key; gone once withdrawn.
    pub body: Option<Sealed>,
    pub created_at: Timestamp,
    pub withdrawn_at: Option<Timestamp>,
    pub response: Option<Response>,
    pub responded_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct EvidenceRecord {
    pub id: EvidenceId,
    pub breach: BreachId,
    pub author: PersonId,
    pub moment: Moment,
    /// Sealed with the author's own key while private, and with the space key once shared.
    pub text: Sealed,
    pub created_at: Timestamp,
    pub shared_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct CheckInRecord {
    pub id: CheckInId,
    pub breach: BreachId,
    pub person: PersonId,
    pub trust: Trust,
    /// An optional note, sealed with the hurt partner's own key.
    pub note: Option<Sealed>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct TriggerRecord {
    pub id: TriggerId,
    pub breach: BreachId,
    pub person: PersonId,
    pub note: Option<Sealed>,
    pub created_at: Timestamp,
    pub reply: Option<Sealed>,
    pub replied_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct FeelingRecord {
    pub id: FeelingId,
    pub breach: BreachId,
    pub person: PersonId,
    /// The `Feeling` (words, intensity, text) as JSON, sealed with the space key; gone once
    /// withdrawn.
    pub feeling: Option<Sealed>,
    pub created_at: Timestamp,
    pub withdrawn_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct ReflectionRecord {
    pub id: ReflectionId,
    pub feeling: FeelingId,
    pub author: PersonId,
    /// Sealed with the space key; gone once withdrawn.
    pub body: Option<Sealed>,
    pub created_at: Timestamp,
    pub withdrawn_at: Option<Timestamp>,
    pub verdict: Option<Verdict>,
    /// What the hurt partner felt was missed, with a "not yet".
    pub missed: Option<Sealed>,
    pub verdict_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct TransparencyRecord {
    pub id: TransparencyId,
    pub breach: BreachId,
    pub offered_by: PersonId,
    /// Sealed with the space key.
    pub text: Sealed,
    pub period: Period,
    pub state: TransparencyState,
    /// The accepted agreement this offer would renew.
    pub renews: Option<TransparencyId>,
    pub created_at: Timestamp,
    pub decided_at: Option<Timestamp>,
    /// When an accepted agreement starts to run.
    pub starts_at: Option<Timestamp>,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Answers only when the database does.
    async fn ping(&self) -> Result<(), StoreError>;

    async fn create_person(&self, person: NewPerson) -> Result<(), StoreError>;
    async fn person(&self, id: PersonId) -> Result<Option<PersonRecord>, StoreError>;
    async fn person_by_email(&self, email: &LookupHash)
        -> Result<Option<PersonRecord>, StoreError>;
    /// Sets a new password hash and ends every session of the person except `keep`.
    async fn change_password(
        &self,
        person: PersonId,
        password_hash: &str,
        keep: Option<&LookupHash>,
    ) -> Result<(), StoreError>;

    async fn create_session(
        &self,
        token: &LookupHash,
        person: PersonId,
        created_at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;
    /// The person a live session belongs to.
    async fn session_person(
        &self,
        token: &LookupHash,
        now: Timestamp,
    ) -> Result<Option<PersonRecord>, StoreError>;
    async fn end_session(&self, token: &LookupHash) -> Result<(), StoreError>;

    async fn save_safety_answers(
        &self,
        person: PersonId,
        answers: Sealed,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    async fn safety_answers(&self, person: PersonId) -> Result<Option<Sealed>, StoreError>;
    /// Records that the person chose to go on after the safety check.
    async fn clear_safety(&self, person: PersonId, at: Timestamp) -> Result<(), StoreError>;

    /// Creates a space with `creator` in its first seat; refused if they are in a space.
    async fn create_space(&self, space: SpaceRecord, creator: PersonId) -> Result<(), StoreError>;
    async fn space(&self, id: SpaceId) -> Result<Option<SpaceRecord>, StoreError>;
    async fn membership_of(&self, person: PersonId) -> Result<Option<Membership>, StoreError>;
    async fn members(&self, space: SpaceId) -> Result<Vec<Membership>, StoreError>;

    async fn create_invite(&self, invite: NewInvite) -> Result<(), StoreError>;
    async fn invite_by_code(&self, code: &LookupHash) -> Result<Option<InviteRecord>, StoreError>;
    /// Invitations of a space not yet used, revoked or expired.
    async fn open_invites(
        &self,
        space: SpaceId,
        now: Timestamp,
    ) -> Result<Vec<InviteRecord>, StoreError>;
    /// Withdraws an open invitation made by `by` in `space`; false when there is none.
    async fn revoke_invite(
        &self,
        space: SpaceId,
        invite: InviteId,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Uses the invitation and seats `person` in its space, both or neither.
    async fn accept_invite(
        &self,
        invite: InviteId,
        person: PersonId,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    async fn create_password_reset(
        &self,
        token: &LookupHash,
        person: PersonId,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;
    /// The person a reset link is for, while it is unused and unexpired.
    async fn password_reset_person(
        &self,
        token: &LookupHash,
        now: Timestamp,
    ) -> Result<Option<PersonId>, StoreError>;
    /// Uses the reset link, sets the password and ends every session, all at once.
    async fn use_password_reset(
        &self,
        token: &LookupHash,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<Option<PersonId>, StoreError>;

    /// Records a breach and starts its journey with every area at `initial`, together.
    async fn create_breach(
        &self,
        breach: BreachRecord,
        initial: &[(Area, AreaStatus)],
    ) -> Result<(), StoreError>;
    /// The breaches of a space, oldest first.
    async fn breaches(&self, space: SpaceId) -> Result<Vec<BreachRecord>, StoreError>;
    /// One breach, only if it belongs to `space`.
    async fn breach(
        &self,
        space: SpaceId,
        id: BreachId,
    ) -> Result<Option<BreachRecord>, StoreError>;
    /// The areas of a journey, in the method's order.
    async fn areas(&self, breach: BreachId) -> Result<Vec<AreaRecord>, StoreError>;
    /// Moves an area from `from` to `to`; false when it was no longer at `from` (a double
    /// submit, or the other partner's browser acting on an old page), and nothing changes.
    async fn change_area(
        &self,
        breach: BreachId,
        area: Area,
        from: AreaStatus,
        to: AreaStatus,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Entries of one kind in a journey that `viewer` may see: everything sent or withdrawn,
    /// and their own draft, oldest first. Nobody else's draft is ever returned.
    async fn entries_for(
        &self,
        breach: BreachId,
        kind: EntryKind,
        viewer: PersonId,
    ) -> Result<Vec<EntryRecord>, StoreError>;
    /// Starts a draft; refused (Conflict) when the author already has one of this kind here.
    async fn create_draft(&self, entry: EntryRecord) -> Result<(), StoreError>;
    /// Replaces the text of the author's draft; false when it is no longer a draft.
    async fn update_draft(
        &self,
        id: EntryId,
        author: PersonId,
        body: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Withdraws a sent entry and forgets its text; false when not sent or not the author's.
    async fn withdraw_entry(
        &self,
        id: EntryId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Marks a sent entry of this journey received, once.
    async fn mark_received(
        &self,
        breach: BreachId,
        id: EntryId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    async fn create_agreement(&self, agreement: AgreementRecord) -> Result<(), StoreError>;
    /// The agreements of a space, oldest first.
    async fn agreements(&self, space: SpaceId) -> Result<Vec<AgreementRecord>, StoreError>;
    /// Moves a proposal of `space` to `to` (accepted, declined or withdrawn); accepting a
    /// revision supersedes the agreement it revises, together. False when it was no longer
    /// a proposal (a double submit), and nothing changes.
    async fn decide_agreement(
        &self,
        space: SpaceId,
        id: AgreementId,
        to: AgreementState,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    async fn create_question(&self, question: QuestionRecord) -> Result<(), StoreError>;
    /// The questions of a journey, oldest first.
    async fn questions(&self, breach: BreachId) -> Result<Vec<QuestionRecord>, StoreError>;
    /// Notes that the answer will be given in person; false when already noted.
    async fn answer_in_person(
        &self,
        breach: BreachId,
        question: QuestionId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Adds an answer, only to a question of this journey.
    async fn create_answer(
        &self,
        breach: BreachId,
        answer: AnswerRecord,
    ) -> Result<bool, StoreError>;
    /// Every answer in a journey, oldest first.
    async fn answers(&self, breach: BreachId) -> Result<Vec<AnswerRecord>, StoreError>;
    /// Records the asker's response to an answer of this journey (it may change later).
    async fn respond(
        &self,
        breach: BreachId,
        answer: AnswerId,
        response: Response,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    async fn create_evidence(&self, entry: EvidenceRecord) -> Result<(), StoreError>;
    /// The evidence entries of a journey that `viewer` may see: all of their own, and the ones
    /// the other partner shared. Oldest first.
    async fn evidence_for(
        &self,
        breach: BreachId,
        viewer: PersonId,
    ) -> Result<Vec<EvidenceRecord>, StoreError>;
    /// Shares the author's private entry, replacing its text with the copy sealed for the
    /// space; false when it is not theirs or already shared.
    async fn share_evidence(
        &self,
        breach: BreachId,
        id: EvidenceId,
        author: PersonId,
        shared_text: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Takes back the author's shared entry, replacing its text with the copy sealed with
    /// their own key; false when it is not theirs or not shared.
    async fn unshare_evidence(
        &self,
        breach: BreachId,
        id: EvidenceId,
        author: PersonId,
        private_text: Sealed,
    ) -> Result<bool, StoreError>;

    /// When `person` last opened `section` of a journey.
    async fn last_seen(
        &self,
        person: PersonId,
        breach: BreachId,
        section: &str,
    ) -> Result<Option<Timestamp>, StoreError>;
    /// Records that `person` opened `section` of a journey at `at`.
    async fn mark_seen(
        &self,
        person: PersonId,
        breach: BreachId,
        section: &str,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    /// Withdraws the author's answer and forgets its text; false when not theirs, not in this
    /// journey, or already withdrawn.
    async fn withdraw_answer(
        &self,
        breach: BreachId,
        answer: AnswerId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Withdraws the asker's question and forgets its text; false when not theirs, not in
    /// this journey, or already withdrawn.
    async fn withdraw_question(
        &self,
        breach: BreachId,
        question: QuestionId,
        asker: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    async fn create_check_in(&self, check_in: CheckInRecord) -> Result<(), StoreError>;
    /// The check-ins of a journey, oldest first.
    async fn check_ins(&self, breach: BreachId) -> Result<Vec<CheckInRecord>, StoreError>;

    /// Makes one change to a journey's state; false when it was already so or the journey
    /// has ended (a double submit), and nothing changes. The caller checks who may.
    async fn change_journey(
        &self,
        breach: BreachId,
        change: JourneyChange,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Records (or changes) the response to a sent accountability statement of this journey;
    /// false when there is no such statement.
    async fn respond_to_statement(
        &self,
        breach: BreachId,
        entry: EntryId,
        response: StatementResponse,
        note: Option<Sealed>,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    async fn create_feeling(&self, feeling: FeelingRecord) -> Result<(), StoreError>;
    /// The feelings of a journey, oldest first.
    async fn feelings(&self, breach: BreachId) -> Result<Vec<FeelingRecord>, StoreError>;
    /// Adds a reflection to a feeling of this journey, only while the feeling waits for one
    /// (not withdrawn, no reflection waiting for an answer, not heard yet); false otherwise.
    async fn create_reflection(
        &self,
        breach: BreachId,
        reflection: ReflectionRecord,
    ) -> Result<bool, StoreError>;
    /// Withdraws the author's feeling and forgets its words; false when not theirs, not in
    /// this journey, or withdrawn already.
    async fn withdraw_feeling(
        &self,
        breach: BreachId,
        feeling: FeelingId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Withdraws the author's reflection and forgets its words; false when not theirs, not in
    /// this journey, or withdrawn already.
    async fn withdraw_reflection(
        &self,
        breach: BreachId,
        reflection: ReflectionId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Every reflection in a journey, oldest first.
    async fn reflections(&self, breach: BreachId) -> Result<Vec<ReflectionRecord>, StoreError>;
    /// Records the hurt partner's answer to a reflection of this journey, once, while it is
    /// not withdrawn.
    async fn answer_reflection(
        &self,
        breach: BreachId,
        reflection: ReflectionId,
        verdict: Verdict,
        missed: Option<Sealed>,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    async fn create_trigger(&self, trigger: TriggerRecord) -> Result<(), StoreError>;
    /// The triggers of a journey, newest first.
    async fn triggers(&self, breach: BreachId) -> Result<Vec<TriggerRecord>, StoreError>;
    /// Adds the reply to a trigger of this journey; false when it already has one.
    async fn reply_to_trigger(
        &self,
        breach: BreachId,
        trigger: TriggerId,
        reply: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    async fn create_transparency(&self, offer: TransparencyRecord) -> Result<(), StoreError>;
    /// The transparency agreements of a journey, offers included, oldest first.
    async fn transparency_agreements(
        &self,
        breach: BreachId,
    ) -> Result<Vec<TransparencyRecord>, StoreError>;
    /// Accepts an offer of this journey, to run from `starts_at`; false when it was no longer
    /// an offer (a double submit), and nothing changes.
    async fn accept_transparency(
        &self,
        breach: BreachId,
        id: TransparencyId,
        at: Timestamp,
        starts_at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Moves an offer of this journey to `to`, declined or withdrawn; false when it was no
    /// longer an offer, and nothing changes.
    async fn close_transparency_offer(
        &self,
        breach: BreachId,
        id: TransparencyId,
        to: TransparencyState,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    async fn create_journal_entry(&self, entry: JournalEntryRecord) -> Result<(), StoreError>;
    /// The journal entries of a space that `viewer` may read: all of their own, and the ones
    /// the other member shared, newest first. Nobody else's private entry is ever returned.
    async fn journal_for(
        &self,
        space: SpaceId,
        viewer: PersonId,
    ) -> Result<Vec<JournalEntryRecord>, StoreError>;
    /// Shares the author's private entry, replacing its text with the copy sealed for the
    /// space; false when it is not theirs, not in this space, or already shared.
    async fn share_journal_entry(
        &self,
        space: SpaceId,
        id: JournalEntryId,
        author: PersonId,
        shared_text: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Makes the author's shared entry private again, replacing its text with the copy sealed
    /// with their own key; false when it is not theirs, not in this space, or already private.
    async fn unshare_journal_entry(
        &self,
        space: SpaceId,
        id: JournalEntryId,
        author: PersonId,
        private_text: Sealed,
    ) -> Result<bool, StoreError>;
    /// Deletes the author's entry for good; false when it is not theirs or already gone.
    async fn delete_journal_entry(
        &self,
        space: SpaceId,
        id: JournalEntryId,
        author: PersonId,
    ) -> Result<bool, StoreError>;
    /// When `person` last opened their journal in `space`.
    async fn journal_last_seen(
        &self,
        person: PersonId,
        space: SpaceId,
    ) -> Result<Option<Timestamp>, StoreError>;
    /// Records that `person` opened their journal in `space` at `at`.
    async fn mark_journal_seen(
        &self,
        person: PersonId,
        space: SpaceId,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    // --- Sending an entry in one step ---

    /// Stores `entry` sent at its `updated_at`, in one guarded statement: the author's draft
    /// under its id, in its journey and section, takes its text and is sent, or a new entry
    /// is stored sent. Conflict, changing nothing, when the id is taken by anything else (an
    /// entry sent already, someone else's, another section's).
    async fn send_entry(&self, entry: EntryRecord) -> Result<(), StoreError>;
    // Log-in attempts, counted before the password is checked (rules in `login_throttle`).

    /// Counts `attempt` in every bucket, all or none. Refused, naming the first full bucket
    /// (its index in `buckets`) and the times of its attempts since `since`, when a bucket
    /// already holds its limit. Concurrent reservations of one bucket are serialised, so no
    /// bucket ever holds more than its limit, on any number of instances.
    async fn reserve_login_attempt(
        &self,
        attempt: &LoginAttemptId,
        buckets: &[(LookupHash, usize)],
        since: Timestamp,
        at: Timestamp,
    ) -> Result<LoginReservation, StoreError>;
    /// Takes back `attempt` from the buckets `take_back` (`None`: from every bucket it was
    /// counted in), and forgets every attempt in the buckets `clear`.
    async fn forget_login_attempts(
        &self,
        attempt: &LoginAttemptId,
        take_back: Option<&[LookupHash]>,
        clear: &[LookupHash],
    ) -> Result<(), StoreError>;
}

/// A random id for one log-in attempt, so that its reservations can be taken back.
pub type LoginAttemptId = [u8; 16];

/// What came of reserving a log-in attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginReservation {
    Reserved,
    Full {
        bucket: usize,
        attempts: Vec<Timestamp>,
    },
}

#[derive(Debug, Clone)]
pub struct JournalEntryRecord {
    pub id: JournalEntryId,
    pub space: SpaceId,
    pub author: PersonId,
    /// Sealed with the author's own key while private, and with the space key while shared.
    pub text: Sealed,
    pub created_at: Timestamp,
    pub shared_at: Option<Timestamp>,
}
