//! A small owned YAML tree with line numbers, built from saphyr's `MarkedYaml`.
//!
//! saphyr does the parsing (YAML 1.2, multi-document, anchors with an alias-expansion
//! budget that stops billion-laughs files); this module converts its output into a tree
//! that is `Send`, keeps the 1-based line and column of every node and mapping key, and
//! offers the few lookups the readers need (`get`, `path`, `as_str`, `truthy`). Scalars
//! keep their text; callers interpret them, because Kubernetes and compose accept YAML 1.1
//! spellings (`yes`, `True`) that a strict 1.2 reading would not.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

/// Mapping key that stands for content pagerproof could not resolve (a Helm `include`
/// whose output is unknown). A mapping holding it may have any other key.
pub const UNRESOLVED_KEY: &str = "__pagerproof_unresolved__";
/// Text that stands for a scalar pagerproof could not resolve.
pub const UNRESOLVED_VALUE: &str = "__pagerproof_unresolved_value__";

/// Deepest nesting converted; deeper content is dropped (hostile input).
const MAX_DEPTH: usize = 256;

#[derive(Clone, Debug, PartialEq)]
pub struct Y {
    /// 1-based line of the node's start.
    pub line: u32,
    /// 1-based column of the node's start.
    pub col: u32,
    pub v: V,
}

#[derive(Clone, Debug, PartialEq)]
pub enum V {
    Map(Vec<Entry>),
    Seq(Vec<Y>),
    /// A scalar's text (numbers and booleans as written, or as saphyr printed them).
    Scalar(String),
    Null,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub line: u32,
    pub col: u32,
    pub value: Y,
}

/// Why a YAML text could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// Anchors expand past saphyr's alias budget (a billion-laughs file, or a legitimate
    /// but alias-heavy one).
    AliasBudget,
    Syntax(String),
}

impl LoadError {
    /// The reason recorded in `skipped`.
    pub fn reason(&self) -> String {
        match self {
            LoadError::AliasBudget => "YAML alias budget exceeded".to_string(),
            LoadError::Syntax(e) => format!("not valid YAML: {e}"),
        }
    }
}

/// Loads every document of a YAML stream.
pub fn load(text: &str) -> Result<Vec<Y>, LoadError> {
    let docs = MarkedYaml::load_from_str(text).map_err(|e| {
        let msg = e.to_string();
        if msg.contains("alias expansion") {
            LoadError::AliasBudget
        } else {
            LoadError::Syntax(msg.chars().take(160).collect())
        }
    })?;
    Ok(docs.iter().map(|d| convert(d, 0)).collect())
}

fn convert(n: &MarkedYaml<'_>, depth: usize) -> Y {
    let line = n.span.start.line() as u32;
    let col = n.span.start.col() as u32 + 1;
    let mk = |v| Y { line, col, v };
    if depth > MAX_DEPTH {
        return mk(V::Null);
    }
    match &n.data {
        YamlData::Value(s) => match s {
            Scalar::Null => mk(V::Null),
            Scalar::Boolean(b) => mk(V::Scalar(b.to_string())),
            Scalar::Integer(i) => mk(V::Scalar(i.to_string())),
            Scalar::FloatingPoint(f) => mk(V::Scalar(f.to_string())),
            Scalar::String(s) => mk(V::Scalar(s.to_string())),
        },
        YamlData::Representation(s, _, _) => mk(V::Scalar(s.to_string())),
        YamlData::Sequence(items) => mk(V::Seq(
            items.iter().map(|i| convert(i, depth + 1)).collect(),
        )),
        YamlData::Mapping(m) => {
            let mut out = Vec::with_capacity(m.len());
            for (k, val) in m.iter() {
                let key = match &k.data {
                    YamlData::Value(Scalar::String(s)) => s.to_string(),
                    YamlData::Value(Scalar::Integer(i)) => i.to_string(),
                    YamlData::Value(Scalar::Boolean(b)) => b.to_string(),
                    YamlData::Value(Scalar::FloatingPoint(f)) => f.to_string(),
                    YamlData::Value(Scalar::Null) => "null".to_string(),
                    YamlData::Representation(s, _, _) => s.to_string(),
                    // `<<` merge keys and complex keys are kept under their own name.
                    _ => continue,
                };
                out.push(Entry {
                    key,
                    line: k.span.start.line() as u32,
                    col: k.span.start.col() as u32 + 1,
                    value: convert(val, depth + 1),
                });
            }
            mk(V::Map(out))
        }
        YamlData::Tagged(_, inner) => convert(inner, depth + 1),
        YamlData::Alias(_) | YamlData::BadValue => mk(V::Null),
    }
}

impl Y {
    pub fn null(line: u32) -> Y {
        Y {
            line,
            col: 1,
            v: V::Null,
        }
    }

    /// The value of a mapping key.
    pub fn get(&self, key: &str) -> Option<&Y> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry (key position and value) of a mapping key.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.v {
            V::Map(m) => m.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// Follows a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Y> {
        let mut cur = self;
        for k in keys {
            cur = cur.get(k)?;
        }
        Some(cur)
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.v {
            V::Map(m) => m,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Y] {
        match &self.v {
            V::Seq(s) => s,
            _ => &[],
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.v, V::Map(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self.v, V::Null)
    }

    /// The scalar's text (`None` for collections and null).
    pub fn as_str(&self) -> Option<&str> {
        match &self.v {
            V::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// A scalar's text, `""` otherwise.
    pub fn text(&self) -> &str {
        self.as_str().unwrap_or("")
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.as_str()?.trim().parse().ok()
    }

    /// YAML 1.1 and 1.2 booleans, as Kubernetes and compose read them.
    pub fn as_bool(&self) -> Option<bool> {
        match self.as_str()?.trim() {
            "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
            "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
            _ => None,
        }
    }

    /// Whether this value came from something pagerproof could not resolve (a Helm
    /// expression): then no absence or value may be concluded from it.
    pub fn is_unresolved(&self) -> bool {
        match &self.v {
            V::Scalar(s) => s.contains(UNRESOLVED_VALUE),
            V::Map(m) => m.iter().any(|e| e.key == UNRESOLVED_KEY),
            _ => false,
        }
    }

    /// Whether a mapping may hold keys pagerproof could not see.
    pub fn has_unknown_keys(&self) -> bool {
        self.entries().iter().any(|e| e.key == UNRESOLVED_KEY) || self.text() == UNRESOLVED_VALUE
    }

    /// Rewrites every line number through `map` (rendered line -> template line).
    pub fn remap_lines(&mut self, map: &dyn Fn(u32) -> u32) {
        self.line = map(self.line);
        match &mut self.v {
            V::Map(m) => {
                for e in m {
                    e.line = map(e.line);
                    e.value.remap_lines(map);
                }
            }
            V::Seq(s) => {
                for i in s {
                    i.remap_lines(map);
                }
            }
            _ => {}
        }
    }

    /// The scalars of a sequence of strings (or a single scalar).
    pub fn strings(&self) -> Vec<&str> {
        match &self.v {
            V::Seq(s) => s.iter().filter_map(|i| i.as_str()).collect(),
            V::Scalar(s) => vec![s.as_str()],
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_keys() {
        let docs = load("a: 1\nb:\n  c: [x, y]\n---\nkind: Pod\n").unwrap();
        assert_eq!(docs.len(), 2);
        let b = docs[0].entry("b").unwrap();
        assert_eq!(b.line, 2);
        assert_eq!(docs[0].path(&["b", "c"]).unwrap().strings(), vec!["x", "y"]);
        assert_eq!(docs[1].entry("kind").unwrap().line, 5);
        assert_eq!(docs[0].get("a").unwrap().as_i64(), Some(1));
    }

    #[test]
    fn alias_bomb_is_rejected() {
        let mut s = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let refs = vec![format!("*{}", w[0]); 9].join(",");
            s.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], refs));
        }
        assert_eq!(load(&s), Err(LoadError::AliasBudget));
    }

    #[test]
    fn syntax_error() {
        assert!(matches!(load("a: [\n"), Err(LoadError::Syntax(_))));
    }
}
