//! `sealscope compose`: build signed, encrypted and signed-then-encrypted messages.

use crate::error::CliError;
use sealscope_core::algorithms::Digest;
use sealscope_core::certificate::{load_certificates, Cert};
use sealscope_core::compose::{
    self, Cipher, ComposeOptions, EncryptOptions, IncludeCerts, Output, RsaPadding, SignForm,
    SignOptions,
};
use sealscope_core::{Keyring, UnixTime};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Options of `sealscope compose`.
#[derive(clap::Args, Debug)]
pub struct ComposeArgs {
    /// Signer certificate (PEM/DER); may be omitted when --signer-key is a PKCS#12 bundle.
    #[arg(long, value_name = "CERT")]
    signer: Option<PathBuf>,
    /// Signer private key: PKCS#8, PKCS#1, SEC1 or PKCS#12.
    #[arg(long, value_name = "KEY")]
    signer_key: Option<PathBuf>,
    /// Password of the signer key or bundle (or SEALSCOPE_KEY_PASS).
    #[arg(long, value_name = "PASS")]
    key_pass: Option<String>,
    /// Intermediate certificates to include with the signer's.
    #[arg(long, value_name = "PATH")]
    chain: Vec<PathBuf>,
    /// Which certificates the signature carries: none, signer, or chain (default: chain
    /// when --chain is given, else signer).
    #[arg(long, value_name = "WHICH")]
    certs: Option<String>,
    /// Opaque signed-data (application/pkcs7-mime) instead of multipart/signed.
    #[arg(long)]
    opaque: bool,
    /// Digest: sha256, sha384 or sha512.
    #[arg(long, default_value = "sha256")]
    digest: String,
    /// Recipient certificates: RSA ones by key transport, EC ones by ECDH key agreement.
    #[arg(long, value_name = "CERT")]
    recipient: Vec<PathBuf>,
    /// Content cipher: aes-128-cbc, aes-192-cbc, aes-256-cbc, aes-128-gcm, aes-256-gcm.
    #[arg(long, default_value = "aes-256-cbc")]
    cipher: String,
    /// RSA-OAEP (SHA-256) instead of PKCS#1 v1.5 for RSA recipients.
    #[arg(long)]
    oaep: bool,
    /// Output: mime (S/MIME message), der or pem (the outermost CMS structure).
    #[arg(long, default_value = "mime")]
    outform: String,
    /// Extra header for the outer MIME entity, "Name: value" (repeatable).
    #[arg(long, value_name = "HEADER")]
    header: Vec<String>,
    /// Where to write (default stdout).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// signingTime (RFC 3339); default now.
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// Deterministic randomness for reproducible tests only (never for real messages).
    #[arg(long, hide = true)]
    rng_seed: Option<u64>,
    /// The payload file, or - for standard input.
    #[arg(value_name = "PAYLOAD")]
    payload: PathBuf,
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

fn signer(args: &ComposeArgs, digest: Digest) -> Result<Option<SignOptions>, CliError> {
    let Some(key_path) = &args.signer_key else {
        if args.signer.is_some() {
            return Err(CliError::Usage("--signer needs --signer-key".into()));
        }
        return Ok(None);
    };
    let pass = args
        .key_pass
        .clone()
        .or_else(|| std::env::var("SEALSCOPE_KEY_PASS").ok());
    let mut ring = Keyring::new();
    ring.add_private_keys(
        &read(key_path)?,
        pass.as_deref(),
        &key_path.display().to_string(),
    )
    .map_err(|e| CliError::Load(key_path.clone(), e))?;
    let key = ring
        .keys
        .first()
        .cloned()
        .ok_or_else(|| CliError::Usage("no private key in --signer-key".into()))?;
    let candidates: Vec<Cert> = match &args.signer {
        Some(p) => certs_from(p)?,
        None => ring.certs.clone(),
    };
    let cert = candidates
        .iter()
        .find(|c| key.matches(c))
        .cloned()
        .ok_or_else(|| {
            CliError::Usage(
                "the signer certificate does not carry the public key of --signer-key (or give --signer)".into(),
            )
        })?;
    let mut chain = Vec::new();
    for p in &args.chain {
        chain.extend(certs_from(p)?);
    }
    if args.signer.is_none() {
        // A bundle's other certificates are the chain.
        chain.extend(ring.certs.iter().filter(|c| **c != cert).cloned());
    }
    let include = match args.certs.as_deref() {
        None if !chain.is_empty() => IncludeCerts::Chain,
        None | Some("signer") => IncludeCerts::Signer,
        Some("chain") => IncludeCerts::Chain,
        Some("none") => IncludeCerts::None,
        Some(other) => {
            return Err(CliError::Usage(format!(
                "--certs {other}: expected none, signer or chain"
            )))
        }
    };
    Ok(Some(SignOptions {
        cert,
        key: key.key,
        chain,
        digest,
        form: if args.opaque {
            SignForm::Opaque
        } else {
            SignForm::Detached
        },
        include,
    }))
}

/// Runs `sealscope compose`; returns the exit status.
pub fn run(args: ComposeArgs, now: UnixTime) -> Result<u8, CliError> {
    let digest = match args.digest.as_str() {
        "sha256" => Digest::Sha256,
        "sha384" => Digest::Sha384,
        "sha512" => Digest::Sha512,
        other => {
            return Err(CliError::Usage(format!(
                "--digest {other}: expected sha256, sha384 or sha512"
            )))
        }
    };
    let cipher = Cipher::from_name(&args.cipher).ok_or_else(|| {
        CliError::Usage(format!(
            "--cipher {}: expected aes-128-cbc, aes-192-cbc, aes-256-cbc, aes-128-gcm or aes-256-gcm",
            args.cipher
        ))
    })?;
    let output = match args.outform.as_str() {
        "mime" => Output::Mime,
        "der" => Output::Der,
        "pem" => Output::Pem,
        other => {
            return Err(CliError::Usage(format!(
                "--outform {other}: expected mime, der or pem"
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
    let sign = signer(&args, digest)?;
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
    let payload = read(&args.payload)?;
    let opts = ComposeOptions {
        sign,
        encrypt,
        output,
        at,
        headers,
    };
    let bytes = match args.rng_seed {
        Some(seed) => compose::compose(
            &payload,
            &opts,
            &mut sealscope_core::rng::SeededRng::new(seed),
        ),
        None => compose::compose(
            &payload,
            &opts,
            &mut rand_core::UnwrapErr(getrandom::SysRng),
        ),
    }
    .map_err(|e| CliError::Usage(e.to_string()))?;
    match &args.out {
        Some(p) => std::fs::write(p, &bytes).map_err(|e| CliError::Read(p.clone(), e))?,
        None => {
            let _ = std::io::stdout().lock().write_all(&bytes);
        }
    }
    Ok(0)
}
