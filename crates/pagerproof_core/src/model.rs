//! The report contract (`spec/report-contract.md`): what a review produces.
//!
//! Every renderer (terminal, JSON, SARIF, HTML, the seeds' formats) reads only these
//! types, so a field added here is available to all of them and a field's meaning is
//! fixed in one place. Fields may gain siblings; none may change meaning.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Severity as the production-readiness document defines it. `P0` sorts first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// Data loss / security breach.
    P0,
    /// Outage / stuck system.
    P1,
    /// Operational pain.
    P2,
    /// Hygiene.
    P3,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Severity::P0, Severity::P1, Severity::P2, Severity::P3];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::P0 => "P0",
            Severity::P1 => "P1",
            Severity::P2 => "P2",
            Severity::P3 => "P3",
        }
    }

    /// What the seeds say the level means.
    pub fn meaning(self) -> &'static str {
        match self {
            Severity::P0 => "data loss / security breach",
            Severity::P1 => "outage / stuck system",
            Severity::P2 => "operational pain",
            Severity::P3 => "hygiene",
        }
    }

    /// One step less severe (P3 stays P3).
    pub fn lowered(self) -> Severity {
        match self {
            Severity::P0 => Severity::P1,
            Severity::P1 => Severity::P2,
            Severity::P2 | Severity::P3 => Severity::P3,
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_ascii_uppercase().as_str() {
            "P0" => Some(Severity::P0),
            "P1" => Some(Severity::P1),
            "P2" => Some(Severity::P2),
            "P3" => Some(Severity::P3),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure a rule is that a site is a real gap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

/// The three verdicts of the production-readiness document, in its exact words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    #[serde(rename = "Production-ready")]
    ProductionReady,
    #[serde(rename = "Production-ready with fixes")]
    ProductionReadyWithFixes,
    #[serde(rename = "Not production-ready")]
    NotProductionReady,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::ProductionReady => "Production-ready",
            Verdict::ProductionReadyWithFixes => "Production-ready with fixes",
            Verdict::NotProductionReady => "Not production-ready",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a piece of evidence sits. `line` is 1-based; `None` for a whole file or folder.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Evidence {
    pub path: String,
    pub line: Option<u32>,
    /// What was seen there, in a few words (`signal.Notify(SIGTERM)`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A yes/no question about a component, with the evidence that answered it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// `true` present, `false` missing (also reported as a finding), `null` not applicable
    /// or undecidable (then `reason` says why).
    pub present: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub evidence: Vec<Evidence>,
}

impl Fact {
    pub fn yes(evidence: Vec<Evidence>) -> Fact {
        Fact {
            present: Some(true),
            reason: None,
            evidence,
        }
    }
    pub fn no(reason: impl Into<String>) -> Fact {
        Fact {
            present: Some(false),
            reason: Some(reason.into()),
            evidence: Vec::new(),
        }
    }
    pub fn not_applicable(reason: impl Into<String>) -> Fact {
        Fact {
            present: None,
            reason: Some(reason.into()),
            evidence: Vec::new(),
        }
    }
}

/// A deployable unit of the repository (or the repository itself, path `.`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Component {
    pub name: String,
    /// Relative to the root, `/` separators, `.` for the root.
    pub path: String,
    /// `service`, `job`, `cli`, `library`, `infrastructure` or `unknown`.
    pub kind: String,
    /// Why the kind was chosen, in a sentence.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind_reason: String,
    pub languages: Vec<String>,
    pub score: f64,
    pub facts: BTreeMap<String, Fact>,
    /// What marks this folder as a deployable unit (Dockerfile, go.mod, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markers: Vec<String>,
    /// Workloads and images linked to this component (Kubernetes, compose, skaffold).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deployments: Vec<Evidence>,
    /// Score deductions for this component (see `scoring`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deductions: Vec<Deduction>,
}

/// One finding: a gap at a site (line set) or of a component/repository (line null).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub fingerprint: String,
    pub rule: String,
    pub category: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub path: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    pub component: String,
    pub subject: String,
    pub message: String,
    pub scenario: String,
    pub impact: String,
    pub detection: String,
    pub mitigation: String,
    pub monitoring: String,
    /// A fix example in the site's language, where the rule has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// The source lines of the site (secrets redacted), for renderers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<Snippet>,
    /// `production`, `test`, `example`, `script`, `docs` or `generated`.
    #[serde(default = "production")]
    pub context: String,
    /// Other places that belong to the same gap (a collection and where it grows).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Evidence>,
}

fn production() -> String {
    "production".to_string()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// Language of the example (`python`, `go`, `yaml`, ...).
    pub language: String,
    pub code: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// Line number of the first line in `text`.
    pub start_line: u32,
    pub text: String,
}

/// A file the review could not analyse, and why.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// A finding silenced by an inline `pagerproof: ignore[rule] reason` comment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suppressed {
    pub fingerprint: String,
    pub rule: String,
    pub category: String,
    pub severity: Severity,
    pub path: String,
    pub line: Option<u32>,
    pub reason: String,
    /// Where the suppression comment is.
    pub at: Evidence,
}

/// An inline suppression that was *not* honoured, and why: a suppression without a reason,
/// or one aimed at a P0 finding while `suppressions.allow_p0` is off. The findings it
/// aimed at stay reported; this entry says where the comment is so it gets fixed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RejectedSuppression {
    pub path: String,
    /// Line of the `pagerproof: ignore[...]` comment.
    pub line: u32,
    /// Rule ids or categories the comment names.
    pub rules: Vec<String>,
    /// The reason written after the brackets (empty when none was given).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Why the suppression was not honoured, in a sentence.
    pub problem: String,
    /// Fingerprints of the findings it aimed at (still reported).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<String>,
}

/// Something the review deliberately did not analyse (a Helm template expression, a
/// language without a grammar), said plainly so nobody mistakes silence for health.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NotAnalyzed {
    pub path: String,
    pub what: String,
}

/// One deduction from a score, so every point lost can be traced (policy in
/// `docs/scoring.md`). The `points` of a score's deductions add up to `10 - score`
/// (to rounding).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Deduction {
    pub category: String,
    /// The most severe finding of the category in scope.
    pub severity: Severity,
    /// Findings of the category in scope.
    pub count: u32,
    /// Points this category takes off the score.
    pub points: f64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The category's penalty on its own, `min(cap, weight × (1 + log2 count))`, before
    /// it is taken from what the larger penalties left of the score.
    #[serde(default)]
    pub penalty: f64,
}

/// The state of one of the production-readiness document's ten sections.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub number: u8,
    pub title: String,
    /// `covered`, `gaps` or `not_applicable`.
    pub status: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    pub score: f64,
    pub categories: Vec<String>,
    pub findings: u32,
    /// Rules of this section that ran and had something to check (a component rule
    /// counts only where its fact was answered).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// What backs the status: where the section's capabilities were seen (covered), or
    /// what made the section apply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// Deductions from the section's score.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deductions: Vec<Deduction>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub files: u64,
    pub bytes: u64,
    pub elapsed_ms: u64,
    #[serde(default)]
    pub lines: u64,
    /// Files parsed with tree-sitter, and how many of those had syntax errors.
    #[serde(default)]
    pub parsed: u64,
    #[serde(default)]
    pub parse_errors: u64,
    #[serde(default)]
    pub skipped: u64,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub languages: BTreeMap<String, u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// The whole review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: String,
    pub tool: Tool,
    pub root: String,
    pub verdict: Verdict,
    /// Why the verdict is what it is, in one sentence.
    #[serde(default)]
    pub verdict_reason: String,
    pub score: f64,
    pub components: Vec<Component>,
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skipped>,
    pub stats: Stats,
    /// Repository-level facts (RUNBOOK, ADR, OWNERS, ...): the same shape as a component's.
    #[serde(default)]
    pub repository: BTreeMap<String, Fact>,
    #[serde(default)]
    pub sections: Vec<Section>,
    #[serde(default)]
    pub suppressed: Vec<Suppressed>,
    #[serde(default)]
    pub not_analyzed: Vec<NotAnalyzed>,
    /// Deductions from the repository score.
    #[serde(default)]
    pub deductions: Vec<Deduction>,
    /// Rules that ran (ids), so a reader knows what silence means.
    #[serde(default)]
    pub rules_run: Vec<String>,
    /// A language model's narration, when `--llm` was asked for. Never replaces findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<serde_json::Value>,
    /// With `--baseline`: how many findings the baseline matched and hid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineInfo>,
    /// Inline suppressions that were not honoured (no reason, or a P0 without
    /// `suppressions.allow_p0`).
    #[serde(default)]
    pub rejected_suppressions: Vec<RejectedSuppression>,
    /// With `--diff REV`: which revision, and how many findings were outside the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<DiffInfo>,
    /// The service inventory (`inventory.rs`): per component, the routes, ports,
    /// environment variables, outbound dependencies, metrics, flags and workloads the
    /// review saw, with evidence. What the scaffolds are written from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory: Option<crate::inventory::Inventory>,
}

/// What `--baseline FILE` did. `findings` then holds only findings not in the baseline;
/// score, verdict, sections and components still describe the whole repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineInfo {
    pub path: String,
    /// Findings the baseline matched (hidden from `findings`).
    pub matched: u32,
    /// Baseline entries that matched no finding any more (fixed or moved).
    #[serde(default)]
    pub stale: u32,
}

/// What `--diff REV` did. `findings` then holds only findings on changed lines (and
/// component/repository findings of components with a changed file); score, verdict,
/// sections and components still describe the whole repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffInfo {
    /// The revision as given.
    pub rev: String,
    /// The commit the change is measured from (merge base of `rev` and `HEAD`).
    pub base: String,
    /// Files changed (added or modified lines, or untracked).
    pub changed_files: u32,
    /// Findings outside the change (hidden from `findings`).
    pub hidden: u32,
}

impl Report {
    pub const SCHEMA_VERSION: &'static str = "1";

    /// Findings at or above a severity.
    pub fn count_at_or_above(&self, sev: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity <= sev).count()
    }

    pub fn count_by_severity(&self) -> [usize; 4] {
        let mut out = [0; 4];
        for f in &self.findings {
            out[f.severity as usize] += 1;
        }
        out
    }
}

/// Sort key of the contract: severity, then path, then line (then column and rule, so the
/// order is total and output is deterministic).
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| a.path.cmp(&b.path))
            .then_with(|| a.line.unwrap_or(0).cmp(&b.line.unwrap_or(0)))
            .then_with(|| a.column.unwrap_or(0).cmp(&b.column.unwrap_or(0)))
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_orders_p0_first_and_lowers() {
        assert!(Severity::P0 < Severity::P3);
        assert_eq!(Severity::P0.lowered(), Severity::P1);
        assert_eq!(Severity::P3.lowered(), Severity::P3);
        assert_eq!(Severity::parse(" p2 "), Some(Severity::P2));
        assert_eq!(Severity::parse("P9"), None);
    }

    #[test]
    fn verdict_serializes_in_the_documents_words() {
        let s = serde_json::to_string(&Verdict::ProductionReadyWithFixes).unwrap();
        assert_eq!(s, "\"Production-ready with fixes\"");
    }
}
