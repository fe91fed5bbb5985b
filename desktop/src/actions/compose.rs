//! Composing a message: S/MIME with or without a profile template, or an SCMS EE→RA
//! request. The command line and the window fill the same [`ComposeRequest`] and get the
//! message's bytes back; names are read with the core's `FromStr` and the template's rules
//! are the core's (`compose::profile::resolve`).

use crate::error::CliError;
use sealscope_core::compose::profile::{resolve, Choices, OutForm};
use sealscope_core::compose::scms::ScmsOutput;
use sealscope_core::compose::templates::{self, ScmpHeaders};
use sealscope_core::compose::{
    self, Cipher, ComposeOptions, EncryptOptions, IncludeCerts, RsaPadding, ScmsKind, SignDigest,
    SignForm, SignOptions, Signer, SignerProblem, Template, TemplateError,
};
use sealscope_core::crypto::algorithms::Digest;
use sealscope_core::crypto::rng::SeededRng;
use sealscope_core::x509::certificate::{load_certificates, Cert};
use sealscope_core::{Keyring, UnixTime};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Where the signer's material is: certificate, key (with its password), chain, and which
/// certificates the signature carries.
#[derive(Clone, Debug, Default)]
pub struct SignerFiles {
    /// Signer certificate (PEM/DER; COER for SCMS); optional when the key is a PKCS#12.
    pub cert: Option<PathBuf>,
    /// Signer private key: PKCS#8, PKCS#1, SEC1 or PKCS#12.
    pub key: Option<PathBuf>,
    /// Password of the key or bundle (held in memory only).
    pub password: Option<String>,
    /// Intermediate certificates to include.
    pub chain: Vec<PathBuf>,
    /// Which certificates the signature carries (`none`, `signer`, `chain`); default the
    /// chain when there is one, else the signer's.
    pub certs: Option<String>,
}

/// The payload: a file (`-` for standard input) or bytes already in memory.
#[derive(Clone, Debug)]
pub enum Payload {
    /// A file, or `-` for standard input.
    File(PathBuf),
    /// Bytes (the window's payload text).
    Bytes(Vec<u8>),
}

/// A composition as the user asked for it. Names are the command line's words (`sha256`,
/// `aes-128-cbc`, `ssm`, `stomp`, …), read here for every front end.
#[derive(Clone, Debug)]
pub struct ComposeRequest {
    /// Profile template: emi, ssm, bitrepo, scmp, scmp-error, scms-….
    pub profile: Option<String>,
    /// The signer.
    pub signer: SignerFiles,
    /// Opaque signed-data instead of multipart/signed.
    pub opaque: bool,
    /// Digest name.
    pub digest: Option<String>,
    /// Recipient certificate files.
    pub recipients: Vec<PathBuf>,
    /// Content cipher name.
    pub cipher: Option<String>,
    /// RSA-OAEP for RSA recipients.
    pub oaep: bool,
    /// Output form name (S/MIME: mime, der, pem, stomp, http; SCMS: der, base64, hex, http).
    pub outform: Option<String>,
    /// Extra headers of the outer MIME entity, `Name: value`.
    pub headers: Vec<String>,
    /// STOMP destination.
    pub destination: Option<String>,
    /// SSM message id.
    pub empa_id: Option<String>,
    /// SCMP-request-id (required for scmp-error).
    pub request_id: Option<String>,
    /// SCMP-request-time-to-live.
    pub ttl: u64,
    /// SCMP-message-type.
    pub message_type: String,
    /// SCMP-protocol-version.
    pub protocol_version: String,
    /// SCMP error, `NUMBER text`.
    pub error: Option<String>,
    /// HTTP request target.
    pub target: Option<String>,
    /// SCMS download file name.
    pub filename: Option<String>,
    /// SCMS requested start time (RFC 3339).
    pub start: Option<String>,
    /// SCMS: the RA's Host for the HTTP carrier.
    pub host: String,
    /// signingTime (RFC 3339); default now.
    pub at: Option<String>,
    /// Deterministic randomness, for reproducible tests only.
    pub rng_seed: Option<u64>,
    /// The payload (none for an scmp-error given by `error`).
    pub payload: Option<Payload>,
}

impl Default for ComposeRequest {
    fn default() -> Self {
        ComposeRequest {
            profile: None,
            signer: SignerFiles::default(),
            opaque: false,
            digest: None,
            recipients: Vec::new(),
            cipher: None,
            oaep: false,
            outform: None,
            headers: Vec::new(),
            destination: None,
            empa_id: None,
            request_id: None,
            ttl: templates::SCMP_TTL,
            message_type: templates::SCMP_MESSAGE_TYPE.into(),
            protocol_version: templates::SCMP_PROTOCOL_VERSION.into(),
            error: None,
            target: None,
            filename: None,
            start: None,
            host: DEFAULT_RA_HOST.into(),
            at: None,
            rng_seed: None,
            payload: None,
        }
    }
}

/// The RA host an SCMS HTTP carrier names unless told otherwise.
pub const DEFAULT_RA_HOST: &str = "ra.example";

fn read(p: &Path) -> Result<Vec<u8>, CliError> {
    if p.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| CliError::Read(p.to_path_buf(), e))?;
        return Ok(buf);
    }
    std::fs::read(p).map_err(|e| CliError::Read(p.to_path_buf(), e))
}

fn certs_from(p: &Path) -> Result<Vec<Cert>, CliError> {
    let bytes = read(p)?;
    load_certificates(&bytes, &p.display().to_string())
        .map_err(|e| CliError::Load(p.to_path_buf(), e))
}

/// Reads a name with the core's `FromStr`, the error worded for `option`.
fn name<T: FromStr<Err = sealscope_core::Error>>(
    text: Option<&str>,
    option: &str,
) -> Result<Option<T>, CliError> {
    text.map(|t| {
        t.parse::<T>()
            .map_err(|e| CliError::Usage(e.for_option(option)))
    })
    .transpose()
}

fn time(text: Option<&str>, option: &str) -> Result<Option<UnixTime>, CliError> {
    text.map(|t| UnixTime::parse(t).map_err(|e| CliError::Usage(format!("{option}: {e}"))))
        .transpose()
}

fn usage(e: impl std::fmt::Display) -> CliError {
    CliError::Usage(e.to_string())
}

fn key_ring(key: &Path, password: Option<&str>) -> Result<Keyring, CliError> {
    let mut ring = Keyring::new();
    ring.add_private_keys(&read(key)?, password, &key.display().to_string())
        .map_err(|e| CliError::Load(key.to_path_buf(), e))?;
    Ok(ring)
}

impl SignerFiles {
    /// The signing options, or `None` when no key is given.
    pub fn sign_options(
        &self,
        digest: Digest,
        form: SignForm,
    ) -> Result<Option<SignOptions>, CliError> {
        let Some(key_path) = &self.key else {
            if self.cert.is_some() {
                return Err(CliError::Usage("--signer needs --signer-key".into()));
            }
            return Ok(None);
        };
        let ring = key_ring(key_path, self.password.as_deref())?;
        let given = match &self.cert {
            Some(p) => Some(certs_from(p)?),
            None => None,
        };
        let mut chain = Vec::new();
        for p in &self.chain {
            chain.extend(certs_from(p)?);
        }
        let signer = Signer::select(&ring, given.as_deref(), chain).map_err(|problem| {
            CliError::Usage(match problem {
                SignerProblem::NoKey => "no private key in --signer-key".into(),
                SignerProblem::NoMatchingCertificate => "the signer certificate does not carry the public key of --signer-key (or give --signer)".into(),
            })
        })?;
        let include = match &self.certs {
            Some(n) => n
                .parse::<IncludeCerts>()
                .map_err(|e| CliError::Usage(e.for_option("--certs")))?,
            None => IncludeCerts::default_for(!signer.chain.is_empty()),
        };
        Ok(Some(SignOptions {
            cert: signer.cert,
            key: signer.key,
            chain: signer.chain,
            digest,
            form,
            include,
        }))
    }
}

/// The operating system's generator, or a seeded one for reproducible tests.
fn rng(seed: Option<u64>) -> Box<dyn rand_core::CryptoRng> {
    match seed {
        Some(seed) => Box::new(SeededRng::new(seed)),
        None => Box::new(rand_core::UnwrapErr(getrandom::SysRng)),
    }
}

fn headers(list: &[String]) -> Result<Vec<(String, String)>, CliError> {
    list.iter()
        .map(|h| {
            h.split_once(':')
                .filter(|(n, _)| !n.trim().is_empty() && !n.contains(char::is_whitespace))
                .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
                .ok_or_else(|| CliError::Usage(format!("--header {h:?}: expected \"Name: value\"")))
        })
        .collect()
}

/// Composes the message the request describes and returns its bytes.
pub fn compose(req: &ComposeRequest, now: UnixTime) -> Result<Vec<u8>, CliError> {
    let template: Option<Template> = name(req.profile.as_deref(), "--profile")?;
    // SCMS requests are IEEE 1609.2, not S/MIME: none of the S/MIME options apply.
    if let Some(Template::Scms(kind)) = template {
        return scms(req, kind, now);
    }
    let choices = Choices {
        digest: name::<SignDigest>(req.digest.as_deref(), "--digest")?,
        cipher: name::<Cipher>(req.cipher.as_deref(), "--cipher")?,
        form: req.opaque.then_some(SignForm::Opaque),
        rsa_padding: req.oaep.then_some(RsaPadding::OaepSha256),
        outform: name::<OutForm>(req.outform.as_deref(), "--outform")?,
        signer: req.signer.key.is_some(),
        recipients: !req.recipients.is_empty(),
        request_id: req.request_id.is_some(),
        error: req.error.is_some(),
    };
    let eff = resolve(template, &choices).map_err(usage)?;
    let at = time(req.at.as_deref(), "--at")?.unwrap_or(now);
    let headers = headers(&req.headers)?;
    let sign = req.signer.sign_options(eff.digest.digest(), eff.form)?;
    let mut recipients = Vec::new();
    for p in &req.recipients {
        recipients.extend(certs_from(p)?);
    }
    let encrypt = (!recipients.is_empty()).then_some(EncryptOptions {
        recipients,
        cipher: eff.cipher,
        rsa_padding: eff.rsa_padding,
    });
    let payload = match (&req.payload, template, &req.error) {
        (Some(Payload::File(p)), _, _) => read(p)?,
        (Some(Payload::Bytes(b)), _, _) => b.clone(),
        (None, Some(Template::ScmpError), Some(_)) => Vec::new(),
        (None, _, _) => {
            return Err(CliError::Usage(
                "give the payload file (or - for stdin)".into(),
            ))
        }
    };
    let opts = ComposeOptions {
        sign,
        encrypt,
        output: eff.outform.output(),
        at,
        headers,
    };
    let mut rng_box = rng(req.rng_seed);
    let rng: &mut dyn rand_core::CryptoRng = rng_box.as_mut();
    match template {
        None | Some(Template::Emi | Template::Ssm) => {
            // SSM signs as `openssl smime -sign -text` does.
            let payload = if template == Some(Template::Ssm) {
                templates::ssm_text_entity(&payload)
            } else {
                payload
            };
            let body = compose::compose(&payload, &opts, rng).map_err(usage)?;
            Ok(match eff.outform {
                OutForm::Stomp => templates::stomp_send(
                    template,
                    req.destination.as_deref(),
                    req.empa_id.as_deref(),
                    &body,
                    at,
                    rng,
                ),
                _ => body,
            })
        }
        Some(Template::Bitrepo) => {
            let Some(s) = &opts.sign else {
                return Err(usage(TemplateError::SignerRequired(Template::Bitrepo)));
            };
            let sig = templates::bitrepo_signature(&payload, s, at).map_err(usage)?;
            Ok(match eff.outform {
                OutForm::Stomp => {
                    templates::bitrepo_send(req.destination.as_deref(), &payload, &sig)
                }
                _ => sig,
            })
        }
        Some(t @ (Template::Scmp | Template::ScmpError)) => {
            let is_error = t == Template::ScmpError;
            let request_id = match &req.request_id {
                Some(id) => id.clone(),
                None => templates::scmp_request_id(at, rng),
            };
            let h = ScmpHeaders {
                protocol_version: req.protocol_version.clone(),
                ttl: req.ttl,
                message_type: req.message_type.clone(),
                request_id,
            };
            let payload = match &req.error {
                Some(e) => templates::scmp_error_entity(e).map_err(usage)?,
                None => payload,
            };
            let msg = templates::scmp_message(&h, &payload, &opts, is_error, rng).map_err(usage)?;
            Ok(match eff.outform {
                OutForm::Http => templates::scmp_http(&msg, is_error, req.target.as_deref()),
                _ => msg,
            })
        }
        Some(Template::Scms(kind)) => scms(req, kind, now),
    }
}

/// An SCMS EE→RA request (IEEE 1609.2, COER), signed with the enrollment certificate.
fn scms(req: &ComposeRequest, kind: ScmsKind, now: UnixTime) -> Result<Vec<u8>, CliError> {
    use sealscope_core::ieee1609::compose::{scms_pdu, signed_request};
    let at = time(req.at.as_deref(), "--at")?.unwrap_or(now);
    let (Some(cert_path), Some(key_path)) = (&req.signer.cert, &req.signer.key) else {
        return Err(usage(TemplateError::ScmsSigner));
    };
    let cert = read(cert_path)?;
    let ring = key_ring(key_path, req.signer.password.as_deref())?;
    let key = ring
        .keys
        .first()
        .ok_or_else(|| CliError::Usage("no private key in --signer-key".into()))?;
    let start = time(req.start.as_deref(), "--start")?.unwrap_or(at);
    let request = kind
        .request(req.filename.as_deref(), start)
        .map_err(usage)?;
    let mut rng_box = rng(req.rng_seed);
    let pdu = scms_pdu(&request, at, rng_box.as_mut()).map_err(usage)?;
    let apdu = signed_request(&pdu, &cert, &key.key).map_err(usage)?;
    let target = req
        .target
        .clone()
        .unwrap_or_else(|| kind.default_target(req.filename.as_deref()));
    let output = name::<ScmsOutput>(req.outform.as_deref(), "--outform")?.unwrap_or_default();
    Ok(output.write(kind, &apdu, &target, &req.host))
}
