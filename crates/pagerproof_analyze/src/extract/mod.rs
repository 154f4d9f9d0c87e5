//! Fact extractors: code visitors that emit signals (evidence for component facts and
//! for cross-file resolution), never findings. One file per concern; `common` holds the
//! helpers they share.

pub mod audit;
pub mod common;
pub mod entry;
pub mod env;
pub mod go_ctx;
pub mod grpc;
pub mod http;
pub mod libraries;
pub mod logging;
pub mod ml;
pub mod outbound;
pub mod resilience;
pub mod security;
pub mod service;
pub mod shutdown;
pub mod telemetry;
pub mod workload;

#[cfg(test)]
pub mod testutil {
    use std::time::Duration;

    use crate::engine::Engine;
    use crate::files::{self, FileKind};
    use crate::signals::SignalKind;

    /// The signals every registered extractor emits for one file: (kind, line, detail).
    pub fn signals(path: &str, src: &str) -> Vec<(SignalKind, u32, String)> {
        let Some(FileKind::Code(lang)) = files::classify(path) else {
            panic!("{path} is not code");
        };
        // The facts extractors only: the others (context flow, inventory, resilience)
        // have their own tests.
        let facts: Vec<&'static dyn crate::rule::Extractor> = vec![
            &crate::extract::entry::ENTRY,
            &crate::extract::http::HTTP,
            &crate::extract::grpc::GRPC,
            &crate::extract::shutdown::SHUTDOWN,
            &crate::extract::libraries::LIBRARIES,
            &crate::extract::env::ENV,
            &crate::extract::workload::WORKLOAD,
            &crate::extract::ml::ML,
        ];
        let engine = Engine::new(Vec::new(), facts);
        let out = engine
            .analyze(
                path,
                lang,
                files::role_of(path),
                src,
                Duration::from_secs(10),
            )
            .expect("analysis");
        let mut v: Vec<(SignalKind, u32, String)> = out
            .signals
            .into_iter()
            .map(|s| (s.kind, s.line, s.detail))
            .collect();
        v.sort();
        v
    }

    /// Time spent per extractor over the files under `PAGERPROOF_PROFILE_DIR` (ignored
    /// test: `cargo test -p pagerproof_analyze profile_extractors -- --ignored --nocapture`).
    #[test]
    #[ignore]
    fn profile_extractors() {
        let Ok(dir) = std::env::var("PAGERPROOF_PROFILE_DIR") else {
            return;
        };
        let mut files = Vec::new();
        for e in ignore::WalkBuilder::new(&dir).build().flatten() {
            let p = e.path().to_string_lossy().to_string();
            if let Some(FileKind::Code(l)) = files::classify(&p)
                && let Ok(src) = std::fs::read_to_string(e.path())
            {
                files.push((p, l, src));
            }
        }
        // CPU time of this process (the machine is shared, wall time is noise), best of 3.
        fn cpu() -> Duration {
            let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
            let after = stat.rsplit(')').next().unwrap_or("");
            let f: Vec<&str> = after.split_whitespace().collect();
            // After the name: state is field 3, utime and stime are fields 14 and 15.
            let field = |i: usize| {
                f.get(i - 3)
                    .and_then(|x| x.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            Duration::from_millis((field(14) + field(15)) * 10)
        }
        let run = |ex: Vec<&'static dyn crate::rule::Extractor>| {
            let engine = Engine::new(Vec::new(), ex);
            (0..3)
                .map(|_| {
                    let t = cpu();
                    for (p, l, src) in &files {
                        let _ =
                            engine.analyze(p, *l, files::role_of(p), src, Duration::from_secs(30));
                    }
                    cpu().saturating_sub(t)
                })
                .min()
                .unwrap_or_default()
        };
        let base = run(Vec::new());
        println!("parse+walk only: {base:?} over {} files", files.len());
        for ex in crate::registry::extractors() {
            let t = run(vec![ex]);
            println!("{:>28}: +{:?}", ex.name(), t.saturating_sub(base));
        }
        let all = run(crate::registry::extractors());
        println!("{:>28}: +{:?}", "all extractors", all.saturating_sub(base));
    }
}
