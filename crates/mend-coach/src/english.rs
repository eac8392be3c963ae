//! The English rule pack's files, in the order their rules are tried. Kept in a file of its own so
//! that the build script, which prepares the pack at compile time, reads the same list.

/// The English rule pack, one file per family of categories.
pub const ENGLISH_PACK: &[&str] = &[
    include_str!("../rules/en/slots.toml"),
    include_str!("../rules/en/lexicon.toml"),
    include_str!("../rules/en/excuse.toml"),
    include_str!("../rules/en/justification.toml"),
    include_str!("../rules/en/blame_shift.toml"),
    include_str!("../rules/en/minimizing.toml"),
    include_str!("../rules/en/non_apology.toml"),
    include_str!("../rules/en/defensive.toml"),
    include_str!("../rules/en/invalidating.toml"),
    include_str!("../rules/en/urging.toml"),
    include_str!("../rules/en/analyzing.toml"),
    include_str!("../rules/en/self_focus.toml"),
    include_str!("../rules/en/hedging.toml"),
    include_str!("../rules/en/inflammatory_detail.toml"),
];
