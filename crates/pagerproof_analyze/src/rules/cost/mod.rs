//! COST: cost that grows with traffic or input instead of staying bounded: language-model
//! calls without an output-token limit, outbound calls fanned out per request item,
//! retry layers that multiply, eager debug formatting on hot paths.

pub mod debug_format;
pub mod fan_out;
pub mod llm_tokens;
pub mod nested_retry;
