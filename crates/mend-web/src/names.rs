//! The catalogue key for each domain value shown in words: an area, a kind of breach, a
//! rhythm, a feeling word, a response. Every value shown on more than one page is named here,
//! so the pages name it the same way; a value only one page shows is named beside that page.

use mend_core::{
    Area, AreaStatus, BreachKind, CameToLight, Ending, FeelingWord, Rhythm, StatementResponse,
};

use crate::key;
use crate::views::RhythmChoice;

pub fn area_name(area: Area) -> &'static str {
    match area {
        Area::Acknowledge => key!("area.acknowledge"),
        Area::Honesty => key!("area.honesty"),
        Area::Questions => key!("area.questions"),
        Area::Feelings => key!("area.feelings"),
        Area::Patience => key!("area.patience"),
        Area::Responsibility => key!("area.responsibility"),
        Area::Intention => key!("area.intention"),
    }
}

pub fn kind_name(kind: BreachKind) -> &'static str {
    match kind {
        BreachKind::Affair => key!("breach.kind_affair"),
        BreachKind::EmotionalAffair => key!("breach.kind_emotional_affair"),
        BreachKind::Financial => key!("breach.kind_financial"),
        BreachKind::Lie => key!("breach.kind_lie"),
        BreachKind::BrokenPromise => key!("breach.kind_broken_promise"),
        BreachKind::Privacy => key!("breach.kind_privacy"),
        BreachKind::Addiction => key!("breach.kind_addiction"),
        BreachKind::Other => key!("breach.kind_other"),
    }
}

pub fn light_name(light: CameToLight) -> &'static str {
    match light {
        CameToLight::Told => key!("breach.light_told"),
        CameToLight::FoundOut => key!("breach.light_found_out"),
        CameToLight::ToldInPart => key!("breach.light_told_in_part"),
    }
}

pub fn status_name(status: AreaStatus) -> &'static str {
    match status {
        AreaStatus::NotStarted => key!("journey.status_not_started"),
        AreaStatus::InProgress => key!("journey.status_in_progress"),
        AreaStatus::Done => key!("journey.status_done"),
    }
}

/// How an ended journey ended, in words.
pub fn ending_name(how: Ending) -> &'static str {
    match how {
        Ending::ClosedChapter => key!("endings.closed_chapter"),
        Ending::PartedWithCare => key!("endings.parted_with_care"),
        Ending::PartnerLeft => key!("endings.partner_left"),
    }
}

pub fn rhythm_name(rhythm: Option<Rhythm>) -> &'static str {
    match rhythm {
        None => key!("rhythm.whenever"),
        Some(Rhythm::Daily) => key!("rhythm.daily"),
        Some(Rhythm::Weekly) => key!("rhythm.weekly"),
        Some(Rhythm::Fortnightly) => key!("rhythm.fortnightly"),
        Some(Rhythm::Monthly) => key!("rhythm.monthly"),
    }
}

/// The rhythms to choose from, with `current` checked; `whenever` offers "no rhythm" too.
pub fn rhythm_choices(current: Option<Rhythm>, whenever: bool) -> Vec<RhythmChoice> {
    let none = whenever.then_some(None);
    none.into_iter()
        .chain(Rhythm::ALL.into_iter().map(Some))
        .map(|r| RhythmChoice {
            value: r.map(Rhythm::as_str).unwrap_or("whenever"),
            label: rhythm_name(r),
            checked: r == current,
        })
        .collect()
}

pub fn word_name(word: FeelingWord) -> &'static str {
    match word {
        FeelingWord::Hurt => key!("feelings.word_hurt"),
        FeelingWord::Angry => key!("feelings.word_angry"),
        FeelingWord::Humiliated => key!("feelings.word_humiliated"),
        FeelingWord::Anxious => key!("feelings.word_anxious"),
        FeelingWord::Numb => key!("feelings.word_numb"),
        FeelingWord::Sad => key!("feelings.word_sad"),
        FeelingWord::Confused => key!("feelings.word_confused"),
        FeelingWord::Hopeful => key!("feelings.word_hopeful"),
        FeelingWord::Betrayed => key!("feelings.word_betrayed"),
        FeelingWord::Lonely => key!("feelings.word_lonely"),
        FeelingWord::Afraid => key!("feelings.word_afraid"),
        FeelingWord::Ashamed => key!("feelings.word_ashamed"),
        FeelingWord::Jealous => key!("feelings.word_jealous"),
        FeelingWord::Exhausted => key!("feelings.word_exhausted"),
        FeelingWord::Relieved => key!("feelings.word_relieved"),
        FeelingWord::Calm => key!("feelings.word_calm"),
    }
}

pub fn response_name(response: StatementResponse) -> &'static str {
    match response {
        StatementResponse::FeelsGenuine => key!("accountability.feels_genuine"),
        StatementResponse::SomethingMissing => key!("accountability.something_missing"),
    }
}

/// How long a transparency agreement runs.
pub fn period_name(period: mend_core::Period) -> &'static str {
    use mend_core::Period;
    match period {
        Period::OneMonth => key!("transparency.period_1"),
        Period::ThreeMonths => key!("transparency.period_3"),
        Period::SixMonths => key!("transparency.period_6"),
        Period::TwelveMonths => key!("transparency.period_12"),
    }
}

/// Where a transparency agreement stands, as a counsellor reads it.
pub fn transparency_state_name(state: mend_core::TransparencyState) -> &'static str {
    use mend_core::TransparencyState;
    match state {
        TransparencyState::Offered => key!("counsellor.agreement_offered"),
        TransparencyState::Accepted => key!("counsellor.agreement_accepted"),
        TransparencyState::Declined => key!("counsellor.agreement_declined"),
        TransparencyState::Withdrawn => key!("counsellor.agreement_withdrawn"),
    }
}
