//! Fact extractors: code visitors that emit signals (evidence for component facts and
//! for cross-file resolution), never findings. One file per concern.

pub mod audit;
pub mod entry;
pub mod go_ctx;
pub mod outbound;
pub mod resilience;
pub mod service;
