//! Inspection and composition requests as plain Rust values, read from JavaScript option
//! objects by `js_options` and run here, so the same path is testable natively.

use crate::error::WasmError;
use crate::material::Material;
use sealscope_core::compose::{
    self, Cipher, ComposeOptions, EncryptOptions, IncludeCerts, Output, RsaPadding, SignForm,
    SignOptions, SignerProblem,
};
use sealscope_core::ieee1609::compose::{scms_pdu, signed_request, Request};
use sealscope_core::profiles::Profile;
use sealscope_core::x509::certificate::load_certificates;
use sealscope_core::{Options, Report, UnixTime};

/// Key material given inline with a request.
#[derive(Clone, Debug, Default)]
pub struct Inline {
    /// Trust anchors.
    pub trust: Vec<(String, Vec<u8>)>,
    /// Extra certificates.
    pub certs: Vec<(String, Vec<u8>)>,
    /// CRLs.
    pub crls: Vec<(String, Vec<u8>)>,
    /// Private keys with their passwords.
    pub keys: Vec<(String, Vec<u8>, Option<String>)>,
    /// Passwords for PWRI recipients.
    pub passwords: Vec<String>,
}

impl Inline {
    /// Whether no material was given.
    pub fn is_empty(&self) -> bool {
        self.trust.is_empty()
            && self.certs.is_empty()
            && self.crls.is_empty()
            && self.keys.is_empty()
            && self.passwords.is_empty()
    }

    /// Loads everything into `m`; the first failure names its file.
    pub fn load_into(&self, m: &mut Material) -> Result<(), WasmError> {
        for (name, b) in &self.trust {
            m.add_trust(b, name)?;
        }
        for (name, b) in &self.certs {
            m.add_certificates(b, name)?;
        }
        for (name, b) in &self.crls {
            m.add_crls(b, name)?;
        }
        for (name, b, pw) in &self.keys {
            m.add_keys(b, name, pw.as_deref())?;
        }
        for pw in &self.passwords {
            m.add_password(pw);
        }
        Ok(())
    }
}

/// What `inspect()` was asked.
#[derive(Clone, Debug)]
pub struct InspectRequest {
    /// The input's name in the report.
    pub name: String,
    /// Verification time.
    pub at: UnixTime,
    /// Forced profile.
    pub profile: Option<Profile>,
    /// SSM sender allow-list.
    pub allowed_senders: Option<Vec<String>>,
    /// SCMP replay window, seconds.
    pub replay_window: Option<u64>,
    /// SCMS time tolerance, seconds.
    pub time_tolerance: Option<u64>,
    /// Largest input inspected, bytes (the core's default when `None`).
    pub max_input: Option<usize>,
    /// Detached content for a lone signature.
    pub content: Option<Vec<u8>>,
}

impl InspectRequest {
    /// A request with a name and time and nothing else.
    pub fn new(name: &str, at: UnixTime) -> Self {
        InspectRequest {
            name: name.to_string(),
            at,
            profile: None,
            allowed_senders: None,
            replay_window: None,
            time_tolerance: None,
            max_input: None,
            content: None,
        }
    }

    /// The core's options.
    pub fn options(&self) -> Options {
        let mut o = Options::new(self.name.clone(), self.at);
        o.profile = self.profile;
        o.allowed_senders = self.allowed_senders.clone();
        o.replay_window = self.replay_window;
        o.time_tolerance = self.time_tolerance;
        o.detached_content = self.content.clone();
        if let Some(limit) = self.max_input {
            o.max_input = limit;
        }
        o
    }

    /// Inspects `bytes` with `material`.
    pub fn run(&self, bytes: &[u8], material: &mut Material) -> Report {
        material.session.inspect_with(bytes, &self.options())
    }

    /// Inspects and keeps the decoded buffers the layer ranges refer to.
    pub fn run_with_buffers(
        &self,
        bytes: &[u8],
        material: &mut Material,
    ) -> (Report, Vec<Vec<u8>>) {
        material
            .session
            .inspect_with_buffers(bytes, &self.options())
    }
}

/// Parses a profile name.
pub fn profile(name: &str) -> Result<Profile, WasmError> {
    Profile::from_name(name).ok_or_else(|| {
        WasmError::option(
            "profile",
            format!("unknown profile {name:?} (known: emi, ssm, bitrepo, scmp)"),
        )
    })
}

/// The signer of a composition.
#[derive(Clone, Debug)]
pub struct Signer {
    /// Certificate file (PEM/DER); may be absent when the key file is PKCS#12.
    pub cert: Option<Vec<u8>>,
    /// Key file: PKCS#8, PKCS#1, SEC1 or PKCS#12.
    pub key: Vec<u8>,
    /// Its password.
    pub password: Option<String>,
    /// Intermediate certificates to include.
    pub chain: Vec<Vec<u8>>,
}

/// What `compose()` was asked.
#[derive(Clone, Debug)]
pub struct ComposeRequest {
    /// Signer, if signing.
    pub signer: Option<Signer>,
    /// `sha256`, `sha384`, `sha512`.
    pub digest: String,
    /// `detached` or `opaque`.
    pub form: String,
    /// `none`, `signer`, `chain`; default chain when a chain is given, else signer.
    pub include: Option<String>,
    /// Recipient certificates, if encrypting.
    pub recipients: Vec<Vec<u8>>,
    /// Content cipher name.
    pub cipher: String,
    /// `pkcs1v15` or `oaep`.
    pub rsa_padding: String,
    /// `mime`, `der`, `pem`.
    pub output: String,
    /// Signing time.
    pub at: UnixTime,
    /// Extra MIME headers.
    pub headers: Vec<(String, String)>,
}

impl ComposeRequest {
    /// Defaults: SHA-256, detached, AES-256-CBC, PKCS#1 v1.5, MIME.
    pub fn new(at: UnixTime) -> Self {
        ComposeRequest {
            signer: None,
            digest: "sha256".into(),
            form: "detached".into(),
            include: None,
            recipients: Vec::new(),
            cipher: "aes-256-cbc".into(),
            rsa_padding: "pkcs1v15".into(),
            output: "mime".into(),
            at,
            headers: Vec::new(),
        }
    }

    fn sign_options(&self, s: &Signer) -> Result<SignOptions, WasmError> {
        let mut m = Material::default();
        m.add_keys(&s.key, "signer key", s.password.as_deref())?;
        let given = match &s.cert {
            Some(b) => Some(load_certificates(b, "signer certificate")?),
            None => None,
        };
        let mut chain = Vec::new();
        for b in &s.chain {
            chain.extend(load_certificates(b, "chain certificate")?);
        }
        let signer = compose::Signer::select(m.session.keyring(), given.as_deref(), chain)
            .map_err(|p| match p {
                SignerProblem::NoKey => WasmError::option("signer.key", "holds no private key"),
                SignerProblem::NoMatchingCertificate => {
                    WasmError::option("signer.cert", "does not carry the public key of signer.key")
                }
            })?;
        let chain = signer.chain;
        let include =
            IncludeCerts::choose(self.include.as_deref(), !chain.is_empty()).ok_or_else(|| {
                WasmError::option(
                    "include",
                    format!(
                        "{:?}: expected none, signer or chain",
                        self.include.as_deref().unwrap_or_default()
                    ),
                )
            })?;
        let digest = match self.digest.as_str() {
            "sha256" => sealscope_core::crypto::algorithms::Digest::Sha256,
            "sha384" => sealscope_core::crypto::algorithms::Digest::Sha384,
            "sha512" => sealscope_core::crypto::algorithms::Digest::Sha512,
            other => {
                return Err(WasmError::option(
                    "digest",
                    format!("{other:?}: expected sha256, sha384 or sha512"),
                ))
            }
        };
        let form = match self.form.as_str() {
            "detached" => SignForm::Detached,
            "opaque" => SignForm::Opaque,
            other => {
                return Err(WasmError::option(
                    "form",
                    format!("{other:?}: expected detached or opaque"),
                ))
            }
        };
        Ok(SignOptions {
            cert: signer.cert,
            key: signer.key,
            chain,
            digest,
            form,
            include,
        })
    }

    /// Composes `payload` with randomness from `rng`.
    pub fn run(
        &self,
        payload: &[u8],
        rng: &mut dyn rand_core::CryptoRng,
    ) -> Result<Vec<u8>, WasmError> {
        let sign = self
            .signer
            .as_ref()
            .map(|s| self.sign_options(s))
            .transpose()?;
        let encrypt = if self.recipients.is_empty() {
            None
        } else {
            let mut recipients = Vec::new();
            for b in &self.recipients {
                recipients.extend(load_certificates(b, "recipient certificate")?);
            }
            let cipher = Cipher::from_name(&self.cipher).ok_or_else(|| {
                WasmError::option(
                    "cipher",
                    format!(
                        "{:?}: expected aes-128-cbc, aes-192-cbc, aes-256-cbc, aes-128-gcm or aes-256-gcm",
                        self.cipher
                    ),
                )
            })?;
            let rsa_padding = match self.rsa_padding.as_str() {
                "pkcs1v15" | "pkcs1" => RsaPadding::Pkcs1v15,
                "oaep" | "oaep-sha256" => RsaPadding::OaepSha256,
                other => {
                    return Err(WasmError::option(
                        "rsaPadding",
                        format!("{other:?}: expected pkcs1v15 or oaep"),
                    ))
                }
            };
            Some(EncryptOptions {
                recipients,
                cipher,
                rsa_padding,
            })
        };
        let output = match self.output.as_str() {
            "mime" => Output::Mime,
            "der" => Output::Der,
            "pem" => Output::Pem,
            other => {
                return Err(WasmError::option(
                    "output",
                    format!("{other:?}: expected mime, der or pem"),
                ))
            }
        };
        let opts = ComposeOptions {
            sign,
            encrypt,
            output,
            at: self.at,
            headers: self.headers.clone(),
        };
        Ok(compose::compose(payload, &opts, rng)?)
    }
}

/// What `composeScms()` was asked: a signed SCMS EE→RA request.
#[derive(Clone, Debug)]
pub struct ScmsRequest {
    /// `download`, `ra-cert`, `pseudonym`, `id`.
    pub request: String,
    /// File name for `download`.
    pub filename: Option<String>,
    /// requested-start-time for `pseudonym` and `id` (default: `at`).
    pub start: Option<UnixTime>,
    /// The enrollment certificate (COER).
    pub cert: Vec<u8>,
    /// Its P-256 private key.
    pub key: Vec<u8>,
    /// The key's password.
    pub password: Option<String>,
    /// Generation time.
    pub at: UnixTime,
}

impl ScmsRequest {
    /// Builds the COER `Ieee1609Dot2Data`.
    pub fn run(&self, rng: &mut dyn rand_core::CryptoRng) -> Result<Vec<u8>, WasmError> {
        let mut m = Material::default();
        m.add_keys(&self.key, "key", self.password.as_deref())?;
        let key = m
            .session
            .keyring()
            .keys
            .first()
            .ok_or_else(|| WasmError::option("key", "holds no private key"))?;
        let start = self.start.unwrap_or(self.at);
        let req = match self.request.as_str() {
            "download" => Request::Download {
                filename: self.filename.clone().ok_or_else(|| {
                    WasmError::option("filename", "a download request names a file")
                })?,
            },
            "ra-cert" => Request::RaCert,
            "pseudonym" => Request::Pseudonym { start },
            "id" => Request::Id { start },
            other => {
                return Err(WasmError::option(
                    "request",
                    format!("{other:?}: expected download, ra-cert, pseudonym or id"),
                ))
            }
        };
        let pdu = scms_pdu(&req, self.at, rng)?;
        Ok(signed_request(&pdu, &self.cert, &key.key)?)
    }
}
