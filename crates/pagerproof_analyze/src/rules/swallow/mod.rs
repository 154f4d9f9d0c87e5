//! SWALLOW: errors dropped without a log, a re-raise or a return.

pub mod discard;
pub mod empty_result;
pub mod handler;
