//! Micro-benchmarks of the per-file hot path, one representative file per language:
//! parse alone, parse + tree walk with no rule (the engine's dispatch cost), and parse +
//! every rule and extractor (what a review does per code file). Plus building the engine's
//! dispatch tables, which a review does once. Throughput is in bytes of source.
//!
//!     cargo bench -p pagerproof_analyze --bench hot_path
//!
//! The sources are the example service under `examples/shop/` and `benches/data/`, all
//! written by us. No timed assertions: these are for comparing before and after a change.

use std::time::Duration;

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use pagerproof_analyze::engine::{self, Engine};
use pagerproof_analyze::files::Role;
use pagerproof_analyze::lang::Lang;
use pagerproof_analyze::registry;

fn main() {
    divan::main();
}

const BUDGET: Duration = Duration::from_secs(10);

const FILES: &[(&str, Lang, &str)] = &[
    (
        "python",
        Lang::Python,
        include_str!("../../../examples/shop/storefront/app.py"),
    ),
    (
        "go",
        Lang::Go,
        include_str!("../../../examples/shop/payments/main.go"),
    ),
    (
        "javascript",
        Lang::JavaScript,
        include_str!("../../../examples/shop/notifier/server.js"),
    ),
    (
        "typescript",
        Lang::TypeScript,
        include_str!("data/inventory.ts"),
    ),
    (
        "java",
        Lang::Java,
        include_str!(
            "../../../examples/shop/ledger/src/main/java/com/example/ledger/LedgerApplication.java"
        ),
    ),
];

const NAMES: &[&str] = &["python", "go", "javascript", "typescript", "java"];

fn file(name: &str) -> (Lang, &'static str) {
    FILES
        .iter()
        .find(|f| f.0 == name)
        .map(|f| (f.1, f.2))
        .unwrap_or((Lang::Python, ""))
}

fn full_engine() -> Engine {
    Engine::new(registry::code_rules(), registry::extractors())
}

#[divan::bench(args = NAMES)]
fn parse(bencher: Bencher, name: &str) {
    let (lang, src) = file(name);
    bencher
        .counter(BytesCount::of_str(src))
        .bench(|| engine::parse(lang, black_box(src), BUDGET).map(|t| t.root_node().child_count()));
}

#[divan::bench(args = NAMES)]
fn parse_and_walk(bencher: Bencher, name: &str) {
    let (lang, src) = file(name);
    let engine = Engine::new(Vec::new(), Vec::new());
    bencher.counter(BytesCount::of_str(src)).bench(|| {
        engine
            .analyze("bench/file", lang, Role::Production, black_box(src), BUDGET)
            .map(|o| o.hits.len())
    });
}

#[divan::bench(args = NAMES)]
fn parse_and_rules(bencher: Bencher, name: &str) {
    let (lang, src) = file(name);
    let engine = full_engine();
    bencher.counter(BytesCount::of_str(src)).bench(|| {
        engine
            .analyze("bench/file", lang, Role::Production, black_box(src), BUDGET)
            .map(|o| o.hits.len())
    });
}

#[divan::bench]
fn build_dispatch_tables() -> usize {
    full_engine().rule_count()
}
