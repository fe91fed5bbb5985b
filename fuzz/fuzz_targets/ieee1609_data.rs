//! IEEE 1609.2 COER: decoding never panics, and what decodes lies inside the input. The
//! same for CRLs (SecuredCrl and bare CrlContents).
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::ieee1609::{crl, data, scms};

fuzz_target!(|bytes: &[u8]| {
    if let Ok(d) = data::decode(bytes) {
        assert!(d.range[1] == bytes.len());
    }
    let _ = data::decode_certificate(bytes);
    let _ = scms::decode_pdu(bytes);
    let _ = scms::decode_signed_request(bytes);
    let _ = crl::contents(bytes);
    let _ = crl::load(bytes, "fuzz");
});
