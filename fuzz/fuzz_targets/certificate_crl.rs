//! Certificate and CRL loading, and everything shown about a certificate.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::x509::{certificate, crl};

fuzz_target!(|data: &[u8]| {
    if let Ok(certs) = certificate::load_certificates(data, "fuzz") {
        for c in certs {
            let _ = c.summary();
            let _ = c.basic_constraints();
            let _ = c.authority_key_id();
        }
    }
    if let Ok(crls) = crl::load_crls(data, "fuzz") {
        for c in crls {
            let _ = c.revocation_of(&[0x10, 0x07]);
            let _ = c.next_update();
        }
    }
});
