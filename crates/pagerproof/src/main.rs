//! The `pagerproof` command: argument parsing, configuration discovery, and printing.
//! Everything else lives in the library crates.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use pagerproof_analyze::fs::FsSource;
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
    /// Print a rule's documentation.
    Explain {
        /// Rule id (see `pagerproof rules`).
        rule: String,
    },
    /// List every rule.
    Rules {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args)]
struct ReviewArgs {
    /// Repository root to review.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Output format: terminal, json.
    #[arg(long, short = 'f', default_value = "terminal")]
    format: String,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Exit with status 1 when a finding at or above this severity exists (P0..P3, or never).
    #[arg(long, default_value = "never")]
    fail_on: String,
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
    /// Hide code excerpts in the terminal report.
    #[arg(long)]
    no_excerpts: bool,
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

fn review(args: ReviewArgs) -> Result<ExitCode> {
    let root = &args.path;
    let meta = std::fs::metadata(root)
        .with_context(|| format!("cannot review {}: no such directory", root.display()))?;
    if !meta.is_dir() {
        bail!(
            "{} is not a directory; pass the repository root",
            root.display()
        );
    }
    let format = Format::parse(&args.format).with_context(|| {
        format!(
            "unknown format `{}`; expected one of: {}",
            args.format,
            Format::NAMES.join(", ")
        )
    })?;
    let fail_on = match args.fail_on.as_str() {
        "never" | "none" => None,
        s => Some(
            Severity::parse(s)
                .with_context(|| format!("--fail-on {s}: expected P0, P1, P2, P3 or never"))?,
        ),
    };
    let config = if args.no_repo_config {
        Config::default()
    } else {
        load_config(root, args.config.as_deref())?
    };
    let mut settings = Settings::from_config(&config);
    settings.threads = args.threads;
    settings.preview |= args.preview;
    if let Some(m) = args.max_file_size {
        settings.max_file_size = m;
    }
    if !args.exclude.is_empty() {
        let mut cfg = config.clone();
        cfg.review.exclude.extend(args.exclude.iter().cloned());
        let checked = Config::parse(&toml_of(&cfg)?, "--exclude")?;
        let extra = Settings::from_config(&checked);
        settings.exclude = extra.exclude;
        settings.exclude_patterns = extra.exclude_patterns;
    }
    let source = FsSource::new(root);
    let mut report: Report = pagerproof_analyze::review(&source, &settings);
    report.root = root.to_string_lossy().into_owned();

    let color = args.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = pagerproof_report::render(
        &report,
        format,
        &Options {
            color,
            excerpts: !args.no_excerpts,
        },
    );
    match &args.output {
        Some(p) => {
            std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))?
        }
        None => print(&text)?,
    }
    let failed = fail_on.is_some_and(|s| report.count_at_or_above(s) > 0);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn toml_of(cfg: &Config) -> Result<String> {
    Ok(toml::to_string(cfg)?)
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
fn load_config(root: &Path, explicit: Option<&Path>) -> Result<Config> {
    if let Some(path) = explicit {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        return Ok(Config::parse(&text, &path.to_string_lossy())?);
    }
    let p = root.join("pagerproof.toml");
    let Ok(meta) = std::fs::symlink_metadata(&p) else {
        return Ok(Config::default());
    };
    if !meta.is_file() {
        let _ = writeln!(
            std::io::stderr(),
            "pagerproof: ignoring {}: not a regular file",
            p.display()
        );
        return Ok(Config::default());
    }
    // Its globs compile like ignore patterns (hundreds of bytes of memory per byte).
    if meta.len() > 256 * 1024 {
        bail!("{}: larger than 256 KB", p.display());
    }
    let text =
        std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?;
    let mut cfg = Config::parse(&text, &p.to_string_lossy())?;
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
    Ok(cfg)
}

/// Text that came from the repository, made safe for a terminal or a CI log: credentials
/// redacted, control characters escaped.
fn safe(s: &str) -> String {
    let scrubbed = pagerproof_analyze::rules::secret::scrub(s);
    pagerproof_analyze::review::clean_text(&scrubbed).into_owned()
}

/// Prints to stdout; a closed pipe (`| head`) ends quietly.
fn print(s: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        r => Ok(r?),
    }
}
