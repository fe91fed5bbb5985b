//! The crate's error: what failed and why, thrown to JavaScript as an `Error` with this text.

use thiserror::Error;

/// Everything the bindings can refuse.
#[derive(Debug, Error)]
pub enum WasmError {
    /// The core refused the material or the composition.
    #[error("{0}")]
    Core(#[from] sealscope_core::Error),
    /// An option has the wrong type or value.
    #[error("option {name}: {reason}")]
    Option {
        /// The option's name as JavaScript spells it.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A file given as key material holds nothing usable.
    #[error("{name}: {reason}")]
    Material {
        /// The file name.
        name: String,
        /// Why it cannot be used.
        reason: String,
    },
}

impl WasmError {
    /// An option error.
    pub fn option(name: &str, reason: impl Into<String>) -> Self {
        WasmError::Option {
            name: name.to_string(),
            reason: reason.into(),
        }
    }
}

impl From<WasmError> for wasm_bindgen::JsValue {
    fn from(e: WasmError) -> Self {
        wasm_bindgen::JsError::new(&e.to_string()).into()
    }
}
