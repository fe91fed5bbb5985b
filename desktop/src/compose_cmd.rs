//! `sealscope compose`: build signed, encrypted and signed-then-encrypted messages.

use crate::error::CliError;
use sealscope_core::algorithms::Digest;
use sealscope_core::certificate::{load_certificates, Cert};
use sealscope_core::compose::{
    self, Cipher, ComposeOptions, EncryptOptions, IncludeCerts, Output, RsaPadding, SignForm,
    SignOptions, Signer, SignerProblem,
};
use sealscope_core::profiles::bitrepo;
use sealscope_core::{stomp, templates, Keyring, UnixTime};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The signer: certificate, key, chain and which certificates the signature carries.
#[derive(clap::Args, Debug, Clone)]
pub struct SignerArgs {
    /// Signer certificate (PEM/DER); may be omitted when --signer-key is a PKCS#12 bundle.
    #[arg(long, value_name = "CERT")]
    pub signer: Option<PathBuf>,
    /// Signer private key: PKCS#8, PKCS#1, SEC1 or PKCS#12.
    #[arg(long, value_name = "KEY")]
    pub signer_key: Option<PathBuf>,
    /// Password of the signer key or bundle (or SEALSCOPE_KEY_PASS).
    #[arg(long, value_name = "PASS")]
    pub signer_pass: Option<String>,
    /// Intermediate certificates to include with the signer's.
    #[arg(long, value_name = "PATH")]
    pub chain: Vec<PathBuf>,
    /// Which certificates the signature carries: none, signer, or chain (default: chain
    /// when --chain is given, else signer).
    #[arg(long, value_name = "WHICH")]
    pub certs: Option<String>,
}

/// Options of `sealscope compose`.
#[derive(clap::Args, Debug)]
pub struct ComposeArgs {
    /// A profile template: emi, ssm, bitrepo, scmp, scmp-error. It fixes what the profile
    /// requires (digests, ciphers, headers, carrier) and refuses what it forbids.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    #[command(flatten)]
    signer: SignerArgs,
    /// Opaque signed-data (application/pkcs7-mime) instead of multipart/signed.
    #[arg(long)]
    opaque: bool,
    /// Digest: sha256, sha384 or sha512.
    #[arg(long)]
    digest: Option<String>,
    /// Recipient certificates: RSA ones by key transport, EC ones by ECDH key agreement.
    #[arg(long, value_name = "CERT")]
    recipient: Vec<PathBuf>,
    /// Content cipher: aes-128-cbc, aes-192-cbc, aes-256-cbc, aes-128-gcm, aes-256-gcm
    /// (default aes-256-cbc; aes-128-cbc for ssm, as SSM2 sends).
    #[arg(long)]
    cipher: Option<String>,
    /// RSA-OAEP (SHA-256) instead of PKCS#1 v1.5 for RSA recipients.
    #[arg(long)]
    oaep: bool,
    /// Output: mime (S/MIME message), der or pem (the outermost CMS structure), stomp (a
    /// SEND frame; the default for bitrepo), http (a POST request, or a response for
    /// scmp-error).
    #[arg(long)]
    outform: Option<String>,
    /// Extra header for the outer MIME entity, "Name: value" (repeatable).
    #[arg(long, value_name = "HEADER")]
    header: Vec<String>,
    /// STOMP destination for --outform stomp.
    #[arg(long, value_name = "DEST")]
    destination: Option<String>,
    /// SSM message id (empa-id); default a fresh time-based id.
    #[arg(long, value_name = "ID")]
    empa_id: Option<String>,
    /// SCMP-request-id (22 digits); default a fresh one (time + random). For replies and
    /// errors: the id of the request answered.
    #[arg(long, value_name = "ID")]
    request_id: Option<String>,
    /// SCMP-request-time-to-live in seconds.
    #[arg(long, default_value_t = 90)]
    ttl: u64,
    /// SCMP-message-type.
    #[arg(long, default_value = "Commerce/2.0")]
    message_type: String,
    /// SCMP-protocol-version.
    #[arg(long, default_value = "2.0")]
    protocol_version: String,
    /// SCMP error for --profile scmp-error: "NUMBER text", e.g. "105 duplicate request id".
    #[arg(long, value_name = "NUMBER TEXT")]
    error: Option<String>,
    /// HTTP request target for --outform http (default /scmp; for SCMS requests the RA
    /// path of the request).
    #[arg(long)]
    target: Option<String>,
    /// SCMS download request: the file name.
    #[arg(long)]
    filename: Option<String>,
    /// SCMS provisioning requests: requested-start-time (RFC 3339); default the request time.
    #[arg(long, value_name = "TIME")]
    start: Option<String>,
    /// SCMS: the RA's Host for --outform http.
    #[arg(long, default_value = "ra.example")]
    host: String,
    /// Where to write (default stdout).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// signingTime (RFC 3339); default now.
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// Password of the signer key (same as --signer-pass; or SEALSCOPE_KEY_PASS).
    #[arg(long, value_name = "PASS")]
    key_pass: Option<String>,
    /// Deterministic randomness for reproducible tests only (never for real messages).
    #[arg(long, hide = true)]
    rng_seed: Option<u64>,
    /// The payload file, or - for standard input (for scmp-error, the error text may be
    /// given with --error instead).
    #[arg(value_name = "PAYLOAD")]
    payload: Option<PathBuf>,
}

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

impl SignerArgs {
    /// The signing options, or `None` when no signer key is given.
    pub fn sign_options(
        &self,
        digest: Digest,
        form: SignForm,
    ) -> Result<Option<SignOptions>, CliError> {
        let args = self;
        let Some(key_path) = &args.signer_key else {
            if args.signer.is_some() {
                return Err(CliError::Usage("--signer needs --signer-key".into()));
            }
            return Ok(None);
        };
        let pass = args
            .signer_pass
            .clone()
            .or_else(|| std::env::var("SEALSCOPE_KEY_PASS").ok());
        let mut ring = Keyring::new();
        ring.add_private_keys(
            &read(key_path)?,
            pass.as_deref(),
            &key_path.display().to_string(),
        )
        .map_err(|e| CliError::Load(key_path.clone(), e))?;
        let given = match &args.signer {
            Some(p) => Some(certs_from(p)?),
            None => None,
        };
        let mut chain = Vec::new();
        for p in &args.chain {
            chain.extend(certs_from(p)?);
        }
        let signer = Signer::select(&ring, given.as_deref(), chain).map_err(|problem| {
            CliError::Usage(match problem {
                SignerProblem::NoKey => "no private key in --signer-key".into(),
                SignerProblem::NoMatchingCertificate => "the signer certificate does not carry the public key of --signer-key (or give --signer)".into(),
            })
        })?;
        let chain = signer.chain;
        let include =
            IncludeCerts::choose(args.certs.as_deref(), !chain.is_empty()).ok_or_else(|| {
                CliError::Usage(format!(
                    "--certs {}: expected none, signer or chain",
                    args.certs.as_deref().unwrap_or_default()
                ))
            })?;
        Ok(Some(SignOptions {
            cert: signer.cert,
            key: signer.key,
            chain,
            digest,
            form,
            include,
        }))
    }
}

/// The operating system's generator, or a seeded one for reproducible tests (`--rng-seed`).
fn rng(seed: Option<u64>) -> Box<dyn rand_core::CryptoRng> {
    match seed {
        Some(seed) => Box::new(sealscope_core::rng::SeededRng::new(seed)),
        None => Box::new(rand_core::UnwrapErr(getrandom::SysRng)),
    }
}

/// Profile templates `compose --profile` knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Template {
    Emi,
    Ssm,
    Bitrepo,
    Scmp,
    ScmpError,
    Scms(ScmsKind),
}

/// The SCMS EE→RA requests `compose` makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ScmsKind {
    Download,
    RaCert,
    Pseudonym,
    Id,
}

fn template(name: &str) -> Result<Template, CliError> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "emi" => Template::Emi,
        "ssm" | "apel" => Template::Ssm,
        "bitrepo" | "bitrepository" => Template::Bitrepo,
        "scmp" => Template::Scmp,
        "scmp-error" => Template::ScmpError,
        "scms-download" => Template::Scms(ScmsKind::Download),
        "scms-ra-cert" => Template::Scms(ScmsKind::RaCert),
        "scms-pseudonym" => Template::Scms(ScmsKind::Pseudonym),
        "scms-id" => Template::Scms(ScmsKind::Id),
        other => {
            return Err(CliError::Usage(format!(
                "--profile {other}: expected emi, ssm, bitrepo, scmp, scmp-error, scms-download, scms-ra-cert, scms-pseudonym or scms-id"
            )))
        }
    })
}

fn usage(e: sealscope_core::Error) -> CliError {
    CliError::Usage(e.to_string())
}

/// Runs `sealscope compose`; returns the exit status.
pub fn run(mut args: ComposeArgs, now: UnixTime) -> Result<u8, CliError> {
    if args.signer.signer_pass.is_none() {
        args.signer.signer_pass = args.key_pass.clone();
    }
    let tpl = args.profile.as_deref().map(template).transpose()?;
    // SCMS requests are IEEE 1609.2, not S/MIME: none of the options below apply.
    if let Some(Template::Scms(kind)) = tpl {
        return scms(&args, kind, now);
    }
    let digest_name = args.digest.clone().unwrap_or_else(|| {
        if tpl == Some(Template::Bitrepo) {
            "sha512".into()
        } else {
            "sha256".into()
        }
    });
    let digest = match digest_name.as_str() {
        "sha256" => Digest::Sha256,
        "sha384" => Digest::Sha384,
        "sha512" => Digest::Sha512,
        other => {
            return Err(CliError::Usage(format!(
                "--digest {other}: expected sha256, sha384 or sha512"
            )))
        }
    };
    if tpl == Some(Template::Bitrepo) && digest != Digest::Sha512 {
        return Err(CliError::Usage(
            "--profile bitrepo signs with SHA-512 (seed 001); drop --digest".into(),
        ));
    }
    let cipher_name = args.cipher.clone().unwrap_or_else(|| {
        if tpl == Some(Template::Ssm) {
            "aes-128-cbc".into()
        } else {
            "aes-256-cbc".into()
        }
    });
    let cipher = Cipher::from_name(&cipher_name).ok_or_else(|| {
        CliError::Usage(format!(
            "--cipher {cipher_name}: expected aes-128-cbc, aes-192-cbc, aes-256-cbc, aes-128-gcm or aes-256-gcm"
        ))
    })?;
    let default_outform = match tpl {
        Some(Template::Bitrepo) => "stomp",
        _ => "mime",
    };
    let outform = args
        .outform
        .clone()
        .unwrap_or_else(|| default_outform.into());
    let (output, carrier) = match outform.as_str() {
        "mime" => (Output::Mime, None),
        "der" => (Output::Der, None),
        "pem" => (Output::Pem, None),
        "stomp" => (Output::Mime, Some("stomp")),
        "http" => (Output::Mime, Some("http")),
        other => {
            return Err(CliError::Usage(format!(
                "--outform {other}: expected mime, der, pem, stomp or http"
            )))
        }
    };
    let at = match &args.at {
        Some(t) => UnixTime::parse(t).map_err(|e| CliError::Usage(format!("--at: {e}")))?,
        None => now,
    };
    let mut headers = Vec::new();
    for h in &args.header {
        let (n, v) = h
            .split_once(':')
            .filter(|(n, _)| !n.trim().is_empty() && !n.contains(char::is_whitespace))
            .ok_or_else(|| CliError::Usage(format!("--header {h:?}: expected \"Name: value\"")))?;
        headers.push((n.trim().to_string(), v.trim().to_string()));
    }
    if tpl.is_some() && args.opaque && tpl != Some(Template::Scmp) {
        return Err(CliError::Usage(
            "--opaque: EMI and SSM messages are multipart/signed, Bit Repository signatures detached".into(),
        ));
    }
    let form = if args.opaque {
        SignForm::Opaque
    } else {
        SignForm::Detached
    };
    let sign = args.signer.sign_options(digest, form)?;
    if tpl.is_some() && sign.is_none() {
        return Err(CliError::Usage(format!(
            "--profile {}: every message of this profile is signed; give --signer-key (and --signer)",
            args.profile.as_deref().unwrap_or("")
        )));
    }
    let mut recipients = Vec::new();
    for p in &args.recipient {
        recipients.extend(certs_from(p)?);
    }
    let encrypt = (!recipients.is_empty()).then_some(EncryptOptions {
        recipients,
        cipher,
        rsa_padding: if args.oaep {
            RsaPadding::OaepSha256
        } else {
            RsaPadding::Pkcs1v15
        },
    });
    let payload = match (&args.payload, tpl, &args.error) {
        (Some(p), _, _) => read(p)?,
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
        output,
        at,
        headers,
    };
    let mut rng_box = rng(args.rng_seed);
    let rng: &mut dyn rand_core::CryptoRng = rng_box.as_mut();
    let bytes = match tpl {
        None | Some(Template::Emi) | Some(Template::Ssm) => {
            let body = compose::compose(&payload, &opts, rng).map_err(usage)?;
            match carrier {
                Some("stomp") => {
                    let mut h = vec![(
                        "destination".to_string(),
                        args.destination
                            .clone()
                            .unwrap_or_else(|| "/queue/global.accounting.cpu.central".into()),
                    )];
                    if tpl == Some(Template::Ssm) {
                        let id = args
                            .empa_id
                            .clone()
                            .unwrap_or_else(|| templates::ssm_message_id(at, rng));
                        h.push(("receipt".into(), id.clone()));
                        h.push(("empa-id".into(), id));
                    }
                    stomp::encode_frame("SEND", &h, &body)
                }
                Some(_) => {
                    return Err(CliError::Usage(
                        "--outform http is for the scmp profiles".into(),
                    ))
                }
                None => body,
            }
        }
        Some(Template::Bitrepo) => {
            let Some(s) = &opts.sign else {
                return Err(CliError::Usage("--profile bitrepo needs a signer".into()));
            };
            if opts.encrypt.is_some() {
                return Err(CliError::Usage(
                    "--profile bitrepo signs the XML; encryption is not part of the scheme here"
                        .into(),
                ));
            }
            let sig = templates::bitrepo_signature(&payload, s, at).map_err(usage)?;
            match outform.as_str() {
                "der" => sig,
                "stomp" => {
                    use base64::Engine;
                    let h = vec![
                        (
                            "destination".to_string(),
                            args.destination
                                .clone()
                                .unwrap_or_else(|| "/topic/bitrepository.messages".into()),
                        ),
                        (
                            bitrepo::SIGNATURE_HEADER.to_string(),
                            base64::engine::general_purpose::STANDARD.encode(&sig),
                        ),
                    ];
                    stomp::encode_frame("SEND", &h, &payload)
                }
                other => {
                    return Err(CliError::Usage(format!(
                        "--outform {other}: a Bit Repository message is a STOMP frame (stomp) or its signature alone (der)"
                    )))
                }
            }
        }
        Some(Template::Scms(kind)) => return scms(&args, kind, now), // handled above
        Some(t @ (Template::Scmp | Template::ScmpError)) => {
            let is_error = t == Template::ScmpError;
            let request_id = match &args.request_id {
                Some(id) => id.clone(),
                None if is_error => {
                    return Err(CliError::Usage(
                        "--profile scmp-error answers a request: give its --request-id".into(),
                    ))
                }
                None => templates::scmp_request_id(at, rng),
            };
            let h = templates::ScmpHeaders {
                protocol_version: args.protocol_version.clone(),
                ttl: args.ttl,
                message_type: args.message_type.clone(),
                request_id,
            };
            let payload = match (&args.error, is_error) {
                (Some(e), true) => {
                    let (num, text) = e.split_once(' ').unwrap_or((e.as_str(), ""));
                    let num: u32 = num.parse().map_err(|_| {
                        CliError::Usage(format!("--error {e:?}: expected \"NUMBER text\""))
                    })?;
                    let mut v = b"Content-Type: text/plain\r\n\r\n".to_vec();
                    v.extend_from_slice(
                        templates::scmp_error_text(num, text)
                            .map_err(usage)?
                            .as_bytes(),
                    );
                    v
                }
                (Some(_), false) => {
                    return Err(CliError::Usage(
                        "--error is for --profile scmp-error".into(),
                    ))
                }
                (None, _) => payload,
            };
            let msg = templates::scmp_message(&h, &payload, &opts, is_error, rng).map_err(usage)?;
            match carrier {
                Some("http") if is_error => templates::http_response(200, "OK", &msg),
                Some("http") => templates::http_request(
                    "POST",
                    args.target.as_deref().unwrap_or("/scmp"),
                    "localhost",
                    &msg,
                ),
                Some(_) => {
                    return Err(CliError::Usage(
                        "--outform stomp is for emi, ssm and bitrepo".into(),
                    ))
                }
                None => msg,
            }
        }
    };
    match &args.out {
        Some(p) => std::fs::write(p, &bytes).map_err(|e| CliError::Read(p.clone(), e))?,
        None => {
            let _ = std::io::stdout().lock().write_all(&bytes);
        }
    }
    Ok(0)
}

/// `compose --profile scms-…`: a signed SCMS EE→RA request (IEEE 1609.2, COER).
fn scms(args: &ComposeArgs, kind: ScmsKind, now: UnixTime) -> Result<u8, CliError> {
    use base64::Engine;
    use sealscope_core::ieee1609::compose::{scms_pdu, signed_request, Request};
    let at = match &args.at {
        Some(t) => UnixTime::parse(t).map_err(|e| CliError::Usage(format!("--at: {e}")))?,
        None => now,
    };
    let (Some(cert_path), Some(key_path)) = (&args.signer.signer, &args.signer.signer_key) else {
        return Err(CliError::Usage(
            "SCMS requests are signed with the enrollment certificate (--signer, COER) and its P-256 key (--signer-key)".into(),
        ));
    };
    let cert = read(cert_path)?;
    let mut ring = Keyring::new();
    ring.add_private_keys(
        &read(key_path)?,
        args.signer.signer_pass.as_deref(),
        &key_path.display().to_string(),
    )
    .map_err(|e| CliError::Load(key_path.clone(), e))?;
    let key = ring
        .keys
        .first()
        .ok_or_else(|| CliError::Usage("no private key in --signer-key".into()))?;
    let start = match &args.start {
        Some(t) => UnixTime::parse(t).map_err(|e| CliError::Usage(format!("--start: {e}")))?,
        None => at,
    };
    let (req, default_target) = match kind {
        ScmsKind::Download => {
            let filename = args.filename.clone().ok_or_else(|| {
                CliError::Usage("--profile scms-download needs --filename".into())
            })?;
            let target = format!("/download/{filename}");
            (Request::Download { filename }, target)
        }
        ScmsKind::RaCert => (Request::RaCert, "/ra-certificate".to_string()),
        ScmsKind::Pseudonym => (
            Request::Pseudonym { start },
            "/provision-pseudonym-certificate-batch".to_string(),
        ),
        ScmsKind::Id => (
            Request::Id { start },
            "/provision-identity-certificate".to_string(),
        ),
    };
    let mut rng_box = rng(args.rng_seed);
    let rng: &mut dyn rand_core::CryptoRng = rng_box.as_mut();
    let pdu = scms_pdu(&req, at, rng).map_err(usage)?;
    let apdu = signed_request(&pdu, &cert, &key.key).map_err(usage)?;
    let target = args.target.clone().unwrap_or(default_target);
    let bytes = match args.outform.as_deref().unwrap_or("der") {
        "der" | "coer" => apdu,
        "base64" => {
            let mut v = base64::engine::general_purpose::STANDARD
                .encode(&apdu)
                .into_bytes();
            v.push(b'\n');
            v
        }
        "hex" => {
            let mut v = hex::encode(&apdu).into_bytes();
            v.push(b'\n');
            v
        }
        // The seed's carriers: GET with the base64 APDU in a header, POST with it as body.
        "http" if kind == ScmsKind::Download => format!(
            "GET {target} HTTP/1.1\r\nHost: {}\r\nDownload-Req: {}\r\n\r\n",
            args.host,
            base64::engine::general_purpose::STANDARD.encode(&apdu)
        )
        .into_bytes(),
        "http" => {
            let mut v = format!(
                "POST {target} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
                args.host,
                apdu.len()
            )
            .into_bytes();
            v.extend_from_slice(&apdu);
            v
        }
        other => {
            return Err(CliError::Usage(format!(
                "--outform {other}: SCMS requests are der (COER), base64, hex or http"
            )))
        }
    };
    match &args.out {
        Some(p) => std::fs::write(p, &bytes).map_err(|e| CliError::Read(p.clone(), e))?,
        None => {
            let _ = std::io::stdout().lock().write_all(&bytes);
        }
    }
    Ok(0)
}
