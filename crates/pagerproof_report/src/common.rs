//! What several renderers share: findings grouped into gaps (one rule at one severity,
//! every site listed), locations, score and scope sentences, fact tables, and escaping of
//! repository text for Markdown.
//!
//! Messages are written by rules in a small Markdown dialect: plain text with `code`
//! spans. Everything else in them may come from the reviewed repository, so it is
//! escaped for the format it lands in ([`md_inline`], [`segments`] for HTML).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use pagerproof_core::taxonomy::{self, Scope};
use pagerproof_core::{Component, Deduction, Fact, Finding, Fix, Report, Severity};

use crate::Options;

/// A readiness gap: the findings of one rule at one severity, with every site.
pub struct Gap<'a> {
    pub rule: &'a str,
    pub category: &'a str,
    pub severity: Severity,
    pub title: String,
    pub findings: Vec<&'a Finding>,
    /// Component paths with a finding of this gap.
    pub components: BTreeSet<&'a str>,
}

impl Gap<'_> {
    /// The section (1–10) of the production-readiness review the gap belongs to.
    pub fn section(&self) -> Option<u8> {
        taxonomy::category(self.category).map(|c| c.section)
    }

    pub fn first(&self) -> &Finding {
        // A gap is built from at least one finding.
        self.findings[0]
    }

    /// Distinct fix examples, one per language, in the order the sites use them.
    pub fn fixes(&self) -> Vec<&Fix> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for f in &self.findings {
            if let Some(fix) = &f.fix
                && seen.insert(fix.language.as_str())
            {
                out.push(fix);
            }
        }
        out
    }

    /// "12 sites in 3 components" / "1 site" / "missing in 4 components".
    pub fn extent(&self) -> String {
        let sites = self.findings.len();
        let comps = self.components.len();
        if self.findings.iter().all(|f| f.line.is_none()) {
            if comps <= 1 {
                return match self.first().component.as_str() {
                    "." => "the repository".to_string(),
                    c => format!("component `{c}`"),
                };
            }
            return format!("{comps} components");
        }
        let s = plural(sites, "site");
        if comps > 1 {
            format!("{s} in {comps} components")
        } else {
            s
        }
    }
}

/// Groups findings into gaps: by severity, then rule; most severe first, then the gap
/// reaching most components, then most sites, then rule id.
pub fn gaps<'a>(findings: &'a [Finding], opts: &Options) -> Vec<Gap<'a>> {
    let mut by: BTreeMap<(Severity, &str), Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by.entry((f.severity, f.rule.as_str())).or_default().push(f);
    }
    let mut out: Vec<Gap<'a>> = by
        .into_iter()
        .map(|((severity, rule), fs)| {
            let category = fs[0].category.as_str();
            Gap {
                rule,
                category,
                severity,
                title: rule_title(rule, category, opts),
                components: fs.iter().map(|f| f.component.as_str()).collect(),
                findings: fs,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| b.components.len().cmp(&a.components.len()))
            .then_with(|| b.findings.len().cmp(&a.findings.len()))
            .then_with(|| a.rule.cmp(b.rule))
    });
    out
}

/// A rule's one-line title: its summary, else its category's, else its id.
pub fn rule_title(rule: &str, category: &str, opts: &Options) -> String {
    if let Some(r) = opts.rule(rule)
        && !r.summary.is_empty()
    {
        return capitalise(&r.summary);
    }
    match taxonomy::category(category) {
        Some(c) => capitalise(c.summary),
        None => rule.to_string(),
    }
}

pub fn capitalise(s: &str) -> String {
    // `gRPC`, `iOS`: a first word with capitals after its first letter stays as written.
    let first = s.split_whitespace().next().unwrap_or("");
    if first.chars().skip(1).any(|c| c.is_uppercase()) {
        return s.to_string();
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `path:line`, `folder/` for a component finding, `repository root` for the root.
pub fn location(path: &str, line: Option<u32>) -> String {
    match line {
        Some(l) => format!("{path}:{l}"),
        None if path == "." || path.is_empty() => "repository root".to_string(),
        None => format!("{}/", path.trim_end_matches('/')),
    }
}

/// A location in Markdown: a link when a link base is set, else a code span.
pub fn md_location(path: &str, line: Option<u32>, opts: &Options) -> String {
    let text = location(path, line);
    match &opts.link_base {
        Some(base) if path != "." => {
            let target = format!(
                "{}{}{}{}",
                base,
                if base.ends_with('/') { "" } else { "/" },
                url_path(&format!("{}{}", opts.path_prefix, path)),
                line.map(|l| format!("#L{l}")).unwrap_or_default()
            );
            format!("[{}]({})", code_span(&text), target)
        }
        _ => code_span(&text),
    }
}

/// Percent-encodes what a URL path cannot hold as is.
pub fn url_path(p: &str) -> String {
    let mut out = String::new();
    for b in p.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// A Markdown code span that holds any text (backticks and newlines included).
pub fn code_span(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    let longest = longest_run(&s, '`');
    let ticks = "`".repeat(longest + 1);
    if longest > 0 || s.starts_with(' ') || s.ends_with(' ') {
        format!("{ticks} {s} {ticks}")
    } else {
        format!("{ticks}{s}{ticks}")
    }
}

/// A fence for a Markdown code block that cannot be closed by the block's content.
pub fn fence(s: &str) -> String {
    "`".repeat(longest_run(s, '`').max(2) + 1)
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for ch in s.chars() {
        if ch == c {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// A fenced code block.
pub fn code_block(lang: &str, code: &str) -> String {
    let f = fence(code);
    let lang: String = lang
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '+')
        .collect();
    format!("{f}{lang}\n{}\n{f}\n", code.trim_end_matches('\n'))
}

/// Splits a rule message into text and `code` parts.
pub fn segments(msg: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (i, part) in msg.split('`').enumerate() {
        if !part.is_empty() {
            out.push((part.to_string(), i % 2 == 1));
        }
    }
    // An odd number of backticks leaves the last part open: treat it as text.
    if msg.matches('`').count() % 2 == 1
        && let Some(last) = out.last_mut()
    {
        last.1 = false;
    }
    out
}

/// Escapes text for Markdown prose: Markdown punctuation and HTML are neutralised.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '*' | '_' | '[' | ']' | '|' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    // `&` only starts an entity before a letter or `#`; elsewhere it reads as itself.
    let mut fixed = String::with_capacity(out.len());
    let mut it = out.chars().peekable();
    while let Some(c) = it.next() {
        if c == '&'
            && it
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#')
            && !rest_is_our_entity(&it)
        {
            fixed.push_str("&amp;");
        } else {
            fixed.push(c);
        }
    }
    fixed
}

/// Whether the text after a `&` is one of the entities [`md_escape`] itself wrote.
fn rest_is_our_entity(it: &std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let rest: String = it.clone().take(3).collect();
    rest == "lt;" || rest == "gt;"
}

/// A rule message (text with `code` spans, parts from the repository) as Markdown.
pub fn md_inline(msg: &str) -> String {
    segments(msg)
        .into_iter()
        .map(|(s, code)| if code { code_span(&s) } else { md_escape(&s) })
        .collect()
}

/// A rule message for a Markdown table cell (pipes escaped inside code spans too).
pub fn md_cell(msg: &str) -> String {
    segments(msg)
        .into_iter()
        .map(|(s, code)| {
            if code {
                code_span(&s).replace('|', "\\|")
            } else {
                md_escape(&s)
            }
        })
        .collect()
}

/// The severity with what it means: `P1 (outage / stuck system)`.
pub fn severity_meaning(s: Severity) -> String {
    format!("{s} ({})", s.meaning())
}

/// Whether the review checked anything: a section is covered or has gaps. Without it,
/// "Production-ready" only means nothing was found, and no renderer says more.
pub fn anything_checked(r: &Report) -> bool {
    r.sections
        .iter()
        .any(|s| s.status == "covered" || s.status == "gaps")
}

/// Counts per severity, `0 P0 · 3 P1 · 12 P2 · 1 P3`.
pub fn counts_line(report: &Report) -> String {
    let c = report.count_by_severity();
    format!("{} P0 · {} P1 · {} P2 · {} P3", c[0], c[1], c[2], c[3])
}

/// The deductions of a score in words, each with what it took and from how much:
/// `−1.6 TIMEOUT (43 findings, worst P1): penalty 2.0 (capped), 20 % of the 8.0 left`.
pub fn deduction_lines(ds: &[Deduction]) -> Vec<String> {
    let mut left = 10.0_f64;
    let mut out = Vec::new();
    for d in ds {
        let what = taxonomy::category(&d.category)
            .map(|c| c.summary)
            .unwrap_or("");
        let capped = if d.note.contains("capped") {
            " (capped)"
        } else {
            ""
        };
        let share = if (left - 10.0).abs() < 0.05 {
            String::new()
        } else {
            format!(", {:.0} % of the {:.1} left", d.penalty * 10.0, left)
        };
        out.push(format!(
            "−{:.1} {}: {} finding{}, worst {}; penalty {:.1}{capped}{share}{}",
            d.points,
            d.category,
            d.count,
            if d.count == 1 { "" } else { "s" },
            d.severity,
            d.penalty,
            if what.is_empty() {
                String::new()
            } else {
                format!(" — {what}")
            }
        ));
        left -= d.points;
    }
    out
}

/// A sentence on what the findings list covers when a baseline or a diff narrowed it, or
/// `None` when it lists everything.
pub fn scope_note(report: &Report) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(b) = &report.baseline {
        let mut s = format!(
            "Baseline `{}`: {} known finding(s) hidden, only new ones listed",
            b.path, b.matched
        );
        if b.stale > 0 {
            let _ = write!(
                s,
                "; {} baseline entr{} no longer found (fixed: regenerate the baseline)",
                b.stale,
                if b.stale == 1 { "y" } else { "ies" }
            );
        }
        parts.push(s);
    }
    if let Some(d) = &report.diff {
        parts.push(format!(
            "Change since `{}` (base `{}`): {} changed file(s); {} finding(s) outside the change hidden",
            d.rev,
            short_rev(&d.base),
            d.changed_files,
            d.hidden
        ));
    }
    if parts.is_empty() {
        None
    } else {
        Some(format!(
            "{}. The verdict, score and sections describe the whole repository.",
            parts.join(". ")
        ))
    }
}

fn short_rev(r: &str) -> &str {
    if r.len() > 12 && r.chars().all(|c| c.is_ascii_hexdigit()) {
        &r[..12]
    } else {
        r
    }
}

/// The component categories, in taxonomy order.
pub fn component_categories() -> Vec<&'static str> {
    taxonomy::component_categories().map(|c| c.name).collect()
}

/// `✓`, `✗` or `n/a` for a fact.
pub fn fact_mark(f: Option<&Fact>) -> &'static str {
    match f.map(|f| f.present) {
        Some(Some(true)) => "yes",
        Some(Some(false)) => "**no**",
        Some(None) => "n/a",
        None => "–",
    }
}

/// The first piece of evidence of a fact, as `path:line`.
pub fn fact_evidence(f: &Fact) -> Option<String> {
    f.evidence.first().map(|e| location(&e.path, e.line))
}

/// Components that have (`Some(true)`) or miss (`Some(false)`) a category.
pub fn components_with<'a>(
    report: &'a Report,
    category: &str,
    present: Option<bool>,
) -> Vec<(&'a Component, &'a Fact)> {
    report
        .components
        .iter()
        .filter_map(|c| c.facts.get(category).map(|f| (c, f)))
        .filter(|(_, f)| f.present == present)
        .collect()
}

/// Components that run (services and jobs).
pub fn running(report: &Report) -> Vec<&Component> {
    report
        .components
        .iter()
        .filter(|c| c.kind == "service" || c.kind == "job")
        .collect()
}

/// "a, b, c and 4 more".
pub fn list_some<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let mut s = items
        .iter()
        .take(max)
        .map(|x| x.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        let _ = write!(s, " and {} more", items.len() - max);
    }
    s
}

/// Whether a category is about security (SARIF `security-severity`, staff topics).
pub fn is_security(category: &str) -> bool {
    matches!(
        category,
        "SECRET"
            | "LOG-SENSITIVE"
            | "TLS-OFF"
            | "WEBHOOK-SIG"
            | "AUTH"
            | "RATE-LIMIT"
            | "K8S-SECURITY"
            | "DOCKER-USER"
            | "DOCKER-SECRETS"
            | "GHA"
            | "SECURITY-POLICY"
            | "DEBUG"
            | "ML-INPUT"
    )
}

/// The scope kind of a category (component, repository...), if known.
pub fn scope_of(category: &str) -> Option<Scope> {
    taxonomy::category(category).map(|c| c.scope)
}

/// Human name of a section (`4. Failure Handling & Degradation`).
pub fn section_name(n: u8) -> String {
    taxonomy::SECTIONS
        .iter()
        .find(|(k, _)| *k == n)
        .map(|(k, t)| format!("{k}. {t}"))
        .unwrap_or_else(|| format!("section {n}"))
}

/// Sites of a gap as Markdown bullets (at most `max`, then a count of the rest).
pub fn site_bullets(o: &mut String, gap: &Gap<'_>, max: usize, opts: &Options) {
    for f in gap.findings.iter().take(max) {
        let ctx = if f.context != "production" {
            format!(" _({} code)_", md_escape(&f.context))
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "- {} — {}{ctx}",
            md_location(&f.path, f.line, opts),
            md_inline(&f.message)
        );
        for r in f.related.iter().take(3) {
            let note = if r.note.is_empty() {
                String::new()
            } else {
                format!(" ({})", md_escape(&r.note))
            };
            let _ = writeln!(
                o,
                "  - related: {}{note}",
                md_location(&r.path, r.line, opts)
            );
        }
    }
    if gap.findings.len() > max {
        let _ = writeln!(
            o,
            "- … and {} more site(s) (every site: `--format json` or `--format sarif`)",
            gap.findings.len() - max
        );
    }
}

/// The text of a gap's fix: the mitigation, then one example per language the sites use.
pub fn fix_text(o: &mut String, gap: &Gap<'_>, opts: &Options) {
    let f = gap.first();
    let mitigation = if f.mitigation.is_empty() {
        opts.rule(gap.rule)
            .map(|r| r.mitigation.as_str())
            .unwrap_or("")
    } else {
        f.mitigation.as_str()
    };
    let _ = writeln!(o, "{}\n", mitigation.trim());
    for fix in gap.fixes() {
        let _ = writeln!(o, "{}", code_block(&fix.language, &fix.code));
    }
}

/// Inline suppressions as Markdown bullets: the honoured ones with their reason, then
/// those not honoured with why. `indent` prefixes every line (for nested lists).
pub fn suppression_bullets(o: &mut String, r: &Report, indent: &str, opts: &Options) {
    for s in &r.suppressed {
        let _ = writeln!(
            o,
            "{indent}- [{}] {} {} suppressed: {}",
            s.severity,
            md_location(&s.path, s.line, opts),
            code_span(&s.rule),
            md_inline(&s.reason)
        );
    }
    for s in &r.rejected_suppressions {
        let _ = writeln!(
            o,
            "{indent}- {} ignore[{}] not honoured: {}",
            md_location(&s.path, Some(s.line), opts),
            md_escape(&s.rules.join(", ")),
            md_inline(&s.problem)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escaping_neutralises_repository_text() {
        assert_eq!(
            md_escape("<script>a|b</script>"),
            "&lt;script&gt;a\\|b&lt;/script&gt;"
        );
        assert_eq!(md_escape("A & B &amp; C"), "A & B &amp;amp; C");
        assert_eq!(capitalise("gRPC call"), "gRPC call");
        assert_eq!(capitalise("no timeout"), "No timeout");
        assert_eq!(code_span("a`b"), "`` a`b ``");
        assert_eq!(code_span("x.go:3"), "`x.go:3`");
        assert_eq!(fence("x ``` y"), "````");
        assert_eq!(
            md_inline("call `requests.get` has *no* timeout"),
            "call `requests.get` has \\*no\\* timeout"
        );
        assert_eq!(md_cell("`a|b` c|d"), "`a\\|b` c\\|d");
        assert_eq!(
            segments("odd `tick"),
            vec![("odd ".into(), false), ("tick".into(), false)]
        );
        assert_eq!(url_path("a b/<x>.go"), "a%20b/%3Cx%3E.go");
    }

    #[test]
    fn locations_name_files_folders_and_the_root() {
        assert_eq!(location("a/b.py", Some(3)), "a/b.py:3");
        assert_eq!(location("svc/api", None), "svc/api/");
        assert_eq!(location(".", None), "repository root");
    }
}
