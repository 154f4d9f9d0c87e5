//! Deployable units of a repository. A folder is a component when it has a Dockerfile,
//! or its own build manifest (go.mod, package.json, pyproject.toml, requirements.txt,
//! setup.py, pom.xml, build.gradle, *.csproj, Cargo.toml) *and* an entry point below it.
//! Folders inside tests, examples and docs are not components. Every finding belongs to
//! the innermost component that contains it, or to the repository (`.`).
//!
//! A component's kind says what it is for, which decides the checks that apply (see
//! [`classify`] and `facts.rs`): a `service` (it serves HTTP or gRPC) is asked every
//! component question; a `job` (worker, consumer, scheduler, load generator, batch
//! program in an image) is asked for shutdown, metrics, tracing and structured logs but
//! not for health endpoints, request ids, rate limits or auth; a `cli`, a `library`, an
//! `infrastructure` image (no code, e.g. a Redis image) and an `unknown` image are asked
//! nothing.

use std::collections::{BTreeMap, BTreeSet};

use pagerproof_core::config::ComponentOverride;

use crate::files::{self, FileKind, Role};
use crate::manifests::Artifact;
use crate::review::FileResult;
use crate::signals::SignalKind;

#[derive(Clone, Debug, PartialEq)]
pub struct ComponentInfo {
    pub path: String,
    pub name: String,
    pub kind: String,
    pub kind_reason: String,
    pub markers: Vec<String>,
    pub languages: Vec<String>,
}

const BUILD_MANIFESTS: &[&str] = &[
    "go.mod",
    "package.json",
    "pyproject.toml",
    "requirements.txt",
    "setup.py",
    "setup.cfg",
    "Pipfile",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "Cargo.toml",
];

fn is_build_manifest(name: &str) -> bool {
    BUILD_MANIFESTS.contains(&name) || name.ends_with(".csproj")
}

/// Whether `path` is `dir` or below it (`.` contains everything).
pub fn contains(dir: &str, path: &str) -> bool {
    dir == "."
        || path == dir
        || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// Top-level folders whose code does not make the repository root what it is: deployment
/// tooling, client SDKs and frontends, load tests. When the root (`.`) is a component,
/// its kind and facts come from the rest of its files.
const ROOT_ASIDE: &[&str] = &[
    "infra",
    "deploy",
    "deployment",
    "deployments",
    "ops",
    "tools",
    "tooling",
    "hack",
    "dev",
    "terraform",
    "helm",
    "charts",
    "k8s",
    "kubernetes",
    "docker",
    "preview",
    "sdk",
    "sdks",
    "clients",
    "client",
    "frontend",
    "ui",
    "website",
    "site",
    "load_tests",
    "loadtest",
    "loadtests",
    "perf",
    "benchmark",
    "benchmarks",
    "e2e",
    "examples",
    "docs",
];

/// Whether a file owned by component `comp` speaks for it (see [`ROOT_ASIDE`]).
pub fn in_scope(comp: &str, path: &str) -> bool {
    if comp != "." {
        return true;
    }
    match path.split_once('/') {
        Some((first, _)) => !ROOT_ASIDE.contains(&first.to_ascii_lowercase().as_str()),
        None => true,
    }
}

/// The innermost component containing `path`, or `.`.
pub fn owner<'a>(components: &'a [ComponentInfo], path: &str) -> &'a str {
    components
        .iter()
        .filter(|c| contains(&c.path, path))
        .max_by_key(|c| if c.path == "." { 0 } else { c.path.len() + 1 })
        .map(|c| c.path.as_str())
        .unwrap_or(".")
}

/// Detects components from the analysed files.
pub fn detect(results: &[FileResult], overrides: &[ComponentOverride]) -> Vec<ComponentInfo> {
    // Candidate folders and what marks them.
    let mut markers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut dockerfile_dirs = BTreeSet::new();
    for r in results {
        let name = files::base_name(&r.path);
        let dir = files::parent_dir(&r.path).to_string();
        if files::role_of(&r.path) != Role::Production && !is_root_level(&dir) {
            continue;
        }
        match r.kind {
            Some(FileKind::Dockerfile) => {
                // `Dockerfile.debug`/`.dev` alone do not make a deployable unit.
                let lower = name.to_ascii_lowercase();
                let dev_only = ["debug", "dev", "test", "local", "ci"]
                    .iter()
                    .any(|s| lower.ends_with(&format!(".{s}")));
                if !dev_only {
                    dockerfile_dirs.insert(dir.clone());
                }
                markers.entry(dir).or_default().insert(name.to_string());
            }
            _ if is_build_manifest(name) => {
                markers.entry(dir).or_default().insert(name.to_string());
            }
            _ => {}
        }
    }

    // Entry points, by folder.
    let mut entry_dirs: Vec<&str> = Vec::new();
    // Python and JavaScript server app objects (`app = FastAPI()`, `express()`), by folder
    // and by the build manifests that own such code: these apps are started by a server
    // command (`uvicorn main:app`, `node server.js`), not by a `main` of their own.
    let mut server_dirs: Vec<(&str, &[&str])> = Vec::new();
    for r in results {
        if files::role_of(&r.path) != Role::Production {
            continue;
        }
        let has_entry = r.signals.iter().any(|s| s.kind == SignalKind::EntryPoint)
            || r.artifacts.iter().any(|a| {
                matches!(
                    a,
                    Artifact::ComponentMarker {
                        entry_point: true,
                        ..
                    }
                )
            });
        if has_entry {
            entry_dirs.push(files::parent_dir(&r.path));
        }
        let serves = r
            .signals
            .iter()
            .any(|s| matches!(s.kind, SignalKind::HttpServer | SignalKind::GrpcServer));
        let manifests: &[&str] = match r.kind {
            Some(FileKind::Code(l)) if l.family() == crate::lang::Family::Python => &[
                "pyproject.toml",
                "requirements.txt",
                "setup.py",
                "setup.cfg",
                "Pipfile",
            ],
            Some(FileKind::Code(l)) if l.family() == crate::lang::Family::Js => &["package.json"],
            _ => &[],
        };
        if serves && !manifests.is_empty() {
            server_dirs.push((files::parent_dir(&r.path), manifests));
        }
    }

    let mut comps: Vec<ComponentInfo> = Vec::new();
    for (dir, ms) in &markers {
        let is_docker = dockerfile_dirs.contains(dir);
        let has_entry = entry_dirs.iter().any(|e| contains(dir, e))
            || server_dirs.iter().any(|(e, manifests)| {
                contains(dir, e) && ms.iter().any(|m| manifests.contains(&m.as_str()))
            });
        if !(is_docker || has_entry) {
            continue;
        }
        let name = if dir == "." {
            "repository".to_string()
        } else {
            files::base_name(dir).to_string()
        };
        comps.push(ComponentInfo {
            path: dir.clone(),
            name,
            kind: String::new(),
            kind_reason: String::new(),
            markers: ms.iter().cloned().collect(),
            languages: Vec::new(),
        });
    }

    // A build manifest folder directly above a Dockerfile folder of the same unit (e.g.
    // `svc/` with package.json and `svc/docker/Dockerfile`) stays two components; the
    // Dockerfile one owns the files below it. That is the rule, documented and simple.

    for o in overrides {
        let path = normalise_dir(&o.path);
        if o.enabled == Some(false) {
            comps.retain(|c| c.path != path);
            continue;
        }
        if let Some(c) = comps.iter_mut().find(|c| c.path == path) {
            if let Some(n) = &o.name {
                c.name = n.clone();
            }
        } else {
            comps.push(ComponentInfo {
                path: path.clone(),
                name: o
                    .name
                    .clone()
                    .unwrap_or_else(|| files::base_name(&path).to_string()),
                kind: String::new(),
                kind_reason: String::new(),
                markers: vec!["pagerproof.toml".to_string()],
                languages: Vec::new(),
            });
        }
    }
    comps.sort_by(|a, b| a.path.cmp(&b.path));

    // Languages and kind from what each component owns.
    let paths: Vec<ComponentInfo> = comps.clone();
    for c in comps.iter_mut() {
        let mut langs = BTreeSet::new();
        let mut sig: BTreeMap<SignalKind, BTreeSet<String>> = BTreeMap::new();
        let mut code_files = 0usize;
        let mut declared_entry = false;
        // Its own `package.json` builds a browser application (React, Vue, ... bundled).
        let mut browser_app = false;
        for r in results {
            // The prefix test first: `owner` scans every component (quadratic otherwise).
            if !contains(&c.path, &r.path)
                || owner(&paths, &r.path) != c.path
                || files::role_of(&r.path) != Role::Production
            {
                continue;
            }
            if let Some(FileKind::Code(l)) = r.kind {
                langs.insert(l.name().to_string());
            }
            if files::parent_dir(&r.path) == c.path
                && files::base_name(&r.path) == "package.json"
                && r.artifacts
                    .iter()
                    .any(|a| matches!(a, Artifact::BrowserApp))
            {
                browser_app = true;
            }
            if matches!(r.kind, Some(FileKind::Code(_))) && !in_scope(&c.path, &r.path) {
                continue;
            }
            if let Some(FileKind::Code(_)) = r.kind {
                code_files += 1;
            }
            for s in &r.signals {
                sig.entry(s.kind).or_default().insert(s.detail.clone());
            }
            declared_entry |= r.artifacts.iter().any(|a| {
                matches!(
                    a,
                    Artifact::ComponentMarker {
                        entry_point: true,
                        ..
                    }
                )
            });
        }
        // A manifest's entry point (`[project.scripts]`, a Cargo or Gradle application)
        // counts when some of the component's code is read: a Rust or Kotlin service is an
        // image whose code pagerproof does not read, not a job that lacks everything.
        if declared_entry && code_files > 0 {
            sig.entry(SignalKind::EntryPoint)
                .or_default()
                .insert("declared entry point".to_string());
        }
        c.languages = langs.into_iter().collect();
        let serves =
            sig.contains_key(&SignalKind::HttpServer) || sig.contains_key(&SignalKind::GrpcServer);
        let (kind, reason) = if browser_app && !serves {
            (
                "browser-app",
                "a browser application built from its package.json: its code runs in users' browsers and serves no requests".to_string(),
            )
        } else {
            classify(
                &sig,
                c.markers
                    .iter()
                    .any(|m| m.to_ascii_lowercase().starts_with("dockerfile")),
                code_files > 0,
            )
        };
        c.kind = kind.to_string();
        c.kind_reason = reason;
        if let Some(o) = overrides.iter().find(|o| normalise_dir(&o.path) == c.path)
            && let Some(k) = &o.kind
        {
            c.kind = k.clone();
            c.kind_reason = "declared in pagerproof.toml".to_string();
        }
    }
    comps
}

fn is_root_level(dir: &str) -> bool {
    dir == "."
}

fn normalise_dir(p: &str) -> String {
    let t = p.trim().trim_start_matches("./").trim_end_matches('/');
    if t.is_empty() {
        ".".to_string()
    } else {
        t.to_string()
    }
}

/// The kind of a component from the signals of its production files:
/// - `service`: it serves HTTP or gRPC (a server, an app object, routes it registers);
/// - `job`: it runs a worker, queue consumer, scheduler or load generator, or it has an
///   entry point and an image but serves no requests;
/// - `cli`: a command-line program (argparse, click, cobra, ...) or an entry point
///   without an image;
/// - `infrastructure`: an image with no code pagerproof reads (a Redis or Envoy image);
/// - `unknown`: an image with code but no entry point or server pagerproof recognises;
/// - `library`: code with no entry point.
///
/// (`browser-app`, a component whose own `package.json` builds a browser application and
/// that serves nothing, is told before this is asked.)
pub fn classify(
    sig: &BTreeMap<SignalKind, BTreeSet<String>>,
    dockerfile: bool,
    has_code: bool,
) -> (&'static str, String) {
    use SignalKind::*;
    let first = |k: SignalKind| {
        sig.get(&k)
            .and_then(|d| d.iter().next())
            .cloned()
            .unwrap_or_default()
    };
    let http = sig.contains_key(&HttpServer);
    let grpc = sig.contains_key(&GrpcServer);
    if http || grpc {
        let what = match (http, grpc) {
            (true, true) => format!("serves HTTP ({}) and gRPC", first(HttpServer)),
            (true, false) => format!("serves HTTP ({})", first(HttpServer)),
            _ => format!(
                "serves gRPC ({})",
                first(GrpcServer).split(' ').next().unwrap_or("")
            ),
        };
        return ("service", what);
    }
    if sig.contains_key(&Worker) {
        let w = first(Worker);
        if w.starts_with("locust") {
            return (
                "job",
                w.replace("locust load generator", "a locust load generator"),
            );
        }
        return ("job", format!("runs a worker ({w}) and serves no requests"));
    }
    if sig.contains_key(&Scheduler) {
        return (
            "job",
            format!(
                "runs a scheduler ({}) and serves no requests",
                first(Scheduler)
            ),
        );
    }
    if sig.contains_key(&Cli) {
        return (
            "cli",
            format!(
                "a command-line program ({}) that serves no requests",
                first(Cli)
            ),
        );
    }
    if sig.contains_key(&EntryPoint) {
        if dockerfile {
            return (
                "job",
                "has an entry point and an image but serves no requests".to_string(),
            );
        }
        return (
            "cli",
            "has an entry point but serves no requests".to_string(),
        );
    }
    if dockerfile && !has_code {
        return (
            "infrastructure",
            "an image with no application code pagerproof reads".to_string(),
        );
    }
    if dockerfile {
        return (
            "unknown",
            "an image whose code has no entry point or server pagerproof recognises".to_string(),
        );
    }
    ("library", "no entry point".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_is_innermost() {
        let c = |p: &str| ComponentInfo {
            path: p.into(),
            name: p.into(),
            kind: String::new(),
            kind_reason: String::new(),
            markers: vec![],
            languages: vec![],
        };
        let comps = vec![c("."), c("src/api"), c("src/api/worker")];
        assert_eq!(owner(&comps, "src/api/worker/x.py"), "src/api/worker");
        assert_eq!(owner(&comps, "src/api/x.py"), "src/api");
        assert_eq!(owner(&comps, "src/apix/x.py"), ".");
        assert!(contains(".", "a"));
        assert!(!contains("src/a", "src/ab"));
        assert!(in_scope(".", "main.go"));
        assert!(in_scope(".", "app/main.py"));
        assert!(!in_scope(".", "infra/preview/log-viewer.py"));
        assert!(in_scope("svc", "svc/infra/x.py"));
    }

    #[test]
    fn kinds() {
        let sig = |pairs: &[(SignalKind, &str)]| {
            let mut m: BTreeMap<SignalKind, BTreeSet<String>> = BTreeMap::new();
            for (k, d) in pairs {
                m.entry(*k).or_default().insert(d.to_string());
            }
            m
        };
        use SignalKind::*;
        assert_eq!(
            classify(
                &sig(&[(GrpcServer, "grpc-go Checkout"), (EntryPoint, "func main")]),
                true,
                true
            )
            .0,
            "service"
        );
        let (k, why) = classify(
            &sig(&[(
                Worker,
                "locust load generator (a client: it sends requests and serves none)",
            )]),
            true,
            true,
        );
        assert_eq!(k, "job");
        assert!(why.starts_with("a locust load generator"), "{why}");
        assert_eq!(classify(&sig(&[(Cli, "click")]), false, true).0, "cli");
        assert_eq!(classify(&sig(&[(EntryPoint, "x")]), true, true).0, "job");
        assert_eq!(classify(&sig(&[]), true, false).0, "infrastructure");
        assert_eq!(classify(&sig(&[]), true, true).0, "unknown");
        assert_eq!(classify(&sig(&[]), false, true).0, "library");
    }
}
