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
            let _ = writeln!(std::io::stderr(), "pagerproof: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Review(args) => review(args),
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
    let config = load_config(root, args.config.as_deref())?;
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
    let config = load_config(root, args.config.as_deref())?;
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

fn toml_of(cfg: &Config) -> Result<String> {
    Ok(toml::to_string(cfg)?)
}

/// `--config FILE`, else `pagerproof.toml` at the root. Unknown keys are an error.
fn load_config(root: &Path, explicit: Option<&Path>) -> Result<Config> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = root.join("pagerproof.toml");
            if !p.is_file() {
                return Ok(Config::default());
            }
            p
        }
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Config::parse(&text, &path.to_string_lossy())?)
}

/// Prints to stdout; a closed pipe (`| head`) ends quietly.
fn print(s: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        r => Ok(r?),
    }
}
