//! Small formatting helpers shared by the documents: citations, TODO lines, Markdown
//! escaping, YAML quoting.

use pagerproof_core::{Evidence, Finding};

/// `path:line` (or `path` for a whole file or folder).
pub fn at(e: &Evidence) -> String {
    match e.line {
        Some(l) => format!("{}:{l}", e.path),
        None => e.path.clone(),
    }
}

/// The first few places, as `` `a:1`, `b:2` `` (and how many more).
pub fn ats(ev: &[Evidence], max: usize) -> String {
    let mut parts: Vec<String> = ev
        .iter()
        .take(max)
        .map(|e| format!("`{}`", at(e)))
        .collect();
    if ev.len() > max {
        parts.push(format!("and {} more", ev.len() - max));
    }
    parts.join(", ")
}

/// Where a finding is: `path:line`, or the component/repository path.
pub fn site(f: &Finding) -> String {
    match f.line {
        Some(l) => format!("{}:{l}", f.path),
        None => f.path.clone(),
    }
}

/// A finding as a citation: `` `rule-id` at `path:line` ``.
pub fn cite(f: &Finding) -> String {
    format!("`{}` at `{}`", f.rule, site(f))
}

/// A TODO raised by findings (the first few cited).
pub fn todo_from(text: &str, findings: &[&Finding]) -> String {
    if findings.is_empty() {
        return format!("**TODO**: {text}");
    }
    let mut cites: Vec<String> = findings.iter().take(3).map(|f| cite(f)).collect();
    if findings.len() > 3 {
        cites.push(format!("and {} more", findings.len() - 3));
    }
    format!("**TODO**: {text} (raised by {})", cites.join(", "))
}

/// A TODO for something the review could not find, with the reason.
pub fn todo_unknown(text: &str, why: &str) -> String {
    format!("**TODO**: {text} ({why})")
}

/// Escapes the characters that would break a Markdown table cell.
pub fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
pub fn yq(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// A YAML single-quoted scalar (only `'` needs doubling): readable PromQL.
pub fn ysq(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''").replace('\n', " "))
}

/// Escapes a value for a PromQL double-quoted string (`\` and `"`).
pub fn pq(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Escapes a literal for a PromQL regular expression, then for the string around it.
pub fn pq_re(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    pq(&out)
}

/// `checkout-service` / `checkoutservice` -> `CheckoutService` / `Checkoutservice`.
pub fn camel(s: &str) -> String {
    let c = camel_parts(s);
    // Alert names are metric-name-like: they may not start with a digit.
    if c.is_empty() || c.starts_with(|ch: char| ch.is_ascii_digit()) {
        format!("Service{c}")
    } else {
        c
    }
}

fn camel_parts(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// An RFC 1123 label: lowercase alphanumerics and `-`, at most 63 characters.
pub fn dns_label(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out: String = out.chars().take(63).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("service");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(camel("checkout-service"), "CheckoutService");
        assert_eq!(dns_label("Cart_Service!!"), "cart-service");
        assert_eq!(yq("a \"b\"\n"), "\"a \\\"b\\\"\\n\"");
        assert_eq!(cell("a|b"), "a\\|b");
        assert_eq!(camel("2fa"), "Service2fa");
        assert_eq!(pq("a\"b"), "a\\\"b");
        assert_eq!(pq_re("web.v1"), "web\\\\.v1");
    }
}
