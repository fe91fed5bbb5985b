//! sealscope-core: parse, verify, decrypt and compose S/MIME, CMS and IEEE 1609.2 messages.
//!
//! No I/O, no clock, no threads: the caller passes bytes, a [`Keyring`] and the verification
//! time; [`inspect`] returns a [`Report`]. Data flows as DESIGN.md draws it: detect → unwrap
//! layer by layer (verify with the keyring) → findings → report.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod algorithms;
pub mod ams;
pub mod asn1;
pub mod certificate;
pub mod chain;
pub mod ciphers;
pub mod compose;
pub mod compressed_data;
pub mod crl;
pub mod der_writer;
pub mod digested_data;
pub mod dn;
pub mod dsa;
pub mod ecdsa_p256;
pub mod enveloped_data;
pub mod error;
pub mod findings;
pub mod http;
pub mod ieee1609;
pub mod inspect;
pub mod keyring;
pub mod keys;
pub mod mime;
pub mod pem;
pub mod pkcs12;
pub mod prehash;
pub mod profiles;
pub mod report;
pub mod rng;
pub mod signature;
pub mod signed_data;
pub mod stomp;
pub mod templates;
pub mod time;

pub use error::Error;

pub use inspect::{inspect, inspect_prehashed, inspect_with_buffers, Options};
pub use keyring::Keyring;
pub use report::{Report, Verdict};
pub use time::UnixTime;
