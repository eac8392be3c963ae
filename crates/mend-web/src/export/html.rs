//! `mend-export.html`: the export in words, one self-contained page (inline style, no
//! scripts, no links, nothing fetched), escaped by askama, made to print.

use askama::Template;

use super::model::{self, By, Export};
use crate::error::WebError;
use crate::key;
use crate::sections::SECTIONS;
use crate::strings::Strings;
use crate::when::LocalClock;
use mend_core::Zone;

/// A labelled value: the label a catalogue key, the value already in words.
pub struct Fact {
    pub label: &'static str,
    pub value: String,
}

/// Words that follow an item, by its writer or the other partner (a reply, a response).
pub struct Follow {
    pub label: &'static str,
    pub by: &'static str,
    pub text: String,
}

pub struct Item {
    pub by: &'static str,
    /// Written by the partner, not the person exporting.
    pub partner: bool,
    pub heading: Option<String>,
    pub facts: Vec<Fact>,
    pub text: Option<String>,
    /// Withdrawn: the words are gone.
    pub gone: bool,
    pub follows: Vec<Follow>,
}

pub struct Part {
    pub title: &'static str,
    pub items: Vec<Item>,
}

pub struct JourneyDoc {
    pub heading: String,
    pub facts: Vec<Fact>,
    pub parts: Vec<Part>,
}

#[derive(Template)]
#[template(path = "export_document.html")]
pub struct ExportDocument {
    pub s: &'static Strings,
    pub exported: String,
    /// Which zone the page's times are in: the exporter's.
    pub zone_note: String,
    pub account: Vec<Fact>,
    pub safety: Vec<Fact>,
    pub space: Vec<Fact>,
    pub space_parts: Vec<Part>,
    pub journeys: Vec<JourneyDoc>,
}

/// `2026-12-01T18:24:45.123Z` as a full date in the exporter's zone: "1 December 2026 at
/// 19:24"; the page says once which zone that is.
fn when(c: &LocalClock, instant: &str) -> String {
    match mend_core::local_time::parse_instant(instant) {
        Some(at) => c.at(at).full,
        None => instant.to_owned(),
    }
}

fn fact(label: &'static str, value: impl Into<String>) -> Fact {
    Fact {
        label,
        value: value.into(),
    }
}

fn date(c: &LocalClock, facts: &mut Vec<Fact>, label: &'static str, at: &Option<String>) {
    if let Some(at) = at {
        facts.push(fact(label, when(c, at)));
    }
}

fn by(who: By) -> &'static str {
    match who {
        By::Me => key!("export.by_me"),
        By::Partner => key!("export.by_partner"),
    }
}

/// A stored state or choice in words; the export's JSON keeps the code.
fn word(code: &str) -> &'static str {
    match code {
        "draft" => key!("export.state_draft"),
        "sent" => key!("export.state_sent"),
        "withdrawn" => key!("export.state_withdrawn"),
        "proposed" => key!("export.state_proposed"),
        "offered" => key!("export.state_offered"),
        "accepted" => key!("export.state_accepted"),
        "declined" => key!("export.state_declined"),
        "superseded" => key!("export.state_superseded"),
        "feels_genuine" => key!("accountability.feels_genuine"),
        "something_missing" => key!("accountability.something_missing"),
        "helps" => key!("questions.response_helps"),
        "need_more" => key!("questions.response_need_more"),
        "later" => key!("questions.response_later"),
        "heard" => key!("feelings.verdict_heard"),
        "not_yet" => key!("feelings.verdict_not_yet"),
        "built" => key!("evidence.built"),
        "shook" => key!("evidence.shook"),
        "hurt_partner" => key!("export.role_hurt"),
        "repairing_partner" => key!("export.role_repairing"),
        "yes" => key!("safety.answer_yes"),
        "no" => key!("safety.answer_no"),
        "not_sure" => key!("safety.answer_not_sure"),
        _ => key!("export.state_other"),
    }
}

fn entry_title(kind: &str) -> &'static str {
    SECTIONS
        .iter()
        .find(|s| s.kind.as_str() == kind)
        .map(|s| s.text.title)
        .unwrap_or(key!("export.entries"))
}

/// Who wrote words that follow an item, as the item's line says it.
fn who(who: By) -> &'static str {
    match who {
        By::Me => key!("export.who_me"),
        By::Partner => key!("export.who_partner"),
    }
}

fn item(who: By) -> Item {
    Item {
        by: by(who),
        partner: who == By::Partner,
        heading: None,
        facts: Vec::new(),
        text: None,
        gone: false,
        follows: Vec::new(),
    }
}

fn space_parts(s: &Strings, c: &LocalClock, space: &model::Space) -> Vec<Part> {
    let agreements = space
        .agreements
        .iter()
        .map(|a| {
            let mut i = item(a.by);
            i.facts
                .push(fact(key!("export.state"), s.t(word(&a.state))));
            i.facts
                .push(fact(key!("export.written"), when(c, &a.created_at)));
            date(c, &mut i.facts, key!("export.decided"), &a.decided_at);
            i.text = a.text.clone();
            i
        })
        .collect();
    let journal = space
        .journal
        .iter()
        .map(|j| {
            let mut i = item(j.by);
            i.facts
                .push(fact(key!("export.written"), when(c, &j.created_at)));
            match &j.shared_at {
                Some(at) => i.facts.push(fact(key!("export.shared"), when(c, at))),
                None => i
                    .facts
                    .push(fact(key!("export.shared"), s.t(key!("export.private")))),
            }
            i.text = Some(j.text.clone());
            i
        })
        .collect();
    vec![
        Part {
            title: key!("export.agreements"),
            items: agreements,
        },
        Part {
            title: key!("export.journal"),
            items: journal,
        },
    ]
}

fn journey_parts(s: &Strings, c: &LocalClock, j: &model::Journey) -> Vec<Part> {
    let entries = j
        .entries
        .iter()
        .map(|e| {
            let mut i = item(e.by);
            i.heading = Some(s.t(entry_title(&e.kind)).to_owned());
            i.facts
                .push(fact(key!("export.state"), s.t(word(&e.state))));
            i.facts
                .push(fact(key!("export.written"), when(c, &e.created_at)));
            date(c, &mut i.facts, key!("export.sent"), &e.sent_at);
            date(c, &mut i.facts, key!("export.received"), &e.received_at);
            date(c, &mut i.facts, key!("export.withdrawn"), &e.withdrawn_at);
            if e.follows.is_some() {
                i.facts.push(fact(
                    key!("export.follows"),
                    s.t(key!("export.follows_earlier")),
                ));
            }
            i.gone = e.text.is_none();
            i.text = e.text.clone();
            if let Some(r) = &e.response {
                i.follows.push(Follow {
                    label: key!("export.response"),
                    by: who(r.by),
                    text: match &r.note {
                        Some(note) => format!("{} — {note}", s.t(word(&r.response))),
                        None => s.t(word(&r.response)).to_owned(),
                    },
                });
            }
            i
        })
        .collect();
    let questions = j
        .questions
        .iter()
        .map(|q| {
            let mut i = item(q.by);
            i.facts
                .push(fact(key!("export.written"), when(c, &q.created_at)));
            if q.asked_again_of.is_some() {
                i.facts.push(fact(
                    key!("export.follows"),
                    s.t(key!("export.asked_again")),
                ));
            }
            date(c, &mut i.facts, key!("export.in_person"), &q.in_person_at);
            date(c, &mut i.facts, key!("export.withdrawn"), &q.withdrawn_at);
            i.gone = q.text.is_none();
            i.text = q.text.clone();
            for a in j.answers.iter().filter(|a| a.question == q.id) {
                let answer = match &a.text {
                    Some(t) => format!("{} — {t}", when(c, &a.created_at)),
                    None => format!("{} — {}", when(c, &a.created_at), s.t(key!("export.gone"))),
                };
                i.follows.push(Follow {
                    label: key!("export.answer"),
                    by: who(a.by),
                    text: answer,
                });
                if let Some(r) = &a.response {
                    i.follows.push(Follow {
                        label: key!("export.response"),
                        by: who(r.by),
                        text: s.t(word(&r.response)).to_owned(),
                    });
                }
            }
            i
        })
        .collect();
    let feelings = j
        .feelings
        .iter()
        .map(|f| {
            let mut i = item(f.by);
            i.facts
                .push(fact(key!("export.written"), when(c, &f.created_at)));
            if let Some(words) = &f.words {
                i.facts.push(fact(key!("export.words"), words.join(", ")));
            }
            if let Some(n) = f.intensity {
                i.facts.push(fact(key!("export.intensity"), n.to_string()));
            }
            date(c, &mut i.facts, key!("export.withdrawn"), &f.withdrawn_at);
            i.gone = f.text.is_none();
            i.text = f.text.clone();
            for r in j.reflections.iter().filter(|r| r.feeling == f.id) {
                i.follows.push(Follow {
                    label: key!("export.reflection"),
                    by: who(r.by),
                    text: match &r.text {
                        Some(t) => format!("{} — {t}", when(c, &r.created_at)),
                        None => {
                            format!("{} — {}", when(c, &r.created_at), s.t(key!("export.gone")))
                        }
                    },
                });
                if let Some(v) = &r.verdict {
                    let verdict = s.t(word(&v.verdict));
                    i.follows.push(Follow {
                        label: key!("export.response"),
                        by: who(v.by),
                        text: match &v.missed {
                            Some(m) => format!("{verdict} — {m}"),
                            None => verdict.to_owned(),
                        },
                    });
                }
            }
            i
        })
        .collect();
    let check_ins = j
        .check_ins
        .iter()
        .map(|ci| {
            let mut i = item(ci.by);
            i.facts
                .push(fact(key!("export.written"), when(c, &ci.created_at)));
            i.facts
                .push(fact(key!("export.trust"), ci.trust.to_string()));
            i.text = ci.note.clone();
            i
        })
        .collect();
    let triggers = j
        .triggers
        .iter()
        .map(|t| {
            let mut i = item(t.by);
            i.facts
                .push(fact(key!("export.written"), when(c, &t.created_at)));
            i.text = t.note.clone();
            if let Some(r) = &t.reply {
                i.follows.push(Follow {
                    label: key!("export.reply"),
                    by: who(r.by),
                    text: r.text.clone(),
                });
            }
            i
        })
        .collect();
    let evidence = j
        .evidence
        .iter()
        .map(|e| {
            let mut i = item(e.by);
            i.heading = Some(s.t(word(&e.moment)).to_owned());
            i.facts
                .push(fact(key!("export.written"), when(c, &e.created_at)));
            match &e.shared_at {
                Some(at) => i.facts.push(fact(key!("export.shared"), when(c, at))),
                None => i
                    .facts
                    .push(fact(key!("export.shared"), s.t(key!("export.private")))),
            }
            i.text = Some(e.text.clone());
            i
        })
        .collect();
    let transparency = j
        .transparency
        .iter()
        .map(|t| {
            let mut i = item(t.by);
            i.facts
                .push(fact(key!("export.state"), s.t(word(&t.state))));
            i.facts
                .push(fact(key!("export.written"), when(c, &t.created_at)));
            i.facts
                .push(fact(key!("export.period_days"), t.period_days.to_string()));
            date(c, &mut i.facts, key!("export.decided"), &t.decided_at);
            date(c, &mut i.facts, key!("export.starts"), &t.starts_at);
            i.text = t.text.clone();
            i
        })
        .collect();
    vec![
        Part {
            title: key!("export.entries"),
            items: entries,
        },
        Part {
            title: key!("export.questions"),
            items: questions,
        },
        Part {
            title: key!("export.feelings"),
            items: feelings,
        },
        Part {
            title: key!("export.check_ins"),
            items: check_ins,
        },
        Part {
            title: key!("export.triggers"),
            items: triggers,
        },
        Part {
            title: key!("export.evidence"),
            items: evidence,
        },
        Part {
            title: key!("export.transparency"),
            items: transparency,
        },
    ]
}

/// The page for `export`, in the catalogue's words.
pub fn document(s: &'static Strings, export: &Export, zone: &Zone) -> ExportDocument {
    let exported_at = mend_core::local_time::parse_instant(&export.exported_at)
        .unwrap_or(mend_core::Timestamp(0));
    let clock = LocalClock::new(s, exported_at, zone.clone()).absolute();
    let c = &clock;
    let a = &export.account;
    let mut account = vec![
        fact(key!("export.name"), a.name.clone()),
        fact(key!("export.email"), a.email.clone()),
        fact(key!("export.created"), when(c, &a.created_at)),
    ];
    date(
        c,
        &mut account,
        key!("export.safety_cleared"),
        &a.safety_cleared_at,
    );
    let safety = a
        .safety_answers
        .iter()
        .map(|q| Fact {
            label: safety_question(&q.question),
            value: s.t(word(&q.answer)).to_owned(),
        })
        .collect();
    let (space, space_parts, journeys) = match &export.space {
        None => (Vec::new(), Vec::new(), Vec::new()),
        Some(sp) => {
            let facts = vec![
                fact(key!("export.created"), when(c, &sp.created_at)),
                fact(key!("export.joined"), when(c, &sp.joined_at)),
            ];
            let journeys = sp
                .journeys
                .iter()
                .map(|j| JourneyDoc {
                    heading: s.with(
                        key!("export.journey_heading"),
                        "began",
                        &when(c, &j.created_at),
                    ),
                    facts: {
                        let mut f = vec![
                            fact(key!("export.my_role"), s.t(word(&j.my_role))),
                            fact(key!("export.agreement"), j.details.agreement.clone()),
                            fact(key!("export.began"), j.details.began.clone()),
                            fact(
                                key!("export.came_to_light_on"),
                                j.details.came_to_light_on.clone(),
                            ),
                        ];
                        date(c, &mut f, key!("export.ended"), &j.ended_at);
                        f
                    },
                    parts: journey_parts(s, c, j),
                })
                .collect();
            (facts, space_parts(s, c, sp), journeys)
        }
    };
    ExportDocument {
        s,
        exported: when(c, &export.exported_at),
        zone_note: c.zone_note(),
        account,
        safety,
        space,
        space_parts,
        journeys,
    }
}

fn safety_question(code: &str) -> &'static str {
    match code {
        "afraid" => key!("safety.afraid"),
        "harmed" => key!("safety.harmed"),
        "threatened" => key!("safety.threatened"),
        "controlled" => key!("safety.controlled"),
        _ => key!("safety.unsafe_if_seen"),
    }
}

pub fn render(s: &'static Strings, export: &Export, zone: &Zone) -> Result<String, WebError> {
    document(s, export, zone)
        .render()
        .map_err(|e| WebError::internal(format!("the export page failed to render: {e}")))
}
