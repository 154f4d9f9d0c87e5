//! Where a review spends its CPU: runs one review with `pagerproof_analyze::timings` on
//! and prints the per-phase and per-rule breakdown as JSON (nanoseconds summed over worker
//! threads; `wall_ns` is the review's wall time). Used by `bench/run` for the profile table.
//!
//!     cargo run --release -p pagerproof_analyze --example timings -- PATH [-j N]
//!
//! The probes cost two clock reads per rule call, so the total is a little above a plain
//! review's CPU time; compare shares, not absolute figures.

use std::time::Instant;

use pagerproof_analyze::fs::FsSource;
use pagerproof_analyze::timings;
use pagerproof_core::config::Settings;

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut root, mut threads) = (None, 0usize);
    while let Some(a) = args.next() {
        match a.as_str() {
            "-j" => threads = args.next().and_then(|n| n.parse().ok()).unwrap_or(0),
            _ => root = Some(a),
        }
    }
    let Some(root) = root else {
        eprintln!("usage: timings PATH [-j N]");
        std::process::exit(2);
    };
    let settings = Settings {
        threads,
        ..Settings::default()
    };
    timings::enable(true);
    let start = Instant::now();
    let report = pagerproof_analyze::review(&FsSource::new(&root), &settings);
    let wall = start.elapsed().as_nanos() as u64;
    let snap = timings::snapshot();
    let phases: serde_json::Map<String, serde_json::Value> = snap
        .phases
        .iter()
        .map(|(name, ns)| (name.to_string(), (*ns).into()))
        .collect();
    let rules: Vec<serde_json::Value> = snap
        .rules
        .iter()
        .map(|(name, ns, calls)| serde_json::json!({"rule": name, "ns": ns, "calls": calls}))
        .collect();
    println!(
        "{}",
        serde_json::json!({
            "wall_ns": wall, "phases": phases, "rules": rules,
            "files": report.stats.files, "bytes": report.stats.bytes,
            "findings": report.findings.len(),
        })
    );
}
