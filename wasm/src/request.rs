//! Inspection and composition requests as plain Rust values, read from JavaScript option
//! objects by `js_options` and run here, so the same path is testable natively.

use crate::error::WasmError;
use crate::material::Material;
use sealscope_core::compose::profile::{resolve, Choices, Effective, TemplateError};
use sealscope_core::compose::{
    self, Cipher, ComposeOptions, EncryptOptions, IncludeCerts, Output, RsaPadding, ScmsKind,
    SignDigest, SignForm, SignOptions, SignerProblem,
};
use sealscope_core::ieee1609::compose::{scms_pdu, signed_request};
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
    /// Which certificates need a revocation status (`crlCheck`).
    pub revocation_check: Option<sealscope_core::RevocationCheck>,
    /// Whether paths are held to the whole RFC 5280 profile (`x509Strict`).
    pub x509_strict: Option<bool>,
    /// The initial certificate-policy inputs (`policies`, `explicitPolicy`,
    /// `inhibitPolicyMapping`, `inhibitAnyPolicy`), when any of them is given.
    pub policy: Option<sealscope_core::x509::policies::PolicySettings>,
}

impl Inline {
    /// Whether no material was given.
    pub fn is_empty(&self) -> bool {
        self.trust.is_empty()
            && self.certs.is_empty()
            && self.crls.is_empty()
            && self.keys.is_empty()
            && self.passwords.is_empty()
            && self.revocation_check.is_none()
            && self.x509_strict.is_none()
            && self.policy.is_none()
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
        if let Some(check) = self.revocation_check {
            m.session.keyring_mut().revocation_check = check;
        }
        if let Some(strict) = self.x509_strict {
            m.session.keyring_mut().x509_strict = strict;
        }
        if let Some(policy) = &self.policy {
            m.session.keyring_mut().policy = policy.clone();
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
    name.parse()
        .map_err(|e: sealscope_core::Error| WasmError::option("profile", e.to_string()))
}

/// Parses the name given for `option` (`"sha1": expected sha256, sha384 or sha512` when the
/// core does not know it).
fn named<T>(option: &str, given: &str) -> Result<T, WasmError>
where
    T: std::str::FromStr<Err = sealscope_core::Error>,
{
    given.parse().map_err(|e| match e {
        sealscope_core::Error::UnknownName {
            given, expected, ..
        } => WasmError::option(option, format!("{given:?}: expected {expected}")),
        other => WasmError::option(option, other.to_string()),
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
            digest: Effective::DEFAULTS.digest.to_string(),
            form: Effective::DEFAULTS.form.to_string(),
            include: None,
            recipients: Vec::new(),
            cipher: Effective::DEFAULTS.cipher.to_string(),
            rsa_padding: Effective::DEFAULTS.rsa_padding.to_string(),
            output: Effective::DEFAULTS.outform.output().to_string(),
            at,
            headers: Vec::new(),
        }
    }

    fn sign_options(&self, s: &Signer, e: &Effective) -> Result<SignOptions, WasmError> {
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
        let include = match self.include.as_deref() {
            Some(name) => named("include", name)?,
            None => IncludeCerts::default_for(!chain.is_empty()),
        };
        Ok(SignOptions {
            cert: signer.cert,
            key: signer.key,
            chain,
            digest: e.digest.digest(),
            form: e.form,
            include,
        })
    }

    /// The names read and the core's defaults and rules applied (no template: the
    /// JavaScript API composes plain S/MIME).
    fn effective(&self) -> Result<(Effective, Output), WasmError> {
        // Signing names are read only when signing, encryption names only when encrypting,
        // so an unused option is never refused.
        let signing = self.signer.is_some();
        let encrypting = !self.recipients.is_empty();
        let choices = Choices {
            digest: signing
                .then(|| named::<SignDigest>("digest", &self.digest))
                .transpose()?,
            form: signing
                .then(|| named::<SignForm>("form", &self.form))
                .transpose()?,
            cipher: encrypting
                .then(|| named::<Cipher>("cipher", &self.cipher))
                .transpose()?,
            rsa_padding: encrypting
                .then(|| named::<RsaPadding>("rsaPadding", &self.rsa_padding))
                .transpose()?,
            signer: signing,
            recipients: encrypting,
            ..Choices::default()
        };
        let output: Output = named("output", &self.output)?;
        let e = resolve(None, &choices).map_err(|e| match e {
            TemplateError::Core(c) => WasmError::Core(c),
            other => WasmError::option("options", other.to_string()),
        })?;
        Ok((e, output))
    }

    /// Composes `payload` with randomness from `rng`.
    pub fn run(
        &self,
        payload: &[u8],
        rng: &mut dyn rand_core::CryptoRng,
    ) -> Result<Vec<u8>, WasmError> {
        let (e, output) = self.effective()?;
        let sign = self
            .signer
            .as_ref()
            .map(|s| self.sign_options(s, &e))
            .transpose()?;
        let encrypt = if self.recipients.is_empty() {
            None
        } else {
            let mut recipients = Vec::new();
            for b in &self.recipients {
                recipients.extend(load_certificates(b, "recipient certificate")?);
            }
            Some(EncryptOptions {
                recipients,
                cipher: e.cipher,
                rsa_padding: e.rsa_padding,
            })
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
        let kind: ScmsKind = named("request", &self.request)?;
        let req = kind
            .request(self.filename.as_deref(), start)
            .map_err(|e| match e {
                TemplateError::ScmsFilename => {
                    WasmError::option("filename", "a download request names a file")
                }
                other => WasmError::option("request", other.to_string()),
            })?;
        let pdu = scms_pdu(&req, self.at, rng)?;
        Ok(signed_request(&pdu, &self.cert, &key.key)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(at: UnixTime) -> ComposeRequest {
        let mut r = ComposeRequest::new(at);
        r.signer = Some(Signer {
            cert: None,
            key: b"not a key".to_vec(),
            password: None,
            chain: Vec::new(),
        });
        r
    }

    fn error(r: &ComposeRequest) -> String {
        let mut rng = sealscope_core::crypto::rng::SeededRng::new(1);
        r.run(b"x", &mut rng).unwrap_err().to_string()
    }

    #[test]
    fn names_are_read_by_the_core_and_worded_per_option() {
        let at = UnixTime(1_800_000_000);
        let mut r = signed(at);
        r.digest = "sha1".into();
        assert_eq!(
            error(&r),
            "option digest: \"sha1\": expected sha256, sha384 or sha512"
        );
        let mut r = signed(at);
        r.form = "inline".into();
        assert_eq!(
            error(&r),
            "option form: \"inline\": expected detached or opaque"
        );
        let mut r = signed(at);
        r.output = "smime".into();
        assert_eq!(
            error(&r),
            "option output: \"smime\": expected mime, der or pem"
        );
        // Encryption names are not read when nothing is encrypted.
        let mut r = signed(at);
        r.cipher = "rot13".into();
        r.rsa_padding = "none".into();
        assert!(error(&r).contains("signer key"), "{}", error(&r));
        assert_eq!(
            profile("x").unwrap_err().to_string(),
            "option profile: unknown profile \"x\": expected emi, ssm, bitrepo or scmp"
        );
        assert_eq!(profile("APEL").ok(), Some(Profile::Ssm));
    }

    #[test]
    fn defaults_are_the_cores() {
        let r = ComposeRequest::new(UnixTime(0));
        assert_eq!(
            (
                r.digest.as_str(),
                r.form.as_str(),
                r.cipher.as_str(),
                r.rsa_padding.as_str(),
                r.output.as_str()
            ),
            ("sha256", "detached", "aes-256-cbc", "pkcs1v15", "mime")
        );
    }

    #[test]
    fn scms_request_names() {
        assert_eq!(
            named::<ScmsKind>("request", "renew")
                .unwrap_err()
                .to_string(),
            "option request: \"renew\": expected download, ra-cert, pseudonym or id"
        );
        assert_eq!(named("request", "ra-cert").ok(), Some(ScmsKind::RaCert));
    }
}
