//! Renderers: one module per output format, each a pure function from a
//! [`pagerproof_core::Report`] to text. Nothing here reads files or the network.

pub mod json;
pub mod terminal;

use pagerproof_core::Report;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Terminal,
    Json,
}

impl Format {
    pub const NAMES: &'static [&'static str] = &["terminal", "json"];

    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "terminal" | "text" => Format::Terminal,
            "json" => Format::Json,
            _ => return None,
        })
    }
}

/// Rendering options that are not part of the report.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// ANSI colours (terminal only).
    pub color: bool,
    /// Show code excerpts under findings (terminal).
    pub excerpts: bool,
}

pub fn render(report: &Report, format: Format, opts: &Options) -> String {
    match format {
        Format::Terminal => terminal::render(report, opts),
        Format::Json => json::render(report),
    }
}
