//! CAMP SCMS EE→RA request PDUs carried in IEEE 1609.2 data: `ScmsPDU` with its `ee-ra`
//! alternatives (certificate, pseudonym, identification and application provisioning
//! requests, authenticated download request), and `SignedCertificateRequest`.
//!
//! The CAMP EE-RA module is not public; the layout follows the reconstruction in the
//! project's ASN.1 (docs/decisions.md says which parts are unverified). A payload that does
//! not read as one of these is left as opaque bytes.

use super::coer::Reader;
use super::data;
use crate::error::Error;

/// One SCMS request, as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScmsPdu {
    /// `ScmsPDU.version`.
    pub version: u8,
    /// The alternative's name, e.g. `eeRaAuthenticatedDownloadRequest`.
    pub kind: String,
    /// Its fields as name/value text, in order.
    pub fields: Vec<(String, String)>,
    /// The request's own time (AuthenticatedDownloadRequest.timestamp or
    /// CommonProvisioningRequestFields.current-time), Time32.
    pub time: Option<u32>,
}

const EE_RA: [&str; 9] = [
    "eeRaCertRequest",
    "raEeCertResponse",
    "eeRaPseudonymCertProvisioningRequest",
    "raEePseudonymCertProvisioningAck",
    "eeRaIdCertProvisioningRequest",
    "raEeIdCertProvisioningAck",
    "eeRaAppCertProvisioningRequest",
    "raEeAppCertProvisioningAck",
    "eeRaAuthenticatedDownloadRequest",
];

fn time_text(t: u32) -> String {
    format!("{} (Time32 {t})", super::time32(t).to_rfc3339())
}

fn butterfly(r: &mut Reader<'_>, name: &str, out: &mut Vec<(String, String)>) -> Result<(), Error> {
    r.enter(name)?;
    let key = point(r)?;
    let expansion = r.bytes(16)?;
    out.push((
        name.to_string(),
        format!("seed-key {} , expansion {}", key, hex::encode(expansion)),
    ));
    r.leave();
    Ok(())
}

fn point(r: &mut Reader<'_>) -> Result<String, Error> {
    let i = r.choice()?;
    Ok(match i {
        0 => format!("x-only {}", hex::encode(r.bytes(32)?)),
        1 => "fill".into(),
        2 | 3 => format!("compressed-y-{} {}", i - 2, hex::encode(r.bytes(32)?)),
        4 => {
            let x = r.bytes(32)?;
            let y = r.bytes(32)?;
            format!("uncompressed {}{}", hex::encode(x), hex::encode(y))
        }
        n => return Err(r.err(format!("unknown curve point form {n}"))),
    })
}

fn common(r: &mut Reader<'_>, out: &mut Vec<(String, String)>) -> Result<u32, Error> {
    r.enter("common")?;
    let p = r.preamble(true, 0)?;
    let now = r.uint(4)? as u32;
    let start = r.uint(4)? as u32;
    if p.extended {
        r.extensions()?;
    }
    out.push(("current-time".into(), time_text(now)));
    out.push(("requested-start-time".into(), time_text(start)));
    r.leave();
    Ok(now)
}

fn public_key(
    r: &mut Reader<'_>,
    name: &str,
    out: &mut Vec<(String, String)>,
) -> Result<(), Error> {
    r.enter(name)?;
    let i = r.choice()?;
    let text = match i {
        0 | 1 => format!(
            "{} {}",
            if i == 0 {
                "ecdsaNistP256"
            } else {
                "ecdsaBrainpoolP256r1"
            },
            point(r)?
        ),
        n => {
            let v = r.octets()?;
            format!("key alternative {n} ({} bytes)", v.len())
        }
    };
    out.push((name.to_string(), text));
    r.leave();
    Ok(())
}

fn encryption_key(
    r: &mut Reader<'_>,
    name: &str,
    out: &mut Vec<(String, String)>,
) -> Result<(), Error> {
    r.enter(name)?;
    let alg = r.enumerated()?;
    let i = r.choice()?;
    let text = match i {
        0 | 1 => format!("symmAlg {alg}, ecies key {}", point(r)?),
        n => format!("key alternative {n} ({} bytes)", r.octets()?.len()),
    };
    out.push((name.to_string(), text));
    r.leave();
    Ok(())
}

fn ee_ra(
    r: &mut Reader<'_>,
    i: u64,
    out: &mut Vec<(String, String)>,
) -> Result<Option<u32>, Error> {
    let mut time = None;
    match i {
        0 => {
            let p = r.preamble(true, 0)?;
            out.push(("version".into(), r.u8()?.to_string()));
            if p.extended {
                r.extensions()?;
            }
        }
        2 | 4 => {
            let p = r.preamble(true, usize::from(i == 4))?;
            out.push(("version".into(), r.u8()?.to_string()));
            butterfly(r, "verify-key-info", out)?;
            if i == 4 && p.has(0) {
                butterfly(r, "cert-enc-key-info", out)?;
            }
            butterfly(r, "resp-enc-key-info", out)?;
            time = Some(common(r, out)?);
            if p.extended {
                r.extensions()?;
            }
        }
        6 => {
            let p = r.preamble(true, 1)?;
            out.push(("version".into(), r.u8()?.to_string()));
            public_key(r, "verify-key", out)?;
            if p.has(0) {
                encryption_key(r, "cert-encryption-key", out)?;
            }
            encryption_key(r, "response-encryption-key", out)?;
            time = Some(common(r, out)?);
            if p.extended {
                r.extensions()?;
            }
        }
        8 => {
            let p = r.preamble(true, 0)?;
            let t = r.uint(4)? as u32;
            let name = r.octets()?;
            let name = std::str::from_utf8(name)
                .map_err(|_| r.err("filename is not UTF-8"))?
                .to_string();
            if p.extended {
                r.extensions()?;
            }
            out.push(("timestamp".into(), time_text(t)));
            out.push(("filename".into(), name));
            time = Some(t);
        }
        _ => {}
    }
    Ok(time)
}

/// Reads an `ScmsPDU` from a reader.
fn pdu(r: &mut Reader<'_>) -> Result<ScmsPdu, Error> {
    r.enter("ScmsPDU")?;
    let version = r.u8()?;
    let outer = r.choice()?;
    let mut fields = Vec::new();
    let (kind, time) = match outer {
        0..=2 => (["ccm", "eca-ee", "ee-ma"][outer as usize].to_string(), None),
        3 => {
            r.enter("ee-ra")?;
            let i = r.choice()?;
            let (kind, time) = if let Some(name) = EE_RA.get(i as usize) {
                let t = ee_ra(r, i, &mut fields)?;
                (name.to_string(), t)
            } else {
                let v = r.octets()?;
                (format!("ee-ra extension {i} ({} bytes)", v.len()), None)
            };
            r.leave();
            (kind, time)
        }
        n => {
            let v = r.octets()?;
            (format!("ScmsPDU extension {n} ({} bytes)", v.len()), None)
        }
    };
    r.leave();
    Ok(ScmsPdu {
        version,
        kind,
        fields,
        time,
    })
}

/// Decodes an `ScmsPDU` that fills `bytes` exactly.
pub fn decode_pdu(bytes: &[u8]) -> Result<ScmsPdu, Error> {
    let mut r = Reader::new(bytes, 0);
    let p = pdu(&mut r)?;
    r.finish()?;
    Ok(p)
}

/// A `SignedCertificateRequest`: the request and what is needed to verify it.
pub struct SignedRequest {
    /// hashId.
    pub hash: data::HashAlg,
    /// COER of tbsRequest (what is signed).
    pub tbs: Vec<u8>,
    /// The request.
    pub pdu: ScmsPdu,
    /// signer.
    pub signer: data::Signer,
    /// signature.
    pub signature: data::Signature,
}

/// Decodes a `SignedCertificateRequest` that fills `bytes` exactly.
pub fn decode_signed_request(bytes: &[u8]) -> Result<SignedRequest, Error> {
    let mut r = Reader::new(bytes, 0);
    r.enter("SignedCertificateRequest")?;
    let hash = match r.enumerated()? {
        0 => data::HashAlg::Sha256,
        1 => data::HashAlg::Sha384,
        n => return Err(r.err(format!("unknown hash algorithm {n}"))),
    };
    let start = r.pos();
    let pdu = pdu(&mut r)?;
    let tbs = r.since(start).to_vec();
    let signer = data::signer(&mut r)?;
    let signature = data::signature(&mut r)?;
    r.leave();
    r.finish()?;
    Ok(SignedRequest {
        hash,
        tbs,
        pdu,
        signer,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ee_ra_alternatives_and_extensions() {
        // ScmsPDU{1, ee-ra: eeRaAuthenticatedDownloadRequest{timestamp, "a.zip"}}.
        let mut b = vec![1, 0x83, 0x88, 0x00];
        b.extend(675_864_005u32.to_be_bytes().iter().chain(b"\x05a.zip"));
        let want = ScmsPdu {
            version: 1,
            kind: "eeRaAuthenticatedDownloadRequest".into(),
            fields: vec![
                (
                    "timestamp".into(),
                    "2025-06-01T12:00:00Z (Time32 675864005)".into(),
                ),
                ("filename".into(), "a.zip".into()),
            ],
            time: Some(675_864_005),
        };
        assert_eq!(decode_pdu(&b).unwrap(), want);
        // The same with the extension bit set and one unknown addition: skipped.
        let mut ext = b.clone();
        ext[3] = 0x80;
        ext.extend([2, 7, 0x80, 1, 0xff]);
        assert_eq!(decode_pdu(&ext).unwrap(), want);
        // UTF8String that is not UTF-8.
        *b.last_mut().unwrap() = 0xff;
        let e = decode_pdu(&b).unwrap_err().to_string();
        assert_eq!(
            e,
            "ASN.1 error at byte 14: ScmsPDU.ee-ra: filename is not UTF-8"
        );
        // NULL placeholders of the root, then extension alternatives skipped as open types.
        let cases: [(&[u8], &str); 4] = [
            (&[1, 0x81], "eca-ee"),
            (&[1, 0x83, 0x81], "raEeCertResponse"),
            (
                &[1, 0x83, 0x89, 2, 0xaa, 0xbb],
                "ee-ra extension 9 (2 bytes)",
            ),
            (&[1, 0x84, 1, 0], "ScmsPDU extension 4 (1 bytes)"),
        ];
        for (bytes, kind) in cases {
            let p = decode_pdu(bytes).unwrap();
            assert_eq!((p.kind.as_str(), p.fields.len(), p.time), (kind, 0, None));
        }
        let p = decode_pdu(&[1, 0x83, 0x80, 0x00, 1]).unwrap();
        assert_eq!(
            (p.kind.as_str(), &p.fields[..]),
            ("eeRaCertRequest", &[("version".into(), "1".into())][..])
        );
        let e = decode_pdu(&[1, 0x81, 0]).unwrap_err().to_string();
        assert_eq!(
            e,
            "ASN.1 error at byte 2: COER: 1 trailing bytes after the structure"
        );
    }

    #[test]
    fn signed_certificate_request() {
        let f = include_bytes!(
            "../../../tests/fixtures/ieee1609/scms/pseudonym-cert-provisioning-request.coer"
        );
        let data::Content::SignedCertificateRequest(bytes) = data::decode(f).unwrap().content
        else {
            panic!("not a signedCertificateRequest")
        };
        let req = decode_signed_request(&bytes).unwrap();
        assert_eq!(req.hash, data::HashAlg::Sha256);
        assert_eq!(req.pdu.kind, "eeRaPseudonymCertProvisioningRequest");
        assert_eq!(req.pdu.time, Some(675_864_005));
        let start = &req
            .pdu
            .fields
            .iter()
            .find(|f| f.0 == "requested-start-time")
            .unwrap()
            .1;
        assert_eq!(start, "2025-06-08T00:00:00Z (Time32 676425605)");
        // tbsRequest is exactly the ScmsPDU's encoding.
        assert_eq!(decode_pdu(&req.tbs).unwrap(), req.pdu);
        assert!(matches!(&req.signer, data::Signer::Certificates(c) if c.len() == 1));
        // hashId sm3 (2): this reader takes sha256 and sha384 only.
        let mut sm3 = bytes.clone();
        sm3[0] = 2;
        let e = decode_signed_request(&sm3).err().unwrap().to_string();
        assert_eq!(
            e,
            "ASN.1 error at byte 1: SignedCertificateRequest: unknown hash algorithm 2"
        );
    }
}
