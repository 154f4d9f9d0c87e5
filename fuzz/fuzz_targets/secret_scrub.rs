//! The secret scrubber applied to every excerpt and message.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pagerproof_fuzz::scrub(data);
});
