//! BER → DER normalisation: never panics; DER output is a fixed point.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::asn1;

fuzz_target!(|data: &[u8]| {
    if let Ok(der) = asn1::normalise(data) {
        let again = asn1::normalise(&der).expect("normalised output must re-read");
        assert_eq!(again, der, "DER must be a fixed point of normalisation");
    }
});
