//! Optional narration of a pagerproof review by a language model (`review --llm`).
//!
//! The deterministic report is the evidence; a persona narrates it and never replaces it.
//! [`narrate`] takes a finished [`Report`], sends the persona, a compact JSON view of the
//! evidence and bounded code excerpts (redacted) to the configured provider, checks every
//! citation in the answer against the report and the files, and returns a [`Narrative`]
//! that the binary stores in `Report::narrative`. It never fails: on any error the
//! narrative says so (`status: "failed"`) and the deterministic report stands alone.
//!
//! # The `narrative` JSON field
//!
//! `Report::narrative` holds a serialised [`Narrative`] (`schema: "pagerproof.narrative/1"`):
//! `status` (`ok`/`failed`), `persona` (`name`, `source`), `provider`, `model`,
//! `endpoint` (scheme://host of the API), `cached`, `text` (the model's answer as written),
//! `markdown` (the rendered section, unverified claims marked: what every human format
//! prints), `claims` (each citation checked: `kind`, `cited`, `verified`, `reason`),
//! `unverified` (count), `tool_calls` (every tool call: `tool`, `input`, `outcome`,
//! `detail`, `bytes`), `evidence` (what was sent: `findings_total`, `findings_sent`,
//! `excerpts`, `approx_tokens`, `budget_tokens`, `omitted`), `attempts` (each HTTP
//! attempt: `model`, `outcome`, `elapsed_ms`, `waited_ms`), `usage` (`input_tokens`,
//! `output_tokens`), `warnings`, and `error` when it failed. Renderers only need
//! `pagerproof_core::narrative::markdown(&report)`.

pub mod cache;
pub mod client;
pub mod evidence;
pub mod frontmatter;
pub mod grounding;
pub mod persona;
pub mod provider;
pub mod redact;
pub mod render;
pub mod testing;
pub mod tools;

use std::path::Path;
use std::time::{Duration, Instant};

use pagerproof_core::Report;
use pagerproof_core::config::LlmConfig;
use serde::{Deserialize, Serialize};

use crate::client::{ApiKey, Attempt, Client, Policy};
use crate::evidence::EvidenceStats;
use crate::grounding::Claim;
use crate::persona::Persona;
use crate::provider::{ModelRef, Provider};
use crate::redact::Redactor;
use crate::tools::{RepoTools, ToolLog};

/// Bumped when the prompt changes, so cached answers to an older prompt are not reused.
pub const PROMPT_VERSION: &str = "pagerproof-llm-prompt/1";
pub const SCHEMA: &str = "pagerproof.narrative/1";

/// Defaults of `[llm]` settings.
pub const DEFAULT_MAX_TOKENS: u32 = 4096;
pub const DEFAULT_EVIDENCE_TOKENS: u32 = 24_000;
pub const DEFAULT_BUDGET_SECONDS: u64 = 300;
/// Rounds of tool calls before the model must answer.
pub const MAX_TOOL_ROUNDS: usize = 6;

/// The environment the narration reads (taken from the process by the binary; tests build
/// it by hand).
#[derive(Clone, Debug, Default)]
pub struct LlmEnv {
    /// `PAGERPROOF_LLM_PROVIDER`
    pub provider: Option<String>,
    /// `PAGERPROOF_LLM_BASE_URL`
    pub base_url: Option<String>,
    /// `PAGERPROOF_LLM_MODEL`
    pub model: Option<String>,
    /// `ANTHROPIC_API_KEY`
    pub anthropic_key: Option<ApiKey>,
    /// `OPENAI_API_KEY`
    pub openai_key: Option<ApiKey>,
    /// `XDG_CACHE_HOME`
    pub xdg_cache_home: Option<String>,
    /// `HOME`
    pub home: Option<String>,
}

impl LlmEnv {
    pub fn from_process() -> LlmEnv {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        LlmEnv {
            provider: var("PAGERPROOF_LLM_PROVIDER"),
            base_url: var("PAGERPROOF_LLM_BASE_URL"),
            model: var("PAGERPROOF_LLM_MODEL"),
            anthropic_key: var("ANTHROPIC_API_KEY").and_then(|k| ApiKey::new(&k)),
            openai_key: var("OPENAI_API_KEY").and_then(|k| ApiKey::new(&k)),
            xdg_cache_home: var("XDG_CACHE_HOME"),
            home: var("HOME"),
        }
    }
}

/// What the caller asks for.
pub struct Options<'a> {
    /// `[llm]` of `pagerproof.toml`.
    pub config: LlmConfig,
    /// Whether that file was found in the reviewed repository (not passed with `--config`):
    /// then its `base_url` never receives the API key, and its `persona` file must lie
    /// inside the repository.
    pub config_from_repository: bool,
    /// `--persona NAME|FILE`.
    pub persona: Option<String>,
    pub env: LlmEnv,
    /// Approver for permission `ask` (None: not interactive, `ask` is refused).
    pub ask: Option<&'a dyn Fn(&str) -> bool>,
    /// Overrides the client policy (tests use short backoffs).
    pub policy: Option<Policy>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonaInfo {
    pub name: String,
    pub source: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

/// The `narrative` field of the report (see the crate documentation).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Narrative {
    pub schema: String,
    /// `ok` or `failed`.
    pub status: String,
    pub persona: PersonaInfo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    pub cached: bool,
    pub text: String,
    pub markdown: String,
    pub claims: Vec<Claim>,
    pub unverified: usize,
    pub tool_calls: Vec<ToolLog>,
    pub evidence: EvidenceStats,
    pub attempts: Vec<Attempt>,
    pub usage: Usage,
    pub warnings: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Narrative {
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

/// The narration and the lines the binary should print on stderr.
pub struct Outcome {
    pub narrative: Narrative,
    /// Warnings and the failure, one line each (never a secret).
    pub notes: Vec<String>,
}

const DEFAULT_INSTRUCTIONS: &str = "You are a senior engineer reviewing this repository for production readiness. \
Explain the most important risks, how they will fail in production, and what to fix first.";

/// The system prompt: the persona's instructions, then our rules of evidence.
pub fn system_prompt(p: &Persona, tools_offered: bool) -> String {
    let instructions = if p.instructions.trim().is_empty() {
        DEFAULT_INSTRUCTIONS
    } else {
        p.instructions.trim()
    };
    let mut s = format!(
        "{instructions}\n\n---\n\n# Rules of evidence (pagerproof)\n\n\
You are narrating a deterministic review produced by pagerproof. Its findings were detected by rules in \
the code, each at a file and a line, with a severity (P0 data loss or security breach, P1 outage or stuck \
system, P2 operational pain, P3 hygiene). Judge, group, prioritise and explain them; do not invent findings, \
files or lines, and do not contradict a severity without saying so and why. When the evidence does not \
answer a question, say so. The reader sees the deterministic findings next to your text, so do not \
list them all again: add judgement.\n\n{}\n",
        grounding::CONVENTION
    );
    if tools_offered {
        s.push_str(&format!(
            "\nYou may call the read-only tools (read_file, search, git_log) to check something in the \
repository before you claim it. Use them sparingly: at most {} calls in all.\n",
            tools::MAX_CALLS
        ));
    }
    s.push_str("\nWrite Markdown, at most about 900 words.\n");
    s
}

/// Everything resolved before any request.
struct Plan {
    provider: Provider,
    base_url: String,
    models: Vec<String>,
    key: Option<ApiKey>,
    warnings: Vec<String>,
}

fn plan(opts: &Options<'_>, persona: &Persona) -> Result<Plan, String> {
    let mut warnings = Vec::new();
    let env = &opts.env;
    let cfg = &opts.config;
    let explicit =
        match env.provider.as_deref().or(cfg.provider.as_deref()) {
            Some(s) => Some(Provider::parse(s).ok_or_else(|| {
                format!("unknown provider `{s}`: expected `anthropic` or `openai`")
            })?),
            None => None,
        };
    let forced = env
        .model
        .as_deref()
        .or(cfg.model.as_deref())
        .map(ModelRef::parse);
    let provider = match (&explicit, &forced) {
        (
            Some(p),
            Some(ModelRef {
                provider: Some(q),
                name,
            }),
        ) if p != q => {
            return Err(format!(
                "the model `{}/{name}` names provider {} but the provider is set to {}",
                q.as_str(),
                q.as_str(),
                p.as_str()
            ));
        }
        (Some(p), _) => *p,
        (
            None,
            Some(ModelRef {
                provider: Some(q), ..
            }),
        ) => *q,
        (None, _) => persona::preferred_provider(persona).unwrap_or(Provider::Anthropic),
    };
    let (base_url, base_from_repo) = match (&env.base_url, &cfg.base_url) {
        (Some(b), _) => (b.clone(), false),
        (None, Some(b)) => (b.clone(), opts.config_from_repository),
        (None, None) => (provider.default_base_url().to_string(), false),
    };
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        return Err(format!(
            "base URL `{base_url}` must start with http:// or https://"
        ));
    }
    let official = base_url.trim_end_matches('/') == provider.default_base_url();
    let mut models: Vec<String> = Vec::new();
    match forced {
        Some(m) => models.push(m.name),
        None => {
            for m in persona.model_chain() {
                match m.provider {
                    Some(p) if p != provider => warnings.push(format!(
                        "persona model `{}/{}` is for another provider than {}; skipped",
                        p.as_str(),
                        m.name,
                        provider.as_str()
                    )),
                    _ => {
                        if !models.contains(&m.name) {
                            models.push(m.name)
                        }
                    }
                }
            }
        }
    }
    if models.is_empty() {
        if official {
            models.push(provider.default_model().to_string());
        } else {
            return Err(format!(
                "no model for {base_url}: set PAGERPROOF_LLM_MODEL or `model` under [llm] in pagerproof.toml"
            ));
        }
    }
    let key = match provider {
        Provider::Anthropic => env.anthropic_key.clone(),
        Provider::OpenAi => env.openai_key.clone(),
    };
    let key = if base_from_repo && !official {
        if key.is_some() {
            warnings.push(format!(
                "base_url comes from the reviewed repository's pagerproof.toml: {} is not sent to it \
(set PAGERPROOF_LLM_BASE_URL or pass --config to trust it)",
                provider.key_var()
            ));
        }
        None
    } else {
        key
    };
    if key.is_none() && official {
        return Err(format!(
            "{} is not set; it is needed for {}",
            provider.key_var(),
            base_url
        ));
    }
    Ok(Plan {
        provider,
        base_url,
        models,
        key,
        warnings,
    })
}

/// scheme://host[:port] of a URL, without credentials or path.
fn endpoint_shown(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split('/').next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    format!("{scheme}://{host}")
}

fn resolve_persona(opts: &Options<'_>, root: &Path) -> Result<Persona, String> {
    if let Some(spec) = &opts.persona {
        return persona::resolve(spec);
    }
    match &opts.config.persona {
        None => {
            Ok(persona::builtin("staff").unwrap_or_else(|| persona::parse("", "builtin", "staff")))
        }
        Some(spec) => {
            if let Some(p) = persona::builtin(spec) {
                return Ok(p);
            }
            if opts.config_from_repository {
                // A repository may only point at a persona file inside itself.
                let canon_root = root.canonicalize().map_err(|e| e.to_string())?;
                let path = tools::resolve(&canon_root, spec).map_err(|e| {
                    format!("[llm] persona in the repository's pagerproof.toml: {e}")
                })?;
                persona::load_file(&path)
            } else {
                persona::resolve(spec)
            }
        }
    }
}

/// Narrates `report` (whose files are under `root`). Never fails; see [`Narrative::status`].
pub fn narrate(report: &Report, root: &Path, opts: &Options<'_>) -> Outcome {
    let mut n = Narrative {
        schema: SCHEMA.into(),
        status: "failed".into(),
        ..Narrative::default()
    };
    let notes = Vec::new();
    let persona = match resolve_persona(opts, root) {
        Ok(p) => p,
        Err(e) => return failed(n, notes, e),
    };
    n.persona = PersonaInfo {
        name: persona.name.clone(),
        source: persona.source.clone(),
    };
    for w in &persona.warnings {
        n.warnings.push(format!("persona {}: {w}", persona.name));
    }
    let plan = match plan(opts, &persona) {
        Ok(p) => p,
        Err(e) => return failed(n, notes, e),
    };
    n.warnings.extend(plan.warnings.iter().cloned());
    n.provider = Some(plan.provider.as_str().into());
    n.endpoint = Some(endpoint_shown(&plan.base_url));
    let url = plan.provider.endpoint(&plan.base_url);

    let mut redactor = Redactor::new();
    for k in [&opts.env.anthropic_key, &opts.env.openai_key]
        .into_iter()
        .flatten()
    {
        redactor.add_literal(k.expose());
    }
    let budget = opts
        .config
        .evidence_tokens
        .unwrap_or(DEFAULT_EVIDENCE_TOKENS) as usize;
    let ev = evidence::build(report, root, budget, &redactor);
    n.evidence = ev.stats.clone();
    let offered = tools::offered(&persona);
    let system = redactor
        .redact(&system_prompt(&persona, !offered.is_empty()))
        .into_owned();
    let user = format!(
        "{}\n\nWrite your review now, following your instructions and the citation rules.",
        ev.text
    );
    let tool_sig: Vec<&str> = offered.iter().map(|t| t.name).collect();
    let tool_sig = format!("{tool_sig:?} {:?}", persona.permission);
    let key_for = |model: &str| {
        cache::key(&[
            PROMPT_VERSION,
            plan.provider.as_str(),
            &url,
            model,
            &system,
            &tool_sig,
            &user,
        ])
    };

    // The cache: any model of the chain that answered these inputs before.
    let cache_dir = match cache::dir(
        opts.env.xdg_cache_home.as_deref(),
        opts.env.home.as_deref(),
        root,
    ) {
        Ok(d) => Some(d),
        Err(e) => {
            n.warnings.push(e);
            None
        }
    };
    if let Some(d) = &cache_dir {
        for m in &plan.models {
            if let Some(e) = cache::load(d, &key_for(m)) {
                n.cached = true;
                n.model = Some(e.model.clone());
                n.tool_calls = e.tool_calls.clone();
                n.usage = Usage {
                    input_tokens: e.input_tokens,
                    output_tokens: e.output_tokens,
                };
                return finish(n, notes, &e.text, report, root);
            }
        }
    }

    let budget_s = opts.config.budget_seconds.unwrap_or(DEFAULT_BUDGET_SECONDS);
    let mut policy = opts.policy.clone().unwrap_or_default();
    if opts.policy.is_none() {
        if let Some(s) = opts.config.connect_timeout_seconds {
            policy.connect_timeout = Duration::from_secs(s.max(1));
        }
        if let Some(s) = opts.config.read_timeout_seconds {
            policy.read_timeout = Duration::from_secs(s.max(1));
        }
        if let Some(r) = opts.config.max_retries {
            policy.max_retries = r;
        }
    }
    let deadline = Instant::now() + Duration::from_secs(budget_s.max(1));
    let mut client = Client::new(
        plan.provider,
        url.clone(),
        plan.key.clone(),
        policy,
        deadline,
        redactor.clone(),
    );
    let max_tokens = opts.config.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS);
    let mut repo_tools = RepoTools::new(root, &persona, opts.ask, &redactor);
    let mut messages = vec![provider::user_message(&user)];
    let mut model_idx = 0usize;
    let mut text = String::new();
    let mut round = 0usize;
    let result: Result<(), String> = loop {
        let body_for = |m: &str| {
            provider::request_body(plan.provider, m, &system, &messages, &offered, max_tokens)
        };
        let (idx, raw) = match client.send(&plan.models, model_idx, &body_for) {
            Ok(x) => x,
            Err(e) => break Err(e),
        };
        model_idx = idx;
        let turn = match provider::parse_response(plan.provider, &raw) {
            Ok(t) => t,
            Err(e) => break Err(format!("unexpected answer from {}: {e}", plan.models[idx])),
        };
        n.usage.input_tokens += turn.input_tokens;
        n.usage.output_tokens += turn.output_tokens;
        if !turn.tool_calls.is_empty() && !offered.is_empty() && round < MAX_TOOL_ROUNDS {
            messages.push(provider::assistant_message(plan.provider, &raw));
            let results: Vec<(String, String, bool)> = turn
                .tool_calls
                .iter()
                .map(|c| {
                    let (t, err) = repo_tools.call(c);
                    (c.id.clone(), t, err)
                })
                .collect();
            round += 1;
            let note = (round >= MAX_TOOL_ROUNDS).then_some(
                "That was the last round of tool calls: write the review now, without calling tools.",
            );
            messages.extend(provider::tool_result_messages(
                plan.provider,
                &results,
                note,
            ));
            continue;
        }
        if turn.truncated() {
            n.warnings.push(format!(
                "the answer was cut at max_tokens ({max_tokens}); raise [llm] max_tokens"
            ));
        }
        text = turn.text;
        if text.trim().is_empty() {
            break Err("the model returned no text".into());
        }
        break Ok(());
    };
    n.attempts = client.attempts;
    n.tool_calls = repo_tools.log;
    n.model = Some(plan.models[model_idx].clone());
    if let Err(e) = result {
        return failed(n, notes, e);
    }
    if let Some(d) = &cache_dir {
        let entry = cache::Entry {
            key: key_for(&plan.models[model_idx]),
            provider: plan.provider.as_str().into(),
            model: plan.models[model_idx].clone(),
            text: text.clone(),
            tool_calls: n.tool_calls.clone(),
            input_tokens: n.usage.input_tokens,
            output_tokens: n.usage.output_tokens,
            created: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        };
        if let Err(e) = cache::store(d, &entry) {
            n.warnings.push(e);
        }
    }
    finish(n, notes, &text, report, root)
}

fn finish(
    mut n: Narrative,
    mut notes: Vec<String>,
    text: &str,
    report: &Report,
    root: &Path,
) -> Outcome {
    let g = grounding::check(text, report, root);
    n.status = "ok".into();
    n.text = text.to_string();
    n.unverified = g.claims.iter().filter(|c| !c.verified).count();
    n.claims = g.claims;
    n.markdown = render::markdown(&n, &g.text);
    notes.extend(n.warnings.iter().cloned());
    if n.unverified > 0 {
        notes.push(format!(
            "the narrative has {} unverified claim(s); they are marked in the report",
            n.unverified
        ));
    }
    Outcome {
        narrative: n,
        notes,
    }
}

fn failed(mut n: Narrative, mut notes: Vec<String>, error: String) -> Outcome {
    n.status = "failed".into();
    n.markdown = render::failed(&error);
    notes.extend(n.warnings.iter().cloned());
    notes.push(format!(
        "narration failed: {error}; the deterministic report is complete without it"
    ));
    n.error = Some(error);
    Outcome {
        narrative: n,
        notes,
    }
}
