//! Checks that need more than one file, run once every file is read:
//!
//! - Helm templates are rendered with their chart's `values.yaml` (see `helm.rs`);
//! - each workload container is linked to the component that builds its image (skaffold
//!   `artifacts[]`, compose `build:`, or an image named like the component's folder) and
//!   recorded in `Component.deployments`;
//! - the Kubernetes rules (`kubernetes.rs`) run per container and workload, with the
//!   repository in view: PodDisruptionBudgets and autoscalers anywhere, Services selecting
//!   the pods, the component's code facts. Identical findings on copies of one workload
//!   (`kubernetes-manifests/`, `kustomize/base/`, `release/`) are reported once, at the
//!   first copy, with the others as related locations;
//! - the cross-checks no single-file tool makes: a probe on a service that has no health
//!   endpoint, a probe path the code does not serve or a port it does not listen on, a
//!   SIGTERM-unaware service without a preStop hook, a memory limit below the model files
//!   the service loads;
//! - DOCKER-HEALTHCHECK (no probe covers the image), compose checks (when compose is the
//!   deployment), DEPS-PINNING (lock files next to manifests).

use std::collections::{BTreeMap, BTreeSet};

use pagerproof_core::config::Settings;
use pagerproof_core::{Component, Confidence, Evidence, NotAnalyzed, Severity};

use crate::aggregate::Inputs;
use crate::components::{self, ComponentInfo};
use crate::files::{self, FileKind, Role};
use crate::manifests::Artifact;
use crate::manifests::compose::{self, Service};
use crate::manifests::deps::{self, Manifest, NeedsLock};
use crate::manifests::dockerfile::{self, ImageInfo};
use crate::manifests::helm;
use crate::manifests::kubernetes::{self as k8s, Container, Object};
use crate::manifests::yaml::Y;
use crate::review::{Pending, finish_hit};
use crate::rule::{Case, Docs, Handling, Hit, RuleMeta};
use crate::signals::SignalKind;

/// What the cross checks produce.
#[derive(Default)]
pub struct Output {
    pub findings: Vec<Pending>,
    pub not_analyzed: Vec<NotAnalyzed>,
}

struct Build {
    image: String,
    context: String,
    dockerfile: String,
}

/// Everything the checks read, gathered from the artifacts.
struct World<'a> {
    settings: &'a Settings,
    inputs: &'a Inputs<'a>,
    objects: Vec<(String, Object)>,
    sources: BTreeMap<String, String>,
    images: Vec<(&'a str, &'a ImageInfo)>,
    builds: Vec<Build>,
    compose: Vec<(&'a str, &'a Service)>,
    deps: Vec<(&'a str, &'a Manifest)>,
    files: BTreeSet<&'a str>,
    helm_templates: usize,
    names: BTreeMap<&'a str, BTreeSet<String>>,
    /// Image -> component path, memoised (workloads repeat images across copies).
    links: std::cell::RefCell<BTreeMap<String, Option<String>>>,
    /// Signals per component, gathered once: (kind, path, line, detail).
    comp_signals: BTreeMap<&'a str, Vec<(SignalKind, &'a str, u32, &'a str)>>,
}

impl World<'_> {
    /// The component that builds an image (memoised [`component_for_image`]).
    fn link(&self, image: &str) -> Option<&ComponentInfo> {
        let comps = self.inputs.components;
        if let Some(hit) = self.links.borrow().get(image) {
            return hit
                .as_deref()
                .and_then(|p| comps.iter().find(|c| c.path == p));
        }
        let found = component_for_image(image, &self.builds, comps, &self.names);
        self.links
            .borrow_mut()
            .insert(image.to_string(), found.map(|c| c.path.clone()));
        found
    }

    /// Signals of one kind in a component's production files: (path, line, detail).
    fn signals(&self, comp: &str, kind: SignalKind) -> Vec<(&str, u32, &str)> {
        self.comp_signals
            .get(comp)
            .map(|v| {
                v.iter()
                    .filter(|(k, ..)| *k == kind)
                    .map(|(_, p, l, d)| (*p, *l, *d))
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn gather_signals<'a>(
    inputs: &'a Inputs<'_>,
) -> BTreeMap<&'a str, Vec<(SignalKind, &'a str, u32, &'a str)>> {
    let mut out: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for r in inputs.results {
        if r.role != Some(Role::Production) || r.signals.is_empty() {
            continue;
        }
        let owner = components::owner(inputs.components, &r.path);
        let Some(c) = inputs.components.iter().find(|c| c.path == owner) else {
            continue;
        };
        let v = out.entry(c.path.as_str()).or_default();
        for s in &r.signals {
            if matches!(
                s.kind,
                SignalKind::Route | SignalKind::Health | SignalKind::Listen
            ) {
                v.push((s.kind, r.path.as_str(), s.line, s.detail.as_str()));
            }
        }
    }
    out
}

pub fn run(inputs: &Inputs<'_>, components: &mut [Component]) -> Output {
    let mut out = Output::default();
    let mut w = World {
        settings: inputs.settings,
        inputs,
        objects: Vec::new(),
        sources: BTreeMap::new(),
        images: Vec::new(),
        builds: Vec::new(),
        compose: Vec::new(),
        deps: Vec::new(),
        files: inputs.results.iter().map(|r| r.path.as_str()).collect(),
        helm_templates: 0,
        names: project_names(inputs),
        links: std::cell::RefCell::new(BTreeMap::new()),
        comp_signals: gather_signals(inputs),
    };
    let mut charts: BTreeMap<&str, (&str, &str, &str)> = BTreeMap::new();
    let mut values: BTreeMap<&str, &Y> = BTreeMap::new();
    let mut templates: Vec<(&str, &str)> = Vec::new();
    for r in inputs.results {
        let p = r.path.as_str();
        for a in &r.artifacts {
            match a {
                Artifact::K8s(o) => w.objects.push((r.path.clone(), (**o).clone())),
                Artifact::Source(t) => {
                    w.sources.insert(r.path.clone(), t.clone());
                }
                Artifact::Image(i) => w.images.push((p, i)),
                Artifact::Build {
                    image,
                    context,
                    dockerfile,
                    ..
                } => w.builds.push(Build {
                    image: image.clone(),
                    context: context.clone(),
                    dockerfile: dockerfile.clone(),
                }),
                Artifact::Compose(s) => w.compose.push((p, s)),
                Artifact::Deps(m) => w.deps.push((p, m)),
                Artifact::HelmChart {
                    name,
                    version,
                    app_version,
                } => {
                    charts.insert(files::parent_dir(p), (name, version, app_version));
                }
                Artifact::HelmValues(v) => {
                    values.insert(files::parent_dir(p), v);
                }
                Artifact::HelmTemplate(t) => templates.push((p, t)),
                Artifact::NotAnalyzed { what } => out.not_analyzed.push(NotAnalyzed {
                    path: r.path.clone(),
                    what: what.clone(),
                }),
                _ => {}
            }
        }
    }

    render_helm(&mut w, &charts, &values, &templates, &mut out);

    let mut hits: Vec<Candidate> = Vec::new();
    kubernetes_checks(&w, components, &mut hits);
    docker_user(&w, &mut hits);
    docker_healthcheck(&w, &mut hits);
    compose_checks(&w, &mut hits);
    deps_checks(&w, &mut hits);
    action_pins(inputs, &mut hits);
    emit(&w, hits, &mut out);
    out.not_analyzed.sort();
    out.not_analyzed.dedup();
    out
}

fn render_helm(
    w: &mut World<'_>,
    charts: &BTreeMap<&str, (&str, &str, &str)>,
    values: &BTreeMap<&str, &Y>,
    templates: &[(&str, &str)],
    out: &mut Output,
) {
    let mut noted = BTreeSet::new();
    for (path, text) in templates {
        let dir = helm::chart_dir(path);
        let Some((name, version, app_version)) = charts.get(dir) else {
            out.not_analyzed.push(NotAnalyzed {
                path: path.to_string(),
                what:
                    "template outside a Helm chart (no Chart.yaml beside templates/): not rendered"
                        .to_string(),
            });
            continue;
        };
        w.helm_templates += 1;
        if noted.insert(dir) {
            out.not_analyzed.push(NotAnalyzed {
                path: dir.to_string(),
                what: format!(
                    "Helm chart `{name}` is analysed with its values.yaml defaults only; other values files and --set overrides are not applied"
                ),
            });
        }
        let chart = helm::Chart {
            name,
            version,
            app_version,
            values: values.get(dir).copied(),
        };
        match helm::render(text, &chart) {
            Ok(r) => {
                if r.unresolved > 0 {
                    out.not_analyzed.push(NotAnalyzed {
                        path: path.to_string(),
                        what: format!(
                            "{} template expression(s) (include, tpl, ...) could not be resolved; checks that depend on them were skipped",
                            r.unresolved
                        ),
                    });
                }
                for o in k8s::objects(&r.docs) {
                    w.objects.push((path.to_string(), o));
                }
                w.sources.insert(path.to_string(), text.to_string());
            }
            Err(e) => out.not_analyzed.push(NotAnalyzed {
                path: path.to_string(),
                what: format!("Helm template not analysed: {e}"),
            }),
        }
    }
}

/// A finding before deduplication: the hit, its file, and what identifies it across
/// copies of the same workload.
struct Candidate {
    hit: Hit,
    path: String,
    lang: &'static str,
    /// Identity across copies (kind/name/container); empty = never merged.
    key: String,
}

fn emit(w: &World<'_>, hits: Vec<Candidate>, out: &mut Output) {
    // Group identical findings on copies of one workload.
    let mut groups: BTreeMap<(String, String, String), Vec<Candidate>> = BTreeMap::new();
    let mut singles = Vec::new();
    for c in hits {
        if c.key.is_empty() {
            singles.push(c);
        } else {
            groups
                .entry((
                    c.hit.rule.id.to_string(),
                    c.key.clone(),
                    c.hit.message.clone(),
                ))
                .or_default()
                .push(c);
        }
    }
    for (_, mut g) in groups {
        g.sort_by_key(|a| copy_rank(&a.path));
        let mut first = g.remove(0);
        for other in &g {
            first.hit.related.push(Evidence {
                path: other.path.clone(),
                line: (other.hit.line > 0).then_some(other.hit.line),
                note: "same workload, same gap".to_string(),
            });
        }
        singles.push(first);
    }
    for c in singles {
        if !crate::review::enabled(w.settings, c.hit.rule) {
            continue;
        }
        let text = w.sources.get(&c.path).map(String::as_str).unwrap_or("");
        let lines: Vec<&str> = text.lines().collect();
        let role = files::role_of(&c.path);
        if let Some(p) = finish_hit(c.hit, &c.path, role, c.lang, &lines, w.settings) {
            out.findings.push(p);
        }
    }
}

/// Which copy of a workload reports it: hand-written manifests before generated release
/// bundles and Helm templates, then by path.
fn copy_rank(path: &str) -> (u8, String) {
    let l = path.to_ascii_lowercase();
    let generated = [
        "release/",
        "releases/",
        "dist/",
        "rendered",
        "generated",
        "/out/",
        "build/",
    ]
    .iter()
    .any(|w| l.starts_with(w) || l.contains(&format!("/{w}")));
    let helm = l.contains("/templates/") || l.starts_with("templates/");
    (u8::from(generated) * 2 + u8::from(helm), l)
}

// ---------------------------------------------------------------------------------------
// Linking workloads to components.

/// The component (by path) that builds an image, if it can be told.
fn component_for_image<'c>(
    image: &str,
    builds: &[Build],
    comps: &'c [ComponentInfo],
    names: &BTreeMap<&str, BTreeSet<String>>,
) -> Option<&'c ComponentInfo> {
    let image = image.trim();
    if image.is_empty() || image.contains('$') || image.contains("{{") {
        return None;
    }
    let name = dockerfile::parse_image(image).name;
    let last = name.rsplit('/').next().unwrap_or(name);
    for b in builds {
        let bname = dockerfile::parse_image(&b.image).name;
        let blast = bname.rsplit('/').next().unwrap_or(bname);
        if bname == name || blast == last {
            let probe = format!("{}/{}", b.context.trim_end_matches('/'), b.dockerfile);
            let owner = components::owner(comps, &probe);
            if let Some(c) = comps.iter().find(|c| c.path == owner) {
                return Some(c);
            }
        }
    }
    let by_name: Vec<&ComponentInfo> = comps
        .iter()
        .filter(|c| {
            (c.path != "." && (c.name == last || files::base_name(&c.path) == last))
                || names.get(c.path.as_str()).is_some_and(|n| n.contains(last))
        })
        .collect();
    (by_name.len() == 1).then(|| by_name[0])
}

/// Names components declare for themselves in their build manifests (go module, npm
/// package, Python project, Maven artifact, Cargo package, Gradle root project, Helm chart),
/// by component path.
fn project_names<'a>(inputs: &'a Inputs<'_>) -> BTreeMap<&'a str, BTreeSet<String>> {
    let mut out: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for r in inputs.results {
        for a in &r.artifacts {
            let Artifact::ProjectName(n) = a else {
                continue;
            };
            let owner = components::owner(inputs.components, &r.path);
            if owner == files::parent_dir(&r.path)
                && let Some(c) = inputs.components.iter().find(|c| c.path == owner)
            {
                out.entry(c.path.as_str()).or_default().insert(n.clone());
            }
        }
    }
    out
}

/// A component path for messages (`.` reads badly).
fn comp_label(path: &str) -> String {
    if path == "." {
        "the repository root".to_string()
    } else {
        path.to_string()
    }
}

fn fact(components: &[Component], path: &str, cat: &str) -> Option<bool> {
    components
        .iter()
        .find(|c| c.path == path)
        .and_then(|c| c.facts.get(cat))
        .and_then(|f| f.present)
}

// ---------------------------------------------------------------------------------------
// Kubernetes.

fn kubernetes_checks(w: &World<'_>, components: &mut [Component], hits: &mut Vec<Candidate>) {
    let services: Vec<&Object> = w
        .objects
        .iter()
        .map(|(_, o)| o)
        .filter(|o| o.kind == "Service")
        .collect();
    let pdbs: Vec<&Object> = w
        .objects
        .iter()
        .map(|(_, o)| o)
        .filter(|o| o.kind == "PodDisruptionBudget")
        .collect();
    let scalers: Vec<&Object> = w
        .objects
        .iter()
        .map(|(_, o)| o)
        .filter(|o| o.kind == "HorizontalPodAutoscaler" || o.kind == "ScaledObject")
        .collect();

    let mut deployments: BTreeMap<String, Vec<Evidence>> = BTreeMap::new();
    for (path, obj) in &w.objects {
        if !obj.is_workload() || obj.is_test_hook() {
            continue;
        }
        let containers = obj.containers();
        if containers.is_empty() {
            continue;
        }
        let Some((_, pod)) = obj.pod() else {
            continue;
        };
        let labels = obj.pod_labels();
        let selected_by_service = services.iter().any(|s| {
            s.doc
                .path(&["spec", "selector"])
                .is_some_and(|sel| k8s::selects(sel, &labels))
        });
        let id = format!("{}/{}", obj.kind, obj.name);
        let mut linked: Vec<&ComponentInfo> = Vec::new();
        for c in &containers {
            let comp = w.link(&c.image);
            if let Some(comp) = comp {
                deployments
                    .entry(comp.path.clone())
                    .or_default()
                    .push(Evidence {
                        path: path.clone(),
                        line: Some(c.line),
                        note: format!("{id} container {} (image {})", c.name, c.image),
                    });
                if !c.init && !linked.iter().any(|l| l.path == comp.path) {
                    linked.push(comp);
                }
            }
            container_checks(
                w,
                components,
                path,
                obj,
                pod,
                c,
                comp,
                selected_by_service,
                hits,
            );
        }
        workload_checks(
            w,
            components,
            path,
            obj,
            &containers,
            &linked,
            selected_by_service,
            &labels,
            &pdbs,
            &scalers,
            hits,
        );
    }
    for c in components.iter_mut() {
        if let Some(mut d) = deployments.remove(&c.path) {
            d.sort();
            d.dedup();
            c.deployments.extend(d);
        }
    }
}

fn key(obj: &Object, c: Option<&Container<'_>>) -> String {
    if obj.name.is_empty() {
        return String::new(); // a templated name: never merged with other copies
    }
    match c {
        Some(c) => format!("{}/{}/{}/{}", obj.kind, obj.name, c.name, c.init),
        None => format!("{}/{}", obj.kind, obj.name),
    }
}

#[allow(clippy::too_many_arguments)]
fn container_checks(
    w: &World<'_>,
    components: &[Component],
    path: &str,
    obj: &Object,
    pod: &Y,
    c: &Container<'_>,
    comp: Option<&ComponentInfo>,
    selected_by_service: bool,
    hits: &mut Vec<Candidate>,
) {
    let push = |hits: &mut Vec<Candidate>, hit: Hit| {
        hits.push(Candidate {
            hit,
            path: path.to_string(),
            lang: "yaml",
            key: key(obj, Some(c)),
        })
    };
    let who = c.display();

    if let Some(problem) = k8s::image_problem(c)
        && !kustomize_pins(w, path, &c.image)
    {
        let bare = dockerfile::parse_image(&c.image).tag.is_none() && !c.image.contains('/');
        let built_here = bare && w.builds.iter().any(|b| b.image == c.image);
        let mut h = Hit::at(
            &k8s::IMAGE_TAG,
            c.image_line,
            c.image_col,
            c.label(),
            if built_here {
                format!(
                    "{who}: {problem}; it is a build artifact name that skaffold/kustomize rewrite at deploy time, but applied as written it pulls :latest"
                )
            } else {
                format!("{who}: {problem}")
            },
        );
        h.site(format!("image {}", c.image));
        push(hits, h);
    }
    if let Some(missing) = k8s::missing_resources(c) {
        let mut h = Hit::at(
            &k8s::RESOURCES,
            c.line,
            c.col,
            c.label(),
            format!("{who} has no {}", missing.join(", ")),
        );
        h.site(format!("resources {}", c.name));
        push(hits, h);
    }
    if let Some((open, sev)) = k8s::weak_security(pod, c) {
        let mut h = Hit::at(
            &k8s::SECURITY,
            c.line,
            c.col,
            c.label(),
            format!("{who}: {}", open.join("; ")),
        );
        h.severity(sev).site(format!("securityContext {}", c.name));
        push(hits, h);
    }
    if c.init || obj.is_batch() {
        return;
    }
    let Some((readiness, liveness)) = k8s::probes(c) else {
        return;
    };
    let serving = c.has_ports() || selected_by_service;
    let need_readiness = serving && !readiness;
    if !liveness || need_readiness {
        let what = match (need_readiness, !liveness) {
            (true, true) => "no readiness and no liveness probe",
            (true, false) => "no readiness probe",
            _ => "no liveness probe",
        };
        let no_health = comp.is_some_and(|cp| {
            cp.kind == "service" && fact(components, &cp.path, "HEALTH") == Some(false)
        });
        let mut h = if let (true, Some(cp)) = (no_health, comp) {
            Hit::at(
                &PROBE_NO_HEALTH,
                c.line,
                c.col,
                c.label(),
                format!(
                    "{who} has {what}, and the service it runs ({}) exposes no health endpoint to probe",
                    comp_label(&cp.path)
                ),
            )
        } else {
            Hit::at(
                &k8s::PROBES,
                c.line,
                c.col,
                c.label(),
                format!("{who} has {what}"),
            )
        };
        if !need_readiness {
            h.severity(Severity::P2);
        }
        h.site(format!("probes {}", c.name));
        push(hits, h);
    }
    let Some(comp) = comp else {
        return;
    };
    probe_targets(w, c, comp, path, obj, hits);
    model_memory(w, c, comp, path, obj, hits);
}

/// Whether a `kustomization.yaml` in the manifest's folder rewrites the image to a pinned
/// tag or digest (`images: [{name, newTag|digest}]`): then what is deployed is pinned.
fn kustomize_pins(w: &World<'_>, path: &str, image: &str) -> bool {
    let dir = files::parent_dir(path);
    let name = dockerfile::parse_image(image).name;
    w.objects.iter().any(|(p, o)| {
        o.kind == "Kustomization"
            && files::parent_dir(p) == dir
            && o.doc
                .get("images")
                .map(Y::items)
                .unwrap_or(&[])
                .iter()
                .any(|i| {
                    let matches = i.get("name").map(Y::text) == Some(name);
                    let tag = i.get("newTag").map(Y::text).unwrap_or("");
                    let pinned = i.get("digest").is_some()
                        || tag.chars().any(|c| c.is_ascii_digit()) && tag != "latest";
                    matches && pinned
                })
    })
}

/// Probe paths the code does not serve, probe ports it does not listen on.
fn probe_targets(
    w: &World<'_>,
    c: &Container<'_>,
    comp: &ComponentInfo,
    path: &str,
    obj: &Object,
    hits: &mut Vec<Candidate>,
) {
    let routes = w.signals(&comp.path, SignalKind::Route);
    let health = w.signals(&comp.path, SignalKind::Health);
    let served: Vec<String> = routes
        .iter()
        .chain(health.iter())
        .filter_map(|(_, _, d)| route_path(d))
        .collect();
    let listens = served_ports(w, &comp.path);
    let env_ports: Vec<u16> =
        c.y.get("env")
            .map(Y::items)
            .unwrap_or(&[])
            .iter()
            .filter(|e| {
                e.get("name")
                    .map(Y::text)
                    .unwrap_or("")
                    .to_ascii_uppercase()
                    .contains("PORT")
            })
            .filter_map(|e| {
                e.get("value")
                    .and_then(|v| v.text().trim_matches('"').parse().ok())
            })
            .collect();
    for probe in ["readinessProbe", "livenessProbe", "startupProbe"] {
        let Some(p) = c.y.get(probe) else {
            continue;
        };
        if let Some(get) = p.get("httpGet")
            && let Some(pe) = get.entry("path")
        {
            let probe_path = pe.value.text();
            if !routes.is_empty()
                && !probe_path.is_empty()
                && !pe.value.is_unresolved()
                && !path_served(probe_path, &served)
            {
                let mut h = Hit::at(
                    &PROBE_PATH,
                    pe.line,
                    pe.col,
                    c.label(),
                    format!(
                        "{probe} of {} requests `{probe_path}`, which {} does not serve (routes: {})",
                        c.display(),
                        comp_label(&comp.path),
                        summarise(&served)
                    ),
                );
                h.site(format!("{probe} {probe_path}"));
                hits.push(Candidate {
                    hit: h,
                    path: path.to_string(),
                    lang: "yaml",
                    key: key(obj, Some(c)),
                });
            }
        }
        for kind in ["httpGet", "tcpSocket", "grpc"] {
            let Some(pe) = p.get(kind).and_then(|k| k.entry("port")) else {
                continue;
            };
            let Some(port) = resolve_port(c, &pe.value) else {
                continue;
            };
            if listens.is_empty() || listens.contains(&port) || env_ports.contains(&port) {
                continue;
            }
            let mut h = Hit::at(
                &PROBE_PORT,
                pe.line,
                pe.col,
                c.label(),
                format!(
                    "{probe} of {} checks port {port}, but {} listens on {}",
                    c.display(),
                    comp_label(&comp.path),
                    listens
                        .iter()
                        .map(u16::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            h.site(format!("{probe} port {port}"));
            hits.push(Candidate {
                hit: h,
                path: path.to_string(),
                lang: "yaml",
                key: key(obj, Some(c)),
            });
        }
    }
}

fn summarise(served: &[String]) -> String {
    let mut s: Vec<&str> = served.iter().map(String::as_str).collect();
    s.sort();
    s.dedup();
    let more = s.len().saturating_sub(5);
    let mut out = s.into_iter().take(5).collect::<Vec<_>>().join(", ");
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

/// `GET /healthz` -> `/healthz`.
fn route_path(detail: &str) -> Option<String> {
    detail
        .split_whitespace()
        .find(|t| t.starts_with('/'))
        .map(|t| t.to_string())
}

/// Whether a probe path is served by one of the routes (path parameters and trailing
/// wildcards match anything; any route that is not an absolute path makes it unknown).
fn path_served(probe: &str, routes: &[String]) -> bool {
    let norm = |p: &str| -> String {
        let p = p.split('?').next().unwrap_or(p);
        let t = p.trim_end_matches('/');
        if t.is_empty() {
            "/".to_string()
        } else {
            t.to_string()
        }
    };
    let probe = norm(probe);
    let segs: Vec<&str> = probe.split('/').collect();
    routes.iter().any(|r| {
        if !r.starts_with('/') {
            return true;
        }
        let r = norm(r);
        if r == probe {
            return true;
        }
        let rs: Vec<&str> = r.split('/').collect();
        let wild = |s: &str| {
            s.starts_with(':')
                || s.starts_with('{')
                || s.starts_with('<')
                || s == "*"
                || s.contains('*')
        };
        if rs
            .last()
            .is_some_and(|s| *s == "*" || s.starts_with("**") || s.starts_with('*'))
            && segs.len() >= rs.len() - 1
            && rs[..rs.len() - 1]
                .iter()
                .zip(&segs)
                .all(|(a, b)| a == b || wild(a))
        {
            return true;
        }
        rs.len() == segs.len() && rs.iter().zip(&segs).all(|(a, b)| a == b || wild(a))
    })
}

/// Ports the component's code (or its server command line) listens on.
fn served_ports(w: &World<'_>, comp: &str) -> Vec<u16> {
    let command_lines: BTreeMap<&str, u32> =
        w.images.iter().map(|(p, i)| (*p, i.command_line)).collect();
    let mut v: Vec<u16> = w
        .signals(comp, SignalKind::Listen)
        .into_iter()
        .filter(|(p, line, _)| {
            // A Dockerfile's EXPOSE declares, it does not listen: only its command line counts.
            command_lines.get(p).is_none_or(|l| l == line)
        })
        .filter_map(|(_, _, d)| d.trim().parse().ok())
        .collect();
    v.sort();
    v.dedup();
    v
}

fn resolve_port(c: &Container<'_>, port: &Y) -> Option<u16> {
    let t = port.text().trim();
    if let Ok(p) = t.parse() {
        return Some(p);
    }
    c.y.get("ports")
        .map(Y::items)
        .unwrap_or(&[])
        .iter()
        .find(|p| p.get("name").map(Y::text) == Some(t))
        .and_then(|p| p.get("containerPort"))
        .and_then(|p| p.text().parse().ok())
}

/// Bytes of a Kubernetes memory quantity.
pub fn quantity_bytes(q: &str) -> Option<f64> {
    let q = q.trim().trim_matches(['"', '\'']);
    let idx = q.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(q.len());
    let (num, unit) = q.split_at(idx);
    let n: f64 = num.parse().ok()?;
    let mult = match unit {
        "" => 1.0,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024f64.powi(4),
        "k" | "K" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "m" => 1e-3,
        _ => return None,
    };
    Some(n * mult)
}

fn human(bytes: f64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut b = bytes;
    let mut i = 0;
    while b >= 1024.0 && i < units.len() - 1 {
        b /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{b:.0} {}", units[i])
    } else {
        format!("{b:.1} {}", units[i])
    }
}

fn model_memory(
    w: &World<'_>,
    c: &Container<'_>,
    comp: &ComponentInfo,
    path: &str,
    obj: &Object,
    hits: &mut Vec<Candidate>,
) {
    let Some(limit_y) = c.y.path(&["resources", "limits", "memory"]) else {
        return;
    };
    let Some(limit) = quantity_bytes(limit_y.text()) else {
        return;
    };
    let models: Vec<(&str, u64)> = w
        .inputs
        .results
        .iter()
        .filter(|r| r.kind == Some(FileKind::Model) && r.role == Some(Role::Production))
        .filter(|r| components::contains(&comp.path, &r.path))
        .map(|r| (r.path.as_str(), r.size))
        .collect();
    let total: u64 = models.iter().map(|(_, s)| s).sum();
    if total == 0 || (total as f64) <= limit {
        return;
    }
    let mut names: Vec<&str> = models.iter().map(|(p, _)| files::base_name(p)).collect();
    names.truncate(3);
    let (line, col) = w
        .objects
        .iter()
        .find(|(p, o)| p == path && o.name == obj.name)
        .and_then(|_| c.y.path(&["resources", "limits"]).map(|l| (l.line, l.col)))
        .unwrap_or((c.line, c.col));
    let _ = (line, col);
    let mut h = Hit::at(
        &MODEL_MEMORY,
        limit_y.line,
        limit_y.col,
        c.label(),
        format!(
            "{} has a memory limit of {} but {} ships {} of model files ({}): it is OOM-killed while loading them",
            c.display(),
            limit_y.text(),
            comp_label(&comp.path),
            human(total as f64),
            names.join(", ")
        ),
    );
    h.site(format!("memory {}", c.name));
    hits.push(Candidate {
        hit: h,
        path: path.to_string(),
        lang: "yaml",
        key: key(obj, Some(c)),
    });
}

#[allow(clippy::too_many_arguments)]
fn workload_checks(
    w: &World<'_>,
    components: &[Component],
    path: &str,
    obj: &Object,
    containers: &[Container<'_>],
    linked: &[&ComponentInfo],
    selected_by_service: bool,
    labels: &[(String, String)],
    pdbs: &[&Object],
    scalers: &[&Object],
    hits: &mut Vec<Candidate>,
) {
    let _ = w;
    let push = |hits: &mut Vec<Candidate>, hit: Hit| {
        hits.push(Candidate {
            hit,
            path: path.to_string(),
            lang: "yaml",
            key: key(obj, None),
        })
    };
    let name = &obj.name;
    // Replicas.
    if matches!(
        obj.kind.as_str(),
        "Deployment" | "StatefulSet" | "ReplicaSet" | "Rollout"
    ) {
        let (value, line, col) = obj.replicas();
        let n = match value {
            None => Some(1),
            Some(v) if v.is_unresolved() => None,
            Some(v) => v.as_i64(),
        };
        let scaled = scalers.iter().any(|s| {
            let t = s.doc.path(&["spec", "scaleTargetRef"]);
            t.and_then(|t| t.get("name")).map(Y::text) == Some(name.as_str())
                && t.and_then(|t| t.get("kind"))
                    .map(Y::text)
                    .is_none_or(|k| k == obj.kind)
        });
        let budget = pdbs.iter().any(|p| {
            p.doc
                .path(&["spec", "selector"])
                .is_some_and(|s| k8s::selects(s, labels))
        });
        if n == Some(1) && !scaled && !budget {
            let mut h = Hit::at(
                &k8s::REPLICAS,
                line,
                col,
                name.clone(),
                format!(
                    "{}: {} and no PodDisruptionBudget or autoscaler covers it: one pod, down at every node drain",
                    obj.display(),
                    if value.is_some() {
                        "replicas: 1"
                    } else {
                        "replicas unset (1)"
                    }
                ),
            );
            h.site(format!("replicas {}/{name}", obj.kind));
            push(hits, h);
        }
    }
    // Grace period and preStop.
    if obj.is_batch() || obj.kind == "Pod" {
        return;
    }
    let serving = selected_by_service || containers.iter().any(|c| !c.init && c.has_ports());
    if !serving {
        return;
    }
    let Some((grace, line, col, pre_stop)) = k8s::grace(obj) else {
        return;
    };
    if pre_stop || grace.unwrap_or(30) > 30 {
        return;
    }
    let grace_text = match grace {
        Some(g) => format!("terminationGracePeriodSeconds: {g}"),
        None => "grace period unset (30 s)".to_string(),
    };
    let unaware = linked
        .iter()
        .find(|c| fact(components, &c.path, "SHUTDOWN") == Some(false));
    // The code itself keeps serving for a while after SIGTERM (sleep, then drain).
    let delays = |c: &ComponentInfo| {
        components
            .iter()
            .find(|x| x.path == c.path)
            .and_then(|x| x.facts.get("SHUTDOWN"))
            .is_some_and(|f| {
                f.evidence
                    .iter()
                    .any(|e| e.note.ends_with(crate::extract::shutdown::GO_DELAYED_DRAIN))
            })
    };
    if unaware.is_none() && !linked.is_empty() && linked.iter().all(|c| delays(c)) {
        return;
    }
    let mut h = match unaware {
        Some(c) => Hit::at(
            &SIGTERM_NO_PRESTOP,
            line,
            col,
            name.clone(),
            format!(
                "{} runs {}, which does not handle SIGTERM, with no preStop hook ({grace_text}): it exits while still receiving traffic on every rollout",
                obj.display(),
                comp_label(&c.path)
            ),
        ),
        None => Hit::at(
            &k8s::GRACE,
            line,
            col,
            name.clone(),
            format!("{}: {grace_text} and no preStop hook", obj.display()),
        ),
    };
    h.site(format!("grace {}/{name}", obj.kind));
    push(hits, h);
}

// ---------------------------------------------------------------------------------------
// Docker HEALTHCHECK, compose, dependencies.

/// Whether any probe or compose healthcheck covers images built from `comp`.
fn probed(w: &World<'_>, comp: Option<&str>, dockerfile_dir: &str) -> bool {
    let k8s = w.objects.iter().any(|(_, o)| {
        o.is_workload()
            && o.containers().iter().any(|c| {
                let linked = w.link(&c.image).map(|x| x.path.as_str());
                linked.is_some() && linked == comp && k8s::probes(c).is_none_or(|(r, l)| r || l)
            })
    });
    let compose = w.compose.iter().any(|(_, s)| {
        s.healthcheck == Some(true) && s.build_context.as_deref() == Some(dockerfile_dir)
    });
    k8s || compose
}

/// DOCKER-USER: reported at P3 when every workload running the image forces a non-root
/// user (the image still runs as root anywhere else: `docker run`, compose, CI).
fn docker_user(w: &World<'_>, hits: &mut Vec<Candidate>) {
    let comps = w.inputs.components;
    for (path, info) in &w.images {
        let Some(root) = &info.root_user else {
            continue;
        };
        let owner = components::owner(comps, path);
        let mut forced: Vec<&str> = w
            .objects
            .iter()
            .filter(|(_, o)| {
                o.containers()
                    .iter()
                    .any(|c| w.link(&c.image).map(|x| x.path.as_str()) == Some(owner))
            })
            .map(|(p, _)| p.as_str())
            .collect();
        forced.sort_by_key(|p| copy_rank(p));
        forced.dedup();
        let mut h = Hit::at(
            &dockerfile::USER,
            root.line,
            root.col,
            root.subject.clone(),
            root.message.clone(),
        );
        h.site(root.site.clone());
        if !forced.is_empty() && all_forced(w, owner) {
            h.severity(Severity::P3);
            h.message.push_str(&format!(
                " (the Kubernetes manifests force a non-root user, e.g. {}; any other runtime runs it as root)",
                forced[0]
            ));
        }
        if info.dev_only {
            h.severity(Severity::P3);
            h.message.push_str(" (dev-only Dockerfile)");
        }
        hits.push(Candidate {
            hit: h,
            path: path.to_string(),
            lang: "dockerfile",
            key: String::new(),
        });
    }
}

/// Whether every workload container running the component's image forces non-root.
fn all_forced(w: &World<'_>, comp: &str) -> bool {
    let mut any = false;
    for (_, o) in &w.objects {
        let Some((_, pod)) = o.pod() else {
            continue;
        };
        for c in o.containers() {
            if w.link(&c.image).map(|x| x.path.as_str()) != Some(comp) {
                continue;
            }
            any = true;
            let nr = k8s::non_root(c.y.get("securityContext"))
                .or(k8s::non_root(pod.get("securityContext")));
            if nr != Some(true) {
                return false;
            }
        }
    }
    any
}

fn docker_healthcheck(w: &World<'_>, hits: &mut Vec<Candidate>) {
    for (path, info) in &w.images {
        if info.dev_only || info.healthcheck.is_some() {
            continue;
        }
        let owner = components::owner(w.inputs.components, path);
        let comp = w
            .inputs
            .components
            .iter()
            .find(|c| c.path == owner)
            .map(|c| c.path.as_str());
        if probed(w, comp, files::parent_dir(path)) {
            continue;
        }
        let mut h = Hit::at(
            &dockerfile::HEALTHCHECK,
            0,
            0,
            files::base_name(path),
            "no HEALTHCHECK, and no Kubernetes probe or compose healthcheck covers this image",
        );
        h.site(format!("healthcheck {path}"));
        hits.push(Candidate {
            hit: h,
            path: path.to_string(),
            lang: "dockerfile",
            key: String::new(),
        });
    }
}

fn compose_checks(w: &World<'_>, hits: &mut Vec<Candidate>) {
    let orchestrated = w.helm_templates > 0 || w.objects.iter().any(|(_, o)| o.is_workload());
    if orchestrated {
        return;
    }
    for (path, s) in &w.compose {
        if s.dev_file || !s.deployment_file {
            continue;
        }
        let mut push = |rule: &'static RuleMeta, msg: String| {
            let mut h = Hit::at(rule, s.line, s.col, s.name.clone(), msg);
            h.site(format!("{} {}", rule.id, s.name));
            hits.push(Candidate {
                hit: h,
                path: path.to_string(),
                lang: "yaml",
                // Variants of one stack in one folder (`docker-compose.postgres.yml`,
                // `docker-compose.mariadb.yml`) define the same service: one finding.
                key: format!("compose {} {}", files::parent_dir(path), s.name),
            });
        };
        if s.healthcheck.is_none() {
            let image_has = s.build_context.as_deref().is_some_and(|ctx| {
                let df = compose::join(ctx, s.dockerfile.as_deref().unwrap_or("Dockerfile"));
                w.images
                    .iter()
                    .any(|(p, i)| *p == df && i.healthcheck.is_some())
            });
            if !image_has {
                push(
                    &compose::HEALTHCHECK,
                    format!(
                        "service `{}` has no healthcheck (and its image defines none)",
                        s.name
                    ),
                );
            }
        }
        if s.restart.is_none() {
            push(
                &compose::RESTART,
                format!(
                    "service `{}` has no restart policy: after a crash it stays down",
                    s.name
                ),
            );
        }
        if !s.memory_limit {
            push(
                &compose::MEMORY,
                format!("service `{}` has no memory limit", s.name),
            );
        }
    }
}

fn deps_checks(w: &World<'_>, hits: &mut Vec<Candidate>) {
    let comps = w.inputs.components;
    for (path, m) in &w.deps {
        let dirs = deps::lock_dirs(path, m.ancestors);
        let lock_found = dirs.iter().find_map(|d| {
            m.locks.iter().find_map(|l| {
                let p = if d == "." {
                    l.to_string()
                } else {
                    format!("{d}/{l}")
                };
                w.files.contains(p.as_str()).then_some(p)
            })
        });
        let dir = files::parent_dir(path);
        // A fully pinned requirements file beside a pyproject/Pipfile locks it too.
        let pinned_requirements = matches!(m.ecosystem, "python" | "poetry" | "pipenv")
            && w.deps.iter().any(|(p, o)| {
                o.ecosystem == "pip" && o.self_pinned && files::parent_dir(p) == dir && !o.dev
            });
        let locked = m.self_pinned || lock_found.is_some() || pinned_requirements;
        if locked {
            continue;
        }
        let file = files::base_name(path);
        if let Some((line, col, first)) = m.floating.first() {
            let n = m.floating.len();
            let examples: Vec<String> = m
                .floating
                .iter()
                .take(3)
                .map(|(_, _, t)| format!("`{t}`"))
                .collect();
            let msg = if m.ecosystem == "pip" {
                format!(
                    "{n} of {} requirements are not pinned ({}): each build may install different versions",
                    m.deps,
                    examples.join(", ")
                )
            } else {
                format!(
                    "{n} of {} dependencies use dynamic versions ({}) and no lock records what was resolved",
                    m.deps,
                    examples.join(", ")
                )
            };
            let mut h = Hit::at(&deps::PINNING, *line, *col, file, msg);
            h.site(format!("floating {first}"));
            if m.dev {
                h.severity(Severity::P3);
            }
            hits.push(Candidate {
                hit: h,
                path: path.to_string(),
                lang: "text",
                key: String::new(),
            });
            continue;
        }
        let owner = components::owner(comps, path);
        let deployable = comps
            .iter()
            .find(|c| c.path == owner && owner == dir)
            .is_some_and(|c| c.kind != "library" && !c.kind.is_empty())
            || w.files.contains(format!("{dir}/Dockerfile").as_str())
            || (m.ecosystem == "cargo" && w.files.contains(format!("{dir}/src/main.rs").as_str()));
        let needs = match m.needs_lock {
            NeedsLock::Yes => true,
            NeedsLock::No => false,
            NeedsLock::IfDeployable => deployable,
        };
        if !needs || m.deps == 0 {
            continue;
        }
        let mut h = if m.ecosystem == "gradle" || m.ecosystem == "nuget" {
            let mut h = Hit::at(
                &deps::PINNING,
                0,
                0,
                file,
                if m.ecosystem == "gradle" {
                    format!(
                        "{file}: no dependency lock (`dependencyLocking` / gradle.lockfile): the {} declared versions are fixed, but what Gradle resolves for their dependencies is not recorded",
                        m.deps
                    )
                } else {
                    format!(
                        "{file}: no dependency lock (packages.lock.json, `RestorePackagesWithLockFile`): the {} declared versions are fixed, but resolved transitive versions are not recorded",
                        m.deps
                    )
                },
            );
            h.severity(Severity::P3).confidence(Confidence::Medium);
            h
        } else {
            Hit::at(
                &deps::PINNING,
                0,
                0,
                file,
                format!(
                    "{file} declares {} dependencies and has no lock file ({}): each build resolves versions anew",
                    m.deps,
                    m.locks
                        .iter()
                        .take(3)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        };
        h.site(format!("lock {path}"));
        if m.dev {
            h.severity(Severity::P3);
        }
        hits.push(Candidate {
            hit: h,
            path: path.to_string(),
            lang: "text",
            key: String::new(),
        });
    }
}

/// GitHub Actions pins: one finding per action, at its first use.
fn action_pins(inputs: &Inputs<'_>, hits: &mut Vec<Candidate>) {
    let mut by_action: BTreeMap<&str, Vec<(&str, &crate::manifests::ci::ActionPin)>> =
        BTreeMap::new();
    for r in inputs.results {
        for a in &r.artifacts {
            if let Artifact::ActionPin(p) = a {
                by_action.entry(&p.action).or_default().push((&r.path, p));
            }
        }
    }
    for (_, mut uses) in by_action {
        uses.sort_by_key(|(p, u)| (*p, u.line));
        let (path, first) = uses[0];
        let mut h = Hit::at(
            &crate::manifests::ci::PINNING,
            first.line,
            first.col,
            first.action.clone(),
            first.message.clone(),
        );
        if uses.len() > 1 {
            let files: BTreeSet<&str> = uses.iter().map(|(p, _)| *p).collect();
            h.message.push_str(&format!(
                " (used {} times in {} workflow file(s))",
                uses.len(),
                files.len()
            ));
        }
        for (p, u) in &uses[1..] {
            h.related.push(Evidence {
                path: p.to_string(),
                line: Some(u.line),
                note: u.site.clone(),
            });
        }
        h.site(first.site.clone());
        if let Some(s) = uses.iter().filter_map(|(_, u)| u.severity).min() {
            h.severity(s);
        }
        hits.push(Candidate {
            hit: h,
            path: path.to_string(),
            lang: "yaml",
            key: String::new(),
        });
    }
}

// ---------------------------------------------------------------------------------------
// Cross-check rules.

const K8S_YAML: &str = "yaml";

pub static PROBE_NO_HEALTH: RuleMeta = RuleMeta {
    id: "kubernetes-probe-without-health-endpoint",
    category: "K8S-PROBES",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["yaml"],
    summary: "Unprobed container running a service that has no health endpoint",
    docs: Docs {
        what: "A workload container with no readiness and/or liveness probe, whose image is built from a component \
that serves HTTP or gRPC and exposes no health endpoint (its HEALTH fact is false). Nothing checks this service's \
health at all, and a probe cannot be added without a code change. Replaces `kubernetes-container-without-probes` for that \
container. The link between the container and the component comes from skaffold `artifacts[]`, compose `build:`, \
or an image named like the component's folder or like the project its build manifest declares (go module, npm \
package, Python project, Maven artifact, Cargo package).",
        scenario: "The service hangs, deadlocks or loses its database while the process stays up.",
        impact: "Kubernetes keeps routing traffic to it and never restarts it: users get errors until someone \
notices and deletes the pod by hand.",
        detection: "Errors from one pod while it reports Running and Ready.",
        mitigation: "Add a health endpoint to the service (HTTP `/healthz` or the gRPC health service) and point \
readiness and liveness probes at it.",
        fixes: &[(
            K8S_YAML,
            "# code: serve GET /healthz (or register grpc.health.v1)\nreadinessProbe:\n  httpGet: { path: /healthz, port: 8080 }\nlivenessProbe:\n  httpGet: { path: /healthz, port: 8080 }",
        )],
        monitoring: "Alert on ready replicas below desired and on error rate per pod.",
    },
    outside_production: Handling::Lower,
    cases: &[
        Case {
            files: &[
                (
                    "k8s/api.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        ^ exposes no health endpoint\n        image: api\n        ports:\n        - containerPort: 8000\n",
                ),
                (
                    "api/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n",
                ),
                (
                    "api/app.py",
                    "from flask import Flask\napp = Flask(__name__)\n",
                ),
            ],
        },
        Case {
            files: &[
                (
                    "k8s/api.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: api\n        ports:\n        - containerPort: 8000\n        readinessProbe:\n          tcpSocket: { port: 8000 }\n        livenessProbe:\n          tcpSocket: { port: 8000 }\n",
                ),
                (
                    "api/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n",
                ),
                (
                    "api/app.py",
                    "from flask import Flask\napp = Flask(__name__)\n",
                ),
            ],
        },
    ],
};

pub static PROBE_PATH: RuleMeta = RuleMeta {
    id: "kubernetes-probe-path-not-served",
    category: "K8S-PROBES",
    severity: Severity::P1,
    confidence: Confidence::Medium,
    preview: false,
    // Positive fixtures need the route extractors (facts branch); see `tests` below.
    languages: &[],
    summary: "Probe requests a path the service's code does not serve",
    docs: Docs {
        what: "An `httpGet` probe whose `path` matches none of the routes the linked component's code registers \
(path parameters and trailing wildcards match anything). Only judged when pagerproof found routes in that component \
at all, and never when a route is relative (a router mounted under a prefix pagerproof could not see).",
        scenario: "The deployment rolls out (or the route was renamed in code but not in the manifest).",
        impact: "The probe gets 404: readiness never passes, so the rollout stalls with zero ready pods, or \
liveness fails and Kubernetes restarts healthy pods in a loop.",
        detection: "Pods stuck at 0/1 Ready or CrashLoopBackOff with `Readiness probe failed: HTTP probe failed with \
statuscode: 404` events.",
        mitigation: "Point the probe at the health route the code serves, or add that route.",
        fixes: &[(
            K8S_YAML,
            "readinessProbe:\n  httpGet:\n    path: /healthz   # the route the service registers\n    port: http",
        )],
        monitoring: "Alert on probe failures and on deployments not progressing (`ProgressDeadlineExceeded`).",
    },
    outside_production: Handling::Lower,
    cases: &[],
};

pub static PROBE_PORT: RuleMeta = RuleMeta {
    id: "kubernetes-probe-port-not-served",
    category: "K8S-PROBES",
    severity: Severity::P1,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["yaml"],
    summary: "Probe checks a port the service does not listen on",
    docs: Docs {
        what: "A probe (`httpGet`, `tcpSocket`, `grpc`) whose port (named ports resolved through `containerPort`) \
is none of the ports the linked component listens on: ports found in its code, in its server command line \
(gunicorn `--bind`, uvicorn `--port`) or Spring `server.port`, plus numeric `*PORT*` environment values of the \
container. A Dockerfile `EXPOSE` only declares a port and does not count. Only judged when a listening port was found.",
        scenario: "The deployment rolls out.",
        impact: "The probe connects to a closed port: readiness never passes and the rollout stalls, or liveness \
restarts healthy pods forever.",
        detection: "`Readiness probe failed: dial tcp ...: connect: connection refused` events; pods never Ready.",
        mitigation: "Probe the port the server binds (use a named container port so both stay in sync).",
        fixes: &[(
            K8S_YAML,
            "ports:\n- name: http\n  containerPort: 8000\nreadinessProbe:\n  httpGet: { path: /healthz, port: http }",
        )],
        monitoring: "Alert on probe failures and stalled rollouts.",
    },
    outside_production: Handling::Lower,
    cases: &[
        Case {
            files: &[
                (
                    "k8s/api.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: api\n        readinessProbe:\n          tcpSocket:\n            port: 8080\n            ^ checks port 8080, but api listens on 8000\n        livenessProbe:\n          tcpSocket:\n            port: http\n",
                ),
                (
                    "api/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nEXPOSE 8080\nCMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app:app\"]\n",
                ),
                (
                    "api/app.py",
                    "from flask import Flask\napp = Flask(__name__)\n",
                ),
            ],
        },
        Case {
            files: &[
                (
                    "k8s/api.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: api\n        ports:\n        - name: http\n          containerPort: 8000\n        env:\n        - name: PORT\n          value: \"9000\"\n        readinessProbe:\n          httpGet: { path: /healthz, port: http }\n        livenessProbe:\n          tcpSocket: { port: 9000 }\n",
                ),
                (
                    "api/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nCMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app:app\"]\n",
                ),
                (
                    "api/app.py",
                    "from flask import Flask\napp = Flask(__name__)\n",
                ),
            ],
        },
    ],
};

pub static SIGTERM_NO_PRESTOP: RuleMeta = RuleMeta {
    id: "kubernetes-sigterm-unaware-without-prestop",
    category: "K8S-GRACE",
    severity: Severity::P2,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["yaml"],
    summary: "Service that ignores SIGTERM deployed without a preStop hook",
    docs: Docs {
        what: "A serving workload (ports or a Service) whose container runs a component that does not shut down \
gracefully (its SHUTDOWN fact is false: no SIGTERM handler that drains, no server that drains by itself), with no \
`preStop` hook and a grace period of 30 s or less. Replaces `kubernetes-no-prestop-short-grace` for that workload. Points \
at `terminationGracePeriodSeconds:` or the `kind:` line.",
        scenario: "Every rollout, scale-in or node drain.",
        impact: "The default SIGTERM action kills the process at once, while the Service, ingress and mesh still \
route new requests to it for a few seconds and in-flight requests are cut: users see 502s/resets at every deploy.",
        detection: "Error spikes exactly at rollout times.",
        mitigation: "Handle SIGTERM in the service (stop accepting, drain, exit), and add a short `preStop` sleep so \
endpoints are removed before the process stops accepting.",
        fixes: &[(
            K8S_YAML,
            "lifecycle:\n  preStop:\n    exec: { command: [\"sleep\", \"5\"] }\n# and in code: on SIGTERM, server.Shutdown(ctx) / grpcServer.GracefulStop()",
        )],
        monitoring: "Alert on 5xx or reset spikes that coincide with rollouts.",
    },
    outside_production: Handling::Lower,
    cases: &[
        Case {
            files: &[
                (
                    "k8s/worker.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n  replicas: 2\n  template:\n    spec:\n      terminationGracePeriodSeconds: 5\n      ^ does not handle SIGTERM\n      containers:\n      - name: worker\n        image: worker\n        ports:\n        - containerPort: 9000\n",
                ),
                (
                    "worker/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nCMD [\"python\", \"main.py\"]\n",
                ),
                (
                    "worker/main.py",
                    "import time\n\ndef main():\n    while True:\n        time.sleep(1)\n\nif __name__ == \"__main__\":\n    main()\n",
                ),
            ],
        },
        Case {
            files: &[
                (
                    "k8s/api.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: api\n        image: api\n        ports:\n        - containerPort: 8000\n",
                ),
                (
                    "api/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n",
                ),
                (
                    "api/app.py",
                    "from flask import Flask\napp = Flask(__name__)\n",
                ),
            ],
        },
    ],
};

pub static MODEL_MEMORY: RuleMeta = RuleMeta {
    id: "kubernetes-memory-limit-below-model-size",
    category: "K8S-RESOURCES",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["yaml"],
    summary: "Memory limit smaller than the model files the service ships",
    docs: Docs {
        what: "A container whose memory limit is smaller than the total size of the model weight files (`.onnx`, \
`.safetensors`, `.pt`, `.joblib`, `.gguf`, ...) in the production folder of the component that builds its image. \
Loading a model needs at least its size in memory, usually more.",
        scenario: "The pod starts and the service loads its model.",
        impact: "The container is OOM-killed during start-up, every time: CrashLoopBackOff and no capacity, often \
only discovered at deploy.",
        detection: "`OOMKilled` last state with restarts during start-up; memory climbing to the limit right \
after start.",
        mitigation: "Set the memory limit (and request) above the model size plus runtime overhead, measured from a \
real start-up; or load a smaller/quantised model.",
        fixes: &[(
            K8S_YAML,
            "resources:\n  requests: { memory: 3Gi }\n  limits: { memory: 4Gi }   # model 1.3 GiB + runtime",
        )],
        monitoring: "Alert on OOMKilled restarts and on memory working set above 90% of the limit.",
    },
    outside_production: Handling::Lower,
    cases: &[
        Case {
            files: &[
                (
                    "deploy/ranker.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ranker\nspec:\n  template:\n    spec:\n      containers:\n      - name: ranker\n        image: ranker\n        resources:\n          limits:\n            memory: 100\n                    ^ memory limit of 100\n",
                ),
                (
                    "ranker/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nCOPY . /app\nCMD [\"python\", \"/app/serve.py\"]\n",
                ),
                (
                    "ranker/models/ranker.onnx",
                    "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
                ),
            ],
        },
        Case {
            files: &[
                (
                    "deploy/ranker.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ranker\nspec:\n  template:\n    spec:\n      containers:\n      - name: ranker\n        image: ranker\n        resources:\n          limits:\n            memory: 2Gi\n",
                ),
                (
                    "ranker/Dockerfile",
                    "FROM python:3.12.4-slim\nUSER 1000\nCOPY . /app\nCMD [\"python\", \"/app/serve.py\"]\n",
                ),
                (
                    "ranker/models/ranker.onnx",
                    "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
                ),
            ],
        },
    ],
};

pub fn rules() -> Vec<&'static RuleMeta> {
    vec![
        &PROBE_NO_HEALTH,
        &PROBE_PATH,
        &PROBE_PORT,
        &SIGTERM_NO_PRESTOP,
        &MODEL_MEMORY,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_paths() {
        let routes = vec![
            "/".to_string(),
            "/api/items/:id".to_string(),
            "/static/*".to_string(),
        ];
        assert!(path_served("/", &routes));
        assert!(path_served("/api/items/42", &routes));
        assert!(path_served("/static/app.js", &routes));
        assert!(!path_served("/healthz", &routes));
        assert!(path_served("/healthz", &["healthz".to_string()]));
        assert!(path_served("/healthz/", &["/healthz".to_string()]));
    }

    /// Reviews manifests with code signals injected (the route extractors live in the
    /// facts branch): the probe-path check against the routes a component serves.
    fn with_routes(probe_path: &str, routes: &[&str]) -> Vec<String> {
        use crate::files::{FileKind, Role};
        use crate::lang::Lang;
        use crate::review::FileResult;
        use crate::signals::Signal;
        let settings = Settings::default();
        let manifest = |path: &str, kind: FileKind, text: &str| {
            let o = crate::manifests::analyze(path, kind, Role::Production, text, &settings);
            FileResult {
                path: path.to_string(),
                kind: Some(kind),
                role: Some(Role::Production),
                signals: o.signals,
                artifacts: o.artifacts,
                ..FileResult::default()
            }
        };
        let k8s = format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: api\n        image: api:1.0.0\n        readinessProbe:\n          httpGet:\n            path: {probe_path}\n            port: 8000\n"
        );
        let mut signals = vec![Signal {
            kind: SignalKind::HttpServer,
            line: 1,
            detail: "flask".to_string(),
        }];
        for r in routes {
            signals.push(Signal {
                kind: SignalKind::Route,
                line: 3,
                detail: r.to_string(),
            });
        }
        let results = vec![
            manifest(
                "api/Dockerfile",
                FileKind::Dockerfile,
                "FROM python:3.12.4-slim\nUSER 1000\nCMD [\"gunicorn\", \"-b\", \":8000\", \"app:app\"]\n",
            ),
            FileResult {
                path: "api/app.py".to_string(),
                kind: Some(FileKind::Code(Lang::Python)),
                role: Some(Role::Production),
                signals,
                ..FileResult::default()
            },
            manifest("k8s/api.yaml", FileKind::Yaml, &k8s),
        ];
        let comps = components::detect(&results, &[]);
        let inputs = Inputs {
            results: &results,
            components: &comps,
            settings: &settings,
        };
        let mut components: Vec<Component> = comps
            .iter()
            .map(|c| Component {
                name: c.name.clone(),
                path: c.path.clone(),
                kind: c.kind.clone(),
                kind_reason: String::new(),
                languages: Vec::new(),
                score: 10.0,
                facts: crate::facts::compute(c, &inputs),
                markers: Vec::new(),
                deployments: Vec::new(),
                deductions: Vec::new(),
            })
            .collect();
        let out = run(&inputs, &mut components);
        assert_eq!(components[0].deployments.len(), 1);
        out.findings
            .iter()
            .filter(|p| p.finding.rule == PROBE_PATH.id)
            .map(|p| {
                format!(
                    "{}:{} {}",
                    p.finding.path,
                    p.finding.line.unwrap_or(0),
                    p.finding.message
                )
            })
            .collect()
    }

    #[test]
    fn probe_path_not_served() {
        let got = with_routes("/healthz", &["POST /", "GET /items/:id"]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("k8s/api.yaml:14 readinessProbe of container `api` requests `/healthz`, which api does not serve"));
        assert!(with_routes("/healthz", &["GET /healthz"]).is_empty());
        assert!(
            with_routes("/healthz", &[]).is_empty(),
            "no routes known: no judgement"
        );
        assert!(with_routes("/status", &["GET /:page"]).is_empty());
    }

    #[test]
    fn quantities() {
        assert_eq!(quantity_bytes("512Mi"), Some(512.0 * 1024.0 * 1024.0));
        assert_eq!(quantity_bytes("1G"), Some(1e9));
        assert_eq!(quantity_bytes("100"), Some(100.0));
        assert_eq!(quantity_bytes("lots"), None);
    }
}
