//! Component facts: yes/no questions about a deployable unit (HEALTH, SHUTDOWN, METRICS,
//! ...), each answered from the signals its files emitted, with evidence. Facts that do
//! not apply to a component's kind (a library needs no health endpoint) are `null` with
//! the reason. Checks turn `false` facts into findings; scoring never looks at signals.

use std::collections::BTreeMap;

use pagerproof_core::{Evidence, Fact};

use crate::aggregate::Inputs;
use crate::components::ComponentInfo;
use crate::signals::SignalKind;

/// Evidence of one signal kind in a component's production files.
pub fn evidence_of(inputs: &Inputs<'_>, comp: &ComponentInfo, kind: SignalKind) -> Vec<Evidence> {
    let mut ev: Vec<Evidence> = inputs
        .files_of(&comp.path)
        .filter(|r| r.role == Some(crate::files::Role::Production))
        .flat_map(|r| {
            r.signals
                .iter()
                .filter(move |s| s.kind == kind)
                .map(move |s| Evidence {
                    path: r.path.clone(),
                    line: Some(s.line),
                    note: s.detail.clone(),
                })
        })
        .collect();
    ev.sort();
    ev.dedup();
    ev.truncate(8);
    ev
}

/// Answers every component category for one component.
pub fn compute(comp: &ComponentInfo, inputs: &Inputs<'_>) -> BTreeMap<String, Fact> {
    let mut out = BTreeMap::new();
    let service = comp.kind == "service";
    let runs = matches!(comp.kind.as_str(), "service" | "job");
    let ask = |kind: SignalKind, applies: bool, why_not: &str, missing: &str| -> Fact {
        if !applies {
            return Fact::not_applicable(why_not);
        }
        let ev = evidence_of(inputs, comp, kind);
        if ev.is_empty() {
            Fact::no(missing)
        } else {
            Fact::yes(ev)
        }
    };
    let not_service = format!(
        "{} is a {} ({}), not a service",
        comp.name, comp.kind, comp.kind_reason
    );
    let not_running = format!(
        "{} is a {}: nothing runs long enough to observe",
        comp.name, comp.kind
    );

    out.insert(
        "HEALTH".to_string(),
        ask(
            SignalKind::Health,
            service,
            &not_service,
            "no health or readiness endpoint found",
        ),
    );
    let shutdown = if !runs {
        Fact::not_applicable(&not_running)
    } else {
        let mut ev = evidence_of(inputs, comp, SignalKind::FrameworkShutdown);
        let handler = evidence_of(inputs, comp, SignalKind::SignalHandler);
        let drain = evidence_of(inputs, comp, SignalKind::Drain);
        if !handler.is_empty() && !drain.is_empty() {
            ev.extend(handler);
            ev.extend(drain);
        }
        if ev.is_empty() {
            let why = match (
                evidence_of(inputs, comp, SignalKind::SignalHandler).is_empty(),
                evidence_of(inputs, comp, SignalKind::Drain).is_empty(),
            ) {
                (true, true) => "no SIGTERM handling and no server drain",
                (false, true) => "SIGTERM is handled but in-flight work is not drained",
                (true, false) => "a drain exists but nothing triggers it on SIGTERM",
                (false, false) => "no graceful shutdown",
            };
            Fact::no(why)
        } else {
            Fact::yes(ev)
        }
    };
    out.insert("SHUTDOWN".to_string(), shutdown);
    out.insert(
        "METRICS".to_string(),
        ask(
            SignalKind::Metrics,
            runs,
            &not_running,
            "no metrics instrumentation found",
        ),
    );
    out.insert(
        "TRACING".to_string(),
        ask(
            SignalKind::Tracing,
            service,
            &not_service,
            "no distributed tracing found",
        ),
    );
    out.insert(
        "STRUCTURED-LOGS".to_string(),
        ask(
            SignalKind::StructuredLogs,
            runs,
            &not_running,
            "no structured (JSON / key-value) logging found",
        ),
    );
    for (category, fact) in resilience_and_audit(comp, inputs) {
        out.insert(category, fact);
    }
    out.insert(
        "REQUEST-ID".to_string(),
        ask(
            SignalKind::RequestId,
            service,
            &not_service,
            "no request or correlation id found",
        ),
    );
    out
}

/// RESILIENCE and AUDIT-LOG. RESILIENCE applies to running components (services, jobs)
/// that call other services (`Outbound` signals); AUDIT-LOG to running components with
/// sensitive entry points (`SensitiveAction`: authentication, payments, administration,
/// account deletion).
pub fn resilience_and_audit(comp: &ComponentInfo, inputs: &Inputs<'_>) -> [(String, Fact); 2] {
    // Components whose kind could not be told from their code (an image whose entry point
    // is not recognised) still run the code they contain.
    let runs = !matches!(comp.kind.as_str(), "library" | "cli");
    let not_running = format!(
        "{} is a {} ({}): it runs no long-lived calls to protect",
        comp.name, comp.kind, comp.kind_reason
    );
    // The example named in the reason: prefer a file outside dot-folders (`.semgrep/`).
    let first = |ev: &[Evidence]| {
        ev.iter()
            .find(|e| !e.path.split('/').any(|s| s.starts_with('.') && s.len() > 1))
            .or_else(|| ev.first())
            .map(|e| format!("{}:{} ({})", e.path, e.line.unwrap_or(0), e.note))
            .unwrap_or_default()
    };
    let resilience = if !runs {
        Fact::not_applicable(&not_running)
    } else {
        let outbound = evidence_outside_dot_folders(inputs, comp, SignalKind::Outbound);
        if outbound.is_empty() {
            Fact::not_applicable("no outbound calls to other services found")
        } else {
            let ev = evidence_of(inputs, comp, SignalKind::Resilience);
            if ev.is_empty() {
                Fact::no(format!(
                    "calls other services (e.g. {}) with no circuit breaker, bulkhead or fallback library",
                    first(&outbound)
                ))
            } else {
                Fact::yes(ev)
            }
        }
    };
    let audit = if !runs {
        Fact::not_applicable(&not_running)
    } else {
        let sensitive = evidence_outside_dot_folders(inputs, comp, SignalKind::SensitiveAction);
        if sensitive.is_empty() {
            Fact::not_applicable(
                "no sensitive actions (authentication, payments, administration, account deletion) found",
            )
        } else {
            let ev = evidence_of(inputs, comp, SignalKind::AuditLog);
            if ev.is_empty() {
                Fact::no(format!(
                    "has sensitive actions (e.g. {}) and writes no audit trail",
                    first(&sensitive)
                ))
            } else {
                Fact::yes(ev)
            }
        }
    };
    [
        ("RESILIENCE".to_string(), resilience),
        ("AUDIT-LOG".to_string(), audit),
    ]
}

/// Like [`evidence_of`], leaving out files in dot-folders (`.semgrep/`, `.github/`), which
/// hold tool fixtures and scripts rather than the component's own code.
fn evidence_outside_dot_folders(
    inputs: &Inputs<'_>,
    comp: &ComponentInfo,
    kind: SignalKind,
) -> Vec<Evidence> {
    let mut ev: Vec<Evidence> = inputs
        .files_of(&comp.path)
        .filter(|r| r.role == Some(crate::files::Role::Production))
        .filter(|r| !r.path.split('/').any(|s| s.starts_with('.') && s.len() > 1))
        .flat_map(|r| {
            r.signals
                .iter()
                .filter(move |s| s.kind == kind)
                .map(move |s| Evidence {
                    path: r.path.clone(),
                    line: Some(s.line),
                    note: s.detail.clone(),
                })
        })
        .collect();
    ev.sort();
    ev.dedup();
    ev.truncate(8);
    ev
}
