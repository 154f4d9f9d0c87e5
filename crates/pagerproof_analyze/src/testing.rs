//! The fixture harness: runs a rule's cases through a full in-memory review and checks
//! every expected finding by path, line, column and message, and that nothing else of
//! the rule fires. Used by the registry-wide test and by `xtask check`.

use pagerproof_core::config::Settings;
use pagerproof_core::{Finding, Report};

use crate::files::{self, FileKind};
use crate::fs::MemSource;
use crate::rule::{Case, RuleMeta};

/// An expected finding parsed from a marker line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Splits a fixture source into the code (marker lines removed) and its expectations.
/// A marker is a line `<spaces>^ message`: the caret's column is the expected column and
/// the line above (in the cleaned source) the expected line.
pub fn parse_markers(path: &str, src: &str) -> (String, Vec<Expected>) {
    let mut code = String::new();
    let mut exp = Vec::new();
    let mut kept = 0u32;
    for line in src.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start().len();
        let rest = body.trim_start();
        if let Some(msg) = rest
            .strip_prefix("^ ")
            .or_else(|| (rest == "^").then_some(""))
        {
            exp.push(Expected {
                path: path.to_string(),
                line: kept,
                column: indent as u32 + 1,
                message: msg.trim().to_string(),
            });
            continue;
        }
        code.push_str(line);
        kept += 1;
    }
    (code, exp)
}

/// The language (or file kind) name a case is written in: that of its first file.
pub fn case_language(case: &Case) -> String {
    let path = case
        .files
        .iter()
        .map(|f| f.0)
        .find(|p| *p != EXPECT_FILE)
        .unwrap_or("");
    match files::classify(path) {
        Some(FileKind::Code(l)) => l.name().to_string(),
        Some(k) => k.name().to_string(),
        None => "other".to_string(),
    }
}

pub fn is_positive(case: &Case) -> bool {
    case.files.iter().any(|(p, s)| {
        if *p == EXPECT_FILE {
            !parse_expect_file(s).is_empty()
        } else {
            !parse_markers(p, s).1.is_empty()
        }
    })
}

/// Name of the pseudo-file of a case that lists expected findings without a line
/// (component and repository findings), one per line: `path | message substring`.
pub const EXPECT_FILE: &str = "EXPECT";

fn parse_expect_file(src: &str) -> Vec<Expected> {
    src.lines()
        .filter_map(|l| l.split_once('|'))
        .map(|(p, m)| Expected {
            path: p.trim().to_string(),
            line: 0,
            column: 0,
            message: m.trim().to_string(),
        })
        .collect()
}

/// Reviews the files of a case in memory, with `rule` (and every preview rule) enabled.
pub fn review_case(case: &Case) -> (Report, Vec<Expected>) {
    let mut files = Vec::new();
    let mut expected = Vec::new();
    for (p, s) in case.files {
        if *p == EXPECT_FILE {
            expected.extend(parse_expect_file(s));
            continue;
        }
        let (code, exp) = parse_markers(p, s);
        files.push((p.to_string(), code.into_bytes()));
        expected.extend(exp);
    }
    let settings = Settings {
        preview: true,
        ..Settings::default()
    };
    let report = crate::review::review(&MemSource::new(files), &settings);
    (report, expected)
}

/// Checks one case of one rule; `Err` describes every mismatch.
pub fn check_case(meta: &RuleMeta, case: &Case) -> Result<(), String> {
    let (report, expected) = review_case(case);
    let got: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.rule == meta.id)
        .collect();
    let mut problems = Vec::new();
    let mut used = vec![false; got.len()];
    for e in &expected {
        let hit = got.iter().enumerate().find(|(i, f)| {
            let at = if e.line == 0 {
                f.line.is_none()
            } else {
                f.line == Some(e.line) && f.column == Some(e.column)
            };
            !used[*i] && f.path == e.path && at && f.message.contains(&e.message)
        });
        match hit {
            Some((i, _)) => used[i] = true,
            None => {
                let near: Vec<String> = got
                    .iter()
                    .filter(|f| f.path == e.path && f.line == Some(e.line))
                    .map(|f| {
                        format!(
                            "{}:{}: {}",
                            f.line.unwrap_or(0),
                            f.column.unwrap_or(0),
                            f.message
                        )
                    })
                    .collect();
                problems.push(format!(
                    "expected {}:{}:{} containing {:?}; on that line got: {:?}",
                    e.path, e.line, e.column, e.message, near
                ));
            }
        }
    }
    for (i, f) in got.iter().enumerate() {
        if !used[i] {
            problems.push(format!(
                "unexpected {}:{}:{}: {}",
                f.path,
                f.line.unwrap_or(0),
                f.column.unwrap_or(0),
                f.message
            ));
        }
    }
    for s in &report.skipped {
        if case.files.iter().any(|(p, _)| *p == s.path) {
            problems.push(format!("fixture file skipped: {} ({})", s.path, s.reason));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_give_line_and_column() {
        let (code, exp) = parse_markers(
            "a.py",
            "import requests\nrequests.get(u)\n^ no timeout\n  x = 1\n  ^ second\n",
        );
        assert_eq!(code, "import requests\nrequests.get(u)\n  x = 1\n");
        assert_eq!(
            exp[0],
            Expected {
                path: "a.py".into(),
                line: 2,
                column: 1,
                message: "no timeout".into()
            }
        );
        assert_eq!(exp[1].line, 3);
        assert_eq!(exp[1].column, 3);
    }
}
