//! `sealscope compose`: the options of [`crate::actions::compose`], and where the message goes.

use super::secret;
use crate::actions::compose::{compose, ComposeRequest, Payload, SignerFiles, DEFAULT_RA_HOST};
use crate::error::CliError;
use sealscope_core::compose::templates::{SCMP_MESSAGE_TYPE, SCMP_PROTOCOL_VERSION, SCMP_TTL};
use sealscope_core::UnixTime;
use std::io::Write;
use std::path::PathBuf;

/// The signer: certificate, key, chain and which certificates the signature carries.
#[derive(clap::Args, Debug, Clone)]
pub struct SignerArgs {
    /// Signer certificate (PEM/DER); may be omitted when --signer-key is a PKCS#12 bundle.
    #[arg(long, value_name = "CERT")]
    pub signer: Option<PathBuf>,
    /// Signer private key: PKCS#8, PKCS#1, SEC1 or PKCS#12.
    #[arg(long, value_name = "KEY")]
    pub signer_key: Option<PathBuf>,
    /// Password of the signer key or bundle: env:NAME or file:PATH, never the password
    /// itself (default: SEALSCOPE_KEY_PASS).
    #[arg(long, value_name = "SOURCE")]
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
    #[arg(long, default_value_t = SCMP_TTL)]
    ttl: u64,
    /// SCMP-message-type.
    #[arg(long, default_value = SCMP_MESSAGE_TYPE)]
    message_type: String,
    /// SCMP-protocol-version.
    #[arg(long, default_value = SCMP_PROTOCOL_VERSION)]
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
    #[arg(long, default_value = DEFAULT_RA_HOST)]
    host: String,
    /// Where to write (default stdout).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// signingTime (RFC 3339); default now.
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// Password of the signer key, as --signer-pass: env:NAME or file:PATH.
    #[arg(long, value_name = "SOURCE")]
    key_pass: Option<String>,
    /// Deterministic randomness for reproducible tests only (never for real messages).
    #[arg(long, hide = true)]
    rng_seed: Option<u64>,
    /// The payload file, or - for standard input (for scmp-error, the error text may be
    /// given with --error instead).
    #[arg(value_name = "PAYLOAD")]
    payload: Option<PathBuf>,
}

impl SignerArgs {
    /// The signer's files; the password is read from where --signer-pass names, or from
    /// SEALSCOPE_KEY_PASS.
    pub fn files(&self) -> Result<SignerFiles, CliError> {
        self.files_with("--signer-pass", self.signer_pass.as_deref())
    }

    /// The signer's files with the password read from `pass`, as given to `option` (compose
    /// also takes it as --key-pass, and an error names the option the user wrote).
    fn files_with(&self, option: &str, pass: Option<&str>) -> Result<SignerFiles, CliError> {
        Ok(SignerFiles {
            cert: self.signer.clone(),
            key: self.signer_key.clone(),
            password: secret::resolve_or_env(option, pass, "SEALSCOPE_KEY_PASS")?,
            chain: self.chain.clone(),
            certs: self.certs.clone(),
        })
    }
}

impl ComposeArgs {
    /// The request these options describe.
    pub fn request(&self) -> Result<ComposeRequest, CliError> {
        let signer = match (&self.signer.signer_pass, &self.key_pass) {
            (None, Some(pass)) => self.signer.files_with("--key-pass", Some(pass))?,
            _ => self.signer.files()?,
        };
        Ok(ComposeRequest {
            profile: self.profile.clone(),
            signer,
            opaque: self.opaque,
            digest: self.digest.clone(),
            recipients: self.recipient.clone(),
            cipher: self.cipher.clone(),
            oaep: self.oaep,
            outform: self.outform.clone(),
            headers: self.header.clone(),
            destination: self.destination.clone(),
            empa_id: self.empa_id.clone(),
            request_id: self.request_id.clone(),
            ttl: self.ttl,
            message_type: self.message_type.clone(),
            protocol_version: self.protocol_version.clone(),
            error: self.error.clone(),
            target: self.target.clone(),
            filename: self.filename.clone(),
            start: self.start.clone(),
            host: self.host.clone(),
            at: self.at.clone(),
            rng_seed: self.rng_seed,
            payload: self.payload.clone().map(Payload::File),
        })
    }
}

/// Runs `sealscope compose`; returns the exit status.
pub fn run(args: ComposeArgs, now: UnixTime) -> Result<u8, CliError> {
    let bytes = compose(&args.request()?, now)?;
    match &args.out {
        Some(p) => std::fs::write(p, &bytes).map_err(|e| CliError::Write(p.clone(), e))?,
        None => {
            let _ = std::io::stdout().lock().write_all(&bytes);
        }
    }
    Ok(0)
}
