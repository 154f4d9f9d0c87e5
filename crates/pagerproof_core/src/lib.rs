//! pagerproof's report contract and settings: the types every other crate shares.
//!
//! This crate has no tree-sitter, no file access and no printing: analysis produces these
//! types and renderers consume them, so the contract (`spec/report-contract.md`) lives in
//! exactly one place.

pub mod baseline;
pub mod config;
pub mod diff;
pub mod fingerprint;
pub mod inventory;
pub mod model;
pub mod narrative;
pub mod redact;
pub mod taxonomy;

pub use config::{Config, ConfigError};
pub use model::*;
