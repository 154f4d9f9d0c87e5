//! `--format json`: the report contract (`spec/report-contract.md`), pretty-printed.

use pagerproof_core::Report;

pub fn render(report: &Report) -> String {
    let mut s =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
