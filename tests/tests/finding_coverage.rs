//! Every finding code sealscope defines is produced by at least one committed fixture.
//!
//! The codes are read from their definitions (core/src/report/findings.rs and the `codes`
//! modules of the profiles), so a new code fails this test until a fixture shows it. The
//! fixtures are inspected as a user would: with no keyring; with the test PKI's root, CRLs,
//! recipient certificates and keys; with the options their manifests name (PROFILES.tsv,
//! the 1609.2 vectors' RA options, SSM's stored queue); the path-validation cases through
//! the chain validator; and a few inputs derived from fixtures the way damage happens in
//! transit (a capture of two messages, a truncated body, a lost NUL, a changed byte).

use sealscope_core::profiles::{ssm, Session};
use sealscope_core::x509::certificate::load_certificates;
use sealscope_core::x509::chain;
use sealscope_core::{Keyring, Options, Report, UnixTime};
use sealscope_tests::{fixture, profile_cases, read, trusting_root, AT};
use std::collections::{BTreeMap, BTreeSet};

/// Every code defined, from the source of its definitions.
fn defined() -> BTreeSet<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/src/");
    let mut codes = BTreeSet::new();
    for file in [
        "report/findings.rs",
        "profiles/scmp.rs",
        "profiles/ssm.rs",
        "profiles/bitrepo.rs",
    ] {
        let text = std::fs::read_to_string(format!("{root}{file}")).unwrap();
        for line in text.lines() {
            let line = line.trim();
            let Some(rest) = line.strip_prefix("pub const ") else {
                continue;
            };
            let Some((_, value)) = rest.split_once(": &str = \"") else {
                continue;
            };
            let code = value.trim_end_matches("\";");
            if code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && code.contains('-')
            {
                codes.insert(code.to_string());
            }
        }
    }
    codes
}

/// Every code a report carries: findings, profile findings, signature reason codes.
fn codes_of(r: &Report) -> impl Iterator<Item = String> + '_ {
    r.findings
        .iter()
        .map(|f| f.code.clone())
        .chain(
            r.profiles
                .iter()
                .flat_map(|p| p.findings.iter().map(|f| f.code.clone())),
        )
        .chain(r.signatures.iter().filter_map(|s| s.reason_code.clone()))
}

/// The test PKI's root and CRLs, the recipient keys, and the 1609.2 roots.
fn full_keyring() -> Keyring {
    let mut k = trusting_root();
    for crl in ["pki/root-ca.crl.pem", "pki/inter-ca.crl.pem"] {
        k.add_crls(&read(crl), crl).unwrap();
    }
    for cert in [
        "pki/recip-rsa.pem",
        "pki/recip-rsa2.pem",
        "pki/recip-p256.pem",
        "pki/recip-p384.pem",
        "peers/bouncycastle/authdata-rsa-cert.pem",
    ] {
        k.add_certs(&read(cert), cert).unwrap();
    }
    for key in [
        "pki/recip-rsa.key",
        "pki/recip-rsa2.key",
        "pki/recip-p256.key",
        "pki/recip-p384.key",
        // BouncyCastle's AuthenticatedData recipient (mac-verified, mac-invalid).
        "peers/bouncycastle/authdata-rsa-key.pem",
    ] {
        k.add_private_keys(&read(key), None, key).unwrap();
    }
    let certs = fixture("ieee1609/certs");
    for e in std::fs::read_dir(&certs).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with("root") && name.ends_with(".coer") {
            let rel = format!("ieee1609/certs/{name}");
            k.add_anchors(&read(&rel), &rel).unwrap();
        }
    }
    k
}

fn files_under(rel: &str, out: &mut Vec<String>) {
    let Ok(rd) = std::fs::read_dir(fixture(rel)) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().to_string();
        let child = format!("{rel}/{name}");
        if e.path().is_dir() {
            files_under(&child, out);
        } else if !name.ends_with(".md") && !name.ends_with(".tsv") && !name.ends_with(".sh") {
            out.push(child);
        }
    }
}

#[test]
fn every_defined_finding_code_is_produced_by_a_fixture() {
    let at = UnixTime::parse(AT).unwrap();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut note = |r: &Report, how: &str| {
        for c in codes_of(r) {
            seen.entry(c).or_insert_with(|| how.to_string());
        }
    };
    // Messages as they come, with nothing and with the full keyring.
    let mut files = Vec::new();
    for dir in [
        "messages",
        "encrypted",
        "verdicts",
        "peers",
        "profiles",
        "ieee1609",
        "ieee1609-public",
        "unreadable",
    ] {
        files_under(dir, &mut files);
    }
    let mut bare = Session::new(Keyring::new(), Options::new("", at));
    let mut full = Session::new(full_keyring(), Options::new("", at));
    for f in &files {
        let bytes = read(f);
        note(&bare.inspect(&bytes, f), f);
        note(&full.inspect(&bytes, f), f);
    }
    // Profile fixtures with the options PROFILES.tsv gives them.
    for c in profile_cases() {
        let mut s = Session::new(c.keyring, c.options.clone());
        note(&s.inspect_with(&read(&c.file), &c.options), &c.file);
    }
    ieee1609_with_ra_options(&mut note);
    ssm_stored_queue(&mut note, at);
    pkits_name_and_policy_constraints(&mut note, at);
    path_validation_cases(&mut seen);
    igtf_namespaces(&mut seen, at);
    derived_inputs(&mut seen, at);
    let defined = defined();
    assert!(defined.len() > 60, "only {} codes read", defined.len());
    let missing: Vec<&String> = defined.iter().filter(|c| !seen.contains_key(*c)).collect();
    let undefined: Vec<&String> = seen.keys().filter(|c| !defined.contains(*c)).collect();
    println!(
        "{} codes defined, {} produced by fixtures",
        defined.len(),
        seen.len()
    );
    for (c, f) in &seen {
        println!("{c}\t{f}");
    }
    assert!(missing.is_empty(), "codes no fixture produces: {missing:?}");
    assert!(
        undefined.is_empty(),
        "codes produced but not defined: {undefined:?}"
    );
}

/// The 1609.2 vectors at their own time, with the RA's time tolerance and blacklist.
fn ieee1609_with_ra_options(note: &mut impl FnMut(&Report, &str)) {
    let at = UnixTime::parse("2025-06-01T12:00:30Z").unwrap();
    let mut k = Keyring::new();
    for e in std::fs::read_dir(fixture("ieee1609/certs"))
        .unwrap()
        .flatten()
    {
        let rel = format!("ieee1609/certs/{}", e.file_name().to_string_lossy());
        if rel.contains("/root") {
            k.add_anchors(&read(&rel), &rel).unwrap();
        } else if rel.ends_with(".coer") {
            k.add_certs(&read(&rel), &rel).unwrap();
        }
    }
    let mut opts = Options::new("", at);
    opts.time_tolerance = Some(60);
    let list = String::from_utf8(read("ieee1609/blacklist.txt")).unwrap();
    for line in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
        opts.blacklist
            .push(<[u8; 8]>::try_from(hex::decode(line).unwrap()).unwrap());
    }
    let mut s = Session::new(k, opts);
    let mut files = Vec::new();
    files_under("ieee1609", &mut files);
    for f in files
        .iter()
        .filter(|f| f.ends_with(".coer") && !f.contains("/certs/"))
    {
        note(&s.inspect(&read(f), f), f);
    }
}

/// SSM's stored dirq elements, read as SSM's receiver keeps them.
fn ssm_stored_queue(note: &mut impl FnMut(&Report, &str), at: UnixTime) {
    let mut files = Vec::new();
    files_under("profiles/ssm/dirq", &mut files);
    let mut s = Session::new(trusting_root(), Options::new("", at));
    for body in files.iter().filter(|f| f.ends_with("/body")) {
        let dir = body.trim_end_matches("/body");
        let text = |name: &str| {
            std::fs::read_to_string(fixture(&format!("{dir}/{name}")))
                .ok()
                .map(|t| t.trim().to_string())
        };
        let mut opts = s.options_for(body);
        let mut parts = dir.split('/').skip(3);
        opts.ssm_stored = Some(ssm::Stored {
            queue: parts.next().unwrap_or_default().to_string(),
            element: parts.collect::<Vec<_>>().join("/"),
            signer: text("signer"),
            empa_id: text("empaid"),
            error: text("error"),
        });
        note(&s.inspect_with(&read(body), &opts), body);
    }
}

/// The path-validation suite's cases, through the chain validator every signature uses.
/// NIST PKITS 4.13.2 (pyca's cryptography-vectors): a signer outside its CA's permitted
/// directory-name subtree.
fn pkits_name_and_policy_constraints(note: &mut impl FnMut(&Report, &str), at: UnixTime) {
    let base = "vectors/cryptography/x509/PKITS_data";
    let mut k = Keyring::new();
    let anchor = format!("{base}/certs/TrustAnchorRootCertificate.crt");
    k.add_anchors(&read(&anchor), &anchor).unwrap();
    let ca = format!("{base}/certs/nameConstraintsDN1CACert.crt");
    k.add_certs(&read(&ca), &ca).unwrap();
    let mut session = Session::new(k, Options::new("", at));
    // ... and (4.8.3) a path requiring an explicit policy that none satisfies.
    for test in [
        "InvalidDNnameConstraintsTest2",
        "InvalidRequireExplicitPolicyTest3",
    ] {
        let msg = format!("{base}/smime/Signed{test}.eml");
        note(&session.inspect(&read(&msg), &msg), &msg);
    }
}

/// The IGTF stand-in trust directory with its CA namespace policies, over its messages.
fn igtf_namespaces(seen: &mut BTreeMap<String, String>, at: UnixTime) {
    let mut k = Keyring::new();
    let mut entries: Vec<_> = std::fs::read_dir(fixture("igtf/shadow"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        k.add_trust_file(&std::fs::read(&p).unwrap(), &name, &name)
            .unwrap();
    }
    let mut session = Session::new(k, Options::new("", at));
    let mut files = Vec::new();
    files_under("igtf/messages", &mut files);
    for f in files {
        for c in codes_of(&session.inspect(&read(&f), &f)) {
            seen.entry(c).or_insert_with(|| f.clone());
        }
    }
}

fn path_validation_cases(seen: &mut BTreeMap<String, String>) {
    let table = String::from_utf8(read("pathval/CASES.tsv")).unwrap();
    for row in table.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = row.split('\t').collect();
        let (id, at) = (f[0], UnixTime::parse(f[2]).unwrap());
        let load = |name: &str| -> Vec<u8> {
            std::fs::read(fixture(&format!("pathval/cases/{id}/{name}"))).unwrap_or_default()
        };
        let certs = |name: &str| {
            let b = load(name);
            if b.iter().all(u8::is_ascii_whitespace) {
                Vec::new()
            } else {
                load_certificates(&b, name).unwrap()
            }
        };
        let mut k = Keyring::new();
        k.add_anchors(&load("anchors.pem"), "anchors.pem").unwrap();
        let crls = load("crls.pem");
        if !crls.iter().all(u8::is_ascii_whitespace) {
            k.add_crls(&crls, "crls.pem").unwrap();
        }
        let leaf = certs("leaf.pem").remove(0);
        let result = chain::validate(&leaf, &certs("intermediates.pem"), &k, at);
        if let Some(p) = &result.problem {
            seen.entry(p.code().to_string())
                .or_insert_with(|| format!("pathval/cases/{id}"));
        }
    }
}

/// Inputs derived from fixtures the way they arrive damaged or combined.
fn derived_inputs(seen: &mut BTreeMap<String, String>, at: UnixTime) {
    let mut scmp = trusting_root();
    for key in ["pki/recip-rsa.key", "pki/recip-rsa2.key"] {
        scmp.add_private_keys(&read(key), None, key).unwrap();
    }
    let mut s = Session::new(scmp, Options::new("", at));
    let mut run = |s: &mut Session, bytes: &[u8], opts: &Options, how: &str| {
        let r = s.inspect_with(bytes, opts);
        for c in codes_of(&r) {
            seen.entry(c).or_insert_with(|| how.to_string());
        }
    };
    // A capture of a request and a reply to another request.
    let mut capture = read("profiles/scmp/duplicates/1-request.http");
    capture.extend_from_slice(&read("profiles/scmp/reply.http"));
    let o = s.options_for("capture");
    run(&mut s, &capture, &o, "1-request.http + reply.http");
    // A request checked against a 300 s replay window.
    let mut o = s.options_for("request.http");
    o.replay_window = Some(300);
    run(
        &mut s,
        &read("profiles/scmp/request.http"),
        &o,
        "request.http, replay window 300 s",
    );
    // An HTTP request cut short of its Content-Length.
    let req = read("profiles/scmp/request.http");
    let o = s.options_for("cut");
    run(
        &mut s,
        &req[..req.len() - 100],
        &o,
        "request.http cut by 100 bytes",
    );
    // A STOMP frame that lost its terminating NUL.
    let frame = read("profiles/emi/send.stomp");
    let end = frame.iter().rposition(|&b| b == 0).unwrap();
    let o = s.options_for("no-nul");
    run(&mut s, &frame[..end], &o, "send.stomp without its NUL");
    // A multipart message whose boundary parameter no longer matches its parts.
    let mail = String::from_utf8(read("messages/rsa-sha256.eml")).unwrap();
    let damaged = mail
        .replacen("multipart/signed", "multipart/mixed", 1)
        .replacen("boundary=\"", "boundary=\"x", 1);
    let o = s.options_for("boundary");
    run(
        &mut s,
        damaged.as_bytes(),
        &o,
        "rsa-sha256.eml with another boundary",
    );
    // Bit Repository XML with a byte that is not UTF-8.
    let mut frame = read("profiles/bitrepo/message.stomp");
    let at_xml = frame.windows(5).position(|w| w == b"<?xml").unwrap();
    frame[at_xml + 2] = 0xff;
    let mut k = trusting_root();
    k.add_certs(&read("pki/signer-rsa.pem"), "signer").unwrap();
    let mut b = Session::new(k, Options::new("", at));
    let o = b.options_for("bad-utf8");
    run(
        &mut b,
        &frame,
        &o,
        "message.stomp with a byte 0xff in its XML",
    );
}
