//! The whole pipeline (input detection, carriers, MIME, CMS, profiles, IEEE 1609.2) with a
//! fixed keyring that can validate chains and open every kind of recipient.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sealscope_fuzz::inspect(data));
