//! The EU ECTL (ETSI TS 102 941 certificate trust list signed by the Trust List Manager),
//! as published at cpoc.jrc.ec.europa.eu and shipped in the test data of the `rasn-its`
//! crate (a dev-dependency: the file comes from crates.io, it is not committed here). As trust
//! input its signature must verify with the TLM certificate it lists; its root CAs become
//! 1609.2 anchors.

use sealscope_core::ieee1609::ctl::{self, Command};
use sealscope_core::report::{ChainStatus, SignatureStatus};
use sealscope_core::{Keyring, Options, UnixTime};
use std::path::PathBuf;

/// rasn-its's tests/data directory in the cargo registry.
fn rasn_its_data() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .expect("CARGO_HOME or HOME");
    let src = home.join("registry/src");
    for index in std::fs::read_dir(&src).expect("the cargo registry") {
        let d = index.unwrap().path().join("rasn-its-0.30.0/tests/data");
        if d.is_dir() {
            return d;
        }
    }
    panic!("rasn-its 0.30.0 is not in {} (cargo fetch)", src.display());
}

fn ectl() -> Vec<u8> {
    std::fs::read(rasn_its_data().join("CE4CF6C19BFED720.oer")).unwrap()
}

#[test]
fn the_eu_ectl_is_read_and_its_signature_verifies() {
    let bytes = ectl();
    assert!(ctl::looks_like_ctl(&bytes));
    let (list, signer) = ctl::load(&bytes, "ECTL", &[]).unwrap();
    assert_eq!(list.kind, "ECTL (TLM)");
    assert!(list.full);
    assert_eq!(hex::encode(signer.id), "e7a4b2b045e7acf9");
    let summary: Vec<String> = list
        .commands
        .iter()
        .map(|c| match c {
            Command::Add {
                kind, cert, urls, ..
            } => format!(
                "{kind} {} {}",
                cert.as_ref().map(|k| k.cert.id.clone()).unwrap_or_default(),
                urls.join(" ")
            ),
            Command::Delete(w) => format!("delete {w}"),
        })
        .collect();
    assert_eq!(
        summary,
        [
            "rca name 1_EU-ROOT-CA_L2 ",
            "rca name 3_Microsec-CCMS-RCA-2024_L2 ",
            "tlm name EU-TLM_L2 https://cpoc.jrc.ec.europa.eu/L2",
            "dc  http://microsec-ccms-dc-2024-l2.v2x-pki.com/",
            "dc  http://1.eu-dc.l2.c-its-eu-rca.eu",
        ]
    );
    // The TLM certificate the rasn-its data carries on its own is the ECTL's signer.
    let tlm = std::fs::read(rasn_its_data().join("E7A4B2B045E7ACF9.oer")).unwrap();
    let k = sealscope_core::ieee1609::KeyringCert::from_coer(&tlm, "tlm").unwrap();
    assert_eq!(k.id, signer.id);
}

#[test]
fn the_ectl_as_trust_input() {
    let bytes = ectl();
    let mut k = Keyring::new();
    let n = k.add_anchors(&bytes, "ECTL").unwrap();
    assert_eq!(n, 3);
    let anchors: Vec<String> = k
        .ieee1609_anchors
        .iter()
        .map(|a| a.cert.id.clone())
        .collect();
    assert!(anchors.iter().any(|a| a.contains("EU-TLM")), "{anchors:?}");
    assert!(anchors.iter().any(|a| a.contains("ROOT-CA")), "{anchors:?}");
    // The ECTL message itself then verifies to a trusted root (its TLM).
    let o = Options::new("ECTL", UnixTime::parse("2025-03-19T00:00:00Z").unwrap());
    let r = sealscope_core::inspect(&bytes, &k, &o);
    let s = &r.signatures[0];
    assert_eq!(s.status, SignatureStatus::Valid);
    assert_eq!(s.chain.status, ChainStatus::Trusted, "{}", s.chain.reason);
    // The list's entries are a layer of their own.
    let layer = r
        .layers
        .iter()
        .find(|l| l.kind.as_str() == "trust-list")
        .expect("a trust-list layer");
    assert_eq!(layer.summary, "ETSI TS 102 941 ECTL (TLM)");
    let adds: Vec<&str> = layer
        .headers
        .iter()
        .filter(|(n, _)| n.starts_with("add "))
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(adds, ["add rca", "add rca", "add tlm", "add dc", "add dc"]);
    // One byte changed inside a listed certificate: refused, with the reason.
    let mut bad = bytes.clone();
    let at = bad.windows(6).position(|w| w == b"EU-ROO").unwrap();
    bad[at] ^= 0x20;
    let e = Keyring::new()
        .add_anchors(&bad, "altered ECTL")
        .unwrap_err();
    assert!(e.to_string().contains("signature does not verify"), "{e}");
}
