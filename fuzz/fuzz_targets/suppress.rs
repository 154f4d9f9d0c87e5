//! Inline suppression comments (`suppress::scan`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pagerproof_fuzz::suppress(data);
});
