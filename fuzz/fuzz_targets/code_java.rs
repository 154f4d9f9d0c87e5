//! The whole review of one file named `src/main/java/a/App.java`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pagerproof_fuzz::review_one("src/main/java/a/App.java", data);
});
