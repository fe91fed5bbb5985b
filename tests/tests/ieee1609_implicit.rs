//! Implicit (ECQV) certificates and butterfly key expansion against a certificate bundle of
//! a deployed SCMS (tests/fixtures/ieee1609/scms-bundle, see its SOURCES.md): an explicit
//! RCA → ICA → PCA chain, two RSE application certificates and eight OBU pseudonym
//! certificates, all implicit, with the keys that SCMS's client derived for them.

use sealscope_core::ieee1609::butterfly::{self, KeyKind};
use sealscope_core::ieee1609::data::{Curve, Point};
use sealscope_core::ieee1609::{build_chain, ecqv, verification_key, verify, KeyringCert};
use sealscope_core::report::ChainStatus;
use sealscope_core::UnixTime;

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/ieee1609/scms-bundle/"
);

fn cert(name: &str) -> KeyringCert {
    let bytes = std::fs::read(format!("{DIR}{name}")).unwrap();
    KeyringCert::from_coer(&bytes, name).unwrap()
}

fn bytes<const N: usize>(name: &str) -> [u8; N] {
    std::fs::read(format!("{DIR}{name}"))
        .unwrap()
        .try_into()
        .unwrap()
}

fn pool() -> Vec<KeyringCert> {
    ["rca.coer", "ica.coer", "pca.coer"]
        .iter()
        .map(|n| cert(n))
        .collect()
}

fn uncompressed(p: &Point) -> String {
    hex::encode_upper(p.sec1().unwrap())
}

/// The HashedId8s the bundle states, and the explicit chain's signatures.
#[test]
fn explicit_chain_of_the_bundle() {
    let p = pool();
    let ids: Vec<String> = p.iter().map(|k| hex::encode(k.id)).collect();
    assert_eq!(
        ids,
        ["1dfebcda272ea559", "6a606d3536f04e21", "586c852974c7dba2"]
    );
    // H(issuer certificate) as the ECQV hash input uses it: the whole SHA-256 whose last
    // 8 bytes are the HashedId8.
    assert_eq!(
        hex::encode(ecqv::sha256(&verify::canonical(&p[2].cert))),
        "b9e2f39e044006d185b5713c817a91659e39103b95866fb1586c852974c7dba2"
    );
    let at = UnixTime::parse("2021-02-01T00:00:00Z").unwrap();
    let out = build_chain(&p[2], &p, &p[..1], at);
    assert_eq!(out.status, ChainStatus::Trusted, "{}", out.reason);
}

/// RSE application certificate rse-0: the public key reconstructed from the PCA's, and the
/// private key from the request key and the .s file, are the bundle's, and form a pair.
#[test]
fn rse_application_certificate() {
    let rse = cert("rse-0.coer");
    assert!(rse.cert.implicit);
    assert_eq!(hex::encode(rse.id), "17d9c58c3ac798e3");
    let (curve, q) = verification_key(&rse, &pool()).unwrap();
    assert_eq!(curve, Curve::NistP256);
    assert_eq!(
        uncompressed(&q),
        "0496077CC3BFFC3AE73CC60BD7FE6B9D65499CDC0FFD186195FDFEFB467FED2FFDE565987CE706755CB614E8A96CF4FA2C6F582E9B25FC0D290172D12D6FA77040"
    );
    let e = ecqv::hash_input(&rse.cert.tbs, &verify::canonical(&pool()[2].cert));
    let d = ecqv::reconstruct_private(
        curve,
        &e,
        &bytes("rse-0/dwnl_sgn.priv"),
        &bytes("rse-0/17d9c58c3ac798e3.s"),
    )
    .unwrap();
    assert_eq!(
        hex::encode_upper(d),
        "977E2FE062C30BC5C43D6BDF6AD0E195092760993D79C618B4D96D4ABEC8A3CC"
    );
    assert_eq!(ecqv::public_of(curve, &d).unwrap(), q.sec1().unwrap());
    // The chain: implicit rse-0 bound to the PCA by reconstruction, then signatures up.
    let p = pool();
    let at = UnixTime::parse("2021-01-20T00:00:00Z").unwrap();
    let out = build_chain(&rse, &p, &p[..1], at);
    assert_eq!(out.status, ChainStatus::Trusted, "{}", out.reason);
    assert_eq!(out.certificates.len(), 4);
    // Without the PCA, nothing can be reconstructed, and the error says so.
    let err = verification_key(&rse, &p[..2]).unwrap_err();
    assert!(
        matches!(&err, verify::Failure::IssuerMissing(m) if m.contains("586c852974c7dba2")),
        "{err:?}"
    );
}

/// OBU pseudonym certificates i = 0x13a, j = 0..7: butterfly expansion of the seed key with
/// the expansion key, then ECQV with each certificate's .s file, gives the private key the
/// SCMS client derived, whose public key is the one reconstructed from the certificate.
#[test]
fn pseudonym_batch_by_butterfly_expansion() {
    let expected = [
        "79048F13C4D5AE55A42437FF77812B3D94DBE7D92913959845A57FDA285932DF",
        "1D43248E1A339922197EDB5C9CECD738626CEAC567AD17E41F542A8E0BA240DB",
        "967F33A1358CE7AE1C595B6BABF72DDA593F52B4D044BAB72857B8081907C84E",
        "421390FA8FC0DAE95E7793278EEF58E3B0B1868AB9736CB4F88C334D34F696B5",
        "434E284AA7970F4D3453E3014A8F078EEF0BD3109C6BC82C8F527D3EC05ECEDC",
        "9E510DF4EE1353CB3DB21C367F14653EC265544DF680D2B162A5CDC89BB0E064",
        "DC2D6F3D2724A73E536314A39F13FC7A20B2380010E3EC791F9B65766A5709C8",
        "E801FC9D5294545907E1278D4E3E834046B5C97F1B3008F6291E2761B936D1AA",
    ];
    let seed: [u8; 32] = bytes("batch/dwnl_sgn.priv");
    let ck: [u8; 16] = bytes("batch/sgn_expnsn.key");
    let p = pool();
    let pca = verify::canonical(&p[2].cert);
    for (j, want) in expected.iter().enumerate() {
        let pc = cert(&format!("batch/13A_{j}.cert"));
        let b = butterfly::expand_private(
            Curve::NistP256,
            KeyKind::Signing,
            &seed,
            &ck,
            0x13a,
            j as u32,
        )
        .unwrap();
        let e = ecqv::hash_input(&pc.cert.tbs, &pca);
        let r: [u8; 32] = bytes(&format!("batch/13A_{j}.s"));
        let d = ecqv::reconstruct_private(Curve::NistP256, &e, &b, &r).unwrap();
        assert_eq!(hex::encode_upper(d), *want, "j = {j}");
        let (_, q) = verification_key(&pc, &p).unwrap();
        assert_eq!(
            ecqv::public_of(Curve::NistP256, &d).unwrap(),
            q.sec1().unwrap()
        );
        // Another j's expansion does not give this certificate's key.
        let other = butterfly::expand_private(
            Curve::NistP256,
            KeyKind::Signing,
            &seed,
            &ck,
            0x13a,
            (j as u32 + 1) % 8,
        )
        .unwrap();
        let d2 = ecqv::reconstruct_private(Curve::NistP256, &e, &other, &r).unwrap();
        assert_ne!(
            ecqv::public_of(Curve::NistP256, &d2).unwrap(),
            q.sec1().unwrap()
        );
    }
}

fn bundle_keyring(with_pca: bool) -> sealscope_core::Keyring {
    let mut k = sealscope_core::Keyring::new();
    let f = format!("{DIR}rca.coer");
    k.add_anchors(&std::fs::read(&f).unwrap(), &f).unwrap();
    let mut certs = vec!["ica.coer", "rse-0.coer"];
    if with_pca {
        certs.push("pca.coer");
    }
    for c in certs {
        let f = format!("{DIR}{c}");
        k.add_certs(&std::fs::read(&f).unwrap(), &f).unwrap();
    }
    k
}

/// Messages signed (by tests/fixtures/ieee1609/generate.py, pyca/cryptography) with keys
/// the generator reconstructed on its own from the bundle: every row of IMPLICIT.tsv gives
/// its stated result, the key being reconstructed from the certificate and the PCA's key.
#[test]
fn messages_signed_with_implicit_certificates() {
    use sealscope_core::report::{SignatureStatus, Verdict};
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ieee1609/");
    let table = std::fs::read_to_string(format!("{root}IMPLICIT.tsv")).unwrap();
    let k = bundle_keyring(true);
    let mut n = 0;
    for line in table.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        let (file, hid, at, expected) = (c[0], c[2], c[5], c[6]);
        let bytes = std::fs::read(format!("{root}{file}")).unwrap();
        let o = sealscope_core::Options::new(file, UnixTime::parse(at).unwrap());
        let r = sealscope_core::inspect(&bytes, &k, &o);
        let s = &r.signatures[0];
        let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(s.signer_hashed_id8.as_deref(), Some(hid), "{file}");
        match expected {
            "valid" => {
                assert_eq!(r.verdict, Verdict::Valid, "{file}: {codes:?} {}", s.reason);
                assert_eq!(s.chain.status, ChainStatus::Trusted, "{file}");
                assert_eq!(s.chain.certificates.len(), 4, "{file}");
                let key = &s.signer.as_ref().unwrap().key;
                assert!(key.contains("reconstructed by ECQV"), "{file}: {key}");
            }
            "invalid:bad-signature" => {
                assert_eq!(s.status, SignatureStatus::Invalid, "{file}");
                assert_eq!(r.verdict, Verdict::Invalid, "{file}");
                assert!(
                    codes.contains(&"signature-value-invalid"),
                    "{file}: {codes:?}"
                );
            }
            other => {
                let code = other.strip_prefix("invalid:").unwrap();
                // The key was reconstructed and the signature verifies; a rule breaks.
                assert_eq!(s.status, SignatureStatus::Valid, "{file}");
                assert_eq!(r.verdict, Verdict::Invalid, "{file}");
                assert!(codes.contains(&code), "{file}: {codes:?}");
            }
        }
        n += 1;
    }
    assert_eq!(n, 5);
    // rse-0's key, as the layer of its certificate and the signer summary show it.
    let bytes = std::fs::read(format!("{root}implicit/rse0-certificate.coer")).unwrap();
    let o = sealscope_core::Options::new("m", UnixTime::parse("2021-01-20T00:00:30Z").unwrap());
    let r = sealscope_core::inspect(&bytes, &k, &o);
    let layer = r
        .layers
        .iter()
        .find(|l| l.kind.as_str() == "ieee1609-certificate")
        .unwrap();
    let key = layer
        .headers
        .iter()
        .find(|h| h.0 == "reconstructed key")
        .map(|h| h.1.clone())
        .unwrap();
    assert!(
        key.starts_with("ecdsa-p256 0496077cc3bffc3ae73cc60bd7fe6b9d65499cdc0ffd186195fdfefb467fed2ffde565987ce706755cb614e8a96cf4fa2c6f582e9b25fc0d290172d12d6fa77040"),
        "{key}"
    );
    // Without the PCA the key cannot be reconstructed: unverifiable, chain incomplete, and
    // the headline asks for the issuer's certificate.
    let r = sealscope_core::inspect(&bytes, &bundle_keyring(false), &o);
    assert_eq!(r.signatures[0].status, SignatureStatus::Unverifiable);
    assert_eq!(
        r.signatures[0].reason_code.as_deref(),
        Some("chain-incomplete")
    );
    assert!(r.signatures[0].reason.contains("586c852974c7dba2"));
    assert_eq!(r.headline.decisive.as_deref(), Some("chain-incomplete"));
}
