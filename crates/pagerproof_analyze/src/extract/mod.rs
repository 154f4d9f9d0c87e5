//! Fact extractors: code visitors that emit signals (evidence for component facts and
//! for cross-file resolution), never findings. One file per concern; `common` holds the
//! helpers they share.

pub mod common;
pub mod entry;
pub mod env;
pub mod grpc;
pub mod http;
pub mod libraries;
pub mod logging;
pub mod ml;
pub mod security;
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
        let engine = Engine::new(Vec::new(), crate::registry::extractors());
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
}
