//! The evidence sent to the model: a compact JSON view of the deterministic report and
//! bounded code excerpts around the most severe findings, within a token budget that
//! drops the least severe material first (and says what it dropped).
//!
//! Tokens are estimated as bytes / 4, which is close for English and code.

use std::collections::BTreeMap;
use std::path::Path;

use pagerproof_core::{Finding, Report, Severity};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::redact::Redactor;
use crate::tools;

/// Lines of context on each side of an excerpt's line.
pub const EXCERPT_CONTEXT: u32 = 6;
/// At most this many excerpts.
pub const MAX_EXCERPTS: usize = 12;

/// What went into the request (in the report's `narrative.evidence`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EvidenceStats {
    pub findings_total: usize,
    pub findings_sent: usize,
    pub excerpts: usize,
    /// Estimated tokens of the evidence message.
    pub approx_tokens: usize,
    pub budget_tokens: usize,
    /// Findings left out by the budget, per severity (`{"P3": 40}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub omitted: BTreeMap<String, usize>,
}

pub struct Evidence {
    /// The user message (evidence JSON + excerpts), already redacted.
    pub text: String,
    pub stats: EvidenceStats,
}

pub fn approx_tokens(s: &str) -> usize {
    s.len().div_ceil(4)
}

fn finding_json(f: &Finding) -> Value {
    let mut v = json!({
        "fingerprint": f.fingerprint,
        "severity": f.severity,
        "rule": f.rule,
        "category": f.category,
        "confidence": f.confidence,
        "path": f.path,
        "line": f.line,
        "component": f.component,
        "message": f.message,
    });
    if f.context != "production" {
        v["context"] = json!(f.context);
    }
    if !f.related.is_empty() {
        v["related"] = f
            .related
            .iter()
            .take(5)
            .map(|e| json!(loc(&e.path, e.line)))
            .collect();
    }
    v
}

fn loc(path: &str, line: Option<u32>) -> String {
    match line {
        Some(l) => format!("{path}:{l}"),
        None => path.to_string(),
    }
}

fn summary_json(r: &Report, root_name: &str) -> Value {
    let components: Vec<Value> = r
        .components
        .iter()
        .map(|c| {
            let mut present = Vec::new();
            let mut missing = Vec::new();
            for (k, f) in &c.facts {
                match f.present {
                    Some(true) => present.push(json!({
                        "fact": k,
                        "evidence": f.evidence.iter().take(2).map(|e| loc(&e.path, e.line)).collect::<Vec<_>>(),
                    })),
                    Some(false) => missing.push(json!(k)),
                    None => {}
                }
            }
            json!({"name": c.name, "path": c.path, "kind": c.kind, "languages": c.languages,
                   "score": c.score, "present": present, "missing": missing})
        })
        .collect();
    let repository: BTreeMap<&str, Value> = r
        .repository
        .iter()
        .map(|(k, f)| {
            (
                k.as_str(),
                json!({"present": f.present,
                       "evidence": f.evidence.iter().take(2).map(|e| loc(&e.path, e.line)).collect::<Vec<_>>()}),
            )
        })
        .collect();
    let counts = r.count_by_severity();
    json!({
        "repository": root_name,
        "verdict": r.verdict,
        "verdict_reason": r.verdict_reason,
        "score": r.score,
        "counts": {"P0": counts[0], "P1": counts[1], "P2": counts[2], "P3": counts[3]},
        "components": components,
        "repository_facts": repository,
        "sections": r.sections.iter().map(|s| json!({"number": s.number, "title": s.title, "status": s.status, "findings": s.findings})).collect::<Vec<_>>(),
        "not_analyzed": r.not_analyzed.iter().take(20).map(|n| format!("{}: {}", n.path, n.what)).collect::<Vec<_>>(),
    })
}

/// A code excerpt around a finding, numbered, redacted; `None` when the file cannot be read.
fn excerpt(root: &Path, f: &Finding, redactor: &Redactor) -> Option<String> {
    let line = f.line?;
    let path = tools::resolve(root, &f.path).ok()?;
    let raw = tools::read_text(&path, 4 * 1024 * 1024).ok()??;
    // Redact the whole file first: line-preserving, and no secret is cut past recognition.
    let text = redactor.redact(&raw);
    let lines: Vec<&str> = text.lines().collect();
    let first = line.saturating_sub(EXCERPT_CONTEXT).max(1) as usize;
    let last = ((line + EXCERPT_CONTEXT) as usize).min(lines.len());
    if first > last {
        return None;
    }
    let mut s = format!(
        "### {}:{} ({} {}, [F:{}])\n```\n",
        f.path, line, f.severity, f.rule, f.fingerprint
    );
    for (i, l) in lines.iter().enumerate().take(last).skip(first - 1) {
        let mark = if i + 1 == line as usize { ">" } else { " " };
        let l: String = l.chars().take(240).collect();
        s.push_str(&format!("{:>5}{mark}| {l}\n", i + 1));
    }
    s.push_str("```\n");
    Some(s)
}

/// Builds the evidence message within `budget_tokens`.
pub fn build(r: &Report, root: &Path, budget_tokens: usize, redactor: &Redactor) -> Evidence {
    let root_name = Path::new(&r.root)
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| {
            Path::new(&r.root)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "repository".into());
    let summary = summary_json(r, &root_name);
    let mut findings: Vec<&Finding> = r.findings.iter().collect();
    findings.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| a.path.cmp(&b.path))
            .then_with(|| a.line.cmp(&b.line))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
    // Excerpts for the most severe findings with a line, one per file and line window.
    let mut excerpts: Vec<(Severity, String)> = Vec::new();
    let mut seen: Vec<(String, u32)> = Vec::new();
    for f in &findings {
        if excerpts.len() >= MAX_EXCERPTS {
            break;
        }
        let Some(l) = f.line else { continue };
        if seen
            .iter()
            .any(|(p, sl)| *p == f.path && sl.abs_diff(l) <= EXCERPT_CONTEXT)
        {
            continue;
        }
        if let Some(e) = excerpt(root, f, redactor) {
            seen.push((f.path.clone(), l));
            excerpts.push((f.severity, e));
        }
    }
    let mut n_findings = findings.len();
    let mut n_excerpts = excerpts.len();
    loop {
        let text = assemble(
            &summary,
            &findings[..n_findings],
            &excerpts[..n_excerpts],
            findings.len(),
            redactor,
        );
        let tokens = approx_tokens(&text);
        if tokens <= budget_tokens || (n_findings == 0 && n_excerpts == 0) {
            let mut omitted = BTreeMap::new();
            for f in &findings[n_findings..] {
                *omitted.entry(f.severity.as_str().to_string()).or_insert(0) += 1;
            }
            return Evidence {
                text,
                stats: EvidenceStats {
                    findings_total: findings.len(),
                    findings_sent: n_findings,
                    excerpts: n_excerpts,
                    approx_tokens: tokens,
                    budget_tokens,
                    omitted,
                },
            };
        }
        // Drop the least severe thing: an excerpt when its severity is no higher than
        // the last finding's, else the last finding.
        let last_f = n_findings.checked_sub(1).map(|i| findings[i].severity);
        let last_e = n_excerpts.checked_sub(1).map(|i| excerpts[i].0);
        match (last_f, last_e) {
            (Some(fs), Some(es)) if es >= fs => n_excerpts -= 1,
            (Some(_), _) => {
                // Drop findings in chunks for speed on large reports.
                let step = (n_findings / 20).max(1);
                n_findings -= step;
            }
            (None, _) => n_excerpts = n_excerpts.saturating_sub(1),
        }
    }
}

fn assemble(
    summary: &Value,
    findings: &[&Finding],
    excerpts: &[(Severity, String)],
    total: usize,
    redactor: &Redactor,
) -> String {
    let mut s = String::from(
        "Evidence: the deterministic pagerproof review of this repository, then code excerpts \
around the most severe findings. Secrets in it are redacted.\n\n## Summary\n\n```json\n",
    );
    s.push_str(&serde_json::to_string(summary).unwrap_or_default());
    s.push_str(&format!(
        "\n```\n\n## Findings ({} of {total}, most severe first, one JSON object per line)\n\n```jsonl\n",
        findings.len()
    ));
    for f in findings {
        s.push_str(&finding_json(f).to_string());
        s.push('\n');
    }
    s.push_str("```\n");
    if findings.len() < total {
        s.push_str(&format!(
            "\n{} of {total} findings (the least severe) were left out to fit the budget; the summary's \
`counts` include them.\n",
            total - findings.len()
        ));
    }
    if !excerpts.is_empty() {
        s.push_str("\n## Code excerpts (`>` marks the finding's line)\n\n");
        for (_, e) in excerpts {
            s.push_str(e);
            s.push('\n');
        }
    }
    redactor.redact(&s).into_owned()
}
