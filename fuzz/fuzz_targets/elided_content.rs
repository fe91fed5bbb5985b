//! Reading a signed message with most of its encapsulated content elided (how the command
//! line reads a large opaque SignedData) gives the report of the whole message or none.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sealscope_fuzz::elided(data));
