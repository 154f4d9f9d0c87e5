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
use crate::rules::secret;
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
    /// Size on disk as listed (set for every file, read or not: lock files, models).
    pub size: u64,
    pub lines: u64,
    pub findings: Vec<Pending>,
    pub signals: Vec<Signal>,
    pub artifacts: Vec<Artifact>,
    pub suppressions: Vec<InlineSuppression>,
    pub parsed: bool,
    pub parse_error: bool,
    pub skipped: Option<String>,
    /// Set when the file was analysed but only part of its findings are reported.
    pub limited: Option<String>,
}

/// Most findings reported for one file. Past it a file is degenerate (generated code that
/// slipped through the gates, a planted corpus) and every finding would cost a few KB of
/// memory and output, so the first ones by position are kept and the rest counted.
pub const MAX_FINDINGS_PER_FILE: usize = 1000;

/// What the per-file analysis of one file produced: hits, signals, artifacts, whether it
/// was parsed, whether the parse had errors, and how many hits were dropped past the limit.
type FileOutcome = (Vec<Hit>, Vec<Signal>, Vec<Artifact>, bool, bool, usize);

/// A finding before aggregation: component, fingerprint and deferred conditions pending.
#[derive(Debug, Clone)]
pub struct Pending {
    pub finding: Finding,
    pub site_text: String,
    pub requires: Option<Requirement>,
    pub group: Option<String>,
    pub group_folder: bool,
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
        if has_control(&e.path) {
            // A name that would write terminal escapes or fake lines into every report.
            skipped.push(Skipped {
                path: clean_text(&e.path).into_owned(),
                reason: "file name contains control characters".to_string(),
            });
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
            .map(|(e, kind)| {
                let mut r = analyse_file(source, settings, &engine, &e.path, *kind, budget);
                r.size = e.size;
                r
            })
            .collect()
    };
    // Our own pool, with deep stacks: parsers of nested data recurse, and a stack overflow
    // aborts the process instead of skipping the file (0 threads = one per core).
    let results = match worker_pool(settings.threads) {
        Some(pool) => pool.install(analyse),
        None => analyse(),
    };

    for r in &results {
        if let Some(reason) = &r.limited {
            skipped.push(Skipped {
                path: r.path.clone(),
                reason: reason.clone(),
            });
        }
    }
    let collected = crate::inventory::Collected::new(&results);
    let aggregate_span = timings::span(Phase::Aggregate);
    let mut report =
        crate::aggregate::aggregate(source.root_display(), results, settings, &mut skipped);
    drop(aggregate_span);
    report.inventory = Some(collected.finish(source, settings, &report));
    skipped.sort();
    skipped.dedup();
    report.stats.skipped = skipped.len() as u64;
    report.skipped = skipped;
    let mut report = sanitize_report(report);
    report.stats.elapsed_ms = start.elapsed().as_millis() as u64;
    report
}

/// Stack size of the analysis workers.
const WORKER_STACK: usize = 16 * 1024 * 1024;

/// The worker pool for a thread count, built once per process and reused by later
/// reviews (tests, fuzzing and library callers review many times).
fn worker_pool(threads: usize) -> Option<std::sync::Arc<rayon::ThreadPool>> {
    type Pools = std::sync::Mutex<BTreeMap<usize, std::sync::Arc<rayon::ThreadPool>>>;
    static POOLS: std::sync::OnceLock<Pools> = std::sync::OnceLock::new();
    let mut pools = POOLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(p) = pools.get(&threads) {
        return Some(p.clone());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(WORKER_STACK)
        .thread_name(|i| format!("pagerproof-{i}"))
        .build()
        .ok()?;
    let pool = std::sync::Arc::new(pool);
    pools.insert(threads, pool.clone());
    Some(pool)
}

/// Collapses a message or subject to one line of at most `max` characters: rules quote
/// source text, and hostile source puts newlines and megabytes where a name should be.
fn one_line(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max + 4));
    let mut n = 0;
    for w in s.split(['\n', '\r']) {
        if n > 0 && !out.ends_with(' ') {
            out.push(' ');
        }
        for c in w.chars() {
            if n >= max {
                out.push('…');
                return out;
            }
            out.push(c);
            n += 1;
        }
    }
    out
}

/// Control characters that would act on a terminal or hide text: C0 except tab and
/// newline, DEL, C1, and the bidirectional overrides and isolates ("Trojan Source").
fn is_hostile_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| is_hostile_char(c) || c == '\n' || c == '\t')
}

/// Text from the repository made safe to print: hostile characters shown escaped
/// (`\u{1b}`), so an excerpt or a file name cannot drive the reader's terminal.
pub fn clean_text(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_hostile_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hostile_char(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Escapes hostile characters in every string of the report, whatever field carries it
/// (excerpts, messages, evidence notes, component names from manifests, suppression
/// reasons): one pass where the report leaves the library, so new fields and new
/// renderers are covered without thinking about it.
fn sanitize_report(report: Report) -> Report {
    fn walk(v: &mut serde_json::Value, changed: &mut bool) {
        match v {
            serde_json::Value::String(s) => {
                if let std::borrow::Cow::Owned(c) = clean_text(s) {
                    *s = c;
                    *changed = true;
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| walk(x, changed)),
            serde_json::Value::Object(o) => {
                let bad: Vec<String> = o
                    .keys()
                    .filter(|k| k.chars().any(is_hostile_char))
                    .cloned()
                    .collect();
                for k in bad {
                    if let Some(x) = o.remove(&k) {
                        o.insert(clean_text(&k).into_owned(), x);
                        *changed = true;
                    }
                }
                o.values_mut().for_each(|x| walk(x, changed));
            }
            _ => {}
        }
    }
    let Ok(mut value) = serde_json::to_value(&report) else {
        return report;
    };
    let mut changed = false;
    walk(&mut value, &mut changed);
    if !changed {
        return report;
    }
    serde_json::from_value(value).unwrap_or(report)
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
    // UTF-16 with a byte-order mark (Windows editors) is text: analyse it as UTF-8.
    let bytes = files::utf16_to_utf8(&bytes).unwrap_or(bytes);
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
                    Ok((o.hits, o.signals, Vec::new(), true, o.has_error, o.dropped))
                }
                other => {
                    let _t = timings::span(Phase::Manifests);
                    let o = manifests::analyze(path, other, role, &text, settings);
                    if let Some(reason) = o.skipped {
                        return Err(reason);
                    }
                    Ok((o.hits, o.signals, o.artifacts, false, false, 0))
                }
            }
        },
    ));
    let (hits, signals, artifacts, parsed, parse_error, dropped) = match run {
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
    let mut hits: Vec<Hit> = hits
        .into_iter()
        .filter(|h| enabled(settings, h.rule))
        .collect();
    if hits.len() > MAX_FINDINGS_PER_FILE {
        out.limited = Some(format!(
            "only the first {MAX_FINDINGS_PER_FILE} of {} findings in this file are reported",
            hits.len() + dropped
        ));
        hits.sort_by(|a, b| (a.line, a.column, a.rule.id).cmp(&(b.line, b.column, b.rule.id)));
        hits.truncate(MAX_FINDINGS_PER_FILE);
    }
    let hits = share_nearby_secrets(hits);
    out.findings = hits
        .into_iter()
        .filter_map(|h| finish_hit(h, path, role, lang_name, &lines, settings))
        .collect();
    out
}

/// Gives each hit the secrets that hits found on the lines its excerpt shows (the line
/// above to three below), so a credential on a context line is redacted too. A secret is
/// registered piecewise, one line of it per source line (a key block spans many), so
/// nothing is copied more than once per excerpt that shows it.
fn share_nearby_secrets(mut hits: Vec<Hit>) -> Vec<Hit> {
    let mut by_line: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for h in hits.iter().filter(|h| h.line > 0) {
        for secret in &h.secrets {
            for (i, piece) in secret.split('\n').enumerate() {
                let piece = piece.trim();
                if piece.len() >= 4 {
                    by_line
                        .entry(h.line.saturating_add(i as u32))
                        .or_default()
                        .push(piece.to_string());
                }
            }
        }
    }
    if by_line.is_empty() {
        return hits;
    }
    for h in &mut hits {
        if h.line == 0 {
            continue;
        }
        let first = h.line.saturating_sub(1);
        let last = h.end_line.max(h.line).min(h.line + 3);
        let mut extra: Vec<String> = by_line
            .range(first..=last)
            .flat_map(|(_, v)| v.iter())
            .filter(|v| !h.secrets.contains(v))
            .cloned()
            .collect();
        extra.sort();
        extra.dedup();
        h.secrets.extend(extra);
    }
    hits
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
    let message = one_line(&secret::scrub(&redact_all(&h.message, &h.secrets)), 500);
    let subject = one_line(&secret::scrub(&redact_all(&h.subject, &h.secrets)), 200);
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
        group_folder: h.group_folder,
    })
}

/// Longest excerpt line shown, in characters.
const SNIPPET_LINE_CHARS: usize = 300;

/// Up to five lines of the site (one line of context above), secrets redacted: the hit's
/// own and those of hits nearby, each line of a multi-line secret (a key block), and
/// anything [`secret::scrub`] recognises. A long line is cut at a token boundary, so a
/// cut never shows the start of a value that the cut hid from redaction.
fn snippet(lines: &[&str], line: u32, end_line: u32, secrets: &[String]) -> Option<Snippet> {
    let first = line.saturating_sub(1).max(1);
    let last = end_line.max(line).min(line + 3);
    // The lines of a multi-line secret that fall in the excerpt (a key block's first
    // lines); whole single-line secrets.
    let span = (last - line) as usize + 2;
    let mut all: Vec<&str> = Vec::new();
    for s in secrets {
        if s.contains('\n') {
            all.extend(
                s.split('\n')
                    .take(span)
                    .map(str::trim)
                    .filter(|l| l.len() >= 4),
            );
        } else {
            all.push(s);
        }
    }
    all.sort_by_key(|s| std::cmp::Reverse(s.len()));
    all.dedup();
    let all: Vec<String> = all.into_iter().map(str::to_string).collect();
    let mut text = String::new();
    for n in first..=last {
        let Some(l) = lines.get(n as usize - 1) else {
            break;
        };
        let l = cut_line(l, SNIPPET_LINE_CHARS);
        text.push_str(&secret::scrub(&redact_all(l, &all)));
        text.push('\n');
    }
    if text.is_empty() {
        return None;
    }
    Some(Snippet {
        start_line: first,
        text,
    })
}

/// The first `max` characters of a line; when that cuts it, back to the last whitespace
/// or punctuation that ends a token.
fn cut_line(l: &str, max: usize) -> &str {
    let Some((end, _)) = l.char_indices().nth(max) else {
        return l;
    };
    let head = &l[..end];
    match head.rfind(|c: char| c.is_whitespace() || "\"'`,;()[]{}<>".contains(c)) {
        Some(i) => &head[..i + 1],
        None => "",
    }
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
        rejected_suppressions: Vec::new(),
        diff: None,
        inventory: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_cut_at_a_token_boundary() {
        let line = format!("x = \"{}\" + \"ghp_{}\"", "a".repeat(280), "B".repeat(40));
        let cut = cut_line(&line, 300);
        assert!(cut.ends_with('"') || cut.ends_with(' '), "{cut}");
        assert!(!cut.contains("ghp_B"), "{cut}");
        assert_eq!(cut_line("short", 300), "short");
        assert_eq!(cut_line(&"z".repeat(400), 300), "");
    }

    #[test]
    fn messages_are_one_bounded_line() {
        assert_eq!(one_line("a\nb\r\nc", 100), "a b c");
        assert_eq!(one_line("abcdef", 3), "abc…");
        assert_eq!(one_line("x \n y", 100), "x  y");
    }

    #[test]
    fn hostile_characters_are_escaped() {
        assert_eq!(clean_text("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(clean_text("tab\tnl\n"), "tab\tnl\n");
        assert_eq!(clean_text("\u{202e}x\u{9b}"), "\\u{202e}x\\u{9b}");
        assert!(matches!(
            clean_text("plain é ü"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn sanitizing_changes_only_hostile_text() {
        let src = crate::fs::MemSource::new([
            (
                "svc/app.py",
                "import requests\nrequests.get(u)  # \u{1b}[31m red\n",
            ),
            (
                "svc/Dockerfile",
                "FROM python\nCMD [\"python\", \"app.py\"]\n",
            ),
        ]);
        let r = review(&src, &Settings::default());
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("\\u001b"), "{json}");
        // Undo the escape: everything else is exactly what the analysis produced.
        let mut raw = serde_json::to_value(&r).unwrap();
        let restored = serde_json::to_string(&raw)
            .unwrap()
            .replace("\\\\u{1b}", "\\u001b");
        raw = serde_json::from_str(&restored).unwrap();
        let back: Report = serde_json::from_value(raw).unwrap();
        assert_eq!(sanitize_report(back.clone()), r);
        assert!(back.findings.iter().any(|f| {
            f.snippet
                .as_ref()
                .is_some_and(|s| s.text.contains('\u{1b}'))
        }));
    }

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
