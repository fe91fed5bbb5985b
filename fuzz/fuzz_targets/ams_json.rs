//! ARGO AMS JSON documents: parsing never panics; data ranges lie inside the document.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::wire::ams;

fuzz_target!(|data: &[u8]| {
    let _ = ams::looks_like_ams(data);
    if let Ok(messages) = ams::parse(data) {
        for m in messages {
            assert!(m.data_range[0] <= m.data_range[1] && m.data_range[1] <= data.len());
        }
    }
});
