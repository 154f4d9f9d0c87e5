//! Renderers: one module per output format, each a pure function from a
//! [`pagerproof_core::Report`] (and [`Options`]) to text. Nothing here reads files or the
//! network; everything taken from the reviewed repository (paths, messages, code) is
//! escaped for the format it lands in.

pub mod common;
pub mod html;
pub mod json;
pub mod markdown;
pub mod prr;
pub mod sarif;
pub mod sre;
pub mod staff;
pub mod terminal;

use pagerproof_core::{Confidence, Fix, Report, Severity};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Terminal,
    Json,
    /// The production-readiness review (`seeds/production-readiness-review.md`).
    Prr,
    /// The SRE deployment review (`seeds/sre-deployment-review.md`).
    Sre,
    /// The staff engineer's review (`seeds/staff-engineer-review.md`).
    Staff,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// A compact pull-request comment.
    Markdown,
    /// One self-contained HTML page.
    Html,
}

impl Format {
    pub const NAMES: &'static [&'static str] = &[
        "terminal", "json", "prr", "sre", "staff", "sarif", "markdown", "html",
    ];

    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "terminal" | "text" => Format::Terminal,
            "json" => Format::Json,
            "prr" => Format::Prr,
            "sre" => Format::Sre,
            "staff" => Format::Staff,
            "sarif" => Format::Sarif,
            "markdown" | "md" => Format::Markdown,
            "html" => Format::Html,
            _ => return None,
        })
    }

    /// The usual file extension of the format (for generated examples).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Terminal => "txt",
            Format::Json => "json",
            Format::Prr | Format::Sre | Format::Staff | Format::Markdown => "md",
            Format::Sarif => "sarif",
            Format::Html => "html",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Terminal => "terminal",
            Format::Json => "json",
            Format::Prr => "prr",
            Format::Sre => "sre",
            Format::Staff => "staff",
            Format::Sarif => "sarif",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

/// A rule's documentation, handed in by the caller (the binary builds it from the rule
/// registry): renderers that describe rules (SARIF `rules[]`, risk titles) read it here,
/// so this crate does not depend on the analysis crate.
#[derive(Clone, Debug, Default)]
pub struct RuleInfo {
    pub id: String,
    pub category: String,
    pub severity: Option<Severity>,
    pub confidence: Option<Confidence>,
    /// One line.
    pub summary: String,
    pub what: String,
    pub scenario: String,
    pub impact: String,
    pub detection: String,
    pub mitigation: String,
    pub monitoring: String,
    pub fixes: Vec<Fix>,
    pub languages: Vec<String>,
    pub preview: bool,
}

/// Rendering options that are not part of the report.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// ANSI colours (terminal only).
    pub color: bool,
    /// Show code excerpts under findings (terminal).
    pub excerpts: bool,
    /// Documentation of every rule (see [`RuleInfo`]); renderers fall back to what the
    /// findings carry when a rule is missing here.
    pub rules: Vec<RuleInfo>,
    /// Prefix turning a report path into a repository path (`services/api/` when the
    /// review root is that folder of a git repository), for SARIF and links.
    pub path_prefix: String,
    /// Base URL of file links in Markdown (`https://github.com/o/r/blob/SHA/`); without
    /// it, locations are plain `path:line`.
    pub link_base: Option<String>,
}

impl Options {
    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.id == id)
    }
}

pub fn render(report: &Report, format: Format, opts: &Options) -> String {
    match format {
        Format::Terminal => terminal::render(report, opts),
        Format::Json => json::render(report),
        Format::Prr => with_narrative(prr::render(report, opts), report),
        Format::Sre => with_narrative(sre::render(report, opts), report),
        Format::Staff => with_narrative(staff::render(report, opts), report),
        Format::Sarif => sarif::render(report, opts),
        Format::Markdown => with_narrative(markdown::render(report, opts), report),
        Format::Html => html::render(report, opts),
    }
}

/// The Markdown reports end with the `--llm` narrative when there is one (it sits beside
/// the findings, never in place of them).
fn with_narrative(mut text: String, report: &Report) -> String {
    if let Some(md) = pagerproof_core::narrative::markdown(report) {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push('\n');
        text.push_str(md.trim_end());
        text.push('\n');
    }
    text
}
