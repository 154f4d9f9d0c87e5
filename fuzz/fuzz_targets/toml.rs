//! The whole review of one file named `pyproject.toml`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pagerproof_fuzz::review_one("pyproject.toml", data);
});
