//! The whole review of one file named `svc/main.go`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pagerproof_fuzz::review_one("svc/main.go", data);
});
