//! sealscope-core: parse, verify, decrypt and compose S/MIME, CMS and IEEE 1609.2 messages.
//!
//! No I/O, no clock, no threads: the caller passes bytes, a [`Keyring`] and the verification
//! time; [`inspect`] returns a [`Report`]. Data flows as DESIGN.md draws it: detect → unwrap
//! layer by layer (verify with the keyring) → findings → report.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "archives")]
pub mod archive;
pub mod cms;
pub mod compose;
pub mod crypto;
pub mod error;
pub mod ieee1609;
pub mod inspect;
pub mod keyring;
pub mod profiles;
pub mod report;
pub mod time;
pub mod wire;
pub mod x509;

pub use error::Error;

pub use inspect::{inspect, inspect_elided, inspect_prehashed, inspect_with_buffers, Options};
pub use keyring::{Keyring, RevocationCheck};
pub use profiles::{Draft, Session};
pub use report::{Report, Verdict};
pub use time::UnixTime;
