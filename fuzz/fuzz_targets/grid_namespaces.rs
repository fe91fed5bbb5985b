//! IGTF CA namespace policies (EUGridPMA `.namespaces`, Globus `.signing_policy`): reading
//! never panics or hangs, and checking a name against what was read never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::x509::namespaces::{check, NamespaceFile};
use std::str::FromStr;
use x509_cert::name::Name;

fuzz_target!(|data: &[u8]| {
    let (Ok(subject), Ok(issuer)) = (
        Name::from_str("CN=Probe,O=Grid,C=ZZ"),
        Name::from_str("CN=Grid CA,O=Grid,C=ZZ"),
    ) else {
        return;
    };
    for file in ["0123abcd.namespaces", "0123abcd.signing_policy"] {
        if let Ok(f) = NamespaceFile::parse(data, file, file) {
            let _ = check(&[f], &[(&subject, &issuer)]);
        }
    }
    let _ = sealscope_core::x509::dn::openssl_hash_of_oneline(&String::from_utf8_lossy(data));
});
