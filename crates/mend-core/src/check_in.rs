//! Trust check-ins: the hurt partner says how much they trust, from 0 to 10, when they want
//! to; the journey draws them as a chart. Nothing lets the repairing partner ask for one.

use crate::time::Timestamp;

/// How much the hurt partner trusts right now, from 0 (not at all) to 10 (fully).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Trust(u8);

impl Trust {
    pub const MAX: u8 = 10;

    pub fn parse(value: &str) -> Option<Self> {
        let n: u8 = value.trim().parse().ok()?;
        (n <= Self::MAX).then_some(Self(n))
    }

    pub fn from_stored(n: i64) -> Option<Self> {
        u8::try_from(n).ok().filter(|n| *n <= Self::MAX).map(Self)
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

/// The longest note with a check-in, in characters.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// Why a check-in is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CheckInRefusal {
    #[error("check-ins are the hurt partner's to make")]
    NotTheHurtPartner,
}

/// Only the hurt partner checks in.
pub fn may_check_in(role: crate::Role) -> Result<(), CheckInRefusal> {
    match role {
        crate::Role::HurtPartner => Ok(()),
        crate::Role::RepairingPartner => Err(CheckInRefusal::NotTheHurtPartner),
    }
}

/// Where each check-in sits in a chart of `width` × `height` (origin top left, trust 10 at the
/// top): time runs left to right across the span of the check-ins; a single one sits in the
/// middle.
pub fn chart_points(check_ins: &[(Timestamp, Trust)], width: f64, height: f64) -> Vec<(f64, f64)> {
    let (Some(first), Some(last)) = (
        check_ins.iter().map(|(t, _)| t.0).min(),
        check_ins.iter().map(|(t, _)| t.0).max(),
    ) else {
        return Vec::new();
    };
    let span = (last - first) as f64;
    check_ins
        .iter()
        .map(|(t, trust)| {
            let x = if span > 0.0 {
                (t.0 - first) as f64 / span * width
            } else {
                width / 2.0
            };
            let y = height - f64::from(trust.value()) / f64::from(Trust::MAX) * height;
            (x, y)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    #[test]
    fn trust_is_a_whole_number_from_0_to_10() {
        assert_eq!(Trust::parse("0").map(Trust::value), Some(0));
        assert_eq!(Trust::parse(" 10 ").map(Trust::value), Some(10));
        for bad in ["11", "-1", "", "seven", "3.5"] {
            assert_eq!(Trust::parse(bad), None, "{bad}");
        }
        assert_eq!(Trust::from_stored(12), None);
    }

    #[test]
    fn only_the_hurt_partner_checks_in() {
        assert_eq!(may_check_in(Role::HurtPartner), Ok(()));
        assert_eq!(
            may_check_in(Role::RepairingPartner),
            Err(CheckInRefusal::NotTheHurtPartner)
        );
    }

    #[test]
    fn points_span_the_chart_in_time_and_trust() {
        let t = |ms, n| (Timestamp(ms), Trust::parse(n).unwrap());
        let points = chart_points(&[t(0, "0"), t(50, "5"), t(100, "10")], 200.0, 100.0);
        assert_eq!(points, vec![(0.0, 100.0), (100.0, 50.0), (200.0, 0.0)]);
        assert_eq!(
            chart_points(&[t(7, "4")], 200.0, 100.0),
            vec![(100.0, 60.0)]
        );
        assert!(chart_points(&[], 200.0, 100.0).is_empty());
    }
}
