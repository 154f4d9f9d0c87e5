//! AUDIT-LOG evidence and applicability.
//!
//! `AuditLog`: an audit trail is written — an audit library (django-auditlog,
//! django-simple-history, django-reversion, Hibernate Envers, Spring Boot `AuditEvent`),
//! an audit logger (`getLogger("audit")`), or a call, class or annotation whose name says
//! audit (`audit_log.info(...)`, `AuditLog.objects.create(...)`, `auditService.record(...)`,
//! `@Audited`).
//!
//! `SensitiveAction`: an entry point (route or RPC, see `rules/reach.rs`) that
//! authenticates (`login`, `logout`, `signin`, `signup`, `password`, `mfa`, `otp`,
//! `impersonate`), moves money (the payment names of `payment-handler-without-
//! idempotency-key`), administers (`/admin` routes; `role`, `permission`, `grant`,
//! `revoke`, `ban`, `suspend` in its name) or deletes accounts, users, customers,
//! members, organisations or tenants.

use tree_sitter::Node;

use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants};
use crate::rule::{Cx, Extractor};
use crate::rules::idempotency::payment_handler::is_payment_name;
use crate::rules::reach;
use crate::rules::webhook::name_words;
use crate::signals::SignalKind;

pub struct Audit;
pub static AUDIT: Audit = Audit;

const AUDIT_MODULES: &[&str] = &[
    "auditlog",
    "simple_history",
    "reversion",
    "org.hibernate.envers",
    "org.springframework.boot.actuate.audit",
    "org.javers",
    "sequelize-paper-trail",
    "mongoose-audit",
];

impl Extractor for Audit {
    fn outside_production(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "audit"
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        reach::root_kinds(f)
    }

    fn visit(&self, root: Node<'_>, cx: &mut Cx<'_>) {
        if let Some((n, detail)) = audit_evidence(root, cx) {
            cx.signal(SignalKind::AuditLog, n, detail);
        }
        let sensitive: Vec<(Node<'_>, String)> = {
            let rp = cx.request_paths();
            rp.entries
                .iter()
                .filter_map(|e| sensitive_reason(e, cx).map(|why| (e.func, why)))
                .collect()
        };
        for (n, why) in sensitive.into_iter().take(8) {
            cx.signal(SignalKind::SensitiveAction, n, why);
        }
    }
}

fn audit_evidence<'t>(root: Node<'t>, cx: &Cx<'t>) -> Option<(Node<'t>, String)> {
    if !cx.src.to_ascii_lowercase().contains("audit") && !cx.src.contains("HistoricalRecords") {
        return None;
    }
    if let Some(m) = AUDIT_MODULES.iter().find(|m| cx.imports().has_module(m)) {
        let at = descendants(root)
            .find(|n| {
                n.kind_name().contains("import")
                    && cx.text(*n).contains(m.rsplit('.').next().unwrap_or(m))
            })
            .unwrap_or(root);
        return Some((at, format!("audit library: {m}")));
    }
    for n in descendants(root) {
        let name = match n.kind_name() {
            k if syntax::call_kinds(cx.family()).contains(&k) => syntax::callee_text(n, cx.src),
            "class_definition" | "class_declaration" | "type_spec" => n
                .field("name")
                .map(|x| cx.text(x).to_string())
                .unwrap_or_default(),
            "marker_annotation" | "annotation" | "decorator" => cx.text(n).to_string(),
            "string" | "interpreted_string_literal" | "string_literal" => {
                // getLogger("audit"), logger named "audit"
                let parent_call = n.parent().and_then(|a| a.parent());
                let is_logger = parent_call.is_some_and(|c| {
                    let callee = syntax::callee_text(c, cx.src).to_ascii_lowercase();
                    callee.contains("logger") || callee.contains("named")
                });
                if !is_logger {
                    continue;
                }
                cx.text(n).to_string()
            }
            _ => continue,
        };
        let lower = name.to_ascii_lowercase();
        if lower.contains("audit") && !lower.contains("auditor")
            || name.contains("HistoricalRecords")
            || lower == "@audited"
        {
            return Some((
                n,
                format!("audit trail: {}", name.chars().take(60).collect::<String>()),
            ));
        }
    }
    None
}

const AUTH_WORDS: &[&str] = &[
    "login",
    "logout",
    "signin",
    "signout",
    "signup",
    "password",
    "passwd",
    "mfa",
    "otp",
    "impersonate",
    "2fa",
];
const ADMIN_WORDS: &[&str] = &[
    "admin",
    "role",
    "roles",
    "permission",
    "permissions",
    "grant",
    "revoke",
    "ban",
    "suspend",
];
const OWNERS: &[&str] = &[
    "account",
    "user",
    "customer",
    "member",
    "organization",
    "organisation",
    "org",
    "tenant",
];

fn sensitive_reason(e: &reach::Entry<'_>, cx: &Cx<'_>) -> Option<String> {
    let words = name_words(&e.name);
    let route = e.route.clone().unwrap_or_default().to_ascii_lowercase();
    let route_words: Vec<&str> = route
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |set: &[&str]| {
        words.iter().any(|w| set.contains(&w.as_str()))
            || route_words.iter().any(|w| set.contains(w))
    };
    let label = if e.name.is_empty() {
        e.route.clone().unwrap_or_else(|| "handler".into())
    } else {
        e.name.clone()
    };
    if has(AUTH_WORDS) {
        return Some(format!("authentication: {label}"));
    }
    if !e.name.is_empty() && is_payment_name(&e.name) {
        return Some(format!("payment: {label}"));
    }
    if route.starts_with("/admin")
        || route.contains("/admin/")
        || words.iter().any(|w| ADMIN_WORDS.contains(&w.as_str()))
    {
        return Some(format!("administration: {label}"));
    }
    let deletes = reach::http_method(e, cx).as_deref() == Some("DELETE")
        || words.first().is_some_and(|w| {
            matches!(
                w.as_str(),
                "delete" | "remove" | "destroy" | "purge" | "erase"
            )
        });
    if deletes && has(OWNERS) {
        return Some(format!("deletion: {label}"));
    }
    None
}
