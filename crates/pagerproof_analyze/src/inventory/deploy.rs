//! Deployment configuration for the inventory: Kubernetes workloads (with their probes,
//! resources, environment, replicas and rollout strategy), Services, autoscalers and
//! disruption budgets; compose services; skaffold and compose build declarations (which
//! image is built from which folder); service-mesh objects.
//!
//! This reads only what a runbook needs and never judges it (the manifest rules do
//! that). Files that are not YAML yet (Helm templates, envsubst) are left alone.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use pagerproof_core::Evidence;
use pagerproof_core::inventory::{EnvSetting, Item, Probe, Workload};

/// One thing a deploy file declares.
#[derive(Clone, Debug, PartialEq)]
pub enum DeployObject {
    /// A workload and the labels of its pods (for Services and budgets that select it).
    Workload {
        workload: Box<Workload>,
        pod_labels: Vec<(String, String)>,
        /// The compose `build:` folder, relative to the root.
        build_context: Option<String>,
    },
    /// A Kubernetes Service (or PodDisruptionBudget) selecting pods by labels.
    Selector {
        what: String,
        namespace: Option<String>,
        selector: Vec<(String, String)>,
        at: Evidence,
    },
    /// A HorizontalPodAutoscaler (or other object) targeting a workload by name.
    Target {
        what: String,
        target: String,
        at: Evidence,
    },
    /// A build declaration: `image` is built from the folder `context` (root-relative).
    Build { image: String, context: String },
    /// A service-mesh object (`istio`, `linkerd`).
    Mesh { mesh: String, at: Evidence },
    /// Alerting rules, SLO specs or dashboards already present.
    Document { what: String, at: Evidence },
}

const WORKLOAD_KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "ReplicaSet",
    "Pod",
    "Rollout",
    "DeploymentConfig",
];

/// Names whose literal value is never copied from a manifest.
pub fn is_secret_name(name: &str) -> bool {
    let u = name.to_ascii_uppercase();
    [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "PRIVATE",
        "CREDENTIAL",
        "ACCESS_KEY",
        "AUTH",
        "DSN",
        "CONNECTION_STRING",
    ]
    .iter()
    .any(|s| u.contains(s))
}

/// Reads one YAML deploy file. `None` when it is not YAML (templates) or declares
/// nothing the inventory uses.
pub fn read(path: &str, text: &str) -> Vec<DeployObject> {
    if text.contains("{{") && path.contains("/templates/") {
        return Vec::new();
    }
    let Ok(docs) = MarkedYaml::load_from_str(text) else {
        return Vec::new();
    };
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let dir = parent(path);
    let mut out = Vec::new();
    for doc in &docs {
        if name.starts_with("skaffold") {
            skaffold(doc, &dir, &mut out);
            continue;
        }
        if (name.starts_with("docker-compose") || name.starts_with("compose"))
            && get(doc, "services").is_some()
        {
            compose(path, doc, &dir, &mut out);
            continue;
        }
        kubernetes(path, doc, &mut out);
        documents(path, doc, &mut out);
    }
    out
}

fn parent(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => path[..i].to_string(),
        None => ".".to_string(),
    }
}

/// `dir` joined with a relative `rel`, normalised (`.`/`..` resolved, `/` separators).
pub fn join(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = if dir == "." || rel.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

// ------------------------------------------------------------------ YAML helpers

fn get<'a, 'i>(n: &'a MarkedYaml<'i>, key: &str) -> Option<&'a MarkedYaml<'i>> {
    n.data.as_mapping_get(key)
}

fn path_get<'a, 'i>(n: &'a MarkedYaml<'i>, keys: &[&str]) -> Option<&'a MarkedYaml<'i>> {
    keys.iter().try_fold(n, |cur, k| get(cur, k))
}

fn scalar(n: &MarkedYaml<'_>) -> Option<String> {
    match &n.data {
        YamlData::Value(Scalar::String(s)) => Some(s.to_string()),
        YamlData::Value(Scalar::Integer(i)) => Some(i.to_string()),
        YamlData::Value(Scalar::FloatingPoint(f)) => Some(f.to_string()),
        YamlData::Value(Scalar::Boolean(b)) => Some(b.to_string()),
        YamlData::Representation(s, _, _) => Some(s.to_string()),
        YamlData::Tagged(_, inner) => scalar(inner),
        _ => None,
    }
}

fn str_at(n: &MarkedYaml<'_>, keys: &[&str]) -> Option<String> {
    path_get(n, keys).and_then(scalar)
}

fn seq<'a, 'i>(n: Option<&'a MarkedYaml<'i>>) -> &'a [MarkedYaml<'i>] {
    match n.map(|n| &n.data) {
        Some(YamlData::Sequence(s)) => s.as_slice(),
        _ => &[],
    }
}

fn entries<'a, 'i>(n: Option<&'a MarkedYaml<'i>>) -> Vec<(String, &'a MarkedYaml<'i>)> {
    match n.map(|n| &n.data) {
        Some(YamlData::Mapping(m)) => m
            .iter()
            .filter_map(|(k, v)| scalar(k).map(|k| (k, v)))
            .collect(),
        _ => Vec::new(),
    }
}

fn line(n: &MarkedYaml<'_>) -> u32 {
    n.span.start.line() as u32
}

fn ev(path: &str, n: &MarkedYaml<'_>, note: impl Into<String>) -> Evidence {
    Evidence {
        path: path.to_string(),
        line: Some(line(n)),
        note: note.into(),
    }
}

fn labels(n: Option<&MarkedYaml<'_>>) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = entries(n)
        .into_iter()
        .filter_map(|(k, v)| scalar(v).map(|v| (k, v)))
        .collect();
    v.sort();
    v
}

// ------------------------------------------------------------------ readers

fn skaffold(doc: &MarkedYaml<'_>, dir: &str, out: &mut Vec<DeployObject>) {
    // `build.artifacts`, also under `profiles[].build.artifacts`.
    let mut lists = vec![path_get(doc, &["build", "artifacts"])];
    for p in seq(get(doc, "profiles")) {
        lists.push(path_get(p, &["build", "artifacts"]));
    }
    for list in lists {
        for a in seq(list) {
            if let Some(image) = str_at(a, &["image"]) {
                let context = str_at(a, &["context"]).unwrap_or_else(|| ".".to_string());
                out.push(DeployObject::Build {
                    image,
                    context: join(dir, &context),
                });
            }
        }
    }
}

fn compose(path: &str, doc: &MarkedYaml<'_>, dir: &str, out: &mut Vec<DeployObject>) {
    for (name, svc) in entries(get(doc, "services")) {
        let image = str_at(svc, &["image"]);
        let build = get(svc, "build").and_then(|b| {
            scalar(b).or_else(|| str_at(b, &["context"]).or_else(|| Some(".".to_string())))
        });
        let build_context = build.map(|b| join(dir, &b));
        if let (Some(img), Some(ctx)) = (&image, &build_context) {
            out.push(DeployObject::Build {
                image: img.clone(),
                context: ctx.clone(),
            });
        }
        let mut w = Workload {
            platform: "compose".to_string(),
            kind: "service".to_string(),
            name: name.clone(),
            namespace: None,
            at: ev(path, svc, format!("compose service {name}")),
            linked_by: String::new(),
            images: image.into_iter().collect(),
            containers: Vec::new(),
            replicas: str_at(svc, &["deploy", "replicas"]),
            strategy: str_at(svc, &["deploy", "update_config", "order"]),
            probes: Vec::new(),
            resources: Vec::new(),
            ports: Vec::new(),
            env: Vec::new(),
            termination_grace_period: str_at(svc, &["stop_grace_period"]),
            schedule: None,
            related: Vec::new(),
        };
        for p in seq(get(svc, "ports")) {
            if let Some(s) = scalar(p).or_else(|| str_at(p, &["target"])) {
                w.ports.push(Item {
                    name: s,
                    evidence: vec![ev(path, p, "")],
                });
            }
        }
        if let Some(hc) = get(svc, "healthcheck") {
            let test = get(hc, "test")
                .map(|t| match &t.data {
                    YamlData::Sequence(items) => items
                        .iter()
                        .filter_map(scalar)
                        .filter(|s| s != "CMD" && s != "CMD-SHELL")
                        .collect::<Vec<_>>()
                        .join(" "),
                    _ => scalar(t).unwrap_or_default(),
                })
                .unwrap_or_default();
            w.probes.push(Probe {
                kind: "healthcheck".to_string(),
                check: format!("exec {}", clip(&test, 80)),
                at: ev(path, hc, "healthcheck"),
            });
        }
        for (k, v) in [
            (
                "limits.memory",
                &["deploy", "resources", "limits", "memory"][..],
            ),
            ("limits.cpu", &["deploy", "resources", "limits", "cpus"][..]),
            ("limits.memory", &["mem_limit"][..]),
        ] {
            if let Some(n) = path_get(svc, v)
                && let Some(s) = scalar(n)
            {
                w.resources.push(Item {
                    name: format!("{k}={s}"),
                    evidence: vec![ev(path, n, "")],
                });
            }
        }
        match get(svc, "environment").map(|e| &e.data) {
            Some(YamlData::Sequence(items)) => {
                for it in items {
                    if let Some(s) = scalar(it) {
                        let (k, v) = match s.split_once('=') {
                            Some((k, v)) => (k.to_string(), Some(v.to_string())),
                            None => (s.clone(), None),
                        };
                        w.env.push(env_setting(path, it, &k, v, "literal"));
                    }
                }
            }
            Some(YamlData::Mapping(_)) => {
                for (k, v) in entries(get(svc, "environment")) {
                    w.env.push(env_setting(path, v, &k, scalar(v), "literal"));
                }
            }
            _ => {}
        }
        out.push(DeployObject::Workload {
            workload: Box::new(w),
            pod_labels: Vec::new(),
            build_context,
        });
    }
}

fn clip(s: &str, n: usize) -> String {
    let t: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() <= n {
        t
    } else {
        let mut c: String = t.chars().take(n).collect();
        c.push('…');
        c
    }
}

/// An environment setting, with its value only when it is safe to repeat.
fn env_setting(
    path: &str,
    n: &MarkedYaml<'_>,
    name: &str,
    value: Option<String>,
    source: &str,
) -> EnvSetting {
    let (value, source) = match value {
        Some(v) if is_secret_name(name) || looks_like_credential(&v) => {
            let _ = v;
            (None, "hidden".to_string())
        }
        Some(v) => (Some(clip(&v, 120)), source.to_string()),
        None => (None, source.to_string()),
    };
    EnvSetting {
        name: name.to_string(),
        value,
        source,
        at: ev(path, n, ""),
    }
}

/// A URL with user info, a private key, or a long high-entropy token.
fn looks_like_credential(v: &str) -> bool {
    if v.contains("://")
        && v.split("://").nth(1).is_some_and(|r| {
            r.split('/')
                .next()
                .is_some_and(|authority| authority.contains('@'))
        })
    {
        return true;
    }
    if v.contains("PRIVATE KEY") {
        return true;
    }
    v.len() >= 24
        && !v.contains(' ')
        && !v.contains(':')
        && !v.contains('/')
        && v.chars().any(|c| c.is_ascii_digit())
        && v.chars().any(|c| c.is_ascii_uppercase())
        && v.chars().any(|c| c.is_ascii_lowercase())
}

fn kubernetes(path: &str, doc: &MarkedYaml<'_>, out: &mut Vec<DeployObject>) {
    let (Some(kind), Some(api)) = (str_at(doc, &["kind"]), str_at(doc, &["apiVersion"])) else {
        return;
    };
    let name = str_at(doc, &["metadata", "name"]).unwrap_or_default();
    let namespace = str_at(doc, &["metadata", "namespace"]);
    for mesh in ["istio.io", "linkerd.io"] {
        if api.contains(mesh) {
            out.push(DeployObject::Mesh {
                mesh: mesh.trim_end_matches(".io").to_string(),
                at: ev(path, doc, format!("{kind} {name}")),
            });
            return;
        }
    }
    match kind.as_str() {
        k if WORKLOAD_KINDS.contains(&k) => workload(path, doc, &kind, &name, namespace, out),
        "Service" => {
            let sel = labels(path_get(doc, &["spec", "selector"]));
            if !sel.is_empty() {
                let ports: Vec<String> = seq(path_get(doc, &["spec", "ports"]))
                    .iter()
                    .filter_map(|p| str_at(p, &["port"]))
                    .collect();
                let ty = str_at(doc, &["spec", "type"]).unwrap_or_else(|| "ClusterIP".into());
                let what = if ports.is_empty() {
                    format!("Service/{name} ({ty})")
                } else {
                    format!("Service/{name} ({ty}, port {})", ports.join(", "))
                };
                out.push(DeployObject::Selector {
                    what,
                    namespace,
                    selector: sel,
                    at: ev(path, doc, ""),
                });
            }
        }
        "PodDisruptionBudget" => {
            let sel = labels(path_get(doc, &["spec", "selector", "matchLabels"]));
            let budget = str_at(doc, &["spec", "minAvailable"])
                .map(|v| format!("minAvailable {v}"))
                .or_else(|| {
                    str_at(doc, &["spec", "maxUnavailable"]).map(|v| format!("maxUnavailable {v}"))
                })
                .unwrap_or_default();
            if !sel.is_empty() {
                out.push(DeployObject::Selector {
                    what: format!("PodDisruptionBudget/{name} ({budget})"),
                    namespace,
                    selector: sel,
                    at: ev(path, doc, ""),
                });
            }
        }
        "HorizontalPodAutoscaler" | "ScaledObject" | "VerticalPodAutoscaler" => {
            let target = str_at(doc, &["spec", "scaleTargetRef", "name"])
                .or_else(|| str_at(doc, &["spec", "targetRef", "name"]));
            if let Some(t) = target {
                let range = match (
                    str_at(doc, &["spec", "minReplicas"])
                        .or_else(|| str_at(doc, &["spec", "minReplicaCount"])),
                    str_at(doc, &["spec", "maxReplicas"])
                        .or_else(|| str_at(doc, &["spec", "maxReplicaCount"])),
                ) {
                    (Some(a), Some(b)) => format!(" ({a}..{b} replicas)"),
                    _ => String::new(),
                };
                out.push(DeployObject::Target {
                    what: format!("{kind}/{name}{range}"),
                    target: t,
                    at: ev(path, doc, ""),
                });
            }
        }
        _ => {}
    }
}

fn workload(
    path: &str,
    doc: &MarkedYaml<'_>,
    kind: &str,
    name: &str,
    namespace: Option<String>,
    out: &mut Vec<DeployObject>,
) {
    // The pod template: spec.template (most), spec.jobTemplate.spec.template (CronJob),
    // or the object itself (Pod).
    let (pod, schedule) = match kind {
        "Pod" => (Some(doc), None),
        "CronJob" => (
            path_get(doc, &["spec", "jobTemplate", "spec", "template"]),
            str_at(doc, &["spec", "schedule"]),
        ),
        _ => (path_get(doc, &["spec", "template"]), None),
    };
    let Some(pod) = pod else {
        return;
    };
    let pod_spec = get(pod, "spec");
    let Some(pod_spec) = pod_spec else {
        return;
    };
    let mut w = Workload {
        platform: "kubernetes".to_string(),
        kind: kind.to_string(),
        name: name.to_string(),
        namespace,
        at: ev(path, doc, format!("{kind} {name}")),
        linked_by: String::new(),
        images: Vec::new(),
        containers: Vec::new(),
        replicas: str_at(doc, &["spec", "replicas"]),
        strategy: str_at(doc, &["spec", "strategy", "type"])
            .or_else(|| str_at(doc, &["spec", "updateStrategy", "type"]))
            .or_else(|| {
                (kind == "Rollout")
                    .then(|| {
                        path_get(doc, &["spec", "strategy"])
                            .and_then(|s| entries(Some(s)).into_iter().next().map(|(k, _)| k))
                    })
                    .flatten()
            }),
        probes: Vec::new(),
        resources: Vec::new(),
        ports: Vec::new(),
        env: Vec::new(),
        termination_grace_period: str_at(pod_spec, &["terminationGracePeriodSeconds"]),
        schedule,
        related: Vec::new(),
    };
    for c in seq(get(pod_spec, "containers")) {
        let cname = str_at(c, &["name"]).unwrap_or_default();
        if !cname.is_empty() {
            w.containers.push(cname.clone());
        }
        if let Some(img) = str_at(c, &["image"]) {
            w.images.push(img);
        }
        for p in seq(get(c, "ports")) {
            if let Some(port) = str_at(p, &["containerPort"]) {
                w.ports.push(Item {
                    name: port,
                    evidence: vec![ev(path, p, cname.clone())],
                });
            }
        }
        for (pk, label) in [
            ("livenessProbe", "liveness"),
            ("readinessProbe", "readiness"),
            ("startupProbe", "startup"),
        ] {
            if let Some(p) = get(c, pk) {
                w.probes.push(Probe {
                    kind: label.to_string(),
                    check: probe_check(p),
                    at: ev(path, p, cname.clone()),
                });
            }
        }
        for scope in ["limits", "requests"] {
            for (res, v) in entries(path_get(c, &["resources", scope])) {
                if let Some(s) = scalar(v) {
                    w.resources.push(Item {
                        name: format!("{scope}.{res}={s}"),
                        evidence: vec![ev(path, v, cname.clone())],
                    });
                }
            }
        }
        for e in seq(get(c, "env")) {
            let Some(n) = str_at(e, &["name"]) else {
                continue;
            };
            if let Some(v) = get(e, "value") {
                w.env.push(env_setting(path, e, &n, scalar(v), "literal"));
            } else if let Some(r) = path_get(e, &["valueFrom", "secretKeyRef"]) {
                let s = format!(
                    "secret {}/{}",
                    str_at(r, &["name"]).unwrap_or_default(),
                    str_at(r, &["key"]).unwrap_or_default()
                );
                w.env.push(env_setting(path, e, &n, None, &s));
            } else if let Some(r) = path_get(e, &["valueFrom", "configMapKeyRef"]) {
                let s = format!(
                    "configmap {}/{}",
                    str_at(r, &["name"]).unwrap_or_default(),
                    str_at(r, &["key"]).unwrap_or_default()
                );
                w.env.push(env_setting(path, e, &n, None, &s));
            } else if let Some(r) = path_get(e, &["valueFrom", "fieldRef", "fieldPath"]) {
                let s = format!("field {}", scalar(r).unwrap_or_default());
                w.env.push(env_setting(path, e, &n, None, &s));
            }
        }
        for ef in seq(get(c, "envFrom")) {
            let src = str_at(ef, &["secretRef", "name"])
                .map(|s| format!("secret {s}"))
                .or_else(|| {
                    str_at(ef, &["configMapRef", "name"]).map(|s| format!("configmap {s}"))
                });
            if let Some(s) = src {
                w.env.push(env_setting(path, ef, "(all keys)", None, &s));
            }
        }
    }
    let pod_labels = labels(path_get(pod, &["metadata", "labels"]));
    out.push(DeployObject::Workload {
        workload: Box::new(w),
        pod_labels,
        build_context: None,
    });
}

fn probe_check(p: &MarkedYaml<'_>) -> String {
    if let Some(h) = get(p, "httpGet") {
        let path = str_at(h, &["path"]).unwrap_or_else(|| "/".to_string());
        let port = str_at(h, &["port"]).unwrap_or_default();
        return format!("httpGet {path} :{port}");
    }
    if let Some(g) = get(p, "grpc") {
        return format!("grpc :{}", str_at(g, &["port"]).unwrap_or_default());
    }
    if let Some(t) = get(p, "tcpSocket") {
        return format!("tcpSocket :{}", str_at(t, &["port"]).unwrap_or_default());
    }
    if let Some(e) = get(p, "exec") {
        let cmd: Vec<String> = seq(get(e, "command")).iter().filter_map(scalar).collect();
        return format!("exec {}", clip(&cmd.join(" "), 80));
    }
    "unknown".to_string()
}

/// Alert rules (PrometheusRule or a plain rules file), SLO specs and mesh-free
/// documents the inventory lists as already present.
fn documents(path: &str, doc: &MarkedYaml<'_>, out: &mut Vec<DeployObject>) {
    let kind = str_at(doc, &["kind"]).unwrap_or_default();
    let api = str_at(doc, &["apiVersion"]).unwrap_or_default();
    let version = str_at(doc, &["version"]).unwrap_or_default();
    let what = if kind == "PrometheusRule" {
        Some("alert rules (PrometheusRule)")
    } else if api.starts_with("openslo/") {
        Some("SLO spec (OpenSLO)")
    } else if (version == "prometheus/v1" && get(doc, "slos").is_some())
        || kind == "PrometheusServiceLevel"
    {
        Some("SLO spec (Sloth)")
    } else if seq(get(doc, "groups")).iter().any(|g| {
        seq(get(g, "rules"))
            .iter()
            .any(|r| get(r, "alert").is_some())
    }) {
        Some("alert rules (Prometheus)")
    } else {
        None
    };
    if let Some(w) = what {
        out.push(DeployObject::Document {
            what: w.to_string(),
            at: ev(path, doc, ""),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_deployment_with_probes_env_and_resources() {
        let y = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
spec:
  replicas: 3
  strategy:
    type: RollingUpdate
  template:
    metadata:
      labels:
        app: cart
    spec:
      terminationGracePeriodSeconds: 5
      containers:
        - name: server
          image: registry.example.com/shop/cart:1.2.3
          ports:
            - containerPort: 7070
          readinessProbe:
            grpc:
              port: 7070
          livenessProbe:
            httpGet:
              path: /healthz
              port: 8080
          env:
            - name: REDIS_ADDR
              value: "redis-cart:6379"
            - name: DB_PASSWORD
              value: "hunter2hunter2"
            - name: API_TOKEN
              valueFrom:
                secretKeyRef:
                  name: cart-secrets
                  key: token
          resources:
            limits:
              memory: 128Mi
---
apiVersion: v1
kind: Service
metadata:
  name: cart
spec:
  selector:
    app: cart
  ports:
    - port: 7070
"#;
        let objs = read("k8s/cart.yaml", y);
        let Some(DeployObject::Workload {
            workload,
            pod_labels,
            ..
        }) = objs.first()
        else {
            panic!("{objs:#?}");
        };
        assert_eq!(workload.kind, "Deployment");
        assert_eq!(workload.at.line, Some(1));
        assert_eq!(workload.replicas.as_deref(), Some("3"));
        assert_eq!(workload.strategy.as_deref(), Some("RollingUpdate"));
        assert_eq!(
            workload.images,
            vec!["registry.example.com/shop/cart:1.2.3"]
        );
        assert_eq!(workload.probes[0].kind, "liveness");
        assert_eq!(workload.probes[0].check, "httpGet /healthz :8080");
        assert_eq!(workload.probes[1].kind, "readiness");
        assert_eq!(workload.probes[1].check, "grpc :7070");
        assert_eq!(workload.probes[1].at.line, Some(21));
        assert_eq!(workload.termination_grace_period.as_deref(), Some("5"));
        let redis = &workload.env[0];
        assert_eq!(redis.value.as_deref(), Some("redis-cart:6379"));
        assert_eq!(redis.at.line, Some(28));
        assert_eq!(workload.env[1].value, None, "a password is never copied");
        assert_eq!(workload.env[1].source, "hidden");
        assert_eq!(workload.env[2].source, "secret cart-secrets/token");
        assert_eq!(workload.resources[0].name, "limits.memory=128Mi");
        assert_eq!(pod_labels, &vec![("app".to_string(), "cart".to_string())]);
        assert!(
            matches!(&objs[1], DeployObject::Selector { what, .. } if what == "Service/cart (ClusterIP, port 7070)")
        );
    }

    #[test]
    fn reads_builds_from_skaffold_and_compose() {
        let sk = "apiVersion: skaffold/v4beta1\nkind: Config\nbuild:\n  artifacts:\n    - image: cart\n      context: src/cart\n";
        assert_eq!(
            read("skaffold.yaml", sk),
            vec![DeployObject::Build {
                image: "cart".into(),
                context: "src/cart".into()
            }]
        );
        let co = "services:\n  api:\n    build: ./api\n    image: shop/api\n    environment:\n      - PORT=8080\n";
        let objs = read("deploy/docker-compose.yml", co);
        assert!(objs.contains(&DeployObject::Build {
            image: "shop/api".into(),
            context: "deploy/api".into()
        }));
        assert!(objs.iter().any(
            |o| matches!(o, DeployObject::Workload { workload, build_context, .. }
            if workload.name == "api" && build_context.as_deref() == Some("deploy/api")
                && workload.env[0].value.as_deref() == Some("8080"))
        ));
    }

    #[test]
    fn templates_and_garbage_are_ignored() {
        assert!(read("chart/templates/d.yaml", "kind: {{ .Values.kind }}\n").is_empty());
        assert!(read("x.yaml", ": : :\n  - [").is_empty());
        assert_eq!(join("a/b", "../c/./d"), "a/c/d");
        assert_eq!(join(".", "."), ".");
    }
}
