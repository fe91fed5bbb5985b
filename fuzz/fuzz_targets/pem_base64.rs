//! PEM armour and bare base64.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::wire::pem;

fuzz_target!(|data: &[u8]| {
    let _ = pem::blocks(data);
    if pem::looks_like_base64(data) {
        let _ = pem::decode_base64(data);
    }
});
