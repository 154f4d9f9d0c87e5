//! Opt-in CPU accounting for benchmarks: where a review spends its time, per phase and
//! per rule, summed over worker threads (so the figures are CPU time, not wall time).
//!
//! Off by default. When off, each probe costs one relaxed atomic load and no clock read.
//! `examples/timings.rs` turns it on, runs a review and prints the breakdown; `bench/run`
//! renders it in `docs/benchmarks.md`. Nothing here changes what a review reports.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

static ENABLED: AtomicBool = AtomicBool::new(false);

/// The phases of a review, in pipeline order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Walking the tree (wall time of the parallel listing).
    List,
    /// Reading file contents.
    Read,
    /// Content gates, UTF-8 decoding, line count, suppression comments.
    Prepare,
    /// tree-sitter parsing.
    Parse,
    /// Walking the syntax tree and dispatching by node kind, rules excluded.
    Walk,
    /// Code rules and extractors (the sum of the per-rule figures).
    Rules,
    /// Non-code readers (Dockerfile, YAML, manifests, docs).
    Manifests,
    /// Turning raw hits into findings (docs, snippets, redaction).
    Finish,
    /// Components, facts, cross-checks, fingerprints, scoring (wall time).
    Aggregate,
}

impl Phase {
    pub const ALL: [Phase; 9] = [
        Phase::List,
        Phase::Read,
        Phase::Prepare,
        Phase::Parse,
        Phase::Walk,
        Phase::Rules,
        Phase::Manifests,
        Phase::Finish,
        Phase::Aggregate,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Phase::List => "list",
            Phase::Read => "read",
            Phase::Prepare => "prepare",
            Phase::Parse => "parse",
            Phase::Walk => "walk",
            Phase::Rules => "rules",
            Phase::Manifests => "manifests",
            Phase::Finish => "finish",
            Phase::Aggregate => "aggregate",
        }
    }
}

static PHASE_NS: [AtomicU64; 9] = [const { AtomicU64::new(0) }; 9];
static RULE_NS: Mutex<BTreeMap<&'static str, (u64, u64)>> = Mutex::new(BTreeMap::new());

/// Turns accounting on or off for the whole process and clears the counters.
pub fn enable(on: bool) {
    reset();
    ENABLED.store(on, Ordering::Relaxed);
}

/// Whether accounting is on.
#[inline]
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Clears every counter.
pub fn reset() {
    for c in &PHASE_NS {
        c.store(0, Ordering::Relaxed);
    }
    lock().clear();
}

/// Adds `ns` nanoseconds to a phase.
pub fn add(phase: Phase, ns: u64) {
    PHASE_NS[phase as usize].fetch_add(ns, Ordering::Relaxed);
}

/// Adds the per-rule times of one file: (rule or extractor name, nanoseconds, calls).
pub fn add_rules(per_rule: impl IntoIterator<Item = (&'static str, u64, u64)>) {
    let mut m = lock();
    for (name, ns, calls) in per_rule {
        let e = m.entry(name).or_insert((0, 0));
        e.0 += ns;
        e.1 += calls;
    }
}

/// Measures a phase until dropped (no clock read when accounting is off).
pub fn span(phase: Phase) -> Span {
    Span {
        phase,
        start: enabled().then(Instant::now),
    }
}

pub struct Span {
    phase: Phase,
    start: Option<Instant>,
}

impl Drop for Span {
    fn drop(&mut self) {
        if let Some(s) = self.start {
            add(self.phase, s.elapsed().as_nanos() as u64);
        }
    }
}

/// A copy of the counters: phases in pipeline order, rules by name.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub phases: Vec<(&'static str, u64)>,
    pub rules: Vec<(&'static str, u64, u64)>,
}

pub fn snapshot() -> Snapshot {
    Snapshot {
        phases: Phase::ALL
            .iter()
            .map(|p| (p.name(), PHASE_NS[*p as usize].load(Ordering::Relaxed)))
            .collect(),
        rules: lock()
            .iter()
            .map(|(name, (ns, calls))| (*name, *ns, *calls))
            .collect(),
    }
}

fn lock() -> std::sync::MutexGuard<'static, BTreeMap<&'static str, (u64, u64)>> {
    RULE_NS.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_only_when_enabled() {
        // One test touches the global switch, so tests running in parallel do not race.
        enable(false);
        drop(span(Phase::Parse));
        assert_eq!(snapshot().phases[3], ("parse", 0));
        enable(true);
        add(Phase::Parse, 5);
        add_rules([("some-rule", 7, 2), ("some-rule", 1, 1)]);
        let s = snapshot();
        assert_eq!(s.phases[3], ("parse", 5));
        assert_eq!(s.rules, vec![("some-rule", 8, 3)]);
        enable(false);
        assert_eq!(snapshot().rules, vec![]);
    }
}
