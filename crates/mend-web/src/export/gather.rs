//! Gathering one person's export: their account, and for their space and each journey what
//! they wrote and what their partner shared with them, opened with the keys they hold.
//!
//! What the store's person-scoped queries return is exactly what the person may read today:
//! `entries_for` never returns another person's draft, `evidence_for` and `journal_for` never
//! return another person's private note. Check-in notes are sealed with their writer's own key
//! and only ever opened for that writer. The partner's safety answers are never read.

use mend_core::store::{BreachRecord, EvidenceRecord, JournalEntryRecord, PersonRecord};
use mend_core::{EntryKind, Gate, PersonId, Role, SafetyAnswers, SafetyQuestion, Timestamp};
use mend_crypto::{DataKey, Sealed, SpaceKeys};
use uuid::Uuid;

use super::model::{self, By, Export};
use crate::error::WebError;
use crate::fields;
use crate::opened;
use crate::private_notes::PrivateNote;
use crate::session::open_name;
use crate::state::AppState;
use mend_core::{AgreementState, TransparencyState};

/// A moment as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC, to the millisecond, as stored).
pub fn instant(t: Timestamp) -> String {
    let millis = t.0.rem_euclid(1000);
    let seconds = t.0.div_euclid(1000).rem_euclid(60);
    format!(
        "{}:{seconds:02}.{millis:03}Z",
        t.utc_minute().replacen(' ', "T", 1)
    )
}

fn maybe(t: Option<Timestamp>) -> Option<String> {
    t.map(instant)
}

/// The keys a person's export is opened with, and who they are.
struct Reader {
    me: PersonId,
    own: DataKey,
    space: Option<SpaceKeys>,
}

impl Reader {
    fn by(&self, author: PersonId) -> By {
        if author == self.me {
            By::Me
        } else {
            By::Partner
        }
    }

    fn space_key(&self) -> Result<&SpaceKeys, WebError> {
        self.space
            .as_ref()
            .ok_or_else(|| WebError::internal("a journey without its space's key"))
    }

    fn open(
        &self,
        id: Uuid,
        field: &str,
        sealed: &Option<Sealed>,
    ) -> Result<Option<String>, WebError> {
        match sealed {
            Some(s) => Ok(Some(self.space_key()?.open(id, field, s)?)),
            None => Ok(None),
        }
    }

    /// A private note the person may read: their own (private or shared) or one shared with
    /// them.
    fn note<N: PrivateNote>(&self, note: &N) -> Result<String, WebError> {
        Ok(if note.shared_at().is_some() {
            self.space_key()?.open(note.row(), N::FIELD, note.text())?
        } else if note.author() == self.me {
            self.own.open(note.row(), N::FIELD, note.text())?
        } else {
            return Err(WebError::internal(
                "another person's private note reached an export",
            ));
        })
    }
}

/// Everything `person` may take with them, as of `at`.
pub async fn gather(
    state: &AppState,
    person: &PersonRecord,
    at: Timestamp,
) -> Result<Export, WebError> {
    let (own, name) = open_name(state, person)?;
    let email = own.open(person.id.0, fields::EMAIL, &person.email)?;
    let account = model::Account {
        name: name.as_str().to_owned(),
        email,
        created_at: instant(person.created_at),
        safety_cleared_at: maybe(person.safety_cleared_at),
        safety_answers: safety_answers(state, person.id, &own).await?,
    };
    let membership = state.store.membership_of(person.id).await?;
    let mut reader = Reader {
        me: person.id,
        own,
        space: None,
    };
    let space = match membership {
        None => None,
        Some(m) => {
            let record = state
                .store
                .space(m.space)
                .await?
                .ok_or_else(|| WebError::internal("a membership of a space that is gone"))?;
            reader.space = Some(
                crate::author_keys::space_keys(
                    state.store.as_ref(),
                    &state.key,
                    m.space,
                    person.id,
                )
                .await?,
            );
            Some(space(state, &reader, &record, &m).await?)
        }
    };
    Ok(Export {
        format: model::FORMAT.to_owned(),
        version: model::VERSION,
        exported_at: instant(at),
        account,
        space,
    })
}

async fn safety_answers(
    state: &AppState,
    person: PersonId,
    own: &DataKey,
) -> Result<Vec<model::SafetyAnswer>, WebError> {
    let Some(sealed) = state.store.safety_answers(person).await? else {
        return Ok(Vec::new());
    };
    let json = own.open(person.0, fields::SAFETY_ANSWERS, &sealed)?;
    let answers: SafetyAnswers = serde_json::from_str(&json)
        .map_err(|e| WebError::internal(format!("stored safety answers are not valid: {e}")))?;
    Ok(SafetyQuestion::ALL
        .iter()
        .filter_map(|&q| {
            answers.answer(q).map(|a| model::SafetyAnswer {
                question: q.as_str().to_owned(),
                answer: serde_json::to_value(a)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
            })
        })
        .collect())
}

async fn space(
    state: &AppState,
    reader: &Reader,
    record: &mend_core::store::SpaceRecord,
    membership: &mend_core::store::Membership,
) -> Result<model::Space, WebError> {
    let key = reader.space_key()?;
    let members = state.store.members(record.id).await?;
    let mut agreements = Vec::new();
    for a in state.store.agreements(record.id).await? {
        let by = reader.by(a.proposed_by);
        // The partner's agreements as the agreements page shows them: proposed or accepted.
        // Any other of theirs (withdrawn, declined, replaced) nobody can read today.
        let readable = matches!(a.state, AgreementState::Proposed | AgreementState::Accepted);
        if by == model::By::Partner && !readable {
            continue;
        }
        agreements.push(model::Agreement {
            id: a.id.to_string(),
            by,
            text: match a.state {
                AgreementState::Withdrawn => None,
                _ => Some(opened::agreement_text(key, &a)?),
            },
            state: a.state.as_str().to_owned(),
            revises: a.revises.map(|r| r.to_string()),
            created_at: instant(a.created_at),
            decided_at: maybe(a.decided_at),
        });
    }
    let mut journal_records: Vec<JournalEntryRecord> =
        state.store.journal_for(record.id, reader.me).await?;
    journal_records.sort_by_key(|j| (j.created_at, j.id.to_string()));
    let mut journal = Vec::new();
    for j in &journal_records {
        journal.push(model::JournalEntry {
            id: j.id.to_string(),
            by: reader.by(j.author),
            text: reader.note(j)?,
            shared_at: maybe(j.shared_at),
            created_at: instant(j.created_at),
        });
    }
    agreements.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
    let mut journeys = Vec::new();
    for breach in state.store.breaches(record.id).await? {
        journeys.push(journey(state, reader, &breach).await?);
    }
    journeys.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
    Ok(model::Space {
        id: record.id.to_string(),
        created_at: instant(record.created_at),
        joined_at: instant(membership.joined_at),
        has_partner: members.iter().any(|m| m.person != reader.me),
        agreements,
        journal,
        journeys,
    })
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::HurtPartner => "hurt_partner",
        Role::RepairingPartner => "repairing_partner",
    }
}

async fn journey(
    state: &AppState,
    reader: &Reader,
    breach: &BreachRecord,
) -> Result<model::Journey, WebError> {
    let key = reader.space_key()?;
    let d = opened::breach_details(key, breach)?;
    let details = model::Details {
        kind: d.kind.as_str().to_owned(),
        agreement: d.agreement,
        began: d.began.as_input(),
        ended: d.ended.map(|m| m.as_input()),
        came_to_light_on: d.came_to_light_on.as_input(),
        came_to_light: d.came_to_light.as_str().to_owned(),
    };
    let areas = state
        .store
        .areas(breach.id)
        .await?
        .into_iter()
        .map(|a| model::AreaStatus {
            area: a.area.as_str().to_owned(),
            status: a.status.as_str().to_owned(),
            changed_at: instant(a.changed_at),
        })
        .collect();
    let opened_state = &breach.state;
    let mut entries = Vec::new();
    for kind in EntryKind::ALL {
        let closed = match kind.gate() {
            Gate::Always => false,
            Gate::MySide => opened_state.my_side_opened_at.is_none(),
            Gate::Context => opened_state.context_opened_at.is_none(),
        };
        for e in state.store.entries_for(breach.id, kind, reader.me).await? {
            // A closed section is unread by the hurt partner; its words are not theirs yet.
            if closed && e.author != reader.me {
                continue;
            }
            let response = match e.response {
                Some(r) => Some(model::StatementResponse {
                    // The response is the reader's: the other of the two.
                    by: if e.author == reader.me {
                        By::Partner
                    } else {
                        By::Me
                    },
                    response: r.as_str().to_owned(),
                    note: reader.open(e.id.0, fields::ENTRY_RESPONSE_NOTE, &e.response_note)?,
                    at: maybe(e.responded_at),
                }),
                None => None,
            };
            entries.push(model::Entry {
                id: e.id.to_string(),
                kind: kind.as_str().to_owned(),
                by: reader.by(e.author),
                state: e.state.as_str().to_owned(),
                text: reader.open(e.id.0, fields::ENTRY_BODY, &e.body)?,
                follows: e.follows.map(|f| f.to_string()),
                created_at: instant(e.created_at),
                updated_at: instant(e.updated_at),
                sent_at: maybe(e.sent_at),
                received_at: maybe(e.received_at),
                withdrawn_at: maybe(e.withdrawn_at),
                response,
            });
        }
    }
    entries.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));

    let question_records = state.store.questions(breach.id).await?;
    let mut questions = Vec::new();
    for q in &question_records {
        questions.push(model::Question {
            id: q.id.to_string(),
            by: reader.by(q.asked_by),
            text: reader.open(q.id.0, fields::QUESTION_TEXT, &q.text)?,
            kind: q.kind.map(|k| k.as_str().to_owned()),
            asked_again_of: q.asked_again_of.map(|a| a.to_string()),
            created_at: instant(q.created_at),
            in_person_at: maybe(q.in_person_at),
            withdrawn_at: maybe(q.withdrawn_at),
        });
    }
    let mut answers = Vec::new();
    for a in state.store.answers(breach.id).await? {
        let asker = question_records
            .iter()
            .find(|q| q.id == a.question)
            .map(|q| q.asked_by);
        answers.push(model::Answer {
            id: a.id.to_string(),
            question: a.question.to_string(),
            by: reader.by(a.author),
            text: reader.open(a.id.0, fields::ANSWER_BODY, &a.body)?,
            created_at: instant(a.created_at),
            withdrawn_at: maybe(a.withdrawn_at),
            response: match (a.response, asker) {
                (Some(r), Some(asker)) => Some(model::AnswerResponse {
                    by: reader.by(asker),
                    response: r.as_str().to_owned(),
                    at: maybe(a.responded_at),
                }),
                _ => None,
            },
        });
    }

    let feeling_records = state.store.feelings(breach.id).await?;
    let mut feelings = Vec::new();
    for f in &feeling_records {
        let opened = opened::feeling(key, f)?;
        feelings.push(model::Feeling {
            id: f.id.to_string(),
            by: reader.by(f.person),
            words: opened
                .as_ref()
                .map(|o| o.words.iter().map(|w| w.as_str().to_owned()).collect()),
            intensity: opened.as_ref().map(|o| o.intensity.value()),
            text: opened.map(|o| o.text),
            created_at: instant(f.created_at),
            withdrawn_at: maybe(f.withdrawn_at),
        });
    }
    let mut reflections = Vec::new();
    for r in state.store.reflections(breach.id).await? {
        let feeler = feeling_records
            .iter()
            .find(|f| f.id == r.feeling)
            .map(|f| f.person);
        reflections.push(model::Reflection {
            id: r.id.to_string(),
            feeling: r.feeling.to_string(),
            by: reader.by(r.author),
            // A reflection set aside (withdrawn) keeps no words in the export.
            text: match r.withdrawn_at {
                Some(_) => None,
                None => reader.open(r.id.0, fields::REFLECTION_BODY, &r.body)?,
            },
            created_at: instant(r.created_at),
            withdrawn_at: maybe(r.withdrawn_at),
            verdict: match (r.verdict, feeler) {
                (Some(v), Some(feeler)) => Some(model::Verdict {
                    by: reader.by(feeler),
                    verdict: v.as_str().to_owned(),
                    missed: reader.open(r.id.0, fields::REFLECTION_MISSED, &r.missed)?,
                    at: maybe(r.verdict_at),
                }),
                _ => None,
            },
        });
    }

    let mut check_ins = Vec::new();
    for c in state.store.check_ins(breach.id).await? {
        // A check-in's note is sealed with its writer's own key: only theirs to read.
        let note = match (&c.note, c.person == reader.me) {
            (Some(sealed), true) => Some(reader.own.open(c.id.0, fields::CHECK_IN_NOTE, sealed)?),
            _ => None,
        };
        check_ins.push(model::CheckIn {
            id: c.id.to_string(),
            by: reader.by(c.person),
            trust: c.trust.value(),
            note,
            created_at: instant(c.created_at),
        });
    }

    let mut triggers = Vec::new();
    for t in state.store.triggers(breach.id).await? {
        let reply = reader.open(t.id.0, fields::TRIGGER_REPLY, &t.reply)?;
        triggers.push(model::Trigger {
            id: t.id.to_string(),
            by: reader.by(t.person),
            note: reader.open(t.id.0, fields::TRIGGER_NOTE, &t.note)?,
            created_at: instant(t.created_at),
            reply: reply.map(|text| model::TriggerReply {
                // The other partner replies to a trigger.
                by: if t.person == reader.me {
                    By::Partner
                } else {
                    By::Me
                },
                text,
                at: maybe(t.replied_at),
            }),
        });
    }
    triggers.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));

    let mut evidence_records: Vec<EvidenceRecord> =
        state.store.evidence_for(breach.id, reader.me).await?;
    evidence_records.sort_by_key(|e| (e.created_at, e.id.to_string()));
    let mut evidence = Vec::new();
    for e in &evidence_records {
        evidence.push(model::Evidence {
            id: e.id.to_string(),
            by: reader.by(e.author),
            moment: e.moment.as_str().to_owned(),
            text: reader.note(e)?,
            shared_at: maybe(e.shared_at),
            created_at: instant(e.created_at),
        });
    }

    let mut transparency = Vec::new();
    for t in state.store.transparency_agreements(breach.id).await? {
        transparency.push(model::Transparency {
            id: t.id.to_string(),
            by: reader.by(t.offered_by),
            text: match t.state {
                TransparencyState::Withdrawn => None,
                _ => Some(key.open(t.id.0, fields::TRANSPARENCY_TEXT, &t.text)?),
            },
            period_days: t.period.days(),
            state: t.state.as_str().to_owned(),
            renews: t.renews.map(|r| r.to_string()),
            created_at: instant(t.created_at),
            decided_at: maybe(t.decided_at),
            starts_at: maybe(t.starts_at),
        });
    }

    // The store gives each list oldest first; ties are put in one order, so that the same data
    // always gives the same file.
    macro_rules! in_order {
        ($($list:ident),*) => {
            $($list.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));)*
        };
    }
    in_order!(
        questions,
        answers,
        feelings,
        reflections,
        check_ins,
        transparency
    );

    Ok(model::Journey {
        id: breach.id.to_string(),
        created_at: instant(breach.created_at),
        my_role: role_name(breach.role_of(reader.me)).to_owned(),
        opened_by: reader.by(breach.opened_by),
        details,
        areas,
        ended_at: breach.state.ended.map(|e| instant(e.at)),
        ended_how: breach.state.ended.map(|e| e.how.as_str().to_owned()),
        entries,
        questions,
        answers,
        feelings,
        reflections,
        check_ins,
        triggers,
        evidence,
        transparency,
    })
}
