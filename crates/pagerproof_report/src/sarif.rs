//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other viewers, written with
//! hand-made serde structs (the ~15 types GitHub reads; see STACK.md).
//!
//! - `tool.driver.rules[]`: every rule that ran (and any rule a result names), with its
//!   documentation as `help` (text and Markdown), level from severity, precision from
//!   confidence, `security-severity` for security categories.
//! - one `result` per finding: level P0/P1 → `error`, P2 → `warning`, P3 → `note`;
//!   `partialFingerprints.primaryLocationLineHash` is pagerproof's fingerprint, which does
//!   not depend on line numbers, so code scanning keeps an alert's identity across edits.
//! - a finding with a line is located at `path` with a region (line, columns, snippet);
//!   a component or repository finding (line null) at the component's marker file
//!   (its Dockerfile or build manifest) when known, else the folder, with no region.
//! - suppressed findings are results with `suppressions[]` (kind `inSource`, the reason
//!   as justification); suppressions that were not honoured are tool configuration
//!   notifications of the invocation.
//!
//! The output validates against the official 2.1.0 schema (`schema/sarif-schema-2.1.0.json`)
//! in the binary's tests.

use std::collections::BTreeMap;

use pagerproof_core::{Confidence, Finding, Report, Severity};
use serde::Serialize;

use crate::common::{self, is_security};
use crate::{Options, RuleInfo};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'a str,
    version: &'a str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
    column_kind: &'static str,
    properties: BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: String,
    version: String,
    semantic_version: String,
    information_uri: String,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: DescriptorProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties {
    tags: Vec<String>,
    precision: &'static str,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context_region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text>,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
    location: Location,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_configuration_notifications: Vec<Notification>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
    descriptor: DescriptorRef,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

#[derive(Serialize)]
struct DescriptorRef {
    id: &'static str,
}

pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::P0 | Severity::P1 => "error",
        Severity::P2 => "warning",
        Severity::P3 => "note",
    }
}

fn problem_severity(s: Severity) -> &'static str {
    match s {
        Severity::P0 | Severity::P1 => "error",
        Severity::P2 => "warning",
        Severity::P3 => "recommendation",
    }
}

fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::P0 => "9.0",
        Severity::P1 => "7.5",
        Severity::P2 => "5.0",
        Severity::P3 => "2.0",
    }
}

fn precision(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

/// `http-client-without-timeout` → `HttpClientWithoutTimeout`.
fn pascal(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .map(common::capitalise)
        .collect()
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

fn non_empty(s: &str, fallback: &str) -> String {
    let t = s.trim();
    if t.is_empty() {
        fallback.to_string()
    } else {
        t.to_string()
    }
}

fn descriptor(info: &RuleInfo) -> Descriptor {
    let sev = info.severity.unwrap_or(Severity::P2);
    let summary = non_empty(&info.summary, &info.id);
    let what = non_empty(&info.what, &summary);
    let mut text = format!("{what}\n");
    let mut md = format!("{what}\n");
    for (name, body) in [
        ("Scenario", &info.scenario),
        ("Impact", &info.impact),
        ("Detection", &info.detection),
        ("Mitigation", &info.mitigation),
    ] {
        if !body.trim().is_empty() {
            text.push_str(&format!("\n{name}: {}\n", body.trim()));
            md.push_str(&format!("\n## {name}\n\n{}\n", body.trim()));
        }
    }
    for fix in &info.fixes {
        md.push('\n');
        md.push_str(&common::code_block(&fix.language, &fix.code));
    }
    if !info.monitoring.trim().is_empty() {
        text.push_str(&format!("\nMonitoring: {}\n", info.monitoring.trim()));
        md.push_str(&format!("\n## Monitoring\n\n{}\n", info.monitoring.trim()));
    }
    let mut tags = vec![
        "production-readiness".to_string(),
        info.category.to_ascii_lowercase(),
    ];
    if is_security(&info.category) {
        tags.push("security".to_string());
    } else {
        tags.push("reliability".to_string());
    }
    if let Some(sec) = common::scope_of(&info.category) {
        tags.push(
            match sec {
                pagerproof_core::taxonomy::Scope::CallSite => "call-site",
                pagerproof_core::taxonomy::Scope::Component => "component",
                pagerproof_core::taxonomy::Scope::Manifest => "manifest",
                pagerproof_core::taxonomy::Scope::Repository => "repository",
            }
            .to_string(),
        );
    }
    Descriptor {
        id: info.id.clone(),
        name: pascal(&info.id),
        short_description: Text {
            text: clip(&summary, 1024),
        },
        full_description: Text {
            text: clip(&what, 1024),
        },
        help: Help { text, markdown: md },
        default_configuration: Configuration { level: level(sev) },
        properties: DescriptorProperties {
            tags,
            precision: precision(info.confidence.unwrap_or(Confidence::Medium)),
            problem_severity: problem_severity(sev),
            security_severity: is_security(&info.category)
                .then(|| security_severity(sev).to_string()),
        },
    }
}

/// Rule documentation for a rule the options do not describe, from a finding's texts.
fn info_from_finding(f: &Finding) -> RuleInfo {
    RuleInfo {
        id: f.rule.clone(),
        category: f.category.clone(),
        severity: Some(f.severity),
        confidence: Some(f.confidence),
        summary: pagerproof_core::taxonomy::category(&f.category)
            .map(|c| common::capitalise(c.summary))
            .unwrap_or_else(|| f.rule.clone()),
        what: String::new(),
        scenario: f.scenario.clone(),
        impact: f.impact.clone(),
        detection: f.detection.clone(),
        mitigation: f.mitigation.clone(),
        monitoring: f.monitoring.clone(),
        fixes: f.fix.iter().cloned().collect(),
        languages: Vec::new(),
        preview: false,
    }
}

/// Where a component or repository finding (line null) points: its component's marker
/// file (Dockerfile first), else the README the repository facts found, else the folder.
fn anchor(report: &Report, path: &str) -> String {
    if let Some(c) = report.components.iter().find(|c| c.path == path) {
        let mut markers: Vec<&String> = c
            .markers
            .iter()
            .filter(|m| *m != "pagerproof.toml")
            .collect();
        markers.sort_by_key(|m| !m.to_ascii_lowercase().starts_with("dockerfile"));
        if let Some(m) = markers.first() {
            return if path == "." {
                m.to_string()
            } else {
                format!("{path}/{m}")
            };
        }
    }
    if path == "."
        && let Some(e) = report
            .repository
            .get("README")
            .and_then(|f| f.evidence.first())
    {
        return e.path.clone();
    }
    if path == "." {
        ".".to_string()
    } else {
        format!("{}/", path.trim_end_matches('/'))
    }
}

fn uri(opts: &Options, path: &str) -> String {
    let p = format!("{}{}", opts.path_prefix, path);
    if p == "." {
        return "./".to_string();
    }
    common::url_path(p.trim_start_matches("./"))
}

fn region_of(f: &Finding) -> (Option<Region>, Option<Region>) {
    let Some(line) = f.line else {
        return (None, None);
    };
    let end_line = f.end_line.filter(|e| *e > line).unwrap_or(line);
    let snippet = f.snippet.as_ref();
    let lines: Vec<&str> = snippet
        .map(|s| s.text.lines().collect())
        .unwrap_or_default();
    let start = snippet.map(|s| s.start_line).unwrap_or(line);
    let text_of = |a: u32, b: u32| -> Option<String> {
        if lines.is_empty() || a < start {
            return None;
        }
        let from = (a - start) as usize;
        let to = ((b - start) as usize).min(lines.len().saturating_sub(1));
        if from > to || from >= lines.len() {
            return None;
        }
        Some(lines[from..=to].join("\n") + "\n")
    };
    let col = f.column.filter(|c| *c >= 1);
    let end_col = match f.end_column {
        Some(e) if end_line > line || col.is_none_or(|c| e > c) => Some(e),
        _ => {
            text_of(end_line, end_line).map(|t| t.trim_end_matches('\n').chars().count() as u32 + 1)
        }
    };
    let region = Region {
        start_line: line,
        start_column: col,
        end_line: Some(end_line),
        end_column: end_col.filter(|e| end_line > line || col.is_none_or(|c| *e > c)),
        snippet: text_of(line, end_line).map(|text| Text { text }),
    };
    let last = (start + lines.len() as u32).saturating_sub(1);
    let context = (!lines.is_empty() && (start < line || last > end_line)).then(|| Region {
        start_line: start.min(line),
        start_column: None,
        end_line: Some(last.max(end_line)),
        end_column: None,
        snippet: Some(Text {
            text: lines.join("\n") + "\n",
        }),
    });
    (Some(region), context)
}

fn location(report: &Report, opts: &Options, f: &Finding) -> Location {
    let (region, context_region) = region_of(f);
    let path = if f.line.is_some() {
        f.path.clone()
    } else {
        anchor(report, &f.path)
    };
    Location {
        id: None,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri(opts, &path),
                uri_base_id: "%SRCROOT%",
            },
            region,
            context_region,
        },
        message: None,
    }
}

fn simple_location(opts: &Options, path: &str, line: Option<u32>, note: &str) -> Location {
    Location {
        id: None,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri(opts, path),
                uri_base_id: "%SRCROOT%",
            },
            region: line.map(|l| Region {
                start_line: l,
                start_column: None,
                end_line: None,
                end_column: None,
                snippet: None,
            }),
            context_region: None,
        },
        message: (!note.is_empty()).then(|| Text {
            text: note.to_string(),
        }),
    }
}

pub fn render(report: &Report, opts: &Options) -> String {
    // Rules: those that ran (documented by the caller), then any other a result names.
    let mut infos: Vec<RuleInfo> = Vec::new();
    for id in &report.rules_run {
        if let Some(i) = opts.rule(id) {
            infos.push(i.clone());
        }
    }
    for f in &report.findings {
        if !infos.iter().any(|i| i.id == f.rule) {
            infos.push(
                opts.rule(&f.rule)
                    .cloned()
                    .unwrap_or_else(|| info_from_finding(f)),
            );
        }
    }
    for s in &report.suppressed {
        if !infos.iter().any(|i| i.id == s.rule) {
            infos.push(opts.rule(&s.rule).cloned().unwrap_or_else(|| RuleInfo {
                id: s.rule.clone(),
                category: s.category.clone(),
                severity: Some(s.severity),
                summary: s.rule.clone(),
                ..RuleInfo::default()
            }));
        }
    }
    infos.sort_by(|a, b| a.id.cmp(&b.id));
    infos.dedup_by(|a, b| a.id == b.id);
    let index: BTreeMap<&str, usize> = infos
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();

    let mut results = Vec::new();
    for f in &report.findings {
        let mut fp = BTreeMap::new();
        fp.insert("primaryLocationLineHash", f.fingerprint.clone());
        fp.insert("pagerproof/v1", f.fingerprint.clone());
        let mut props = BTreeMap::new();
        props.insert("severity", f.severity.as_str().to_string());
        props.insert("category", f.category.clone());
        props.insert("confidence", f.confidence.as_str().to_string());
        props.insert("component", f.component.clone());
        if f.context != "production" {
            props.insert("context", f.context.clone());
        }
        results.push(SarifResult {
            rule_id: f.rule.clone(),
            rule_index: index.get(f.rule.as_str()).copied().unwrap_or(0),
            level: level(f.severity),
            message: Text {
                text: non_empty(&f.message, &f.rule),
            },
            locations: vec![location(report, opts, f)],
            partial_fingerprints: fp,
            related_locations: f
                .related
                .iter()
                .take(10)
                .enumerate()
                .map(|(i, e)| {
                    let mut l = simple_location(opts, &e.path, e.line, &e.note);
                    l.id = Some(i + 1);
                    l
                })
                .collect(),
            suppressions: Vec::new(),
            properties: props,
        });
    }
    for s in &report.suppressed {
        let mut fp = BTreeMap::new();
        fp.insert("primaryLocationLineHash", s.fingerprint.clone());
        fp.insert("pagerproof/v1", s.fingerprint.clone());
        let mut props = BTreeMap::new();
        props.insert("severity", s.severity.as_str().to_string());
        props.insert("category", s.category.clone());
        results.push(SarifResult {
            rule_id: s.rule.clone(),
            rule_index: index.get(s.rule.as_str()).copied().unwrap_or(0),
            level: level(s.severity),
            message: Text {
                text: format!("{} (suppressed inline: {})", s.rule, s.reason),
            },
            locations: vec![simple_location(opts, &s.path, s.line, "")],
            partial_fingerprints: fp,
            related_locations: Vec::new(),
            suppressions: vec![Suppression {
                kind: "inSource",
                status: "accepted",
                justification: s.reason.clone(),
                location: simple_location(opts, &s.at.path, s.at.line, "pagerproof: ignore"),
            }],
            properties: props,
        });
    }
    let notifications = report
        .rejected_suppressions
        .iter()
        .map(|s| Notification {
            descriptor: DescriptorRef {
                id: "suppression-not-honoured",
            },
            level: "warning",
            message: Text {
                text: format!("ignore[{}] not honoured: {}", s.rules.join(", "), s.problem),
            },
            locations: vec![simple_location(opts, &s.path, Some(s.line), "")],
        })
        .collect();

    let mut properties = BTreeMap::new();
    properties.insert(
        "verdict".to_string(),
        serde_json::Value::String(report.verdict.as_str().to_string()),
    );
    properties.insert("score".to_string(), serde_json::json!(report.score));
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: report.tool.name.clone(),
                    version: report.tool.version.clone(),
                    semantic_version: report.tool.version.clone(),
                    information_uri: "https://github.com/pagerproof/pagerproof".to_string(),
                    rules: infos.iter().map(descriptor).collect(),
                },
            },
            invocations: vec![Invocation {
                execution_successful: true,
                tool_configuration_notifications: notifications,
            }],
            results,
            column_kind: "unicodeCodePoints",
            properties,
        }],
    };
    let mut s =
        serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_levels() {
        assert_eq!(
            pascal("http-client-without-timeout"),
            "HttpClientWithoutTimeout"
        );
        assert_eq!(level(Severity::P1), "error");
        assert_eq!(level(Severity::P3), "note");
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
