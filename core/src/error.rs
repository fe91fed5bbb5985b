//! The one error type of the core.
//!
//! Every message says which step failed, on which object and why, and where a byte offset is
//! known it names it, so a front end can point at the bytes.

use thiserror::Error;

/// Everything that can go wrong while reading an input or key material.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A BER/DER structure could not be read.
    #[error("ASN.1 error at byte {offset}: {reason}")]
    Asn1 {
        /// Offset of the offending element in the buffer that was being read.
        offset: usize,
        /// What was wrong.
        reason: String,
    },
    /// A structure was well-formed ASN.1 but not what the specification requires.
    #[error("{structure} is malformed: {reason}")]
    Malformed {
        /// The structure, e.g. "SignerInfo #1".
        structure: String,
        /// What was wrong.
        reason: String,
    },
    /// PEM armour or base64 text could not be decoded.
    #[error("{0}")]
    Encoding(String),
    /// The input is of a kind sealscope does not read.
    #[error("unrecognised input: {0}")]
    Unrecognised(String),
    /// A certificate, CRL or key could not be loaded.
    #[error("cannot load {what} from {source_name}: {reason}")]
    Load {
        /// "certificate", "CRL", …
        what: &'static str,
        /// Where it came from (a file name, "input", …).
        source_name: String,
        /// Why it failed.
        reason: String,
    },
    /// Key material needs a password that was not given, or the password given does not
    /// open it (front ends ask for one instead of showing a failure).
    #[error("cannot load {what} from {source_name}: {reason}")]
    Password {
        /// "private key", "PKCS#12 bundle".
        what: &'static str,
        /// Where it came from.
        source_name: String,
        /// What the password did or did not do.
        reason: String,
        /// Whether a password was given (then it is the wrong one).
        given: bool,
    },
    /// A time value could not be parsed.
    #[error("invalid time {input:?}: {reason}")]
    Time {
        /// The text given.
        input: String,
        /// Why it is not a time.
        reason: String,
    },
    /// A name (of a digest, cipher, profile, output form, …) is not one sealscope knows.
    #[error("unknown {what} {given:?}: expected {expected}")]
    UnknownName {
        /// What kind of name it is, e.g. "digest".
        what: &'static str,
        /// The name as given.
        given: String,
        /// The accepted names, e.g. "sha256, sha384 or sha512".
        expected: &'static str,
    },
    /// An archive of messages (tar, zip) could not be read; the text says which format and
    /// what was wrong.
    #[error("{0}")]
    Archive(String),
    /// A size, depth or count bound was exceeded.
    #[error("{what} exceeds the limit of {limit}")]
    Limit {
        /// What was too large.
        what: String,
        /// The limit.
        limit: usize,
    },
}

impl Error {
    /// Adds `base` to the offset of an ASN.1 error, for errors found inside a nested buffer.
    pub fn shifted(self, base: usize) -> Self {
        match self {
            Error::Asn1 { offset, reason } => Error::Asn1 {
                offset: offset + base,
                reason,
            },
            other => other,
        }
    }

    /// Whether the error is that key material needs a password (none was given).
    pub fn needs_password(&self) -> bool {
        matches!(self, Error::Password { given: false, .. })
    }

    /// Whether the error is that the password given does not open the key material.
    pub fn wrong_password(&self) -> bool {
        matches!(self, Error::Password { given: true, .. })
    }

    /// The error worded for a front end's option (`--digest`, `digest`): an unknown name
    /// reads `"{option} {given}: expected {expected}"`, anything else `"{option}: {error}"`.
    pub fn for_option(&self, option: &str) -> String {
        match self {
            Error::UnknownName {
                given, expected, ..
            } => format!("{option} {given}: expected {expected}"),
            other => format!("{option}: {other}"),
        }
    }

    /// Wraps a `der` crate error for a named structure.
    pub fn der(structure: impl Into<String>, e: der::Error) -> Self {
        let structure = structure.into();
        match e.position() {
            Some(pos) => Error::Asn1 {
                offset: usize::try_from(u32::from(pos)).unwrap_or(usize::MAX),
                reason: format!("{structure}: {}", e.kind()),
            },
            None => Error::Malformed {
                structure,
                reason: e.kind().to_string(),
            },
        }
    }
}
