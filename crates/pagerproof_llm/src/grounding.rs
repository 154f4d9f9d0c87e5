//! Grounding: every claim the model makes about the evidence is checked against it.
//!
//! The citation convention the prompt asks for (see [`CONVENTION`]):
//! - `[F:<fingerprint>]` cites a finding; `[F:<fingerprint>:P1]` also states its severity;
//! - `[path/to/file.ext:42]`, `[path:40-52]` or `[path/to/dir]` cites a place.
//!
//! Several citations may share brackets, separated by commas. Also checked, because models
//! do not always follow instructions: `path:line` in inline code, bare 16-hex fingerprints,
//! and a severity (`P0`–`P3`) written on the same line as finding citations that all carry
//! another severity. A citation to a finding, file or line that does not exist, or a
//! severity that contradicts the evidence, is marked inline as **unverified** and listed.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use pagerproof_core::{Report, Severity};
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::tools;

/// What the system prompt says about citations.
pub const CONVENTION: &str = "Citations (required, they are checked mechanically):\n\
- Cite a finding with its fingerprint in brackets: [F:0123456789abcdef]. To state a finding's \
severity, write it inside the citation: [F:0123456789abcdef:P1]; it must be the severity in the evidence.\n\
- Cite a place with its repository-relative path and line in brackets: [src/server.go:42], a \
range [src/server.go:40-52], or a file or folder alone [deploy/k8s].\n\
- Several citations may share brackets: [F:0123456789abcdef, src/a.go:10].\n\
- Cite only fingerprints, paths and lines that appear in the evidence or that a tool showed you. \
Anything else is flagged to the reader as an unverified claim.";

/// One checked claim (in the report's `narrative.claims`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Claim {
    /// `finding`, `location` or `severity`.
    pub kind: String,
    /// The citation as written.
    pub cited: String,
    pub verified: bool,
    /// Why it is unverified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

pub struct Grounded {
    /// The model's text with unverified claims marked inline.
    pub text: String,
    pub claims: Vec<Claim>,
}

fn re(p: &str) -> Regex {
    Regex::new(p).expect("static regex")
}

struct Res {
    bracket: Regex,
    finding: Regex,
    location: Regex,
    ext: Regex,
    code: Regex,
    bare_fp: Regex,
    severity: Regex,
}

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| Res {
        bracket: re(r"\[([^\[\]\n]{1,400})\]"),
        finding: re(r"^[Ff]:\s*([0-9a-fA-F]{6,32})(?:\s*:\s*([Pp][0-3]))?$"),
        location: re(r"^([\w@+~-][\w./@+~-]*)(?::(\d+)(?:\s*[-–]\s*(\d+))?)?$"),
        ext: re(r"\.[A-Za-z][A-Za-z0-9]{0,9}$"),
        code: re(r"`([^`\n]{3,300})`"),
        bare_fp: re(r"\b[0-9a-f]{16}\b"),
        severity: re(r"\bP[0-3]\b"),
    })
}

/// What a citation part is.
enum Part {
    Finding(String, Option<Severity>),
    Location(String, Option<u32>, Option<u32>),
}

fn classify(part: &str, need_line: bool) -> Option<Part> {
    let r = res();
    let part = part.trim().trim_matches('`');
    if let Some(c) = r.finding.captures(part) {
        return Some(Part::Finding(
            c[1].to_ascii_lowercase(),
            c.get(2).and_then(|m| Severity::parse(m.as_str())),
        ));
    }
    let c = r.location.captures(part)?;
    let path = c[1].trim_end_matches('/');
    let line = c.get(2).and_then(|m| m.as_str().parse().ok());
    if need_line && line.is_none() {
        return None;
    }
    let looks_like_path = (path.contains('/') && !path.starts_with("//"))
        || r.ext.is_match(path)
        || line.is_some() && path.contains('.');
    if !looks_like_path || path.starts_with("http") || path.contains("://") {
        return None;
    }
    Some(Part::Location(
        path.to_string(),
        line,
        c.get(3).and_then(|m| m.as_str().parse().ok()),
    ))
}

struct Checker<'a> {
    report: &'a Report,
    root: Option<std::path::PathBuf>,
    report_paths: BTreeSet<&'a str>,
}

impl Checker<'_> {
    fn finding(&self, fp: &str, sev: Option<Severity>) -> (Option<Severity>, Result<(), String>) {
        let matches: Vec<_> = self
            .report
            .findings
            .iter()
            .filter(|f| f.fingerprint == fp || (fp.len() >= 8 && f.fingerprint.starts_with(fp)))
            .collect();
        let actual = match matches.as_slice() {
            [f] => f.severity,
            [] => {
                if self.report.suppressed.iter().any(|s| s.fingerprint == fp) {
                    return (
                        None,
                        Err("this finding is suppressed in the repository".into()),
                    );
                }
                return (
                    None,
                    Err("no finding with this fingerprint in the report".into()),
                );
            }
            _ => return (None, Err("ambiguous fingerprint prefix".into())),
        };
        match sev {
            Some(s) if s != actual => (
                Some(actual),
                Err(format!("the evidence rates this finding {actual}, not {s}")),
            ),
            _ => (Some(actual), Ok(())),
        }
    }

    fn location(&self, path: &str, line: Option<u32>, end: Option<u32>) -> Result<(), String> {
        let p = path.strip_prefix("./").unwrap_or(path);
        let Some(root) = &self.root else {
            // No readable root: fall back to the paths the report knows.
            return if self.report_paths.contains(p)
                || line.is_none()
                    && self
                        .report_paths
                        .iter()
                        .any(|r| r.starts_with(&format!("{p}/")))
            {
                Ok(())
            } else {
                Err(format!("`{p}` does not appear in the evidence"))
            };
        };
        let abs = tools::resolve(root, p)
            .map_err(|_| format!("no file or folder `{p}` in the repository"))?;
        let Some(l) = line else { return Ok(()) };
        if abs.is_dir() {
            return Err(format!("`{p}` is a folder; it has no line {l}"));
        }
        let n = match tools::read_text(&abs, 16 * 1024 * 1024) {
            Ok(Some(t)) => t.lines().count() as u32,
            _ => return Err(format!("`{p}` cannot be read as text")),
        };
        let last = end.unwrap_or(l).max(l);
        if l == 0 || last > n {
            return Err(format!("`{p}` has {n} lines; line {last} does not exist"));
        }
        Ok(())
    }
}

/// Checks the model's text against the report (and the files under `root`).
pub fn check(text: &str, report: &Report, root: &Path) -> Grounded {
    let r = res();
    let mut report_paths: BTreeSet<&str> =
        report.findings.iter().map(|f| f.path.as_str()).collect();
    report_paths.extend(report.components.iter().map(|c| c.path.as_str()));
    let ck = Checker {
        report,
        root: root.canonicalize().ok(),
        report_paths,
    };
    let mut claims: Vec<Claim> = Vec::new();
    let mut edits: Vec<(usize, String)> = Vec::new();
    let mut in_fence = false;
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut covered: Vec<(usize, usize)> = Vec::new();
        // Severities of the findings cited on this line, for the same-line check.
        let mut line_sevs: Vec<Severity> = Vec::new();
        let mut explicit_sev = false;
        let mut line_fps: Vec<String> = Vec::new();
        let mut handle = |cited: &str,
                          part: Part,
                          end_pos: usize,
                          claims: &mut Vec<Claim>,
                          edits: &mut Vec<(usize, String)>| {
            let (kind, res) = match part {
                Part::Finding(fp, sev) => {
                    explicit_sev |= sev.is_some();
                    let (actual, res) = ck.finding(&fp, sev);
                    if let Some(a) = actual {
                        line_sevs.push(a);
                        line_fps.push(fp);
                    }
                    let kind = if sev.is_some() && res.is_err() && actual.is_some() {
                        "severity"
                    } else {
                        "finding"
                    };
                    (kind, res)
                }
                Part::Location(p, l, e) => ("location", ck.location(&p, l, e)),
            };
            if let Err(why) = &res {
                edits.push((end_pos, format!(" **[unverified: {why}]**")));
            }
            claims.push(Claim {
                kind: kind.into(),
                cited: cited.to_string(),
                verified: res.is_ok(),
                reason: res.err(),
            });
        };
        for m in r.bracket.captures_iter(line) {
            let whole = m.get(0).map_or(0..0, |x| x.range());
            let inner = &m[1];
            let parts: Vec<Part> = inner
                .split([',', ';'])
                .filter_map(|p| classify(p, false))
                .collect();
            if parts.is_empty() {
                continue;
            }
            covered.push((whole.start, whole.end));
            // Mark after the whole bracket; one mark per failing part.
            for (raw, part) in inner
                .split([',', ';'])
                .filter_map(|p| classify(p, false).map(|c| (p.trim(), c)))
            {
                handle(
                    &format!("[{raw}]"),
                    part,
                    start + whole.end,
                    &mut claims,
                    &mut edits,
                );
            }
        }
        for m in r.code.captures_iter(line) {
            let whole = m.get(0).map_or(0..0, |x| x.range());
            if covered
                .iter()
                .any(|(a, b)| whole.start >= *a && whole.end <= *b)
            {
                continue;
            }
            if let Some(part @ Part::Location(..)) = classify(&m[1], true) {
                covered.push((whole.start, whole.end));
                handle(&m[0], part, start + whole.end, &mut claims, &mut edits);
            }
        }
        for m in r.bare_fp.find_iter(line) {
            if covered
                .iter()
                .any(|(a, b)| m.start() >= *a && m.end() <= *b)
            {
                continue;
            }
            handle(
                m.as_str(),
                Part::Finding(m.as_str().to_string(), None),
                start + m.end(),
                &mut claims,
                &mut edits,
            );
        }
        // A single severity written on a line whose cited findings all have another one.
        if !explicit_sev && !line_sevs.is_empty() {
            let mut stated: BTreeSet<Severity> = BTreeSet::new();
            let mut masked = line.to_string();
            for (a, b) in &covered {
                masked.replace_range(*a..*b, &" ".repeat(b - a));
            }
            for m in r.severity.find_iter(&masked) {
                if let Some(s) = Severity::parse(m.as_str()) {
                    stated.insert(s);
                }
            }
            if stated.len() == 1
                && let Some(s) = stated.first().copied()
                && line_sevs.iter().all(|a| *a != s)
            {
                let actual: BTreeSet<&str> = line_sevs.iter().map(|a| a.as_str()).collect();
                let why = format!(
                    "the line says {s}, the evidence rates the cited finding{} {}",
                    if line_fps.len() > 1 { "s" } else { "" },
                    actual.into_iter().collect::<Vec<_>>().join("/")
                );
                let end = start + line.trim_end_matches(['\n', '\r']).len();
                edits.push((end, format!(" **[unverified: {why}]**")));
                claims.push(Claim {
                    kind: "severity".into(),
                    cited: s.as_str().to_string(),
                    verified: false,
                    reason: Some(why),
                });
            }
        }
    }
    // Apply marks from the end so offsets stay valid; marks at one spot keep their order.
    let mut out = text.to_string();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut i = 0;
    while i < edits.len() {
        let pos = edits[i].0;
        let mut j = i;
        let mut joined = String::new();
        while j < edits.len() && edits[j].0 == pos {
            j += 1;
        }
        for e in &edits[i..j] {
            joined.push_str(&e.1);
        }
        out.insert_str(pos.min(out.len()), &joined);
        i = j;
    }
    // One entry per distinct citation and outcome, in a stable order.
    let mut seen = BTreeSet::new();
    claims.retain(|c| seen.insert(c.clone()));
    Grounded { text: out, claims }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagerproof_core::{Confidence, Finding, Stats, Tool, Verdict};

    pub(crate) fn finding(fp: &str, sev: Severity, path: &str, line: u32) -> Finding {
        Finding {
            fingerprint: fp.into(),
            rule: "http-call-without-timeout".into(),
            category: "TIMEOUT".into(),
            severity: sev,
            confidence: Confidence::High,
            path: path.into(),
            line: Some(line),
            column: Some(1),
            end_line: None,
            end_column: None,
            component: ".".into(),
            subject: "requests.get".into(),
            message: "requests.get without timeout".into(),
            scenario: String::new(),
            impact: String::new(),
            detection: String::new(),
            mitigation: String::new(),
            monitoring: String::new(),
            fix: None,
            snippet: None,
            context: "production".into(),
            related: Vec::new(),
        }
    }

    pub(crate) fn report(findings: Vec<Finding>) -> Report {
        Report {
            schema_version: "1".into(),
            tool: Tool {
                name: "pagerproof".into(),
                version: "0".into(),
            },
            root: ".".into(),
            verdict: Verdict::NotProductionReady,
            verdict_reason: String::new(),
            score: 5.0,
            components: Vec::new(),
            findings,
            skipped: Vec::new(),
            stats: Stats::default(),
            repository: Default::default(),
            sections: Vec::new(),
            suppressed: Vec::new(),
            not_analyzed: Vec::new(),
            deductions: Vec::new(),
            rules_run: Vec::new(),
            narrative: None,
            baseline: None,
            rejected_suppressions: Vec::new(),
            inventory: None,
            diff: None,
        }
    }

    #[test]
    fn marks_what_does_not_exist() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("app")).unwrap();
        std::fs::write(dir.path().join("app/client.py"), "a\nb\nc\n").unwrap();
        let rep = report(vec![finding(
            "1111222233334444",
            Severity::P1,
            "app/client.py",
            2,
        )]);
        let text = "Top risk: [F:1111222233334444] at [app/client.py:2].\n\
Invented: [F:deadbeefdeadbeef] and [app/client.py:99] and [app/nope.py:1].\n\
Rated wrong: [F:1111222233334444:P0].\n\
This P3 issue [F:1111222233334444] is minor.\n\
```\n[app/ignored.py:1]\n```\n\
See `app/client.py:3` and [x] and [P1] and [v1.2].\n";
        let g = check(text, &rep, dir.path());
        let lines: Vec<&str> = g.text.lines().collect();
        assert!(!lines[0].contains("unverified"), "{}", lines[0]);
        assert!(
            lines[1].contains("[F:deadbeefdeadbeef] **[unverified: no finding"),
            "{}",
            lines[1]
        );
        assert!(
            lines[1].contains("[app/client.py:99] **[unverified: `app/client.py` has 3 lines"),
            "{}",
            lines[1]
        );
        assert!(
            lines[1].contains("[app/nope.py:1] **[unverified: no file"),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].contains("rates this finding P1, not P0"),
            "{}",
            lines[2]
        );
        assert!(lines[3].contains("the line says P3"), "{}", lines[3]);
        assert!(!lines[5].contains("unverified"));
        assert!(!lines[7].contains("unverified"), "{}", lines[7]);
        let bad = g.claims.iter().filter(|c| !c.verified).count();
        assert_eq!(bad, 5, "{:#?}", g.claims);
    }
}
