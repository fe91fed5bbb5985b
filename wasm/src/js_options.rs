//! Reading JavaScript option objects into the requests of `request`. Bytes may be given as
//! `Uint8Array`, `ArrayBuffer` or a string (UTF-8, e.g. PEM text); times as a `Date`,
//! milliseconds since the epoch (like `Date.now()`) or an RFC 3339 string.

use crate::error::WasmError;
use crate::request::{profile, ComposeRequest, Inline, InspectRequest, ScmsRequest, Signer};
use js_sys::{Array, Object, Reflect, Uint8Array};
use sealscope_core::x509::policies::PolicySettings;
use sealscope_core::UnixTime;
use wasm_bindgen::{JsCast, JsValue};

/// The browser's clock.
pub fn now() -> UnixTime {
    UnixTime((js_sys::Date::now() / 1000.0).floor() as i64)
}

/// `obj[key]`, or `None` when absent, `undefined` or `null`.
pub fn get(obj: &JsValue, key: &str) -> Option<JsValue> {
    if !obj.is_object() {
        return None;
    }
    Reflect::get(obj, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Bytes from a `Uint8Array`, `ArrayBuffer`, typed-array view or string.
pub fn bytes(v: &JsValue, name: &str) -> Result<Vec<u8>, WasmError> {
    if let Some(s) = v.as_string() {
        return Ok(s.into_bytes());
    }
    if v.is_instance_of::<Uint8Array>() {
        return Ok(Uint8Array::new(v).to_vec());
    }
    if v.is_instance_of::<js_sys::ArrayBuffer>() {
        return Ok(Uint8Array::new(v).to_vec());
    }
    if let Some(view) = v.dyn_ref::<js_sys::DataView>() {
        return Ok(Uint8Array::new_with_byte_offset_and_length(
            &view.buffer(),
            view.byte_offset() as u32,
            view.byte_length() as u32,
        )
        .to_vec());
    }
    Err(WasmError::option(
        name,
        "expected a Uint8Array, an ArrayBuffer or a string",
    ))
}

fn string(v: &JsValue, name: &str) -> Result<String, WasmError> {
    v.as_string()
        .ok_or_else(|| WasmError::option(name, "expected a string"))
}

fn opt_string(obj: &JsValue, key: &str) -> Result<Option<String>, WasmError> {
    get(obj, key).map(|v| string(&v, key)).transpose()
}

fn opt_bool(obj: &JsValue, key: &str) -> Result<Option<bool>, WasmError> {
    get(obj, key)
        .map(|v| {
            v.as_bool()
                .ok_or_else(|| WasmError::option(key, "expected true or false"))
        })
        .transpose()
}

fn seconds(obj: &JsValue, key: &str) -> Result<Option<u64>, WasmError> {
    let Some(v) = get(obj, key) else {
        return Ok(None);
    };
    match v.as_f64() {
        Some(f) if f >= 0.0 && f.is_finite() => Ok(Some(f as u64)),
        _ => Err(WasmError::option(
            key,
            "expected a number of seconds (0 or more)",
        )),
    }
}

/// A time: `Date`, milliseconds since the epoch, or RFC 3339 text.
pub fn time(v: &JsValue, name: &str) -> Result<UnixTime, WasmError> {
    if let Some(d) = v.dyn_ref::<js_sys::Date>() {
        let ms = d.get_time();
        if ms.is_nan() {
            return Err(WasmError::option(name, "the Date is invalid"));
        }
        return Ok(UnixTime((ms / 1000.0).floor() as i64));
    }
    if let Some(ms) = v.as_f64() {
        if !ms.is_finite() {
            return Err(WasmError::option(name, "the number is not finite"));
        }
        return Ok(UnixTime((ms / 1000.0).floor() as i64));
    }
    if let Some(s) = v.as_string() {
        return UnixTime::parse(&s).map_err(|e| WasmError::option(name, e.to_string()));
    }
    Err(WasmError::option(
        name,
        "expected a Date, milliseconds since 1970 or RFC 3339 text",
    ))
}

fn at(obj: &JsValue) -> Result<UnixTime, WasmError> {
    match get(obj, "at") {
        Some(v) => time(&v, "at"),
        None => Ok(now()),
    }
}

/// A list option: an array, or one value standing for a list of one.
fn list(obj: &JsValue, key: &str) -> Vec<JsValue> {
    match get(obj, key) {
        None => Vec::new(),
        Some(v) if Array::is_array(&v) => Array::from(&v).iter().collect(),
        Some(v) => vec![v],
    }
}

/// A named file with an optional password.
type NamedFile = (String, Vec<u8>, Option<String>);

/// A file: bytes, or `{ name, bytes | data, password }`.
fn file(v: &JsValue, key: &str, i: usize) -> Result<NamedFile, WasmError> {
    let label = format!("{key}[{i}]");
    let is_plain = v.is_instance_of::<Object>()
        && !v.is_instance_of::<Uint8Array>()
        && !v.is_instance_of::<js_sys::ArrayBuffer>()
        && !v.is_instance_of::<js_sys::DataView>();
    if is_plain {
        let name = opt_string(v, "name")?.unwrap_or_else(|| label.clone());
        let data = get(v, "bytes")
            .or_else(|| get(v, "data"))
            .ok_or_else(|| WasmError::option(&label, "has no bytes"))?;
        let password = opt_string(v, "password")?;
        return Ok((name, bytes(&data, &label)?, password));
    }
    Ok((label.clone(), bytes(v, &label)?, None))
}

fn files(obj: &JsValue, key: &str) -> Result<Vec<NamedFile>, WasmError> {
    list(obj, key)
        .iter()
        .enumerate()
        .map(|(i, v)| file(v, key, i))
        .collect()
}

/// Inline key material of an options object.
pub fn inline(obj: &JsValue) -> Result<Inline, WasmError> {
    let strip = |v: Vec<NamedFile>| v.into_iter().map(|(n, b, _)| (n, b)).collect::<Vec<_>>();
    let passwords = list(obj, "passwords")
        .iter()
        .map(|v| string(v, "passwords"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Inline {
        trust: strip(files(obj, "trust")?),
        certs: strip(files(obj, "certs")?),
        crls: strip(files(obj, "crls")?),
        keys: files(obj, "keys")?,
        passwords,
        revocation_check: opt_string(obj, "crlCheck")?
            .map(|v| {
                v.parse()
                    .map_err(|e: String| WasmError::option("crlCheck", &e))
            })
            .transpose()?,
        x509_strict: opt_bool(obj, "x509Strict")?,
        policy: policy_settings(obj)?,
    })
}

/// `policies`, `explicitPolicy`, `inhibitPolicyMapping`, `inhibitAnyPolicy`: `None` when
/// none is given.
fn policy_settings(obj: &JsValue) -> Result<Option<PolicySettings>, WasmError> {
    let keys = [
        "policies",
        "explicitPolicy",
        "inhibitPolicyMapping",
        "inhibitAnyPolicy",
    ];
    if keys.iter().all(|k| get(obj, k).is_none()) {
        return Ok(None);
    }
    let mut initial_policy_set = Vec::new();
    for v in list(obj, "policies") {
        let text = string(&v, "policies")?;
        initial_policy_set.extend(
            PolicySettings::parse_policy_list(&text)
                .map_err(|e| WasmError::option("policies", &e))?,
        );
    }
    Ok(Some(PolicySettings {
        initial_policy_set,
        explicit_policy: opt_bool(obj, "explicitPolicy")?.unwrap_or(false),
        inhibit_policy_mapping: opt_bool(obj, "inhibitPolicyMapping")?.unwrap_or(false),
        inhibit_any_policy: opt_bool(obj, "inhibitAnyPolicy")?.unwrap_or(false),
    }))
}

/// The inspect options: `{ name, at, profile, allowedSenders, replayWindow, timeTolerance,
/// maxInput, content }`.
pub fn inspect_request(obj: &JsValue) -> Result<InspectRequest, WasmError> {
    let name = opt_string(obj, "name")?.unwrap_or_else(|| "input".to_string());
    let mut r = InspectRequest::new(&name, at(obj)?);
    r.profile = opt_string(obj, "profile")?
        .map(|p| profile(&p))
        .transpose()?;
    if get(obj, "allowedSenders").is_some() {
        r.allowed_senders = Some(
            list(obj, "allowedSenders")
                .iter()
                .map(|v| string(v, "allowedSenders"))
                .collect::<Result<Vec<_>, _>>()?,
        );
    }
    r.replay_window = seconds(obj, "replayWindow")?;
    r.time_tolerance = seconds(obj, "timeTolerance")?;
    if let Some(v) = get(obj, "maxInput") {
        r.max_input = match v.as_f64() {
            Some(f) if f >= 1.0 && f.is_finite() => Some(f as usize),
            _ => {
                return Err(WasmError::option(
                    "maxInput",
                    "expected a number of bytes (1 or more)",
                ))
            }
        };
    }
    r.content = get(obj, "content")
        .map(|v| bytes(&v, "content"))
        .transpose()?;
    Ok(r)
}

/// The compose options.
pub fn compose_request(obj: &JsValue) -> Result<ComposeRequest, WasmError> {
    let mut r = ComposeRequest::new(at(obj)?);
    if let Some(s) = get(obj, "signer") {
        let key = get(&s, "key").ok_or_else(|| WasmError::option("signer.key", "is required"))?;
        r.signer = Some(Signer {
            cert: get(&s, "cert")
                .map(|v| bytes(&v, "signer.cert"))
                .transpose()?,
            key: bytes(&key, "signer.key")?,
            password: opt_string(&s, "password")?,
            chain: list(&s, "chain")
                .iter()
                .map(|v| bytes(v, "signer.chain"))
                .collect::<Result<Vec<_>, _>>()?,
        });
    }
    if let Some(v) = opt_string(obj, "digest")? {
        r.digest = v;
    }
    if let Some(v) = opt_string(obj, "form")? {
        r.form = v;
    }
    r.include = opt_string(obj, "include")?;
    r.recipients = list(obj, "recipients")
        .iter()
        .map(|v| bytes(v, "recipients"))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(v) = opt_string(obj, "cipher")? {
        r.cipher = v;
    }
    if let Some(v) = opt_string(obj, "rsaPadding")? {
        r.rsa_padding = v;
    }
    if let Some(v) = opt_string(obj, "output")? {
        r.output = v;
    }
    if let Some(h) = get(obj, "headers") {
        let entries = Object::entries(&Object::from(h));
        for e in entries.iter() {
            let pair = Array::from(&e);
            r.headers.push((
                string(&pair.get(0), "headers")?,
                string(&pair.get(1), "headers")?,
            ));
        }
    }
    Ok(r)
}

/// The SCMS request options.
pub fn scms_request(obj: &JsValue) -> Result<ScmsRequest, WasmError> {
    let need = |k: &str| get(obj, k).ok_or_else(|| WasmError::option(k, "is required"));
    Ok(ScmsRequest {
        request: string(&need("request")?, "request")?,
        filename: opt_string(obj, "filename")?,
        start: get(obj, "start").map(|v| time(&v, "start")).transpose()?,
        cert: bytes(&need("cert")?, "cert")?,
        key: bytes(&need("key")?, "key")?,
        password: opt_string(obj, "password")?,
        at: at(obj)?,
    })
}
