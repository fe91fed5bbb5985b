//! BER → DER normalisation: never panics; DER output is a fixed point. Also the quick scan
//! that locates a SignedData's content from a file's first bytes (`prehash::content_range`):
//! never panics, and its answer lies inside the input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::cms::asn1;
use sealscope_core::crypto::prehash;

fuzz_target!(|data: &[u8]| {
    if let Ok(der) = asn1::normalise(data) {
        let again = asn1::normalise(&der).expect("normalised output must re-read");
        assert_eq!(again, der, "DER must be a fixed point of normalisation");
    }
    if let Some(range) = prehash::content_range(data, data.len()) {
        assert!(range.start <= range.end && range.end <= data.len());
    }
});
