//! JOBS: background jobs and consumers that are not restart-safe: retries without a cap,
//! messages acknowledged (or offsets committed) before the work is done, schedulers that
//! run once per replica instead of once, CronJobs that overlap.

pub mod ack_first;
pub mod cronjob;
pub mod retry_cap;
pub mod scheduler;
