//! What every fuzz target checks. A panic anywhere is a crash: libfuzzer-sys installs a
//! panic hook that aborts, so even a panic the review catches and turns into a `skipped`
//! entry (a rule's bug) is reported. On top of not crashing, each review must keep the
//! report's invariants: findings point into the file, excerpts carry no terminal
//! control characters, every output format renders.

use pagerproof_analyze::fs::MemSource;
use pagerproof_core::Report;
use pagerproof_core::config::{Config, Settings};

fn settings() -> Settings {
    Settings {
        threads: 1,
        // Generous for small inputs; a slow input shows up as a libFuzzer timeout.
        file_budget_ms: 5_000,
        ..Settings::default()
    }
}

/// Reviews `data` as the file `path`, checks the invariants, renders every format.
pub fn review_one(path: &str, data: &[u8]) -> Report {
    let r = pagerproof_analyze::review(&MemSource::new([(path, data.to_vec())]), &settings());
    check(&r, &[(path, data)]);
    r
}

/// Invariants of any report over in-memory files.
pub fn check(r: &Report, files: &[(&str, &[u8])]) {
    for s in &r.skipped {
        assert!(
            !s.reason.contains("internal error"),
            "a rule panicked: {} {}",
            s.path,
            s.reason
        );
    }
    for f in &r.findings {
        let Some((_, bytes)) = files.iter().find(|(p, _)| *p == f.path) else {
            // Component and repository findings point at folders.
            assert!(f.line.is_none(), "finding in an unknown file: {f:?}");
            continue;
        };
        if let Some(line) = f.line {
            let text = pagerproof_analyze::review::decode(bytes);
            let n = text.lines().count().max(1) as u32;
            assert!(line >= 1 && line <= n + 1, "line {line} of {n}: {f:?}");
        }
        assert!(!f.message.contains('\n'), "multi-line message: {f:?}");
    }
    let json = serde_json::to_string(r).expect("report serialises");
    assert!(!json.contains("\\u001b"), "escape character in the report");
    for name in pagerproof_report::Format::NAMES {
        if let Some(fmt) = pagerproof_report::Format::parse(name) {
            for color in [false, true] {
                let _ = pagerproof_report::render(
                    r,
                    fmt,
                    &pagerproof_report::Options {
                        color,
                        excerpts: true,
                        ..Default::default()
                    },
                );
            }
        }
    }
}

/// YAML: the nesting gate, then saphyr (as the manifest readers use it) on a 2 MB stack
/// for whatever the gate admits, then the review of the text as the YAML files pagerproof
/// reads (Kubernetes, compose, a workflow, a Helm values file).
pub fn yaml(data: &[u8]) {
    use saphyr::LoadableYamlNode;
    let limit = pagerproof_analyze::files::MAX_DATA_NESTING;
    if pagerproof_analyze::files::nesting_beyond(data, limit, true).is_none() {
        let text = pagerproof_analyze::review::decode(data);
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                let _ = saphyr::MarkedYaml::load_from_str(&text);
                let _ = saphyr::Yaml::load_from_str(&text);
            })
            .expect("thread")
            .join()
            .expect("saphyr panicked");
    }
    let files: Vec<(&str, &[u8])> = vec![
        ("deploy/app.yaml", data),
        ("docker-compose.yml", data),
        (".github/workflows/ci.yml", data),
        ("chart/values.yaml", data),
    ];
    let r = pagerproof_analyze::review(&MemSource::new(files.clone()), &settings());
    check(&r, &files);
}

/// The Dockerfile grammar directly (its C scanner), and the review of a Dockerfile.
pub fn dockerfile(data: &[u8]) {
    let mut p = tree_sitter::Parser::new();
    if p.set_language(&tree_sitter_containerfile::LANGUAGE.into())
        .is_ok()
        && let Some(t) = p.parse(data, None)
    {
        let mut c = t.walk();
        // Walk it all: every node's range must lie inside the input.
        'walk: loop {
            let n = c.node();
            assert!(n.end_byte() <= data.len());
            if c.goto_first_child() {
                continue;
            }
            loop {
                if c.goto_next_sibling() {
                    break;
                }
                if !c.goto_parent() {
                    break 'walk;
                }
            }
        }
    }
    review_one("svc/Dockerfile", data);
}

/// The line formats the manifest readers parse by hand.
pub fn text_manifests(data: &[u8]) {
    let files: Vec<(&str, &[u8])> = vec![
        ("go.mod", data),
        ("requirements.txt", data),
        (".env", data),
        (".github/CODEOWNERS", data),
        ("README.md", data),
        ("Procfile", data),
    ];
    let r = pagerproof_analyze::review(&MemSource::new(files.clone()), &settings());
    check(&r, &files);
}

/// `pagerproof.toml`: parse, resolve, and query the settings.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(text, "pagerproof.toml") {
        Ok(cfg) => {
            let s = Settings::from_config(&cfg);
            let _ = s.rule_enabled("hardcoded-secret", "SECRET", false);
            let _ = s.severity_for("x", "TIMEOUT", pagerproof_core::Severity::P1);
            let _ = s.is_excluded("src/a/b.py");
            // What was accepted renders back to TOML (the command line does this to
            // add `--exclude` globs) and parses to the same thing.
            if let Ok(again) = toml::to_string(&cfg) {
                let back = Config::parse(&again, "again").expect("re-rendered config parses");
                assert_eq!(back, cfg, "config does not round-trip");
            }
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.contains('\n'), "multi-line config error");
        }
    }
}

/// Inline suppressions.
pub fn suppress(data: &[u8]) {
    let text = pagerproof_analyze::review::decode(data);
    let n = text.lines().count() as u32;
    for s in pagerproof_analyze::suppress::scan(&text) {
        assert!(s.line >= 1 && s.line <= n.max(1), "line {} of {n}", s.line);
        assert!(!s.targets.is_empty());
        assert!(s.reason.chars().count() <= 300);
        let _ = s.has_reason();
        let _ = s.covers("hardcoded-secret", "SECRET", Some(s.line));
    }
}

/// The secret scrubber: never panics, and leaves no value in a known token format and no
/// password in a connection URL. (Not idempotent, and need not be: what is left of a long
/// run once a key is cut out of it can itself look like a random blob, and a second pass
/// redacts it too. That over-redacts; it never shows more.)
pub fn scrub(data: &[u8]) {
    use pagerproof_analyze::rules::secret;
    let text = pagerproof_analyze::review::decode(data);
    let once = secret::scrub(&text).into_owned();
    let left = secret::known_secrets_in(&once);
    assert!(left.is_empty(), "scrub left {left:?} in {once:?}");
}
