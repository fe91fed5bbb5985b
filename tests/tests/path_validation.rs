//! Path validation against the generated suite in tests/fixtures/pathval (CASES.tsv): every
//! case's chain is built and validated by `chain::validate` at the case's time, and the
//! signer's keyUsage / extendedKeyUsage are checked as for a message signer. Each case must
//! give its expected answer; OpenSSL's answer (recorded by the generator) is compared too
//! and the agreement is printed.

use sealscope_core::cms::signed_data;
use sealscope_core::report::findings;
use sealscope_core::report::ChainStatus;
use sealscope_core::x509::certificate::{load_certificates, Cert};
use sealscope_core::x509::chain::{self, Problem};
use sealscope_core::{Keyring, UnixTime};
use sealscope_tests::fixture;
use std::fs;

struct Case {
    id: String,
    expect: String,
    at: String,
    openssl: String,
    /// Whether the case is judged with strict profile checking (`x509-strict`).
    strict: bool,
}

fn cases() -> Vec<Case> {
    let text = fs::read_to_string(fixture("pathval/CASES.tsv")).expect("CASES.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(f.len() >= 4, "short row: {l}");
            Case {
                id: f[0].into(),
                expect: f[1].into(),
                at: f[2].into(),
                openssl: f[3].into(),
                strict: f.get(6) == Some(&"x509-strict"),
            }
        })
        .collect()
}

fn certs(dir: &str, file: &str) -> Vec<Cert> {
    let path = fixture(&format!("pathval/cases/{dir}/{file}"));
    match fs::read(&path) {
        Ok(bytes) if !bytes.iter().all(u8::is_ascii_whitespace) => {
            load_certificates(&bytes, file).unwrap_or_else(|e| panic!("{dir}/{file}: {e}"))
        }
        _ => Vec::new(),
    }
}

/// What sealscope answers for a case, in the suite's vocabulary.
fn answer(case: &Case) -> String {
    let dir = &case.id;
    let leaf = certs(dir, "leaf.pem").into_iter().next().expect("leaf");
    let carried = certs(dir, "intermediates.pem");
    let mut keyring = Keyring::new();
    keyring.x509_strict = case.strict;
    let anchors = fs::read(fixture(&format!("pathval/cases/{dir}/anchors.pem"))).expect("anchors");
    keyring
        .add_anchors(&anchors, "anchors.pem")
        .expect("anchors load");
    if let Ok(crls) = fs::read(fixture(&format!("pathval/cases/{dir}/crls.pem"))) {
        if !crls.iter().all(u8::is_ascii_whitespace) {
            keyring.add_crls(&crls, "crls.pem").expect("crls load");
        }
    }
    let at = UnixTime::parse(&case.at).expect("time");
    let result = chain::validate(&leaf, &carried, &keyring, at);
    if let Some(problem) = &result.problem {
        return match problem {
            Problem::CaConstraint { path_len: true, .. } => "path-length-exceeded".into(),
            Problem::CaConstraint { why, .. } if why.contains("keyCertSign") => {
                "key-usage-violated".into()
            }
            Problem::CriticalExtension { .. } => "unknown-critical-extension".into(),
            Problem::RevocationUnknown { .. } => "revocation-unknown".into(),
            p => p.code().into(),
        };
    }
    assert_eq!(result.chain.status, ChainStatus::Trusted, "{dir}");
    let usage = signed_data::signer_usage_findings(&leaf, "signer", 0);
    if usage.iter().any(|f| f.code == findings::SIGNER_KEY_USAGE) {
        return "key-usage-violated".into();
    }
    "trusted".into()
}

#[test]
fn generated_path_validation_suite() {
    let cases = cases();
    assert!(cases.len() >= 75, "only {} cases", cases.len());
    let mut wrong = Vec::new();
    let (mut openssl_same, mut openssl_ok_trusted) = (0, 0);
    for case in &cases {
        let got = answer(case);
        if got != case.expect {
            wrong.push(format!("{}: expected {}, got {got}", case.id, case.expect));
        }
        // OpenSSL's verdict word for word is not comparable; accept/reject is.
        let openssl_accepts = case.openssl == "ok";
        if openssl_accepts == (got == "trusted") {
            openssl_same += 1;
        }
        if openssl_accepts && got == "trusted" {
            openssl_ok_trusted += 1;
        }
    }
    println!(
        "path validation: {} cases, {} as expected; accept/reject agrees with openssl verify in {} ({} accepted by both)",
        cases.len(),
        cases.len() - wrong.len(),
        openssl_same,
        openssl_ok_trusted
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn critical_extension_and_key_usage_are_named() {
    let case = cases()
        .into_iter()
        .find(|c| c.id == "crit-leaf-unknown")
        .expect("case");
    let leaf = certs(&case.id, "leaf.pem").remove(0);
    let unhandled = leaf.unhandled_critical_extensions();
    assert_eq!(unhandled.len(), 1, "{unhandled:?}");
    let mut keyring = Keyring::new();
    let anchors =
        fs::read(fixture("pathval/cases/crit-leaf-unknown/anchors.pem")).expect("anchors");
    keyring
        .add_anchors(&anchors, "anchors.pem")
        .expect("anchors load");
    let carried = certs(&case.id, "intermediates.pem");
    let at = UnixTime::parse(&case.at).expect("time");
    let result = chain::validate(&leaf, &carried, &keyring, at);
    let problem = result.problem.expect("rejected");
    assert_eq!(problem.code(), "cert-critical-extension-unhandled");
    assert_eq!(result.chain.status, ChainStatus::UntrustedRoot);
    assert!(
        result.chain.reason.contains(&unhandled[0]),
        "{}",
        result.chain.reason
    );
}

/// When no path is trusted, the reason names every other candidate path and where it stops:
/// two carried intermediates with the leaf's issuer name (one with another key), and an
/// unrelated anchor, so neither path reaches trust.
#[test]
fn every_candidate_path_is_named_when_none_is_trusted() {
    let dir = "build-same-subject-two-keys";
    let leaf = certs(dir, "leaf.pem").into_iter().next().expect("leaf");
    let carried = certs(dir, "intermediates.pem");
    assert_eq!(carried.len(), 2);
    let mut keyring = Keyring::new();
    let rogue = fs::read(fixture("pki/rogue-root.pem")).expect("rogue root");
    keyring
        .add_anchors(&rogue, "rogue-root.pem")
        .expect("anchor");
    let at = UnixTime::parse("2026-06-01T00:00:00Z").unwrap();
    let result = chain::validate(&leaf, &carried, &keyring, at);
    assert_ne!(result.chain.status, ChainStatus::Trusted);
    let reason = &result.chain.reason;
    assert!(reason.contains("1 other candidate path(s): "), "{reason}");
    // One path stops at the wrong key's signature, the other where no issuer is known.
    assert!(reason.contains("signature"), "{reason}");
    assert!(reason.contains("no certificate of issuer"), "{reason}");
}
