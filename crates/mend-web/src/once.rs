//! Forms that create something are stored once.
//!
//! Every such form carries the id its row will be stored under, minted when the page was
//! drawn (`form_id`; `entry` and `feeling` on the forms that had one before). The row is
//! inserted under that id, so a form sent again — a double click, a retried request, two at
//! the same moment — meets the primary key and stores nothing more. [`store_once`] is the one
//! place that decides what happens then: the same author's same words were stored already, so
//! the form is answered as if it had just been stored; anything else under that id (an old
//! page, restored from the browser's cache, sent with new words) is stored under a new id.

use std::future::Future;
use std::str::FromStr;

use mend_core::StoreError;

use crate::error::WebError;

/// What storing a form came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored<I> {
    /// Stored now, under this id.
    New(I),
    /// This very form was stored before, under this id; nothing more was stored.
    Again(I),
}

impl<I: Copy> Stored<I> {
    pub fn id(&self) -> I {
        match self {
            Stored::New(id) | Stored::Again(id) => *id,
        }
    }

    pub fn is_new(&self) -> bool {
        matches!(self, Stored::New(_))
    }
}

/// What is kept under the id a form carries, as [`store_once`] asks after a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    /// What this form would store: the same author's same words.
    Same,
    /// Something else.
    Other,
    /// Nothing: the store refused the form for another reason.
    Nothing,
}

/// The id in a creating form's raw value. A form without one (a client of its own) gets a new
/// id, so it is stored but not recognised when sent again; a malformed one is refused.
pub fn id_from<I: FromStr + Default>(raw: &str) -> Result<I, WebError> {
    match raw.trim() {
        "" => Ok(I::default()),
        raw => raw.parse().map_err(|_| WebError::BadRequest),
    }
}

/// The id a creating form carries, as a typed form field (`#[serde(default)]`): a form without
/// one (a client of its own) gets a new id, so it is stored but not recognised when sent again;
/// a malformed one refuses the whole form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FormId<I>(pub I);

impl<'de, I: FromStr + Default> serde::Deserialize<'de> for FormId<I> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        id_from(&raw)
            .map(FormId)
            .map_err(|_| serde::de::Error::custom("not a valid form id"))
    }
}

/// Stores what a form creates under `requested`, the id the form carries, once. `store`
/// inserts under the id it is given and reports a conflict when the id is taken; `kept` says
/// what is stored under an id. A refusal for any other reason is a conflict.
pub async fn store_once<I, S, SF, K, KF>(
    requested: I,
    store: S,
    kept: K,
) -> Result<Stored<I>, WebError>
where
    I: Copy + Default,
    S: Fn(I) -> SF,
    SF: Future<Output = Result<(), StoreError>>,
    K: FnOnce(I) -> KF,
    KF: Future<Output = Result<Kept, WebError>>,
{
    match store(requested).await {
        Ok(()) => return Ok(Stored::New(requested)),
        Err(StoreError::Conflict(_)) => {}
        Err(e) => return Err(e.into()),
    }
    match kept(requested).await? {
        Kept::Same => Ok(Stored::Again(requested)),
        Kept::Nothing => Err(WebError::Conflict),
        Kept::Other => {
            let fresh = I::default();
            store(fresh).await?;
            Ok(Stored::New(fresh))
        }
    }
}
