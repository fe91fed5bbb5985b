//! CMS SignedData parsing and SignerInfo verification over fixed detached content.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::cms::signed_data::{self, ContentCandidates};
use sealscope_core::{Keyring, UnixTime};

fuzz_target!(|data: &[u8]| {
    let Ok(der) = sealscope_core::cms::asn1::normalise(data) else {
        return;
    };
    let Ok(sd) = signed_data::parse_content_info(&der) else {
        return;
    };
    let content = ContentCandidates {
        canonical: b"hello\r\n",
        as_sent: Some(b"hello\n"),
        canonical_sha256: None,
        streamed: None,
        elided: false,
    };
    for i in 0..sd.signer_infos.len().min(8) {
        let _ = signed_data::verify_signer(&sd, i, Some(content), &Keyring::new(), UnixTime(0), 0);
    }
});
