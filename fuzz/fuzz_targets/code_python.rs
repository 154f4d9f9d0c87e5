//! The whole review of one file named `app/main.py`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pagerproof_fuzz::review_one("app/main.py", data);
});
