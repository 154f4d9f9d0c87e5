//! The whole review of one file named `web/server.ts`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pagerproof_fuzz::review_one("web/server.ts", data);
});
