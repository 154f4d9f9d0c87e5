//! The hook every human renderer uses to print the language-model narrative (`--llm`)
//! beside the findings. The narrative's shape is defined by `pagerproof_llm` (see its
//! crate documentation); renderers need only its `markdown` field, a complete Markdown
//! section (title, provenance line, the text with unverified claims marked, the list of
//! unverified claims and of tool calls). Include it verbatim in Markdown-based formats;
//! HTML renders or escapes it; JSON already carries the whole object in `narrative`.

use crate::model::Report;

/// The narrative section as Markdown, when the report has one.
pub fn markdown(report: &Report) -> Option<&str> {
    report
        .narrative
        .as_ref()?
        .get("markdown")?
        .as_str()
        .filter(|s| !s.trim().is_empty())
}
