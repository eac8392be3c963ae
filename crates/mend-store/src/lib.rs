//! [`mend_core::Store`] on SQLite (the embedded default) and PostgreSQL (hosted scale).
//!
//! Both backends run the same SQL text: the queries use `$N` parameters, which SQLite also
//! understands, and the schemas differ only in column types. The [`on_pool!`] macro compiles
//! each method body once per backend, so the two cannot drift apart.

mod db;
#[cfg(feature = "scratch")]
pub mod scratch;

pub use db::Db;
