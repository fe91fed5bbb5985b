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
