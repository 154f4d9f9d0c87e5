//! `pagerproof.toml`: the user's configuration, in two layers (after ruff).
//!
//! [`Config`] is the file as written: every field optional, unknown keys rejected with an
//! error that names them. [`Settings`] is what analysis reads: the file merged with the
//! command line and the defaults, with globs compiled. Rules never see the raw file.

use std::collections::BTreeMap;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use crate::model::Severity;

/// Default cap on the size of an analysed file (bigger files are skipped with a reason).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// The configuration file as written.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub review: ReviewConfig,
    #[serde(default)]
    pub rules: RulesConfig,
    /// Component overrides: declare, rename or re-kind a deployable unit.
    #[serde(default)]
    pub components: Vec<ComponentOverride>,
    #[serde(default)]
    pub suppressions: SuppressionConfig,
    #[serde(default)]
    pub llm: LlmConfig,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReviewConfig {
    /// Globs (relative to the root) of paths not to review.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are skipped.
    pub max_file_size: Option<u64>,
    /// Run rules that are still in preview.
    pub preview: Option<bool>,
    /// Default for `--fail-on`.
    pub fail_on: Option<String>,
    /// Per-file time budget in milliseconds (a file over it is skipped with a reason).
    pub file_budget_ms: Option<u64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// Rule ids or categories to turn off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Rule ids or categories to turn on (preview rules included).
    #[serde(default)]
    pub enable: Vec<String>,
    /// Severity overrides, by rule id or category.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ComponentOverride {
    /// Folder of the component, relative to the root.
    pub path: String,
    pub name: Option<String>,
    /// `service`, `job`, `cli`, `library` or `infrastructure`.
    pub kind: Option<String>,
    /// `false` drops a detected component.
    pub enabled: Option<bool>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SuppressionConfig {
    /// Allow inline suppressions of P0 findings (refused by default).
    pub allow_p0: Option<bool>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LlmConfig {
    /// `anthropic` or `openai` (any OpenAI-compatible endpoint).
    pub provider: Option<String>,
    pub base_url: Option<String>,
    pub model: Option<String>,
    /// Persona name (`staff`, `prr`, `sre`) or file.
    pub persona: Option<String>,
    pub max_tokens: Option<u32>,
    /// Budget for the evidence sent, in approximate tokens.
    pub evidence_tokens: Option<u32>,
    /// Total time budget for the narration, seconds.
    pub budget_seconds: Option<u64>,
    pub connect_timeout_seconds: Option<u64>,
    pub read_timeout_seconds: Option<u64>,
    pub max_retries: Option<u32>,
}

impl Config {
    /// Parses the text of a `pagerproof.toml`. `path` is only used in error messages.
    pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
        // The message and position only: toml's full rendering quotes the offending line,
        // which may hold a credential, into error output (CI logs).
        let cfg: Config = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: path.to_string(),
            message: {
                let msg = e.message().trim().replace('\n', " ");
                match e.span() {
                    Some(span) => {
                        let before = text.get(..span.start).unwrap_or("");
                        let line = before.matches('\n').count() + 1;
                        let start = before.rsplit('\n').next().unwrap_or("");
                        let col = start.chars().count() + 1;
                        // The key the value belongs to (a bare key is never a secret).
                        let key = start.split_once('=').map(|(k, _)| k.trim()).filter(|k| {
                            !k.is_empty()
                                && k.chars()
                                    .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
                        });
                        match key {
                            Some(k) => format!("line {line}, column {col}: {k}: {msg}"),
                            None => format!("line {line}, column {col}: {msg}"),
                        }
                    }
                    None => msg,
                }
            },
        })?;
        cfg.validate(path)?;
        Ok(cfg)
    }

    fn validate(&self, path: &str) -> Result<(), ConfigError> {
        // One line: values quoted from the file (a glob) may hold newlines.
        let bad = |message: String| ConfigError::Invalid {
            path: path.to_string(),
            message: message.replace('\n', "\\n").replace('\r', "\\r"),
        };
        for (k, v) in &self.rules.severity {
            if Severity::parse(v).is_none() {
                return Err(bad(format!(
                    "rules.severity.{k} = {v:?}: expected one of P0, P1, P2, P3"
                )));
            }
        }
        if let Some(f) = &self.review.fail_on
            && Severity::parse(f).is_none()
            && f != "never"
        {
            return Err(bad(format!(
                "review.fail_on = {f:?}: expected P0, P1, P2, P3 or \"never\""
            )));
        }
        for g in &self.review.exclude {
            Glob::new(g)
                .map_err(|e| bad(format!("review.exclude: {g:?} is not a valid glob: {e}")))?;
        }
        for c in &self.components {
            if let Some(k) = &c.kind
                && ![
                    "service",
                    "job",
                    "cli",
                    "library",
                    "infrastructure",
                    "browser-app",
                ]
                .contains(&k.as_str())
            {
                return Err(bad(format!(
                    "components: kind {k:?} for {:?}: expected service, job, cli, library, infrastructure or browser-app",
                    c.path
                )));
            }
        }
        if let Some(p) = &self.llm.provider
            && p != "anthropic"
            && p != "openai"
        {
            return Err(bad(format!(
                "llm.provider = {p:?}: expected \"anthropic\" or \"openai\""
            )));
        }
        Ok(())
    }
}

/// What analysis reads: configuration resolved against the defaults and the command line.
#[derive(Clone, Debug)]
pub struct Settings {
    pub max_file_size: u64,
    pub preview: bool,
    pub exclude: GlobSet,
    pub exclude_patterns: Vec<String>,
    pub disabled: Vec<String>,
    pub enabled: Vec<String>,
    pub severity_overrides: BTreeMap<String, Severity>,
    pub components: Vec<ComponentOverride>,
    pub allow_p0_suppressions: bool,
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// Per-file analysis budget.
    pub file_budget_ms: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            preview: false,
            exclude: GlobSet::empty(),
            exclude_patterns: Vec::new(),
            disabled: Vec::new(),
            enabled: Vec::new(),
            severity_overrides: BTreeMap::new(),
            components: Vec::new(),
            allow_p0_suppressions: false,
            threads: 0,
            file_budget_ms: 10_000,
        }
    }
}

impl Settings {
    /// Resolves a configuration (already validated by [`Config::parse`]).
    pub fn from_config(cfg: &Config) -> Settings {
        let mut b = GlobSetBuilder::new();
        for g in &cfg.review.exclude {
            if let Ok(glob) = Glob::new(g) {
                b.add(glob);
            }
            // `dir/` and `dir` also mean everything below it.
            let trimmed = g.trim_end_matches('/');
            if !trimmed.contains('*')
                && let Ok(glob) = Glob::new(&format!("{trimmed}/**"))
            {
                b.add(glob);
            }
        }
        Settings {
            max_file_size: cfg.review.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
            preview: cfg.review.preview.unwrap_or(false),
            exclude: b.build().unwrap_or_else(|_| GlobSet::empty()),
            exclude_patterns: cfg.review.exclude.clone(),
            disabled: cfg.rules.disable.clone(),
            enabled: cfg.rules.enable.clone(),
            severity_overrides: cfg
                .rules
                .severity
                .iter()
                .filter_map(|(k, v)| Severity::parse(v).map(|s| (k.clone(), s)))
                .collect(),
            components: cfg.components.clone(),
            allow_p0_suppressions: cfg.suppressions.allow_p0.unwrap_or(false),
            threads: 0,
            file_budget_ms: cfg.review.file_budget_ms.unwrap_or(10_000),
        }
    }

    /// Is a rule on? `preview` rules run only when preview is on or they are enabled by
    /// id or category; a rule disabled by id or category is off.
    pub fn rule_enabled(&self, id: &str, category: &str, preview: bool) -> bool {
        let named = |list: &[String]| list.iter().any(|x| x == id || x == category);
        if named(&self.disabled) {
            return false;
        }
        !preview || self.preview || named(&self.enabled)
    }

    /// The severity a finding of this rule gets, after overrides (rule id wins).
    pub fn severity_for(&self, id: &str, category: &str, default: Severity) -> Severity {
        self.severity_overrides
            .get(id)
            .or_else(|| self.severity_overrides.get(category))
            .copied()
            .unwrap_or(default)
    }

    pub fn is_excluded(&self, rel_path: &str) -> bool {
        self.exclude.is_match(rel_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_rejected_with_their_name() {
        let err = Config::parse("[review]\nexclud = []\n", "pagerproof.toml").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("exclud"), "{msg}");
        assert!(msg.starts_with("pagerproof.toml:"), "{msg}");
    }

    #[test]
    fn parse_errors_do_not_quote_the_file() {
        let err = Config::parse(
            "[review]\napi_key = \"sk-ant-api03-QmVyeVNlY3JldFZhbHVlMTIzNDU2\"\n",
            "p.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("line 2, column 1"), "{err}");
        assert!(err.contains("api_key"), "{err}");
        assert!(!err.contains("QmVyeVNlY3JldFZhbHVl"), "{err}");
        let err = Config::parse("[rules]\ndisable = [\"x\" \"hunter2-secret\"]\n", "p.toml")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn bad_severity_is_explained() {
        let err = Config::parse("[rules.severity]\nTIMEOUT = \"high\"\n", "p.toml").unwrap_err();
        assert!(err.to_string().contains("expected one of P0"), "{err}");
    }

    #[test]
    fn resolves_overrides_and_excludes() {
        let cfg = Config::parse(
            "[review]\nexclude = [\"legacy\", \"**/*.gen.go\"]\n[rules]\ndisable = [\"DEBUG\"]\n[rules.severity]\nTIMEOUT = \"P2\"\n",
            "p.toml",
        )
        .unwrap();
        let s = Settings::from_config(&cfg);
        assert!(s.is_excluded("legacy/a.py"));
        assert!(s.is_excluded("x/y.gen.go"));
        assert!(!s.is_excluded("src/legacy.py"));
        assert!(!s.rule_enabled("flask-debug-mode", "DEBUG", false));
        assert!(s.rule_enabled("x", "TIMEOUT", false));
        assert!(!s.rule_enabled("x", "TIMEOUT", true));
        assert_eq!(s.severity_for("x", "TIMEOUT", Severity::P1), Severity::P2);
    }
}
