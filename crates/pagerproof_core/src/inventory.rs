//! The service inventory: what the review saw each component expose, read, call and how
//! it is deployed, each item with the places it was seen. It is the raw material of the
//! documents `pagerproof scaffold` writes (runbooks, alert rules, SLOs, dashboards, ADRs),
//! and a map of the system for anyone reading the JSON report (`inventory`).
//!
//! Nothing here is a judgement: findings say what is missing, the inventory says what is
//! there. Every item carries evidence (`path:line`); an empty list means "not seen", never
//! "absent for sure". Lists are sorted and capped so the report stays small and stable.

use serde::{Deserialize, Serialize};

use crate::model::Evidence;

/// The whole inventory: one entry per component, plus what belongs to the repository.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    pub components: Vec<ComponentInventory>,
    /// CODEOWNERS rules in file order (later rules win, as in GitHub and GitLab).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<OwnerRule>,
    /// Deployment tooling found at repository level (skaffold.yaml, Helm charts,
    /// kustomizations, compose files, Terraform), one entry per file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deploy_files: Vec<Item>,
    /// Whether a service mesh's manifests were found (e.g. `istio`): it provides request
    /// metrics without application code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mesh: Vec<Item>,
    /// Operational documents already in the repository (runbooks, ADRs, SLOs, alert rules,
    /// dashboards), by what they are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Item>,
}

impl Inventory {
    /// The inventory of the component at `path`.
    pub fn component(&self, path: &str) -> Option<&ComponentInventory> {
        self.components.iter().find(|c| c.component == path)
    }
}

/// One named thing and where it was seen (`PORT` read at `main.go:12` and set at
/// `k8s/app.yaml:30`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Item {
    pub name: String,
    pub evidence: Vec<Evidence>,
}

/// A CODEOWNERS line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerRule {
    pub pattern: String,
    pub owners: Vec<String>,
    pub at: Evidence,
}

/// What one component exposes, reads, calls, and how it is deployed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ComponentInventory {
    /// The component's path (as in `components[].path`).
    pub component: String,
    pub name: String,
    /// HTTP routes: `METHOD /path` (`*` when the method is not fixed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<Item>,
    /// gRPC services registered on a server (`CartService`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grpc_services: Vec<Item>,
    /// Health and readiness endpoints or services.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub health: Vec<Item>,
    /// Listening ports (code, Dockerfile `EXPOSE`, container ports).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<Item>,
    /// Environment variables read by the code or set by its deployment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env_vars: Vec<Item>,
    /// Outbound dependencies: `kind target` (`grpc PRODUCT_CATALOG_SERVICE_ADDR`,
    /// `postgres`, `http api.stripe.com`, `redis redis-cart:6379`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outbound: Vec<Item>,
    /// Feature flags and kill switches (flag SDK calls, `ENABLE_*`/`DISABLE_*` variables).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub feature_flags: Vec<Item>,
    /// Metrics the code defines: `name type library [labels]`
    /// (`orders_total counter prometheus code,method`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<Item>,
    /// Metrics and tracing instrumentation libraries seen (`prometheus`, `opentelemetry`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instrumentation: Vec<Item>,
    /// Entry points (`func main`, `if __name__ == "__main__"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entry_points: Vec<Item>,
    /// Workloads that run this component (Kubernetes, compose, Helm values).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workloads: Vec<Workload>,
    /// Owners from CODEOWNERS (the last matching rule for the component's folder).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
}

impl ComponentInventory {
    /// Whether anything says this component serves requests (routes, gRPC services,
    /// health endpoints).
    pub fn serves(&self) -> bool {
        !self.routes.is_empty() || !self.grpc_services.is_empty() || !self.health.is_empty()
    }
}

/// A workload that runs a component: a Kubernetes Deployment/StatefulSet/DaemonSet/Job/
/// CronJob, or a compose service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workload {
    /// `kubernetes` or `compose`.
    pub platform: String,
    /// `Deployment`, `StatefulSet`, ..., or `service` for compose.
    pub kind: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub at: Evidence,
    /// Why this workload was linked to the component, in a few words.
    pub linked_by: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<String>,
    /// Container names (Kubernetes), for per-container metrics.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<String>,
    /// Rollout strategy (`RollingUpdate`, `Recreate`, compose `update_config`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<Probe>,
    /// `memory` / `cpu` limits and requests as written (`limits.memory=128Mi`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Item>,
    /// Container ports as written, where they are declared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<Item>,
    /// Environment variables set on the containers; secret values are never copied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period: Option<String>,
    /// `schedule` of a CronJob.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    /// Kubernetes Services selecting this workload, and HorizontalPodAutoscalers or
    /// PodDisruptionBudgets targeting it (`Service/frontend`, `HPA/frontend`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Item>,
}

/// A liveness/readiness/startup probe (or a compose healthcheck).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probe {
    /// `liveness`, `readiness`, `startup`, or `healthcheck`.
    pub kind: String,
    /// How it checks: `httpGet /_healthz :8080`, `grpc :7070`, `exec ...`, `tcpSocket :6379`.
    pub check: String,
    pub at: Evidence,
}

/// An environment variable a workload sets. `value` is `None` for secrets and references
/// (`source` then says where it comes from).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvSetting {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `literal`, `secret NAME`, `configmap NAME`, `field PATH`, `hidden` (a value that
    /// looks like a credential, never copied).
    pub source: String,
    pub at: Evidence,
}
