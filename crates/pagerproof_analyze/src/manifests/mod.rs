//! Readers for everything that is not source code: Dockerfiles, Kubernetes and compose
//! YAML, Helm charts, CI workflows, dependency manifests, framework config files and
//! documentation. Each reader turns a file into hits (findings at a line), signals
//! (evidence for component facts) and artifacts (structured facts the aggregation step
//! cross-checks: images, workloads, probes, lock files, repository evidence).
//!
//! Findings that need more than one file (a probe that covers an image, a lock file next
//! to a manifest, a PodDisruptionBudget anywhere in the repository, the component that
//! builds a workload's image) are decided in [`cross`], called from
//! `checks::cross_checks`, from the artifacts recorded here.

pub mod ci;
pub mod compose;
pub mod config_files;
pub mod cross;
pub mod deps;
pub mod dockerfile;
pub mod docs;
pub mod helm;
pub mod kubernetes;
pub mod yaml;

pub mod cronjob;
pub mod sql;

use pagerproof_core::config::Settings;

use crate::files::{self, FileKind, Role};
use crate::rule::Hit;
use crate::signals::Signal;

/// Structured facts a non-code file contributes to aggregation.
#[derive(Clone, Debug, PartialEq)]
pub enum Artifact {
    /// A file whose presence or content marks a deployable unit (package.json with a start
    /// script, pyproject with scripts, pom.xml, ...): detail names what it declares.
    ComponentMarker { detail: String, entry_point: bool },
    /// A Dockerfile: its final stage's HEALTHCHECK, exposed ports and command.
    Image(Box<dockerfile::ImageInfo>),
    /// One Kubernetes object of a plain YAML file (any kind: workloads, Services,
    /// PodDisruptionBudgets, autoscalers, ...).
    K8s(Box<kubernetes::Object>),
    /// A Helm chart's `Chart.yaml`.
    HelmChart {
        name: String,
        version: String,
        app_version: String,
    },
    /// A Helm chart's `values.yaml` (defaults), parsed.
    HelmValues(Box<yaml::Y>),
    /// A Helm template (not YAML until rendered): rendered with the chart's defaults
    /// during cross checks, as far as that can be done soundly.
    HelmTemplate(String),
    /// A build declaration (skaffold `artifacts[]`, compose `build:`): the image name it
    /// produces and the folder it builds from.
    Build {
        image: String,
        context: String,
        dockerfile: String,
        line: u32,
    },
    /// A docker-compose service.
    Compose(Box<compose::Service>),
    /// A dependency manifest, for the lock-file check.
    Deps(Box<deps::Manifest>),
    /// A CI configuration (GitHub Actions workflow, GitLab CI, ...).
    Ci(Box<ci::CiInfo>),
    /// The name a build manifest gives its project (go module, npm package, Python project,
    /// Maven artifact, Cargo package, Gradle root project): images named like it are built
    /// from the manifest's folder.
    ProjectName(String),
    /// A GitHub Actions `uses:` not pinned to a commit (grouped per action across files).
    ActionPin(Box<ci::ActionPin>),
    /// Evidence for a repository category (RUNBOOK, OWNERS, ALERTS, ...) found in this file.
    RepoEvidence {
        category: &'static str,
        line: Option<u32>,
        note: String,
    },
    /// Something in this file the reader could not analyse, said plainly.
    NotAnalyzed { what: String },
    /// A `package.json` that builds a browser application (a bundler or browser framework
    /// tooling, no server framework): the code below its folder runs in a browser.
    BrowserApp,
    /// The file's text, kept for the snippets of findings decided across files (only for
    /// the YAML manifests that carry workloads or services).
    Source(String),
}

#[derive(Debug, Default)]
pub struct ManifestOutput {
    pub hits: Vec<Hit>,
    pub signals: Vec<Signal>,
    pub artifacts: Vec<Artifact>,
    /// Set when the file could not be read as its format (then it is reported skipped).
    pub skipped: Option<String>,
}

impl ManifestOutput {
    /// Adds what another reader found in the same file.
    pub fn absorb(&mut self, other: ManifestOutput) {
        self.hits.extend(other.hits);
        self.signals.extend(other.signals);
        self.artifacts.extend(other.artifacts);
        if self.skipped.is_none() {
            self.skipped = other.skipped;
        }
    }
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
    let mut out = ManifestOutput::default();
    let name = files::base_name(path);
    let lower = name.to_ascii_lowercase();
    match kind {
        FileKind::Dockerfile => dockerfile::analyze(path, text, &mut out),
        FileKind::Yaml => {
            yaml_file(path, &lower, role, text, &mut out);
            out.absorb(cronjob::analyze(path, role, text));
        }
        FileKind::Json => {
            deps::analyze_json(path, &lower, text, &mut out);
            docs::analyze_json(path, &lower, text, &mut out);
        }
        FileKind::Toml => deps::analyze_toml(path, &lower, text, &mut out),
        FileKind::Text => {
            deps::analyze_text(path, &lower, text, &mut out);
            config_files::analyze_text(path, &lower, text, &mut out);
            docs::analyze_text(path, &lower, text, &mut out);
        }
        FileKind::Xml => {
            deps::analyze_xml(path, &lower, text, &mut out);
            config_files::analyze_xml(path, &lower, text, &mut out);
        }
        FileKind::Gradle => deps::analyze_gradle(path, &lower, text, &mut out),
        FileKind::Properties => config_files::analyze_properties(path, &lower, text, &mut out),
        FileKind::Doc => docs::analyze_doc(path, &lower, text, &mut out),
        FileKind::Sql => out.absorb(sql::analyze(path, role, text)),
        FileKind::Code(_) | FileKind::Lock | FileKind::Model => {}
    }
    // Floating dependency lines are reported across files: keep the text for snippets.
    if out.artifacts.iter().any(|a| {
        matches!(a, Artifact::Deps(m) if !m.floating.is_empty())
            || matches!(a, Artifact::ActionPin(_))
    }) {
        out.artifacts.push(Artifact::Source(text.to_string()));
    }
    out
}

/// YAML: Helm templates and values, CI, compose, skaffold, Kubernetes, Spring config,
/// Prometheus rules and SLO specs.
fn yaml_file(path: &str, lower: &str, role: Role, text: &str, out: &mut ManifestOutput) {
    let _ = role;
    if helm::is_template(path, text) {
        out.artifacts.push(Artifact::HelmTemplate(text.to_string()));
        return;
    }
    let docs = match yaml::load(text) {
        Ok(d) => d,
        Err(e) => {
            // Files with template syntax outside a chart (Jinja, envsubst) are not YAML yet.
            if text.contains("{{") || text.contains("{%") {
                out.artifacts.push(Artifact::NotAnalyzed {
                    what: format!(
                        "{path}: templated YAML outside a Helm chart's templates/ folder is not analysed"
                    ),
                });
                return;
            }
            out.skipped = Some(e.reason());
            return;
        }
    };
    if helm::is_chart_file(lower) {
        helm::analyze_chart_file(lower, &docs, out);
        return;
    }
    if ci::analyze_yaml(path, lower, &docs, out) {
        return;
    }
    if compose::analyze(path, lower, &docs, text, out) {
        return;
    }
    if config_files::analyze_yaml(path, lower, &docs, out) {
        return;
    }
    docs::analyze_yaml(path, lower, &docs, out);
    kubernetes::analyze(path, &docs, text, out);
}

/// Rules implemented by the manifest readers.
pub fn rules() -> Vec<&'static crate::rule::RuleMeta> {
    let mut v = dockerfile::rules();
    v.extend(kubernetes::rules());
    v.extend(compose::rules());
    v.extend(ci::rules());
    v.extend(deps::rules());
    v.extend(config_files::rules());
    v.extend(cross::rules());
    v
}
