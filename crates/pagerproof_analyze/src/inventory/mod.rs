//! The service inventory (`pagerproof_core::inventory`): per component, what the review
//! saw it expose (routes, gRPC services, health endpoints, ports), read (environment
//! variables), call (outbound dependencies), measure (metric names, instrumentation) and
//! toggle (feature flags), and how it is deployed (workloads with probes, resources,
//! replicas, rollout strategy; owners from CODEOWNERS).
//!
//! It is built in two steps so the review's per-file work is not repeated: [`Collected`]
//! keeps the signals the inventory needs before aggregation consumes the file results,
//! and [`Collected::finish`] attributes them to the report's components and reads the
//! deploy files (Kubernetes, compose, skaffold), Dockerfiles and CODEOWNERS through the
//! same [`Source`] the review used. Only production files count; every item carries the
//! places it was seen, sorted, so output is stable.

pub mod deploy;
pub mod owners;

use std::collections::{BTreeMap, BTreeSet};

use pagerproof_core::config::Settings;
use pagerproof_core::inventory::{ComponentInventory, Inventory, Item, OwnerRule, Workload};
use pagerproof_core::{Component, Evidence, Report};

use crate::components;
use crate::files::{self, FileKind, Role};
use crate::fs::Source;
use crate::review::FileResult;
use crate::signals::{Signal, SignalKind};

use deploy::DeployObject;

/// Most evidence kept per item, and most items per list.
const MAX_EVIDENCE: usize = 4;
const MAX_ITEMS: usize = 150;

/// The signal kinds the inventory reads.
const KINDS: &[SignalKind] = &[
    SignalKind::Route,
    SignalKind::Listen,
    SignalKind::EnvRead,
    SignalKind::Outbound,
    SignalKind::FeatureFlag,
    SignalKind::MetricName,
    SignalKind::GrpcService,
    SignalKind::Health,
    SignalKind::Metrics,
    SignalKind::Tracing,
    SignalKind::EntryPoint,
];

struct Seen {
    path: String,
    kind: Option<FileKind>,
    role: Option<Role>,
    signals: Vec<Signal>,
}

/// What the inventory keeps from the per-file results, before aggregation.
pub struct Collected {
    files: Vec<Seen>,
}

impl Collected {
    pub fn new(results: &[FileResult]) -> Collected {
        let mut files: Vec<Seen> = results
            .iter()
            .filter(|r| r.skipped.is_none())
            .map(|r| Seen {
                path: r.path.clone(),
                kind: r.kind,
                role: r.role,
                signals: r
                    .signals
                    .iter()
                    .filter(|s| KINDS.contains(&s.kind))
                    .cloned()
                    .collect(),
            })
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Collected { files }
    }

    /// The inventory of the report's components.
    pub fn finish(&self, source: &dyn Source, settings: &Settings, report: &Report) -> Inventory {
        let comps = &report.components;
        let mut acc: Vec<Acc> = comps.iter().map(|_| Acc::default()).collect();
        let read = |path: &str| -> Option<String> {
            source
                .read(path, settings.max_file_size)
                .ok()
                .filter(|b| (b.len() as u64) < settings.max_file_size)
                .map(|b| crate::review::decode(&b))
        };

        // Code signals. Code in dot-folders (`.semgrep/`, `.devcontainer/`) is tooling, not
        // the service.
        for f in self
            .files
            .iter()
            .filter(|f| f.role == Some(Role::Production) && !in_dot_dir(&f.path))
        {
            let Some(ci) = owner(comps, &f.path) else {
                continue;
            };
            let a = &mut acc[ci];
            for s in &f.signals {
                let e = Evidence {
                    path: f.path.clone(),
                    line: Some(s.line),
                    note: String::new(),
                };
                let d = s.detail.trim().to_string();
                match s.kind {
                    SignalKind::Route => {
                        if is_health_path(route_path(&d)) {
                            add(&mut a.health, &d, e.clone());
                        }
                        add(&mut a.routes, &d, e);
                    }
                    SignalKind::GrpcService => {
                        if d == "Health" {
                            add(&mut a.health, "gRPC grpc.health.v1.Health", e.clone());
                        }
                        add(&mut a.grpc, &d, e);
                    }
                    SignalKind::Health => add(&mut a.health, non_empty(&d, "health check"), e),
                    SignalKind::Listen => add(&mut a.ports, &d, e),
                    SignalKind::EnvRead => add(&mut a.env, &d, e),
                    SignalKind::Outbound => add(&mut a.outbound, non_empty(&d, "unknown"), e),
                    SignalKind::FeatureFlag => add(&mut a.flags, &d, e),
                    SignalKind::MetricName => {
                        if let Some(lib) = d.split_whitespace().nth(2) {
                            add(&mut a.instr, &format!("metrics {lib}"), e.clone());
                        }
                        add(&mut a.metrics, &d, e);
                    }
                    SignalKind::Metrics => {
                        add(&mut a.instr, &format!("metrics {}", non_empty(&d, "")), e)
                    }
                    SignalKind::Tracing => {
                        add(&mut a.instr, &format!("tracing {}", non_empty(&d, "")), e)
                    }
                    SignalKind::EntryPoint => add(&mut a.entry, non_empty(&d, "entry point"), e),
                    _ => {}
                }
            }
        }

        // Dockerfiles: exposed ports and environment set by the image.
        for f in self
            .files
            .iter()
            .filter(|f| f.kind == Some(FileKind::Dockerfile) && f.role == Some(Role::Production))
        {
            let Some(ci) = owner(comps, &f.path) else {
                continue;
            };
            let Some(text) = read(&f.path) else {
                continue;
            };
            dockerfile(&f.path, &text, &mut acc[ci]);
        }

        // Deploy files.
        let mut objects: Vec<DeployObject> = Vec::new();
        let mut deploy_files: BTreeMap<String, Vec<Evidence>> = BTreeMap::new();
        let mut documents: BTreeMap<String, Vec<Evidence>> = BTreeMap::new();
        for f in &self.files {
            let lower = f.path.to_ascii_lowercase();
            let name = files::base_name(&lower).to_string();
            if let Some(what) = deploy_tool(&lower, &name) {
                add(&mut deploy_files, what, whole(&f.path));
            }
            if let Some(what) = document_kind(&lower, &name, f.kind) {
                add(&mut documents, what, whole(&f.path));
            }
            if f.kind != Some(FileKind::Yaml) || f.role != Some(Role::Production) {
                continue;
            }
            let Some(text) = read(&f.path) else {
                continue;
            };
            objects.extend(deploy::read(&f.path, &text));
        }
        let mut mesh: BTreeMap<String, Vec<Evidence>> = BTreeMap::new();
        for o in &objects {
            match o {
                DeployObject::Mesh { mesh: m, at } => add(&mut mesh, m, at.clone()),
                DeployObject::Document { what, at } => add(&mut documents, what, at.clone()),
                _ => {}
            }
        }
        link_workloads(comps, &objects, &mut acc);

        // Owners.
        let mut owner_rules: Vec<OwnerRule> = Vec::new();
        for loc in owners::LOCATIONS {
            if self.files.iter().any(|f| f.path == *loc)
                && let Some(text) = read(loc)
            {
                owner_rules = owners::parse(loc, &text);
                break;
            }
        }

        let mut components_out = Vec::new();
        for (c, a) in comps.iter().zip(acc) {
            let mut ci = a.finish(c);
            if let Some(rule) = owners::owner_of(&owner_rules, &c.path) {
                ci.owners = rule.owners.clone();
            }
            components_out.push(ci);
        }
        Inventory {
            components: components_out,
            owners: owner_rules,
            deploy_files: items(deploy_files),
            mesh: items(mesh),
            documents: items(documents),
        }
    }
}

fn in_dot_dir(path: &str) -> bool {
    let mut segs: Vec<&str> = path.split('/').collect();
    segs.pop();
    segs.iter()
        .any(|s| s.starts_with('.') && *s != "." && *s != "..")
}

fn non_empty<'a>(s: &'a str, default: &'a str) -> &'a str {
    if s.is_empty() { default } else { s }
}

fn whole(path: &str) -> Evidence {
    Evidence {
        path: path.to_string(),
        line: None,
        note: String::new(),
    }
}

/// The innermost component containing `path`.
fn owner(comps: &[Component], path: &str) -> Option<usize> {
    comps
        .iter()
        .enumerate()
        .filter(|(_, c)| components::contains(&c.path, path))
        .max_by_key(|(_, c)| if c.path == "." { 0 } else { c.path.len() + 1 })
        .map(|(i, _)| i)
}

/// The component whose folder is `dir`, or the innermost one containing it.
fn component_for_dir(comps: &[Component], dir: &str) -> Option<usize> {
    comps
        .iter()
        .position(|c| c.path == dir)
        .or_else(|| owner(comps, &format!("{dir}/_")))
        .filter(|i| comps[*i].path != "." || dir == ".")
}

#[derive(Default)]
struct Acc {
    routes: BTreeMap<String, Vec<Evidence>>,
    grpc: BTreeMap<String, Vec<Evidence>>,
    health: BTreeMap<String, Vec<Evidence>>,
    ports: BTreeMap<String, Vec<Evidence>>,
    env: BTreeMap<String, Vec<Evidence>>,
    outbound: BTreeMap<String, Vec<Evidence>>,
    flags: BTreeMap<String, Vec<Evidence>>,
    metrics: BTreeMap<String, Vec<Evidence>>,
    instr: BTreeMap<String, Vec<Evidence>>,
    entry: BTreeMap<String, Vec<Evidence>>,
    workloads: Vec<Workload>,
}

impl Acc {
    fn finish(mut self, c: &Component) -> ComponentInventory {
        for w in &self.workloads {
            for p in &w.probes {
                add(
                    &mut self.health,
                    &format!("{} probe {}", p.kind, p.check),
                    p.at.clone(),
                );
            }
            for port in &w.ports {
                for e in &port.evidence {
                    add(&mut self.ports, &port.name, e.clone());
                }
            }
            for e in &w.env {
                add(&mut self.env, &e.name, e.at.clone());
            }
        }
        self.env.remove("(all keys)");
        // Variables that switch behaviour on or off are the kill switches a runbook needs.
        let toggles: Vec<(String, Vec<Evidence>)> = self
            .env
            .iter()
            .filter(|(k, _)| is_toggle_name(k))
            .map(|(k, v)| (format!("env {k}"), v.clone()))
            .collect();
        for (k, v) in toggles {
            for e in v {
                add(&mut self.flags, &k, e);
            }
        }
        let mut workloads = self.workloads;
        workloads.sort_by(|a, b| (&a.at.path, a.at.line).cmp(&(&b.at.path, b.at.line)));
        workloads.dedup_by(|a, b| a.at == b.at);
        ComponentInventory {
            component: c.path.clone(),
            name: c.name.clone(),
            routes: items(self.routes),
            grpc_services: items(self.grpc),
            health: items(self.health),
            ports: items(self.ports),
            env_vars: items(self.env),
            outbound: items(self.outbound),
            feature_flags: items(self.flags),
            metrics: items(self.metrics),
            instrumentation: items(self.instr),
            entry_points: items(self.entry),
            workloads,
            owners: Vec::new(),
        }
    }
}

fn add(m: &mut BTreeMap<String, Vec<Evidence>>, name: &str, e: Evidence) {
    let name = name.trim();
    if name.is_empty() {
        return;
    }
    m.entry(name.to_string()).or_default().push(e);
}

fn items(m: BTreeMap<String, Vec<Evidence>>) -> Vec<Item> {
    m.into_iter()
        .take(MAX_ITEMS)
        .map(|(name, mut evidence)| {
            evidence.sort();
            evidence.dedup_by(|a, b| a.path == b.path && a.line == b.line);
            evidence.truncate(MAX_EVIDENCE);
            Item { name, evidence }
        })
        .collect()
}

/// `GET /healthz` -> `/healthz`.
fn route_path(route: &str) -> &str {
    route.split_once(' ').map(|(_, p)| p).unwrap_or(route)
}

/// Whether a route path is a health, readiness or liveness endpoint.
pub fn is_health_path(path: &str) -> bool {
    let last = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        last.as_str(),
        "health"
            | "healthz"
            | "_healthz"
            | "healthcheck"
            | "health-check"
            | "health_check"
            | "_health"
            | "ready"
            | "readyz"
            | "readiness"
            | "live"
            | "livez"
            | "liveness"
            | "ping"
            | "_ping"
            | "status"
            | "_status"
    )
}

/// Environment variables that turn a behaviour on or off (`ENABLE_TRACING`,
/// `DISABLE_PROFILER`, `FEATURE_NEW_CART`, `MAINTENANCE_MODE`).
pub fn is_toggle_name(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    n.starts_with("ENABLE_")
        || n.starts_with("DISABLE_")
        || n.starts_with("FEATURE_")
        || n.starts_with("FF_")
        || n.ends_with("_ENABLED")
        || n.ends_with("_DISABLED")
        || n.ends_with("_FLAG")
        || n.contains("KILL_SWITCH")
        || n.contains("KILLSWITCH")
        || n.contains("MAINTENANCE")
        || n.ends_with("_DRY_RUN")
        || n == "DRY_RUN"
}

/// `EXPOSE` and `ENV` of a Dockerfile's final stage.
fn dockerfile(path: &str, text: &str, a: &mut Acc) {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .rposition(|l| l.trim_start().to_ascii_uppercase().starts_with("FROM "))
        .unwrap_or(0);
    for (i, l) in lines.iter().enumerate().skip(start) {
        let t = l.trim();
        let upper = t.to_ascii_uppercase();
        let e = Evidence {
            path: path.to_string(),
            line: Some(i as u32 + 1),
            note: String::new(),
        };
        if let Some(rest) = upper.strip_prefix("EXPOSE ").map(|_| &t[7..]) {
            for p in rest.split_whitespace() {
                let port = p.split('/').next().unwrap_or(p);
                if port.parse::<u16>().is_ok() {
                    add(&mut a.ports, port, e.clone());
                }
            }
        } else if upper.starts_with("ENV ") {
            let rest = t[4..].trim();
            if rest.contains('=') {
                for kv in rest.split_whitespace() {
                    if let Some((k, _)) = kv.split_once('=')
                        && crate::extract::service::is_env_name(k)
                    {
                        add(&mut a.env, k, e.clone());
                    }
                }
            } else if let Some(k) = rest.split_whitespace().next()
                && crate::extract::service::is_env_name(k)
            {
                add(&mut a.env, k, e.clone());
            }
        }
    }
}

/// Repository-level deploy tooling, by file name.
fn deploy_tool(lower: &str, name: &str) -> Option<&'static str> {
    Some(match name {
        "skaffold.yaml" | "skaffold.yml" => "skaffold",
        "chart.yaml" => "helm chart",
        "kustomization.yaml" | "kustomization.yml" => "kustomize",
        "cloudbuild.yaml" | "cloudbuild.yml" => "cloud build",
        "fly.toml" => "fly.io",
        "render.yaml" => "render",
        "procfile" => "procfile",
        "serverless.yml" | "serverless.yaml" => "serverless framework",
        "app.yaml" if !lower.contains('/') => "app engine",
        n if n.starts_with("docker-compose") || n == "compose.yaml" || n == "compose.yml" => {
            "docker compose"
        }
        n if lower.starts_with(".github/workflows/")
            && (n.contains("deploy") || n.contains("release") || n.contains("cd.")) =>
        {
            "github actions workflow"
        }
        _ => return None,
    })
}

/// Operational documents already present, by path.
fn document_kind(lower: &str, name: &str, kind: Option<FileKind>) -> Option<&'static str> {
    let doc = kind == Some(FileKind::Doc);
    if doc && (lower.contains("runbook") || lower.contains("playbook")) {
        return Some("runbook");
    }
    if doc
        && (lower.contains("/adr/")
            || lower.contains("/adrs/")
            || lower.starts_with("adr/")
            || lower.contains("/decisions/")
            || name.starts_with("adr-"))
    {
        return Some("architecture decision record");
    }
    if doc && (lower.contains("postmortem") || lower.contains("post-mortem")) {
        return Some("postmortem");
    }
    if kind == Some(FileKind::Json) && lower.contains("dashboard") {
        return Some("dashboard (JSON)");
    }
    None
}

/// Links each workload to the component it runs: through a build declaration of its
/// image (skaffold, compose `build:`), else an image or workload named like the component.
fn link_workloads(comps: &[Component], objects: &[DeployObject], acc: &mut [Acc]) {
    let builds: Vec<(&str, &str)> = objects
        .iter()
        .filter_map(|o| match o {
            DeployObject::Build { image, context } => Some((image.as_str(), context.as_str())),
            _ => None,
        })
        .collect();
    let by_name: BTreeMap<&str, usize> = comps
        .iter()
        .enumerate()
        .filter(|(_, c)| c.path != ".")
        .map(|(i, c)| (c.name.as_str(), i))
        .collect();
    let mut seen: BTreeSet<(usize, String, Option<u32>)> = BTreeSet::new();
    for o in objects {
        let DeployObject::Workload {
            workload,
            pod_labels,
            build_context,
        } = o
        else {
            continue;
        };
        let mut target: Option<(usize, String)> = None;
        if let Some(ctx) = build_context
            && let Some(ci) = component_for_dir(comps, ctx)
        {
            target = Some((ci, format!("compose builds it from {ctx}")));
        }
        for img in &workload.images {
            if target.is_some() {
                break;
            }
            let repo = image_repo(img);
            if let Some((_, ctx)) = builds.iter().find(|(b, _)| image_repo(b) == repo)
                && let Some(ci) = component_for_dir(comps, ctx)
            {
                target = Some((ci, format!("image {repo} is built from {ctx}")));
                break;
            }
            let short = repo.rsplit('/').next().unwrap_or(repo);
            if let Some(ci) = by_name.get(short) {
                target = Some((*ci, format!("image {repo} is named after it")));
            }
        }
        if target.is_none()
            && let Some(ci) = by_name.get(workload.name.as_str())
        {
            target = Some((
                *ci,
                format!("{} {} is named after it", workload.kind, workload.name),
            ));
        }
        let Some((ci, why)) = target else {
            continue;
        };
        if !seen.insert((ci, workload.at.path.clone(), workload.at.line)) {
            continue;
        }
        let mut w = (**workload).clone();
        w.linked_by = why;
        let mut related: BTreeMap<String, Vec<Evidence>> = BTreeMap::new();
        for r in objects {
            match r {
                DeployObject::Selector {
                    what,
                    namespace,
                    selector,
                    at,
                } if !pod_labels.is_empty()
                    && *namespace == w.namespace
                    && selector.iter().all(|kv| pod_labels.contains(kv)) =>
                {
                    add(&mut related, what, at.clone())
                }
                DeployObject::Target { what, target, at } if *target == w.name => {
                    add(&mut related, what, at.clone())
                }
                _ => {}
            }
        }
        w.related = items(related);
        acc[ci].workloads.push(w);
    }
}

/// `gcr.io/p/cart:1.2@sha256:..` -> `gcr.io/p/cart`.
fn image_repo(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    match no_digest.rfind(':') {
        Some(i) if !no_digest[i..].contains('/') => &no_digest[..i],
        _ => no_digest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemSource;

    #[test]
    fn builds_an_inventory_from_code_deploy_files_and_owners() {
        let files: Vec<(String, Vec<u8>)> = vec![
            (
                "src/cart/main.go".into(),
                b"package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"/healthz\", ok)\n\tmux.HandleFunc(\"POST /cart\", add)\n\t_ = os.Getenv(\"REDIS_ADDR\")\n\thttp.ListenAndServe(\":8080\", mux)\n}\n".to_vec(),
            ),
            ("src/cart/go.mod".into(), b"module cart\n".to_vec()),
            (
                "src/cart/Dockerfile".into(),
                b"FROM golang:1.22 AS build\nENV CGO_ENABLED=0\nFROM gcr.io/distroless/static\nEXPOSE 8080\nENV ENABLE_TRACING=0\n".to_vec(),
            ),
            (
                "skaffold.yaml".into(),
                b"apiVersion: skaffold/v4beta1\nkind: Config\nbuild:\n  artifacts:\n    - image: cartsvc\n      context: src/cart\n".to_vec(),
            ),
            (
                "k8s/cart.yaml".into(),
                b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cart\nspec:\n  template:\n    metadata:\n      labels: {app: cart}\n    spec:\n      containers:\n        - name: server\n          image: cartsvc\n          readinessProbe:\n            httpGet: {path: /healthz, port: 8080}\n          env:\n            - name: REDIS_ADDR\n              value: redis:6379\n---\napiVersion: v1\nkind: Service\nmetadata: {name: cart}\nspec:\n  selector: {app: cart}\n  ports: [{port: 80}]\n".to_vec(),
            ),
            (".github/CODEOWNERS".into(), b"* @org/all\n/src/cart/ @org/cart\n".to_vec()),
        ];
        let src = MemSource::new(files);
        let report = crate::review(&src, &Settings::default());
        let Some(inv) = &report.inventory else {
            panic!("no inventory");
        };
        let Some(c) = inv.component("src/cart") else {
            panic!("{inv:#?}");
        };
        let names = |v: &[Item]| v.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&c.routes), vec!["* /healthz", "POST /cart"]);
        assert!(names(&c.health).contains(&"* /healthz".to_string()));
        assert!(names(&c.health).contains(&"readiness probe httpGet /healthz :8080".to_string()));
        assert_eq!(names(&c.ports), vec!["8080"]);
        let redis = c.env_vars.iter().find(|i| i.name == "REDIS_ADDR");
        let Some(redis) = redis else {
            panic!("{c:#?}");
        };
        let at: Vec<String> = redis
            .evidence
            .iter()
            .map(|e| format!("{}:{}", e.path, e.line.unwrap_or(0)))
            .collect();
        assert_eq!(at, vec!["k8s/cart.yaml:16", "src/cart/main.go:12"]);
        assert!(
            !names(&c.env_vars).contains(&"CGO_ENABLED".to_string()),
            "builder stage only"
        );
        assert!(names(&c.feature_flags).contains(&"env ENABLE_TRACING".to_string()));
        assert_eq!(c.workloads.len(), 1);
        assert_eq!(
            c.workloads[0].linked_by,
            "image cartsvc is built from src/cart"
        );
        assert_eq!(
            names(&c.workloads[0].related),
            vec!["Service/cart (ClusterIP, port 80)"]
        );
        assert_eq!(c.owners, vec!["@org/cart"]);
        assert_eq!(names(&inv.deploy_files), vec!["skaffold"]);
    }

    #[test]
    fn image_repos_drop_tags_and_digests() {
        assert_eq!(image_repo("gcr.io/p/cart:1.2"), "gcr.io/p/cart");
        assert_eq!(image_repo("localhost:5000/cart"), "localhost:5000/cart");
        assert_eq!(image_repo("cart@sha256:abc"), "cart");
    }
}
