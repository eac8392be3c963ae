//! A space: where two partners work on their journeys together.

/// The two places in a space. The person who creates it takes the first, the partner who
/// joins takes the second; the store refuses a third, so a space never holds more than two.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seat {
    Creator = 1,
    Joiner = 2,
}

impl Seat {
    pub fn from_number(n: i64) -> Option<Self> {
        match n {
            1 => Some(Seat::Creator),
            2 => Some(Seat::Joiner),
            _ => None,
        }
    }

    pub fn number(self) -> i64 {
        self as i64
    }
}

/// Why a person may not create a space now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SpaceRefusal {
    #[error("the private safety check comes first")]
    SafetyCheckFirst,
    #[error("a person belongs to one space at a time")]
    AlreadyInASpace,
}

/// A person may create a space once their safety check is done, and only if they are not
/// already in one.
pub fn may_create_space(safety_cleared: bool, in_a_space: bool) -> Result<(), SpaceRefusal> {
    if !safety_cleared {
        return Err(SpaceRefusal::SafetyCheckFirst);
    }
    if in_a_space {
        return Err(SpaceRefusal::AlreadyInASpace);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creating_a_space_needs_the_safety_check_and_no_other_space() {
        assert_eq!(may_create_space(true, false), Ok(()));
        assert_eq!(
            may_create_space(false, false),
            Err(SpaceRefusal::SafetyCheckFirst)
        );
        assert_eq!(
            may_create_space(true, true),
            Err(SpaceRefusal::AlreadyInASpace)
        );
    }

    #[test]
    fn seats_round_trip_through_numbers() {
        assert_eq!(Seat::from_number(Seat::Joiner.number()), Some(Seat::Joiner));
        assert_eq!(Seat::from_number(3), None);
    }
}
