//! Kubernetes YAML: multi-document files of any kind, kustomize folders read as plain
//! YAML. The reader records every object as an artifact; the checks below are pure
//! functions over one object, called from `cross.rs` once every file is read, because
//! several of them need the rest of the repository (a PodDisruptionBudget or autoscaler
//! selecting the workload, the component whose code the container runs, identical copies
//! of the same workload in `kustomize/base/` and `release/`).
//!
//! Workloads: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod and Argo
//! Rollout. A container without an `image` is a patch (kustomize strategic merge), not a
//! container, and is not checked. Values pagerproof could not resolve (Helm expressions)
//! never count as missing.

use pagerproof_core::{Confidence, Severity};

use crate::case;
use crate::manifests::yaml::Y;
use crate::manifests::{Artifact, ManifestOutput};
use crate::rule::{Case, Docs, Handling, RuleMeta};

/// One Kubernetes object.
#[derive(Clone, Debug, PartialEq)]
pub struct Object {
    pub api_version: String,
    pub kind: String,
    /// Line and column of the `kind:` key.
    pub kind_line: u32,
    pub kind_col: u32,
    pub name: String,
    pub doc: Y,
}

pub const WORKLOAD_KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
    "Pod",
    "Rollout",
];

/// Records the Kubernetes objects of a YAML file.
pub fn analyze(path: &str, docs: &[Y], text: &str, out: &mut ManifestOutput) {
    skaffold(path, docs, out);
    let objs = objects(docs);
    if objs.is_empty() {
        return;
    }
    let keep_text = objs
        .iter()
        .any(|o| WORKLOAD_KINDS.contains(&o.kind.as_str()) || o.kind == "Service");
    for o in objs {
        out.artifacts.push(Artifact::K8s(Box::new(o)));
    }
    if keep_text {
        out.artifacts.push(Artifact::Source(text.to_string()));
    }
}

/// skaffold `build.artifacts[]` (also in profiles): which folder builds which image.
fn skaffold(path: &str, docs: &[Y], out: &mut ManifestOutput) {
    let dir = crate::files::parent_dir(path);
    for d in docs {
        if !d
            .get("apiVersion")
            .map(Y::text)
            .unwrap_or("")
            .starts_with("skaffold/")
        {
            continue;
        }
        let builds = std::iter::once(d.get("build"))
            .chain(
                d.get("profiles")
                    .map(Y::items)
                    .unwrap_or(&[])
                    .iter()
                    .map(|p| p.get("build")),
            )
            .flatten();
        for b in builds {
            for a in b.get("artifacts").map(Y::items).unwrap_or(&[]) {
                let Some(image) = a.get("image").and_then(Y::as_str) else {
                    continue;
                };
                let context = a.get("context").map(Y::text).unwrap_or(".");
                out.artifacts.push(Artifact::Build {
                    image: image.to_string(),
                    context: super::compose::join(dir, context),
                    dockerfile: a
                        .path(&["docker", "dockerfile"])
                        .map(Y::text)
                        .unwrap_or("Dockerfile")
                        .to_string(),
                    line: a.line,
                });
            }
        }
    }
}

/// The Kubernetes objects among YAML documents (`kind: List` is flattened).
pub fn objects(docs: &[Y]) -> Vec<Object> {
    let mut out = Vec::new();
    for d in docs {
        collect(d, &mut out, 0);
    }
    out
}

fn collect(d: &Y, out: &mut Vec<Object>, depth: u32) {
    let (Some(api), Some(kind)) = (d.get("apiVersion").and_then(Y::as_str), d.entry("kind")) else {
        return;
    };
    let Some(kind_name) = kind.value.as_str() else {
        return;
    };
    if kind_name.ends_with("List") && depth < 2 {
        for item in d.get("items").map(Y::items).unwrap_or(&[]) {
            collect(item, out, depth + 1);
        }
        return;
    }
    out.push(Object {
        api_version: api.to_string(),
        kind: kind_name.to_string(),
        kind_line: kind.line,
        kind_col: kind.col,
        name: d
            .path(&["metadata", "name"])
            .and_then(Y::as_str)
            .filter(|n| !n.contains(super::yaml::UNRESOLVED_VALUE))
            .unwrap_or("")
            .to_string(),
        doc: d.clone(),
    });
}

impl Object {
    /// `Deployment `web`` for messages (templated names are not shown).
    pub fn display(&self) -> String {
        if self.name.is_empty() {
            format!("{} (templated name)", self.kind)
        } else {
            format!("{} `{}`", self.kind, self.name)
        }
    }

    pub fn is_workload(&self) -> bool {
        WORKLOAD_KINDS.contains(&self.kind.as_str())
    }

    /// Jobs, CronJobs and run-once Pods run to completion: no probes, replicas or grace
    /// period asked.
    pub fn is_batch(&self) -> bool {
        matches!(self.kind.as_str(), "Job" | "CronJob")
            || self.kind == "Pod"
                && matches!(
                    self.doc.path(&["spec", "restartPolicy"]).map(Y::text),
                    Some("Never" | "OnFailure")
                )
    }

    /// A Helm test hook or a kustomize/Argo hook that only runs during tests.
    pub fn is_test_hook(&self) -> bool {
        self.doc
            .path(&["metadata", "annotations"])
            .map(|a| {
                a.entries().iter().any(|e| {
                    (e.key == "helm.sh/hook" || e.key == "argocd.argoproj.io/hook")
                        && e.value.text().contains("test")
                })
            })
            .unwrap_or(false)
    }

    /// The pod template's metadata and spec.
    pub fn pod(&self) -> Option<(Option<&Y>, &Y)> {
        let d = &self.doc;
        match self.kind.as_str() {
            "Pod" => Some((d.get("metadata"), d.get("spec")?)),
            "CronJob" => {
                let t = d.path(&["spec", "jobTemplate", "spec", "template"])?;
                Some((t.get("metadata"), t.get("spec")?))
            }
            k if WORKLOAD_KINDS.contains(&k) => {
                let t = d.path(&["spec", "template"])?;
                Some((t.get("metadata"), t.get("spec")?))
            }
            _ => None,
        }
    }

    /// Labels of the pod template.
    pub fn pod_labels(&self) -> Vec<(String, String)> {
        self.pod()
            .and_then(|(m, _)| m)
            .and_then(|m| m.get("labels"))
            .map(labels)
            .unwrap_or_default()
    }

    /// The containers (and init containers) of the pod template. Entries without an
    /// `image` (kustomize patches) are left out.
    pub fn containers(&self) -> Vec<Container<'_>> {
        let Some((_, spec)) = self.pod() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, init) in [("initContainers", true), ("containers", false)] {
            for c in spec.get(key).map(Y::items).unwrap_or(&[]) {
                let Some(image) = c.entry("image") else {
                    continue;
                };
                let name_entry = c.entry("name");
                out.push(Container {
                    y: c,
                    name: name_entry
                        .and_then(|e| e.value.as_str())
                        .filter(|n| !n.contains(super::yaml::UNRESOLVED_VALUE))
                        .unwrap_or("")
                        .to_string(),
                    line: name_entry.map(|e| e.line).unwrap_or(c.line),
                    col: name_entry.map(|e| e.col).unwrap_or(c.col),
                    init,
                    image: image.value.text().to_string(),
                    image_line: image.line,
                    image_col: image.col,
                });
            }
        }
        out
    }

    /// Line and column of `replicas:`, or of `kind:` when unset.
    pub fn replicas(&self) -> (Option<&Y>, u32, u32) {
        match self.doc.get("spec").and_then(|s| s.entry("replicas")) {
            Some(e) => (Some(&e.value), e.line, e.col),
            None => (None, self.kind_line, self.kind_col),
        }
    }
}

/// A container of a workload.
#[derive(Clone, Debug)]
pub struct Container<'a> {
    pub y: &'a Y,
    pub name: String,
    /// Line and column of its `name:` key (the label convention: the `- name:` line).
    pub line: u32,
    pub col: u32,
    pub init: bool,
    pub image: String,
    pub image_line: u32,
    pub image_col: u32,
}

impl Container<'_> {
    /// `server` or `frontend-check (initContainer)`.
    pub fn label(&self) -> String {
        let name = if self.name.is_empty() {
            "(templated name)"
        } else {
            &self.name
        };
        if self.init {
            format!("{name} (initContainer)")
        } else {
            name.to_string()
        }
    }

    /// ``container `server` `` for messages, or `container (templated name)` when the
    /// name is a template pagerproof does not render.
    pub fn display(&self) -> String {
        let what = if self.init {
            "init container"
        } else {
            "container"
        };
        if self.name.is_empty() {
            format!("{what} (templated name)")
        } else {
            format!("{what} `{}`", self.name)
        }
    }

    /// Whether the container declares ports.
    pub fn has_ports(&self) -> bool {
        !self.y.get("ports").map(Y::items).unwrap_or(&[]).is_empty()
    }
}

/// A mapping of string labels.
pub fn labels(y: &Y) -> Vec<(String, String)> {
    y.entries()
        .iter()
        .map(|e| (e.key.clone(), e.value.text().to_string()))
        .collect()
}

/// Whether a selector (`matchLabels` or a plain map) selects pods with `pod_labels`.
/// Unknown (unresolved) selectors select nothing.
pub fn selects(selector: &Y, pod_labels: &[(String, String)]) -> bool {
    let ml = selector.get("matchLabels").unwrap_or(selector);
    if ml.has_unknown_keys() {
        return false;
    }
    let want = labels(ml);
    let exprs = selector
        .get("matchExpressions")
        .map(Y::items)
        .unwrap_or(&[]);
    if want.is_empty() && exprs.is_empty() {
        return false;
    }
    want.iter()
        .all(|(k, v)| pod_labels.iter().any(|(pk, pv)| pk == k && pv == v))
        && exprs.iter().all(|e| {
            let key = e.get("key").map(Y::text).unwrap_or("");
            let values = e.get("values").map(Y::strings).unwrap_or_default();
            let have = pod_labels.iter().find(|(k, _)| k == key).map(|(_, v)| v);
            match e.get("operator").map(Y::text).unwrap_or("") {
                "In" => have.is_some_and(|v| values.contains(&v.as_str())),
                "NotIn" => have.is_none_or(|v| !values.contains(&v.as_str())),
                "Exists" => have.is_some(),
                "DoesNotExist" => have.is_none(),
                _ => false,
            }
        })
}

/// Probes of a container: (readiness, liveness, startup); `None` when unknown.
pub fn probes(c: &Container<'_>) -> Option<(bool, bool)> {
    if c.y.has_unknown_keys() {
        return None;
    }
    let has = |k: &str| c.y.get(k).is_some_and(|p| !p.is_null());
    Some((has("readinessProbe"), has("livenessProbe")))
}

/// What a container's `resources` lack, if anything; `None` when complete or unknown.
pub fn missing_resources(c: &Container<'_>) -> Option<Vec<&'static str>> {
    if c.y.has_unknown_keys() {
        return None;
    }
    let r = c.y.get("resources");
    if r.is_some_and(|r| r.is_unresolved() || r.text().contains(super::yaml::UNRESOLVED_VALUE)) {
        return None;
    }
    let has = |path: &[&str]| {
        r.and_then(|r| r.path(path))
            .is_some_and(|v| !v.is_null() && !v.text().is_empty())
    };
    let mut missing = Vec::new();
    if !has(&["limits", "memory"]) {
        missing.push("memory limit");
    }
    if !has(&["requests", "memory"]) {
        missing.push("memory request");
    }
    if !has(&["requests", "cpu"]) {
        missing.push("cpu request");
    }
    (!missing.is_empty()).then_some(missing)
}

/// What a container's security context leaves open, with the severity it deserves;
/// `None` when hardened or unknown.
pub fn weak_security(pod: &Y, c: &Container<'_>) -> Option<(Vec<String>, Severity)> {
    let csc = c.y.get("securityContext");
    let psc = pod.get("securityContext");
    if csc.is_some_and(Y::has_unknown_keys)
        || psc.is_some_and(Y::has_unknown_keys)
        || c.y.has_unknown_keys()
        || pod.has_unknown_keys()
    {
        return None;
    }
    let cget = |k: &str| sc_get(csc, k);
    let mut open = Vec::new();
    let mut sev = Severity::P3;
    let mut raise = |s: Severity| {
        if s < sev {
            sev = s;
        }
    };
    if cget("privileged").and_then(Y::as_bool) == Some(true) {
        open.push("privileged: true".to_string());
        raise(Severity::P1);
    }
    for k in ["hostNetwork", "hostPID", "hostIPC"] {
        if pod.get(k).and_then(Y::as_bool) == Some(true) {
            open.push(format!("{k}: true"));
            raise(Severity::P1);
        }
    }
    match cget("allowPrivilegeEscalation").and_then(Y::as_bool) {
        Some(false) => {}
        Some(true) => {
            open.push("allowPrivilegeEscalation: true".to_string());
            raise(Severity::P1);
        }
        None => {
            open.push("allowPrivilegeEscalation not false".to_string());
            raise(Severity::P2);
        }
    }
    let container_nr = non_root(csc);
    let pod_nr = non_root(psc);
    if container_nr.or(pod_nr) != Some(true) {
        open.push("runAsNonRoot not true (pod or container)".to_string());
        raise(Severity::P2);
    }
    if cget("readOnlyRootFilesystem").and_then(Y::as_bool) != Some(true) {
        open.push("readOnlyRootFilesystem not true".to_string());
    }
    let drops_all = cget("capabilities")
        .and_then(|c| c.get("drop"))
        .map(|d| d.strings().iter().any(|s| s.eq_ignore_ascii_case("all")))
        .unwrap_or(false);
    if !drops_all {
        open.push("capabilities.drop [ALL] missing".to_string());
    }
    (!open.is_empty()).then_some((open, sev))
}

fn sc_get<'a>(sc: Option<&'a Y>, k: &str) -> Option<&'a Y> {
    sc.and_then(|s| s.get(k))
}

/// Whether a security context makes the process non-root (`runAsNonRoot: true` or a
/// non-zero `runAsUser`); `None` when it says nothing.
pub fn non_root(sc: Option<&Y>) -> Option<bool> {
    if sc_get(sc, "runAsNonRoot").and_then(Y::as_bool) == Some(true) {
        return Some(true);
    }
    match sc_get(sc, "runAsUser").and_then(Y::as_i64) {
        Some(0) => Some(false),
        Some(_) => Some(true),
        None => sc_get(sc, "runAsNonRoot").and_then(Y::as_bool),
    }
}

/// The pinning problem of a container image, if any (unknown images are not judged).
pub fn image_problem(c: &Container<'_>) -> Option<String> {
    let image = c.image.trim();
    if image.is_empty()
        || image.contains('$')
        || image.contains("{{")
        || image.contains(super::yaml::UNRESOLVED_VALUE)
    {
        return None;
    }
    super::dockerfile::pinning_problem(image)
}

/// `terminationGracePeriodSeconds` of the pod (value and line), and whether any container
/// has a `preStop` hook. `None` when unknown.
pub fn grace(obj: &Object) -> Option<(Option<i64>, u32, u32, bool)> {
    let (_, spec) = obj.pod()?;
    if spec.has_unknown_keys() {
        return None;
    }
    let (value, line, col) = match spec.entry("terminationGracePeriodSeconds") {
        Some(e) => (e.value.as_i64(), e.line, e.col),
        None => (None, obj.kind_line, obj.kind_col),
    };
    let pre_stop = obj
        .containers()
        .iter()
        .filter(|c| !c.init)
        .any(|c| c.y.path(&["lifecycle", "preStop"]).is_some() || c.y.has_unknown_keys());
    Some((value, line, col, pre_stop))
}

const K8S_FIX: &str = "yaml";

pub static PROBES: RuleMeta = RuleMeta {
    id: "kubernetes-container-without-probes",
    category: "K8S-PROBES",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["yaml"],
    summary: "Container without readiness and/or liveness probe",
    docs: Docs {
        what: "A long-running workload's container (Deployment, StatefulSet, DaemonSet, ReplicaSet, Rollout, Pod) \
with no `livenessProbe`, or no `readinessProbe` while it serves traffic (it declares ports or a Service selects it). \
`startupProbe` alone does not count. Init containers and Jobs/CronJobs are not asked. When the component that builds \
the image has no health endpoint either, `kubernetes-probe-without-health-endpoint` reports the container instead. One \
finding per container, at its `- name:` line.",
        scenario: "The process deadlocks, exhausts a pool or loses a dependency but keeps running; or a new \
version starts and is not ready yet during a rolling update.",
        impact: "Without readiness, the Service sends requests to pods that cannot serve them (errors at every \
deploy and during warm-up); without liveness, a hung pod is never restarted and its share of traffic fails until \
a human notices.",
        detection: "Errors concentrated on one pod while it shows Running/Ready; 5xx spikes at each rollout.",
        mitigation: "Add a readiness probe on a cheap endpoint that reflects the ability to serve, and a liveness \
probe that only fails when a restart would help (never checking dependencies).",
        fixes: &[(
            K8S_FIX,
            "readinessProbe:\n  httpGet: { path: /readyz, port: http }\n  periodSeconds: 5\nlivenessProbe:\n  httpGet: { path: /healthz, port: http }\n  periodSeconds: 10\n  failureThreshold: 3\n# gRPC: grpc: { port: 9555 }",
        )],
        monitoring: "Alert when ready replicas stay below desired, and on restart counts from liveness failures.",
    },
    outside_production: Handling::Lower,
    cases: &[
        case!(
            "k8s/app.yaml",
            r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      initContainers:
      - name: migrate
        image: web:1.2.3
      containers:
      - name: web
        ^ no readiness and no liveness probe
        image: web:1.2.3
        ports:
        - containerPort: 8080
      - name: sidecar
        ^ no liveness probe
        image: proxy:2.0.1
      - name: probed
        image: proxy:2.0.1
        livenessProbe:
          tcpSocket: { port: 9901 }
---
apiVersion: batch/v1
kind: Job
metadata:
  name: once
spec:
  template:
    spec:
      containers:
      - name: job
        image: web:1.2.3
"#
        ),
        case!(
            "k8s/ok.yaml",
            r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
      - name: api
        image: api:2.0.0
        readinessProbe:
          grpc: { port: 9555 }
        livenessProbe:
          grpc: { port: 9555 }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: patch
spec:
  template:
    spec:
      containers:
      - name: api
        env:
        - name: X
          value: "1"
"#
        ),
        case!(
            "config/settings.yaml",
            "kind: Deployment\ncontainers:\n- name: web\n  image: web\n"
        ),
    ],
};

pub static RESOURCES: RuleMeta = RuleMeta {
    id: "kubernetes-container-without-resources",
    category: "K8S-RESOURCES",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["yaml"],
    summary: "Container without memory limit or cpu/memory requests",
    docs: Docs {
        what: "A container (init containers included) without a memory limit, or without cpu and memory \
requests. A CPU limit is not asked for (throttling often hurts more than it protects). One finding per container \
listing what is missing.",
        scenario: "A memory leak, a large request or a traffic spike on a node shared with other pods.",
        impact: "Without a memory limit one pod can exhaust the node and get other workloads OOM-killed or \
evicted; without requests the scheduler packs pods blindly, and under pressure this pod (BestEffort) is the first \
evicted.",
        detection: "Node memory pressure, evictions and OOM kills of unrelated pods; noisy-neighbour latency.",
        mitigation: "Set memory requests and limits from observed usage plus headroom, and a CPU request.",
        fixes: &[(
            K8S_FIX,
            "resources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n  limits:\n    memory: 256Mi",
        )],
        monitoring: "Alert on container memory working set above 90% of its limit, on OOMKilled restarts and on \
evictions.",
    },
    outside_production: Handling::Lower,
    cases: &[
        case!(
            "deploy/worker.yaml",
            r#"apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: worker
spec:
  template:
    spec:
      initContainers:
      - image: busybox:1.36.1
        name: wait
        ^ memory limit, memory request, cpu request
      containers:
      - name: worker
        ^ no memory limit
        image: worker:1.0.0
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
"#
        ),
        Case {
            files: &[
                (
                    "chart/templates/deployment.yaml",
                    r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Chart.Name }}
spec:
  template:
    spec:
      containers:
      - name: {{ .Chart.Name }}
        ^ no memory limit, memory request, cpu request
        image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
        resources:
          {{- toYaml .Values.resources | nindent 10 }}
      {{- if .Values.sidecar.enabled }}
      - name: sidecar
        image: envoy:1.30.1
      {{- end }}
"#,
                ),
                (
                    "chart/Chart.yaml",
                    "apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: 1.2.3\n",
                ),
                (
                    "chart/values.yaml",
                    "image:\n  repository: ghcr.io/acme/web\nresources: {}\nsidecar:\n  enabled: false\n",
                ),
            ],
        },
        Case {
            files: &[
                (
                    "chart/templates/deployment.yaml",
                    r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.fullname" . }}
  labels:
    {{- include "web.labels" . | nindent 4 }}
spec:
  template:
    spec:
      containers:
      - name: web
        image: "{{ .Values.image.repository }}:{{ .Chart.AppVersion }}"
        resources:
          {{- toYaml .Values.resources | nindent 10 }}
      - name: extra
        image: envoy:1.30.1
        {{- include "web.resources" . | nindent 8 }}
"#,
                ),
                (
                    "chart/Chart.yaml",
                    "apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: 1.2.3\n",
                ),
                (
                    "chart/values.yaml",
                    "image:\n  repository: ghcr.io/acme/web\nresources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n  limits:\n    memory: 256Mi\n",
                ),
            ],
        },
        Case {
            files: &[
                (
                    "charts/api/templates/deployment.yaml",
                    r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "api.fullname" . }}
spec:
  template:
    spec:
      containers:
      - name: {{ include "api.fullname" . }}
        ^ container (templated name) has no memory limit, memory request, cpu request
        image: ghcr.io/acme/api:1.0.0
"#,
                ),
                (
                    "charts/api/Chart.yaml",
                    "apiVersion: v2\nname: api\nversion: 0.1.0\n",
                ),
            ],
        },
        case!(
            "deploy/ok.yaml",
            r#"apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: run
            image: tool:3.1.0
            resources:
              requests: { cpu: 50m, memory: 32Mi }
              limits: { memory: 64Mi }
"#
        ),
    ],
};

pub static SECURITY: RuleMeta = RuleMeta {
    id: "kubernetes-container-weak-security-context",
    category: "K8S-SECURITY",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["yaml"],
    summary: "Privileged or weakly confined container",
    docs: Docs {
        what: "A container whose security context leaves something open: `privileged: true`, host namespaces \
(`hostNetwork`/`hostPID`/`hostIPC`), `allowPrivilegeEscalation` not `false`, no `runAsNonRoot: true` (or non-zero \
`runAsUser`) at pod or container level, `readOnlyRootFilesystem` not `true`, capabilities not dropped (`drop: \
[ALL]`). One finding per container listing every gap. Severity: P1 for privileged/host namespaces/explicit \
escalation, P2 when the container may run as root or escalate, P3 when only the read-only root filesystem or \
dropped capabilities are missing.",
        scenario: "A vulnerability gives an attacker code execution in the container.",
        impact: "With root, escalation or extra capabilities the attacker can tamper with the container, reach \
the node (privileged or host namespaces make that trivial) and move to other workloads.",
        detection: "Pod Security Admission warnings (`restricted` profile), kube-bench/Polaris reports.",
        mitigation: "Run as non-root with a read-only root filesystem, no privilege escalation and all \
capabilities dropped; enforce the `restricted` Pod Security Standard on the namespace.",
        fixes: &[(
            K8S_FIX,
            "securityContext:            # pod\n  runAsNonRoot: true\n  runAsUser: 10001\n  seccompProfile: { type: RuntimeDefault }\ncontainers:\n- name: app\n  securityContext:\n    allowPrivilegeEscalation: false\n    readOnlyRootFilesystem: true\n    privileged: false\n    capabilities: { drop: [ALL] }",
        )],
        monitoring: "Audit admission warnings for the `restricted` profile; alert on privileged pods.",
    },
    outside_production: Handling::Lower,
    cases: &[
        case!(
            "k8s/agent.yaml",
            r#"apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  template:
    spec:
      hostNetwork: true
      containers:
      - name: agent
        ^ privileged: true
        image: agent:1.4.2
        securityContext:
          privileged: true
---
apiVersion: v1
kind: Pod
metadata:
  name: tool
spec:
  securityContext:
    runAsNonRoot: true
  containers:
  - name: tool
    ^ readOnlyRootFilesystem not true
    image: tool:1.0.0
    securityContext:
      allowPrivilegeEscalation: false
"#
        ),
        case!(
            "k8s/hardened.yaml",
            r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      securityContext:
        runAsUser: 1000
      containers:
      - name: api
        image: api:2.0.0
        securityContext:
          allowPrivilegeEscalation: false
          privileged: false
          readOnlyRootFilesystem: true
          capabilities:
            drop: ["ALL"]
"#
        ),
    ],
};

pub static IMAGE_TAG: RuleMeta = RuleMeta {
    id: "kubernetes-image-unpinned",
    category: "K8S-IMAGE-TAG",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["yaml"],
    summary: "Container image untagged, :latest or a floating tag",
    docs: Docs {
        what: "A container image with no tag (including bare build-artifact names such as `image: frontend` that \
skaffold or kustomize rewrite at deploy time: applied as written they pull `:latest`), the `:latest` tag, or a \
floating channel tag (`redis:alpine`, `:stable`, `:lts`). A digest pins the image, and so does a \
`kustomization.yaml` in the same folder that rewrites the image to a versioned `newTag` or a `digest`. Images built from expressions \
(`$VAR`, Helm values that cannot be resolved) are not judged. One finding per container, at its `image:` line.",
        scenario: "A node pulls the image again (a new node, an eviction, `imagePullPolicy: Always`) after the tag \
moved.",
        impact: "Pods of one Deployment run different code; a rollback to the \"same\" manifest does not restore \
the old image; an upstream release or a hijacked tag reaches production without review.",
        detection: "Pods of one ReplicaSet report different image IDs (`kubectl get pods -o \
jsonpath='{..imageID}'`).",
        mitigation: "Deploy immutable references: a version tag plus digest, written by the release pipeline \
(kustomize `images:`, skaffold, Helm values).",
        fixes: &[(K8S_FIX, "image: redis:7.2.5-alpine@sha256:<digest>")],
        monitoring: "Alert when running image IDs of one workload differ, or when a pod runs an image not \
produced by the release pipeline.",
    },
    outside_production: Handling::Lower,
    cases: &[
        case!(
            "k8s/cart.yaml",
            r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
spec:
  template:
    spec:
      containers:
      - name: server
        image: cartservice
        ^ `cartservice` has no tag
      - name: redis
        image: redis:alpine
        ^ floating tag `alpine`
      - name: pinned
        image: busybox:1.36.1@sha256:0000000000000000000000000000000000000000000000000000000000000000
"#
        ),
        case!(
            "k8s/ok.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: ghcr.io/acme/api:v1.4.2\n  - name: b\n    image: $IMAGE\n"
        ),
        Case {
            files: &[
                (
                    "base/api.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: api\n",
                ),
                (
                    "base/kustomization.yaml",
                    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- api.yaml\nimages:\n- name: api\n  newName: ghcr.io/acme/api\n  newTag: 2.3.1\n",
                ),
            ],
        },
    ],
};

pub static REPLICAS: RuleMeta = RuleMeta {
    id: "kubernetes-single-replica",
    category: "K8S-REPLICAS",
    severity: Severity::P2,
    confidence: Confidence::High,
    preview: false,
    languages: &["yaml"],
    summary: "Single replica and no PodDisruptionBudget or autoscaler",
    docs: Docs {
        what: "A Deployment, StatefulSet, ReplicaSet or Rollout whose `replicas` is unset (1) or 1, with no \
HorizontalPodAutoscaler (or KEDA ScaledObject) targeting it and no PodDisruptionBudget selecting its pods anywhere \
in the repository. Jobs, CronJobs and DaemonSets are not asked; `replicas: 0` is taken as intentional. Points at \
`replicas:` or, when unset, at the `kind:` line.",
        scenario: "A node drain (cluster upgrade, autoscaler scale-down), an eviction or a crash of the only pod.",
        impact: "The workload is down until a replacement is scheduled and ready: every voluntary disruption \
becomes an outage of this service and of everything that depends on it.",
        detection: "Availability drops to zero during node maintenance; `kubectl get deploy` shows 0/1 ready.",
        mitigation: "Run at least two replicas spread across nodes/zones, and add a PodDisruptionBudget (or an \
HPA with minReplicas >= 2).",
        fixes: &[(
            K8S_FIX,
            "spec:\n  replicas: 2\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: web }\nspec:\n  minAvailable: 1\n  selector: { matchLabels: { app: web } }",
        )],
        monitoring: "Alert when available replicas of a service drop to zero, and on PDB-blocked drains.",
    },
    outside_production: Handling::Lower,
    cases: &[
        case!(
            "k8s/web.yaml",
            r#"apiVersion: apps/v1
kind: Deployment
^ replicas unset
metadata:
  name: web
spec:
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: web
        image: web:1.0.0
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  replicas: 1
  ^ replicas: 1
  template:
    metadata:
      labels: { app: db }
    spec:
      containers:
      - name: db
        image: postgres:16.3
"#
        ),
        Case {
            files: &[
                (
                    "k8s/api.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n      - name: api\n        image: api:1.0.0\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: scaled\nspec:\n  template:\n    metadata:\n      labels: { app: scaled }\n    spec:\n      containers:\n      - name: s\n        image: s:1.0.0\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: three\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: t\n        image: t:1.0.0\n",
                ),
                (
                    "k8s/policy.yaml",
                    "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: api\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: api\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: scaled\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: scaled\n  minReplicas: 2\n  maxReplicas: 5\n",
                ),
            ],
        },
    ],
};

pub static GRACE: RuleMeta = RuleMeta {
    id: "kubernetes-no-prestop-short-grace",
    category: "K8S-GRACE",
    severity: Severity::P3,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["yaml"],
    summary: "Serving pod with no preStop hook and a default or short grace period",
    docs: Docs {
        what: "A long-running workload that serves traffic (a container declares ports or a Service selects it) \
with no `preStop` hook on any container and `terminationGracePeriodSeconds` unset (30 s) or at most 30 s. When the \
component's code is known not to handle SIGTERM, `kubernetes-sigterm-unaware-without-prestop` reports it instead; when \
its code sleeps before draining on SIGTERM (Go `time.Sleep` then `srv.Shutdown`), the process waits for the endpoint \
removal itself and nothing is reported. Points at \
`terminationGracePeriodSeconds:` or, when unset, at the `kind:` line.",
        scenario: "A rolling update, scale-in or node drain terminates a pod.",
        impact: "SIGTERM and the removal from Service endpoints race: kube-proxy, ingress controllers and meshes \
keep sending new requests for a few seconds after the process began to exit, and those requests fail. A short \
grace period also cuts long requests mid-way.",
        detection: "502/503 or connection-reset bursts at every rollout.",
        mitigation: "Add a `preStop` hook that sleeps a few seconds (endpoint propagation), handle SIGTERM by \
draining, and keep the grace period longer than the sleep plus the longest request.",
        fixes: &[(
            K8S_FIX,
            "spec:\n  terminationGracePeriodSeconds: 40\n  containers:\n  - name: web\n    lifecycle:\n      preStop:\n        exec: { command: [\"sleep\", \"10\"] }  # or sleep: { seconds: 10 } (1.30+)",
        )],
        monitoring: "Alert on error-rate spikes that coincide with rollouts.",
    },
    outside_production: Handling::Lower,
    cases: &[
        case!(
            "k8s/web.yaml",
            r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    spec:
      terminationGracePeriodSeconds: 5
      ^ terminationGracePeriodSeconds: 5 and no preStop
      containers:
      - name: web
        image: web:1.0.0
        ports:
        - containerPort: 8080
"#
        ),
        case!(
            "k8s/ok.yaml",
            r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: web
        image: web:1.0.0
        ports:
        - containerPort: 8080
        lifecycle:
          preStop:
            exec:
              command: ["sleep", "10"]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: worker
        image: worker:1.0.0
"#
        ),
        // The Go service marks itself unready, sleeps, then drains: it waits for the
        // endpoint removal itself, as a preStop sleep would.
        Case {
            files: &[
                (
                    "k8s/api.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: api\n        image: api\n        ports:\n        - containerPort: 8080\n",
                ),
                (
                    "api/Dockerfile",
                    "FROM golang:1.22.5 AS build\nCOPY . /src\nRUN go build -o /api ./\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /api /api\nUSER 65532\nENTRYPOINT [\"/api\"]\n",
                ),
                (
                    "api/main.go",
                    "package main\n\nimport (\n\t\"context\"\n\t\"net/http\"\n\t\"os\"\n\t\"os/signal\"\n\t\"syscall\"\n\t\"time\"\n)\n\nfunc main() {\n\tsrv := &http.Server{Addr: \":8080\", ReadHeaderTimeout: 5 * time.Second}\n\tgo srv.ListenAndServe()\n\tc := make(chan os.Signal, 1)\n\tsignal.Notify(c, syscall.SIGTERM)\n\t<-c\n\ttime.Sleep(5 * time.Second)\n\tctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)\n\tdefer cancel()\n\tsrv.Shutdown(ctx)\n}\n",
                ),
            ],
        },
    ],
};

pub fn rules() -> Vec<&'static RuleMeta> {
    vec![
        &PROBES, &RESOURCES, &SECURITY, &IMAGE_TAG, &REPLICAS, &GRACE,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifests::yaml;

    #[test]
    fn objects_and_containers() {
        let docs = yaml::load(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p, labels: {app: x}}\n  spec:\n    containers:\n    - image: a:1\n      name: c\n",
        )
        .unwrap();
        let objs = objects(&docs);
        assert_eq!(objs.len(), 1);
        let cs = objs[0].containers();
        assert_eq!(cs[0].name, "c");
        assert_eq!(cs[0].line, 10);
        let sel = yaml::load("matchLabels: {app: x}").unwrap();
        assert!(selects(&sel[0], &objs[0].pod_labels()));
    }
}
