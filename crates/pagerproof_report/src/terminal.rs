//! The terminal report: verdict and score first, then findings grouped by severity
//! (`path:line:col`, the message, a code excerpt), then components and what was skipped.
//! Colour only when asked (the binary asks on a TTY without `NO_COLOR`).

use std::fmt::Write;

use pagerproof_core::{Finding, Report, Severity, Verdict};

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    fn sev(&self, s: Severity) -> String {
        let code = match s {
            Severity::P0 => "1;31",
            Severity::P1 => "31",
            Severity::P2 => "33",
            Severity::P3 => "36",
        };
        self.paint(code, s.as_str())
    }
    fn verdict(&self, v: Verdict) -> String {
        let code = match v {
            Verdict::ProductionReady => "1;32",
            Verdict::ProductionReadyWithFixes => "1;33",
            Verdict::NotProductionReady => "1;31",
        };
        self.paint(code, v.as_str())
    }
}

pub fn render(r: &Report, opts: &super::Options) -> String {
    let st = Style { on: opts.color };
    let mut o = String::new();
    let counts = r.count_by_severity();
    let _ = writeln!(o, "{} {}", st.bold("pagerproof review of"), r.root);
    let _ = writeln!(
        o,
        "{}  score {:.1}/10  ({} P0, {} P1, {} P2, {} P3)",
        st.verdict(r.verdict),
        r.score,
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    );
    if !r.verdict_reason.is_empty() {
        let _ = writeln!(o, "{}", st.dim(&r.verdict_reason));
    }
    if r.findings.is_empty()
        && r.verdict == Verdict::ProductionReady
        && crate::common::anything_checked(r)
    {
        let _ = writeln!(o, "\nSystem meets production readiness standards.");
    }

    for sev in Severity::ALL {
        let fs: Vec<&Finding> = r.findings.iter().filter(|f| f.severity == sev).collect();
        if fs.is_empty() {
            continue;
        }
        let _ = writeln!(
            o,
            "\n{} {} ({})",
            st.sev(sev),
            st.bold(sev.meaning()),
            fs.len()
        );
        for f in fs {
            finding(&mut o, f, &st, opts.excerpts);
        }
    }

    if let Some(md) = pagerproof_core::narrative::markdown(r) {
        let _ = writeln!(o, "\n{}", md.trim_end());
    }

    if !r.components.is_empty() {
        let _ = writeln!(o, "\n{}", st.bold("Components"));
        for c in &r.components {
            let missing: Vec<&str> = c
                .facts
                .iter()
                .filter(|(_, f)| f.present == Some(false))
                .map(|(k, _)| k.as_str())
                .collect();
            let present: Vec<&str> = c
                .facts
                .iter()
                .filter(|(_, f)| f.present == Some(true))
                .map(|(k, _)| k.as_str())
                .collect();
            let _ = writeln!(
                o,
                "  {:<28} {:<14} {:>4.1}/10  {}",
                c.path,
                c.kind,
                c.score,
                c.languages.join(",")
            );
            if !present.is_empty() {
                let _ = writeln!(o, "    {} {}", st.paint("32", "has"), present.join(", "));
            }
            if !missing.is_empty() {
                let _ = writeln!(
                    o,
                    "    {} {}",
                    st.paint("31", "missing"),
                    missing.join(", ")
                );
            }
        }
    }
    if !r.suppressed.is_empty() {
        let _ = writeln!(o, "\n{} ({})", st.bold("Suppressed"), r.suppressed.len());
        for s in &r.suppressed {
            let _ = writeln!(
                o,
                "  {}:{} {} — {}",
                s.path,
                s.line.unwrap_or(0),
                s.rule,
                s.reason
            );
        }
    }
    if !r.rejected_suppressions.is_empty() {
        let _ = writeln!(
            o,
            "\n{} ({})",
            st.bold("Suppressions not honoured"),
            r.rejected_suppressions.len()
        );
        for s in &r.rejected_suppressions {
            let _ = writeln!(
                o,
                "  {}:{} ignore[{}]: {}",
                s.path,
                s.line,
                s.rules.join(", "),
                s.problem
            );
        }
    }
    if let Some(note) = crate::common::scope_note(r) {
        let _ = writeln!(o, "\n{}", st.dim(&note.replace('`', "")));
    }
    if !r.not_analyzed.is_empty() {
        let _ = writeln!(o, "\n{}", st.bold("Not analyzed"));
        for n in &r.not_analyzed {
            let _ = writeln!(o, "  {}: {}", n.path, n.what);
        }
    }
    let _ = writeln!(
        o,
        "\n{}",
        st.dim(&format!(
            "{} files, {} lines, {} bytes in {} ms; {} skipped{}",
            r.stats.files,
            r.stats.lines,
            r.stats.bytes,
            r.stats.elapsed_ms,
            r.skipped.len(),
            if r.stats.parse_errors > 0 {
                format!(
                    "; {} with syntax errors (analysed as far as they parse)",
                    r.stats.parse_errors
                )
            } else {
                String::new()
            }
        ))
    );
    o
}

fn finding(o: &mut String, f: &Finding, st: &Style, excerpts: bool) {
    let loc = match (f.line, f.column) {
        (Some(l), Some(c)) => format!("{}:{}:{}", f.path, l, c),
        (Some(l), None) => format!("{}:{}", f.path, l),
        _ => format!("{}/", f.path.trim_end_matches('/')),
    };
    let ctx = if f.context != "production" {
        format!(" [{}]", f.context)
    } else {
        String::new()
    };
    let _ = writeln!(
        o,
        "  {} {} {}{}",
        st.sev(f.severity),
        st.bold(&loc),
        f.category,
        st.dim(&ctx)
    );
    let _ = writeln!(
        o,
        "     {}  {}",
        f.message,
        st.dim(&format!(
            "({}, {} confidence)",
            f.rule,
            f.confidence.as_str()
        ))
    );
    if excerpts && let Some(sn) = &f.snippet {
        for (i, line) in sn.text.lines().enumerate() {
            let n = sn.start_line + i as u32;
            let mark = if Some(n) == f.line { ">" } else { " " };
            let _ = writeln!(o, "     {} {} {}", st.dim(&format!("{n:>5}")), mark, line);
        }
    }
}
