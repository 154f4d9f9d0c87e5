//! Personas: who narrates the review. The format is an agent definition (as in the
//! user's `staff-engineer-agent.md`): YAML front matter (`name`, `description`, `model`,
//! `fallbacks`, `tools`, `permission`) and a Markdown body of instructions. A plain
//! Markdown file is a persona too, with defaults for everything but its instructions.
//!
//! Built-in personas (`staff`, `prr`, `sre`) are embedded in the binary.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::frontmatter;
use crate::provider::{ModelRef, Provider};

/// Instructions longer than this are cut (with a warning): they are sent on every request.
pub const MAX_INSTRUCTIONS_BYTES: usize = 64 * 1024;

/// What a permission rule decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Allow,
    Ask,
    Deny,
}

impl Action {
    fn parse(s: &str) -> Option<Action> {
        match s.trim().to_ascii_lowercase().as_str() {
            "allow" => Some(Action::Allow),
            "ask" => Some(Action::Ask),
            "deny" => Some(Action::Deny),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Ask => "ask",
            Action::Deny => "deny",
        }
    }
}

/// `permission:` as agent files write it: one action for everything (`permission: ask`),
/// or per tool (`read`, `grep`, `bash`, `*`) either one action or a map of wildcard
/// patterns to actions. Patterns: `*` any run of characters (slashes and spaces too), `?`
/// one character; the last matching pattern wins (put `"*"` first).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Permission {
    /// `(tool key, [(pattern, action)])` in file order; a bare action is pattern `*`.
    pub rules: Vec<(String, Vec<(String, Action)>)>,
}

impl Permission {
    fn from_json(v: &Value, warnings: &mut Vec<String>) -> Permission {
        let mut rules = Vec::new();
        match v {
            Value::String(s) => match Action::parse(s) {
                Some(a) => rules.push(("*".to_string(), vec![("*".to_string(), a)])),
                None => warnings.push(format!("permission: `{s}` is not allow/ask/deny; ignored")),
            },
            Value::Object(m) => {
                for (tool, spec) in m {
                    let mut pats = Vec::new();
                    match spec {
                        Value::String(s) => match Action::parse(s) {
                            Some(a) => pats.push(("*".to_string(), a)),
                            None => warnings.push(format!(
                                "permission.{tool}: `{s}` is not allow/ask/deny; ignored"
                            )),
                        },
                        Value::Object(pm) => {
                            for (pat, act) in pm {
                                match act.as_str().and_then(Action::parse) {
                                    Some(a) => pats.push((pat.clone(), a)),
                                    None => warnings.push(format!(
                                        "permission.{tool}.{pat:?}: not allow/ask/deny; ignored"
                                    )),
                                }
                            }
                        }
                        _ => warnings.push(format!(
                            "permission.{tool}: expected an action or a map of patterns; ignored"
                        )),
                    }
                    rules.push((tool.clone(), pats));
                }
            }
            Value::Null => {}
            _ => warnings.push("permission: expected an action or a mapping; ignored".into()),
        }
        Permission { rules }
    }

    /// The action for `tool` on `input`: the tool's own rules first (last match wins),
    /// then the `*` entry; `None` when no rule speaks.
    pub fn decide(&self, tool: &str, input: &str) -> Option<Action> {
        let eval = |key: &str| {
            let mut out = None;
            for (k, pats) in &self.rules {
                if k == key {
                    for (p, a) in pats {
                        if wildcard(p, input) {
                            out = Some(*a);
                        }
                    }
                }
            }
            out
        };
        eval(tool).or_else(|| eval("*"))
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// `*` = any run of characters, `?` = one character, everything else literal. A pattern
/// ending in ` *` also matches the command without arguments (`git *` matches `git`).
pub fn wildcard(pattern: &str, text: &str) -> bool {
    if let Some(head) = pattern.strip_suffix(" *")
        && head == text
    {
        return true;
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// A loaded persona.
#[derive(Clone, Debug, Serialize)]
pub struct Persona {
    pub name: String,
    pub description: String,
    /// `builtin:staff` or the file it was read from.
    pub source: String,
    pub model: Option<ModelRef>,
    pub fallbacks: Vec<ModelRef>,
    /// `tools:` switches (`read: false` turns a tool off).
    pub tools: BTreeMap<String, bool>,
    pub permission: Permission,
    /// The Markdown body: instructions to the model.
    pub instructions: String,
    /// What could not be read, one line each.
    pub warnings: Vec<String>,
}

impl Persona {
    /// Whether the persona asks for tools at all: it has a `tools` or `permission` entry.
    /// Personas without either (plain Markdown instructions) get no tools.
    pub fn wants_tools(&self) -> bool {
        !self.tools.is_empty() || !self.permission.is_empty()
    }

    /// The model chain the persona asks for (model, then fallbacks).
    pub fn model_chain(&self) -> Vec<ModelRef> {
        self.model.iter().chain(&self.fallbacks).cloned().collect()
    }
}

/// Names of the built-in personas.
pub const BUILTIN: &[(&str, &str)] = &[
    ("staff", include_str!("../personas/staff.md")),
    ("prr", include_str!("../personas/prr.md")),
    ("sre", include_str!("../personas/sre.md")),
];

/// Parses a persona from its text. `fallback_name` names it when the front matter does not.
pub fn parse(text: &str, source: &str, fallback_name: &str) -> Persona {
    let (sp, unclosed) = frontmatter::split(text);
    let mut warnings: Vec<String> = unclosed.into_iter().collect();
    let (front, w) = match sp.front {
        Some(f) => frontmatter::parse(f, sp.front_line),
        None => (serde_json::Map::new(), Vec::new()),
    };
    warnings.extend(w);
    let text_of = |k: &str| front.get(k).and_then(Value::as_str).map(str::to_string);
    let name = text_of("name")
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| fallback_name.to_string());
    let description = text_of("description").unwrap_or_default();
    let model = match front.get("model") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(ModelRef::parse(s)),
        Some(Value::Null) | None => None,
        Some(_) => {
            warnings.push("model: expected a model name; ignored".into());
            None
        }
    };
    let mut fallbacks = Vec::new();
    match front.get("fallbacks") {
        Some(Value::Array(items)) => {
            for it in items {
                match it.as_str() {
                    Some(s) if !s.trim().is_empty() => fallbacks.push(ModelRef::parse(s)),
                    _ => warnings.push("fallbacks: an entry is not a model name; ignored".into()),
                }
            }
        }
        Some(Value::String(s)) => fallbacks.push(ModelRef::parse(s)),
        Some(Value::Null) | None => {}
        Some(_) => warnings.push("fallbacks: expected a list of model names; ignored".into()),
    }
    let mut tools = BTreeMap::new();
    match front.get("tools") {
        Some(Value::Object(m)) => {
            for (k, v) in m {
                match v.as_bool() {
                    Some(b) => {
                        tools.insert(k.clone(), b);
                    }
                    None => warnings.push(format!("tools.{k}: expected true or false; ignored")),
                }
            }
        }
        Some(Value::Array(items)) => {
            for it in items {
                if let Some(s) = it.as_str() {
                    tools.insert(s.to_string(), true);
                }
            }
        }
        Some(Value::Null) | None => {}
        Some(_) => warnings.push("tools: expected a mapping of tool: true/false; ignored".into()),
    }
    let permission = front
        .get("permission")
        .map(|v| Permission::from_json(v, &mut warnings))
        .unwrap_or_default();
    let mut instructions = sp.body.trim().to_string();
    if instructions.len() > MAX_INSTRUCTIONS_BYTES {
        let mut cut = MAX_INSTRUCTIONS_BYTES;
        while !instructions.is_char_boundary(cut) {
            cut -= 1;
        }
        warnings.push(format!(
            "instructions are {} KB; only the first {} KB are sent",
            instructions.len() / 1024,
            MAX_INSTRUCTIONS_BYTES / 1024
        ));
        instructions.truncate(cut);
    }
    if instructions.is_empty() {
        warnings
            .push("the persona has no instructions; the default review instructions apply".into());
    }
    Persona {
        name,
        description,
        source: source.to_string(),
        model,
        fallbacks,
        tools,
        permission,
        instructions,
        warnings,
    }
}

/// A built-in persona by name.
pub fn builtin(name: &str) -> Option<Persona> {
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| parse(text, &format!("builtin:{n}"), n))
}

/// Reads a persona file. The name defaults to the file stem.
pub fn load_file(path: &Path) -> Result<Persona, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read persona {}: {e}", path.display()))?;
    if bytes.len() > 4 * 1024 * 1024 {
        return Err(format!(
            "persona {} is larger than 4 MB; not a persona",
            path.display()
        ));
    }
    let text = String::from_utf8_lossy(&bytes);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "persona".into());
    Ok(parse(&text, &path.to_string_lossy(), &stem))
}

/// `--persona NAME|FILE`: a built-in name, else a file.
pub fn resolve(spec: &str) -> Result<Persona, String> {
    if let Some(p) = builtin(spec) {
        return Ok(p);
    }
    let path = Path::new(spec);
    if path.is_file() {
        return load_file(path);
    }
    Err(format!(
        "no persona `{spec}`: not a built-in ({}) and not a file",
        BUILTIN
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// The provider a persona's first model names, if any.
pub fn preferred_provider(p: &Persona) -> Option<Provider> {
    p.model_chain().iter().find_map(|m| m.provider)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_matches_like_agent_permissions() {
        assert!(wildcard("git *", "git log -n 5"));
        assert!(wildcard("git *", "git"));
        assert!(wildcard("*", "anything at all"));
        assert!(!wildcard("git log*", "git push"));
        assert!(wildcard("src/*.go", "src/a/b.go"));
        assert!(wildcard("?.md", "a.md"));
        assert!(!wildcard("?.md", "ab.md"));
    }

    #[test]
    fn last_matching_rule_wins() {
        let mut w = Vec::new();
        let v: Value = serde_json::json!({"bash": {"*": "ask", "git *": "allow", "git push *": "deny"}, "*": "deny"});
        let p = Permission::from_json(&v, &mut w);
        assert!(w.is_empty());
        assert_eq!(p.decide("bash", "git log -n 3"), Some(Action::Allow));
        assert_eq!(p.decide("bash", "git push origin"), Some(Action::Deny));
        assert_eq!(p.decide("bash", "ls"), Some(Action::Ask));
        assert_eq!(p.decide("read", "a.txt"), Some(Action::Deny));
    }

    #[test]
    fn builtins_load_cleanly() {
        for (n, _) in BUILTIN {
            let p = builtin(n).unwrap();
            assert!(p.warnings.is_empty(), "{n}: {:?}", p.warnings);
            assert!(!p.instructions.is_empty());
            assert_eq!(p.source, format!("builtin:{n}"));
        }
    }

    #[test]
    fn provider_prefix_is_stripped() {
        let p = parse(
            "---\nname: t\nmodel: anthropic/claude-sonnet-4-5\nfallbacks:\n  - openai/gpt-4o\n  - llama3.1:8b\n---\nDo it.\n",
            "t.md",
            "t",
        );
        let chain = p.model_chain();
        assert_eq!(chain[0].provider, Some(Provider::Anthropic));
        assert_eq!(chain[0].name, "claude-sonnet-4-5");
        assert_eq!(chain[1].provider, Some(Provider::OpenAi));
        assert_eq!(chain[1].name, "gpt-4o");
        assert_eq!(chain[2].provider, None);
        assert_eq!(chain[2].name, "llama3.1:8b");
    }
}
