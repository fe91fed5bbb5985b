//! Profile rules (PROFILES.tsv): the seeds' own examples conform; each failing fixture fails
//! with exactly its finding code.

use sealscope_core::report::Severity;
use sealscope_core::report::Verdict;
use sealscope_core::{Options, UnixTime};
use sealscope_tests::{profile_cases, read, trusting_root, AT};

#[test]
fn every_profile_fixture() {
    let mut per_profile = std::collections::BTreeMap::<String, usize>::new();
    for c in profile_cases() {
        let (file, verdict, codes) = (c.file.as_str(), c.verdict.as_str(), c.codes.as_str());
        let (k, opts) = (&c.keyring, &c.options);
        let r = sealscope_core::inspect(&read(file), k, opts);
        let p = r
            .profiles
            .first()
            .unwrap_or_else(|| panic!("{file}: no profile applied ({:?})", r.error));
        let dir = file.split('/').nth(1).unwrap();
        assert_eq!(p.name, dir, "{file}: profile detected");
        // The profile's findings and the message-level ones (warnings and errors).
        let mut got: Vec<&str> = p.findings.iter().map(|f| f.code.as_str()).collect();
        got.extend(
            r.findings
                .iter()
                .filter(|f| f.severity != Severity::Info)
                .map(|f| f.code.as_str()),
        );
        got.sort();
        got.dedup();
        let want: Vec<&str> = codes.split(',').filter(|s| !s.is_empty()).collect();
        assert_eq!(got, want, "{file}: {:#?} {:#?}", p.findings, r.findings);
        assert_eq!(r.verdict.as_str(), verdict, "{file}: {:?}", r.findings);
        assert_eq!(
            p.conforms,
            !p.findings.iter().any(|f| f.severity == Severity::Error),
            "{file}"
        );
        for f in &p.findings {
            assert!(
                f.reference.contains('(') && f.reference.ends_with(')'),
                "{}",
                f.reference
            );
        }
        *per_profile.entry(p.name.clone()).or_default() += 1;
    }
    let counts: Vec<(String, usize)> = per_profile.into_iter().collect();
    assert_eq!(
        counts,
        [
            ("bitrepo".into(), 8),
            ("emi".into(), 12),
            ("scmp".into(), 16),
            ("ssm".into(), 13)
        ]
    );
}

#[test]
fn stomp_frame_layers() {
    let at = UnixTime::parse(AT).unwrap();
    let mut k = trusting_root();
    k.add_private_keys(&read("pki/recip-rsa.key"), None, "recip-rsa.key")
        .unwrap();
    let r = sealscope_core::inspect(
        &read("profiles/emi/send.stomp"),
        &k,
        &Options::new("send.stomp", at),
    );
    let frame = &r.layers[0];
    assert_eq!(frame.kind.as_str(), "stomp-frame");
    assert!(frame
        .summary
        .starts_with("STOMP SEND to /queue/global.accounting.cpu.central"));
    assert!(frame.headers.contains(&("receipt".into(), "r-1".into())));
    assert_eq!(
        r.layers[1].range[0],
        frame
            .headers
            .iter()
            .map(|(n, v)| n.len() + v.len() + 2)
            .sum::<usize>()
            + 6
    );
    assert_eq!(
        r.signatures[0].signer.as_ref().unwrap().subject_oneline,
        "/C=GB/O=Sealscope Test/OU=Signers/CN=Alice RSA/emailAddress=alice@sealscope.test"
    );
    assert!(r.encryption[0].decrypted);
}

#[test]
fn unopened_encryption_is_not_called_unsigned() {
    let at = UnixTime::parse(AT).unwrap();
    let r = sealscope_core::inspect(
        &read("profiles/emi/send.stomp"),
        &trusting_root(),
        &Options::new("x", at),
    );
    let p = &r.profiles[0];
    let codes: Vec<&str> = p.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["not-decrypted"]);
    assert!(!p.conforms);
    assert_eq!(r.verdict, Verdict::Warning);
}

fn scmp_keyring() -> sealscope_core::Keyring {
    let mut k = trusting_root();
    for key in ["pki/recip-rsa.key", "pki/recip-rsa2.key"] {
        k.add_private_keys(&read(key), None, key).unwrap();
    }
    k
}

fn profile_codes(r: &sealscope_core::Report) -> Vec<String> {
    r.profiles[0]
        .findings
        .iter()
        .map(|f| f.code.clone())
        .collect()
}

#[test]
fn rules_that_need_a_capture_or_an_option() {
    let at = UnixTime::parse(AT).unwrap();
    // A request and a reply in one capture: the reply must echo the request's id.
    let mut capture = read("profiles/scmp/duplicates/1-request.http");
    capture.extend_from_slice(&read("profiles/scmp/reply.http"));
    let r = sealscope_core::inspect(&capture, &scmp_keyring(), &Options::new("capture", at));
    assert_eq!(profile_codes(&r), ["scmp-reply-id-mismatch"]);
    assert_eq!(r.verdict, Verdict::Invalid);
    let mut same = read("profiles/scmp/request.http");
    same.extend_from_slice(&read("profiles/scmp/reply.http"));
    let r = sealscope_core::inspect(&same, &scmp_keyring(), &Options::new("capture", at));
    assert_eq!(profile_codes(&r), Vec::<String>::new(), "{:?}", r.profiles);
    assert_eq!(r.profiles[0].detail("2.message_kind"), Some("reply"));

    // The replay window is measured from signingTime to the verification time.
    let mut opts = Options::new("request.http", at);
    opts.replay_window = Some(300);
    let r = sealscope_core::inspect(&read("profiles/scmp/request.http"), &scmp_keyring(), &opts);
    assert_eq!(profile_codes(&r), ["scmp-outside-replay-window"]);
    assert_eq!(r.verdict, Verdict::Warning);
    let signed = UnixTime::parse(r.profiles[0].detail("message_time").unwrap()).unwrap();
    let mut opts = Options::new("request.http", UnixTime(signed.0 + 60));
    opts.replay_window = Some(300);
    let r = sealscope_core::inspect(&read("profiles/scmp/request.http"), &scmp_keyring(), &opts);
    assert!(profile_codes(&r).is_empty(), "{:?}", r.profiles);

    // Bit Repository XML that is not UTF-8.
    let mut frame = read("profiles/bitrepo/message.stomp");
    let at_xml = frame.windows(5).position(|w| w == b"<?xml").unwrap();
    frame[at_xml + 2] = 0xff;
    let mut k = trusting_root();
    k.add_certs(&read("pki/signer-rsa.pem"), "signer").unwrap();
    let r = sealscope_core::inspect(&frame, &k, &Options::new("bad-utf8", at));
    assert!(profile_codes(&r).contains(&"bitrepo-not-utf8".to_string()));
    assert!(r.has_finding("content-digest-mismatch"));

    // An HTTP message whose Content-Length runs past the input.
    let req = read("profiles/scmp/request.http");
    let r = sealscope_core::inspect(
        &req[..req.len() - 100],
        &scmp_keyring(),
        &Options::new("cut", at),
    );
    assert!(r.has_finding("http-message-malformed"));
    assert_ne!(r.verdict, Verdict::Valid);
}
