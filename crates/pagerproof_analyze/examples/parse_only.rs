//! A bare tree-sitter parse of every file a review would parse, for benchmarks: the
//! same listing, exclusions, size cap and content gates as `review`, the same parsers and
//! per-file budget, but no rules, manifests or aggregation. `bench/run` times it beside the
//! review (the gap between the two is what the rules cost).
//!
//!     cargo run --release -p pagerproof_analyze --example parse_only -- PATH [-j N] [--list FILE]
//!
//! Prints one JSON object (files read, bytes read, files parsed, bytes parsed, parse
//! errors). `--list FILE` writes the NUL-separated paths of every file read, relative to
//! PATH, so the I/O floor can be measured on exactly those files.

use std::time::{Duration, Instant};

use pagerproof_analyze::engine;
use pagerproof_analyze::files::{self, FileKind};
use pagerproof_analyze::fs::{FsSource, Source};
use pagerproof_analyze::review::decode;
use pagerproof_core::config::Settings;
use rayon::prelude::*;

#[derive(Default)]
struct Counts {
    read: u64,
    read_bytes: u64,
    parsed: u64,
    parsed_bytes: u64,
    parse_errors: u64,
    skipped: u64,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut root, mut threads, mut list) = (None, 0usize, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "-j" => threads = args.next().and_then(|n| n.parse().ok()).unwrap_or(0),
            "--list" => list = args.next(),
            _ => root = Some(a),
        }
    }
    let Some(root) = root else {
        eprintln!("usage: parse_only PATH [-j N] [--list FILE]");
        std::process::exit(2);
    };
    let start = Instant::now();
    let settings = Settings::default();
    let source = FsSource::new(&root);
    let budget = Duration::from_millis(settings.file_budget_ms);
    let work: Vec<(String, FileKind)> = source
        .list()
        .entries
        .into_iter()
        .filter(|e| !settings.is_excluded(&e.path))
        .filter_map(|e| {
            let kind = files::classify(&e.path)?;
            (kind.needs_content() && e.size <= settings.max_file_size).then_some((e.path, kind))
        })
        .collect();
    let run = || -> Vec<(String, Counts)> {
        work.par_iter()
            .with_max_len(1)
            .map(|(path, kind)| (path.clone(), one(&source, &settings, path, *kind, budget)))
            .collect()
    };
    let results = if threads > 0 {
        match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool.install(run),
            Err(_) => run(),
        }
    } else {
        run()
    };
    let mut total = Counts::default();
    let mut listed = Vec::new();
    for (path, c) in &results {
        if c.read > 0 {
            listed.extend_from_slice(path.as_bytes());
            listed.push(0);
        }
        total.read += c.read;
        total.read_bytes += c.read_bytes;
        total.parsed += c.parsed;
        total.parsed_bytes += c.parsed_bytes;
        total.parse_errors += c.parse_errors;
        total.skipped += c.skipped;
    }
    if let Some(list) = list
        && let Err(e) = std::fs::write(&list, listed)
    {
        eprintln!("cannot write {list}: {e}");
        std::process::exit(2);
    }
    println!(
        "{}",
        serde_json::json!({
            "files_read": total.read, "bytes_read": total.read_bytes,
            "files_parsed": total.parsed, "bytes_parsed": total.parsed_bytes,
            "parse_errors": total.parse_errors, "skipped": total.skipped,
            "elapsed_ms": start.elapsed().as_millis() as u64,
        })
    );
}

/// Reads one file and parses it when it is code, with the review's content gates.
fn one(
    source: &FsSource,
    settings: &Settings,
    path: &str,
    kind: FileKind,
    budget: Duration,
) -> Counts {
    let mut c = Counts::default();
    let Ok(bytes) = source.read(path, settings.max_file_size.saturating_add(1)) else {
        c.skipped = 1;
        return c;
    };
    if bytes.len() as u64 > settings.max_file_size
        || files::content_skip_reason(path, kind, &bytes).is_some()
    {
        c.skipped = 1;
        return c;
    }
    c.read = 1;
    c.read_bytes = bytes.len() as u64;
    if let FileKind::Code(lang) = kind {
        let text = decode(&bytes);
        match engine::parse(lang, &text, budget) {
            Ok(tree) => {
                c.parsed = 1;
                c.parsed_bytes = text.len() as u64;
                c.parse_errors = u64::from(tree.root_node().has_error());
            }
            Err(_) => c.skipped = 1,
        }
    }
    c
}
