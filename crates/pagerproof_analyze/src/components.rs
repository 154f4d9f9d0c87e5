//! Deployable units of a repository. A folder is a component when it has a Dockerfile,
//! or its own build manifest (go.mod, package.json, pyproject.toml, requirements.txt,
//! setup.py, pom.xml, build.gradle, *.csproj, Cargo.toml) *and* an entry point below it.
//! Folders inside tests, examples and docs are not components. Every finding belongs to
//! the innermost component that contains it, or to the repository (`.`).
//!
//! A component's kind says what it is for, which decides the checks that apply: a
//! `service` (it serves HTTP or gRPC) is asked for health checks and graceful shutdown;
//! a `job` or `cli` is not; a `library` has no entry point.

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
    for r in results {
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
        if has_entry && files::role_of(&r.path) == Role::Production {
            entry_dirs.push(files::parent_dir(&r.path));
        }
    }

    let mut comps: Vec<ComponentInfo> = Vec::new();
    for (dir, ms) in &markers {
        let is_docker = dockerfile_dirs.contains(dir);
        let has_entry = entry_dirs.iter().any(|e| contains(dir, e));
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
        let mut sig = BTreeSet::new();
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
            for s in &r.signals {
                sig.insert(s.kind);
            }
        }
        c.languages = langs.into_iter().collect();
        let (kind, reason) = classify(
            &sig,
            c.markers
                .iter()
                .any(|m| m.to_ascii_lowercase().starts_with("dockerfile")),
        );
        c.kind = kind.to_string();
        c.kind_reason = reason.to_string();
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

fn classify(sig: &BTreeSet<SignalKind>, dockerfile: bool) -> (&'static str, &'static str) {
    use SignalKind::*;
    if sig.contains(&HttpServer) || sig.contains(&GrpcServer) {
        ("service", "serves HTTP or gRPC")
    } else if sig.contains(&Worker) || sig.contains(&Scheduler) {
        (
            "job",
            "runs a worker, consumer or scheduler and serves no requests",
        )
    } else if sig.contains(&Cli) {
        ("cli", "a command-line program that serves no requests")
    } else if sig.contains(&EntryPoint) {
        if dockerfile {
            (
                "job",
                "has an entry point and an image but serves no requests",
            )
        } else {
            ("cli", "has an entry point but serves no requests")
        }
    } else if dockerfile {
        (
            "infrastructure",
            "an image with no application code pagerproof reads",
        )
    } else {
        ("library", "no entry point")
    }
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
    }
}
