//! `--at` time parsing round-trips through RFC 3339.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::UnixTime;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(t) = UnixTime::parse(s) {
            if (0..253_402_300_800).contains(&t.0) {
                assert_eq!(UnixTime::parse(&t.to_rfc3339()).ok(), Some(t));
            }
        }
    }
});
