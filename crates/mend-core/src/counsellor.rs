//! A counsellor: a third person who reads, by both partners' consent, parts of a couple's
//! journeys, and nothing else.
//!
//! The life of a counsellor's place in a space: one partner proposes (an invitation link is made
//! at once, but it does not work yet); the other partner agrees, and only then does the link work,
//! single use and for [`COUNSELLOR_INVITE_LIFETIME`]; a person with a counsellor account accepts
//! it and is granted access; either partner ends that access at once, alone, whenever they like.
//! Deleting an account or leaving the space ends it too.
//!
//! What the counsellor may read is decided per journey by each partner's [`ShareChoices`], and for
//! every piece of words by [`may_read`]: see its documentation for the rule in full.

use crate::space::Seat;
use crate::time::{Duration, Timestamp};

/// How long a counsellor's invitation link works once both partners want it.
pub const COUNSELLOR_INVITE_LIFETIME: Duration = Duration::hours(72);

/// What a partner may allow a counsellor to read in one journey.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ShareArea {
    /// The areas' statuses, the counts and the trust chart: no one's words.
    Summary,
    /// Sent entries of the journey's areas, and the replies to them.
    Entries,
    /// Questions and their answers.
    Questions,
    /// Feelings and the reflections on them.
    Feelings,
    /// Check-in scores (never the notes written with them).
    CheckIns,
    /// Triggers and the replies to them.
    Triggers,
    /// Transparency agreements.
    Transparency,
    /// The timeline of what happened when.
    Timeline,
}

impl ShareArea {
    pub const ALL: [ShareArea; 8] = [
        ShareArea::Summary,
        ShareArea::Entries,
        ShareArea::Questions,
        ShareArea::Feelings,
        ShareArea::CheckIns,
        ShareArea::Triggers,
        ShareArea::Transparency,
        ShareArea::Timeline,
    ];

    /// The name stored in the database and used in forms.
    pub fn slug(self) -> &'static str {
        match self {
            ShareArea::Summary => "summary",
            ShareArea::Entries => "entries",
            ShareArea::Questions => "questions",
            ShareArea::Feelings => "feelings",
            ShareArea::CheckIns => "check_ins",
            ShareArea::Triggers => "triggers",
            ShareArea::Transparency => "transparency",
            ShareArea::Timeline => "timeline",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.slug() == slug)
    }

    /// Whether a partner's own words in this area stand on their own, so that their author's
    /// choice alone may show them. The summary, the timeline and transparency agreements always
    /// tell of both partners, so they need both.
    pub fn holds_own_words(self) -> bool {
        match self {
            ShareArea::Entries
            | ShareArea::Questions
            | ShareArea::Feelings
            | ShareArea::CheckIns
            | ShareArea::Triggers => true,
            ShareArea::Summary | ShareArea::Transparency | ShareArea::Timeline => false,
        }
    }
}

/// One partner's choices for one journey: the areas they allow the counsellor to read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShareChoices {
    allowed: Vec<ShareArea>,
}

impl ShareChoices {
    pub fn none() -> Self {
        Self::default()
    }

    pub fn of(areas: impl IntoIterator<Item = ShareArea>) -> Self {
        let mut allowed: Vec<ShareArea> = areas.into_iter().collect();
        allowed.sort();
        allowed.dedup();
        Self { allowed }
    }

    pub fn allows(&self, area: ShareArea) -> bool {
        self.allowed.contains(&area)
    }

    pub fn areas(&self) -> &[ShareArea] {
        &self.allowed
    }
}

/// Both partners' choices for one journey.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Consent {
    pub creator: ShareChoices,
    pub joiner: ShareChoices,
}

impl Consent {
    pub fn of(&self, seat: Seat) -> &ShareChoices {
        match seat {
            Seat::Creator => &self.creator,
            Seat::Joiner => &self.joiner,
        }
    }

    /// Whether both partners allow `area`.
    pub fn both_allow(&self, area: ShareArea) -> bool {
        self.creator.allows(area) && self.joiner.allows(area)
    }
}

/// Every kind of thing written or recorded in a space, as the counsellor rule sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A sent entry of one of the journey's areas.
    Entry,
    /// A reply to another's entry (a response to a statement, a follow-up).
    EntryReply,
    Question,
    Answer,
    Feeling,
    Reflection,
    CheckInScore,
    Trigger,
    TriggerReply,
    TransparencyAgreement,
    Summary,
    TimelineEvent,
    /// Never readable by a counsellor, even if chosen.
    CheckInNote,
    Draft,
    SafetyAnswer,
    /// Private, unless its author shares this one entry with the counsellor.
    JournalEntry,
    /// Private, unless its author shares this one entry with the counsellor.
    EvidenceEntry,
}

/// Whose words a piece is, as far as the rule needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Words {
    /// One partner's words standing on their own (an entry they sent, a question they asked,
    /// a feeling they shared, a score, a trigger they noted).
    OwnOf(Seat),
    /// Words that answer or tell of the other partner's (an answer, a reflection, a reply),
    /// or that tell of both (the summary, the timeline, an agreement).
    Shared,
}

impl ItemKind {
    /// The area a partner allows for this kind, or `None` when no choice can ever show it.
    pub fn area(self) -> Option<ShareArea> {
        match self {
            ItemKind::Entry | ItemKind::EntryReply => Some(ShareArea::Entries),
            ItemKind::Question | ItemKind::Answer => Some(ShareArea::Questions),
            ItemKind::Feeling | ItemKind::Reflection => Some(ShareArea::Feelings),
            ItemKind::CheckInScore => Some(ShareArea::CheckIns),
            ItemKind::Trigger | ItemKind::TriggerReply => Some(ShareArea::Triggers),
            ItemKind::TransparencyAgreement => Some(ShareArea::Transparency),
            ItemKind::Summary => Some(ShareArea::Summary),
            ItemKind::TimelineEvent => Some(ShareArea::Timeline),
            ItemKind::CheckInNote
            | ItemKind::Draft
            | ItemKind::SafetyAnswer
            | ItemKind::JournalEntry
            | ItemKind::EvidenceEntry => None,
        }
    }

    /// Whether a piece of this kind stands on its author's own words (see [`Words::OwnOf`]).
    pub fn stands_alone(self) -> bool {
        matches!(
            self,
            ItemKind::Entry
                | ItemKind::Question
                | ItemKind::Feeling
                | ItemKind::CheckInScore
                | ItemKind::Trigger
        )
    }

    /// Whether its author may share one item of this kind with the counsellor by itself.
    pub fn may_be_shared_one_by_one(self) -> bool {
        matches!(self, ItemKind::JournalEntry | ItemKind::EvidenceEntry)
    }
}

/// One piece of words the counsellor might read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    pub kind: ItemKind,
    /// The partner who wrote it, or `None` for what tells of both (the summary, the timeline).
    pub author: Option<Seat>,
    /// For a journal or evidence entry: its author shared this one with the counsellor.
    pub shared_by_author: bool,
}

impl Piece {
    pub fn words(&self) -> Words {
        match self.author {
            Some(seat) if self.kind.stands_alone() => Words::OwnOf(seat),
            _ => Words::Shared,
        }
    }
}

/// The consent rule, the one place it is decided whether a counsellor with access may read a
/// piece of a journey:
///
/// - Private journals, evidence logs, drafts, safety answers and check-in notes are never
///   readable, whatever anyone chose. The one exception is a journal or evidence entry that its
///   own author shared with the counsellor, one entry at a time.
/// - Anything else is readable when **both** partners allow its area in this journey.
/// - A partner's own words that stand on their own (an entry they sent, a question they asked, a
///   feeling they shared, their check-in score, a trigger they noted) are readable when that
///   partner allows the area: their choice is enough for their own words, and for nothing of
///   their partner's. Answers, reflections and replies, which answer the other's words, and the
///   summary, the timeline and agreements, which tell of both, always need both.
///
/// Whether the counsellor has access at all (accepted, not ended) is [`Grant::is_active`]; this
/// rule is asked only for a counsellor who has it.
pub fn may_read(piece: Piece, consent: &Consent) -> bool {
    let Some(area) = piece.kind.area() else {
        return piece.kind.may_be_shared_one_by_one() && piece.shared_by_author;
    };
    if consent.both_allow(area) {
        return true;
    }
    match piece.words() {
        Words::OwnOf(seat) => area.holds_own_words() && consent.of(seat).allows(area),
        Words::Shared => false,
    }
}

/// Why something about a counsellor cannot be done now. Each has its own page; none changes
/// anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CounsellorRefusal {
    #[error("only a partner of the space may propose a counsellor")]
    NotAPartner,
    #[error("a counsellor needs both partners in the space")]
    PartnerMissing,
    #[error("this space already has a counsellor or a proposal")]
    AlreadyOne,
    #[error("the partner who proposed cannot also agree")]
    OwnProposal,
    #[error("there is nothing waiting for agreement")]
    NothingToAgree,
    #[error("no invitation has this code")]
    Unknown,
    #[error("the other partner has not agreed yet")]
    NotAgreedYet,
    #[error("this invitation has already been used")]
    Used,
    #[error("this invitation has expired")]
    Expired,
    #[error("this counsellor's access has ended")]
    Ended,
    #[error("only a counsellor account may accept")]
    NotACounsellorAccount,
    #[error("a partner of this space cannot be its counsellor")]
    PartnerOfThisSpace,
    #[error("the counsellor has no access")]
    NoAccess,
    #[error("a counsellor's account has no space of its own")]
    CounsellorHasNoSpace,
    #[error("only its author shares an entry with the counsellor")]
    NotTheAuthor,
    #[error("no counsellor reads this space now")]
    NoCounsellor,
}

/// Whether `viewer` may share one journal or evidence entry of `author`'s with the counsellor,
/// or take it back: only its author, and only while a counsellor reads the space.
pub fn may_share_with_counsellor(
    author: crate::ids::PersonId,
    viewer: crate::ids::PersonId,
    counsellor_reads: bool,
) -> Result<(), CounsellorRefusal> {
    if author != viewer {
        return Err(CounsellorRefusal::NotTheAuthor);
    }
    if !counsellor_reads {
        return Err(CounsellorRefusal::NoCounsellor);
    }
    Ok(())
}

/// A counsellor's account reads couples' spaces through grants only: it never creates or
/// joins a space of its own, so that it can never be both a partner and a counsellor.
pub fn may_have_a_space(counsellor_account: bool) -> Result<(), CounsellorRefusal> {
    if counsellor_account {
        return Err(CounsellorRefusal::CounsellorHasNoSpace);
    }
    Ok(())
}

/// Why a counsellor's access ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantEnd {
    /// A partner ended it (or withdrew the proposal before it was used).
    Revoked(Seat),
    /// A partner left the space or deleted their account.
    PartnerLeft,
    /// The counsellor deleted their account.
    CounsellorLeft,
}

impl GrantEnd {
    pub fn slug(self) -> &'static str {
        match self {
            GrantEnd::Revoked(Seat::Creator) => "revoked_by_creator",
            GrantEnd::Revoked(Seat::Joiner) => "revoked_by_joiner",
            GrantEnd::PartnerLeft => "partner_left",
            GrantEnd::CounsellorLeft => "counsellor_left",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        match slug {
            "revoked_by_creator" => Some(GrantEnd::Revoked(Seat::Creator)),
            "revoked_by_joiner" => Some(GrantEnd::Revoked(Seat::Joiner)),
            "partner_left" => Some(GrantEnd::PartnerLeft),
            "counsellor_left" => Some(GrantEnd::CounsellorLeft),
            _ => None,
        }
    }
}

/// What is true of one counsellor's place in a space, from proposal to end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grant {
    pub proposed_by: Seat,
    pub proposed_at: Timestamp,
    pub agreed_at: Option<Timestamp>,
    pub accepted_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
}

impl Grant {
    pub fn is_ended(&self) -> bool {
        self.ended_at.is_some()
    }

    /// Whether the counsellor reads now: accepted and not ended.
    pub fn is_active(&self) -> bool {
        self.accepted_at.is_some() && !self.is_ended()
    }

    /// Whether the space still has this counsellor or proposal in play (so no other may start).
    pub fn is_open(&self) -> bool {
        !self.is_ended()
    }

    /// When the link stops working: [`COUNSELLOR_INVITE_LIFETIME`] after the agreement.
    pub fn link_expires_at(&self) -> Option<Timestamp> {
        self.agreed_at.map(|at| at + COUNSELLOR_INVITE_LIFETIME)
    }

    /// Whether `seat` may agree now: the other partner, while the proposal waits.
    pub fn may_agree(&self, seat: Seat) -> Result<(), CounsellorRefusal> {
        if self.is_ended() || self.agreed_at.is_some() {
            return Err(CounsellorRefusal::NothingToAgree);
        }
        if seat == self.proposed_by {
            return Err(CounsellorRefusal::OwnProposal);
        }
        Ok(())
    }

    /// Whether the link itself works now, for anyone who holds it.
    pub fn link_usable(&self, now: Timestamp) -> Result<(), CounsellorRefusal> {
        if self.is_ended() {
            return Err(CounsellorRefusal::Ended);
        }
        if self.accepted_at.is_some() {
            return Err(CounsellorRefusal::Used);
        }
        match self.link_expires_at() {
            None => Err(CounsellorRefusal::NotAgreedYet),
            Some(expiry) if now >= expiry => Err(CounsellorRefusal::Expired),
            Some(_) => Ok(()),
        }
    }

    /// Whether the person holding the link may accept it now.
    pub fn may_accept(&self, now: Timestamp, taker: Taker) -> Result<(), CounsellorRefusal> {
        self.link_usable(now)?;
        if taker.partner_of_this_space {
            return Err(CounsellorRefusal::PartnerOfThisSpace);
        }
        if !taker.counsellor_account {
            return Err(CounsellorRefusal::NotACounsellorAccount);
        }
        Ok(())
    }

    /// Either partner may end it at once, alone, at any stage before it has ended.
    pub fn may_revoke(&self) -> Result<(), CounsellorRefusal> {
        if self.is_ended() {
            return Err(CounsellorRefusal::Ended);
        }
        Ok(())
    }
}

/// The facts about the person holding a counsellor's link that decide whether they may take it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Taker {
    pub counsellor_account: bool,
    pub partner_of_this_space: bool,
}

/// Whether a person may propose a counsellor for their space: a partner (not a counsellor
/// account), with both seats filled, and no counsellor or proposal already open there.
pub fn may_propose(
    proposer_seat: Option<Seat>,
    members_in_space: usize,
    open_grant: Option<&Grant>,
) -> Result<Seat, CounsellorRefusal> {
    let Some(seat) = proposer_seat else {
        return Err(CounsellorRefusal::NotAPartner);
    };
    if members_in_space < 2 {
        return Err(CounsellorRefusal::PartnerMissing);
    }
    if open_grant.is_some_and(Grant::is_open) {
        return Err(CounsellorRefusal::AlreadyOne);
    }
    Ok(seat)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposed() -> Grant {
        Grant {
            proposed_by: Seat::Creator,
            proposed_at: Timestamp(100),
            agreed_at: None,
            accepted_at: None,
            ended_at: None,
        }
    }

    fn agreed() -> Grant {
        Grant {
            agreed_at: Some(Timestamp(1_000)),
            ..proposed()
        }
    }

    fn counsellor() -> Taker {
        Taker {
            counsellor_account: true,
            partner_of_this_space: false,
        }
    }

    fn piece(kind: ItemKind, author: Option<Seat>) -> Piece {
        Piece {
            kind,
            author,
            shared_by_author: false,
        }
    }

    fn consent(creator: &[ShareArea], joiner: &[ShareArea]) -> Consent {
        Consent {
            creator: ShareChoices::of(creator.iter().copied()),
            joiner: ShareChoices::of(joiner.iter().copied()),
        }
    }

    #[test]
    fn only_a_partner_of_a_full_space_without_a_counsellor_may_propose() {
        assert_eq!(may_propose(Some(Seat::Joiner), 2, None), Ok(Seat::Joiner));
        assert_eq!(
            may_propose(None, 2, None),
            Err(CounsellorRefusal::NotAPartner)
        );
        assert_eq!(
            may_propose(Some(Seat::Creator), 1, None),
            Err(CounsellorRefusal::PartnerMissing)
        );
        assert_eq!(
            may_propose(Some(Seat::Creator), 2, Some(&proposed())),
            Err(CounsellorRefusal::AlreadyOne)
        );
        let ended = Grant {
            ended_at: Some(Timestamp(5)),
            ..proposed()
        };
        assert_eq!(
            may_propose(Some(Seat::Creator), 2, Some(&ended)),
            Ok(Seat::Creator)
        );
    }

    #[test]
    fn only_the_author_shares_an_entry_and_only_with_a_counsellor_there() {
        let (alex, sam) = (crate::ids::PersonId::new(), crate::ids::PersonId::new());
        assert_eq!(may_share_with_counsellor(alex, alex, true), Ok(()));
        assert_eq!(
            may_share_with_counsellor(alex, sam, true),
            Err(CounsellorRefusal::NotTheAuthor)
        );
        assert_eq!(
            may_share_with_counsellor(alex, alex, false),
            Err(CounsellorRefusal::NoCounsellor)
        );
    }

    #[test]
    fn a_counsellors_account_never_has_a_space() {
        assert_eq!(
            may_have_a_space(true),
            Err(CounsellorRefusal::CounsellorHasNoSpace)
        );
        assert_eq!(may_have_a_space(false), Ok(()));
    }

    #[test]
    fn only_the_other_partner_agrees_and_only_once() {
        assert_eq!(
            proposed().may_agree(Seat::Creator),
            Err(CounsellorRefusal::OwnProposal)
        );
        assert_eq!(proposed().may_agree(Seat::Joiner), Ok(()));
        assert_eq!(
            agreed().may_agree(Seat::Joiner),
            Err(CounsellorRefusal::NothingToAgree)
        );
    }

    #[test]
    fn the_link_works_only_after_agreement_and_until_exactly_its_expiry() {
        assert_eq!(
            proposed().link_usable(Timestamp(200)),
            Err(CounsellorRefusal::NotAgreedYet)
        );
        let expiry = Timestamp(1_000) + COUNSELLOR_INVITE_LIFETIME;
        assert_eq!(agreed().link_expires_at(), Some(expiry));
        assert_eq!(agreed().link_usable(Timestamp(expiry.0 - 1)), Ok(()));
        assert_eq!(
            agreed().link_usable(expiry),
            Err(CounsellorRefusal::Expired)
        );
    }

    #[test]
    fn the_link_is_single_use_and_dies_with_revocation() {
        let used = Grant {
            accepted_at: Some(Timestamp(1_100)),
            ..agreed()
        };
        assert_eq!(
            used.may_accept(Timestamp(1_200), counsellor()),
            Err(CounsellorRefusal::Used)
        );
        let revoked = Grant {
            ended_at: Some(Timestamp(1_050)),
            ..agreed()
        };
        assert_eq!(
            revoked.may_accept(Timestamp(1_100), counsellor()),
            Err(CounsellorRefusal::Ended)
        );
    }

    #[test]
    fn only_a_counsellor_account_outside_the_space_accepts() {
        let now = Timestamp(1_100);
        assert_eq!(agreed().may_accept(now, counsellor()), Ok(()));
        assert_eq!(
            agreed().may_accept(
                now,
                Taker {
                    counsellor_account: false,
                    partner_of_this_space: false
                }
            ),
            Err(CounsellorRefusal::NotACounsellorAccount)
        );
        assert_eq!(
            agreed().may_accept(
                now,
                Taker {
                    counsellor_account: true,
                    partner_of_this_space: true
                }
            ),
            Err(CounsellorRefusal::PartnerOfThisSpace)
        );
    }

    #[test]
    fn either_partner_may_revoke_at_any_stage_until_it_has_ended() {
        let active = Grant {
            accepted_at: Some(Timestamp(1_100)),
            ..agreed()
        };
        assert!(active.is_active());
        for g in [proposed(), agreed(), active] {
            assert_eq!(g.may_revoke(), Ok(()));
        }
        let ended = Grant {
            ended_at: Some(Timestamp(2_000)),
            ..active
        };
        assert!(!ended.is_active());
        assert_eq!(ended.may_revoke(), Err(CounsellorRefusal::Ended));
        assert!(!agreed().is_active());
    }

    #[test]
    fn nothing_is_readable_until_someone_allows_its_area() {
        let none = Consent::default();
        for kind in [
            ItemKind::Entry,
            ItemKind::Answer,
            ItemKind::Summary,
            ItemKind::TimelineEvent,
            ItemKind::CheckInScore,
        ] {
            assert!(!may_read(piece(kind, Some(Seat::Creator)), &none));
        }
    }

    #[test]
    fn both_allowing_an_area_shows_everything_in_it_and_nothing_else() {
        let c = consent(&[ShareArea::Questions], &[ShareArea::Questions]);
        assert!(may_read(piece(ItemKind::Question, Some(Seat::Creator)), &c));
        assert!(may_read(piece(ItemKind::Answer, Some(Seat::Joiner)), &c));
        assert!(!may_read(piece(ItemKind::Feeling, Some(Seat::Creator)), &c));
        assert!(!may_read(piece(ItemKind::Summary, None), &c));
    }

    #[test]
    fn ones_own_choice_is_enough_for_ones_own_words_only() {
        let c = consent(&[ShareArea::Feelings, ShareArea::Timeline], &[]);
        assert!(may_read(piece(ItemKind::Feeling, Some(Seat::Creator)), &c));
        assert!(!may_read(piece(ItemKind::Feeling, Some(Seat::Joiner)), &c));
        // A reflection answers the other's words: it needs both, even from its own author.
        assert!(!may_read(
            piece(ItemKind::Reflection, Some(Seat::Creator)),
            &c
        ));
        assert!(!may_read(
            piece(ItemKind::Reflection, Some(Seat::Joiner)),
            &c
        ));
        // What tells of both always needs both.
        assert!(!may_read(piece(ItemKind::TimelineEvent, None), &c));
        let c = consent(&[ShareArea::Transparency], &[]);
        assert!(!may_read(
            piece(ItemKind::TransparencyAgreement, Some(Seat::Creator)),
            &c
        ));
    }

    #[test]
    fn private_kinds_are_never_readable_even_if_every_area_is_chosen() {
        let all = consent(&ShareArea::ALL, &ShareArea::ALL);
        for kind in [
            ItemKind::CheckInNote,
            ItemKind::Draft,
            ItemKind::SafetyAnswer,
            ItemKind::JournalEntry,
            ItemKind::EvidenceEntry,
        ] {
            assert!(!may_read(piece(kind, Some(Seat::Creator)), &all));
        }
    }

    #[test]
    fn a_journal_or_evidence_entry_its_author_shared_is_the_one_exception() {
        let none = Consent::default();
        for kind in [ItemKind::JournalEntry, ItemKind::EvidenceEntry] {
            let shared = Piece {
                kind,
                author: Some(Seat::Joiner),
                shared_by_author: true,
            };
            assert!(may_read(shared, &none));
        }
        for kind in [
            ItemKind::Draft,
            ItemKind::CheckInNote,
            ItemKind::SafetyAnswer,
        ] {
            let shared = Piece {
                kind,
                author: Some(Seat::Joiner),
                shared_by_author: true,
            };
            assert!(!may_read(shared, &none));
        }
    }

    #[test]
    fn names_round_trip() {
        for area in ShareArea::ALL {
            assert_eq!(ShareArea::from_slug(area.slug()), Some(area));
        }
        assert_eq!(ShareArea::from_slug("journal"), None);
        for end in [
            GrantEnd::Revoked(Seat::Creator),
            GrantEnd::Revoked(Seat::Joiner),
            GrantEnd::PartnerLeft,
            GrantEnd::CounsellorLeft,
        ] {
            assert_eq!(GrantEnd::from_slug(end.slug()), Some(end));
        }
    }

    #[test]
    fn the_link_lives_72_hours() {
        assert_eq!(COUNSELLOR_INVITE_LIFETIME, Duration(72 * 3_600_000));
    }
}
