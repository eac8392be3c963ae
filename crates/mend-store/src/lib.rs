//! [`mend_core::Store`] on SQLite (the embedded default) and PostgreSQL (hosted scale).
//!
//! Both backends run the same SQL text: the queries use `$N` parameters, which SQLite also
//! understands, and the schemas differ only in column types. The [`on_pool!`] macro in `db`
//! compiles each query once per backend, so the two cannot drift apart; the helpers built on it
//! (`execute!`, `fetch_one!`, `fetch_optional!`, `fetch_all!`, `transaction!`) are all the
//! execution there is. Each area of the `Store` has its own module, with its rows and queries.

#[macro_use]
mod db;

mod accounts;
mod agreements;
mod author_keys;
/// `mend backup` and `mend restore`: the whole database in one file, for either backend.
pub mod backup;
mod check_ins;
mod counsellors;
mod departures;
mod entries;
mod feelings;
mod journeys;
// Issue 13: reads kept between requests under their space's version.
mod kept;
// The mail queue and verified addresses (issue 12).
mod mail;
// Notification choices and the pending notice (issue 12).
mod notifications;
mod private_notes;
mod questions;
#[cfg(feature = "scratch")]
pub mod scratch;
mod space_state;
mod spaces;
// Issue 13: the timeline a window at a time.
mod timeline;
mod transparency;
mod triggers;
// Issue 12: the facts of what waits for whom.
mod waiting;

pub use db::{Db, ReadCount};
