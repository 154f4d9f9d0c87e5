//! CODEOWNERS: the rules as written, and which owners a folder falls to (the last
//! matching rule wins, as on GitHub and GitLab). Patterns that name files by extension
//! (`*.js`) own files, not a component, and are not used for a folder.

use pagerproof_core::Evidence;
use pagerproof_core::inventory::OwnerRule;

/// Where CODEOWNERS files are looked for, in GitHub's order of precedence.
pub const LOCATIONS: &[&str] = &[
    ".github/CODEOWNERS",
    "CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
];

pub fn parse(path: &str, text: &str) -> Vec<OwnerRule> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.split(" #").next().unwrap_or(raw).trim();
        if l.is_empty() || l.starts_with('#') || l.starts_with('[') || l.starts_with("^[") {
            continue;
        }
        let mut parts = l.split_whitespace();
        let Some(pattern) = parts.next() else {
            continue;
        };
        let owners: Vec<String> = parts
            .filter(|o| o.starts_with('@') || o.contains('@'))
            .map(str::to_string)
            .collect();
        out.push(OwnerRule {
            pattern: pattern.to_string(),
            owners,
            at: Evidence {
                path: path.to_string(),
                line: Some(i as u32 + 1),
                note: String::new(),
            },
        });
    }
    out
}

/// The rule that owns the folder `dir` (`.` for the root), if any.
pub fn owner_of<'a>(rules: &'a [OwnerRule], dir: &str) -> Option<&'a OwnerRule> {
    rules.iter().rev().find(|r| matches_dir(&r.pattern, dir))
}

fn matches_dir(pattern: &str, dir: &str) -> bool {
    if pattern == "*" || pattern == "/*" || pattern == "**" || pattern == "/**" {
        return true;
    }
    if dir == "." {
        return false;
    }
    let anchored = pattern.starts_with('/');
    let p = pattern
        .trim_start_matches('/')
        .trim_end_matches("/**")
        .trim_end_matches("/*")
        .trim_end_matches('/');
    if p.is_empty() || p.contains(['*', '?', '[']) {
        return false;
    }
    let under = |base: &str| dir == base || dir.starts_with(&format!("{base}/"));
    if anchored || p.contains('/') {
        return under(p);
    }
    // An unanchored name matches a folder of that name at any depth.
    let segs: Vec<&str> = dir.split('/').collect();
    (0..segs.len()).any(|i| segs[i] == p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_matching_rule_wins() {
        let rules = parse(
            ".github/CODEOWNERS",
            "# owners\n* @org/platform\n/src/cart/ @org/cart # inline comment\n*.md @org/docs\npayments @alice\n",
        );
        assert_eq!(rules.len(), 4);
        assert_eq!(
            owner_of(&rules, "src/cart").map(|r| r.owners.clone()),
            Some(vec!["@org/cart".to_string()])
        );
        assert_eq!(
            owner_of(&rules, "src/cart").and_then(|r| r.at.line),
            Some(3)
        );
        assert_eq!(
            owner_of(&rules, "src/other").map(|r| r.pattern.as_str()),
            Some("*")
        );
        assert_eq!(
            owner_of(&rules, "svc/payments").map(|r| r.pattern.as_str()),
            Some("payments")
        );
        assert_eq!(
            owner_of(&rules, "src/cartx").map(|r| r.pattern.as_str()),
            Some("*")
        );
    }
}
