//! WebAssembly bindings over sealscope-core, for the browser inspector and for portals.
//!
//! ```js
//! import init, { inspect } from './sealscope_wasm.js';
//! await init();
//! const report = inspect(bytes, { trust: [caPem], keys: [{ bytes: p12, password: 'pw' }] });
//! ```
//!
//! Every function returns the DESIGN.md report (a plain object, or its JSON text) or throws
//! an `Error` whose message is the core's one-line reason; nothing panics across the boundary
//! on bad input. The clock (default verification time) and randomness (composition) are the
//! browser's. TypeScript declarations of the report are generated from the core's types.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod js_options;
pub mod material;
pub mod request;

pub use error::WasmError;

use js_sys::{Array, Object, Reflect, Uint8Array};
use material::Material;
use sealscope_core::x509::policies::PolicySettings;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const REPORT_TS: &str = include_str!("../types/report.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const OPTIONS_TS: &str = include_str!("../types/options.d.ts");

#[wasm_bindgen]
extern "C" {
    /// The options object of the inspect functions (declared in `types/options.d.ts`).
    #[wasm_bindgen(typescript_type = "InspectOptions")]
    pub type InspectOptions;
}

fn to_object(json: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(json)
}

fn detailed(report: &sealscope_core::Report, buffers: Vec<Vec<u8>>) -> Result<JsValue, JsValue> {
    let out = Object::new();
    Reflect::set(&out, &"report".into(), &to_object(&report.to_json())?)?;
    let list = Array::new();
    for b in buffers {
        list.push(&Uint8Array::from(b.as_slice()));
    }
    Reflect::set(&out, &"buffers".into(), &list)?;
    Ok(out.into())
}

fn material_from(options: &JsValue) -> Result<Material, WasmError> {
    let mut m = Material::default();
    js_options::inline(options)?.load_into(&mut m)?;
    Ok(m)
}

/// Runs `f` with `base` plus, for this call only, the material given in `options`; the
/// session's memory of earlier inspections is kept either way.
fn with_inline<T>(
    base: &mut Material,
    options: &JsValue,
    f: impl FnOnce(&mut Material) -> T,
) -> Result<T, WasmError> {
    let inline = js_options::inline(options)?;
    if inline.is_empty() {
        return Ok(f(base));
    }
    let saved = base.session.keyring().clone();
    let entries = base.entries.len();
    let out = inline.load_into(base).map(|()| f(base));
    *base.session.keyring_mut() = saved;
    base.entries.truncate(entries);
    out
}

/// Inspects `bytes` and returns the report as a plain object. Options: `name`, `at`,
/// `profile`, `trust`, `certs`, `crls`, `crlCheck`, `x509Strict`, `policies`,
/// `explicitPolicy`, `inhibitPolicyMapping`, `inhibitAnyPolicy`, `keys`, `passwords`, `allowedSenders`,
/// `replayWindow`, `timeTolerance`, `maxInput`, `content` (see `InspectOptions`).
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn inspect(bytes: &[u8], options: Option<InspectOptions>) -> Result<JsValue, JsValue> {
    to_object(&inspect_json(bytes, options)?)
}

/// Like `inspect`, returning the report as one line of JSON (the bytes `sealscope inspect
/// --json` writes for the same input, keyring and time).
#[wasm_bindgen(js_name = inspectJson)]
pub fn inspect_json(bytes: &[u8], options: Option<InspectOptions>) -> Result<String, JsValue> {
    let options: JsValue = options.map_or(JsValue::UNDEFINED, Into::into);
    let mut m = material_from(&options)?;
    let req = js_options::inspect_request(&options)?;
    Ok(req.run(bytes, &mut m).to_json())
}

/// Like `inspect`, and also returns the decoded buffers the layers' `range`s refer to:
/// `{ report, buffers }`, where `buffers[n]` is buffer `n` (buffer 0, the input, is empty).
#[wasm_bindgen(js_name = inspectDetailed, unchecked_return_type = "InspectDetailed")]
pub fn inspect_detailed(bytes: &[u8], options: Option<InspectOptions>) -> Result<JsValue, JsValue> {
    let options: JsValue = options.map_or(JsValue::UNDEFINED, Into::into);
    let mut m = material_from(&options)?;
    let req = js_options::inspect_request(&options)?;
    let (report, buffers) = req.run_with_buffers(bytes, &mut m);
    detailed(&report, buffers)
}

/// What a file is: `message`, `certificate`, `ieee1609-certificate`, `crl`,
/// `private-key` or `pkcs12` (the core's detector decides).
#[wasm_bindgen]
pub fn classify(bytes: &[u8], name: &str) -> String {
    sealscope_core::inspect::detect::material(bytes, name)
        .map_or("message", |m| m.name())
        .to_string()
}

/// Composes a signed and/or encrypted message (see `ComposeOptions`); returns its bytes.
#[wasm_bindgen]
pub fn compose(
    payload: &[u8],
    #[wasm_bindgen(unchecked_param_type = "ComposeOptions")] options: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let req = js_options::compose_request(&options)?;
    let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    Ok(req.run(payload, &mut rng)?)
}

/// Composes a signed SCMS EE→RA request (IEEE 1609.2 COER, see `ScmsOptions`).
#[wasm_bindgen(js_name = composeScms)]
pub fn compose_scms(
    #[wasm_bindgen(unchecked_param_type = "ScmsOptions")] options: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let req = js_options::scms_request(&options)?;
    let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    Ok(req.run(&mut rng)?)
}

/// One self-contained HTML document (no script, nothing fetched) of the reports given as
/// JSON (one report, or an array of them), to hand on.
#[wasm_bindgen(js_name = reportHtml)]
pub fn report_html(reports_json: &str) -> Result<String, JsValue> {
    let value: serde_json::Value = serde_json::from_str(reports_json)
        .map_err(|e| JsError::new(&format!("the reports are not JSON: {e}")))?;
    let list = match value {
        serde_json::Value::Array(a) => a,
        one => vec![one],
    };
    let reports = list
        .into_iter()
        .map(serde_json::from_value::<sealscope_core::Report>)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| JsError::new(&format!("not a sealscope report: {e}")))?;
    Ok(sealscope_core::report::html::document(&reports))
}

/// The sealscope version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// A keyring kept between inspections (the page's dropped anchors, certificates, CRLs and
/// keys); it lives in memory only.
#[wasm_bindgen]
#[derive(Default)]
pub struct Keyring {
    material: Material,
}

fn entry_value(e: &material::Entry) -> Result<JsValue, JsValue> {
    let json = serde_json::to_string(e).map_err(|e| JsError::new(&e.to_string()))?;
    to_object(&json)
}

#[wasm_bindgen]
impl Keyring {
    /// An empty keyring.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Keyring {
        Keyring::default()
    }

    /// Adds trust anchors (X.509 PEM/DER or IEEE 1609.2 COER).
    #[wasm_bindgen(js_name = addTrust, unchecked_return_type = "KeyringEntry")]
    pub fn add_trust(&mut self, bytes: &[u8], name: &str) -> Result<JsValue, JsValue> {
        entry_value(self.material.add_trust(bytes, name)?)
    }

    /// Adds untrusted certificates (intermediates, signers, recipients).
    #[wasm_bindgen(js_name = addCertificates, unchecked_return_type = "KeyringEntry")]
    pub fn add_certificates(&mut self, bytes: &[u8], name: &str) -> Result<JsValue, JsValue> {
        entry_value(self.material.add_certificates(bytes, name)?)
    }

    /// Adds CRLs.
    #[wasm_bindgen(js_name = addCrls, unchecked_return_type = "KeyringEntry")]
    pub fn add_crls(&mut self, bytes: &[u8], name: &str) -> Result<JsValue, JsValue> {
        entry_value(self.material.add_crls(bytes, name)?)
    }

    /// Adds private keys: PKCS#8 (encrypted ones with `password`), PKCS#1, SEC1, PKCS#12.
    #[wasm_bindgen(js_name = addKeys, unchecked_return_type = "KeyringEntry")]
    pub fn add_keys(
        &mut self,
        bytes: &[u8],
        name: &str,
        password: Option<String>,
    ) -> Result<JsValue, JsValue> {
        entry_value(self.material.add_keys(bytes, name, password.as_deref())?)
    }

    /// Which certificates need a revocation status from a CRL given: `where-available`
    /// (the default), `signer` or `all` (as openssl -crl_check / -crl_check_all).
    #[wasm_bindgen(js_name = setCrlCheck)]
    pub fn set_crl_check(&mut self, mode: &str) -> Result<(), JsValue> {
        let check = mode
            .parse()
            .map_err(|e: String| JsValue::from(JsError::new(&e)))?;
        self.material.session.keyring_mut().revocation_check = check;
        Ok(())
    }

    /// Whether certificate paths are held to the whole RFC 5280 certificate profile (key
    /// identifiers, criticality, serial numbers, name syntax), as openssl -x509_strict.
    #[wasm_bindgen(js_name = setX509Strict)]
    pub fn set_x509_strict(&mut self, strict: bool) {
        self.material.session.keyring_mut().x509_strict = strict;
    }

    /// The initial certificate-policy inputs of path validation (RFC 5280 §6.1.1):
    /// `policies` the acceptable policy OIDs separated by commas (empty: any policy, as
    /// openssl -policy), then -explicit_policy, -inhibit_map and -inhibit_any.
    #[wasm_bindgen(js_name = setPolicy)]
    pub fn set_policy(
        &mut self,
        policies: &str,
        explicit_policy: bool,
        inhibit_policy_mapping: bool,
        inhibit_any_policy: bool,
    ) -> Result<(), JsValue> {
        let initial_policy_set = PolicySettings::parse_policy_list(policies)
            .map_err(|e| JsValue::from(JsError::new(&e)))?;
        self.material.session.keyring_mut().policy = PolicySettings {
            initial_policy_set,
            explicit_policy,
            inhibit_policy_mapping,
            inhibit_any_policy,
        };
        Ok(())
    }

    /// Adds a password for password-based recipients.
    #[wasm_bindgen(js_name = addPassword, unchecked_return_type = "KeyringEntry")]
    pub fn add_password(&mut self, password: &str) -> Result<JsValue, JsValue> {
        entry_value(self.material.add_password(password))
    }

    /// Adds a key-encryption key under its identifier.
    #[wasm_bindgen(js_name = addKek, unchecked_return_type = "KeyringEntry")]
    pub fn add_kek(&mut self, id: &[u8], key: &[u8]) -> Result<JsValue, JsValue> {
        entry_value(self.material.add_kek(id, key))
    }

    /// Adds a content-encryption key for EncryptedData, which has no recipients.
    #[wasm_bindgen(js_name = addContentKey, unchecked_return_type = "KeyringEntry")]
    pub fn add_content_key(&mut self, key: &[u8]) -> Result<JsValue, JsValue> {
        entry_value(self.material.add_content_key(key))
    }

    /// Adds a file by what it holds; certificates become anchors when `asTrust`. Throws for
    /// messages and for keys that need a password not given.
    #[wasm_bindgen(js_name = addFile, unchecked_return_type = "KeyringEntry")]
    pub fn add_file(
        &mut self,
        bytes: &[u8],
        name: &str,
        password: Option<String>,
        as_trust: Option<bool>,
    ) -> Result<JsValue, JsValue> {
        entry_value(self.material.add_file(
            bytes,
            name,
            password.as_deref(),
            as_trust.unwrap_or(false),
        )?)
    }

    /// What was added, in order.
    #[wasm_bindgen(unchecked_return_type = "KeyringEntry[]")]
    pub fn entries(&self) -> Result<JsValue, JsValue> {
        let json = serde_json::to_string(&self.material.entries)
            .map_err(|e| JsError::new(&e.to_string()))?;
        to_object(&json)
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.material = Material::default();
    }

    /// `inspect` with this keyring (plus any material in `options`).
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn inspect(
        &mut self,
        bytes: &[u8],
        options: Option<InspectOptions>,
    ) -> Result<JsValue, JsValue> {
        to_object(&self.inspect_json(bytes, options)?)
    }

    /// `inspectJson` with this keyring.
    #[wasm_bindgen(js_name = inspectJson)]
    pub fn inspect_json(
        &mut self,
        bytes: &[u8],
        options: Option<InspectOptions>,
    ) -> Result<String, JsValue> {
        let options: JsValue = options.map_or(JsValue::UNDEFINED, Into::into);
        let req = js_options::inspect_request(&options)?;
        let report = with_inline(&mut self.material, &options, |m| req.run(bytes, m))?;
        Ok(report.to_json())
    }

    /// `inspectDetailed` with this keyring.
    #[wasm_bindgen(js_name = inspectDetailed, unchecked_return_type = "InspectDetailed")]
    pub fn inspect_detailed(
        &mut self,
        bytes: &[u8],
        options: Option<InspectOptions>,
    ) -> Result<JsValue, JsValue> {
        let options: JsValue = options.map_or(JsValue::UNDEFINED, Into::into);
        let req = js_options::inspect_request(&options)?;
        let (report, buffers) = with_inline(&mut self.material, &options, |m| {
            req.run_with_buffers(bytes, m)
        })?;
        detailed(&report, buffers)
    }
}
