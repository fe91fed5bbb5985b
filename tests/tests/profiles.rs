//! Profile rules (PROFILES.tsv): the seeds' own examples conform; each failing fixture fails
//! with exactly its finding code.

use sealscope_core::profiles::Profile;
use sealscope_core::report::Verdict;
use sealscope_core::{Options, UnixTime};
use sealscope_tests::{read, trusting_root, AT};

#[test]
fn every_profile_fixture() {
    let at = UnixTime::parse(AT).unwrap();
    let text = String::from_utf8(read("PROFILES.tsv")).unwrap();
    let mut n = 0;
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        let c: Vec<&str> = line.split('\t').collect();
        let (file, profile, key, codes) = (c[0], c[1], c[2], c.get(3).copied().unwrap_or(""));
        let mut k = trusting_root();
        if key != "-" {
            k.add_private_keys(&read(key), None, key).unwrap();
        }
        let mut opts = Options::new(file, at);
        opts.profile = Profile::from_name(profile);
        let r = sealscope_core::inspect(&read(file), &k, &opts);
        let p = r
            .profiles
            .first()
            .unwrap_or_else(|| panic!("{file}: no profile applied ({:?})", r.error));
        assert_eq!(p.name, "emi", "{file}");
        let mut got: Vec<&str> = p.findings.iter().map(|f| f.code.as_str()).collect();
        got.extend(
            r.findings
                .iter()
                .filter(|f| f.code.starts_with("stomp-"))
                .map(|f| f.code.as_str()),
        );
        got.sort();
        got.dedup();
        let want: Vec<&str> = codes.split(',').filter(|s| !s.is_empty()).collect();
        assert_eq!(got, want, "{file}: {:#?}", p.findings);
        if want.is_empty() {
            assert!(p.conforms, "{file}");
            assert_eq!(r.verdict, Verdict::Valid, "{file}: {:?}", r.findings);
        } else {
            assert_eq!(r.verdict, Verdict::Invalid, "{file}");
        }
        for f in &p.findings {
            assert!(
                f.reference
                    .starts_with("EMI Messaging Protocol for Accounting"),
                "{}",
                f.reference
            );
        }
        n += 1;
    }
    assert_eq!(n, 12);
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
    assert_eq!(frame.kind, "stomp-frame");
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
