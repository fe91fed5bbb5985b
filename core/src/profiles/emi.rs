//! EMI accounting messaging (seed 000, "EMI Messaging Protocol for Accounting"):
//! - the raw message MUST be signed; signing first, encryption (optional) second;
//! - signing MUST use multipart/signed with a micalg of SHA-1 or SHA-2 (sha-1, sha-224,
//!   sha-256, sha-384, sha-512) that matches the digest actually used;
//! - each S/MIME structure MUST carry smime-type (for application/pkcs7-mime, where RFC 8551
//!   defines it);
//! - the encryption algorithm MUST be AES.
//!
//! Detected for a STOMP SEND/MESSAGE frame carrying S/MIME.

use super::{encloses, Input};
use crate::report::LayerKind;
use crate::report::{Finding, Layer, Severity};

/// Whether the layers look like EMI accounting traffic.
pub fn detect(layers: &[Layer]) -> bool {
    layers.iter().enumerate().any(|(i, l)| {
        l.kind == LayerKind::StompFrame
            && (l.summary.starts_with("STOMP SEND") || l.summary.starts_with("STOMP MESSAGE"))
            && layers.iter().any(|c| {
                c.parent == Some(i)
                    && c.content_type.as_ref().is_some_and(|ct| {
                        ct.media_type == "multipart/signed" || ct.media_type.ends_with("pkcs7-mime")
                    })
            })
    })
}

pub(crate) const EMI_REF: &str = "EMI Messaging Protocol for Accounting, Encryption and signatures";

fn must(code: &str, message: String, section: &str, layer: Option<usize>) -> Finding {
    Finding {
        severity: Severity::Error,
        code: code.to_string(),
        message,
        reference: format!("{EMI_REF} ({section})"),
        layer,
    }
}

/// The EMI rules.
pub fn evaluate(input: &Input<'_>) -> Vec<Finding> {
    use crate::report::findings as f;
    let layers = input.layers;
    let mut out = Vec::new();
    let signed_layers: Vec<usize> = layers
        .iter()
        .enumerate()
        .filter(|(_, l)| l.kind == LayerKind::CmsSignedData)
        .map(|(i, _)| i)
        .collect();
    let enveloped: Vec<usize> = layers
        .iter()
        .enumerate()
        .filter(|(_, l)| l.kind.is_enveloped())
        .map(|(i, _)| i)
        .collect();
    let unopened = input.unopened();
    if signed_layers.is_empty() && unopened {
        out.push(Finding {
            severity: Severity::Warning,
            code: f::NOT_DECRYPTED.into(),
            message: "the signing rules cannot be checked: the encrypted content was not opened (pass the recipient key with --key)".into(),
            reference: format!("{EMI_REF} (1) General requirements)"),
            layer: None,
        });
    } else if signed_layers.is_empty() {
        out.push(must(
            f::NOT_SIGNED,
            "the message is not signed; EMI requires every message to be signed".into(),
            "\"The raw message MUST be signed\"",
            None,
        ));
    }
    for &s in &signed_layers {
        let ms = layers[s]
            .parent
            .and_then(|p| layers[p].parent)
            .filter(|&gp| layers[gp].kind == LayerKind::MultipartSigned);
        // 1) order: signing first, encryption second, so nothing signed may hold encryption.
        // A detached signature covers its multipart/signed entity; an opaque one its own.
        let scope = ms.unwrap_or(s);
        if let Some(&e) = enveloped.iter().find(|&&e| encloses(layers, scope, e)) {
            out.push(must(
                f::ENCRYPT_BEFORE_SIGN,
                format!(
                    "layer {s} signs layer {e}, which is already encrypted: EMI requires signing first and encryption second"
                ),
                "1) General requirements",
                Some(s),
            ));
        }
        // 2) multipart/signed with micalg.
        let Some(ms) = ms else {
            out.push(must(
                f::NOT_MULTIPART_SIGNED,
                format!("layer {s} is opaque signed-data; EMI requires multipart/signed (RFC 8551 §3.5.3)"),
                "2) Signing requirements",
                Some(s),
            ));
            continue;
        };
        let micalg = layers[ms]
            .content_type
            .as_ref()
            .and_then(|ct| ct.param("micalg"))
            .map(str::to_ascii_lowercase);
        let Some(micalg) = micalg else {
            out.push(must(
                f::MICALG_MISSING,
                "multipart/signed has no micalg parameter".into(),
                "2) Signing requirements",
                Some(ms),
            ));
            continue;
        };
        const ALLOWED: [&str; 5] = ["sha-1", "sha-224", "sha-256", "sha-384", "sha-512"];
        for m in micalg.split(',').map(str::trim) {
            // The pre-RFC 5751 labels OpenSSL still writes ("sha1") name the same digests.
            let registered = crate::crypto::algorithms::Digest::from_micalg(m).map(|d| d.micalg());
            if !registered.is_some_and(|r| ALLOWED.contains(&r)) {
                out.push(must(
                    f::MICALG_NOT_ALLOWED,
                    format!("micalg \"{m}\" is not one of {}", ALLOWED.join(", ")),
                    "2) Signing requirements",
                    Some(ms),
                ));
            }
        }
        for sig in input.signatures.iter().filter(|x| x.layer == s) {
            let want = crate::crypto::algorithms::Digest::from_micalg(&sig.digest_algorithm)
                .map(|d| d.micalg().to_string())
                .unwrap_or_else(|| sig.digest_algorithm.clone());
            let named = |m: &str| {
                crate::crypto::algorithms::Digest::from_micalg(m).map(|d| d.micalg().to_string())
            };
            if !micalg
                .split(',')
                .any(|m| m.trim() == want || named(m).as_deref() == Some(want.as_str()))
            {
                out.push(must(
                    f::MICALG_MISMATCH,
                    format!(
                        "micalg is \"{micalg}\" but SignerInfo #{} uses {} (\"{want}\")",
                        sig.signer_info, sig.digest_algorithm
                    ),
                    "2) Signing requirements",
                    Some(ms),
                ));
            }
        }
    }
    // smime-type on every application/pkcs7-mime structure.
    for (i, l) in layers.iter().enumerate() {
        if let Some(ct) = &l.content_type {
            if ct.media_type.ends_with("pkcs7-mime") && ct.param("smime-type").is_none() {
                out.push(must(
                    f::SMIME_TYPE_MISSING,
                    format!("{} has no smime-type parameter", ct.media_type),
                    "1) General requirements",
                    Some(i),
                ));
            }
        }
    }
    // 3) AES only.
    for e in input.encryption {
        if !e.content_algorithm.starts_with("aes-") {
            out.push(must(
                f::CIPHER_NOT_ALLOWED,
                format!(
                    "the content is encrypted with {}; EMI requires one of the AES algorithms",
                    e.content_algorithm
                ),
                "3) Encryption requirements",
                Some(e.layer),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::findings as f;
    use crate::{Keyring, Options, Report, UnixTime};

    macro_rules! fixture {
        ($p:literal) => {
            include_bytes!(concat!("../../../tests/fixtures/profiles/emi/", $p)).as_slice()
        };
    }

    fn run(bytes: &[u8], key: bool) -> (Report, Options) {
        let mut k = Keyring::new();
        if key {
            let pem = include_bytes!("../../../tests/fixtures/pki/recip-rsa.key");
            k.add_private_keys(pem, None, "recip-rsa.key").unwrap();
        }
        let mut o = Options::new("t", UnixTime::parse("2027-01-01T00:00:00Z").unwrap());
        o.profile = Some(super::super::Profile::Emi);
        (crate::inspect(bytes, &k, &o), o)
    }

    fn codes(r: &Report, opts: &Options) -> Vec<String> {
        let input = Input {
            layers: &r.layers,
            signatures: &r.signatures,
            encryption: &r.encryption,
            content: r.content.as_ref(),
            leaves: &[],
            opts,
        };
        evaluate(&input).into_iter().map(|x| x.code).collect()
    }

    #[test]
    fn each_rule_on_its_fixture() {
        let cases: [(&[u8], bool, &[&str]); 10] = [
            (fixture!("signed.eml"), false, &[]),
            (fixture!("signed-encrypted.eml"), true, &[]),
            (fixture!("signed-encrypted.eml"), false, &[f::NOT_DECRYPTED]),
            (fixture!("not-signed.eml"), false, &[f::NOT_SIGNED]),
            (fixture!("opaque.eml"), false, &[f::NOT_MULTIPART_SIGNED]),
            (fixture!("micalg-missing.eml"), false, &[f::MICALG_MISSING]),
            (
                fixture!("micalg-mismatch.eml"),
                false,
                &[f::MICALG_MISMATCH],
            ),
            (
                fixture!("smime-type-missing.eml"),
                true,
                &[f::SMIME_TYPE_MISSING],
            ),
            (
                fixture!("encrypt-before-sign.eml"),
                true,
                &[f::ENCRYPT_BEFORE_SIGN],
            ),
            (fixture!("cipher-des3.eml"), true, &[f::CIPHER_NOT_ALLOWED]),
        ];
        for (bytes, key, want) in cases {
            let (r, o) = run(bytes, key);
            assert_eq!(codes(&r, &o), want, "{}", r.to_json());
        }
    }

    #[test]
    fn micalg_values() {
        // Only "whirlpool" of "sha-256,whirlpool" is outside SHA-1 / SHA-2.
        let (r, _) = run(fixture!("micalg-not-allowed.eml"), false);
        let p = &r.profiles[0];
        assert_eq!(
            (p.name.as_str(), p.conforms, p.findings.len()),
            ("emi", false, 1)
        );
        assert_eq!(
            p.findings[0].message,
            "micalg \"whirlpool\" is not one of sha-1, sha-224, sha-256, sha-384, sha-512"
        );
        let (mut r, o) = run(fixture!("signed.eml"), false);
        let ms = r
            .layers
            .iter()
            .position(|l| l.kind == LayerKind::MultipartSigned)
            .unwrap();
        let mut with = |micalg: &str| {
            let ct = r.layers[ms].content_type.as_mut().unwrap();
            ct.params.retain(|(n, _)| n != "micalg");
            ct.params.push(("micalg".into(), micalg.into()));
            codes(&r, &o)
        };
        // Case-insensitive, OpenSSL's legacy label, a list naming several digests.
        assert!(with("SHA-256").is_empty());
        assert!(with("sha256").is_empty());
        assert!(with("sha-1, sha-256").is_empty());
        assert_eq!(with("sha-512"), [f::MICALG_MISMATCH]);
        assert_eq!(with("md5"), [f::MICALG_NOT_ALLOWED, f::MICALG_MISMATCH]);
    }

    #[test]
    fn detected_on_stomp_frames_only() {
        let (r, _) = run(fixture!("signed.eml"), false);
        assert!(!detect(&r.layers));
        let stomp = crate::inspect(
            fixture!("send.stomp"),
            &Keyring::new(),
            &Options::new("s", UnixTime(0)),
        );
        assert!(detect(&stomp.layers));
        assert_eq!(stomp.profiles[0].name, "emi");
    }
}
