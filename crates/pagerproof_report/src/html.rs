//! `--format html`: one self-contained page. Verdict and score, a bar chart per component
//! and per section (inline SVG), a findings table filterable by severity, category,
//! component and text (vanilla inline JavaScript), with code excerpts and the risk text
//! of each finding, plus suppressions and deductions.
//!
//! The page makes no network request: no external script, style, font or image, and a
//! Content-Security-Policy that forbids them. Every value from the repository goes
//! through minijinja's HTML auto-escaping (the template is named `*.html`), never `|safe`,
//! and none is placed inside the `<script>`; the script reads rows' `data-` attributes.

use minijinja::Environment;
use minijinja::value::{Serde, Value};
use pagerproof_core::{Report, Severity, Verdict};
use serde::Serialize;

use crate::Options;
use crate::common::{self, segments};

const TEMPLATE: &str = include_str!("templates/report.html");

/// Height of one bar of a chart, in SVG units.
const BAR: f64 = 22.0;

#[derive(Serialize)]
struct View {
    title: String,
    verdict: String,
    verdict_class: &'static str,
    verdict_reason: String,
    score: String,
    score_class: &'static str,
    counts: [usize; 4],
    scope_note: Option<String>,
    components: Vec<Bar>,
    components_height: f64,
    sections: Vec<Bar>,
    sections_height: f64,
    findings: Vec<Row>,
    categories: Vec<String>,
    component_paths: Vec<String>,
    suppressed: Vec<SuppressedRow>,
    rejected: Vec<SuppressedRow>,
    not_analyzed: Vec<(String, String)>,
    deductions: Vec<String>,
    /// The `--llm` narrative as its Markdown text (shown as text, escaped).
    narrative: Option<String>,
    version: String,
    files: u64,
    rules: usize,
    skipped: usize,
}

#[derive(Serialize)]
struct Bar {
    label: String,
    short: String,
    detail: String,
    score: String,
    width: f64,
    y: f64,
    text_y: f64,
    class: &'static str,
}

#[derive(Serialize)]
struct Row {
    id: usize,
    severity: &'static str,
    category: String,
    rule: String,
    location: String,
    component: String,
    message: Vec<(String, bool)>,
    context: String,
    confidence: &'static str,
    snippet: Vec<Line>,
    scenario: String,
    impact: String,
    detection: String,
    mitigation: String,
    monitoring: String,
    fix_language: String,
    fix: String,
}

#[derive(Serialize)]
struct Line {
    number: u32,
    text: String,
    hit: bool,
}

#[derive(Serialize)]
struct SuppressedRow {
    severity: String,
    location: String,
    rule: String,
    reason: String,
}

fn score_class(score: f64) -> &'static str {
    if score >= 8.0 {
        "good"
    } else if score >= 5.0 {
        "fair"
    } else {
        "poor"
    }
}

/// Bars of a chart: (label, detail, score, not applicable).
fn bars(items: impl Iterator<Item = (String, String, f64, bool)>) -> (Vec<Bar>, f64) {
    let mut out = Vec::new();
    for (i, (label, detail, score, na)) in items.enumerate() {
        let y = i as f64 * BAR;
        let short = if label.chars().count() > 32 {
            let mut t: String = label.chars().take(31).collect();
            t.push('…');
            t
        } else {
            label.clone()
        };
        out.push(Bar {
            short,
            label,
            detail,
            score: if na {
                "n/a".to_string()
            } else {
                format!("{score:.1}")
            },
            width: if na {
                0.0
            } else {
                (score.clamp(0.0, 10.0) * 30.0).max(1.0)
            },
            y: y + 4.0,
            text_y: y + 16.0,
            class: if na { "na" } else { score_class(score) },
        });
    }
    let h = (out.len() as f64 * BAR).max(BAR);
    (out, h)
}

fn view(r: &Report) -> View {
    let (components, components_height) = bars(r.components.iter().map(|c| {
        let n = r.findings.iter().filter(|f| f.component == c.path).count();
        (
            c.path.clone(),
            format!("{} · {} finding(s)", c.kind, n),
            c.score,
            false,
        )
    }));
    let (sections, sections_height) = bars(r.sections.iter().map(|s| {
        (
            format!("{}. {}", s.number, s.title),
            format!("{} · {}", s.status.replace('_', " "), s.reason),
            s.score,
            s.status == "not_applicable",
        )
    }));
    let findings: Vec<Row> = r
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let snippet = f
                .snippet
                .as_ref()
                .map(|s| {
                    s.text
                        .lines()
                        .enumerate()
                        .map(|(k, t)| {
                            let n = s.start_line + k as u32;
                            Line {
                                number: n,
                                text: t.to_string(),
                                hit: f
                                    .line
                                    .is_some_and(|l| n >= l && n <= f.end_line.unwrap_or(l).max(l)),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            Row {
                id: i + 1,
                severity: f.severity.as_str(),
                category: f.category.clone(),
                rule: f.rule.clone(),
                location: common::location(&f.path, f.line),
                component: f.component.clone(),
                message: segments(&f.message),
                context: f.context.clone(),
                confidence: f.confidence.as_str(),
                snippet,
                scenario: f.scenario.clone(),
                impact: f.impact.clone(),
                detection: f.detection.clone(),
                mitigation: f.mitigation.clone(),
                monitoring: f.monitoring.clone(),
                fix_language: f
                    .fix
                    .as_ref()
                    .map(|x| x.language.clone())
                    .unwrap_or_default(),
                fix: f.fix.as_ref().map(|x| x.code.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let mut categories: Vec<String> = r.findings.iter().map(|f| f.category.clone()).collect();
    categories.sort();
    categories.dedup();
    let mut component_paths: Vec<String> = r.findings.iter().map(|f| f.component.clone()).collect();
    component_paths.sort();
    component_paths.dedup();
    View {
        title: r.root.clone(),
        verdict: r.verdict.as_str().to_string(),
        verdict_class: match r.verdict {
            Verdict::ProductionReady => "good",
            Verdict::ProductionReadyWithFixes => "fair",
            Verdict::NotProductionReady => "poor",
        },
        verdict_reason: r.verdict_reason.clone(),
        score: format!("{:.1}", r.score),
        score_class: score_class(r.score),
        counts: r.count_by_severity(),
        scope_note: common::scope_note(r).map(|s| s.replace('`', "")),
        components,
        components_height,
        sections,
        sections_height,
        findings,
        categories,
        component_paths,
        suppressed: r
            .suppressed
            .iter()
            .map(|s| SuppressedRow {
                severity: s.severity.as_str().to_string(),
                location: common::location(&s.path, s.line),
                rule: s.rule.clone(),
                reason: s.reason.clone(),
            })
            .collect(),
        rejected: r
            .rejected_suppressions
            .iter()
            .map(|s| SuppressedRow {
                severity: String::new(),
                location: common::location(&s.path, Some(s.line)),
                rule: s.rules.join(", "),
                reason: s.problem.clone(),
            })
            .collect(),
        not_analyzed: r
            .not_analyzed
            .iter()
            .map(|n| (n.path.clone(), n.what.clone()))
            .collect(),
        deductions: common::deduction_lines(&r.deductions),
        narrative: pagerproof_core::narrative::markdown(r).map(str::to_string),
        version: r.tool.version.clone(),
        files: r.stats.files,
        rules: r.rules_run.len(),
        skipped: r.skipped.len(),
    }
}

pub fn render(r: &Report, _opts: &Options) -> String {
    let mut env = Environment::new();
    if let Err(e) = env.add_template("report.html", TEMPLATE) {
        return error_page(&e.to_string());
    }
    let ctx = Value::from(Serde(view(r)));
    let severities: Vec<&str> = Severity::ALL.iter().map(|s| s.as_str()).collect();
    match env
        .get_template("report.html")
        .and_then(|t| t.render(minijinja::context! { v => ctx, severities => severities }))
    {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        Err(e) => error_page(&e.to_string()),
    }
}

fn error_page(e: &str) -> String {
    let esc = e
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!doctype html><meta charset=\"utf-8\"><title>pagerproof</title><p>report could not be rendered: {esc}</p>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_compiles() {
        let mut env = Environment::new();
        assert!(env.add_template("report.html", TEMPLATE).is_ok());
    }
}
