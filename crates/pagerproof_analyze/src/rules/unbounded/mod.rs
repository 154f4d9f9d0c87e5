//! UNBOUNDED: memory that grows with traffic and is never given back: collections that
//! outlive requests and grow on them, unbounded function caches and work queues, whole
//! bodies read into memory without a limit.

pub mod body_read;
pub mod collection;
pub mod function_cache;
pub mod queue;
