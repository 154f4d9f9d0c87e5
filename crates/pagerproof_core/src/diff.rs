//! `--diff REV`: which lines changed, read from `git diff --unified=0` output (the binary
//! runs git; this module only parses), and the findings that fall on them.
//!
//! A finding with a line is kept when any line of its span was added or modified. A
//! component or repository finding (line null) is kept when a file under its component
//! changed (any file, for the repository): the change touched the unit the gap is about.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{DiffInfo, Finding, Report};

/// Added or modified lines per file (paths relative to the review root).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Inclusive ranges of new-file lines, per file.
    pub lines: BTreeMap<String, Vec<(u32, u32)>>,
    /// Files that are new as a whole (untracked): every line counts as changed.
    pub whole: BTreeSet<String>,
}

impl Changes {
    /// Parses the output of `git diff --unified=0` (with `--relative`, so paths are
    /// relative to the review root).
    pub fn parse_unified0(text: &str) -> Changes {
        let mut out = Changes::default();
        let mut current: Option<String> = None;
        // Lines of the current hunk still to come (old, new): hunk lines may look like
        // headers (an added line `++ x` reads `+++ x`), so they are counted, not parsed.
        let (mut old_left, mut new_left) = (0u32, 0u32);
        for line in text.lines() {
            if old_left > 0 || new_left > 0 {
                match line.as_bytes().first() {
                    Some(b'-') => old_left = old_left.saturating_sub(1),
                    Some(b'+') => new_left = new_left.saturating_sub(1),
                    Some(b'\\') => {}
                    _ => {
                        old_left = old_left.saturating_sub(1);
                        new_left = new_left.saturating_sub(1);
                    }
                }
                continue;
            }
            if let Some(rest) = line.strip_prefix("+++ ") {
                current = new_path(rest);
                if let Some(p) = &current {
                    out.lines.entry(p.clone()).or_default();
                }
            } else if line.starts_with("diff --git ") {
                current = None;
            } else if let Some(rest) = line.strip_prefix("@@ ")
                && let Some((old, new)) = hunk_counts(rest)
            {
                old_left = old.1;
                new_left = new.1;
                if let Some(p) = &current
                    && new.1 > 0
                {
                    out.lines
                        .entry(p.clone())
                        .or_default()
                        .push((new.0, new.0 + new.1 - 1));
                }
            }
        }
        out
    }

    /// Marks a file as new as a whole (untracked files).
    pub fn add_whole(&mut self, path: &str) {
        self.whole.insert(path.to_string());
    }

    pub fn changed_files(&self) -> BTreeSet<&str> {
        self.lines
            .keys()
            .chain(self.whole.iter())
            .map(String::as_str)
            .collect()
    }

    /// Whether lines `line..=end` of `path` include a changed line.
    pub fn touches(&self, path: &str, line: u32, end: u32) -> bool {
        if self.whole.contains(path) {
            return true;
        }
        let end = end.max(line);
        self.lines
            .get(path)
            .is_some_and(|rs| rs.iter().any(|(a, b)| *a <= end && line <= *b))
    }

    /// Whether a file under `dir` changed (`.` is the whole repository).
    pub fn touches_dir(&self, dir: &str) -> bool {
        self.changed_files().into_iter().any(|p| {
            dir == "."
                || p == dir
                || (p.starts_with(dir) && p.as_bytes().get(dir.len()) == Some(&b'/'))
        })
    }

    /// Whether a finding is part of the change.
    pub fn keeps(&self, f: &Finding) -> bool {
        match f.line {
            Some(l) => self.touches(&f.path, l, f.end_line.unwrap_or(l)),
            None => self.touches_dir(&f.path),
        }
    }

    /// Keeps only the findings in the change and records what was done. Score, verdict,
    /// components and sections are left as computed over everything.
    pub fn apply(&self, report: &mut Report, rev: &str, base: &str) {
        let before = report.findings.len();
        report.findings.retain(|f| self.keeps(f));
        report.diff = Some(DiffInfo {
            rev: rev.to_string(),
            base: base.to_string(),
            changed_files: self.changed_files().len() as u32,
            hidden: (before - report.findings.len()) as u32,
        });
    }
}

/// The path of a `+++ ` line (`b/x`, a C-quoted `"b/x"`, or `/dev/null` for deletions).
fn new_path(rest: &str) -> Option<String> {
    let rest = rest.trim_end_matches('\t');
    if rest == "/dev/null" {
        return None;
    }
    let p = if rest.starts_with('"') {
        unquote(rest)?
    } else {
        rest.to_string()
    };
    Some(p.strip_prefix("b/").unwrap_or(&p).to_string())
}

/// Undoes git's C-style path quoting (`"a\tb\303\251"`).
fn unquote(s: &str) -> Option<String> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    let mut bytes = Vec::new();
    let mut it = inner.bytes().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next()? {
            b'n' => bytes.push(b'\n'),
            b't' => bytes.push(b'\t'),
            b'r' => bytes.push(b'\r'),
            b'a' => bytes.push(7),
            b'b' => bytes.push(8),
            b'f' => bytes.push(12),
            b'v' => bytes.push(11),
            d @ b'0'..=b'7' => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    match it.peek() {
                        Some(&n @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(n - b'0');
                            it.next();
                        }
                        _ => break,
                    }
                }
                bytes.push(v as u8);
            }
            other => bytes.push(other),
        }
    }
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The old and new (start, count) of a hunk header (`-a,b +c,d @@`).
fn hunk_counts(rest: &str) -> Option<((u32, u32), (u32, u32))> {
    let mut toks = rest.split_whitespace();
    let old = parse_range(toks.next()?.strip_prefix('-')?)?;
    let new = parse_range(toks.next()?.strip_prefix('+')?)?;
    Some((old, new))
}

fn parse_range(spec: &str) -> Option<(u32, u32)> {
    match spec.split_once(',') {
        Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
        None => Some((spec.parse().ok()?, 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str = "diff --git a/app.py b/app.py
index 1..2 100644
--- a/app.py
+++ b/app.py
@@ -3,0 +4,2 @@ def x():
+a
+b
@@ -10 +12 @@
-x
+y
@@ -20,3 +22,0 @@
-p
-q
-r
@@ -30,0 +31 @@
+++ not a header
diff --git a/gone.py b/gone.py
--- a/gone.py
+++ /dev/null
@@ -1,2 +0,0 @@
-l1
-l2
diff --git \"a/sp ace\\tx.go\" \"b/sp ace\\tx.go\"
--- \"a/sp ace\\tx.go\"
+++ \"b/sp ace\\tx.go\"
@@ -1 +1 @@
-old
+new
";

    #[test]
    fn parses_added_and_modified_lines() {
        let c = Changes::parse_unified0(DIFF);
        assert_eq!(c.lines["app.py"], vec![(4, 5), (12, 12), (31, 31)]);
        assert!(!c.lines.contains_key("not a header"));
        assert!(!c.lines.contains_key("gone.py"));
        assert_eq!(c.lines["sp ace\tx.go"], vec![(1, 1)]);
        assert!(c.touches("app.py", 5, 5));
        assert!(c.touches("app.py", 2, 4));
        assert!(!c.touches("app.py", 6, 11));
        assert!(c.touches_dir("."));
        assert!(!c.touches_dir("svc"));
        let mut c2 = Changes::default();
        c2.add_whole("svc/new.py");
        assert!(c2.touches("svc/new.py", 99, 99));
        assert!(c2.touches_dir("svc"));
        assert!(!c2.touches_dir("sv"));
    }
}
