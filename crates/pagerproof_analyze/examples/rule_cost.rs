//! Times a review of one file with each rule alone (a triage aid for slow files):
//! `cargo run --release -p pagerproof_analyze --example rule_cost -- FILE`.
use std::time::Instant;

use pagerproof_analyze::fs::MemSource;
use pagerproof_core::config::Settings;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: rule_cost FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_default();
    let name = std::path::Path::new(&path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ids: Vec<String> = pagerproof_analyze::registry::all_rules()
        .iter()
        .map(|m| m.id.to_string())
        .collect();
    let settings = Settings {
        file_budget_ms: 600_000,
        threads: 1,
        ..Settings::default()
    };
    let run = |keep: Option<&str>| {
        let s = Settings {
            disabled: ids
                .iter()
                .filter(|i| Some(i.as_str()) != keep)
                .cloned()
                .collect(),
            ..settings.clone()
        };
        let src = MemSource::new([(format!("app/{name}"), bytes.clone())]);
        let t = Instant::now();
        let r = pagerproof_analyze::review(&src, &s);
        (t.elapsed(), r.skipped)
    };
    let (base, skipped) = run(None);
    println!(
        "{:>10.1} ms  no rule (parse, extractors, aggregation) {skipped:?}",
        base.as_secs_f64() * 1e3
    );
    for id in &ids {
        let (t, _) = run(Some(id));
        println!(
            "{:>10.1} ms  {id}",
            t.saturating_sub(base).as_secs_f64() * 1e3
        );
    }
}
