//! The options every command that inspects shares: keyring files, verification time,
//! profile, SSM allow-list, SCMP replay window, output form.

use crate::error::CliError;
use crate::keyring_files;
use sealscope_core::profiles::Profile;
use sealscope_core::{Keyring, Options, Report, UnixTime, Verdict};
use std::path::PathBuf;

/// Keyring and judgement options.
#[derive(clap::Args, Debug, Clone)]
pub struct CheckArgs {
    /// Print one JSON report per message (JSON Lines when there are several).
    #[arg(long)]
    pub json: bool,
    /// Trust anchors: a PEM/DER file, a PEM bundle or an OpenSSL hashed directory.
    #[arg(long, value_name = "PATH")]
    pub trust: Vec<PathBuf>,
    /// Extra certificates (intermediates, signers a message leaves out).
    #[arg(long, value_name = "PATH")]
    pub cert: Vec<PathBuf>,
    /// CRLs: a PEM/DER file or a directory of them.
    #[arg(long, value_name = "PATH")]
    pub crl: Vec<PathBuf>,
    /// Private keys for decryption: PEM/DER PKCS#8 (plain or encrypted), PKCS#1, SEC1 or
    /// PKCS#12.
    #[arg(long, value_name = "PATH")]
    pub key: Vec<PathBuf>,
    /// Password of encrypted keys (or set SEALSCOPE_KEY_PASS; never echoed).
    #[arg(long, value_name = "PASS")]
    pub key_pass: Option<String>,
    /// A pre-shared key-encryption key for KEK recipients, as hex KEKID:KEY.
    #[arg(long, value_name = "ID:KEY")]
    pub kek: Vec<String>,
    /// A password for password (PWRI) recipients.
    #[arg(long, value_name = "PASSWORD")]
    pub password: Vec<String>,
    /// A content-encryption key, in hex, for EncryptedData (which has no recipients).
    #[arg(long, value_name = "HEX")]
    pub content_key: Vec<String>,
    /// Verification time (RFC 3339, e.g. 2027-01-01T00:00:00Z); default now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Apply a protocol profile whatever the input looks like: emi, ssm, bitrepo, scmp.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// SSM sender allow-list: a file with one DN per line (one-line /C=…/CN=… or RFC 4514).
    #[arg(long, value_name = "FILE")]
    pub allow_dn: Option<PathBuf>,
    /// SCMP replay window in seconds: warn about messages signed further from now (or --at).
    #[arg(long, value_name = "SECS")]
    pub replay_window: Option<u64>,
    /// SCMS: the RA's tolerance in seconds for request timestamps (time-outside-tolerance).
    #[arg(long, value_name = "SECS")]
    pub time_tolerance: Option<u64>,
    /// SCMS: a file of blacklisted certificate HashedId8s, one hex value per line.
    #[arg(long, value_name = "FILE")]
    pub blacklist: Option<PathBuf>,
    /// Largest input read, in bytes or with a K, M or G suffix (powers of 1024); a larger
    /// one is reported unreadable without being parsed. Default 256M.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_input: Option<usize>,
}

/// `123`, `64K`, `256M`, `1G` (also `KiB`, `MiB`, `GiB`) as a byte count.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (number, unit) = t.split_at(digits);
    let shift = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KIB" => 10,
        "M" | "MIB" => 20,
        "G" | "GIB" => 30,
        _ => {
            return Err(format!(
                "{text:?} is not a size (a number with an optional K, M or G)"
            ))
        }
    };
    let n: usize = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size (a number with an optional K, M or G)"))?;
    n.checked_mul(1usize << shift)
        .filter(|&v| v > 0)
        .ok_or_else(|| format!("{text:?} is out of range"))
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) || s.is_empty() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Everything an inspection needs, built once.
pub struct Checker {
    /// The keyring.
    pub keyring: Keyring,
    /// The template options (name filled per message).
    pub base: Options,
    /// JSON output.
    pub json: bool,
    colour: bool,
}

impl CheckArgs {
    /// Loads the keyring and builds the options.
    pub fn checker(&self, now: UnixTime) -> Result<Checker, CliError> {
        let at = match &self.at {
            Some(t) => UnixTime::parse(t).map_err(|e| CliError::Usage(format!("--at: {e}")))?,
            None => now,
        };
        let profile = match &self.profile {
            Some(name) => Some(Profile::from_name(name).ok_or_else(|| {
                CliError::Usage(format!(
                    "--profile {name}: unknown profile (known: emi, ssm, bitrepo, scmp)"
                ))
            })?),
            None => None,
        };
        let mut keyring = Keyring::new();
        for p in &self.trust {
            keyring_files::add_trust(&mut keyring, p)?;
        }
        for p in &self.cert {
            keyring_files::add_certs(&mut keyring, p)?;
        }
        for p in &self.crl {
            keyring_files::add_crls(&mut keyring, p)?;
        }
        let key_pass = self
            .key_pass
            .clone()
            .or_else(|| std::env::var("SEALSCOPE_KEY_PASS").ok());
        for p in &self.key {
            keyring_files::add_keys(&mut keyring, p, key_pass.as_deref())?;
        }
        for k in &self.kek {
            let (id, key) = k
                .split_once(':')
                .and_then(|(i, k)| Some((decode_hex(i)?, decode_hex(k)?)))
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "--kek {k:?}: expected hex KEKID:KEY, e.g. 0a0b:00112233…"
                    ))
                })?;
            if ![16, 24, 32].contains(&key.len()) {
                return Err(CliError::Usage(format!(
                    "--kek: the key is {} bytes; an AES key-encryption key is 16, 24 or 32",
                    key.len()
                )));
            }
            keyring.add_kek(&id, &key);
        }
        for k in &self.content_key {
            let key = decode_hex(k).ok_or_else(|| {
                CliError::Usage(format!(
                    "--content-key {k:?}: expected the key in hex, e.g. 00112233…"
                ))
            })?;
            if ![5, 8, 16, 24, 32].contains(&key.len()) {
                return Err(CliError::Usage(format!(
                    "--content-key: the key is {} bytes; a content-encryption key is 16, 24 or 32 (AES), 24 (Triple DES) or 5 to 16 (RC2)",
                    key.len()
                )));
            }
            keyring.add_content_key(&key);
        }
        for pw in &self.password {
            keyring.add_password(pw);
        }
        let mut base = Options::new("-", at);
        base.profile = profile;
        base.replay_window = self.replay_window;
        base.time_tolerance = self.time_tolerance;
        if let Some(limit) = self.max_input {
            base.max_input = limit;
        }
        if let Some(p) = &self.blacklist {
            let text = std::fs::read_to_string(p).map_err(|e| CliError::Read(p.clone(), e))?;
            for line in text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
            {
                let id = decode_hex(line)
                    .and_then(|b| <[u8; 8]>::try_from(b).ok())
                    .ok_or_else(|| {
                        CliError::Usage(format!(
                            "--blacklist {}: {line:?} is not a HashedId8 (16 hex digits)",
                            p.display()
                        ))
                    })?;
                base.blacklist.push(id);
            }
        }
        if let Some(p) = &self.allow_dn {
            let text = std::fs::read_to_string(p).map_err(|e| CliError::Read(p.clone(), e))?;
            base.allowed_senders = Some(sealscope_core::profiles::ssm::parse_allow_list(&text));
        }
        Ok(Checker {
            keyring,
            base,
            json: self.json,
            colour: crate::render::use_colour(),
        })
    }
}

impl Checker {
    /// Options for one message.
    pub fn options(&self, name: &str) -> Options {
        let mut o = self.base.clone();
        o.name = name.to_string();
        o
    }

    /// Inspects bytes.
    pub fn inspect(&self, bytes: &[u8], name: &str) -> Report {
        sealscope_core::inspect(bytes, &self.keyring, &self.options(name))
    }

    /// The report as the user asked for it (text or one JSON line).
    pub fn render(&self, report: &Report) -> String {
        if self.json {
            report.to_json()
        } else {
            crate::render::text(report, self.base.at, self.colour)
        }
    }
}

/// The exit status a verdict contributes.
pub fn exit_code(v: Verdict) -> u8 {
    match v {
        Verdict::Valid | Verdict::Warning => 0,
        Verdict::Invalid => 1,
        Verdict::Unreadable => 2,
    }
}
