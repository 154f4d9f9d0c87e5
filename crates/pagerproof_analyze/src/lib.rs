//! pagerproof's analysis: walk a repository, parse each file once, run every rule,
//! detect deployable components, answer their facts, cross-check manifests against code,
//! and score the result into a [`pagerproof_core::Report`].
//!
//! The entry point is [`review`]; file access goes through [`fs::Source`].

pub mod aggregate;
pub mod checks;
pub mod components;
pub mod docs;
pub mod engine;
pub mod extract;
pub mod facts;
pub mod files;
pub mod fs;
pub mod inventory;
pub mod lang;
pub mod manifests;
pub mod registry;
pub mod repo;
pub mod review;
pub mod rule;
pub mod rules;
pub mod scoring;
pub mod signals;
pub mod suppress;
pub mod testing;
pub mod timings;

pub use review::review;
