//! `sealscope scms-batch`: checks a downloaded batch of implicit certificates (pseudonym,
//! application or identification) against the end entity's own keys: for each `<name>.cert`
//! with its `<name>.s`, the private key the end entity derives (butterfly expansion of the
//! seed when an expansion key is given, then ECQV) must belong to the public key
//! reconstructed from the certificate and its issuer's key. The work is the core's
//! ([`sealscope_core::ieee1609::batch`]); this module reads files and prints.

use crate::error::CliError;
use sealscope_core::ieee1609::batch::{self, Item, Row, RowStatus, Seed};
use sealscope_core::Keyring;
use std::path::{Path, PathBuf};

/// Options of `sealscope scms-batch`.
#[derive(clap::Args, Debug)]
pub struct BatchArgs {
    /// Certificates (`.cert`, COER) or directories of them; each needs its private-key
    /// reconstruction value beside it (`<name>.s`, 32 bytes).
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    /// The end entity's seed private key (butterfly) or request private key: 32 raw bytes
    /// (an SCMS `dwnl_sgn.priv`) or 64 hex digits.
    #[arg(long, value_name = "FILE")]
    seed_key: PathBuf,
    /// The signing expansion key (`sgn_expnsn.key`): 16 raw bytes or 32 hex digits. Without
    /// it the seed key is taken as the request key itself (no butterfly expansion).
    #[arg(long, value_name = "FILE")]
    expansion_key: Option<PathBuf>,
    /// The issuing CA's certificate (the PCA, or the ACA/ECA) and any certificates above it
    /// needed to reconstruct its key, COER; repeatable.
    #[arg(long, value_name = "FILE", required = true)]
    issuer: Vec<PathBuf>,
    /// Print the rows as JSON (one array).
    #[arg(long)]
    json: bool,
}

/// Reads `path`: `n` raw bytes, or 2n hex digits (whitespace ignored).
fn key_file<const N: usize>(path: &Path, what: &str) -> Result<[u8; N], CliError> {
    let bytes = std::fs::read(path).map_err(|e| CliError::Read(path.to_path_buf(), e))?;
    if let Ok(raw) = <[u8; N]>::try_from(bytes.as_slice()) {
        return Ok(raw);
    }
    let text: String = String::from_utf8_lossy(&bytes)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    hex::decode(&text)
        .ok()
        .and_then(|v| <[u8; N]>::try_from(v.as_slice()).ok())
        .ok_or_else(|| {
            CliError::Usage(format!(
                "{}: the {what} must be {N} raw bytes or {} hex digits (the file has {} bytes)",
                path.display(),
                2 * N,
                bytes.len()
            ))
        })
}

/// The `.cert` files named by `paths` (directories: their `.cert` files, sorted).
fn cert_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let rd = std::fs::read_dir(p).map_err(|e| CliError::Read(p.clone(), e))?;
            let mut v: Vec<PathBuf> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "cert"))
                .collect();
            if v.is_empty() {
                return Err(CliError::Usage(format!(
                    "{}: no .cert files in this directory",
                    p.display()
                )));
            }
            v.sort();
            out.extend(v);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn item(path: &Path) -> Result<Item, CliError> {
    let cert = std::fs::read(path).map_err(|e| CliError::Read(path.to_path_buf(), e))?;
    let s_path = path.with_extension("s");
    let recon_priv = if s_path.exists() {
        Some(key_file::<32>(&s_path, "private-key reconstruction value")?)
    } else {
        None
    };
    Ok(Item {
        name: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        cert,
        recon_priv,
    })
}

fn print_rows(rows: &[Row]) {
    for r in rows {
        let at = match (r.i, r.j) {
            (Some(i), Some(j)) => format!(" i={i:#x} j={j}"),
            (Some(i), None) => format!(" i={i:#x}"),
            _ => String::new(),
        };
        println!(
            "{:<10} {} {}{}: {}",
            match r.status {
                RowStatus::Match => "match",
                RowStatus::Mismatch => "MISMATCH",
                RowStatus::Error => "ERROR",
            },
            r.name,
            r.hashed_id8.as_deref().unwrap_or("-"),
            at,
            r.reason
        );
        if let Some(k) = &r.public_key {
            println!("           key {k}");
        }
    }
}

/// Runs the command: 0 when every certificate matches, 1 otherwise.
pub fn run(args: BatchArgs) -> Result<u8, CliError> {
    let seed = Seed {
        private_key: key_file::<32>(&args.seed_key, "seed key")?,
        expansion_key: match &args.expansion_key {
            Some(p) => Some(key_file::<16>(p, "expansion key")?),
            None => None,
        },
    };
    let mut keyring = Keyring::new();
    for p in &args.issuer {
        let bytes = std::fs::read(p).map_err(|e| CliError::Read(p.clone(), e))?;
        keyring
            .add_certs(&bytes, &p.display().to_string())
            .map_err(|e| CliError::Load(p.clone(), e))?;
    }
    let pool = keyring.ieee1609_certs.clone();
    if pool.is_empty() {
        return Err(CliError::Usage(
            "--issuer: none of the files is an IEEE 1609.2 certificate".into(),
        ));
    }
    let items = cert_files(&args.paths)?
        .iter()
        .map(|p| item(p))
        .collect::<Result<Vec<_>, _>>()?;
    let rows = batch::check(&seed, &pool, &items);
    let matched = rows.iter().filter(|r| r.status == RowStatus::Match).count();
    if args.json {
        let text = serde_json::to_string_pretty(&rows)
            .map_err(|e| CliError::Usage(format!("cannot write JSON: {e}")))?;
        println!("{text}");
    } else {
        print_rows(&rows);
        println!(
            "{matched} of {} certificates match the {} key{}",
            rows.len(),
            if seed.expansion_key.is_some() {
                "seed"
            } else {
                "request"
            },
            if seed.expansion_key.is_some() {
                " (butterfly expansion, then ECQV)"
            } else {
                " (ECQV)"
            }
        );
    }
    Ok(if matched == rows.len() { 0 } else { 1 })
}
