//! The `pagerproof` command: argument parsing, configuration discovery, the CI features
//! that need the outside world (baseline file, `git diff`), printing and exit codes.
//! Everything else lives in the library crates.
//!
//! Exit codes: 0 clean or under the `--fail-on` gate, 1 a finding at or above the gate,
//! 2 failure. A closed pipe ends quietly with 0.

mod git;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use pagerproof_analyze::fs::FsSource;
use pagerproof_core::baseline::{self, Baseline};
use pagerproof_core::config::{Config, Settings};
use pagerproof_core::{Report, Severity};
use pagerproof_report::{Format, Options};

#[derive(Parser)]
#[command(
    name = "pagerproof",
    version,
    about = "Production-readiness review of a whole repository, from evidence in the code."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Review a repository (default: the current directory).
    Review(ReviewArgs),
    /// Write the current findings to a baseline file, so `review --baseline` reports only
    /// new ones.
    Baseline(BaselineArgs),
    /// Print a rule's documentation.
    Explain {
        /// Rule id (see `pagerproof rules`).
        rule: String,
    },
    /// Write what a staff engineer writes next, prefilled from the review: runbook, alerts,
    /// slo, dashboard, adr, rfc, postmortem or tech-eval.
    Scaffold(ScaffoldArgs),
    /// List every rule.
    Rules {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// What to review and how (shared by `review` and `baseline`).
#[derive(Args)]
struct AnalysisArgs {
    /// Repository root to review.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Configuration file (default: pagerproof.toml at the repository root, if present).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Ignore the pagerproof.toml of the reviewed repository (use in CI on untrusted
    /// changes: the repository's own file can disable rules and lower severities).
    #[arg(long, conflicts_with = "config")]
    no_repo_config: bool,
    /// Run preview rules too.
    #[arg(long)]
    preview: bool,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', default_value_t = 0)]
    threads: usize,
    /// Skip files larger than this many bytes.
    #[arg(long)]
    max_file_size: Option<u64>,
    /// Glob of paths to leave out (repeatable), relative to the root.
    #[arg(long)]
    exclude: Vec<String>,
}

#[derive(Args)]
struct ReviewArgs {
    #[command(flatten)]
    analysis: AnalysisArgs,
    /// Output format: terminal, json, prr, sre, staff, sarif, markdown, html.
    #[arg(long, short = 'f', default_value = "terminal")]
    format: String,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Exit with status 1 when a reported finding is at or above this severity (P0..P3,
    /// or never). Default: `review.fail_on` in pagerproof.toml, else never.
    #[arg(long)]
    fail_on: Option<String>,
    /// Report only findings not in this baseline file (see `pagerproof baseline`).
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Report only findings on lines changed since this git revision (merge base with
    /// HEAD), plus untracked files.
    #[arg(long, value_name = "REV")]
    diff: Option<String>,
    /// Base URL for file links in Markdown (e.g. https://github.com/o/r/blob/SHA/).
    #[arg(long, value_name = "URL")]
    link_base: Option<String>,
    /// Hide code excerpts in the terminal report.
    #[arg(long)]
    no_excerpts: bool,
    /// Add a narrative review by a language model beside the findings (sends the evidence
    /// to the configured provider; see docs/llm.md). Off by default.
    #[arg(long)]
    llm: bool,
    /// Persona for --llm: staff, prr, sre, or a persona file.
    #[arg(long, value_name = "NAME|FILE", requires = "llm")]
    persona: Option<String>,
}

#[derive(Args)]
struct BaselineArgs {
    #[command(flatten)]
    analysis: AnalysisArgs,
    /// Where to write the baseline (default: pagerproof-baseline.json at the root).
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ScaffoldArgs {
    /// What to write: runbook, alerts, slo, dashboard, adr, rfc, postmortem, tech-eval.
    kind: String,
    /// Repository root to review.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Only this component (its name or path).
    #[arg(long)]
    component: Option<String>,
    /// Write to this file instead of standard output (an existing file needs --force).
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Overwrite the --output file if it exists.
    #[arg(long)]
    force: bool,
    /// Configuration file (default: pagerproof.toml at the repository root, if present).
    #[arg(long)]
    config: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // Errors can quote repository content: never a credential or a terminal
            // escape on stderr.
            let _ = writeln!(
                std::io::stderr(),
                "pagerproof: error: {}",
                safe(&format!("{e:#}"))
            );
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Review(args) => review(args),
        Command::Baseline(args) => write_baseline(args),
        Command::Scaffold(args) => scaffold(args),
        Command::Explain { rule } => {
            let Some(m) = pagerproof_analyze::registry::rule(&rule) else {
                bail!("no rule `{rule}`; `pagerproof rules` lists them");
            };
            print(&pagerproof_analyze::docs::explain(m))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules { json } => {
            let rules = pagerproof_analyze::registry::all_rules();
            if json {
                let v: Vec<serde_json::Value> = rules
                    .iter()
                    .map(|m| {
                        serde_json::json!({
                            "id": m.id, "category": m.category, "severity": m.severity,
                            "confidence": m.confidence, "preview": m.preview,
                            "languages": m.languages, "summary": m.summary,
                        })
                    })
                    .collect();
                print(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
            } else {
                print(&pagerproof_analyze::docs::rules_table(rules))?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Runs the analysis: checks the root, loads and checks the configuration, reviews.
fn analyse(a: &AnalysisArgs) -> Result<(Report, Config)> {
    let root = &a.path;
    let meta = std::fs::metadata(root)
        .with_context(|| format!("cannot review {}: no such directory", root.display()))?;
    if !meta.is_dir() {
        bail!(
            "{} is not a directory; pass the repository root",
            root.display()
        );
    }
    let (config, config_path) = if a.no_repo_config {
        (Config::default(), "pagerproof.toml".to_string())
    } else {
        load_config(root, a.config.as_deref())?
    };
    check_config(&config, &config_path, root)?;
    let mut settings = Settings::from_config(&config);
    settings.threads = a.threads;
    settings.preview |= a.preview;
    if let Some(m) = a.max_file_size {
        settings.max_file_size = m;
    }
    if !a.exclude.is_empty() {
        let mut cfg = config.clone();
        cfg.review.exclude.extend(a.exclude.iter().cloned());
        let checked = Config::parse(&toml::to_string(&cfg)?, "--exclude")?;
        let extra = Settings::from_config(&checked);
        settings.exclude = extra.exclude;
        settings.exclude_patterns = extra.exclude_patterns;
    }
    let source = FsSource::new(root);
    let mut report: Report = pagerproof_analyze::review(&source, &settings);
    report.root = root.to_string_lossy().into_owned();
    Ok((report, config))
}

fn review(args: ReviewArgs) -> Result<ExitCode> {
    let format = Format::parse(&args.format).with_context(|| {
        format!(
            "unknown format `{}`; expected one of: {}",
            args.format,
            Format::NAMES.join(", ")
        )
    })?;
    // Checked before the review runs, so a typo fails fast.
    if let Some(f) = &args.fail_on {
        parse_gate(f, "--fail-on")?;
    }
    let baseline = match &args.baseline {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read baseline {}", p.display()))?;
            Some(
                Baseline::parse(&text)
                    .map_err(|e| anyhow::anyhow!("baseline {}: {e}", p.display()))?,
            )
        }
        None => None,
    };
    let (mut report, config) = analyse(&args.analysis)?;
    let fail_on = match (&args.fail_on, &config.review.fail_on) {
        (Some(f), _) => parse_gate(f, "--fail-on")?,
        (None, Some(f)) => parse_gate(f, "review.fail_on")?,
        (None, None) => None,
    };
    let root = &args.analysis.path;
    if args.llm {
        // Over the whole review, as the verdict and score are.
        narrate(&mut report, root, &config, &args);
    }
    if let (Some(b), Some(p)) = (&baseline, &args.baseline) {
        b.apply(&mut report, &p.to_string_lossy());
    }
    if let Some(rev) = &args.diff {
        let (changes, base) = git::changes_since(root, rev)?;
        changes.apply(&mut report, rev, &base);
    }

    let color = args.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let needs_prefix = matches!(format, Format::Sarif)
        || (matches!(format, Format::Markdown) && args.link_base.is_some());
    let opts = Options {
        color,
        excerpts: !args.no_excerpts,
        rules: pagerproof::rule_infos(),
        path_prefix: if needs_prefix {
            git::prefix(root)
        } else {
            String::new()
        },
        link_base: args.link_base.clone(),
    };
    let text = pagerproof_report::render(&report, format, &opts);
    match &args.output {
        Some(p) => {
            std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))?
        }
        None => print(&text)?,
    }
    let failed = fail_on.is_some_and(|s| report.count_at_or_above(s) > 0);
    if failed && let Some(s) = fail_on {
        let _ = writeln!(
            std::io::stderr(),
            "pagerproof: {} finding(s) at or above {s} (fail-on {s})",
            report.count_at_or_above(s)
        );
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_baseline(args: BaselineArgs) -> Result<ExitCode> {
    let (report, _) = analyse(&args.analysis)?;
    let path = args
        .output
        .unwrap_or_else(|| args.analysis.path.join(baseline::FILE_NAME));
    let b = Baseline::of(&report.findings);
    std::fs::write(&path, b.to_text())
        .with_context(|| format!("cannot write {}", path.display()))?;
    let _ = writeln!(
        std::io::stderr(),
        "pagerproof: wrote {} finding(s) to {}",
        b.findings.len(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn parse_gate(s: &str, what: &str) -> Result<Option<Severity>> {
    match s {
        "never" | "none" => Ok(None),
        s => Ok(Some(Severity::parse(s).with_context(|| {
            format!("{what} {s}: expected P0, P1, P2, P3 or never")
        })?)),
    }
}

/// `--llm`: the deterministic report exists already; a failure only adds a note.
fn narrate(report: &mut Report, root: &Path, config: &Config, args: &ReviewArgs) {
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let ask = |what: &str| {
        eprint!("pagerproof: the model asks to {what}. Allow? [y/N] ");
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).is_ok()
            && matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes")
    };
    eprintln!("pagerproof: llm: narrating the review with a language model…");
    let out = pagerproof_llm::narrate(
        report,
        root,
        &pagerproof_llm::Options {
            config: config.llm.clone(),
            config_from_repository: args.analysis.config.is_none(),
            persona: args.persona.clone(),
            env: pagerproof_llm::LlmEnv::from_process(),
            ask: if interactive { Some(&ask) } else { None },
            policy: None,
        },
    );
    for note in &out.notes {
        eprintln!("pagerproof: llm: {note}");
    }
    report.narrative = Some(out.narrative.to_value());
}

fn scaffold(args: ScaffoldArgs) -> Result<ExitCode> {
    use pagerproof_scaffold::Kind;
    let kind = Kind::parse(&args.kind).with_context(|| {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        format!(
            "unknown scaffold `{}`; expected one of: {}",
            args.kind,
            names.join(", ")
        )
    })?;
    let root = &args.path;
    if !root.is_dir() {
        bail!(
            "{} is not a directory; pass the repository root",
            root.display()
        );
    }
    if let Some(out) = &args.output
        && out.exists()
        && !args.force
    {
        bail!("{} exists; pass --force to overwrite it", out.display());
    }
    let (config, _) = load_config(root, args.config.as_deref())?;
    let settings = Settings::from_config(&config);
    let report = pagerproof_analyze::review(&FsSource::new(root), &settings);
    let repository = std::fs::canonicalize(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "repository".to_string());
    let input = pagerproof_scaffold::Input {
        report: &report,
        repository,
        component: args.component.clone(),
    };
    let text = pagerproof_scaffold::render(kind, &input)?;
    match &args.output {
        Some(p) => write_new(p, &text, args.force)?,
        None => print(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `text` to `path`; without `force`, fails rather than replace an existing file.
fn write_new(path: &Path, text: &str, force: bool) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .create_new(!force)
        .truncate(true)
        .open(path)
        .with_context(|| {
            if path.exists() && !force {
                format!("{} exists; pass --force to overwrite it", path.display())
            } else {
                format!("cannot write {}", path.display())
            }
        })?;
    f.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Highest per-file size and time limits a repository's own configuration may set.
const REPO_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;
const REPO_MAX_BUDGET_MS: u64 = 60_000;

/// `--config FILE`, else `pagerproof.toml` at the root. Unknown keys are an error.
///
/// The repository's own file is untrusted input: it is read like any other file (never
/// through a symbolic link, size-capped), it may not choose where code is sent
/// (`llm.base_url` is ignored), and what it turns off is said on stderr, so a pull request
/// that silences rules through it shows in the CI log.
fn load_config(root: &Path, explicit: Option<&Path>) -> Result<(Config, String)> {
    if let Some(path) = explicit {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let shown = path.to_string_lossy().into_owned();
        return Ok((Config::parse(&text, &shown)?, shown));
    }
    let p = root.join("pagerproof.toml");
    let shown = p.to_string_lossy().into_owned();
    let Ok(meta) = std::fs::symlink_metadata(&p) else {
        return Ok((Config::default(), "pagerproof.toml".to_string()));
    };
    if !meta.is_file() {
        let _ = writeln!(
            std::io::stderr(),
            "pagerproof: ignoring {}: not a regular file",
            p.display()
        );
        return Ok((Config::default(), shown));
    }
    // Its globs compile like ignore patterns (hundreds of bytes of memory per byte).
    if meta.len() > 256 * 1024 {
        bail!("{}: larger than 256 KB", p.display());
    }
    let text =
        std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?;
    let mut cfg = Config::parse(&text, &shown)?;
    let mut notes = Vec::new();
    if cfg.llm.base_url.take().is_some() {
        notes
            .push("llm.base_url ignored (only --config may choose where code is sent)".to_string());
    }
    if !cfg.rules.disable.is_empty() {
        notes.push(format!("disables {}", cfg.rules.disable.join(", ")));
    }
    if !cfg.rules.severity.is_empty() {
        let s: Vec<String> = cfg
            .rules
            .severity
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        notes.push(format!("overrides severity {}", s.join(", ")));
    }
    if !cfg.review.exclude.is_empty() {
        notes.push(format!("excludes {}", cfg.review.exclude.join(", ")));
    }
    if cfg.suppressions.allow_p0 == Some(true) {
        notes.push("allows P0 suppressions".to_string());
    }
    if cfg.components.iter().any(|c| c.enabled == Some(false)) {
        notes.push("drops components".to_string());
    }
    // Resource limits: a repository may lower them, not lift them past what keeps a CI
    // runner alive (the command line may).
    if let Some(m) = cfg.review.max_file_size.filter(|m| *m > REPO_MAX_FILE_SIZE) {
        cfg.review.max_file_size = Some(REPO_MAX_FILE_SIZE);
        notes.push(format!(
            "review.max_file_size {m} capped to {REPO_MAX_FILE_SIZE}"
        ));
    }
    if let Some(b) = cfg
        .review
        .file_budget_ms
        .filter(|b| *b > REPO_MAX_BUDGET_MS)
    {
        cfg.review.file_budget_ms = Some(REPO_MAX_BUDGET_MS);
        notes.push(format!(
            "review.file_budget_ms {b} capped to {REPO_MAX_BUDGET_MS}"
        ));
    }
    if !notes.is_empty() {
        let _ = writeln!(
            std::io::stderr(),
            "pagerproof: using the repository's {} ({}); --no-repo-config ignores it",
            p.display(),
            safe(&notes.join("; "))
        );
    }
    Ok((cfg, shown))
}

/// Text that came from the repository, made safe for a terminal or a CI log: credentials
/// redacted, control characters escaped.
fn safe(s: &str) -> String {
    let scrubbed = pagerproof_analyze::rules::secret::scrub(s);
    pagerproof_analyze::review::clean_text(&scrubbed).into_owned()
}

/// Checks what the file format cannot: every rule or category named exists, every
/// component override names a folder of the repository.
fn check_config(cfg: &Config, path: &str, root: &Path) -> Result<()> {
    let known = |name: &str| {
        pagerproof_analyze::registry::rule(name).is_some()
            || pagerproof_core::taxonomy::category(name).is_some()
    };
    let lists = [
        (
            "rules.disable",
            cfg.rules.disable.iter().collect::<Vec<_>>(),
        ),
        ("rules.enable", cfg.rules.enable.iter().collect()),
        ("rules.severity", cfg.rules.severity.keys().collect()),
    ];
    for (key, names) in lists {
        for n in names {
            if !known(n) {
                bail!(
                    "{path}: {key}: no rule or category `{n}` (`pagerproof rules` lists rule ids; categories are the taxonomy's, e.g. TIMEOUT)"
                );
            }
        }
    }
    for c in &cfg.components {
        let rel = c.path.trim().trim_start_matches("./").trim_end_matches('/');
        if rel.split(['/', '\\']).any(|p| p == "..") || Path::new(rel).is_absolute() {
            bail!(
                "{path}: components: path `{}` must be relative to the repository root, without `..`",
                c.path
            );
        }
        let dir = if rel.is_empty() || rel == "." {
            root.to_path_buf()
        } else {
            root.join(rel)
        };
        if !dir.is_dir() {
            bail!(
                "{path}: components: path `{}` is not a folder of {}",
                c.path,
                root.display()
            );
        }
    }
    Ok(())
}

/// Prints to stdout; a closed pipe (`| head`) ends quietly.
fn print(s: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        r => Ok(r?),
    }
}
