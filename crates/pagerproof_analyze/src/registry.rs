//! The registry: every rule and extractor, listed explicitly. A test checks that every
//! rule here has complete docs and positive and negative fixtures for each language it
//! covers, and that ids are unique. Adding a rule is its file plus one line here.

use crate::extract;
use crate::rule::{CodeRule, Extractor, RuleMeta};
use crate::rules::{
    cancel, component, config, cost, debug, force_kill, idempotency, jobs, log_context,
    log_sensitive, migration, ml, retry, secret, startup_blocking, swallow, timeout, tls_off,
    unbounded, webhook,
};

/// Code rules (tree-sitter visitors).
pub fn code_rules() -> Vec<&'static dyn CodeRule> {
    vec![
        &timeout::http_client::RULE,
        &timeout::http_server::RULE,
        &timeout::grpc::CALL_RULE,
        &timeout::grpc::CHANNEL_RULE,
        &timeout::llm_client::RULE,
        &timeout::db_client::RULE,
        &swallow::handler::RULE,
        &swallow::discard::RULE,
        &swallow::empty_result::RULE,
        &secret::RULE,
        &tls_off::RULE,
        &debug::MODE_RULE,
        &debug::EXPOSED_RULE,
        &unbounded::collection::RULE,
        &unbounded::function_cache::RULE,
        &unbounded::queue::RULE,
        &unbounded::body_read::RULE,
        &migration::drop::RULE,
        &migration::rename::RULE,
        &migration::type_change::RULE,
        &migration::not_null::RULE,
        &migration::no_down::RULE,
        &migration::backfill::RULE,
        &webhook::unverified::RULE,
        &webhook::timing::RULE,
        &idempotency::payment_call::RULE,
        &idempotency::payment_handler::RULE,
        &idempotency::webhook_dedup::RULE,
        &jobs::retry_cap::RULE,
        &jobs::ack_first::RULE,
        &jobs::scheduler::RULE,
        &cost::llm_tokens::RULE,
        &cost::fan_out::RULE,
        &cost::nested_retry::RULE,
        &cost::debug_format::RULE,
        &timeout::inference_client::RULE,
        &timeout::socket_client::RULE,
        &ml::per_request::RULE,
        &ml::hub_revision::RULE,
        &ml::input_limits::RULE,
        &retry::limit::RULE,
        &retry::backoff::RULE,
        &retry::non_idempotent::RULE,
        &cancel::swallowed::RULE,
        &cancel::interrupt::RULE,
        &cancel::goroutine::RULE,
        &config::hardcoded_host::RULE,
        &config::silent_default::RULE,
        &startup_blocking::RULE,
        &log_context::print_logging::RULE,
        &log_context::error_dropped::RULE,
        &log_sensitive::secret::RULE,
        &log_sensitive::personal::RULE,
        &log_sensitive::request::RULE,
        &force_kill::exit_in_handler::RULE,
        &force_kill::sigkill::RULE,
    ]
}

/// Fact extractors (signals only).
pub fn extractors() -> Vec<&'static dyn Extractor> {
    vec![
        &extract::entry::ENTRY,
        &extract::go_ctx::GO_CTX,
        &extract::service::SERVICE,
        &extract::resilience::RESILIENCE,
        &extract::outbound::OUTBOUND,
        &extract::audit::AUDIT,
        &extract::http::HTTP,
        &extract::grpc::GRPC,
        &extract::shutdown::SHUTDOWN,
        &extract::libraries::LIBRARIES,
        &extract::env::ENV,
        &extract::workload::WORKLOAD,
        &extract::ml::ML,
    ]
}

/// Rules that are not code visitors: component, manifest and repository checks.
pub fn other_rules() -> Vec<&'static RuleMeta> {
    let mut v: Vec<&'static RuleMeta> = component::ALL.to_vec();
    v.push(&jobs::cronjob::META);
    v.extend(crate::manifests::rules());
    v.extend(crate::repo::rules());
    v
}

/// Every rule's metadata, sorted by category then id.
pub fn all_rules() -> &'static [&'static RuleMeta] {
    static ALL: std::sync::OnceLock<Vec<&'static RuleMeta>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<&'static RuleMeta> = code_rules().iter().map(|r| r.meta()).collect();
        v.extend(other_rules());
        v.sort_by(|a, b| (a.category, a.id).cmp(&(b.category, b.id)));
        v
    })
}

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static RuleMeta> {
    all_rules().iter().copied().find(|m| m.id == id)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::testing;

    #[test]
    fn ids_are_unique_and_categories_known() {
        let mut seen = BTreeSet::new();
        for m in all_rules() {
            assert!(seen.insert(m.id), "duplicate rule id {}", m.id);
            assert!(
                m.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "id {} is not kebab-case",
                m.id
            );
            assert!(
                pagerproof_core::taxonomy::category(m.category).is_some(),
                "rule {} has category {} not in taxonomy.md",
                m.id,
                m.category
            );
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for m in all_rules() {
            let d = &m.docs;
            for (name, text) in [
                ("what", d.what),
                ("scenario", d.scenario),
                ("impact", d.impact),
                ("detection", d.detection),
                ("mitigation", d.mitigation),
                ("monitoring", d.monitoring),
                ("summary", m.summary),
            ] {
                assert!(
                    text.trim().len() >= 10,
                    "rule {} has no `{name}` documentation",
                    m.id
                );
            }
            assert!(!d.fixes.is_empty(), "rule {} has no fix example", m.id);
        }
    }

    /// Every fixture of every rule: expected findings at their line, column and message,
    /// nothing else of the rule.
    #[test]
    fn every_fixture_passes() {
        let mut failures = Vec::new();
        for m in all_rules() {
            for (i, case) in m.cases.iter().enumerate() {
                if let Err(e) = testing::check_case(m, case) {
                    failures.push(format!("{} case {} ({}):\n{e}", m.id, i, case.files[0].0));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }

    /// A positive and a negative case in every language a rule covers.
    #[test]
    fn every_rule_has_positive_and_negative_cases_per_language() {
        let mut missing = Vec::new();
        for m in all_rules() {
            // A component rule whose cases are still to come (RESILIENCE, AUDIT-LOG: another
            // branch adds them); every other rule must have its cases.
            if pagerproof_core::taxonomy::category(m.category)
                .is_some_and(|c| c.scope == pagerproof_core::taxonomy::Scope::Component)
                && m.cases.is_empty()
            {
                continue;
            }
            let mut by_lang: BTreeMap<String, (bool, bool)> = BTreeMap::new();
            for c in m.cases {
                let e = by_lang.entry(testing::case_language(c)).or_default();
                if testing::is_positive(c) {
                    e.0 = true
                } else {
                    e.1 = true
                }
            }
            for lang in m.languages {
                // TypeScript shares the JavaScript detectors: one of the two suffices.
                let get = |l: &str| by_lang.get(l).copied().unwrap_or_default();
                let (pos, neg) = match *lang {
                    "javascript" | "typescript" => {
                        let (a, b) = (get("javascript"), get("typescript"));
                        (a.0 || b.0, a.1 || b.1)
                    }
                    l => get(l),
                };
                if !pos {
                    missing.push(format!("{}: no positive case in {lang}", m.id));
                }
                if !neg {
                    missing.push(format!("{}: no negative case in {lang}", m.id));
                }
            }
        }
        assert!(missing.is_empty(), "{}", missing.join("\n"));
    }
}
