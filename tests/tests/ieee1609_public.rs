//! Public IEEE 1609.2 sample encodings (tests/fixtures/ieee1609-public/SOURCES.md): the
//! decoder reads the facts their sources state, and rejects the draft-era sample.

use sealscope_core::ieee1609::data::{self, Content, Issuer, Point, Signer, VerifyKey};
use sealscope_core::report::{SignatureStatus, Verdict};
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::{read, AT};

#[test]
fn signed_bsm_samples() {
    for (file, gen, digest, payload) in [
        (
            "ieee1609-public/Ieee1609Dot2Data.unsecuredData.Bsm.coer",
            429_483_745_800_140u64,
            "85c3ceeda2191f14",
            134,
        ),
        (
            "ieee1609-public/ieee1609dot2.badpayload.unsigned.coer",
            0,
            "fe1972a2f62cdb94",
            142,
        ),
    ] {
        let d = data::decode(&read(file)).unwrap();
        assert_eq!(d.version, 3);
        let Content::Signed(s) = &d.content else {
            panic!("{file}: not signed")
        };
        assert_eq!(s.header.psid, 32, "{file}");
        if gen != 0 {
            assert_eq!(s.header.generation_time, Some(gen));
        }
        let Signer::Digest(id) = &s.signer else {
            panic!("{file}: signer")
        };
        assert_eq!(hex::encode(id), digest);
        let inner = s.data.as_ref().unwrap();
        let Content::Unsecured(p) = &inner.content else {
            panic!("{file}: payload")
        };
        assert_eq!(p.len(), payload);
        // Through the pipeline: one signature, unverifiable without the signer certificate.
        let r = sealscope_core::inspect(
            &read(file),
            &Keyring::new(),
            &Options::new(file, UnixTime::parse(AT).unwrap()),
        );
        assert_eq!(r.verdict, Verdict::Warning);
        assert_eq!(r.signatures[0].status, SignatureStatus::Unverifiable);
        assert_eq!(r.signatures[0].psid, Some(32));
        assert_eq!(r.signatures[0].signer_hashed_id8.as_deref(), Some(digest));
        if gen != 0 {
            // Time64 is microseconds: reported exactly, and as UTC with the fraction
            // (2004-01-01 + 429483745 s less the 5 leap seconds of 2006-2017, .800140).
            assert_eq!(r.signatures[0].generation_time_us, Some(gen));
            assert_eq!(
                r.signatures[0].generation_time.as_deref(),
                Some("2017-08-10T21:02:20.800140Z")
            );
            assert_eq!(
                r.signatures[0].signing_time,
                r.signatures[0].generation_time
            );
        }
        assert_eq!(
            r.signatures[0].reason_code.as_deref(),
            Some("signer-cert-not-found")
        );
        assert_eq!(r.content.as_ref().unwrap().size, payload);
    }
}

#[test]
fn draft_sample_is_unreadable_with_offset_and_path() {
    let r = sealscope_core::inspect(
        &read("ieee1609-public/Sample-BSM-Digest.draft.coer"),
        &Keyring::new(),
        &Options::new("draft", UnixTime::parse(AT).unwrap()),
    );
    assert_eq!(r.verdict, Verdict::Unreadable);
    let e = r.error.unwrap();
    assert!(
        e.contains("byte 34") && e.contains("Ieee1609Dot2Data.content.signedData.signer"),
        "{e}"
    );
}

#[test]
fn implicit_test_certificate() {
    let c = data::decode_certificate(&read("ieee1609-public/TestCertificate.coer")).unwrap();
    assert!(c.implicit);
    assert_eq!(
        c.issuer,
        Issuer::Digest {
            alg: data::HashAlg::Sha256,
            id: [1; 8]
        }
    );
    assert!(c.id.starts_with("linkageData iCert 2 "), "{}", c.id);
    assert_eq!(hex::encode(c.craca_id), "040404");
    assert_eq!(c.crl_series, 5);
    assert_eq!(c.start, 101_058_054);
    assert_eq!(c.duration, (169 * 3600, "169 hours".into()));
    assert_eq!(c.region.as_deref(), Some("countries 124, 484, 840"));
    assert_eq!(c.app_permissions, vec![(32, None)]);
    assert!(matches!(
        c.verify_key,
        VerifyKey::Reconstruction(Point::Compressed { y_odd: true, .. })
    ));
    assert!(c.signature.is_none());
    // Loaded as a --cert it is recognised by content.
    let mut k = Keyring::new();
    k.add_certs(
        &read("ieee1609-public/TestCertificate.coer"),
        "TestCertificate.coer",
    )
    .unwrap();
    assert_eq!(k.ieee1609_certs.len(), 1);
}

#[test]
fn damaged_1609_inputs_never_panic() {
    let bytes = read("ieee1609-public/Ieee1609Dot2Data.unsecuredData.Bsm.coer");
    for cut in 0..bytes.len() {
        let r = sealscope_core::inspect(
            &bytes[..cut],
            &Keyring::new(),
            &Options::new("cut", UnixTime(0)),
        );
        assert!(r.to_json().starts_with('{'));
    }
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0xff;
        let _ = sealscope_core::inspect(&b, &Keyring::new(), &Options::new("flip", UnixTime(0)));
    }
    let mut trailing = bytes.clone();
    trailing.push(0);
    let e = data::decode(&trailing).unwrap_err().to_string();
    assert!(e.contains("trailing"), "{e}");
    let mut v2 = bytes.clone();
    v2[0] = 2;
    assert!(data::decode(&v2)
        .unwrap_err()
        .to_string()
        .contains("protocolVersion 2"));
}
