//! Inline suppressions: `pagerproof: ignore[rule-id] reason` in a comment on the
//! finding's line, or in a comment on its own line just above the finding (a comment
//! trailing code covers that line only, so it cannot silence the next statement too). The reason is required: a suppression without one
//! is not honoured and is listed in the report so it gets fixed. Several ids (or
//! categories) may be given, comma-separated: `ignore[TIMEOUT, swallowed-error] reason`.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineSuppression {
    /// Line of the comment (1-based).
    pub line: u32,
    /// Rule ids or categories named.
    pub targets: Vec<String>,
    /// The reason given (empty when missing: then the suppression is not honoured).
    pub reason: String,
    /// The comment is alone on its line (then it also covers the line below).
    pub standalone: bool,
}

const MARKER: &str = "pagerproof: ignore[";

/// Finds every suppression comment in a file's text.
pub fn scan(text: &str) -> Vec<InlineSuppression> {
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        let rest = &line[at + MARKER.len()..];
        let Some(close) = rest.find(']') else {
            continue;
        };
        let targets: Vec<String> = rest[..close]
            .split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        if targets.is_empty() {
            continue;
        }
        let reason = rest[close + 1..]
            .trim()
            .trim_end_matches("*/")
            .trim_end_matches("-->")
            .trim()
            .trim_start_matches([':', '-', '—'])
            .trim()
            .chars()
            .take(300)
            .collect::<String>();
        let before = line[..at]
            .trim()
            .trim_start_matches(['#', '/', '*', '-', ';', '!', '<', '"', '\''])
            .trim();
        out.push(InlineSuppression {
            line: i as u32 + 1,
            targets,
            reason,
            standalone: before.is_empty(),
        });
    }
    out
}

impl InlineSuppression {
    /// Whether this suppression covers a finding of `rule`/`category` at `line`.
    pub fn covers(&self, rule: &str, category: &str, line: Option<u32>) -> bool {
        let Some(line) = line else { return false };
        (self.line == line || (self.standalone && self.line + 1 == line))
            && self.targets.iter().any(|t| t == rule || t == category)
    }

    pub fn has_reason(&self) -> bool {
        self.reason.chars().filter(|c| c.is_alphanumeric()).count() >= 3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ids_and_reason() {
        let s = scan(
            "x = 1\nrequests.get(u)  # pagerproof: ignore[http-client-without-timeout, SWALLOW] health probe, bounded by caller\n// pagerproof: ignore[TIMEOUT]\n",
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].line, 2);
        assert_eq!(s[0].targets, vec!["http-client-without-timeout", "SWALLOW"]);
        assert_eq!(s[0].reason, "health probe, bounded by caller");
        assert!(s[0].has_reason());
        assert!(!s[1].has_reason());
        assert!(s[0].covers("http-client-without-timeout", "TIMEOUT", Some(2)));
        // Trailing code: its own line only.
        assert!(!s[0].covers("x", "SWALLOW", Some(3)));
        // Alone on its line: that line and the next.
        assert!(s[1].standalone && !s[0].standalone);
        assert!(s[1].covers("x", "TIMEOUT", Some(4)));
        assert!(!s[1].covers("x", "TIMEOUT", Some(5)));
    }
}
