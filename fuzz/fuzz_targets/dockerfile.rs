//! The Dockerfile grammar, and the review of a Dockerfile.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pagerproof_fuzz::dockerfile(data);
});
