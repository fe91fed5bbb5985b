//! NIST PKITS (the 2011 edition's S/MIME messages, as shipped in PyPI cryptography-vectors):
//! each `Signed<Test>.eml` is inspected with the PKITS trust anchor, every PKITS certificate
//! and CRL in the keyring and a revocation status required for every certificate (PKITS
//! assumes it), and the outcome is compared with the test's name: `Valid…` must have every
//! signature valid with a trusted chain and a verdict other than invalid, `Invalid…` must
//! not. Tests whose outcome depends on the initial policy
//! settings (no Valid/Invalid prefix) are left out here and run, with the inputs PKITS gives
//! each, by `pkits_with_initial_policy_inputs`. Where sealscope's answer differs — the
//! checks it does not make, such as certificate policies and name constraints — the test
//! is listed with its reason in vectors/cryptography/pkits-exceptions.tsv; an unlisted
//! difference, or a listed one that no longer happens, fails.

use sealscope_core::report::Verdict;
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::fixture;
use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

fn pkits(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(fixture(&format!(
        "vectors/cryptography/x509/PKITS_data/{dir}"
    )))
    .expect("PKITS folder")
    .map(|e| e.expect("entry").path())
    .collect();
    v.sort();
    v
}

fn keyring() -> Keyring {
    let mut k = Keyring::new();
    // PKITS assumes every certificate's revocation status is checked (as -crl_check_all).
    k.revocation_check = sealscope_core::RevocationCheck::All;
    for p in pkits("certs") {
        let bytes = fs::read(&p).expect("cert");
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name == "TrustAnchorRootCertificate.crt" {
            k.add_anchors(&bytes, name).expect("anchor");
        } else {
            // A few PKITS certificates cannot be read (see the vectors' exceptions).
            let _ = k.add_certs(&bytes, name);
        }
    }
    for p in pkits("crls") {
        let bytes = fs::read(&p).expect("crl");
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let _ = k.add_crls(&bytes, name);
    }
    k
}

fn exceptions() -> BTreeMap<String, String> {
    fs::read_to_string(fixture("vectors/cryptography/pkits-exceptions.tsv"))
        .expect("pkits-exceptions.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (test, reason) = l.split_once('\t')?;
            Some((test.to_string(), reason.to_string()))
        })
        .collect()
}

#[test]
fn pkits_smime_messages() {
    let keyring = keyring();
    let exceptions = exceptions();
    // Inside every PKITS 2011 certificate's validity (2010-01-01 .. 2030-12-31).
    let at = UnixTime::parse("2026-01-01T00:00:00Z").expect("time");
    let (mut agree, mut listed, mut skipped) = (0, 0, 0);
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    let mut per_family: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    for p in pkits("smime") {
        let file = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let test = file.trim_start_matches("Signed").trim_end_matches(".eml");
        let expect_valid = if test.starts_with("Valid") {
            true
        } else if test.starts_with("Invalid") {
            false
        } else {
            skipped += 1;
            continue;
        };
        let bytes = fs::read(&p).expect("message");
        let r = sealscope_core::inspect(&bytes, &keyring, &Options::new(file, at));
        // PKITS judges the certification path: every signature verifies and its chain is
        // trusted. (A message warning that is not about the path, such as the DSA tests'
        // SHA-1 message digest, does not make the path invalid.)
        let valid = r.verdict != Verdict::Invalid
            && r.verdict != Verdict::Unreadable
            && !r.signatures.is_empty()
            && r.signatures.iter().all(|s| {
                s.status == sealscope_core::report::SignatureStatus::Valid
                    && s.chain.status == sealscope_core::report::ChainStatus::Trusted
            });
        let family = if expect_valid { "valid" } else { "invalid" };
        let e = per_family.entry(family).or_default();
        e.1 += 1;
        let why = || {
            r.signatures
                .first()
                .map(|s| format!("{:?}: {}", s.chain.status, s.chain.reason))
                .unwrap_or_else(|| format!("{:?}", r.error))
        };
        // An invalid policy path is refused for that reason (PKITS 4.8-4.12); in the
        // self-issued variants the key-rollover CRL (not applied, listed above) ranks first.
        if !expect_valid
            && (test.contains("olicy") || test.contains("Mapping"))
            && !test.contains("SelfIssued")
            && !r.has_finding("policy-constraint-violated")
        {
            unexpected.push(format!("{test}\tnot refused for its policies ({})", why()));
        }
        // An invalid name-constraints path is refused for that reason (PKITS 4.13).
        if !expect_valid
            && test.contains("nameConstraints")
            && !r.has_finding("name-constraint-violated")
        {
            unexpected.push(format!(
                "{test}	not refused for its name constraints ({})",
                why()
            ));
        }
        match (valid == expect_valid, exceptions.contains_key(test)) {
            (true, false) => {
                agree += 1;
                e.0 += 1;
            }
            (true, true) => stale.push(test.to_string()),
            (false, true) => listed += 1,
            (false, false) => unexpected.push(format!(
                "{test}\texpected {}, got {:?} ({})",
                if expect_valid { "valid" } else { "not valid" },
                r.verdict,
                why()
            )),
        }
    }
    let total = agree + listed + unexpected.len() + stale.len();
    println!(
        "PKITS: {total} S/MIME tests with a Valid/Invalid name ({skipped} settings-dependent left out); sealscope agrees on {agree} ({:.1} %), {listed} listed differences; by expectation {per_family:?}",
        100.0 * agree as f64 / total.max(1) as f64
    );
    assert!(total >= 200, "{total}");
    // The bar: at least 99 % agreement, and no invalid path accepted, listed or not.
    assert!(agree * 100 >= total * 99, "{agree} of {total}");
    assert!(
        !exceptions.keys().any(|t| t.starts_with("Invalid")),
        "an invalid PKITS path is accepted: {exceptions:?}"
    );
    assert!(
        unexpected.is_empty(),
        "unlisted differences:\n{}",
        unexpected.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed differences that no longer happen:\n{}",
        stale.join("\n")
    );
}

/// Whether a report says the path validates, as PKITS judges it.
fn path_valid(r: &sealscope_core::Report) -> bool {
    r.verdict != Verdict::Invalid
        && r.verdict != Verdict::Unreadable
        && !r.signatures.is_empty()
        && r.signatures.iter().all(|s| {
            s.status == sealscope_core::report::SignatureStatus::Valid
                && s.chain.status == sealscope_core::report::ChainStatus::Trusted
        })
}

/// The PKITS tests whose answer depends on the initial policy inputs (RFC 5280 §6.1.1: an
/// acceptable policy set, an explicit policy required, mapping or anyPolicy inhibited), each
/// run with the inputs PKITS.pdf gives it (vectors/cryptography/pkits-settings.tsv), and the
/// settings-dependent tests run with default inputs. Every one must give PKITS's answer.
#[test]
fn pkits_with_initial_policy_inputs() {
    let base = keyring();
    let at = UnixTime::parse("2026-01-01T00:00:00Z").expect("time");
    let table = fs::read_to_string(fixture("vectors/cryptography/pkits-settings.tsv"))
        .expect("pkits-settings.tsv");
    let (mut agree, mut total) = (0, 0);
    let mut differences = Vec::new();
    for line in table.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let [message, test, subpart, policies, explicit, no_map, no_any, expected] = f[..] else {
            panic!("bad row {line}");
        };
        let mut k = base.clone();
        k.policy = sealscope_core::x509::policies::PolicySettings {
            initial_policy_set: sealscope_core::x509::policies::PolicySettings::parse_policy_list(
                policies,
            )
            .expect("policy list"),
            explicit_policy: explicit == "true",
            inhibit_policy_mapping: no_map == "true",
            inhibit_any_policy: no_any == "true",
        };
        let path = fixture(&format!(
            "vectors/cryptography/x509/PKITS_data/smime/{message}"
        ));
        let r = sealscope_core::inspect(
            &fs::read(&path).expect("message"),
            &k,
            &Options::new(message, at),
        );
        total += 1;
        let valid = path_valid(&r);
        if valid == (expected == "valid") {
            agree += 1;
        } else {
            differences.push(format!(
                "{test} subpart {subpart} ({message}, policies {policies}, explicit {explicit}, inhibit mapping {no_map}, inhibit anyPolicy {no_any}): expected {expected}, got {} ({})",
                if valid { "valid" } else { "invalid" },
                r.signatures
                    .first()
                    .map(|s| s.chain.reason.clone())
                    .unwrap_or_default()
            ));
        }
    }
    println!("PKITS with initial policy inputs: {agree} of {total} give PKITS's answer");
    assert_eq!(total, 52);
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
