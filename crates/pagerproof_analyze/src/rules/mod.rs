//! Every rule, one file each (a folder per category). A rule file holds its id,
//! category, defaults, documentation, fixtures and detector; `registry.rs` lists them.

pub mod cancel;
pub mod component;
pub mod component_cases;
pub mod config;
pub mod cost;
pub mod debug;
pub mod force_kill;
pub mod idempotency;
pub mod jobs;
pub mod log_context;
pub mod log_sensitive;
pub mod migration;
pub mod ml;
pub mod reach;
pub mod retry;
pub mod secret;
pub mod startup_blocking;
pub mod swallow;
pub mod timeout;
pub mod tls_off;
pub mod unbounded;
pub mod webhook;
