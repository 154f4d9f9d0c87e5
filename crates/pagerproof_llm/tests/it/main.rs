//! Integration tests of the language-model client: fault handling against a mock
//! server, and the seed prompts. One binary, a module per area.

mod faults;
mod seeds;
