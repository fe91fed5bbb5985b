//! HTTP/1.1 messages: ranges stay inside the input, de-chunked bodies stay bounded.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::wire::http;

fuzz_target!(|data: &[u8]| {
    if let Ok(messages) = http::parse_messages(data, 64) {
        for m in messages {
            assert!(m.start <= m.headers_start && m.headers_start <= m.body_start);
            assert!(m.end <= data.len());
            if let http::Body::Range(s, e) = m.body {
                assert!(s <= e && e <= data.len());
            } else {
                assert!(m.body(data).len() <= data.len());
            }
        }
    }
});
