//! A realistic history written through the store, sealed as the web layer seals it, so that
//! `mend serve` on the same data folder or database shows it: one couple with a long history
//! among many couples with a little each.
//!
//! Everything goes through `mend_store::Db` and the `mend_core::store` traits, the way the
//! handlers write (the same records, field names, keys and guarded statements), but not
//! through the HTTP forms: those run Argon2 on every sign-up. One Argon2 hash is made once and
//! used for every account.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::Argon2;
use mend_core::feeling::{FeelingWord, Intensity};
use mend_core::journey::{BreachDetails, BreachKind, CameToLight, Month};
use mend_core::store::prelude::*;
use mend_core::store::{
    AgreementRecord, AnswerRecord, BreachRecord, CheckInRecord, EntryRecord, EvidenceRecord,
    FeelingRecord, JournalEntryRecord, NewInvite, NewPerson, QuestionRecord, ReflectionRecord,
    SpaceRecord, TriggerRecord,
};
use mend_core::{
    AgreementId, AgreementState, AnswerId, Area, AreaStatus, BreachId, CheckInId, Duration, Email,
    EntryId, EntryKind, EntryState, EvidenceId, Feeling, FeelingId, InviteId, JournalEntryId,
    JourneyState, Moment, PersonId, QuestionId, QuestionKind, ReflectionId, Response, SafetyAnswer,
    SafetyAnswers, SpaceId, StatementResponse, StoreError, Timestamp, TriggerId, Trust, Verdict,
    INVITE_LIFETIME,
};
use mend_crypto::{CryptoError, DataKey, ServerKey, SpaceKeys};
use mend_store::Db;
use mend_web::fields;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::words;

/// The password of every seeded account (strong enough for the sign-up form's own check, so
/// the same account could have been made there).
pub const PASSWORD: &str = "lantern-orchid-gravel-71";

/// How much one couple has written.
#[derive(Debug, Clone)]
pub struct History {
    /// How long ago the journey began; everything is spread over the time since.
    pub span: Duration,
    pub questions: usize,
    /// Of every hundred questions, how many have an answer.
    pub answered_percent: u32,
    pub check_ins: usize,
    /// Feelings, each with reflections until it was heard (the newest few still wait).
    pub feelings: usize,
    /// Written entries of the areas: pledges, disclosures, statements, recommitments,
    /// reassurance (an acknowledgement is always written first).
    pub entries: usize,
    pub journal: usize,
    pub evidence: usize,
    pub triggers: usize,
    pub agreements: usize,
}

impl History {
    /// Two years of a couple who use Mend most days.
    pub fn two_years() -> Self {
        Self {
            span: Duration::days(730),
            questions: 1_000,
            answered_percent: 92,
            check_ins: 700,
            feelings: 300,
            entries: 200,
            journal: 500,
            evidence: 150,
            triggers: 80,
            agreements: 6,
        }
    }

    /// A couple who tried Mend for a while: a few of each.
    pub fn small() -> Self {
        Self {
            span: Duration::days(60),
            questions: 3,
            answered_percent: 67,
            check_ins: 2,
            feelings: 1,
            entries: 0,
            journal: 2,
            evidence: 0,
            triggers: 0,
            agreements: 0,
        }
    }
}

/// What to seed.
#[derive(Debug, Clone)]
pub struct Shape {
    pub long: History,
    /// How many other couples, each with `small`.
    pub couples: usize,
    pub small: History,
    /// Couples written at the same time (each on its own connection).
    pub concurrency: usize,
    /// Seeds the random numbers, so two runs write the same history.
    pub seed: u64,
}

/// The couple with the long history, as a bench or a test needs them.
#[derive(Debug, Clone)]
pub struct LongCouple {
    /// The partner who was hurt, who asks, checks in and keeps the evidence log.
    pub hurt_email: String,
    pub repairing_email: String,
    pub space: SpaceId,
    pub breach: BreachId,
    /// The newest text of each kind, as a page shows it.
    pub newest: Newest,
}

impl LongCouple {
    pub fn space_path(&self) -> String {
        format!("/spaces/{}", self.space)
    }

    pub fn journey_path(&self) -> String {
        format!("/spaces/{}/breaches/{}", self.space, self.breach)
    }
}

/// The newest text of each kind in one couple's history (empty when there is none).
#[derive(Debug, Clone, Default)]
pub struct Newest {
    pub question: String,
    pub answer: String,
    pub check_in_note: String,
    pub feeling: String,
    pub entry: String,
    pub journal: String,
    pub evidence: String,
    pub trigger: String,
}

/// What was seeded, and how long it took.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub long: LongCouple,
    /// The e-mail addresses of the first of the other couples (the hurt partner's first).
    pub other: Option<(String, String)>,
    pub couples: usize,
    pub took: StdDuration,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the store refused a write: {0}")]
    Store(#[from] StoreError),
    #[error("a key could not be used: {0}")]
    Crypto(#[from] CryptoError),
    #[error("the password could not be hashed: {0}")]
    Hash(String),
    #[error("a record could not be written as JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("a seeding task stopped: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("the store did not take {0}")]
    NotTaken(&'static str),
}

/// Writes `shape` into `db` (migrated already), sealed with `key`. `now` is the end of every
/// history. Progress goes to standard error, a line per thousand couples.
pub async fn seed(
    db: Arc<Db>,
    key: Arc<ServerKey>,
    shape: &Shape,
    now: Timestamp,
) -> Result<Seeded, SeedError> {
    let started = Instant::now();
    let salt = SaltString::generate(&mut OsRng);
    let password_hash = Argon2::default()
        .hash_password(PASSWORD.as_bytes(), &salt)
        .map_err(|e| SeedError::Hash(e.to_string()))?
        .to_string();
    let writer = Writer {
        db,
        key,
        password_hash,
        now,
    };

    let mut rng = StdRng::seed_from_u64(shape.seed);
    let long = writer.couple(&mut rng, "long", &shape.long, true).await?;

    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..shape.concurrency.max(1) {
        let (writer, next, small, seed, couples) = (
            writer.clone(),
            next.clone(),
            shape.small.clone(),
            shape.seed,
            shape.couples,
        );
        tasks.spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= couples {
                    return Ok::<(), SeedError>(());
                }
                let mut rng = StdRng::seed_from_u64(seed.wrapping_add(1 + n as u64));
                writer
                    .couple(&mut rng, &format!("couple{n}"), &small, false)
                    .await?;
                if (n + 1) % 1_000 == 0 {
                    eprintln!("seeded {} couples", n + 1);
                }
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(Seeded {
        long,
        other: (shape.couples > 0).then(|| (email("couple0", "a"), email("couple0", "b"))),
        couples: shape.couples,
        took: started.elapsed(),
    })
}

/// The address of one partner (`a` was hurt, `b` repairs) of the couple named `couple`.
pub fn email(couple: &str, partner: &str) -> String {
    format!("{couple}-{partner}@bench.example.org")
}

#[derive(Clone)]
struct Writer {
    db: Arc<Db>,
    key: Arc<ServerKey>,
    password_hash: String,
    now: Timestamp,
}

/// One partner as the store and the keys know them.
struct Partner {
    id: PersonId,
    /// Their own key: private notes and check-in notes.
    own: DataKey,
    /// The space's keys with their author key as the writer's.
    keys: SpaceKeys,
}

/// An id of the kind the handlers mint (UUIDv7), for a moment in the past, so ids sort as
/// their rows' times do, as they would had the history been written on those days.
fn id_at(at: Timestamp) -> Uuid {
    let ms = u64::try_from(at.0).unwrap_or(0);
    Uuid::new_v7(uuid::Timestamp::from_unix(
        uuid::NoContext,
        ms / 1_000,
        (ms % 1_000) as u32 * 1_000_000,
    ))
}

/// `n` moments between `from` and `to`, oldest first.
fn moments(rng: &mut StdRng, n: usize, from: Timestamp, to: Timestamp) -> Vec<Timestamp> {
    let mut all: Vec<Timestamp> = (0..n)
        .map(|_| Timestamp(rng.gen_range(from.0..to.0.max(from.0 + 1))))
        .collect();
    all.sort();
    all
}

/// A moment a little after `at` (an hour to two days), never after `now`.
fn later(rng: &mut StdRng, at: Timestamp, now: Timestamp) -> Timestamp {
    let after = at + Duration::minutes(rng.gen_range(60..2_880));
    if after < now {
        after
    } else {
        Timestamp(at.0 + (now.0 - at.0) / 2)
    }
}

fn taken(stored: bool, what: &'static str) -> Result<(), SeedError> {
    if stored {
        Ok(())
    } else {
        Err(SeedError::NotTaken(what))
    }
}

impl Writer {
    /// One couple: two accounts past the safety check, their space, one journey, and
    /// `history` in it. The names say which couple it is (`name`).
    async fn couple(
        &self,
        rng: &mut StdRng,
        name: &str,
        history: &History,
        long: bool,
    ) -> Result<LongCouple, SeedError> {
        let end = self.now - Duration::hours(1);
        let start = if long {
            self.now - history.span
        } else {
            // Small couples began at any time in the last two years.
            Timestamp(rng.gen_range((self.now - Duration::days(730)).0..(end - history.span).0))
        };
        let (hurt_email, repairing_email) = (email(name, "a"), email(name, "b"));
        let (hurt_id, hurt_own) = self.person(&hurt_email, "Robin", start).await?;
        let (repairing_id, repairing_own) = self
            .person(&repairing_email, "Alex", start + Duration::minutes(20))
            .await?;

        // The repairing partner made the space and invited the hurt partner, who joined.
        let space = SpaceId(id_at(start + Duration::minutes(30)));
        let space_key = DataKey::generate(space.0);
        self.db
            .create_space(
                SpaceRecord {
                    id: space,
                    wrapped_key: self.key.wrap(&space_key),
                    created_at: start + Duration::minutes(30),
                },
                repairing_id,
            )
            .await?;
        let invited_at = start + Duration::minutes(31);
        let invite = InviteId(id_at(invited_at));
        let code: String = (0..32)
            .map(|_| char::from(rng.sample(rand::distributions::Alphanumeric)))
            .collect();
        self.db
            .create_invite(NewInvite {
                id: invite,
                space,
                created_by: repairing_id,
                code_lookup: self.key.lookup_hash("invite", code.as_bytes()),
                code: space_key.seal(invite.0, fields::INVITE_CODE, &code),
                created_at: invited_at,
                expires_at: invited_at + INVITE_LIFETIME,
            })
            .await?;
        self.db
            .accept_invite(invite, hurt_id, start + Duration::minutes(40))
            .await?;

        let author_keys = [
            (hurt_id, DataKey::generate(space.0)),
            (repairing_id, DataKey::generate(space.0)),
        ];
        for (person, author_key) in &author_keys {
            self.db
                .add_author_key(
                    space,
                    *person,
                    &self.key.wrap_author_key(author_key, person.0),
                    start + Duration::minutes(40),
                )
                .await?;
        }
        // Each partner's author key is made on their first request in the space.
        let [(_, hurt_author), (_, repairing_author)] = author_keys;
        let hurt = Partner {
            id: hurt_id,
            own: hurt_own,
            keys: SpaceKeys::new(
                space_key.clone(),
                hurt_author.clone(),
                Some(repairing_author.clone()),
            ),
        };
        let repairing = Partner {
            id: repairing_id,
            own: repairing_own,
            keys: SpaceKeys::new(space_key, repairing_author, Some(hurt_author)),
        };

        let opened = start + Duration::hours(1);
        let breach = BreachId(id_at(opened));
        let details = BreachDetails {
            kind: *BreachKind::ALL.choose(rng).unwrap_or(&BreachKind::Lie),
            agreement: "We tell each other the truth, about money and about other people."
                .to_owned(),
            began: Month {
                year: 2023,
                month: rng.gen_range(1..=12),
            },
            ended: None,
            came_to_light_on: Month {
                year: 2024,
                month: rng.gen_range(1..=12),
            },
            came_to_light: *CameToLight::ALL.choose(rng).unwrap_or(&CameToLight::Told),
        };
        let json = serde_json::to_string(&details)?;
        let initial: Vec<_> = Area::ALL.iter().map(|a| (*a, a.initial_status())).collect();
        self.db
            .create_breach(
                BreachRecord {
                    id: breach,
                    space,
                    hurt: hurt.id,
                    repairing: repairing.id,
                    opened_by: repairing.id,
                    // The journey's facts are the space's (as the journeys route seals them).
                    details: hurt
                        .keys
                        .seal_for_space(breach.0, fields::BREACH_DETAILS, &json),
                    created_at: opened,
                    state: JourneyState::default(),
                },
                &initial,
            )
            .await?;

        let journey = Journey {
            db: &self.db,
            breach,
            space,
            hurt: &hurt,
            repairing: &repairing,
            from: opened + Duration::hours(1),
            to: end,
            now: self.now,
        };
        let mut newest = Newest::default();
        journey.acknowledgement(rng, &mut newest).await?;
        journey.agreements(rng, history.agreements).await?;
        journey.questions(rng, history, &mut newest).await?;
        journey
            .check_ins(rng, history.check_ins, &mut newest)
            .await?;
        journey.feelings(rng, history.feelings, &mut newest).await?;
        journey.entries(rng, history.entries, &mut newest).await?;
        journey.journal(rng, history.journal, &mut newest).await?;
        journey.evidence(rng, history.evidence, &mut newest).await?;
        journey.triggers(rng, history.triggers, &mut newest).await?;
        if long {
            journey.areas_under_way().await?;
            journey.seen_everything().await?;
        }
        Ok(LongCouple {
            hurt_email,
            repairing_email,
            space,
            breach,
            newest,
        })
    }

    /// An account past the safety check (every answer "no"), as sign-up and the safety
    /// page store it.
    async fn person(
        &self,
        address: &str,
        name: &str,
        at: Timestamp,
    ) -> Result<(PersonId, DataKey), SeedError> {
        let email = Email::parse(address).map_err(|_| SeedError::NotTaken("an e-mail address"))?;
        let id = PersonId(id_at(at));
        let own = DataKey::generate(id.0);
        self.db
            .create_person(NewPerson {
                id,
                email_lookup: self.key.lookup_hash("email", email.as_str().as_bytes()),
                email: own.seal(id.0, fields::EMAIL, email.as_str()),
                name: own.seal(id.0, fields::NAME, name),
                password_hash: self.password_hash.clone(),
                wrapped_key: self.key.wrap(&own),
                created_at: at,
                counsellor: false,
            })
            .await?;
        let answers = SafetyAnswers::collect(|_| Some(SafetyAnswer::No))
            .map_err(|_| SeedError::NotTaken("the safety answers"))?;
        let json = serde_json::to_string(&answers)?;
        let safe_at = at + Duration::minutes(5);
        self.db
            .save_safety_answers(id, own.seal(id.0, fields::SAFETY_ANSWERS, &json), safe_at)
            .await?;
        self.db.clear_safety(id, safe_at).await?;
        Ok((id, own))
    }
}

/// One journey being written: its couple, their keys, and the time it spans.
struct Journey<'a> {
    db: &'a Db,
    breach: BreachId,
    space: SpaceId,
    hurt: &'a Partner,
    repairing: &'a Partner,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
}

impl Journey<'_> {
    /// `n` moments spread over the journey, oldest first.
    fn moments(&self, rng: &mut StdRng, n: usize) -> Vec<Timestamp> {
        moments(rng, n, self.from, self.to)
    }

    /// A sent entry of `kind` by the repairing partner, as the entry pages send it.
    async fn send(
        &self,
        kind: EntryKind,
        text: &str,
        follows: Option<EntryId>,
        at: Timestamp,
    ) -> Result<EntryId, SeedError> {
        let id = EntryId(id_at(at));
        self.db
            .send_entry(EntryRecord {
                id,
                breach: self.breach,
                kind,
                author: self.repairing.id,
                body: Some(self.repairing.keys.seal(id.0, fields::ENTRY_BODY, text)),
                state: EntryState::Sent,
                follows,
                created_at: at,
                updated_at: at,
                sent_at: Some(at),
                received_at: None,
                withdrawn_at: None,
                response: None,
                response_note: None,
                responded_at: None,
            })
            .await?;
        Ok(id)
    }

    /// The acknowledgement, sent on the first day and marked received the next.
    async fn acknowledgement(
        &self,
        rng: &mut StdRng,
        newest: &mut Newest,
    ) -> Result<(), SeedError> {
        let text = words::numbered(words::answer(rng, 6..7), 0);
        let id = self
            .send(EntryKind::Acknowledgement, &text, None, self.from)
            .await?;
        let received = self
            .db
            .mark_received(self.breach, id, self.from + Duration::hours(20))
            .await?;
        taken(received, "the acknowledgement marked received")?;
        newest.entry = text;
        Ok(())
    }

    /// The rest of the areas' entries: a pledge and an intention early, two accountability
    /// statements (the first found to miss something), disclosures that add to the
    /// acknowledgement, and then recommitments and reassurance notes to the end.
    async fn entries(
        &self,
        rng: &mut StdRng,
        n: usize,
        newest: &mut Newest,
    ) -> Result<(), SeedError> {
        let mut last: Vec<(EntryKind, EntryId)> = Vec::new();
        for (i, at) in self.moments(rng, n).into_iter().enumerate() {
            let kind = match i {
                0 => EntryKind::Pledge,
                1 => EntryKind::Intention,
                2 | 3 => EntryKind::Accountability,
                _ if i % 20 == 4 => EntryKind::Disclosure,
                _ if i % 2 == 0 => EntryKind::Recommitment,
                _ => EntryKind::Reassurance,
            };
            // What each kind follows, as `EntryKind::follow_up` says.
            let follows = match kind {
                EntryKind::Accountability => last
                    .iter()
                    .rev()
                    .find(|(k, _)| *k == kind)
                    .map(|(_, id)| *id),
                EntryKind::Disclosure => last
                    .iter()
                    .find(|(k, _)| *k == EntryKind::Acknowledgement)
                    .map(|(_, id)| *id),
                _ => None,
            };
            let text = words::numbered(words::answer(rng, 2..8), i + 1);
            let id = self.send(kind, &text, follows, at).await?;
            if kind == EntryKind::Accountability {
                let (response, note) = if follows.is_none() {
                    let note = "It still sounds like it just happened to you.";
                    (
                        StatementResponse::SomethingMissing,
                        Some(self.hurt.keys.seal(id.0, fields::ENTRY_RESPONSE_NOTE, note)),
                    )
                } else {
                    (StatementResponse::FeelsGenuine, None)
                };
                let answered = self
                    .db
                    .respond_to_statement(self.breach, id, response, note, later(rng, at, self.now))
                    .await?;
                taken(answered, "a response to a statement")?;
            }
            last.push((kind, id));
            newest.entry = text;
        }
        Ok(())
    }

    /// Agreements proposed by either partner and accepted by the other.
    async fn agreements(&self, rng: &mut StdRng, n: usize) -> Result<(), SeedError> {
        const TEXTS: [&str; 6] = [
            "We each keep our phones open to the other.",
            "Money over 100 is spent only after we talk.",
            "No contact with the person, in any form.",
            "We sit down every Sunday evening for half an hour.",
            "Either of us can ask for a pause, and we come back within a day.",
            "We see the counsellor together every other week.",
        ];
        // Agreements are made in the first weeks.
        let until = std::cmp::min(self.from + Duration::days(60), self.to);
        for (i, at) in moments(rng, n, self.from, until).into_iter().enumerate() {
            let (by, other) = if i % 2 == 0 {
                (self.hurt, self.repairing)
            } else {
                (self.repairing, self.hurt)
            };
            let id = AgreementId(id_at(at));
            let text = TEXTS[i % TEXTS.len()];
            self.db
                .create_agreement(AgreementRecord {
                    id,
                    space: self.space,
                    proposed_by: by.id,
                    text: by.keys.seal(id.0, fields::AGREEMENT_TEXT, text),
                    state: AgreementState::Proposed,
                    revises: None,
                    created_at: at,
                    decided_at: None,
                })
                .await?;
            let accepted = self
                .db
                .decide_agreement(
                    self.space,
                    id,
                    AgreementState::Accepted,
                    other.id,
                    later(rng, at, self.now),
                )
                .await?;
            taken(accepted, "an agreement accepted")?;
        }
        Ok(())
    }

    /// Questions the hurt partner asked, most of them answered, a few answered again after a
    /// "need more", a few asked again and a few withdrawn.
    async fn questions(
        &self,
        rng: &mut StdRng,
        history: &History,
        newest: &mut Newest,
    ) -> Result<(), SeedError> {
        let mut asked: Vec<QuestionId> = Vec::new();
        for (i, at) in self.moments(rng, history.questions).into_iter().enumerate() {
            let id = QuestionId(id_at(at));
            let text = words::numbered(words::question(rng), i + 1);
            let asked_again_of = (i % 25 == 24).then(|| asked.choose(rng).copied()).flatten();
            self.db
                .create_question(QuestionRecord {
                    id,
                    breach: self.breach,
                    asked_by: self.hurt.id,
                    text: Some(self.hurt.keys.seal(id.0, fields::QUESTION_TEXT, &text)),
                    kind: rng
                        .gen_bool(0.6)
                        .then(|| QuestionKind::ALL.choose(rng).copied())
                        .flatten(),
                    asked_again_of,
                    created_at: at,
                    in_person_at: None,
                    withdrawn_at: None,
                })
                .await?;
            asked.push(id);
            newest.question = text;
            if i % 50 == 49 {
                let withdrawn = self
                    .db
                    .withdraw_question(self.breach, id, self.hurt.id, later(rng, at, self.now))
                    .await?;
                taken(withdrawn, "a question withdrawn")?;
                continue;
            }
            if rng.gen_range(0..100) >= history.answered_percent {
                continue;
            }
            let mut answered_at = later(rng, at, self.now);
            let rounds = if rng.gen_bool(0.1) { 2 } else { 1 };
            for round in 0..rounds {
                let answer = AnswerId(id_at(answered_at));
                let body = words::numbered(words::answer(rng, 2..9), i + 1);
                let stored = self
                    .db
                    .create_answer(
                        self.breach,
                        AnswerRecord {
                            id: answer,
                            question: id,
                            author: self.repairing.id,
                            body: Some(self.repairing.keys.seal(
                                answer.0,
                                fields::ANSWER_BODY,
                                &body,
                            )),
                            created_at: answered_at,
                            withdrawn_at: None,
                            response: None,
                            responded_at: None,
                        },
                    )
                    .await?;
                taken(stored, "an answer")?;
                newest.answer = body;
                let response = if round + 1 < rounds {
                    Some(Response::NeedMore)
                } else {
                    [
                        Some(Response::ThisHelps),
                        Some(Response::ComeBackLater),
                        None,
                    ]
                    .choose(rng)
                    .copied()
                    .flatten()
                };
                if let Some(response) = response {
                    let responded_at = later(rng, answered_at, self.now);
                    let stored = self
                        .db
                        .respond(self.breach, answer, response, responded_at)
                        .await?;
                    taken(stored, "a response to an answer")?;
                    answered_at = later(rng, responded_at, self.now);
                }
            }
        }
        Ok(())
    }

    /// Check-ins whose trust climbs slowly, with setbacks; some with a note of the hurt
    /// partner's own (sealed with their own key, as the patience page does).
    async fn check_ins(
        &self,
        rng: &mut StdRng,
        n: usize,
        newest: &mut Newest,
    ) -> Result<(), SeedError> {
        for (i, at) in self.moments(rng, n).into_iter().enumerate() {
            let id = CheckInId(id_at(at));
            let trend = 2.0 + 6.0 * (i as f64 / n.max(1) as f64);
            let score = (trend + rng.gen_range(-2.0..2.0)).clamp(0.0, 10.0).round() as i64;
            let trust = Trust::from_stored(score).ok_or(SeedError::NotTaken("a trust score"))?;
            let note = (rng.gen_bool(0.4) || i + 1 == n)
                .then(|| words::numbered(words::note(rng, 1..3), i + 1));
            self.db
                .create_check_in(CheckInRecord {
                    id,
                    breach: self.breach,
                    person: self.hurt.id,
                    trust,
                    note: note
                        .as_ref()
                        .map(|n| self.hurt.own.seal(id.0, fields::CHECK_IN_NOTE, n)),
                    created_at: at,
                })
                .await?;
            if let Some(note) = note {
                newest.check_in_note = note;
            }
        }
        Ok(())
    }

    /// Feelings, each reflected on until heard: a third needed a second reflection after a
    /// "not yet"; the newest one still waits for its reflection.
    async fn feelings(
        &self,
        rng: &mut StdRng,
        n: usize,
        newest: &mut Newest,
    ) -> Result<(), SeedError> {
        for (i, at) in self.moments(rng, n).into_iter().enumerate() {
            let id = FeelingId(id_at(at));
            let how_many = rng.gen_range(1..4);
            let chosen: Vec<FeelingWord> = FeelingWord::ALL
                .choose_multiple(rng, how_many)
                .copied()
                .collect();
            let text = words::numbered(words::note(rng, 1..5), i + 1);
            let feeling = Feeling {
                words: chosen,
                intensity: Intensity::try_from(rng.gen_range(1..=Intensity::MAX))
                    .map_err(|_| SeedError::NotTaken("an intensity"))?,
                text: text.clone(),
            };
            let json = serde_json::to_string(&feeling)?;
            self.db
                .create_feeling(FeelingRecord {
                    id,
                    breach: self.breach,
                    person: self.hurt.id,
                    feeling: Some(self.hurt.keys.seal(id.0, fields::FEELING, &json)),
                    created_at: at,
                    withdrawn_at: None,
                })
                .await?;
            newest.feeling = text;
            if i + 1 == n {
                break;
            }
            let mut at = later(rng, at, self.now);
            let rounds = if i % 3 == 0 { 2 } else { 1 };
            for round in 0..rounds {
                let reflection = ReflectionId(id_at(at));
                let body = words::numbered(words::answer(rng, 1..4), i + 1);
                let stored = self
                    .db
                    .create_reflection(
                        self.breach,
                        ReflectionRecord {
                            id: reflection,
                            feeling: id,
                            author: self.repairing.id,
                            body: Some(self.repairing.keys.seal(
                                reflection.0,
                                fields::REFLECTION_BODY,
                                &body,
                            )),
                            created_at: at,
                            withdrawn_at: None,
                            verdict: None,
                            missed: None,
                            verdict_at: None,
                        },
                    )
                    .await?;
                taken(stored, "a reflection")?;
                let verdict_at = later(rng, at, self.now);
                let (verdict, missed) = if round + 1 < rounds {
                    let missed = "That I was scared, not only angry.";
                    (
                        Verdict::NotYet,
                        Some(
                            self.hurt
                                .keys
                                .seal(reflection.0, fields::REFLECTION_MISSED, missed),
                        ),
                    )
                } else {
                    (Verdict::Heard, None)
                };
                let answered = self
                    .db
                    .answer_reflection(self.breach, reflection, verdict, missed, verdict_at)
                    .await?;
                taken(answered, "a reflection answered")?;
                at = later(rng, verdict_at, self.now);
            }
        }
        Ok(())
    }

    /// Journal pages of both partners, a fifth of them shared (sealed with the writer's
    /// author key then, with their own key while private).
    async fn journal(
        &self,
        rng: &mut StdRng,
        n: usize,
        newest: &mut Newest,
    ) -> Result<(), SeedError> {
        for (i, at) in self.moments(rng, n).into_iter().enumerate() {
            let id = JournalEntryId(id_at(at));
            // The newest page is the hurt partner's own, so their journal shows it.
            let author = if i + 1 == n || rng.gen_bool(0.6) {
                self.hurt
            } else {
                self.repairing
            };
            let text = words::numbered(words::note(rng, 2..8), i + 1);
            let shared = rng.gen_bool(0.2);
            self.db
                .create_journal_entry(JournalEntryRecord {
                    id,
                    space: self.space,
                    author: author.id,
                    text: if shared {
                        author.keys.seal(id.0, fields::JOURNAL_TEXT, &text)
                    } else {
                        author.own.seal(id.0, fields::JOURNAL_TEXT, &text)
                    },
                    created_at: at,
                    shared_at: shared.then(|| later(rng, at, self.now)),
                })
                .await?;
            if author.id == self.hurt.id {
                newest.journal = text;
            }
        }
        Ok(())
    }

    /// The hurt partner's evidence log, a fifth of it shared with the repairing partner.
    async fn evidence(
        &self,
        rng: &mut StdRng,
        n: usize,
        newest: &mut Newest,
    ) -> Result<(), SeedError> {
        for (i, at) in self.moments(rng, n).into_iter().enumerate() {
            let id = EvidenceId(id_at(at));
            let text = words::numbered(words::note(rng, 1..4), i + 1);
            self.db
                .create_evidence(EvidenceRecord {
                    id,
                    breach: self.breach,
                    author: self.hurt.id,
                    moment: if rng.gen_bool(0.7) {
                        Moment::Built
                    } else {
                        Moment::Shook
                    },
                    text: self.hurt.own.seal(id.0, fields::EVIDENCE_TEXT, &text),
                    created_at: at,
                    shared_at: None,
                })
                .await?;
            if rng.gen_bool(0.2) {
                let shared = self
                    .db
                    .share_evidence(
                        self.breach,
                        id,
                        self.hurt.id,
                        self.hurt.keys.seal(id.0, fields::EVIDENCE_TEXT, &text),
                        later(rng, at, self.now),
                    )
                    .await?;
                taken(shared, "an evidence entry shared")?;
            }
            newest.evidence = text;
        }
        Ok(())
    }

    /// Triggers the hurt partner signalled, most with a note, nearly all replied to.
    async fn triggers(
        &self,
        rng: &mut StdRng,
        n: usize,
        newest: &mut Newest,
    ) -> Result<(), SeedError> {
        for (i, at) in self.moments(rng, n).into_iter().enumerate() {
            let id = TriggerId(id_at(at));
            let note = (rng.gen_bool(0.7) || i + 1 == n)
                .then(|| words::numbered(words::note(rng, 1..2), i + 1));
            self.db
                .create_trigger(TriggerRecord {
                    id,
                    breach: self.breach,
                    person: self.hurt.id,
                    note: note
                        .as_ref()
                        .map(|n| self.hurt.keys.seal(id.0, fields::TRIGGER_NOTE, n)),
                    created_at: at,
                    reply: None,
                    replied_at: None,
                })
                .await?;
            if let Some(note) = note {
                newest.trigger = note;
            }
            if i + 1 < n && rng.gen_bool(0.9) {
                let reply = words::answer(rng, 1..2);
                let replied = self
                    .db
                    .reply_to_trigger(
                        self.breach,
                        id,
                        self.repairing
                            .keys
                            .seal(id.0, fields::TRIGGER_REPLY, &reply),
                        later(rng, at, self.now),
                    )
                    .await?;
                taken(replied, "a reply to a trigger")?;
            }
        }
        Ok(())
    }

    /// Two years in, acknowledging is done and every other area is under way.
    async fn areas_under_way(&self) -> Result<(), SeedError> {
        let by = self.hurt.id;
        let done_at = self.from + Duration::days(30);
        let moved = self
            .db
            .change_area(
                self.breach,
                Area::Acknowledge,
                AreaStatus::InProgress,
                AreaStatus::Done,
                by,
                done_at,
            )
            .await?;
        taken(moved, "an area done")?;
        for area in Area::ALL.into_iter().filter(|a| *a != Area::Acknowledge) {
            let moved = self
                .db
                .change_area(
                    self.breach,
                    area,
                    AreaStatus::NotStarted,
                    AreaStatus::InProgress,
                    by,
                    done_at,
                )
                .await?;
            taken(moved, "an area started")?;
        }
        Ok(())
    }

    /// Both partners have opened every page of the journey since its last item, as a couple
    /// who use it daily have: their dashboards wait only for what the method asks of them.
    async fn seen_everything(&self) -> Result<(), SeedError> {
        let sections = [
            "questions",
            "feelings",
            "evidence",
            "triggers",
            "transparency",
        ]
        .into_iter()
        .chain(EntryKind::ALL.iter().map(|k| k.as_str()));
        for section in sections {
            for person in [self.hurt.id, self.repairing.id] {
                self.db
                    .mark_seen(person, self.breach, section, self.to)
                    .await?;
            }
        }
        for person in [self.hurt.id, self.repairing.id] {
            self.db
                .mark_journal_seen(person, self.space, self.to)
                .await?;
        }
        Ok(())
    }
}
