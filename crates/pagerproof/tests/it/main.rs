//! End-to-end tests of the `pagerproof` command. One test binary with a module per
//! area, so the workspace links it once instead of once per file.

mod alerts_promtool;
mod ci;
mod cli;
mod common;
mod html_chromium;
mod llm;
mod safety;
mod scaffold;
mod secrets;
