//! `pagerproof_core::Config::parse` and the settings it resolves to.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pagerproof_fuzz::config(data);
});
