//! The PKCS#7 and X.509 vectors of PyPI `cryptography-vectors` (tests/fixtures/vectors/
//! cryptography, EXPECTED.tsv written from OpenSSL's reading of each file): every file goes
//! through the whole inspection and the loaders without a panic, and where OpenSSL reads a
//! file, sealscope reads the same number of certificates / CRL entries with the same first
//! subject and serial number, and the same content. Every difference is listed, with its
//! reason, in vectors/cryptography/sealscope-exceptions.tsv; a difference not listed there,
//! or a listed one that no longer happens, fails the test.

use sealscope_core::report::SignatureStatus;
use sealscope_core::x509::certificate::load_certificates;
use sealscope_core::x509::crl::load_crls;
use sealscope_core::x509::dn;
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::{fixture, AT};
use std::collections::BTreeMap;
use std::fs;

struct Row {
    path: String,
    kind: String,
    openssl_reads: bool,
    count: String,
    first_subject: String,
    serial: String,
    content_sha256: String,
}

fn rows() -> Vec<Row> {
    let text = fs::read_to_string(fixture("vectors/cryptography/EXPECTED.tsv")).expect("tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let get = |i: usize| f.get(i).copied().unwrap_or("").to_string();
            Row {
                path: get(0),
                kind: get(1),
                openssl_reads: get(2) == "yes",
                count: get(3),
                first_subject: get(4),
                serial: get(5),
                content_sha256: get(6),
            }
        })
        .collect()
}

fn exceptions() -> BTreeMap<String, String> {
    let text = fs::read_to_string(fixture("vectors/cryptography/sealscope-exceptions.tsv"))
        .expect("exceptions");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (path, what) = l.split_once('\t')?;
            let what = what.split('\t').next().unwrap_or("");
            Some((path.to_string(), what.to_string()))
        })
        .collect()
}

/// Inspects a vector with an empty keyring at the fixtures' time.
fn inspect_alone(bytes: &[u8]) -> sealscope_core::Report {
    let at = UnixTime::parse(AT).expect("time");
    sealscope_core::inspect(bytes, &Keyring::new(), &Options::new("v", at))
}

/// OpenSSL's RFC 2253 output escapes every byte of a UTF-8 character as `\XX`; RFC 4514
/// (and sealscope) write the characters themselves. Undo the byte escapes, keep the others.
fn unescape_utf8(openssl: &str) -> String {
    let b = openssl.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'\\' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                let byte = (h * 16 + l) as u8;
                if byte >= 0x80 {
                    out.push(byte);
                    i += 3;
                    continue;
                }
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What sealscope reads of a file, in EXPECTED.tsv's terms; `Err` names the difference.
fn compare(row: &Row, bytes: &[u8]) -> Result<(), String> {
    match row.kind.as_str() {
        "certificate" | "certificates" | "pkcs7-certs" => {
            let certs = if row.kind == "pkcs7-certs" {
                let r = inspect_alone(bytes);
                if let Some(e) = r.error {
                    return Err(format!("unreadable: {e}"));
                }
                // A degenerate SignedData: its certificates are listed on the layer.
                let n = r
                    .layers
                    .iter()
                    .flat_map(|l| l.headers.iter())
                    .find(|(k, _)| k == "certificates")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                return if n.starts_with(&row.count) {
                    Ok(())
                } else {
                    Err(format!("certificates {n:?}, OpenSSL {}", row.count))
                };
            } else {
                load_certificates(bytes, &row.path).map_err(|e| format!("unreadable: {e}"))?
            };
            if certs.len().to_string() != row.count {
                return Err(format!(
                    "{} certificates, OpenSSL {}",
                    certs.len(),
                    row.count
                ));
            }
            let subject = dn::rfc4514(certs[0].subject());
            if subject != unescape_utf8(&row.first_subject) {
                return Err(format!(
                    "subject {subject:?}, OpenSSL {:?}",
                    row.first_subject
                ));
            }
            if certs[0].serial_hex() != row.serial {
                return Err(format!(
                    "serial {}, OpenSSL {}",
                    certs[0].serial_hex(),
                    row.serial
                ));
            }
            Ok(())
        }
        "crl" => {
            let crls = load_crls(bytes, &row.path).map_err(|e| format!("unreadable: {e}"))?;
            let crl = crls.first().ok_or("no CRL")?;
            let n = crl
                .list
                .tbs_cert_list
                .revoked_certificates
                .as_ref()
                .map_or(0, Vec::len);
            if n.to_string() != row.count {
                return Err(format!("{n} revoked entries, OpenSSL {}", row.count));
            }
            let issuer = dn::rfc4514(crl.issuer());
            if issuer != unescape_utf8(&row.first_subject) {
                return Err(format!(
                    "issuer {issuer:?}, OpenSSL {:?}",
                    row.first_subject
                ));
            }
            Ok(())
        }
        "smime-signed" => {
            let r = inspect_alone(bytes);
            let sig = r.signatures.first().ok_or("no signature read")?;
            if sig.status != SignatureStatus::Valid {
                return Err(format!("signature {:?}: {}", sig.status, sig.reason));
            }
            let sha = r
                .content
                .as_ref()
                .map(|c| c.sha256.clone())
                .unwrap_or_default();
            if sha != row.content_sha256 {
                return Err(format!(
                    "content sha256 {sha}, OpenSSL {}",
                    row.content_sha256
                ));
            }
            Ok(())
        }
        "pkcs7-enveloped" => {
            let r = inspect_alone(bytes);
            match r.encryption.first() {
                Some(e) if !e.recipients.is_empty() => Ok(()),
                _ => Err(format!("no envelope read: {:?}", r.error)),
            }
        }
        other => Err(format!("kind {other}: nothing to compare")),
    }
}

#[test]
fn cryptography_vectors() {
    let rows = rows();
    assert!(rows.len() > 900, "{} rows", rows.len());
    let exceptions = exceptions();
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    let (mut same, mut excused) = (0, 0);
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &rows {
        let bytes = fs::read(fixture(&format!("vectors/cryptography/{}", row.path)))
            .unwrap_or_else(|e| panic!("{}: {e}", row.path));
        // Whatever it is, the whole pipeline and the loaders give an answer, not a panic.
        let report = inspect_alone(&bytes);
        let _ = report.to_json();
        let mut k = Keyring::new();
        let _ = k.add_anchors(&bytes, "v");
        let _ = k.add_crls(&bytes, "v");
        let _ = k.add_private_keys(&bytes, None, "v");
        *by_kind.entry(row.kind.as_str()).or_default() += 1;
        let outcome = if row.openssl_reads {
            compare(row, &bytes)
        } else {
            // OpenSSL refuses it; sealscope must refuse it too, or the difference is listed.
            match load_certificates(&bytes, &row.path) {
                Ok(c) => Err(format!("read {} certificate(s) OpenSSL refuses", c.len())),
                Err(_) => Ok(()),
            }
        };
        match (outcome, exceptions.get(&row.path)) {
            (Ok(()), None) => same += 1,
            (Ok(()), Some(_)) => stale.push(row.path.clone()),
            (Err(what), Some(listed)) if what.starts_with(listed.as_str()) => excused += 1,
            (Err(what), _) => unexpected.push(format!("{}\t{what}", row.path)),
        }
    }
    println!(
        "cryptography-vectors: {} files {by_kind:?}; {same} read as OpenSSL reads them, {excused} listed differences",
        rows.len()
    );
    assert!(
        unexpected.is_empty(),
        "differences not in sealscope-exceptions.tsv:\n{}",
        unexpected.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed differences that no longer happen:\n{}",
        stale.join("\n")
    );
}
