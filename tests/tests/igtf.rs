//! IGTF grid trust: CA namespace policies (`<hash>.namespaces`, `<hash>.signing_policy`)
//! judged as EMI caNl judges them, over the real IGTF distribution's files.
//!
//! - dist/: the IGTF 1.133 distribution (Debian igtf-policy-*): every CA certificate's
//!   OpenSSL subject hash is its file name (OpenSSL named them), every policy file loads.
//! - shadow/ + messages/: stand-in CAs with the real CAs' subject names and their real
//!   policy files; each signs one end entity inside its namespace and one outside. CASES.tsv
//!   holds caNl 2.8.2's verdict on each signer's chain (generate.py, tools/CanlVerdicts.java);
//!   Sealscope must agree on every one.

use sealscope_core::report::{ChainStatus, SignatureStatus};
use sealscope_core::x509::certificate::load_certificates;
use sealscope_core::x509::dn;
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::{fixture, AT};
use std::fs;
use std::path::PathBuf;

fn files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(fixture(dir))
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .collect();
    v.sort();
    v
}

fn name_of(p: &std::path::Path) -> &str {
    p.file_name().and_then(|n| n.to_str()).expect("file name")
}

/// A keyring holding a trust directory as `--trust DIR` loads it; `policies` false leaves
/// the namespace files out.
fn trust_dir(dir: &str, policies: bool) -> Keyring {
    let mut k = Keyring::new();
    for p in files(dir) {
        let name = name_of(&p);
        if !policies && !name.ends_with(".0") {
            continue;
        }
        let bytes = fs::read(&p).expect("read");
        k.add_trust_file(&bytes, name, &p.display().to_string())
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    }
    k
}

#[test]
fn distribution_hashes_and_policies() {
    let mut certs = 0;
    let mut policies = 0;
    let mut rules = 0;
    let mut k = Keyring::new();
    for p in files("igtf/dist") {
        let name = name_of(&p);
        let bytes = fs::read(&p).expect("read");
        if let Some(stem) = name.strip_suffix(".0") {
            let c = load_certificates(&bytes, name).expect("IGTF certificate");
            assert_eq!(c.len(), 1, "{name}");
            assert_eq!(
                format!("{:08x}", dn::openssl_hash(c[0].subject())),
                stem,
                "OpenSSL subject hash of {}",
                dn::oneline(c[0].subject())
            );
            certs += 1;
        } else {
            rules += k
                .add_namespace_policy(&bytes, name, name)
                .unwrap_or_else(|e| panic!("{e}"));
            policies += 1;
        }
    }
    // IGTF 1.133: 83 CAs; 77 .namespaces and 83 .signing_policy files.
    assert_eq!(certs, 83);
    assert_eq!(policies, 160);
    assert!(rules >= 160, "{rules} rules");
    // The one-line text form's hash agrees too (how a rule names its own CA).
    for p in files("igtf/dist")
        .iter()
        .filter(|p| name_of(p).ends_with(".0"))
    {
        let c = load_certificates(&fs::read(p).expect("read"), "c").expect("cert");
        let text = dn::oneline(c[0].subject());
        assert_eq!(
            dn::openssl_hash_of_oneline(&text),
            Some(dn::openssl_hash(c[0].subject())),
            "{text}"
        );
    }
}

#[test]
fn verdicts_agree_with_canl() {
    let at = UnixTime::parse(AT).expect("AT");
    let with = trust_dir("igtf/shadow", true);
    let without = trust_dir("igtf/shadow", false);
    let cases = fs::read_to_string(fixture("igtf/CASES.tsv")).expect("CASES.tsv");
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    let mut differences = Vec::new();
    for line in cases.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [message, _ca, side, subject, canl] = cols[..] else {
            panic!("bad row {line}");
        };
        let rel = format!("igtf/messages/{message}");
        let bytes = fs::read(fixture(&rel)).expect("message");
        let r = sealscope_core::inspect(&bytes, &with, &Options::new(&rel, at));
        let s = r.signatures.first().expect("one signature");
        assert_eq!(s.status, SignatureStatus::Valid, "{message}");
        let ours = if s.chain.status == ChainStatus::Trusted {
            "ok".to_string()
        } else if r.has_finding("namespace-violated") {
            if s.chain.reason.contains("is denied by") {
                "nsDeny".into()
            } else {
                "nsNotAccepted".into()
            }
        } else {
            format!("other: {}", s.chain.reason)
        };
        if ours != canl {
            differences.push(format!(
                "{message} ({side}, {subject}): caNl {canl}, ours {ours}"
            ));
        }
        *counts.entry(ours).or_default() += 1;
        // Without the policy files the same chains are all trusted: the namespace decides.
        let r = sealscope_core::inspect(&bytes, &without, &Options::new(&rel, at));
        assert_eq!(
            r.signatures[0].chain.status,
            ChainStatus::Trusted,
            "{message}: {}",
            r.signatures[0].chain.reason
        );
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    // 65 inside their CA's namespace, 63 outside, 1 denied by a DENY rule.
    assert_eq!(counts.get("ok"), Some(&65), "{counts:?}");
    assert_eq!(counts.get("nsNotAccepted"), Some(&63), "{counts:?}");
    assert_eq!(counts.get("nsDeny"), Some(&1), "{counts:?}");
}

#[test]
fn distribution_chains_agree_with_canl() {
    let text = fs::read_to_string(fixture("igtf/DIST-CASES.tsv")).expect("DIST-CASES.tsv");
    let at = text
        .lines()
        .nth(1)
        .and_then(|l| l.strip_prefix("# "))
        .and_then(|t| UnixTime::parse(t.trim()).ok())
        .expect("judged-at line");
    let keyring = trust_dir("igtf/dist", true);
    let mut agree = 0;
    let mut differences = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let (file, canl) = line.split_once('\t').expect("two columns");
        let bytes = fs::read(fixture(&format!("igtf/dist/{file}"))).expect("cert");
        let cert = load_certificates(&bytes, file).expect("cert").remove(0);
        let r = sealscope_core::x509::chain::validate(&cert, &[], &keyring, at);
        let ours = match r.chain.status {
            ChainStatus::Trusted => "ok".to_string(),
            ChainStatus::Expired => "certificateExpired".into(),
            _ => format!("{:?}: {}", r.chain.status, r.chain.reason),
        };
        if ours == canl {
            agree += 1;
        } else {
            differences.push(format!("{file}: caNl {canl}, ours {ours}"));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    assert_eq!(agree, 83);
}
