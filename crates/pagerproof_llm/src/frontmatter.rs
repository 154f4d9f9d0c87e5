//! Tolerant YAML front matter: `---` … `---` at the top of a Markdown file.
//!
//! Agent files in the wild are often not valid YAML (the staff-engineer seed's
//! `description` is a plain scalar full of `: `, quotes and `<example>` tags). A reviewer
//! should not refuse such a file: the block is parsed whole with saphyr; when that fails,
//! each top-level key is parsed alone, a scalar key that still fails is read as plain text,
//! and any other key is skipped. Every fallback leaves a warning that names the key and
//! the line.

use saphyr::{LoadableYamlNode, Scalar, Yaml};
use serde_json::{Map, Value};

/// Keys whose value is a single line of text, read verbatim when they are not valid YAML.
const TEXT_KEYS: &[&str] = &["name", "description", "model", "type", "mode"];

/// The split of a file into front matter and body.
pub struct Split<'a> {
    /// The front matter text, without the `---` lines (None when the file has none).
    pub front: Option<&'a str>,
    /// 1-based line of the first front matter line.
    pub front_line: usize,
    pub body: &'a str,
}

/// Splits `text` into its front matter and body. Front matter exists only when the very
/// first line is `---` and a later line is `---` or `...`.
pub fn split(text: &str) -> (Split<'_>, Option<String>) {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = t.find('\n').unwrap_or(t.len());
    if t[..first_end].trim_end() != "---" {
        return (
            Split {
                front: None,
                front_line: 0,
                body: t,
            },
            None,
        );
    }
    let rest_start = (first_end + 1).min(t.len());
    let mut pos = rest_start;
    while pos < t.len() {
        let end = t[pos..].find('\n').map_or(t.len(), |i| pos + i);
        let line = t[pos..end].trim_end();
        if line == "---" || line == "..." {
            return (
                Split {
                    front: Some(&t[rest_start..pos]),
                    front_line: 2,
                    body: &t[(end + 1).min(t.len())..],
                },
                None,
            );
        }
        pos = end + 1;
    }
    (
        Split {
            front: None,
            front_line: 0,
            body: t,
        },
        Some("front matter opened with `---` on line 1 is never closed; read the whole file as instructions".into()),
    )
}

/// Parses front matter into a JSON object, as far as it can be read.
pub fn parse(front: &str, first_line: usize) -> (Map<String, Value>, Vec<String>) {
    let mut warnings = Vec::new();
    match load(front) {
        Ok(Value::Object(m)) => return (m, warnings),
        Ok(Value::Null) => return (Map::new(), warnings),
        Ok(_) => {
            warnings.push("front matter is not a mapping of keys; ignored".into());
            return (Map::new(), warnings);
        }
        Err(_) => {}
    }
    // Key by key.
    let mut out = Map::new();
    for entry in entries(front) {
        let line_no = first_line + entry.line;
        let Some((key, rest)) = top_key(entry.text) else {
            warnings.push(format!(
                "front matter line {line_no}: `{}` is not a `key: value` line; skipped",
                clip(entry.text.lines().next().unwrap_or(""), 40)
            ));
            continue;
        };
        match load(entry.text) {
            Ok(Value::Object(m)) => {
                for (k, v) in m {
                    out.insert(k, v);
                }
            }
            Ok(_) => warnings.push(format!(
                "front matter line {line_no}: `{key}` is not a `key: value` entry; skipped"
            )),
            Err(e) => {
                if TEXT_KEYS.contains(&key) {
                    let raw = plain_text(rest);
                    warnings.push(format!(
                        "front matter line {line_no}: `{key}` is not valid YAML ({e}); read as plain text"
                    ));
                    out.insert(key.to_string(), Value::String(raw));
                } else {
                    warnings.push(format!(
                        "front matter line {line_no}: `{key}` is not valid YAML ({e}); skipped"
                    ));
                }
            }
        }
    }
    (out, warnings)
}

struct Entry<'a> {
    /// 0-based line within the front matter.
    line: usize,
    text: &'a str,
}

/// Top-level entries: a line starting in column 0 (not a comment) opens an entry; indented,
/// blank and comment lines belong to the entry above.
fn entries(front: &str) -> Vec<Entry<'_>> {
    let mut out: Vec<Entry<'_>> = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (byte, line)
    let mut pos = 0;
    for (i, line) in front.split_inclusive('\n').enumerate() {
        let opens = line
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '#');
        if opens {
            if let Some((b, l)) = start {
                out.push(Entry {
                    line: l,
                    text: &front[b..pos],
                });
            }
            start = Some((pos, i));
        }
        pos += line.len();
    }
    if let Some((b, l)) = start {
        out.push(Entry {
            line: l,
            text: &front[b..],
        });
    }
    out
}

/// `key: rest` of an entry's first line.
fn top_key(entry: &str) -> Option<(&str, &str)> {
    let (k, rest) = entry.split_once(':')?;
    let k = k.trim().trim_matches(['"', '\'']);
    let ok = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    ok.then_some((k, rest))
}

/// A value that is not YAML, as plain text: continuation lines joined, outer quotes and
/// the literal `\n` escapes such files use turned into real newlines.
fn plain_text(rest: &str) -> String {
    let joined: Vec<&str> = rest.lines().map(str::trim).collect();
    let s = joined.join(" ");
    let s = s.trim();
    let s = if s.len() >= 2
        && ((s.starts_with('"') && s.ends_with('"')) || (s.starts_with('\'') && s.ends_with('\'')))
    {
        &s[1..s.len() - 1]
    } else {
        s
    };
    s.replace("\\n", "\n").trim().to_string()
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

/// One YAML document as JSON. Errors are one line.
fn load(text: &str) -> Result<Value, String> {
    let docs = Yaml::load_from_str(text).map_err(|e| e.to_string().replace('\n', " "))?;
    Ok(docs.first().map_or(Value::Null, to_json))
}

fn to_json(y: &Yaml<'_>) -> Value {
    match y {
        Yaml::Value(s) => scalar(s),
        Yaml::Representation(s, _, _) => Value::String(s.to_string()),
        Yaml::Sequence(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match to_json(k) {
                    Value::String(s) => s,
                    Value::Null => "null".to_string(),
                    other => other.to_string(),
                };
                out.insert(key, to_json(v));
            }
            Value::Object(out)
        }
        Yaml::Tagged(_, inner) => to_json(inner),
        Yaml::Alias(_) | Yaml::BadValue => Value::Null,
    }
}

fn scalar(s: &Scalar<'_>) -> Value {
    match s {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::from(*i),
        Scalar::FloatingPoint(f) => {
            serde_json::Number::from_f64(f.into_inner()).map_or(Value::Null, Value::Number)
        }
        Scalar::String(s) => Value::String(s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_front_matter_parses_whole() {
        let (s, w) = split("---\nname: a\nfallbacks:\n  - openai/gpt-4o\n---\nbody\n");
        assert!(w.is_none());
        let (m, warn) = parse(s.front.unwrap(), s.front_line);
        assert!(warn.is_empty(), "{warn:?}");
        assert_eq!(m["name"], "a");
        assert_eq!(m["fallbacks"][0], "openai/gpt-4o");
        assert_eq!(s.body, "body\n");
    }

    #[test]
    fn invalid_scalar_is_read_as_text_and_named() {
        let front = "name: x\ndescription: Use it. Examples:\\n\\n<example>\\nContext: user: 'We're here'\\n</example>\nmodel: anthropic/claude-sonnet-4-5\npermission:\n  bash:\n    \"git *\": allow\n";
        let (m, warn) = parse(front, 2);
        assert_eq!(m["name"], "x");
        assert_eq!(m["model"], "anthropic/claude-sonnet-4-5");
        assert_eq!(m["permission"]["bash"]["git *"], "allow");
        let d = m["description"].as_str().unwrap();
        assert!(d.starts_with("Use it. Examples:\n\n<example>"), "{d}");
        assert_eq!(warn.len(), 1, "{warn:?}");
        assert!(
            warn[0].contains("line 3") && warn[0].contains("`description`"),
            "{warn:?}"
        );
    }

    #[test]
    fn unreadable_structured_key_is_skipped_with_a_warning() {
        let front = "name: y\ntools: [read, {\n";
        let (m, warn) = parse(front, 2);
        assert_eq!(m["name"], "y");
        assert!(m.get("tools").is_none());
        assert!(warn[0].contains("`tools`") && warn[0].contains("skipped"));
    }

    #[test]
    fn unclosed_front_matter_is_body() {
        let (s, w) = split("---\nname: a\n");
        assert!(s.front.is_none());
        assert!(w.unwrap().contains("never closed"));
    }
}
