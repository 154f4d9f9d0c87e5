//! Line formats: go.mod, requirements.txt, .env, CODEOWNERS, README.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pagerproof_fuzz::text_manifests(data);
});
