//! The YAML path: nesting gate, saphyr on a small stack, and the review of Kubernetes, compose and workflow files.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pagerproof_fuzz::yaml(data);
});
