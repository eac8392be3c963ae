//! A counsellor's place in a space, the partners' share choices, and what the counsellor reads.
//! Every read for a counsellor takes the counsellor's id and is answered only through an active
//! grant of theirs and the share choices, in the query itself.

use async_trait::async_trait;
use mend_crypto::Sealed;

use super::{
    AnswerRecord, AreaRecord, BreachRecord, CheckInRecord, EntryRecord, FeelingRecord, LookupHash,
    QuestionRecord, ReflectionRecord, StoreError, TransparencyRecord, TriggerRecord,
};
use crate::check_in::Trust;
use crate::counsellor::{Consent, Grant, GrantEnd, ShareArea, ShareChoices};
use crate::ids::{
    BreachId, CounsellorGrantId, CounsellorNoteId, EvidenceId, JournalEntryId, PersonId, SpaceId,
};
use crate::space::Seat;
use crate::time::Timestamp;

#[derive(Debug, Clone)]
pub struct NewCounsellorGrant {
    pub id: CounsellorGrantId,
    pub space: SpaceId,
    pub proposed_by: Seat,
    pub code_lookup: LookupHash,
    /// The link's code, sealed with the space key, so the partners can copy the link again.
    pub code: Sealed,
    pub proposed_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct CounsellorGrantRecord {
    pub id: CounsellorGrantId,
    pub space: SpaceId,
    pub code: Sealed,
    pub grant: Grant,
    pub counsellor: Option<PersonId>,
    pub ended_why: Option<GrantEnd>,
    /// When the counsellor last looked at the couple's journeys.
    pub last_seen_at: Option<Timestamp>,
}

/// A counsellor's note for both partners on one journey, sealed with the space key.
#[derive(Debug, Clone)]
pub struct CounsellorNoteRecord {
    pub id: CounsellorNoteId,
    pub grant: CounsellorGrantId,
    pub breach: BreachId,
    pub body: Sealed,
    pub created_at: Timestamp,
}

/// One change of one partner's share choices: an area allowed or no longer allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareChange {
    pub person: PersonId,
    pub area: ShareArea,
    pub allowed: bool,
    pub at: Timestamp,
}

/// A journal or evidence entry its author shared with the counsellor: a copy sealed with the
/// author's key for the space, apart from the text the partner may read.
#[derive(Debug, Clone)]
pub struct CounsellorCopy<I> {
    pub id: I,
    pub author: PersonId,
    pub copy: Sealed,
    pub created_at: Timestamp,
    pub shared_at: Timestamp,
}

/// What a journey holds, counted, for the summary a counsellor reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JourneyCounts {
    pub entries_sent: u64,
    pub questions: u64,
    pub answers: u64,
    pub feelings: u64,
    pub check_ins: u64,
    pub triggers: u64,
}

/// How many of each kind of item a counsellor's page holds, the most recent: its work stays
/// bounded by what it shows, however long the couple's history.
pub const COUNSELLOR_WINDOW: usize = 50;

#[async_trait]
pub trait CounsellorStore: Send + Sync {
    /// Stores a proposal, only in a space no partner has left and with no other open grant
    /// (`StoreError::Conflict` otherwise).
    async fn propose_counsellor(&self, grant: NewCounsellorGrant) -> Result<(), StoreError>;
    /// The space's open grant (proposed, agreed or accepted, not ended), if any.
    async fn open_counsellor_grant(
        &self,
        space: SpaceId,
    ) -> Result<Option<CounsellorGrantRecord>, StoreError>;
    async fn counsellor_grant_by_code(
        &self,
        code: &LookupHash,
    ) -> Result<Option<CounsellorGrantRecord>, StoreError>;
    /// The other partner's agreement; false when `by` proposed it or nothing waits for it.
    async fn agree_counsellor(
        &self,
        space: SpaceId,
        grant: CounsellorGrantId,
        by: Seat,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Uses the link: only once, only agreed, before [`crate::COUNSELLOR_INVITE_LIFETIME`] has
    /// passed since the agreement, never by a partner of the space; false otherwise.
    async fn accept_counsellor(
        &self,
        grant: CounsellorGrantId,
        counsellor: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Ends the space's open grant at once; false when there is none.
    async fn end_counsellor(
        &self,
        space: SpaceId,
        why: GrantEnd,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// The grants through which `counsellor` reads now, oldest first.
    async fn counsellor_grants(
        &self,
        counsellor: PersonId,
    ) -> Result<Vec<CounsellorGrantRecord>, StoreError>;

    /// The active grant through which `counsellor` reads `space`, if any.
    async fn counsellor_grant_over(
        &self,
        counsellor: PersonId,
        space: SpaceId,
    ) -> Result<Option<CounsellorGrantRecord>, StoreError>;
    /// Whether `counsellor` had a grant over `space` that has ended: what they are told
    /// instead of anything of the couple's.
    async fn counsellor_grant_ended(
        &self,
        counsellor: PersonId,
        space: SpaceId,
    ) -> Result<bool, StoreError>;
    /// The journeys of `space`, oldest first, only through an active grant of `counsellor`.
    async fn counsellor_breaches(
        &self,
        counsellor: PersonId,
        space: SpaceId,
    ) -> Result<Vec<BreachRecord>, StoreError>;
    /// One journey, only through an active grant of `counsellor` over its space.
    async fn counsellor_breach(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Option<BreachRecord>, StoreError>;
    /// Remembers that the counsellor looked at the couple's journeys now; false when the
    /// grant is not theirs or not active.
    async fn counsellor_looked(
        &self,
        counsellor: PersonId,
        grant: CounsellorGrantId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// How many items `counsellor` may read in `space` that came after `since` (everything
    /// when `None`), counting at most [`COUNSELLOR_WINDOW`] of each kind.
    async fn counsellor_new_since(
        &self,
        counsellor: PersonId,
        space: SpaceId,
        since: Option<Timestamp>,
    ) -> Result<usize, StoreError>;

    /// Replaces `person`'s choices for a journey of their own space.
    async fn choose_shares(
        &self,
        breach: BreachId,
        person: PersonId,
        choices: &ShareChoices,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Both partners' choices for a journey.
    async fn consent(&self, breach: BreachId) -> Result<Consent, StoreError>;

    /// The sent entries `counsellor` may read in a journey, oldest first: none without an
    /// active grant of theirs over its space; an entry when its author allowed entries (their
    /// own words); the response to it only when both partners did. Withdrawn and draft entries
    /// never.
    async fn counsellor_entries(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<EntryRecord>, StoreError>;
    /// The latest [`COUNSELLOR_WINDOW`] questions `counsellor` may read in a journey, oldest
    /// first: a question when its asker allowed questions; withdrawn ones never.
    async fn counsellor_questions(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<QuestionRecord>, StoreError>;
    /// The answers to those questions, only when both partners allowed questions; withdrawn
    /// ones never.
    async fn counsellor_answers(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<AnswerRecord>, StoreError>;
    /// The latest [`COUNSELLOR_WINDOW`] feelings `counsellor` may read, oldest first: a feeling
    /// when its author allowed feelings; withdrawn ones never.
    async fn counsellor_feelings(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<FeelingRecord>, StoreError>;
    /// The reflections on those feelings, only when both partners allowed feelings; what the
    /// hurt partner felt was missed is part of the reflection; withdrawn ones never.
    async fn counsellor_reflections(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<ReflectionRecord>, StoreError>;
    /// The latest [`COUNSELLOR_WINDOW`] check-in scores `counsellor` may read, oldest first,
    /// when the partner who checked in allowed check-ins. The note is never read: every
    /// record's `note` is `None`.
    async fn counsellor_scores(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<CheckInRecord>, StoreError>;

    /// The latest [`COUNSELLOR_WINDOW`] triggers `counsellor` may read, newest first: a
    /// trigger when the partner who noted it allowed triggers; the reply to it only when both
    /// did (otherwise `reply` is `None`).
    async fn counsellor_triggers(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<TriggerRecord>, StoreError>;
    /// The latest [`COUNSELLOR_WINDOW`] transparency agreements, newest first, only when both
    /// partners allowed transparency: an agreement tells of both.
    async fn counsellor_agreements(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<TransparencyRecord>, StoreError>;
    /// Whether `counsellor` reads the journey through an active grant and both partners allow
    /// `area` in it: the gate of what holds no one's words, such as the timeline's events.
    async fn counsellor_reads_shared(
        &self,
        counsellor: PersonId,
        breach: BreachId,
        area: ShareArea,
    ) -> Result<bool, StoreError>;
    /// The journey's areas and their statuses, only when both partners allowed the summary
    /// (empty otherwise).
    async fn counsellor_areas(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<AreaRecord>, StoreError>;
    /// The journey's counts, only when both partners allowed the summary.
    async fn counsellor_counts(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Option<JourneyCounts>, StoreError>;
    /// The latest `count` trust scores for the summary's chart, oldest first, only when both
    /// partners allowed the summary. No note is read.
    async fn counsellor_trust(
        &self,
        counsellor: PersonId,
        breach: BreachId,
        count: usize,
    ) -> Result<Vec<(Timestamp, Trust)>, StoreError>;

    /// Stores a note only through an active grant of `counsellor` over the journey's space,
    /// on a journey that has not ended; false otherwise.
    async fn add_counsellor_note(
        &self,
        counsellor: PersonId,
        note: CounsellorNoteRecord,
    ) -> Result<bool, StoreError>;
    /// The latest [`COUNSELLOR_WINDOW`] notes on a journey, oldest first: for the partners,
    /// whose access the web layer checked.
    async fn counsellor_notes(
        &self,
        breach: BreachId,
    ) -> Result<Vec<CounsellorNoteRecord>, StoreError>;
    /// The same notes for `counsellor`, only through an active grant of theirs.
    async fn counsellor_notes_for(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<CounsellorNoteRecord>, StoreError>;
    /// The latest [`COUNSELLOR_WINDOW`] changes of the partners' share choices in a journey,
    /// newest first.
    async fn share_changes(&self, breach: BreachId) -> Result<Vec<ShareChange>, StoreError>;

    /// Shares the author's journal entry with the counsellor as `copy`; false when it is not
    /// theirs, not in this space, or shared already.
    async fn share_journal_with_counsellor(
        &self,
        space: SpaceId,
        entry: JournalEntryId,
        author: PersonId,
        copy: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Takes the counsellor's copy back; false when it is not theirs or not shared.
    async fn unshare_journal_from_counsellor(
        &self,
        space: SpaceId,
        entry: JournalEntryId,
        author: PersonId,
    ) -> Result<bool, StoreError>;
    /// Which of `among`, entries of `author` in `space`, are shared with the counsellor.
    async fn journal_shared_with_counsellor(
        &self,
        space: SpaceId,
        author: PersonId,
        among: &[JournalEntryId],
    ) -> Result<Vec<JournalEntryId>, StoreError>;
    /// The latest [`COUNSELLOR_WINDOW`] journal entries shared with `counsellor` in `space`,
    /// newest first, only through an active grant and only of a partner still in the space.
    async fn counsellor_journal(
        &self,
        counsellor: PersonId,
        space: SpaceId,
    ) -> Result<Vec<CounsellorCopy<JournalEntryId>>, StoreError>;
    /// As [`Self::share_journal_with_counsellor`], for an evidence entry of a journey.
    async fn share_evidence_with_counsellor(
        &self,
        breach: BreachId,
        entry: EvidenceId,
        author: PersonId,
        copy: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    async fn unshare_evidence_from_counsellor(
        &self,
        breach: BreachId,
        entry: EvidenceId,
        author: PersonId,
    ) -> Result<bool, StoreError>;
    async fn evidence_shared_with_counsellor(
        &self,
        breach: BreachId,
        author: PersonId,
        among: &[EvidenceId],
    ) -> Result<Vec<EvidenceId>, StoreError>;
    async fn counsellor_evidence(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<CounsellorCopy<EvidenceId>>, StoreError>;
}
