//! Composing CAMP SCMS EE→RA requests: an `ScmsPDU` signed as a `SignedCertificateRequest`
//! (signer: the enrollment certificate) inside an `Ieee1609Dot2Data` of type
//! `signedCertificateRequest`, the shape the decoder and the project's vectors use.

use super::data::{self, Certificate, Curve, VerifyKey};
use super::{utc_to_time32, verify};
use crate::crypto::keys::SecretKey;
use crate::error::Error;
use crate::time::UnixTime;
use rand_core::CryptoRng;

fn err(reason: impl Into<String>) -> Error {
    Error::Malformed {
        structure: "SCMS request".into(),
        reason: reason.into(),
    }
}

/// A COER length determinant.
pub fn length(n: usize) -> Vec<u8> {
    if n < 0x80 {
        return vec![n as u8];
    }
    let bytes: Vec<u8> = (n as u64)
        .to_be_bytes()
        .iter()
        .copied()
        .skip_while(|&b| b == 0)
        .collect();
    let mut v = vec![0x80 | bytes.len() as u8];
    v.extend_from_slice(&bytes);
    v
}

/// A variable-size OCTET STRING (length, then bytes).
pub fn octets(b: &[u8]) -> Vec<u8> {
    let mut v = length(b.len());
    v.extend_from_slice(b);
    v
}

/// Which request to build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// `eeRaAuthenticatedDownloadRequest` for a file.
    Download {
        /// The file name.
        filename: String,
    },
    /// `eeRaCertRequest` (the RA-certificate request; its body is only a version).
    RaCert,
    /// `eeRaPseudonymCertProvisioningRequest`, starting at a time.
    Pseudonym {
        /// requested-start-time.
        start: UnixTime,
    },
    /// `eeRaIdCertProvisioningRequest`, starting at a time.
    Id {
        /// requested-start-time.
        start: UnixTime,
    },
}

fn compressed_p256(key: &p256::PublicKey) -> Vec<u8> {
    use p256::elliptic_curve::sec1::ToSec1Point;
    let p = key.to_sec1_point(true);
    let b = p.as_bytes();
    let mut v = vec![if b[0] == 3 { 0x83 } else { 0x82 }];
    v.extend_from_slice(&b[1..]);
    v
}

fn butterfly(rng: &mut dyn CryptoRng) -> Vec<u8> {
    // A fresh seed key pair (its private half would stay with the device) and expansion.
    let mut scalar = [0u8; 32];
    let key = loop {
        rng.fill_bytes(&mut scalar);
        if let Ok(k) = p256::SecretKey::from_slice(&scalar) {
            break k;
        }
    };
    let mut v = compressed_p256(&key.public_key());
    let mut expansion = [0u8; 16];
    rng.fill_bytes(&mut expansion);
    v.extend_from_slice(&expansion);
    v
}

/// The COER `ScmsPDU` of a request made at `at`.
pub fn scms_pdu(req: &Request, at: UnixTime, rng: &mut dyn CryptoRng) -> Result<Vec<u8>, Error> {
    let now = utc_to_time32(at).to_be_bytes();
    let mut v = vec![0x01, 0x83]; // version 1, content ee-ra
    match req {
        Request::Download { filename } => {
            if filename.len() > 255 {
                return Err(err("the filename is longer than 255 bytes"));
            }
            v.extend_from_slice(&[0x88, 0x00]);
            v.extend_from_slice(&now);
            v.extend_from_slice(&octets(filename.as_bytes()));
        }
        Request::RaCert => v.extend_from_slice(&[0x80, 0x00, 0x01]),
        Request::Pseudonym { start } | Request::Id { start } => {
            let id = matches!(req, Request::Id { .. });
            v.push(if id { 0x84 } else { 0x82 });
            // Preamble: extension bit 0; for the Id request, cert-enc-key-info present.
            v.push(if id { 0x40 } else { 0x00 });
            v.push(0x01);
            v.extend_from_slice(&butterfly(rng));
            if id {
                v.extend_from_slice(&butterfly(rng));
            }
            v.extend_from_slice(&butterfly(rng));
            v.push(0x00);
            v.extend_from_slice(&now);
            v.extend_from_slice(&utc_to_time32(*start).to_be_bytes());
        }
    }
    Ok(v)
}

/// Signs an `ScmsPDU` with the enrollment certificate and its P-256 key, and wraps it as
/// `Ieee1609Dot2Data { 3, signedCertificateRequest }`.
pub fn signed_request(pdu: &[u8], cert_bytes: &[u8], key: &SecretKey) -> Result<Vec<u8>, Error> {
    let cert: Certificate = data::decode_certificate(cert_bytes)?;
    let SecretKey::P256(sk) = key else {
        return Err(err("the enrollment key must be a P-256 key"));
    };
    match &cert.verify_key {
        VerifyKey::Key {
            curve: Curve::NistP256,
            point,
        } => {
            let ours = p256::PublicKey::from_sec1_bytes(&point.sec1().unwrap_or_default())
                .map_err(|_| err("the certificate's key is not a full P-256 point"))?;
            if ours != sk.public_key() {
                return Err(err(
                    "the key does not match the enrollment certificate's verification key",
                ));
            }
        }
        _ => {
            return Err(err(
                "the enrollment certificate must carry an explicit P-256 verification key",
            ))
        }
    }
    let e = verify::signing_input(data::HashAlg::Sha256, pdu, &verify::canonical(&cert))
        .ok_or_else(|| err("hash unavailable"))?;
    let signer = p256::ecdsa::SigningKey::from(sk);
    let sig: p256::ecdsa::Signature = {
        use p256::ecdsa::signature::hazmat::PrehashSigner;
        signer
            .sign_prehash(&e)
            .map_err(|e| err(format!("signing failed: {e}")))?
    };
    let rs = sig.to_bytes();
    let mut scr = vec![0x00]; // hashId sha256
    scr.extend_from_slice(pdu);
    scr.extend_from_slice(&[0x81, 0x01, 0x01]); // signer: certificate, SEQUENCE OF with 1
    scr.extend_from_slice(cert_bytes);
    scr.extend_from_slice(&[0x80, 0x80]); // ecdsaNistP256Signature, rSig x-only
    scr.extend_from_slice(&rs);
    let mut out = vec![0x03, 0x83];
    out.extend_from_slice(&octets(&scr));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(length(5), [5]);
        assert_eq!(length(200), [0x81, 200]);
        assert_eq!(length(300), [0x82, 1, 44]);
    }

    #[test]
    fn pdus_decode_back() {
        let mut rng = crate::crypto::rng::SeededRng::new(1);
        let at = UnixTime::parse("2025-06-01T12:00:00Z").unwrap();
        let d = scms_pdu(
            &Request::Download {
                filename: "ra-cert.oer".into(),
            },
            at,
            &mut rng,
        )
        .unwrap();
        let p = super::super::scms::decode_pdu(&d).unwrap();
        assert_eq!(p.kind, "eeRaAuthenticatedDownloadRequest");
        assert_eq!(p.time, Some(675_864_005));
        for r in [
            Request::RaCert,
            Request::Pseudonym { start: at },
            Request::Id { start: at },
        ] {
            let b = scms_pdu(&r, at, &mut rng).unwrap();
            super::super::scms::decode_pdu(&b).unwrap_or_else(|e| panic!("{r:?}: {e}"));
        }
    }
}
