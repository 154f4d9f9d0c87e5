//! Readers for everything that is not source code: Dockerfiles, Kubernetes and compose
//! YAML, CI workflows, dependency manifests, documentation. Each reader turns a file into
//! hits (findings at a line), signals (evidence for component facts) and artifacts
//! (structured facts the aggregation step cross-checks: workloads, images, probes).

pub mod cronjob;
pub mod sql;

use pagerproof_core::config::Settings;

use crate::files::{FileKind, Role};
use crate::rule::Hit;
use crate::signals::Signal;

/// Structured facts a non-code file contributes to aggregation.
#[derive(Clone, Debug, PartialEq)]
pub enum Artifact {
    /// A file whose presence or content marks a deployable unit (package.json with a start
    /// script, pyproject with scripts, pom.xml, ...): detail names what it declares.
    ComponentMarker { detail: String, entry_point: bool },
}

#[derive(Debug, Default)]
pub struct ManifestOutput {
    pub hits: Vec<Hit>,
    pub signals: Vec<Signal>,
    pub artifacts: Vec<Artifact>,
    /// Set when the file could not be read as its format (then it is reported skipped).
    pub skipped: Option<String>,
}

/// Reads one non-code file.
pub fn analyze(
    path: &str,
    kind: FileKind,
    role: Role,
    text: &str,
    settings: &Settings,
) -> ManifestOutput {
    let _ = settings;
    match kind {
        FileKind::Sql => sql::analyze(path, role, text),
        FileKind::Yaml => cronjob::analyze(path, role, text),
        _ => ManifestOutput::default(),
    }
}

/// Rules implemented by the manifest readers.
pub fn rules() -> Vec<&'static crate::rule::RuleMeta> {
    Vec::new()
}
