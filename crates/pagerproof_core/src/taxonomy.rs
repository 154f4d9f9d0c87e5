//! The categories of `spec/taxonomy.md`, their kind, default severity, and the section of
//! the production-readiness review each one belongs to. One table: the scoring policy,
//! the `prr` renderer and the docs all read it.

use crate::model::Severity;

/// Where a category's findings point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A file and a line.
    CallSite,
    /// A deployable component (`line` null, `path` its root).
    Component,
    /// A file and the line of a workload, container or instruction.
    Manifest,
    /// The repository (`line` null).
    Repository,
}

pub struct CategoryInfo {
    pub name: &'static str,
    pub scope: Scope,
    pub default: Severity,
    /// The section (1–10) of `seeds/production-readiness-review.md`.
    pub section: u8,
    pub summary: &'static str,
}

const fn c(
    name: &'static str,
    scope: Scope,
    default: Severity,
    section: u8,
    summary: &'static str,
) -> CategoryInfo {
    CategoryInfo {
        name,
        scope,
        default,
        section,
        summary,
    }
}

use Scope::*;
use Severity::*;

/// Every category, in the taxonomy's order.
pub static CATEGORIES: &[CategoryInfo] = &[
    c(
        "TIMEOUT",
        CallSite,
        P1,
        4,
        "outbound call or server with no finite timeout",
    ),
    c(
        "RETRY",
        CallSite,
        P1,
        4,
        "retry with no cap, no backoff, or of an unsafe operation",
    ),
    c(
        "SWALLOW",
        CallSite,
        P2,
        4,
        "error dropped without log, re-raise or surfacing",
    ),
    c(
        "CANCEL",
        CallSite,
        P1,
        8,
        "cancellation or shutdown signal caught and not re-raised",
    ),
    c("SECRET", CallSite, P0, 2, "hardcoded credential"),
    c(
        "CONFIG",
        CallSite,
        P2,
        2,
        "hardcoded environment-specific configuration or silent defaults",
    ),
    c(
        "LOG-CONTEXT",
        CallSite,
        P3,
        3,
        "print debugging or error logs without context",
    ),
    c(
        "LOG-SENSITIVE",
        CallSite,
        P0,
        2,
        "secrets, tokens or personal data written to logs",
    ),
    c("UNBOUNDED", CallSite, P1, 8, "unbounded memory growth"),
    c(
        "DEBUG",
        CallSite,
        P1,
        2,
        "debug mode or debugging aid on in production",
    ),
    c(
        "TLS-OFF",
        CallSite,
        P0,
        9,
        "certificate verification disabled",
    ),
    c(
        "FORCE-KILL",
        CallSite,
        P2,
        8,
        "process or task killed instead of shut down",
    ),
    c(
        "MIGRATION",
        CallSite,
        P0,
        5,
        "destructive or irreversible schema migration",
    ),
    c(
        "WEBHOOK-SIG",
        CallSite,
        P0,
        9,
        "webhook receiver that does not verify a signature",
    ),
    c(
        "IDEMPOTENCY",
        CallSite,
        P1,
        6,
        "side-effecting handler with no idempotency key",
    ),
    c(
        "STARTUP-BLOCKING",
        CallSite,
        P2,
        1,
        "blocking network I/O at import/startup",
    ),
    c(
        "ML-MODEL-LOAD",
        CallSite,
        P1,
        1,
        "model loaded per request or pulled unpinned at run time",
    ),
    c(
        "ML-INPUT",
        CallSite,
        P1,
        9,
        "inference endpoint without input limits",
    ),
    c(
        "JOBS",
        CallSite,
        P1,
        7,
        "background job or consumer that is not restart-safe",
    ),
    c("COST", CallSite, P2, 4, "cost that explodes with traffic"),
    c(
        "HEALTH",
        Component,
        P1,
        1,
        "no health or readiness endpoint",
    ),
    c("SHUTDOWN", Component, P1, 8, "no graceful shutdown"),
    c("METRICS", Component, P2, 3, "no metrics instrumentation"),
    c("TRACING", Component, P2, 3, "no distributed tracing"),
    c("STRUCTURED-LOGS", Component, P2, 3, "no structured logging"),
    c(
        "REQUEST-ID",
        Component,
        P3,
        3,
        "no correlation / request id propagation",
    ),
    c(
        "RATE-LIMIT",
        Component,
        P2,
        9,
        "state-changing endpoints with no rate limiting",
    ),
    c(
        "AUTH",
        Component,
        P0,
        9,
        "state-changing endpoints with no authentication",
    ),
    c(
        "RESILIENCE",
        Component,
        P3,
        4,
        "no circuit breaker, bulkhead or fallback",
    ),
    c(
        "AUDIT-LOG",
        Component,
        P3,
        9,
        "sensitive actions with no audit trail",
    ),
    c(
        "K8S-PROBES",
        Manifest,
        P1,
        1,
        "container without readiness and/or liveness probe",
    ),
    c(
        "K8S-RESOURCES",
        Manifest,
        P1,
        8,
        "container without memory limit or requests",
    ),
    c(
        "K8S-REPLICAS",
        Manifest,
        P2,
        1,
        "single replica or no PodDisruptionBudget",
    ),
    c(
        "K8S-SECURITY",
        Manifest,
        P1,
        9,
        "privileged or weakly confined container",
    ),
    c(
        "K8S-IMAGE-TAG",
        Manifest,
        P2,
        1,
        "image untagged or :latest",
    ),
    c(
        "K8S-GRACE",
        Manifest,
        P3,
        8,
        "no preStop / grace period where shutdown needs it",
    ),
    c("DOCKER-USER", Manifest, P2, 9, "image runs as root"),
    c("DOCKER-TAG", Manifest, P2, 1, "FROM untagged or :latest"),
    c(
        "DOCKER-HEALTHCHECK",
        Manifest,
        P3,
        1,
        "no HEALTHCHECK where no probe covers it",
    ),
    c(
        "DOCKER-SECRETS",
        Manifest,
        P0,
        2,
        "secrets baked into the image",
    ),
    c(
        "DEPS-PINNING",
        Manifest,
        P2,
        1,
        "no lockfile or floating dependency versions",
    ),
    c("CI", Manifest, P2, 1, "no CI, or CI that runs no tests"),
    c(
        "GHA",
        Manifest,
        P2,
        9,
        "unpinned third-party actions or broad token permissions",
    ),
    c(
        "RUNBOOK",
        Repository,
        P2,
        10,
        "no runbook / operational playbook",
    ),
    c(
        "ROLLBACK",
        Repository,
        P2,
        10,
        "no documented rollback procedure",
    ),
    c(
        "ADR",
        Repository,
        P3,
        10,
        "no architecture decision records",
    ),
    c("OWNERS", Repository, P3, 10, "no CODEOWNERS / stated owner"),
    c("SLO", Repository, P2, 3, "no SLO / SLI definitions"),
    c("ALERTS", Repository, P2, 3, "no alert rules"),
    c("DASHBOARDS", Repository, P3, 3, "no dashboards"),
    c(
        "SECURITY-POLICY",
        Repository,
        P3,
        9,
        "no vulnerability reporting path",
    ),
    c(
        "README",
        Repository,
        P3,
        10,
        "no README with setup, run and deploy instructions",
    ),
    c(
        "FEATURE-FLAGS",
        Repository,
        P3,
        10,
        "no kill switch / feature flag mechanism",
    ),
];

/// The ten sections of the production-readiness review, numbered as the document does.
pub static SECTIONS: &[(u8, &str)] = &[
    (1, "Deployability & Startup Safety"),
    (2, "Configuration & Secrets"),
    (3, "Observability"),
    (4, "Failure Handling & Degradation"),
    (5, "Data Safety & Migration Readiness"),
    (6, "Idempotency & Side-Effect Control"),
    (7, "Background Jobs & Workflows"),
    (8, "Shutdown & Resource Safety"),
    (9, "Security & Abuse Readiness"),
    (10, "Operational Playbooks"),
];

pub fn category(name: &str) -> Option<&'static CategoryInfo> {
    CATEGORIES.iter().find(|c| c.name == name)
}

/// The component categories, in taxonomy order.
pub fn component_categories() -> impl Iterator<Item = &'static CategoryInfo> {
    CATEGORIES.iter().filter(|c| c.scope == Component)
}

pub fn repository_categories() -> impl Iterator<Item = &'static CategoryInfo> {
    CATEGORIES.iter().filter(|c| c.scope == Repository)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_a_real_section_and_unique_name() {
        let mut names: Vec<_> = CATEGORIES.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CATEGORIES.len());
        for c in CATEGORIES {
            assert!((1..=10).contains(&c.section), "{}", c.name);
        }
        assert_eq!(SECTIONS.len(), 10);
    }
}
