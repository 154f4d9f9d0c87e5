//! Dependency manifests and lock files (DEPS-PINNING), and the component markers and
//! feature-flag evidence that manifests reveal.
//!
//! Each manifest becomes a [`Manifest`] artifact: which lock files would pin it, whether it
//! needs one (an application with dependencies; libraries publish ranges on purpose), and
//! which dependency lines float. `cross.rs` looks for the lock files (lock files are listed
//! by the walker but never read) and reports one finding per manifest: at the first
//! floating dependency, or at the manifest (no line) when only the lock file is missing.
//!
//! Ecosystems: pip requirements files (pip-tools style fully pinned `==` files, or
//! `--hash` files, count as locks themselves; `requirements*.in` are inputs and never
//! reported), pyproject (poetry, uv, pdm, PEP 621), Pipfile, npm/yarn/pnpm/bun
//! `package.json`, Go modules, Maven (`pom.xml`: ranges, `LATEST`/`RELEASE`, SNAPSHOT
//! dependencies; Maven has no lock file so none is asked), Gradle (dynamic `+`,
//! `latest.*`, ranges, SNAPSHOT; no `gradle.lockfile` or `dependencyLocking`), Cargo
//! (binary crates without `Cargo.lock`), .NET projects (no `packages.lock.json`).

use pagerproof_core::{Confidence, Severity};

use crate::files;
use crate::manifests::{Artifact, ManifestOutput};
use crate::rule::{Case, Docs, Handling, RuleMeta};
use crate::signals::{Signal, SignalKind};

/// When a manifest needs a lock file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NeedsLock {
    No,
    Yes,
    /// Only for a deployable unit (a library publishes ranges on purpose): decided from
    /// the component that owns the manifest.
    IfDeployable,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    pub ecosystem: &'static str,
    /// Lock files that pin it.
    pub locks: &'static [&'static str],
    /// Whether a lock file in a parent folder counts (workspaces).
    pub ancestors: bool,
    pub needs_lock: NeedsLock,
    /// Number of declared dependencies.
    pub deps: usize,
    /// Floating dependency declarations: line, column and text.
    pub floating: Vec<(u32, u32, String)>,
    /// The manifest pins everything itself (hashes, exact pins, constraints file).
    pub self_pinned: bool,
    /// A development/test/docs dependency set (lower severity).
    pub dev: bool,
}

const NPM_LOCKS: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lockb",
    "bun.lock",
];
const PY_LOCKS: &[&str] = &[
    "poetry.lock",
    "uv.lock",
    "pdm.lock",
    "pylock.toml",
    "Pipfile.lock",
    "requirements.lock",
];

/// Feature-flag libraries, by package name fragment.
const FLAG_LIBS: &[(&str, &str)] = &[
    ("launchdarkly", "LaunchDarkly"),
    ("unleash", "Unleash"),
    ("flagsmith", "Flagsmith"),
    ("openfeature", "OpenFeature"),
    ("open-feature", "OpenFeature"),
    ("growthbook", "GrowthBook"),
    ("configcat", "ConfigCat"),
    ("splitio", "Split"),
    ("@splitsoftware", "Split"),
    ("flipt", "Flipt"),
    ("statsig", "Statsig"),
    ("devcycle", "DevCycle"),
    ("togglz", "Togglz"),
    ("ff4j", "FF4J"),
    ("flagd", "flagd"),
    ("posthog", "PostHog"),
];

/// Records a project name (last path segment, npm scope dropped).
fn project_name(name: &str, out: &mut ManifestOutput) {
    let n = name.trim().trim_matches('"');
    let last = n.rsplit('/').next().unwrap_or(n);
    // Go major-version suffixes (`example.com/app/v2`).
    let last = if last.len() <= 3
        && last.starts_with('v')
        && last[1..].chars().all(|c| c.is_ascii_digit())
    {
        n.rsplit('/').nth(1).unwrap_or(last)
    } else {
        last
    };
    if !last.is_empty() {
        out.artifacts.push(Artifact::ProjectName(last.to_string()));
    }
}

fn flag_evidence(dep: &str, line: u32, out: &mut ManifestOutput) {
    let l = dep.to_ascii_lowercase();
    if let Some((_, lib)) = FLAG_LIBS.iter().find(|(frag, _)| l.contains(frag)) {
        out.artifacts.push(Artifact::RepoEvidence {
            category: "FEATURE-FLAGS",
            line: Some(line),
            note: format!("{lib} dependency `{dep}`"),
        });
    }
}

fn is_dev_name(lower: &str) -> bool {
    [
        "dev", "test", "docs", "lint", "ci", "doc", "bench", "typing", "mypy",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// `requirements*.txt`, `constraints*.txt`, `go.mod`, `Pipfile`.
pub fn analyze_text(path: &str, lower: &str, text: &str, out: &mut ManifestOutput) {
    if lower == "go.mod" {
        go_mod(text, out);
    } else if lower == "pipfile" {
        let deps = text
            .lines()
            .skip_while(|l| !l.trim().starts_with("[packages]"))
            .skip(1)
            .take_while(|l| !l.trim().starts_with('['))
            .filter(|l| l.contains('='))
            .count();
        out.artifacts.push(Artifact::Deps(Box::new(Manifest {
            ecosystem: "pipenv",
            locks: &["Pipfile.lock"],
            ancestors: false,
            needs_lock: if deps > 0 {
                NeedsLock::Yes
            } else {
                NeedsLock::No
            },
            deps,
            floating: Vec::new(),
            self_pinned: false,
            dev: false,
        })));
    } else if (lower.starts_with("requirements") || lower.starts_with("constraints"))
        && lower.ends_with(".txt")
    {
        requirements(path, lower, text, out);
    }
}

fn requirements(path: &str, lower: &str, text: &str, out: &mut ManifestOutput) {
    let _ = path;
    let mut deps = 0;
    let mut floating = Vec::new();
    let mut hashed = false;
    let mut constrained = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.contains("--hash") || line.starts_with("--require-hashes") {
            hashed = true;
        }
        if line.starts_with("-c ") || line.starts_with("--constraint") {
            constrained = true;
        }
        if line.starts_with('-') || line.starts_with("\\") {
            // Options and includes (`-r base.txt` is read on its own).
            if let Some(rest) = line
                .strip_prefix("-e ")
                .or_else(|| line.strip_prefix("--editable "))
                && rest.contains("git+")
            {
                deps += 1;
                if !git_pinned(rest) {
                    floating.push((i as u32 + 1, col_of(raw), rest.to_string()));
                }
            }
            continue;
        }
        let req = line
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .trim_end_matches('\\')
            .trim();
        if req.is_empty() {
            continue;
        }
        deps += 1;
        let name = req
            .split(['=', '<', '>', '~', '!', '[', ' ', '@'])
            .next()
            .unwrap_or("");
        flag_evidence(name, i as u32 + 1, out);
        if req.contains(" @ ") || req.contains("://") {
            if !git_pinned(req) && req.contains("git+") {
                floating.push((i as u32 + 1, col_of(raw), req.to_string()));
            }
            continue;
        }
        let pinned = (req.contains("==") && !req.contains(".*")) || req.contains("===");
        if !pinned {
            floating.push((i as u32 + 1, col_of(raw), req.to_string()));
        }
    }
    let self_pinned = hashed || constrained || floating.is_empty();
    out.artifacts.push(Artifact::Deps(Box::new(Manifest {
        ecosystem: "pip",
        locks: PY_LOCKS,
        ancestors: false,
        needs_lock: NeedsLock::No,
        deps,
        floating: if self_pinned { Vec::new() } else { floating },
        self_pinned: self_pinned && deps > 0,
        dev: is_dev_name(lower) || lower.starts_with("constraints"),
    })));
}

/// 1-based column of a line's first non-blank character.
fn col_of(line: &str) -> u32 {
    (line.len() - line.trim_start().len()) as u32 + 1
}

fn git_pinned(spec: &str) -> bool {
    spec.rsplit('@')
        .next()
        .map(|r| {
            let r = r.split(['#', ' ']).next().unwrap_or("");
            r.len() >= 7 && r.chars().all(|c| c.is_ascii_hexdigit())
        })
        .unwrap_or(false)
}

fn go_mod(text: &str, out: &mut ManifestOutput) {
    if let Some(m) = text.lines().find_map(|l| l.trim().strip_prefix("module ")) {
        project_name(m, out);
    }
    let mut deps = 0;
    let mut in_block = false;
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.starts_with("require (") {
            in_block = true;
            continue;
        }
        if in_block && t == ")" {
            in_block = false;
            continue;
        }
        let dep = if in_block {
            Some(t)
        } else {
            t.strip_prefix("require ")
        };
        if let Some(d) = dep.filter(|d| !d.is_empty() && !d.starts_with("//")) {
            deps += 1;
            flag_evidence(d.split_whitespace().next().unwrap_or(""), i as u32 + 1, out);
        }
    }
    out.artifacts.push(Artifact::Deps(Box::new(Manifest {
        ecosystem: "go",
        locks: &["go.sum"],
        ancestors: false,
        needs_lock: if deps > 0 {
            NeedsLock::Yes
        } else {
            NeedsLock::No
        },
        deps,
        floating: Vec::new(),
        self_pinned: false,
        dev: false,
    })));
}

/// `package.json` (and feature-flag evidence from it).
pub fn analyze_json(path: &str, lower: &str, text: &str, out: &mut ManifestOutput) {
    if lower != "package.json" || path.contains("node_modules/") {
        return;
    }
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    if let Some(n) = v.get("name").and_then(|n| n.as_str()) {
        project_name(n, out);
    }
    let mut deps = 0;
    for key in ["dependencies", "devDependencies", "optionalDependencies"] {
        if let Some(m) = v.get(key).and_then(|d| d.as_object()) {
            deps += m.len();
            for name in m.keys() {
                let line = line_of(text, &format!("\"{name}\"")).unwrap_or(1);
                flag_evidence(name, line, out);
            }
        }
    }
    if is_browser_app(&v) {
        out.artifacts.push(Artifact::BrowserApp);
    }
    let start = v.get("scripts").and_then(|s| s.get("start"));
    let has_start = start.is_some();
    if let Some(cmd) = start.and_then(|s| s.as_str()) {
        fastify_cli_signals(cmd, text, out);
    }
    let entry = has_start || v.get("main").is_some() || v.get("bin").is_some();
    let private = v.get("private").and_then(|p| p.as_bool()) == Some(true);
    if entry {
        out.artifacts.push(Artifact::ComponentMarker {
            detail: if has_start {
                "package.json start script".to_string()
            } else {
                "package.json main/bin".to_string()
            },
            entry_point: true,
        });
    }
    out.artifacts.push(Artifact::Deps(Box::new(Manifest {
        ecosystem: "npm",
        locks: NPM_LOCKS,
        ancestors: true,
        needs_lock: if deps == 0 {
            NeedsLock::No
        } else if private || has_start {
            NeedsLock::Yes
        } else {
            NeedsLock::IfDeployable
        },
        deps,
        floating: Vec::new(),
        self_pinned: false,
        dev: false,
    })));
}

/// Tooling that only builds applications for browsers (or phones): a package built with
/// one of these ships its code to users' devices.
const BROWSER_BUILD: &[&str] = &[
    "react-scripts",
    "@vue/cli-service",
    "parcel",
    "parcel-bundler",
    "@angular/cli",
    "@angular-devkit/build-angular",
    "webpack-dev-server",
    "html-webpack-plugin",
    "react-native",
    "expo",
];

/// Bundlers that also build server code: browser evidence only next to a UI framework.
const BUNDLERS: &[&str] = &["vite", "@rsbuild/core", "@craco/craco", "webpack"];
const UI_FRAMEWORKS: &[&str] = &[
    "react",
    "vue",
    "svelte",
    "solid-js",
    "preact",
    "lit",
    "@angular/core",
];

/// Server frameworks (and full-stack frameworks that render on a server): a package that
/// depends on one of these runs code on a server, whatever it also bundles.
const SERVER_FRAMEWORKS: &[&str] = &[
    "express",
    "fastify",
    "koa",
    "@nestjs/core",
    "@hapi/hapi",
    "hono",
    "next",
    "nuxt",
    "@sveltejs/kit",
    "@remix-run/node",
    "@remix-run/serve",
    "@react-router/node",
    "@react-router/serve",
    "astro",
    "@trpc/server",
    "electron",
    "restify",
    "h3",
    "vite-plugin-ssr",
    "vike",
];

/// `fastify start app.js` (fastify-cli) serves the app's plugins over HTTP and closes the
/// server on SIGTERM (close-with-grace): the routes live in files that import nothing of
/// fastify. With `-l info` / `--log-level info` its pino logger writes JSON at that level
/// (the default, `fatal`, logs next to nothing).
fn fastify_cli_signals(start: &str, text: &str, out: &mut ManifestOutput) {
    let words: Vec<&str> = start.split_whitespace().collect();
    if !words.windows(2).any(|w| w == ["fastify", "start"]) {
        return;
    }
    let line = line_of(text, "\"start\"").unwrap_or(1);
    let mut signal = |kind, detail: &str| {
        out.signals.push(Signal {
            kind,
            line,
            detail: detail.to_string(),
        })
    };
    signal(SignalKind::HttpServer, "fastify-cli");
    signal(
        SignalKind::FrameworkShutdown,
        "fastify-cli closes the server on SIGTERM (close-with-grace)",
    );
    let level = words
        .windows(2)
        .find_map(|w| matches!(w[0], "-l" | "--log-level").then_some(w[1]))
        .or_else(|| words.iter().find_map(|w| w.strip_prefix("--log-level=")));
    if level.is_some_and(|l| !matches!(l, "fatal" | "silent")) {
        signal(SignalKind::StructuredLogs, "fastify-cli logger (pino JSON)");
    }
}

/// Whether a parsed `package.json` builds a browser application and nothing that runs on
/// a server (see [`BROWSER_BUILD`], [`SERVER_FRAMEWORKS`]).
fn is_browser_app(v: &serde_json::Value) -> bool {
    let mut names: Vec<&str> = Vec::new();
    for key in ["dependencies", "devDependencies", "peerDependencies"] {
        if let Some(m) = v.get(key).and_then(|d| d.as_object()) {
            names.extend(m.keys().map(String::as_str));
        }
    }
    if names.iter().any(|n| SERVER_FRAMEWORKS.contains(n)) {
        return false;
    }
    names.iter().any(|n| BROWSER_BUILD.contains(n))
        || (names.iter().any(|n| BUNDLERS.contains(n))
            && names.iter().any(|n| UI_FRAMEWORKS.contains(n)))
}

/// The 1-based line of the first occurrence of `needle`.
pub fn line_of(text: &str, needle: &str) -> Option<u32> {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i as u32 + 1)
}

/// `pyproject.toml` and `Cargo.toml`.
pub fn analyze_toml(path: &str, lower: &str, text: &str, out: &mut ManifestOutput) {
    let _ = path;
    let Ok(doc) = text.parse::<toml::Table>() else {
        return;
    };
    match lower {
        "pyproject.toml" => pyproject(&doc, text, out),
        "cargo.toml" => cargo(&doc, out),
        _ => {}
    }
}

fn pyproject(doc: &toml::Table, text: &str, out: &mut ManifestOutput) {
    let project = doc.get("project").and_then(|p| p.as_table());
    let poetry = doc
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.as_table());
    if let Some(n) = project
        .and_then(|p| p.get("name"))
        .or_else(|| poetry.and_then(|p| p.get("name")))
        .and_then(|n| n.as_str())
    {
        project_name(n, out);
    }
    let mut names: Vec<String> = Vec::new();
    if let Some(d) = project
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_array())
    {
        names.extend(d.iter().filter_map(|x| x.as_str()).map(str::to_string));
    }
    if let Some(d) = poetry
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_table())
    {
        names.extend(d.keys().filter(|k| *k != "python").cloned());
    }
    for n in &names {
        let name = n
            .split(['=', '<', '>', '~', '!', '[', ' ', ';'])
            .next()
            .unwrap_or("");
        let line = line_of(text, name).unwrap_or(1);
        flag_evidence(name, line, out);
    }
    let scripts = project.and_then(|p| p.get("scripts")).is_some()
        || poetry.and_then(|p| p.get("scripts")).is_some();
    if scripts {
        out.artifacts.push(Artifact::ComponentMarker {
            detail: "pyproject.toml scripts".to_string(),
            entry_point: true,
        });
    }
    let application = poetry
        .and_then(|p| p.get("package-mode"))
        .and_then(|m| m.as_bool())
        == Some(false)
        || doc
            .get("tool")
            .and_then(|t| t.get("uv"))
            .and_then(|u| u.get("package"))
            .and_then(|m| m.as_bool())
            == Some(false);
    let deps = names.len();
    out.artifacts.push(Artifact::Deps(Box::new(Manifest {
        ecosystem: if poetry.is_some() { "poetry" } else { "python" },
        locks: PY_LOCKS,
        ancestors: true,
        needs_lock: if deps == 0 {
            NeedsLock::No
        } else if application {
            NeedsLock::Yes
        } else {
            NeedsLock::IfDeployable
        },
        deps,
        floating: Vec::new(),
        self_pinned: false,
        dev: false,
    })));
}

fn cargo(doc: &toml::Table, out: &mut ManifestOutput) {
    let Some(pkg) = doc.get("package") else {
        return;
    };
    if let Some(n) = pkg.get("name").and_then(|n| n.as_str()) {
        project_name(n, out);
    }
    let deps = doc
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|t| t.len())
        .unwrap_or(0);
    let bin = doc.get("bin").is_some();
    if bin {
        out.artifacts.push(Artifact::ComponentMarker {
            detail: "Cargo.toml [[bin]]".to_string(),
            entry_point: true,
        });
    }
    out.artifacts.push(Artifact::Deps(Box::new(Manifest {
        ecosystem: "cargo",
        locks: &["Cargo.lock"],
        ancestors: true,
        needs_lock: if deps == 0 {
            NeedsLock::No
        } else if bin {
            NeedsLock::Yes
        } else {
            NeedsLock::IfDeployable
        },
        deps,
        floating: Vec::new(),
        self_pinned: false,
        dev: false,
    })));
}

/// `pom.xml` and `*.csproj`.
pub fn analyze_xml(path: &str, lower: &str, text: &str, out: &mut ManifestOutput) {
    let _ = path;
    if lower == "pom.xml" {
        pom(text, out);
    } else if lower.ends_with(".csproj") || lower.ends_with(".fsproj") {
        let mut deps = 0;
        let mut floating = Vec::new();
        for (i, l) in text.lines().enumerate() {
            if l.contains("<PackageReference") {
                deps += 1;
                if let Some(v) = attr(l, "Version")
                    && (v.contains('*') || v.starts_with('[') || v.starts_with('('))
                {
                    floating.push((i as u32 + 1, col_of(l), l.trim().to_string()));
                }
                if let Some(n) = attr(l, "Include") {
                    flag_evidence(&n, i as u32 + 1, out);
                }
            }
        }
        out.artifacts.push(Artifact::Deps(Box::new(Manifest {
            ecosystem: "nuget",
            locks: &["packages.lock.json"],
            ancestors: false,
            needs_lock: if deps > 0 {
                NeedsLock::IfDeployable
            } else {
                NeedsLock::No
            },
            deps,
            floating,
            self_pinned: false,
            dev: lower.contains("test"),
        })));
    }
}

fn attr(line: &str, name: &str) -> Option<String> {
    let i = line.find(&format!("{name}=\""))? + name.len() + 2;
    let rest = &line[i..];
    Some(rest[..rest.find('"')?].to_string())
}

fn pom(text: &str, out: &mut ManifestOutput) {
    // The project's own artifactId: the first one outside <parent> and <dependencies>.
    let mut depth_skip = 0i32;
    for l in text.lines() {
        let t = l.trim();
        if t.starts_with("<parent>")
            || t.starts_with("<dependencies>")
            || t.starts_with("<build>")
            || t.starts_with("<dependencyManagement>")
        {
            depth_skip += 1;
        }
        if t.starts_with("</parent>")
            || t.starts_with("</dependencies>")
            || t.starts_with("</build>")
            || t.starts_with("</dependencyManagement>")
        {
            depth_skip -= 1;
        }
        if depth_skip == 0
            && let Some(a) = tag(t, "artifactId")
        {
            project_name(&a, out);
            break;
        }
    }
    let mut deps = 0;
    let mut floating = Vec::new();
    let mut in_dep = false;
    let mut dep_line = 0u32;
    let mut artifact = String::new();
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.starts_with("<dependency>") {
            in_dep = true;
            deps += 1;
            dep_line = i as u32 + 1;
        }
        if in_dep {
            if let Some(a) = tag(t, "artifactId").or_else(|| tag(t, "groupId")) {
                flag_evidence(&a, i as u32 + 1, out);
                if t.contains("artifactId") {
                    artifact = a;
                }
            }
            if let Some(v) = tag(t, "version")
                && (v == "LATEST"
                    || v == "RELEASE"
                    || v.ends_with("-SNAPSHOT")
                    || v.starts_with('[')
                    || v.starts_with('('))
            {
                floating.push((i as u32 + 1, col_of(l), format!("{artifact} {v}")));
            }
        }
        if t.starts_with("</dependency>") {
            in_dep = false;
        }
    }
    let _ = dep_line;
    maven_dependency_signals(text, out);
    if text.contains("spring-boot-maven-plugin") || text.contains("<mainClass>") {
        out.artifacts.push(Artifact::ComponentMarker {
            detail: "pom.xml main class / Spring Boot plugin".to_string(),
            entry_point: true,
        });
    }
    out.artifacts.push(Artifact::Deps(Box::new(Manifest {
        ecosystem: "maven",
        locks: &[],
        ancestors: false,
        needs_lock: NeedsLock::No,
        deps,
        floating,
        self_pinned: false,
        dev: false,
    })));
}

/// `Dependency` signals for what the component runs with (the facts read Spring Boot
/// starters from them): `maven group:artifact` for each runtime dependency of the project
/// (not test-scoped, not inside `<dependencyManagement>` or `<build>`), and
/// `maven group:artifact version` for the `<parent>` (the Spring Boot version).
fn maven_dependency_signals(text: &str, out: &mut ManifestOutput) {
    let (mut managed, mut build) = (0i32, 0i32);
    let (mut in_dep, mut in_parent) = (false, false);
    let (mut group, mut artifact, mut version, mut scope) =
        (String::new(), String::new(), String::new(), String::new());
    let mut line = 0u32;
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.starts_with("<dependencyManagement>") {
            managed += 1;
        } else if t.starts_with("</dependencyManagement>") {
            managed -= 1;
        } else if t.starts_with("<build>") {
            build += 1;
        } else if t.starts_with("</build>") {
            build -= 1;
        }
        if t.starts_with("<dependency>") || t.starts_with("<parent>") {
            in_dep = t.starts_with("<dependency>");
            in_parent = !in_dep;
            group.clear();
            artifact.clear();
            version.clear();
            scope.clear();
            line = i as u32 + 1;
        }
        if in_dep || in_parent {
            if let Some(g) = tag(t, "groupId") {
                group = g;
            }
            if let Some(a) = tag(t, "artifactId") {
                artifact = a;
                line = i as u32 + 1;
            }
            if let Some(v) = tag(t, "version") {
                version = v;
            }
            if let Some(sc) = tag(t, "scope") {
                scope = sc;
            }
        }
        let closes_dep = in_dep && t.contains("</dependency>");
        let closes_parent = in_parent && t.contains("</parent>");
        if !(closes_dep || closes_parent) || artifact.is_empty() {
            if closes_dep || closes_parent {
                (in_dep, in_parent) = (false, false);
            }
            continue;
        }
        let detail = if closes_parent && !version.is_empty() {
            Some(format!("maven {group}:{artifact} {version}"))
        } else if closes_dep && managed <= 0 && build <= 0 && scope != "test" {
            Some(format!("maven {group}:{artifact}"))
        } else {
            None
        };
        if let Some(detail) = detail {
            dependency(out, line, detail);
        }
        (in_dep, in_parent) = (false, false);
    }
}

fn tag(line: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let i = line.find(&open)? + open.len();
    let rest = &line[i..];
    Some(rest[..rest.find('<')?].trim().to_string())
}

/// The `Dependency` signal of one `build.gradle` line: `gradle group:artifact` for a
/// runtime dependency (`implementation 'g:a'` or `"g:a:v"`), `gradle org.springframework.boot
/// version` for the Spring Boot plugin (`id 'org.springframework.boot' version '3.4.1'`).
fn gradle_dependency_signal(t: &str, line: u32, out: &mut ManifestOutput) {
    let quoted: Vec<&str> = t.split(['"', '\'']).skip(1).step_by(2).collect();
    let first = t.split(['(', ' ', '"', '\'']).next().unwrap_or("");
    let detail = if first == "id" && quoted.first() == Some(&"org.springframework.boot") {
        quoted
            .get(1)
            .filter(|_| t.contains("version"))
            .map(|v| format!("gradle org.springframework.boot {v}"))
    } else if matches!(
        first,
        "implementation" | "api" | "compile" | "runtimeOnly" | "runtime"
    ) {
        quoted.first().and_then(|c| {
            let mut parts = c.split(':');
            let (g, a) = (parts.next()?, parts.next()?);
            (!g.is_empty() && !a.is_empty()).then(|| format!("gradle {g}:{a}"))
        })
    } else {
        None
    };
    if let Some(detail) = detail {
        dependency(out, line, detail);
    }
}

fn dependency(out: &mut ManifestOutput, line: u32, detail: String) {
    out.signals.push(Signal {
        kind: SignalKind::Dependency,
        line,
        detail,
    });
}

/// `build.gradle(.kts)`.
pub fn analyze_gradle(path: &str, lower: &str, text: &str, out: &mut ManifestOutput) {
    let _ = path;
    if lower == "settings.gradle" || lower == "settings.gradle.kts" {
        if let Some(n) = text.lines().find_map(|l| {
            let t = l.trim();
            t.strip_prefix("rootProject.name").map(|r| {
                r.trim_start_matches([' ', '='])
                    .trim()
                    .trim_matches(['"', '\''])
            })
        }) {
            project_name(n, out);
        }
        return;
    }
    if !(lower == "build.gradle" || lower == "build.gradle.kts") {
        return;
    }
    let mut deps = 0;
    let mut floating = Vec::new();
    let configs = [
        "implementation",
        "api",
        "compile",
        "runtimeOnly",
        "compileOnly",
        "runtime",
        "annotationProcessor",
        "testImplementation",
        "testRuntimeOnly",
        "classpath",
    ];
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        gradle_dependency_signal(t, i as u32 + 1, out);
        let Some(first) = t.split(['(', ' ', '"', '\'']).next() else {
            continue;
        };
        if !configs.contains(&first) {
            continue;
        }
        let Some(coord) = t
            .split(['"', '\''])
            .nth(1)
            .filter(|c| c.matches(':').count() >= 2)
        else {
            continue;
        };
        deps += 1;
        flag_evidence(coord, i as u32 + 1, out);
        let version = coord.rsplit(':').next().unwrap_or("");
        if version.contains('+')
            || version.starts_with("latest.")
            || version.starts_with('[')
            || version.starts_with('(')
            || version.ends_with("-SNAPSHOT")
        {
            floating.push((i as u32 + 1, col_of(l), coord.to_string()));
        }
    }
    let locking = text.contains("dependencyLocking");
    if text.contains("mainClass")
        || text.contains("org.springframework.boot")
        || text.contains("id 'application'")
        || text.contains("id(\"application\")")
        || text.contains("apply plugin: 'application'")
    {
        out.artifacts.push(Artifact::ComponentMarker {
            detail: "Gradle application".to_string(),
            entry_point: true,
        });
    }
    out.artifacts.push(Artifact::Deps(Box::new(Manifest {
        ecosystem: "gradle",
        locks: &["gradle.lockfile"],
        ancestors: true,
        needs_lock: if deps > 0 && !locking {
            NeedsLock::IfDeployable
        } else {
            NeedsLock::No
        },
        deps,
        floating,
        self_pinned: locking,
        dev: false,
    })));
}

pub static PINNING: RuleMeta = RuleMeta {
    id: "deps-not-locked",
    category: "DEPS-PINNING",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["text", "json", "toml", "gradle", "xml"],
    summary: "Dependency manifest without a lock file, or with floating versions",
    docs: Docs {
        what: "One finding per dependency manifest of a deployable unit whose resolved versions can change between \
two builds of the same commit: `requirements*.txt` with unpinned lines (`flask`, `>=`, `~=`) and no hashes, \
constraints file or lock; `pyproject.toml`/`Pipfile` without `poetry.lock`/`uv.lock`/`pdm.lock`/`Pipfile.lock`; \
`package.json` without `package-lock.json`/`yarn.lock`/`pnpm-lock.yaml`/`bun.lock` (here or in a workspace root); \
`go.mod` with requirements and no `go.sum`; `Cargo.toml` of a binary without `Cargo.lock`; Gradle builds without \
`gradle.lockfile`/`dependencyLocking` (P3 when every direct version is fixed) or with dynamic versions (`+`, \
`latest.release`, ranges, SNAPSHOT); Maven dependencies with ranges, `LATEST`/`RELEASE` or SNAPSHOT; .NET projects \
without `packages.lock.json`. pip-tools/uv-compiled requirements (every line `==`) count as a lock. Libraries \
(no entry point, not deployed) are not asked for a lock. Points at the first floating dependency, or at the \
manifest (no line) when only the lock file is missing. Development dependency sets are P3.",
        scenario: "A transitive dependency publishes a new release (or a compromised one) between the build that \
was tested and the build that ships, or a hotfix rebuild happens months later.",
        impact: "The deployed artifact contains code nobody tested or reviewed; a rollback rebuild may not \
reproduce the previous version; a malicious release is pulled in automatically.",
        detection: "Builds of the same commit produce different dependency trees (`pip freeze`, `npm ls` diffs); \
breakages after rebuilds with no code change.",
        mitigation: "Commit the ecosystem's lock file and install from it in CI and Docker builds (`npm ci`, \
`pip install --require-hashes`, `poetry install --no-root`, `uv sync --frozen`, `go mod download` with go.sum).",
        fixes: &[
            (
                "text",
                "# requirements.in holds the ranges; compile the lock:\nuv pip compile requirements.in -o requirements.txt --generate-hashes",
            ),
            (
                "json",
                "npm install && git add package-lock.json   # then build with `npm ci`",
            ),
            (
                "gradle",
                "dependencyLocking {\n    lockAllConfigurations()\n}\n// ./gradlew dependencies --write-locks",
            ),
        ],
        monitoring: "Generate an SBOM per build and alert when it changes without a lock-file change.",
    },
    outside_production: Handling::Lower,
    cases: &[
        Case {
            files: &[
                (
                    "svc/requirements.txt",
                    "# direct deps\nflask==3.0.3\nrequests>=2.31\n^ 2 of 4 requirements are not pinned\ngunicorn\nurllib3==2.2.2\n",
                ),
                (
                    "svc/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nCMD [\"gunicorn\", \"app:app\"]\n",
                ),
            ],
        },
        Case {
            files: &[
                (
                    "api/requirements.txt",
                    "# This file was autogenerated by uv via the following command:\n#    uv pip compile requirements.in -o requirements.txt\nflask==3.0.3\n    # via -r requirements.in\n",
                ),
                ("api/requirements.in", "flask\n"),
            ],
        },
        Case {
            files: &[
                (
                    "web/package.json",
                    "{\n  \"name\": \"web\",\n  \"private\": true,\n  \"scripts\": { \"start\": \"node server.js\" },\n  \"dependencies\": { \"express\": \"^4.19.2\" }\n}\n",
                ),
                ("EXPECT", "web/package.json | no lock file"),
            ],
        },
        Case {
            files: &[
                (
                    "web/package.json",
                    "{\n  \"name\": \"web\",\n  \"private\": true,\n  \"dependencies\": { \"express\": \"^4.19.2\" }\n}\n",
                ),
                ("web/package-lock.json", "{}"),
            ],
        },
        Case {
            files: &[
                (
                    "lib/package.json",
                    "{\n  \"name\": \"left-pad-ng\",\n  \"main\": \"index.js\",\n  \"dependencies\": { \"lodash\": \"^4.17.21\" }\n}\n",
                ),
                ("package-lock.json", "{}"),
            ],
        },
        Case {
            files: &[
                (
                    "svc/go.mod",
                    "module example.com/svc\n\ngo 1.22\n\nrequire github.com/sirupsen/logrus v1.9.3\n",
                ),
                ("EXPECT", "svc/go.mod | no lock file"),
            ],
        },
        Case {
            files: &[
                (
                    "tool/pyproject.toml",
                    "[project]\nname = \"tool\"\ndependencies = [\"click>=8\"]\n[project.scripts]\ntool = \"tool.cli:main\"\n",
                ),
                (
                    "tool/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nCMD [\"tool\"]\n",
                ),
                ("EXPECT", "tool/pyproject.toml | no lock file"),
            ],
        },
        Case {
            files: &[(
                "lib/pyproject.toml",
                "[project]\nname = \"lib\"\ndependencies = [\"attrs>=23\"]\n",
            )],
        },
        Case {
            files: &[
                (
                    "ads/build.gradle",
                    "plugins {\n    id 'application'\n}\ndependencies {\n    implementation \"io.grpc:grpc-stub:1.64.0\"\n    implementation \"com.google.guava:guava:+\"\n    ^ dynamic\n}\n",
                ),
                (
                    "ads/Dockerfile",
                    "FROM eclipse-temurin:21.0.3_9-jre\nUSER 1000\n",
                ),
            ],
        },
        Case {
            files: &[
                (
                    "ads/build.gradle",
                    "plugins {\n    id 'application'\n}\ndependencies {\n    implementation \"io.grpc:grpc-stub:1.64.0\"\n}\n",
                ),
                (
                    "ads/Dockerfile",
                    "FROM eclipse-temurin:21.0.3_9-jre\nUSER 1000\n",
                ),
                ("EXPECT", "ads/build.gradle | no dependency lock"),
            ],
        },
        Case {
            files: &[(
                "ads/build.gradle",
                "plugins { id 'java-library' }\ndependencyLocking {\n    lockAllConfigurations()\n}\ndependencies {\n    implementation \"io.grpc:grpc-stub:1.64.0\"\n}\n",
            )],
        },
        Case {
            files: &[(
                "svc/pom.xml",
                "<project>\n  <dependencies>\n    <dependency>\n      <groupId>org.acme</groupId>\n      <artifactId>core</artifactId>\n      <version>[1.0,2.0)</version>\n      ^ core [1.0,2.0)\n    </dependency>\n  </dependencies>\n</project>\n",
            )],
        },
        Case {
            files: &[(
                "svc/pom.xml",
                "<project>\n  <version>1.0.0-SNAPSHOT</version>\n  <dependencies>\n    <dependency>\n      <groupId>org.acme</groupId>\n      <artifactId>core</artifactId>\n      <version>1.4.2</version>\n    </dependency>\n  </dependencies>\n</project>\n",
            )],
        },
    ],
};

pub fn rules() -> Vec<&'static RuleMeta> {
    vec![&PINNING]
}

/// The folder whose lock files count for a manifest at `path`, and its ancestors.
pub fn lock_dirs(path: &str, ancestors: bool) -> Vec<String> {
    let mut dir = files::parent_dir(path).to_string();
    let mut out = vec![dir.clone()];
    if ancestors {
        while dir != "." {
            dir = files::parent_dir(&dir).to_string();
            out.push(dir.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dependency_signals(f: impl Fn(&mut ManifestOutput)) -> Vec<(u32, String)> {
        let mut out = ManifestOutput::default();
        f(&mut out);
        out.signals
            .into_iter()
            .filter(|s| s.kind == SignalKind::Dependency)
            .map(|s| (s.line, s.detail))
            .collect()
    }

    #[test]
    fn maven_and_gradle_dependencies_become_signals() {
        let pom = "<project>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent</artifactId>\n    <version>3.4.1</version>\n  </parent>\n  <artifactId>orders</artifactId>\n  <dependencyManagement>\n    <dependencies>\n      <dependency>\n        <groupId>org.springframework.cloud</groupId>\n        <artifactId>spring-cloud-dependencies</artifactId>\n      </dependency>\n    </dependencies>\n  </dependencyManagement>\n  <dependencies>\n    <dependency>\n      <groupId>org.springframework.boot</groupId>\n      <artifactId>spring-boot-starter-actuator</artifactId>\n    </dependency>\n    <dependency>\n      <groupId>io.micrometer</groupId>\n      <artifactId>micrometer-registry-prometheus</artifactId>\n      <version>1.12.0</version>\n    </dependency>\n    <dependency>\n      <groupId>org.springframework.boot</groupId>\n      <artifactId>spring-boot-starter-test</artifactId>\n      <scope>test</scope>\n    </dependency>\n  </dependencies>\n</project>\n";
        assert_eq!(
            dependency_signals(|o| pom_for_test(pom, o)),
            vec![
                (
                    4,
                    "maven org.springframework.boot:spring-boot-starter-parent 3.4.1".to_string()
                ),
                (
                    19,
                    "maven org.springframework.boot:spring-boot-starter-actuator".to_string()
                ),
                (
                    23,
                    "maven io.micrometer:micrometer-registry-prometheus".to_string()
                ),
            ]
        );
        let gradle = "plugins {\n    id 'org.springframework.boot' version '3.3.2'\n}\ndependencies {\n    implementation 'org.springframework.boot:spring-boot-starter-actuator'\n    runtimeOnly(\"io.micrometer:micrometer-registry-prometheus:1.12.0\")\n    testImplementation 'org.springframework.boot:spring-boot-starter-test'\n}\n";
        assert_eq!(
            dependency_signals(|o| analyze_gradle("build.gradle", "build.gradle", gradle, o)),
            vec![
                (2, "gradle org.springframework.boot 3.3.2".to_string()),
                (
                    5,
                    "gradle org.springframework.boot:spring-boot-starter-actuator".to_string()
                ),
                (
                    6,
                    "gradle io.micrometer:micrometer-registry-prometheus".to_string()
                ),
            ]
        );
    }

    fn pom_for_test(text: &str, out: &mut ManifestOutput) {
        pom(text, out);
    }

    fn arts(f: impl Fn(&mut ManifestOutput)) -> Vec<Manifest> {
        let mut out = ManifestOutput::default();
        f(&mut out);
        out.artifacts
            .into_iter()
            .filter_map(|a| match a {
                Artifact::Deps(m) => Some(*m),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn requirements_pinning() {
        let m = arts(|o| {
            analyze_text(
                "r.txt",
                "requirements.txt",
                "a==1\nb>=2\n-r base.txt\nc @ git+https://x/y@0123456789abcdef\n",
                o,
            )
        });
        assert_eq!(m[0].floating, vec![(2, 1, "b>=2".to_string())]);
        let m = arts(|o| {
            analyze_text(
                "r.txt",
                "requirements.txt",
                "a==1 \\\n    --hash=sha256:ab\nb\n",
                o,
            )
        });
        assert!(m[0].floating.is_empty() && m[0].self_pinned);
    }

    #[test]
    fn lock_folders() {
        assert_eq!(lock_dirs("a/b/package.json", true), vec!["a/b", "a", "."]);
        assert_eq!(lock_dirs("go.mod", false), vec!["."]);
    }
}
