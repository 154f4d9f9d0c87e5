//! The whole review of one file named `web/package.json`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pagerproof_fuzz::review_one("web/package.json", data);
});
