//! Transparency agreements: the repairing partner offers to tell something, for a period both
//! agree ("for three months I will tell you the same day if X contacts me"). The hurt partner
//! accepts or declines; the offerer may withdraw an offer not yet decided.
//!
//! Transparency is given, not extracted: an agreement is words the repairing partner keeps by
//! telling. Nothing here reads, tracks or watches anything.
//!
//! An accepted agreement runs for its period and then has ended, worked out from the clock
//! when asked; nothing runs in the background. A renewal is a new offer linked to the
//! agreement it renews. Once accepted it follows on without a gap: it starts when the old one
//! ends if that is still running, or at acceptance if it has already ended, so renewing early
//! never shortens what was promised.

use crate::ids::PersonId;
use crate::journey::Role;
use crate::time::{Duration, Timestamp};

/// The longest transparency agreement, in characters.
pub const MAX_TRANSPARENCY_CHARS: usize = 2000;

/// How long an agreement runs once accepted: a short list, so both partners choose a horizon
/// rather than negotiate a number of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    OneMonth,
    ThreeMonths,
    SixMonths,
    TwelveMonths,
}

impl Period {
    pub const ALL: [Period; 4] = [
        Period::OneMonth,
        Period::ThreeMonths,
        Period::SixMonths,
        Period::TwelveMonths,
    ];

    /// The period in days, as stored and as a form sends it.
    pub fn days(self) -> i64 {
        match self {
            Period::OneMonth => 30,
            Period::ThreeMonths => 91,
            Period::SixMonths => 182,
            Period::TwelveMonths => 365,
        }
    }

    pub fn from_days(days: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.days() == days)
    }

    /// Parses the value of the period choice in a form: one of the choices' days.
    pub fn parse(value: &str) -> Option<Self> {
        Self::from_days(value.trim().parse().ok()?)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransparencyState {
    Offered,
    Accepted,
    Declined,
    Withdrawn,
}

impl TransparencyState {
    pub const ALL: [TransparencyState; 4] = [
        TransparencyState::Offered,
        TransparencyState::Accepted,
        TransparencyState::Declined,
        TransparencyState::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TransparencyState::Offered => "offered",
            TransparencyState::Accepted => "accepted",
            TransparencyState::Declined => "declined",
            TransparencyState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// Why a transparency agreement cannot be offered, decided, withdrawn or renewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransparencyRefusal {
    #[error("a transparency agreement needs some words")]
    Empty,
    #[error("the agreement is longer than 2000 characters")]
    TooLong,
    #[error("transparency is offered by the repairing partner")]
    RepairingPartnerOffers,
    #[error("an offer is accepted or declined by the hurt partner")]
    HurtPartnerDecides,
    #[error("only the partner who made an offer can withdraw it")]
    NotYourOffer,
    #[error("the agreement is no longer open to that")]
    NotOpen,
    #[error("a renewal of this agreement is already offered or agreed")]
    AlreadyRenewed,
}

pub fn check_text(text: &str) -> Result<(), TransparencyRefusal> {
    if crate::text::is_blank(text) {
        return Err(TransparencyRefusal::Empty);
    }
    if text.chars().count() > MAX_TRANSPARENCY_CHARS {
        return Err(TransparencyRefusal::TooLong);
    }
    Ok(())
}

/// Only the repairing partner offers transparency: it is theirs to give.
pub fn may_offer(role: Role) -> Result<(), TransparencyRefusal> {
    if role == Role::RepairingPartner {
        Ok(())
    } else {
        Err(TransparencyRefusal::RepairingPartnerOffers)
    }
}

/// Whether someone in `role` may accept or decline an offer in `state`.
pub fn may_decide(role: Role, state: TransparencyState) -> Result<(), TransparencyRefusal> {
    if role != Role::HurtPartner {
        return Err(TransparencyRefusal::HurtPartnerDecides);
    }
    if state != TransparencyState::Offered {
        return Err(TransparencyRefusal::NotOpen);
    }
    Ok(())
}

/// Whether `viewer` may withdraw an offer made by `offered_by`.
pub fn may_withdraw(
    offered_by: PersonId,
    viewer: PersonId,
    state: TransparencyState,
) -> Result<(), TransparencyRefusal> {
    if offered_by != viewer {
        return Err(TransparencyRefusal::NotYourOffer);
    }
    if state != TransparencyState::Offered {
        return Err(TransparencyRefusal::NotOpen);
    }
    Ok(())
}

/// Whether someone in `role` may offer to renew an agreement in `state`, running or ended.
/// `renewal_pending_or_agreed` says whether a renewal of it is already offered or accepted:
/// one at a time, so that two renewals never run side by side.
pub fn may_renew(
    role: Role,
    state: TransparencyState,
    renewal_pending_or_agreed: bool,
) -> Result<(), TransparencyRefusal> {
    may_offer(role)?;
    if state != TransparencyState::Accepted {
        return Err(TransparencyRefusal::NotOpen);
    }
    if renewal_pending_or_agreed {
        return Err(TransparencyRefusal::AlreadyRenewed);
    }
    Ok(())
}

/// When an agreement accepted at `accepted_at` starts: at once, or — for a renewal of an
/// agreement still running — when that one ends, so the two follow on without a gap.
pub fn starts_at(accepted_at: Timestamp, renewed_ends_at: Option<Timestamp>) -> Timestamp {
    match renewed_ends_at {
        Some(end) if end > accepted_at => end,
        _ => accepted_at,
    }
}

/// When an agreement that starts at `starts` ends.
pub fn ends_on(starts: Timestamp, period: Period) -> Timestamp {
    starts + Duration::days(period.days())
}

/// Where an accepted agreement stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// A renewal agreed while the agreement it renews still runs.
    NotYetBegun,
    Running,
    Ended,
}

pub fn phase(starts: Timestamp, period: Period, now: Timestamp) -> Phase {
    if now < starts {
        Phase::NotYetBegun
    } else if now < ends_on(starts, period) {
        Phase::Running
    } else {
        Phase::Ended
    }
}

pub fn is_active(starts: Timestamp, period: Period, now: Timestamp) -> bool {
    phase(starts, period, now) == Phase::Running
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn periods_are_a_short_list_of_days() {
        assert_eq!(Period::parse("91"), Some(Period::ThreeMonths));
        assert_eq!(Period::parse(" 365 "), Some(Period::TwelveMonths));
        for unknown in ["", "90", "-30", "thirty", "0"] {
            assert_eq!(Period::parse(unknown), None, "{unknown}");
        }
        for p in Period::ALL {
            assert_eq!(Period::from_days(p.days()), Some(p));
        }
        for s in TransparencyState::ALL {
            assert_eq!(TransparencyState::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn only_the_repairing_partner_offers() {
        assert_eq!(may_offer(Role::RepairingPartner), Ok(()));
        assert_eq!(
            may_offer(Role::HurtPartner),
            Err(TransparencyRefusal::RepairingPartnerOffers)
        );
    }

    #[test]
    fn the_hurt_partner_decides_an_open_offer() {
        assert_eq!(
            may_decide(Role::HurtPartner, TransparencyState::Offered),
            Ok(())
        );
        assert_eq!(
            may_decide(Role::RepairingPartner, TransparencyState::Offered),
            Err(TransparencyRefusal::HurtPartnerDecides)
        );
        for state in [
            TransparencyState::Accepted,
            TransparencyState::Declined,
            TransparencyState::Withdrawn,
        ] {
            assert_eq!(
                may_decide(Role::HurtPartner, state),
                Err(TransparencyRefusal::NotOpen)
            );
        }
    }

    #[test]
    fn only_the_offerer_withdraws_an_open_offer() {
        let (a, b) = (PersonId::new(), PersonId::new());
        assert_eq!(may_withdraw(a, a, TransparencyState::Offered), Ok(()));
        assert_eq!(
            may_withdraw(a, b, TransparencyState::Offered),
            Err(TransparencyRefusal::NotYourOffer)
        );
        assert_eq!(
            may_withdraw(a, a, TransparencyState::Accepted),
            Err(TransparencyRefusal::NotOpen)
        );
    }

    #[test]
    fn accepted_agreements_are_renewed_one_renewal_at_a_time() {
        assert_eq!(
            may_renew(Role::RepairingPartner, TransparencyState::Accepted, false),
            Ok(())
        );
        assert_eq!(
            may_renew(Role::RepairingPartner, TransparencyState::Accepted, true),
            Err(TransparencyRefusal::AlreadyRenewed)
        );
        assert_eq!(
            may_renew(Role::HurtPartner, TransparencyState::Accepted, false),
            Err(TransparencyRefusal::RepairingPartnerOffers)
        );
        for state in [
            TransparencyState::Offered,
            TransparencyState::Declined,
            TransparencyState::Withdrawn,
        ] {
            assert_eq!(
                may_renew(Role::RepairingPartner, state, false),
                Err(TransparencyRefusal::NotOpen)
            );
        }
    }

    #[test]
    fn an_agreement_runs_for_its_period_then_has_ended() {
        let starts = Timestamp(1_000 * DAY);
        let ends = ends_on(starts, Period::ThreeMonths);
        assert_eq!(ends, Timestamp(1_091 * DAY));
        assert_eq!(
            phase(starts, Period::ThreeMonths, Timestamp(starts.0 - 1)),
            Phase::NotYetBegun
        );
        assert!(is_active(starts, Period::ThreeMonths, starts));
        assert!(is_active(
            starts,
            Period::ThreeMonths,
            Timestamp(ends.0 - 1)
        ));
        assert!(!is_active(starts, Period::ThreeMonths, ends));
        assert_eq!(phase(starts, Period::ThreeMonths, ends), Phase::Ended);
    }

    #[test]
    fn a_renewal_follows_on_without_a_gap() {
        let accepted = Timestamp(50 * DAY);
        assert_eq!(starts_at(accepted, None), accepted);
        assert_eq!(
            starts_at(accepted, Some(Timestamp(60 * DAY))),
            Timestamp(60 * DAY),
            "still running: the renewal starts when it ends"
        );
        assert_eq!(
            starts_at(accepted, Some(Timestamp(40 * DAY))),
            accepted,
            "already ended: the renewal starts at acceptance"
        );
    }

    #[test]
    fn text_is_bounded() {
        assert_eq!(
            check_text("For three months I will tell you the same day if X contacts me."),
            Ok(())
        );
        assert_eq!(check_text(" \n"), Err(TransparencyRefusal::Empty));
        assert_eq!(
            check_text(&"a".repeat(2001)),
            Err(TransparencyRefusal::TooLong)
        );
        assert_eq!(check_text(&"é".repeat(2000)), Ok(()));
    }
}
