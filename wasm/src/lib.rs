//! WebAssembly bindings over sealscope-core.
//!
//! `inspectJson(bytes, name, atUnixSeconds)` returns the DESIGN.md report as JSON text.
//! Trust material, keys and the full inspector page arrive with the WebAssembly issue.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use sealscope_core::{Keyring, Options, UnixTime};
use wasm_bindgen::prelude::*;

/// Inspects `bytes` at `at_unix_seconds` with an empty keyring; returns the report as JSON.
#[wasm_bindgen(js_name = inspectJson)]
pub fn inspect_json(bytes: &[u8], name: &str, at_unix_seconds: f64) -> String {
    let at = UnixTime(at_unix_seconds as i64);
    let report = sealscope_core::inspect(bytes, &Keyring::new(), &Options::new(name, at));
    report.to_json()
}
