//! Secrets are never repeated in full: every renderer and the engine use this to show a
//! credential-like value as a short prefix and its length.

/// Shows at most 4 leading characters of `value` (fewer for short values) and its length.
pub fn redact(value: &str) -> String {
    let n = value.chars().count();
    let keep = match n {
        0..=7 => 0,
        8..=15 => 2,
        _ => 4,
    };
    let prefix: String = value.chars().take(keep).collect();
    format!("{prefix}…[redacted, {n} chars]")
}

/// Replaces every occurrence of each secret in `text` by its redacted form.
pub fn redact_all(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        if s.len() >= 4 && out.contains(s.as_str()) {
            out = out.replace(s.as_str(), &redact(s));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_a_short_prefix() {
        let r = redact("AKIAIOSFODNN7EXAMPLEXYZ");
        assert!(r.starts_with("AKIA…"));
        assert!(!r.contains("IOSFODNN7"));
        assert_eq!(redact("hunter2"), "…[redacted, 7 chars]");
    }

    #[test]
    fn redacts_inside_text() {
        let t = redact_all(
            "password = 'supersecretvalue1'",
            &["supersecretvalue1".into()],
        );
        assert!(!t.contains("supersecretvalue1"));
    }
}
