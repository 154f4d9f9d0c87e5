//! The review pipeline: list the files, analyse each one in parallel (code through the
//! engine, everything else through the manifest readers), then aggregate: components,
//! facts, cross-checks, repository artifacts, fingerprints, suppressions and the score.
//!
//! A file that cannot be read, decoded or parsed, or that a rule panics on, becomes a
//! `skipped` entry; nothing in one file can abort the review. Output is sorted before it
//! leaves here, so a review is byte-identical across runs and thread counts.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use pagerproof_core::config::Settings;
use pagerproof_core::fingerprint::fingerprint;
use pagerproof_core::redact::redact_all;
use pagerproof_core::{Evidence, Finding, Fix, Report, Skipped, Snippet, Stats, Tool};
use rayon::prelude::*;

use crate::engine::{Engine, panic_message};
use crate::files::{self, FileKind, Role};
use crate::fs::Source;
use crate::manifests::{self, Artifact};
use crate::registry;
use crate::rule::{Handling, Hit, Requirement, RuleMeta};
use crate::signals::Signal;
use crate::suppress::{self, InlineSuppression};
use crate::timings::{self, Phase};

/// Everything one file contributed.
#[derive(Debug, Default)]
pub struct FileResult {
    pub path: String,
    pub kind: Option<FileKind>,
    pub role: Option<Role>,
    pub bytes: u64,
    pub lines: u64,
    pub findings: Vec<Pending>,
    pub signals: Vec<Signal>,
    pub artifacts: Vec<Artifact>,
    pub suppressions: Vec<InlineSuppression>,
    pub parsed: bool,
    pub parse_error: bool,
    pub skipped: Option<String>,
}

/// What the per-file analysis of one file produced: hits, signals, artifacts, whether it
/// was parsed, and whether the parse had errors.
type FileOutcome = (Vec<Hit>, Vec<Signal>, Vec<Artifact>, bool, bool);

/// A finding before aggregation: component, fingerprint and deferred conditions pending.
#[derive(Debug, Clone)]
pub struct Pending {
    pub finding: Finding,
    pub site_text: String,
    pub requires: Option<Requirement>,
    pub group: Option<String>,
}

/// Reviews a repository.
pub fn review(source: &dyn Source, settings: &Settings) -> Report {
    let start = Instant::now();
    let listing = {
        let _t = timings::span(Phase::List);
        source.list()
    };
    let engine = Engine::new(
        registry::code_rules()
            .into_iter()
            .filter(|r| enabled(settings, r.meta()))
            .collect(),
        registry::extractors(),
    );
    let budget = Duration::from_millis(settings.file_budget_ms.max(1));

    let mut skipped = listing.skipped;
    let mut work = Vec::new();
    for e in listing.entries {
        if settings.is_excluded(&e.path) {
            continue;
        }
        let Some(kind) = files::classify(&e.path) else {
            continue;
        };
        if kind.needs_content() && e.size > settings.max_file_size {
            skipped.push(Skipped {
                path: e.path,
                reason: format!(
                    "larger than {} bytes (review.max_file_size)",
                    settings.max_file_size
                ),
            });
            continue;
        }
        work.push((e, kind));
    }

    let analyse = || -> Vec<FileResult> {
        work.par_iter()
            .with_max_len(1)
            .map(|(e, kind)| analyse_file(source, settings, &engine, &e.path, *kind, budget))
            .collect()
    };
    let results = if settings.threads > 0 {
        match rayon::ThreadPoolBuilder::new()
            .num_threads(settings.threads)
            .build()
        {
            Ok(pool) => pool.install(analyse),
            Err(_) => analyse(),
        }
    } else {
        analyse()
    };

    let aggregate_span = timings::span(Phase::Aggregate);
    let mut report =
        crate::aggregate::aggregate(source.root_display(), results, settings, &mut skipped);
    drop(aggregate_span);
    skipped.sort();
    skipped.dedup();
    report.stats.skipped = skipped.len() as u64;
    report.skipped = skipped;
    report.stats.elapsed_ms = start.elapsed().as_millis() as u64;
    report
}

pub fn enabled(settings: &Settings, m: &RuleMeta) -> bool {
    settings.rule_enabled(m.id, m.category, m.preview)
}

/// The tool block of every report.
pub fn tool() -> Tool {
    Tool {
        name: "pagerproof".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

fn analyse_file(
    source: &dyn Source,
    settings: &Settings,
    engine: &Engine,
    path: &str,
    kind: FileKind,
    budget: Duration,
) -> FileResult {
    let mut out = FileResult {
        path: path.to_string(),
        kind: Some(kind),
        ..FileResult::default()
    };
    let role = files::role_of(path);
    out.role = Some(role);
    if !kind.needs_content() {
        return out;
    }
    let read_span = timings::span(Phase::Read);
    let read = source.read(path, settings.max_file_size.saturating_add(1));
    drop(read_span);
    let prepare_span = timings::span(Phase::Prepare);
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            out.skipped = Some(format!("cannot read: {e}"));
            return out;
        }
    };
    if bytes.len() as u64 > settings.max_file_size {
        out.skipped = Some(format!(
            "larger than {} bytes (review.max_file_size)",
            settings.max_file_size
        ));
        return out;
    }
    out.bytes = bytes.len() as u64;
    if let Some(reason) = files::content_skip_reason(path, kind, &bytes) {
        out.skipped = Some(reason);
        return out;
    }
    let text = decode(&bytes);
    out.lines = line_count(&text);
    out.suppressions = suppress::scan(&text);
    drop(prepare_span);

    // Everything below runs rules on untrusted content: a panic skips the file only.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(
        || -> Result<FileOutcome, String> {
            match kind {
                FileKind::Code(lang) => {
                    let o = engine.analyze(path, lang, role, &text, budget)?;
                    Ok((o.hits, o.signals, Vec::new(), true, o.has_error))
                }
                other => {
                    let _t = timings::span(Phase::Manifests);
                    let o = manifests::analyze(path, other, role, &text, settings);
                    if let Some(reason) = o.skipped {
                        return Err(reason);
                    }
                    Ok((o.hits, o.signals, o.artifacts, false, false))
                }
            }
        },
    ));
    let (hits, signals, artifacts, parsed, parse_error) = match run {
        Ok(Ok(x)) => x,
        Ok(Err(reason)) => {
            out.skipped = Some(reason);
            return out;
        }
        Err(p) => {
            out.skipped = Some(format!("internal error: {}", panic_message(&p)));
            return out;
        }
    };
    out.parsed = parsed;
    out.parse_error = parse_error;
    out.signals = signals;
    out.artifacts = artifacts;
    let lang_name = match kind {
        FileKind::Code(l) => l.name(),
        other => other.name(),
    };
    let _finish_span = timings::span(Phase::Finish);
    // Only files with findings need their lines (for snippets).
    let lines: Vec<&str> = if hits.is_empty() {
        Vec::new()
    } else {
        text.lines().collect()
    };
    // Every secret found anywhere in the file is redacted from every excerpt of it: an
    // excerpt's context lines may hold another finding's secret.
    let file_secrets: Vec<String> = hits
        .iter()
        .flat_map(|h| h.secrets.iter().cloned())
        .collect();
    out.findings = hits
        .into_iter()
        .filter(|h| enabled(settings, h.rule))
        .map(|mut h| {
            for s in &file_secrets {
                if !h.secrets.contains(s) {
                    h.secrets.push(s.clone());
                }
            }
            h
        })
        .filter_map(|h| finish_hit(h, path, role, lang_name, &lines, settings))
        .collect();
    out
}

/// The number of lines `str::lines` yields, without splitting the text.
fn line_count(text: &str) -> u64 {
    let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).count() as u64;
    newlines + u64::from(!text.is_empty() && !text.ends_with('\n'))
}

/// Decodes bytes as UTF-8, replacing invalid sequences, without a byte-order mark.
pub fn decode(bytes: &[u8]) -> String {
    let b = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => String::from_utf8_lossy(b).into_owned(),
    }
}

/// Applies the rule's handling outside production, severity overrides, docs, fix example
/// and snippet. `None` when the rule drops findings in this context.
pub fn finish_hit(
    h: Hit,
    path: &str,
    role: Role,
    language: &str,
    lines: &[&str],
    settings: &Settings,
) -> Option<Pending> {
    let m = h.rule;
    let mut severity = h.severity.unwrap_or(m.severity);
    if role != Role::Production {
        match m.outside_production {
            Handling::Drop => return None,
            Handling::Lower => severity = severity.lowered(),
            Handling::Keep => {}
        }
    }
    severity = settings.severity_for(m.id, m.category, severity);
    let snippet = if h.line > 0 {
        snippet(lines, h.line, h.end_line, &h.secrets)
    } else {
        None
    };
    let fix = m.fix_for(language).map(|(l, code)| Fix {
        language: l.to_string(),
        code: code.trim_matches('\n').to_string(),
    });
    let message = redact_all(&h.message, &h.secrets);
    let subject = redact_all(&h.subject, &h.secrets);
    let site = if h.site_text.is_empty() {
        subject.clone()
    } else {
        redact_all(&h.site_text, &h.secrets)
    };
    Some(Pending {
        finding: Finding {
            fingerprint: String::new(),
            rule: m.id.to_string(),
            category: m.category.to_string(),
            severity,
            confidence: h.confidence.unwrap_or(m.confidence),
            path: path.to_string(),
            line: (h.line > 0).then_some(h.line),
            column: (h.line > 0).then_some(h.column.max(1)),
            end_line: (h.line > 0 && h.end_line > h.line).then_some(h.end_line),
            end_column: (h.line > 0).then_some(h.end_column),
            component: String::new(),
            subject,
            message,
            scenario: m.docs.scenario.to_string(),
            impact: m.docs.impact.to_string(),
            detection: m.docs.detection.to_string(),
            mitigation: m.docs.mitigation.to_string(),
            monitoring: m.docs.monitoring.to_string(),
            fix,
            snippet,
            context: role.as_str().to_string(),
            related: h.related,
        },
        site_text: site,
        requires: h.requires,
        group: h.group,
    })
}

/// Up to five lines of the site (one line of context above), secrets redacted.
fn snippet(lines: &[&str], line: u32, end_line: u32, secrets: &[String]) -> Option<Snippet> {
    let first = line.saturating_sub(1).max(1);
    let last = end_line.max(line).min(line + 3);
    let mut text = String::new();
    for n in first..=last {
        let Some(l) = lines.get(n as usize - 1) else {
            break;
        };
        let l: String = l.chars().take(300).collect();
        text.push_str(&l);
        text.push('\n');
    }
    if text.is_empty() {
        return None;
    }
    Some(Snippet {
        start_line: first,
        text: redact_all(&text, secrets),
    })
}

/// Assigns fingerprints: (rule, path, subject, site) plus an occurrence index for
/// identical sites in one file, in line order.
pub fn assign_fingerprints(pending: &mut [Pending]) {
    let mut seen: HashMap<(String, String, String, String), u32> = HashMap::new();
    // Sort key makes occurrence numbering independent of thread scheduling.
    let mut order: Vec<usize> = (0..pending.len()).collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (&pending[a].finding, &pending[b].finding);
        (&fa.path, fa.line, fa.column, &fa.rule).cmp(&(&fb.path, fb.line, fb.column, &fb.rule))
    });
    for i in order {
        let p = &mut pending[i];
        let f = &p.finding;
        let key = (
            f.rule.clone(),
            f.path.clone(),
            f.subject.clone(),
            pagerproof_core::fingerprint::normalise(&p.site_text),
        );
        let n = seen.entry(key).or_insert(0);
        p.finding.fingerprint = fingerprint(&f.rule, &f.path, &f.subject, &p.site_text, *n);
        *n += 1;
    }
}

/// Evidence pointing at a file and line.
pub fn evidence(path: &str, line: Option<u32>, note: impl Into<String>) -> Evidence {
    Evidence {
        path: path.to_string(),
        line,
        note: note.into(),
    }
}

/// Counts per language of parsed code files, for stats.
pub fn language_counts(results: &[FileResult]) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for r in results {
        if let Some(FileKind::Code(l)) = r.kind
            && r.skipped.is_none()
        {
            *m.entry(l.name().to_string()).or_insert(0) += 1;
        }
    }
    m
}

/// Stats over the analysed files.
pub fn stats(results: &[FileResult]) -> Stats {
    Stats {
        files: results.iter().filter(|r| r.skipped.is_none()).count() as u64,
        bytes: results.iter().map(|r| r.bytes).sum(),
        elapsed_ms: 0,
        lines: results.iter().map(|r| r.lines).sum(),
        parsed: results.iter().filter(|r| r.parsed).count() as u64,
        parse_errors: results.iter().filter(|r| r.parse_error).count() as u64,
        skipped: 0,
        languages: language_counts(results),
    }
}

pub fn new_report(root: String) -> Report {
    Report {
        schema_version: Report::SCHEMA_VERSION.to_string(),
        tool: tool(),
        root,
        verdict: pagerproof_core::Verdict::ProductionReady,
        verdict_reason: String::new(),
        score: 10.0,
        components: Vec::new(),
        findings: Vec::new(),
        skipped: Vec::new(),
        stats: Stats::default(),
        repository: BTreeMap::new(),
        sections: Vec::new(),
        suppressed: Vec::new(),
        not_analyzed: Vec::new(),
        deductions: Vec::new(),
        rules_run: Vec::new(),
        narrative: None,
        baseline: None,
    }
}

#[cfg(test)]
mod tests {
    use super::line_count;

    #[test]
    fn line_count_matches_str_lines() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\n\n",
            "a\rb",
            "é\n∂\n\nz",
        ] {
            assert_eq!(line_count(text), text.lines().count() as u64, "{text:?}");
        }
    }
}
