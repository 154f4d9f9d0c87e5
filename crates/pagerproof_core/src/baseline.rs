//! The baseline file (`pagerproof-baseline.json`): the findings a team has accepted for
//! now, so CI reports only new ones. Entries are matched by fingerprint, which never
//! includes a line number. The file holds no line numbers and no timestamps, is sorted,
//! and puts one entry per line, so two branches that each add findings rarely touch the
//! same lines and it never causes merge conflicts of its own.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::model::{BaselineInfo, Finding, Report};

/// Default file name, at the repository root.
pub const FILE_NAME: &str = "pagerproof-baseline.json";

/// One accepted finding. `rule`, `path` and `subject` are for the reader; only the
/// fingerprint is matched.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subject: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

impl Baseline {
    pub const VERSION: u32 = 1;

    /// The baseline of a report's findings.
    pub fn of(findings: &[Finding]) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .iter()
            .map(|f| Entry {
                path: f.path.clone(),
                rule: f.rule.clone(),
                fingerprint: f.fingerprint.clone(),
                subject: f.subject.chars().take(80).collect(),
            })
            .collect();
        entries.sort();
        entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        Baseline {
            version: Self::VERSION,
            findings: entries,
        }
    }

    /// The file's text: sorted, one entry per line, no trailing whitespace.
    pub fn to_text(&self) -> String {
        let mut s = format!("{{\n  \"version\": {},\n  \"findings\": [\n", self.version);
        for (i, e) in self.findings.iter().enumerate() {
            let line = serde_json::to_string(e).unwrap_or_default();
            s.push_str("    ");
            s.push_str(&line);
            if i + 1 < self.findings.len() {
                s.push(',');
            }
            s.push('\n');
        }
        s.push_str("  ]\n}\n");
        s
    }

    pub fn parse(text: &str) -> Result<Baseline, String> {
        let b: Baseline = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if b.version != Self::VERSION {
            return Err(format!(
                "baseline version {} is not supported (expected {})",
                b.version,
                Self::VERSION
            ));
        }
        Ok(b)
    }

    /// Removes from the report the findings the baseline holds, and records what it did.
    /// Score, verdict, components and sections are left as computed over everything.
    pub fn apply(&self, report: &mut Report, path: &str) {
        let known: BTreeSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let present: BTreeSet<String> = report
            .findings
            .iter()
            .map(|f| f.fingerprint.clone())
            .chain(report.suppressed.iter().map(|s| s.fingerprint.clone()))
            .collect();
        let before = report.findings.len();
        report
            .findings
            .retain(|f| !known.contains(f.fingerprint.as_str()));
        let stale = known.iter().filter(|k| !present.contains(**k)).count();
        report.baseline = Some(BaselineInfo {
            path: path.to_string(),
            matched: (before - report.findings.len()) as u32,
            stale: stale as u32,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_sorted_one_entry_per_line_and_round_trips() {
        let b = Baseline {
            version: 1,
            findings: vec![
                Entry {
                    path: "b.py".into(),
                    rule: "r".into(),
                    fingerprint: "2".into(),
                    subject: String::new(),
                },
                Entry {
                    path: "a.py".into(),
                    rule: "r".into(),
                    fingerprint: "1".into(),
                    subject: "requests.get".into(),
                },
            ],
        };
        let mut sorted = b.clone();
        sorted.findings.sort();
        let t = sorted.to_text();
        assert!(t.find("a.py").unwrap() < t.find("b.py").unwrap());
        assert_eq!(t.lines().count(), 7, "{t}");
        assert_eq!(Baseline::parse(&t).unwrap(), sorted);
        assert!(Baseline::parse("{\"version\": 9, \"findings\": []}").is_err());
    }
}
