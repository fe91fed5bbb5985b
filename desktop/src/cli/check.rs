//! The command-line options every command that inspects shares: keyring files, verification time,
//! profile, SSM allow-list, SCMP replay window, output form.

use super::secret;
use crate::actions::inspect::InspectSetup;
use crate::error::CliError;
use sealscope_core::x509::policies::{PolicyOid, PolicySettings};
use sealscope_core::{Options, Report, Session, UnixTime, Verdict};
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
    /// Require a usable CRL for the signer's certificate (as openssl -crl_check); without
    /// it, CRLs are applied where one from the issuer is given.
    #[arg(long)]
    pub crl_check: bool,
    /// Require a usable CRL for every certificate below the trust anchor (as openssl
    /// -crl_check_all).
    #[arg(long, conflicts_with = "crl_check")]
    pub crl_check_all: bool,
    /// Hold every certificate of a path to the whole RFC 5280 certificate profile (key
    /// identifiers, criticality, serial numbers, name syntax), as openssl -x509_strict.
    #[arg(long)]
    pub x509_strict: bool,
    /// An acceptable certificate policy (RFC 5280 user-initial-policy-set), as a dotted OID;
    /// repeat it or separate OIDs by commas (as openssl -policy). Default: any policy.
    #[arg(long = "policy", value_name = "OID", value_parser = parse_policies)]
    pub policy: Vec<PolicyList>,
    /// Require a valid certificate policy for the whole path (as openssl -explicit_policy).
    #[arg(long)]
    pub explicit_policy: bool,
    /// Do not follow policy mappings (as openssl -inhibit_map).
    #[arg(long)]
    pub inhibit_policy_mapping: bool,
    /// Do not take anyPolicy in a certificate as a match (as openssl -inhibit_any).
    #[arg(long)]
    pub inhibit_any_policy: bool,
    /// Private keys for decryption: PEM/DER PKCS#8 (plain or encrypted), PKCS#1, SEC1 or
    /// PKCS#12.
    #[arg(long, value_name = "PATH")]
    pub key: Vec<PathBuf>,
    /// Password of encrypted keys: env:NAME or file:PATH, never the password itself
    /// (default: SEALSCOPE_KEY_PASS).
    #[arg(long, value_name = "SOURCE")]
    pub key_pass: Option<String>,
    /// A pre-shared key-encryption key for KEK recipients: the KEK identifier in hex, then
    /// where its hex key is, as KEKID:env:NAME or KEKID:file:PATH.
    #[arg(long, value_name = "ID:SOURCE")]
    pub kek: Vec<String>,
    /// A password for password (PWRI) recipients: env:NAME or file:PATH.
    #[arg(long, value_name = "SOURCE")]
    pub password: Vec<String>,
    /// A content-encryption key in hex, for EncryptedData (which has no recipients) and
    /// 1609.2 pre-shared keys: env:NAME or file:PATH.
    #[arg(long, value_name = "SOURCE")]
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

/// The OIDs of one `--policy` option.
#[derive(Clone, Debug)]
pub struct PolicyList(Vec<PolicyOid>);

/// `--policy`: the core's policy-list syntax.
fn parse_policies(text: &str) -> Result<PolicyList, String> {
    PolicySettings::parse_policy_list(text).map(PolicyList)
}

/// `--max-input`: the core's size syntax.
fn parse_size(text: &str) -> Result<usize, String> {
    sealscope_core::inspect::parse_size(text).map_err(|e| e.to_string())
}

/// How reports are printed: text (coloured on a terminal) or one JSON line each.
#[derive(Clone, Copy, Debug)]
pub struct Printer {
    /// JSON output.
    pub json: bool,
    colour: bool,
    at: UnixTime,
}

impl Printer {
    /// The report as the user asked for it (text or one JSON line).
    pub fn render(&self, report: &Report) -> String {
        if self.json {
            report.to_json()
        } else {
            super::render::text(report, self.at, self.colour)
        }
    }
}

/// A session and how its reports are printed.
pub struct Checker {
    /// The keyring, the options and the cross-message state.
    pub session: Session,
    /// How reports are printed.
    pub printer: Printer,
}

impl CheckArgs {
    /// The setup these options describe, with every secret read from where its option
    /// names (see [`super::secret`]); the key password falls back to SEALSCOPE_KEY_PASS.
    pub fn setup(&self) -> Result<InspectSetup, CliError> {
        Ok(InspectSetup {
            trust: self.trust.clone(),
            cert: self.cert.clone(),
            crl: self.crl.clone(),
            key: self.key.clone(),
            key_pass: secret::resolve_or_env(
                "--key-pass",
                self.key_pass.as_deref(),
                "SEALSCOPE_KEY_PASS",
            )?,
            kek: self
                .kek
                .iter()
                .map(|k| secret::resolve_kek(k))
                .collect::<Result<_, _>>()?,
            password: self
                .password
                .iter()
                .map(|p| secret::resolve("--password", p))
                .collect::<Result<_, _>>()?,
            content_key: self
                .content_key
                .iter()
                .map(|k| secret::resolve("--content-key", k).map(|k| k.trim().to_string()))
                .collect::<Result<_, _>>()?,
            at: self.at.clone(),
            profile: self.profile.clone(),
            allow_dn: self.allow_dn.clone(),
            replay_window: self.replay_window,
            time_tolerance: self.time_tolerance,
            blacklist: self.blacklist.clone(),
            max_input: self.max_input,
            revocation_check: match (self.crl_check, self.crl_check_all) {
                (_, true) => sealscope_core::RevocationCheck::All,
                (true, false) => sealscope_core::RevocationCheck::Signer,
                (false, false) => sealscope_core::RevocationCheck::WhereAvailable,
            },
            x509_strict: self.x509_strict,
            policy: PolicySettings {
                initial_policy_set: self.policy.iter().flat_map(|p| p.0.clone()).collect(),
                explicit_policy: self.explicit_policy,
                inhibit_policy_mapping: self.inhibit_policy_mapping,
                inhibit_any_policy: self.inhibit_any_policy,
            },
        })
    }

    /// Loads the keyring and builds the options.
    pub fn checker(&self, now: UnixTime) -> Result<Checker, CliError> {
        let session = self.setup()?.session(now)?;
        let printer = Printer {
            json: self.json,
            colour: super::render::use_colour(),
            at: session.options().at,
        };
        Ok(Checker { session, printer })
    }
}

impl Checker {
    /// Inspects bytes in the session (duplicates tracked) and renders the report.
    pub fn inspect(&self, bytes: &[u8], name: &str) -> (Report, String) {
        let opts = self.session.options_for(name);
        self.inspect_with(bytes, &opts)
    }

    /// Inspects bytes under `opts` in the session and renders the report.
    pub fn inspect_with(&self, bytes: &[u8], opts: &Options) -> (Report, String) {
        let draft = self.session.draft(
            bytes,
            opts,
            &sealscope_core::crypto::prehash::Prehashed::default(),
        );
        let (report, _) = self.session.conclude(draft);
        let text = self.printer.render(&report);
        (report, text)
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
