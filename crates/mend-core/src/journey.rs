//! A breach of an agreement, and the journey of repair attached to it.
//!
//! Roles belong to a breach, not to a person: in one couple each partner can be the hurt
//! partner in one breach and the repairing partner in another. The hurt partner sets the pace:
//! only they mark an area of the journey done, or reopen it.

use serde::{Deserialize, Serialize};

/// What kind of agreement was broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreachKind {
    Affair,
    EmotionalAffair,
    Financial,
    Lie,
    BrokenPromise,
    Privacy,
    Addiction,
    Other,
}

impl BreachKind {
    pub const ALL: [BreachKind; 8] = [
        BreachKind::Affair,
        BreachKind::EmotionalAffair,
        BreachKind::Financial,
        BreachKind::Lie,
        BreachKind::BrokenPromise,
        BreachKind::Privacy,
        BreachKind::Addiction,
        BreachKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BreachKind::Affair => "affair",
            BreachKind::EmotionalAffair => "emotional_affair",
            BreachKind::Financial => "financial",
            BreachKind::Lie => "lie",
            BreachKind::BrokenPromise => "broken_promise",
            BreachKind::Privacy => "privacy",
            BreachKind::Addiction => "addiction",
            BreachKind::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// How the breach came to light.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CameToLight {
    /// The repairing partner told before the hurt partner found out.
    Told,
    /// The hurt partner found out first.
    FoundOut,
    /// Told in part, and the rest was found out.
    ToldInPart,
}

impl CameToLight {
    pub const ALL: [CameToLight; 3] = [
        CameToLight::Told,
        CameToLight::FoundOut,
        CameToLight::ToldInPart,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CameToLight::Told => "told",
            CameToLight::FoundOut => "found_out",
            CameToLight::ToldInPart => "told_in_part",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == value)
    }

    /// Whether the hurt partner discovered some of it before being told: the acknowledgement
    /// still matters, and the product says so kindly.
    pub fn found_out_first(self) -> bool {
        matches!(self, CameToLight::FoundOut | CameToLight::ToldInPart)
    }
}

/// An approximate date: a month of a year, which is as precise as memory usually is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u8,
}

impl Month {
    /// Parses `YYYY-MM`, the value of an HTML month input.
    pub fn parse(value: &str) -> Option<Self> {
        let (year, month) = value.trim().split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let month: u8 = month.parse().ok()?;
        ((1900..=2200).contains(&year) && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    pub fn as_input(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    fn index(self) -> i32 {
        self.year * 12 + i32::from(self.month) - 1
    }

    /// Whole months from `self` to `later` (0 when the same month).
    pub fn months_until(self, later: Month) -> i32 {
        later.index() - self.index()
    }
}

/// The facts of a breach as recorded; sealed as one piece in storage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreachDetails {
    pub kind: BreachKind,
    /// The agreement that was broken, in the couple's words; for an implicit agreement, what
    /// both expected without saying it.
    pub agreement: String,
    pub began: Month,
    pub ended: Option<Month>,
    pub came_to_light_on: Month,
    pub came_to_light: CameToLight,
}

/// Why a breach cannot be recorded as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BreachProblem {
    #[error("the agreement that was broken needs naming")]
    AgreementMissing,
    #[error("the agreement is longer than 2000 characters")]
    AgreementTooLong,
    #[error("it cannot have ended before it began")]
    EndedBeforeBegan,
    #[error("it cannot have come to light before it began")]
    LightBeforeBegan,
}

impl BreachDetails {
    pub const MAX_AGREEMENT_CHARS: usize = crate::agreement::MAX_AGREEMENT_CHARS;

    pub fn check(&self) -> Result<(), BreachProblem> {
        if crate::text::is_blank(&self.agreement) {
            return Err(BreachProblem::AgreementMissing);
        }
        if self.agreement.chars().count() > Self::MAX_AGREEMENT_CHARS {
            return Err(BreachProblem::AgreementTooLong);
        }
        if self.ended.is_some_and(|e| e < self.began) {
            return Err(BreachProblem::EndedBeforeBegan);
        }
        if self.came_to_light_on < self.began {
            return Err(BreachProblem::LightBeforeBegan);
        }
        Ok(())
    }

    /// Months between the start of the breach and the day it came to light: the longer a
    /// secret was kept, the longer the repair, so the journey shows it plainly.
    pub fn months_kept_secret(&self) -> i32 {
        self.began.months_until(self.came_to_light_on).max(0)
    }
}

/// A partner's role in one breach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    HurtPartner,
    RepairingPartner,
}

/// The seven areas of a journey, in the order the method gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Area {
    Acknowledge,
    Honesty,
    Questions,
    Feelings,
    Patience,
    Responsibility,
    Intention,
}

impl Area {
    pub const ALL: [Area; 7] = [
        Area::Acknowledge,
        Area::Honesty,
        Area::Questions,
        Area::Feelings,
        Area::Patience,
        Area::Responsibility,
        Area::Intention,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Area::Acknowledge => "acknowledge",
            Area::Honesty => "honesty",
            Area::Questions => "questions",
            Area::Feelings => "feelings",
            Area::Patience => "patience",
            Area::Responsibility => "responsibility",
            Area::Intention => "intention",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == value)
    }

    /// Where a new journey stands: acknowledging is where it starts; the rest wait.
    pub fn initial_status(self) -> AreaStatus {
        match self {
            Area::Acknowledge => AreaStatus::InProgress,
            _ => AreaStatus::NotStarted,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AreaStatus {
    NotStarted,
    InProgress,
    Done,
}

impl AreaStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AreaStatus::NotStarted => "not_started",
            AreaStatus::InProgress => "in_progress",
            AreaStatus::Done => "done",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            AreaStatus::NotStarted,
            AreaStatus::InProgress,
            AreaStatus::Done,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

/// Why an area's status may not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AreaRefusal {
    #[error("only the partner who was hurt marks an area done or reopens it")]
    NotTheHurtPartner,
    #[error("the area is already in that state")]
    Unchanged,
    #[error("an area is marked done or reopened; nothing else")]
    NotAllowed,
}

/// Whether `role` may move an area from `from` to `to`. Marking done and reopening are the
/// hurt partner's alone; an area cannot be put back to "not started".
pub fn may_change_area(role: Role, from: AreaStatus, to: AreaStatus) -> Result<(), AreaRefusal> {
    if role != Role::HurtPartner {
        return Err(AreaRefusal::NotTheHurtPartner);
    }
    if from == to {
        return Err(AreaRefusal::Unchanged);
    }
    match to {
        AreaStatus::Done => Ok(()),
        AreaStatus::InProgress if from == AreaStatus::Done => Ok(()),
        _ => Err(AreaRefusal::NotAllowed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    fn details() -> BreachDetails {
        BreachDetails {
            kind: BreachKind::Financial,
            agreement: "We decide on big spending together.".into(),
            began: month("2024-03"),
            ended: Some(month("2025-01")),
            came_to_light_on: month("2025-05"),
            came_to_light: CameToLight::FoundOut,
        }
    }

    #[test]
    fn months_parse_strictly() {
        assert_eq!(
            month("2025-05"),
            Month {
                year: 2025,
                month: 5
            }
        );
        for bad in [
            "2025-5", "2025-13", "25-05", "", "2025/05", "2025-00", "9999-01",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(month("2025-05").as_input(), "2025-05");
    }

    #[test]
    fn the_time_kept_secret_is_counted_in_months() {
        assert_eq!(details().months_kept_secret(), 14);
        assert_eq!(month("2024-12").months_until(month("2025-01")), 1);
    }

    #[test]
    fn breach_details_are_checked() {
        assert_eq!(details().check(), Ok(()));
        let mut d = details();
        d.agreement = "  ".into();
        assert_eq!(d.check(), Err(BreachProblem::AgreementMissing));
        let mut d = details();
        d.agreement = "a".repeat(2001);
        assert_eq!(d.check(), Err(BreachProblem::AgreementTooLong));
        let mut d = details();
        d.ended = Some(month("2023-01"));
        assert_eq!(d.check(), Err(BreachProblem::EndedBeforeBegan));
        let mut d = details();
        d.came_to_light_on = month("2024-02");
        assert_eq!(d.check(), Err(BreachProblem::LightBeforeBegan));
    }

    #[test]
    fn finding_out_first_is_recognised() {
        assert!(CameToLight::FoundOut.found_out_first());
        assert!(CameToLight::ToldInPart.found_out_first());
        assert!(!CameToLight::Told.found_out_first());
    }

    #[test]
    fn a_journey_starts_with_acknowledging() {
        let started: Vec<_> = Area::ALL
            .iter()
            .filter(|a| a.initial_status() == AreaStatus::InProgress)
            .collect();
        assert_eq!(started, vec![&Area::Acknowledge]);
    }

    #[test]
    fn only_the_hurt_partner_marks_done_or_reopens() {
        use AreaStatus::*;
        assert_eq!(may_change_area(Role::HurtPartner, InProgress, Done), Ok(()));
        assert_eq!(may_change_area(Role::HurtPartner, NotStarted, Done), Ok(()));
        assert_eq!(may_change_area(Role::HurtPartner, Done, InProgress), Ok(()));
        for (from, to) in [(InProgress, Done), (Done, InProgress), (NotStarted, Done)] {
            assert_eq!(
                may_change_area(Role::RepairingPartner, from, to),
                Err(AreaRefusal::NotTheHurtPartner)
            );
        }
        assert_eq!(
            may_change_area(Role::HurtPartner, Done, Done),
            Err(AreaRefusal::Unchanged)
        );
        assert_eq!(
            may_change_area(Role::HurtPartner, Done, NotStarted),
            Err(AreaRefusal::NotAllowed)
        );
        assert_eq!(
            may_change_area(Role::HurtPartner, NotStarted, InProgress),
            Err(AreaRefusal::NotAllowed)
        );
    }

    #[test]
    fn names_round_trip() {
        for a in Area::ALL {
            assert_eq!(Area::parse(a.as_str()), Some(a));
        }
        for k in BreachKind::ALL {
            assert_eq!(BreachKind::parse(k.as_str()), Some(k));
        }
        for c in CameToLight::ALL {
            assert_eq!(CameToLight::parse(c.as_str()), Some(c));
        }
        assert_eq!(AreaStatus::parse("done"), Some(AreaStatus::Done));
        assert_eq!(Area::parse("nope"), None);
    }
}
