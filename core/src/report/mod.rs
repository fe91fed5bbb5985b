//! The report: the stable contract every front end shows (DESIGN.md, "The report").
//!
//! Keys are stable; new keys may be added. Times are RFC 3339 UTC, DNs RFC 4514 with the
//! OpenSSL one-line form beside them, algorithm names lower-case and hyphenated.

pub mod findings;
pub mod headline;
pub mod html;
pub mod kinds;
pub mod lines;

pub use crate::wire::headers::Headers;
pub use kinds::{CertStatus, LayerKind};

use serde::{Deserialize, Serialize};

/// Schema identifier written into every report.
pub const SCHEMA: &str = "sealscope.report/1";

/// The overall judgement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every signature verifies and chains to a supplied anchor; nothing is wrong.
    Valid,
    /// Intact, but untrusted for lack of anchors, or a SHOULD is broken.
    Warning,
    /// A signature, digest, MUST or chain against supplied anchors fails.
    Invalid,
    /// The input could not be parsed at all.
    Unreadable,
}

impl Verdict {
    /// The report word.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Warning => "warning",
            Verdict::Invalid => "invalid",
            Verdict::Unreadable => "unreadable",
        }
    }
}

/// Finding severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// For information.
    Info,
    /// A SHOULD is broken or trust is missing.
    Warning,
    /// A MUST is broken or verification failed.
    Error,
}

/// One observation with a stable code and the document section it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Finding {
    /// Severity.
    pub severity: Severity,
    /// Stable kebab-case code (DESIGN.md lists the fixed ones).
    pub code: String,
    /// What is wrong, with the object it concerns.
    pub message: String,
    /// The specification section, e.g. "RFC 8551 §3.1.1".
    pub reference: String,
    /// Index of the layer it concerns, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub layer: Option<usize>,
}

/// Where the input came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct InputInfo {
    /// File name (or "-" for standard input).
    pub name: String,
    /// Size in bytes.
    pub size: usize,
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
}

/// One envelope of the message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Layer {
    /// Kind: `pem`, `base64`, `mime`, `multipart-signed`, `cms-signed-data`, `content`, …
    #[cfg_attr(feature = "typescript", ts(as = "String"))]
    pub kind: LayerKind,
    /// One line saying what it is.
    pub summary: String,
    /// Byte range `[start, end)` within the buffer named by `buffer`.
    pub range: [usize; 2],
    /// Which buffer the range refers to: 0 is the input itself; `n > 0` is the decoded
    /// content of layer `n - 1` (after base64, PEM or CMS unwrapping).
    pub buffer: usize,
    /// Index of the enclosing layer, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub parent: Option<usize>,
    /// Headers (MIME) or fields (CMS) as name/value pairs, in order.
    #[cfg_attr(feature = "typescript", ts(as = "Vec<(String, String)>"))]
    pub headers: Headers,
    /// For MIME layers: the media type (lower case) and its parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub content_type: Option<LayerContentType>,
}

/// A MIME layer's Content-Type, parsed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct LayerContentType {
    /// `type/subtype`, lower case.
    pub media_type: String,
    /// Parameters, names lower case, in order.
    pub params: Vec<(String, String)>,
}

impl LayerContentType {
    /// A parameter's value (case-insensitive name).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The structure as a tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Node {
    /// Same as the layer's kind.
    #[cfg_attr(feature = "typescript", ts(as = "String"))]
    pub kind: LayerKind,
    /// Same as the layer's summary.
    pub summary: String,
    /// Index into `layers`.
    pub layer: usize,
    /// Enclosed layers.
    pub children: Vec<Node>,
}

/// A certificate as reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CertSummary {
    /// Subject, RFC 4514.
    pub subject: String,
    /// Subject, OpenSSL one-line form.
    pub subject_oneline: String,
    /// Issuer, RFC 4514.
    pub issuer: String,
    /// Issuer, OpenSSL one-line form.
    pub issuer_oneline: String,
    /// Serial number, upper-case hex.
    pub serial: String,
    /// notBefore.
    pub not_before: String,
    /// notAfter.
    pub not_after: String,
    /// Key type and size: `rsa-2048`, `ec-p256`.
    pub key: String,
    /// keyUsage bits, if the extension is present.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub key_usage: Option<Vec<String>>,
    /// extendedKeyUsage purposes, if present.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub extended_key_usage: Option<Vec<String>>,
    /// SHA-256 fingerprint of the DER encoding (of the COER encoding for IEEE 1609.2).
    pub sha256: String,
    /// IEEE 1609.2 certificates: the HashedId8, lower-case hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub hashed_id8: Option<String>,
}

/// Status of a signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum SignatureStatus {
    /// Signature and content digest verify.
    Valid,
    /// The signature or the content digest fails.
    Invalid,
    /// It could not be checked (signer certificate missing, algorithm unsupported).
    Unverifiable,
}

/// Status of a certificate chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum ChainStatus {
    /// Reaches a supplied trust anchor and every check passes.
    Trusted,
    /// Ends at a self-signed certificate that is not a trust anchor.
    UntrustedRoot,
    /// A certificate is past its notAfter.
    Expired,
    /// A certificate is before its notBefore.
    NotYetValid,
    /// A certificate is listed in its issuer's CRL.
    Revoked,
    /// A certificate's signature does not verify with its issuer's key.
    BadSignature,
    /// A certificate's issuer cannot be found.
    Incomplete,
    /// No trust anchors were supplied, or there is no signer certificate.
    NotChecked,
}

impl ChainStatus {
    /// The report word.
    pub fn as_str(self) -> &'static str {
        match self {
            ChainStatus::Trusted => "trusted",
            ChainStatus::UntrustedRoot => "untrusted-root",
            ChainStatus::Expired => "expired",
            ChainStatus::NotYetValid => "not-yet-valid",
            ChainStatus::Revoked => "revoked",
            ChainStatus::BadSignature => "bad-signature",
            ChainStatus::Incomplete => "incomplete",
            ChainStatus::NotChecked => "not-checked",
        }
    }
}

/// One certificate of a chain with its own status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ChainCert {
    /// Subject, RFC 4514.
    pub subject: String,
    /// Issuer, RFC 4514.
    pub issuer: String,
    /// Serial, upper-case hex.
    pub serial: String,
    /// notBefore.
    pub not_before: String,
    /// notAfter.
    pub not_after: String,
    /// `valid`, `expired`, `not-yet-valid`, `revoked`, `bad-signature`, `anchor`, …
    pub status: CertStatus,
    /// Where the certificate came from: `message`, a file name.
    pub source: String,
}

/// The chain from a signer to an anchor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Chain {
    /// Overall status.
    pub status: ChainStatus,
    /// The trust anchor reached (RFC 4514 subject), if any.
    pub anchor: Option<String>,
    /// Signer first, anchor last.
    pub certificates: Vec<ChainCert>,
    /// Why, in one sentence.
    pub reason: String,
}

/// One verified (or not) signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SignatureReport {
    /// Status.
    pub status: SignatureStatus,
    /// Finding code when not valid (`content-digest-mismatch`, …); `null` when valid.
    pub reason_code: Option<String>,
    /// Why, in one sentence that names the SignerInfo and key.
    pub reason: String,
    /// The signer certificate, when found.
    pub signer: Option<CertSummary>,
    /// Where the signer certificate came from: `message` (the SignedData carried it) or the
    /// keyring file it was found in.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub signer_source: Option<String>,
    /// How the SignerInfo names its signer: `issuer-and-serial` or `subject-key-identifier`.
    pub signer_id: String,
    /// The signer as the SignerInfo names it ("issuer CN=…, serial 1A" or "subjectKeyIdentifier
    /// 0a1b…"), kept even when no certificate for it was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub sid: Option<String>,
    /// For a countersignature (RFC 5652 §11.4): the 1-based number of the SignerInfo of the
    /// same SignedData whose signature it signs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub countersigns: Option<usize>,
    /// `sha256`, …
    pub digest_algorithm: String,
    /// `rsa-pkcs1v15`, `rsa-pss`, `ecdsa-p256`, …
    pub signature_algorithm: String,
    /// The signingTime attribute, if present.
    pub signing_time: Option<String>,
    /// The certificate chain.
    pub chain: Chain,
    /// Index of the layer holding the SignerInfo.
    pub layer: usize,
    /// 1-based SignerInfo number within its SignedData.
    pub signer_info: usize,
    /// Whether the signature verified only over the bytes as sent, not their canonical form.
    pub non_canonical: bool,
    /// IEEE 1609.2: the PSID of the headerInfo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional, type = "number"))]
    pub psid: Option<u64>,
    /// IEEE 1609.2: the generationTime as UTC (RFC 3339, with the microseconds when the
    /// Time64 has a fraction of a second).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub generation_time: Option<String>,
    /// IEEE 1609.2: the generationTime as sent (Time64: microseconds since 2004-01-01 TAI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional, type = "number"))]
    pub generation_time_us: Option<u64>,
    /// IEEE 1609.2: the expiryTime as UTC (RFC 3339, microseconds as for generationTime).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub expiry_time: Option<String>,
    /// IEEE 1609.2: the expiryTime as sent (Time64 microseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional, type = "number"))]
    pub expiry_time_us: Option<u64>,
    /// IEEE 1609.2: the signer's HashedId8 (lower-case hex), however it was named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub signer_hashed_id8: Option<String>,
}

/// The innermost payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Content {
    /// Media type, e.g. `text/plain`.
    pub media_type: String,
    /// Size in bytes after transfer decoding.
    pub size: usize,
    /// SHA-256 of those bytes.
    pub sha256: String,
    /// The text when it is UTF-8 (truncated past 64 KiB), else `null`.
    pub text: Option<String>,
    /// For binary content: the first 256 bytes as lower-case hex, else `null`.
    pub hex: Option<String>,
    /// Index of the layer that holds it (a `content` or `detached-content` layer): the one
    /// a reader is shown, chosen by signature depth, so front ends need not guess.
    pub layer: usize,
}

/// One recipient as reported.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RecipientReport {
    /// `ktri`, `kari`, `kekri`, `pwri`, `ori`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `rsa-pkcs1v15`, `rsa-oaep`, `ecdh-p256`, `aes-256-wrap`, `pbkdf2`, …
    pub key_algorithm: String,
    /// Issuer of the recipient certificate (RFC 4514), when named that way.
    pub issuer: Option<String>,
    /// Serial of the recipient certificate, when named that way.
    pub serial: Option<String>,
    /// subjectKeyIdentifier / KEK identifier, lower-case hex.
    pub ski: Option<String>,
    /// Details: KDF, wrap algorithm, OAEP hashes, PBKDF2 iterations.
    pub details: String,
    /// Which keyring entry opened it, if one did.
    pub matched_key: Option<String>,
}

/// The encryption entry of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct EncryptionReport {
    /// `enveloped-data`, `auth-enveloped-data`, `encrypted-data`, or `authenticated-data`
    /// (RFC 5652 §9: readable content whose MAC key is delivered to recipients).
    pub kind: String,
    /// `aes-256-cbc`, `aes-128-gcm`, `des-ede3-cbc`, …; for authenticated-data the MAC
    /// algorithm (`hmac-sha256`, …).
    pub content_algorithm: String,
    /// The recipients, in order.
    pub recipients: Vec<RecipientReport>,
    /// Whether the content was decrypted.
    pub decrypted: bool,
    /// Why (or why not), in one sentence.
    pub reason: String,
    /// Size of the decrypted content, when decrypted.
    pub content_size: Option<usize>,
    /// SHA-256 of the decrypted content, when decrypted.
    pub content_sha256: Option<String>,
    /// Index of the layer.
    pub layer: usize,
    /// authenticated-data only: whether a recovered key verified the MAC (`true`), a key
    /// meant for a recipient gave a different MAC (`false`: the message was altered), or
    /// absent when no key was at hand or the MAC algorithm is not supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub mac_verified: Option<bool>,
}

/// A certificate named briefly, as the key list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct KeyCertificate {
    /// Subject, RFC 4514.
    pub subject: String,
    /// Issuer, RFC 4514.
    pub issuer: String,
    /// Serial, upper-case hex.
    pub serial: String,
    /// Where the certificate came from: a file name, with " (PKCS#12)" for a bundle's own.
    pub source: String,
}

/// A private key the caller supplied (`--key`), as loaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct KeyReport {
    /// The file it came from.
    pub source: String,
    /// How the file held it: `pkcs8`, `encrypted-pkcs8`, `pkcs1`, `sec1`,
    /// `pem-encrypted-pkcs1`, `pem-encrypted-sec1`, `pem-encrypted-pkcs8`, `pkcs12`.
    pub form: String,
    /// Algorithm and size or curve: `rsa-2048`, `ec-p256`, `ec-p384`.
    pub key: String,
    /// The PKCS#12 friendlyName of its bag, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub label: Option<String>,
    /// The certificate (from the same file or the keyring) that carries its public key.
    pub certificate: Option<KeyCertificate>,
    /// The certificates that came in the same file (a PKCS#12 bundle's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(
        feature = "typescript",
        ts(as = "Option<Vec<KeyCertificate>>", optional)
    )]
    pub bundle_certificates: Vec<KeyCertificate>,
}

/// A protocol profile's judgement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ProfileReport {
    /// Profile name.
    pub name: String,
    /// Whether every MUST holds.
    pub conforms: bool,
    /// What the profile read from the message, as name/value pairs in a stable order:
    /// `sender_dn` (SSM's one-line form), `empa_id`, `request_id`, `message_kind`, …
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(
        feature = "typescript",
        ts(as = "Option<Vec<(String, String)>>", optional)
    )]
    pub details: Vec<(String, String)>,
    /// Profile findings.
    pub findings: Vec<Finding>,
}

impl ProfileReport {
    /// How the message stands against the profile, in words every front end shows:
    /// `conforms`; `not checked` when nothing but unopened encryption (or another warning)
    /// kept the rules from being checked; `does not conform` when a rule is broken (an
    /// error-severity finding).
    pub fn standing(&self) -> &'static str {
        if self.conforms {
            "conforms"
        } else if self.findings.iter().any(|f| f.severity == Severity::Error) {
            "does not conform"
        } else {
            "not checked"
        }
    }

    /// A detail's value by name.
    pub fn detail(&self, name: &str) -> Option<&str> {
        self.details
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What kind of failure made an input unreadable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// A BER/DER structure could not be read.
    Asn1,
    /// A structure was well-formed but not what its specification requires.
    Malformed,
    /// PEM armour or base64 text could not be decoded.
    Encoding,
    /// The input is of a kind sealscope does not read.
    Unrecognised,
    /// Key material could not be loaded.
    Load,
    /// Key material needs a password, or another one.
    Password,
    /// A time value could not be read.
    Time,
    /// A size, depth or count bound was exceeded.
    Limit,
    /// An option named something sealscope does not know.
    Option,
}

/// Why an input is unreadable, as a type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Failure {
    /// What kind of failure.
    pub kind: FailureKind,
    /// The same one-line message as `error`.
    pub message: String,
    /// The innermost layer being read when it failed (absent when none was read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub layer: Option<usize>,
    /// The byte offset of the offending element, in that layer's buffer, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub offset: Option<usize>,
}

impl Failure {
    /// The failure for a core error met while layer `layer` was being read.
    pub fn from_error(e: &crate::error::Error, layer: Option<usize>) -> Self {
        use crate::error::Error;
        let (kind, offset) = match e {
            Error::Asn1 { offset, .. } => (FailureKind::Asn1, Some(*offset)),
            // A damaged archive is a container that is not what its format requires.
            Error::Malformed { .. } | Error::Archive(_) => (FailureKind::Malformed, None),
            Error::Encoding(_) => (FailureKind::Encoding, None),
            Error::Unrecognised(_) => (FailureKind::Unrecognised, None),
            Error::Load { .. } => (FailureKind::Load, None),
            Error::Password { .. } => (FailureKind::Password, None),
            Error::Time { .. } => (FailureKind::Time, None),
            Error::Limit { .. } => (FailureKind::Limit, None),
            Error::UnknownName { .. } => (FailureKind::Option, None),
        };
        Failure {
            kind,
            message: e.to_string(),
            layer,
            offset,
        }
    }
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The input.
    pub input: InputInfo,
    /// Verification time used.
    pub verification_time: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Why the input is unreadable, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub error: Option<String>,
    /// The same, as a type: what kind of failure, in which layer, at which byte offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub failure: Option<Failure>,
    /// Layers in discovery order, outermost first.
    pub layers: Vec<Layer>,
    /// The same layers as a tree.
    pub tree: Option<Node>,
    /// Signatures found.
    pub signatures: Vec<SignatureReport>,
    /// Encryption layers: algorithms, recipients, whether and how they were opened.
    pub encryption: Vec<EncryptionReport>,
    /// The private keys the caller supplied, as loaded; absent when none were given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<KeyReport>>", optional))]
    pub keys: Vec<KeyReport>,
    /// Innermost content.
    pub content: Option<Content>,
    /// Profiles.
    pub profiles: Vec<ProfileReport>,
    /// Findings.
    pub findings: Vec<Finding>,
    /// The answer first: the decisive reason, the signer and chain in words, the next step.
    #[serde(default)]
    pub headline: headline::Headline,
}

impl Report {
    /// Recomputes [`Report::headline`] from the rest of the report (after a later step, such
    /// as a session's duplicate check, changed the verdict or the findings).
    pub fn refresh_headline(&mut self) {
        self.headline = headline::headline(self);
    }

    /// Serialises to one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Serialises to indented JSON.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Whether any finding has this code.
    pub fn has_finding(&self, code: &str) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }
}
