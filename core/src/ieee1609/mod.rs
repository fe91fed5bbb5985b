//! IEEE 1609.2 secured data and certificates (the V2X / SCMS world): COER decoding,
//! HashedId8, signature verification per §5.3.1 and certificate chains by issuer HashedId8.

pub mod batch;
pub mod butterfly;
pub mod coer;
pub mod compose;
pub mod consistency;
pub mod crl;
pub mod ctl;
pub mod data;
pub mod describe;
pub mod ecqv;
pub mod encryption;
pub mod ra;
pub mod scms;
pub mod signer;
pub mod verify;

use crate::report::CertStatus;
use crate::report::{ChainCert, ChainStatus};
use crate::time::UnixTime;
use data::{Certificate, Curve, Issuer, Point, Region, VerifyKey};

/// The 1609.2 epoch, 2004-01-01T00:00:00Z, as Unix time.
pub const EPOCH_UNIX: i64 = 1_072_915_200;

/// Unix times at which a leap second had been inserted since the epoch (2006-01-01,
/// 2009-01-01, 2012-07-01, 2015-07-01, 2017-01-01).
const LEAPS_UNIX: [i64; 5] = [
    1_136_073_600,
    1_230_768_000,
    1_341_100_800,
    1_435_708_800,
    1_483_228_800,
];

/// A 1609.2 time (seconds since the epoch, counting leap seconds as TAI does) as UTC, with
/// the number of leap seconds between.
pub fn tai_to_utc(tai_secs: i64) -> (UnixTime, i64) {
    let mut leaps = 0;
    for (i, &l) in LEAPS_UNIX.iter().enumerate() {
        // The TAI-based count reaches the instant of leap i after i earlier leaps.
        if tai_secs > l - EPOCH_UNIX + i as i64 {
            leaps = i as i64 + 1;
        }
    }
    (UnixTime(EPOCH_UNIX + tai_secs - leaps), leaps)
}

/// UTC as a 1609.2 Time32 (seconds since the epoch, TAI).
pub fn utc_to_time32(t: UnixTime) -> u32 {
    let leaps = LEAPS_UNIX.iter().filter(|&&l| t.0 >= l).count() as i64;
    u32::try_from((t.0 - EPOCH_UNIX + leaps).max(0)).unwrap_or(u32::MAX)
}

/// A Time64 (microseconds since 2004-01-01, TAI) as UTC in RFC 3339, exact: the fraction
/// to the microsecond when there is one (`2025-03-18T12:35:16.999000Z`).
pub fn time64_utc(us: u64) -> String {
    let secs = i64::try_from(us / 1_000_000).unwrap_or(i64::MAX);
    let text = tai_to_utc(secs).0.to_rfc3339();
    let frac = us % 1_000_000;
    if frac == 0 {
        text
    } else {
        format!("{}.{frac:06}Z", text.trim_end_matches('Z'))
    }
}

/// A Time64 (microseconds) as text: `2026-11-20T10:00:00.123456Z (Time64 …; 5 leap seconds
/// between TAI and UTC)`.
pub fn describe_time64(us: u64) -> String {
    let secs = i64::try_from(us / 1_000_000).unwrap_or(i64::MAX);
    let (_, leaps) = tai_to_utc(secs);
    format!(
        "{} (Time64 {us}; {leaps} leap seconds between TAI and UTC)",
        time64_utc(us)
    )
}

/// A Time32 as UTC.
pub fn time32(t: u32) -> UnixTime {
    tai_to_utc(i64::from(t)).0
}

/// A 1609.2 certificate held by the keyring.
#[derive(Clone, Debug)]
pub struct KeyringCert {
    /// The decoded certificate.
    pub cert: Certificate,
    /// Its HashedId8.
    pub id: [u8; 8],
    /// Where it came from.
    pub source: String,
}

impl KeyringCert {
    /// Decodes a COER certificate (trailing bytes refused).
    pub fn from_coer(bytes: &[u8], source: &str) -> Result<Self, crate::Error> {
        let cert = data::decode_certificate(bytes)?;
        let id = verify::hashed_id8(&cert).ok_or_else(|| crate::Error::Load {
            what: "IEEE 1609.2 certificate",
            source_name: source.to_string(),
            reason: "its HashedId8 uses SM3, which is not supported".into(),
        })?;
        Ok(KeyringCert {
            cert,
            id,
            source: source.to_string(),
        })
    }

    /// notBefore and notAfter as UTC.
    pub fn validity(&self) -> (UnixTime, UnixTime) {
        validity(&self.cert)
    }
}

/// A certificate's validity period as UTC.
pub fn validity(c: &Certificate) -> (UnixTime, UnixTime) {
    let start = time32(c.start);
    let secs = i64::try_from(c.duration.0).unwrap_or(i64::MAX / 4);
    (start, UnixTime(start.0.saturating_add(secs)))
}

/// The result of building a chain.
#[derive(Clone, Debug)]
pub struct ChainOutcome {
    /// Status.
    pub status: ChainStatus,
    /// Certificates from the signer up.
    pub certificates: Vec<ChainCert>,
    /// The anchor reached (its HashedId8), if any.
    pub anchor: Option<String>,
    /// Why.
    pub reason: String,
}

fn chain_cert(k: &KeyringCert, status: CertStatus) -> ChainCert {
    let (nb, na) = k.validity();
    ChainCert {
        subject: format!("{} ({})", hex::encode(k.id), k.cert.id),
        issuer: match &k.cert.issuer {
            Issuer::SelfSigned(a) => format!("self ({})", a.name()),
            Issuer::Digest { id, .. } => hex::encode(id),
        },
        serial: hex::encode(k.id),
        not_before: nb.to_rfc3339(),
        not_after: na.to_rfc3339(),
        status,
        source: k.source.clone(),
    }
}

/// The verification key of `k`: its own (explicit certificate) or, for an implicit
/// certificate, the key reconstructed (ECQV, §5.3.2) from its reconstruction value and the
/// key of its issuer, found by HashedId8 in `pool`. The `String` names what failed.
pub fn verification_key(
    k: &KeyringCert,
    pool: &[KeyringCert],
) -> Result<(Curve, Point), verify::Failure> {
    verification_key_at(k, pool, 0)
}

fn verification_key_at(
    k: &KeyringCert,
    pool: &[KeyringCert],
    depth: usize,
) -> Result<(Curve, Point), verify::Failure> {
    use verify::Failure::{IssuerMissing, Malformed, Unsupported};
    let recon = match &k.cert.verify_key {
        VerifyKey::Key { curve, point } => return Ok((*curve, point.clone())),
        VerifyKey::Reconstruction(p) => p,
    };
    let Issuer::Digest { id, .. } = &k.cert.issuer else {
        return Err(Malformed(format!(
            "implicit certificate {} names itself as issuer, which 1609.2 does not allow",
            hex::encode(k.id)
        )));
    };
    if depth > 8 {
        return Err(Unsupported(
            "the chain of implicit certificates is longer than 8".into(),
        ));
    }
    let issuer = pool.iter().find(|c| c.id == *id).ok_or_else(|| {
        IssuerMissing(format!(
            "implicit certificate {}: its issuer {} is neither in the message nor in the keyring, so its key cannot be reconstructed",
            hex::encode(k.id),
            hex::encode(id)
        ))
    })?;
    let (curve, issuer_point) = verification_key_at(issuer, pool, depth + 1)?;
    let issuer_sec1 = issuer_point.sec1().ok_or_else(|| {
        Malformed(format!(
            "the key of issuer {} is given as {}, which does not determine a point",
            hex::encode(issuer.id),
            issuer_point.form()
        ))
    })?;
    let recon_sec1 = recon.sec1().ok_or_else(|| {
        Malformed(format!(
            "implicit certificate {}: the reconstruction value is given as {}, which does not determine a point",
            hex::encode(k.id),
            recon.form()
        ))
    })?;
    let e = ecqv::hash_input(&k.cert.tbs, &verify::canonical(&issuer.cert));
    let q = ecqv::reconstruct_public(curve, &e, &recon_sec1, &issuer_sec1).map_err(|err| {
        Malformed(format!(
            "implicit certificate {} with issuer {}: {err}",
            hex::encode(k.id),
            hex::encode(issuer.id)
        ))
    })?;
    Ok((
        curve,
        Point::Uncompressed {
            x: q[1..33].to_vec(),
            y: q[33..65].to_vec(),
        },
    ))
}

/// Checks the issuer's signature on `c` (explicit certificates only).
fn issuer_signed(c: &Certificate, issuer: Option<&Certificate>) -> Result<(), String> {
    let Some(sig) = &c.signature else {
        return Err("it is an implicit certificate (no signature to check)".into());
    };
    let alg = verify::id_hash(c);
    let signer_input = issuer.map(verify::canonical).unwrap_or_default();
    let e = verify::signing_input(alg, &c.tbs, &signer_input)
        .ok_or_else(|| format!("hash {} is not supported", alg.name()))?;
    let key_holder = issuer.unwrap_or(c);
    let (curve, point) =
        verify::key_of(key_holder).ok_or("the issuer is an implicit certificate")?;
    verify::ecdsa(curve, point, &e, sig)
        .map_err(|f| f.reason("the issuer's signature does not verify"))
}

/// The first region found from `c` up its chain (a certificate without a region has its
/// issuer's), with the HashedId8 of the certificate that states it.
fn effective_region<'a>(
    c: &'a KeyringCert,
    pool: &'a [KeyringCert],
    anchors: &'a [KeyringCert],
) -> Option<(&'a Region, [u8; 8])> {
    let mut cur = c;
    for _ in 0..8 {
        if let Some(r) = &cur.cert.region_value {
            return Some((r, cur.id));
        }
        let Issuer::Digest { id, .. } = &cur.cert.issuer else {
            return None;
        };
        cur = pool.iter().chain(anchors.iter()).find(|k| k.id == *id)?;
    }
    None
}

/// §5.1.2.4 between a certificate and its issuer: validity within the issuer's, region
/// within the issuer's effective region (where that can be told), permissions within the
/// issuer's certIssuePermissions. The first rule broken, as a certificate status and reason.
fn chain_consistency(
    current: &KeyringCert,
    issuer: &KeyringCert,
    pool: &[KeyringCert],
    anchors: &[KeyringCert],
    depth: u64,
) -> Option<(CertStatus, String)> {
    let (nb, na) = current.validity();
    let (inb, ina) = issuer.validity();
    if nb.0 < inb.0 || na.0 > ina.0 {
        return Some((
            CertStatus::ValidityOutsideIssuer,
            format!(
                "certificate {} is valid {} .. {}, outside its issuer {}'s validity {} .. {} (IEEE 1609.2 §5.1.2.4)",
                hex::encode(current.id),
                nb.to_rfc3339(),
                na.to_rfc3339(),
                hex::encode(issuer.id),
                inb.to_rfc3339(),
                ina.to_rfc3339()
            ),
        ));
    }
    if let (Some(own), Some((theirs, holder))) = (
        &current.cert.region_value,
        effective_region(issuer, pool, anchors),
    ) {
        if consistency::region_within(own, theirs) == Some(false) {
            return Some((
                CertStatus::RegionOutsideIssuer,
                format!(
                    "certificate {}'s region ({}) is not within the region of {} ({}) (IEEE 1609.2 §5.1.2.4)",
                    hex::encode(current.id),
                    current.cert.region.as_deref().unwrap_or("?"),
                    hex::encode(holder),
                    pool.iter()
                        .chain(anchors.iter())
                        .find(|k| k.id == holder)
                        .and_then(|k| k.cert.region.clone())
                        .unwrap_or_default()
                ),
            ));
        }
    }
    if let Err(why) = consistency::chain_length_within(&issuer.cert, depth) {
        return Some((
            CertStatus::PathLengthExceeded,
            format!(
                "certificate {} ends a chain of {depth} certificate(s) below {}: {why} (IEEE 1609.2 §5.1.2.4)",
                hex::encode(current.id),
                hex::encode(issuer.id)
            ),
        ));
    }
    if let Err(why) = consistency::permissions_within(&current.cert, &issuer.cert) {
        return Some((
            CertStatus::PermissionsOutsideIssuer,
            format!(
                "certificate {}: {why}, issuer {} (IEEE 1609.2 §5.1.2.4)",
                hex::encode(current.id),
                hex::encode(issuer.id)
            ),
        ));
    }
    None
}

/// Builds the chain from `leaf` by issuer HashedId8 through `pool` (message and keyring
/// certificates) to one of `anchors`, checking signatures and validity at `at`.
pub fn build_chain(
    leaf: &KeyringCert,
    pool: &[KeyringCert],
    anchors: &[KeyringCert],
    at: UnixTime,
) -> ChainOutcome {
    build_chain_with_crls(leaf, pool, anchors, at, &[])
}

/// [`build_chain`], holding every certificate below the anchor to `crls` (CRLs whose own
/// signature and chain the caller has checked).
pub fn build_chain_with_crls(
    leaf: &KeyringCert,
    pool: &[KeyringCert],
    anchors: &[KeyringCert],
    at: UnixTime,
    crls: &[&crl::Crl],
) -> ChainOutcome {
    let mut certs = Vec::new();
    let mut current = leaf.clone();
    for _ in 0..8 {
        let (nb, na) = current.validity();
        let time_problem = if at.0 < nb.0 {
            Some((ChainStatus::NotYetValid, CertStatus::NotYetValid))
        } else if at.0 > na.0 {
            Some((ChainStatus::Expired, CertStatus::Expired))
        } else {
            None
        };
        let is_anchor = anchors.iter().any(|a| a.id == current.id);
        match &current.cert.issuer {
            Issuer::SelfSigned(_) => {
                let sig = issuer_signed(&current.cert, None);
                let status = if sig.is_err() {
                    CertStatus::BadSignature
                } else if is_anchor {
                    CertStatus::Anchor
                } else {
                    CertStatus::UntrustedRoot
                };
                certs.push(chain_cert(
                    &current,
                    time_problem.map(|t| t.1).unwrap_or(status),
                ));
                let (st, reason) = match (sig, time_problem, is_anchor) {
                    (Err(e), _, _) => (
                        ChainStatus::BadSignature,
                        format!("root {}: {e}", hex::encode(current.id)),
                    ),
                    (_, Some((s, w)), _) => (s, format!("{} is {w}", hex::encode(current.id))),
                    (_, _, true) => (
                        ChainStatus::Trusted,
                        format!("chains to the trusted root {}", hex::encode(current.id)),
                    ),
                    (_, _, false) => (
                        ChainStatus::UntrustedRoot,
                        format!(
                            "ends at root {}, which is not a supplied 1609.2 trust anchor",
                            hex::encode(current.id)
                        ),
                    ),
                };
                return ChainOutcome {
                    status: st,
                    anchor: (st == ChainStatus::Trusted).then(|| hex::encode(current.id)),
                    certificates: certs,
                    reason,
                };
            }
            Issuer::Digest { id, .. } => {
                let issuer = pool
                    .iter()
                    .chain(anchors.iter())
                    .find(|c| c.id == *id)
                    .cloned();
                let Some(issuer) = issuer else {
                    certs.push(chain_cert(
                        &current,
                        time_problem.map(|t| t.1).unwrap_or(CertStatus::Valid),
                    ));
                    return ChainOutcome {
                        status: ChainStatus::Incomplete,
                        anchor: None,
                        certificates: certs,
                        reason: format!(
                            "the issuer {} of {} is neither in the message nor in the keyring",
                            hex::encode(id),
                            hex::encode(current.id)
                        ),
                    };
                };
                let bound = if current.cert.implicit {
                    // No signature: the issuer is bound by reconstructing the key from its key.
                    let all: Vec<KeyringCert> =
                        pool.iter().chain(anchors.iter()).cloned().collect();
                    verification_key(&current, &all)
                        .map(|_| ())
                        .map_err(|f| f.reason("the key does not reconstruct"))
                } else {
                    issuer_signed(&current.cert, Some(&issuer.cert))
                };
                if let Err(e) = bound {
                    certs.push(chain_cert(&current, CertStatus::BadSignature));
                    return ChainOutcome {
                        status: ChainStatus::BadSignature,
                        anchor: None,
                        certificates: certs,
                        reason: format!("certificate {}: {e}", hex::encode(current.id)),
                    };
                }
                // §5.1.2.4: a certificate's validity, region and permissions lie within
                // its issuer's.
                // The certificates below the issuer, this one included.
                let depth = certs.len() as u64 + 1;
                if let Some((status, reason)) =
                    chain_consistency(&current, &issuer, pool, anchors, depth)
                {
                    certs.push(chain_cert(&current, status));
                    return ChainOutcome {
                        status: ChainStatus::UntrustedRoot,
                        anchor: None,
                        certificates: certs,
                        reason,
                    };
                }
                if let Some(why) = crls.iter().find_map(|c| c.revokes(&current)) {
                    certs.push(chain_cert(&current, CertStatus::Revoked));
                    return ChainOutcome {
                        status: ChainStatus::Revoked,
                        anchor: None,
                        certificates: certs,
                        reason: why,
                    };
                }
                if let Some((s, w)) = time_problem {
                    certs.push(chain_cert(&current, w));
                    return ChainOutcome {
                        status: s,
                        anchor: None,
                        certificates: certs,
                        reason: format!(
                            "certificate {} is {w} at {}",
                            hex::encode(current.id),
                            at.to_rfc3339()
                        ),
                    };
                }
                certs.push(chain_cert(&current, CertStatus::Valid));
                if is_anchor {
                    return ChainOutcome {
                        status: ChainStatus::Trusted,
                        anchor: Some(hex::encode(current.id)),
                        certificates: certs,
                        reason: format!("{} is a supplied trust anchor", hex::encode(current.id)),
                    };
                }
                current = issuer;
            }
        }
    }
    ChainOutcome {
        status: ChainStatus::Incomplete,
        anchor: None,
        certificates: certs,
        reason: "the chain is longer than 8 certificates".into(),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn time64_is_exact_to_the_microsecond() {
        let whole = UnixTime::parse("2025-03-18T12:35:16Z").unwrap();
        let us = u64::from(utc_to_time32(whole)) * 1_000_000 + 999_000;
        assert_eq!(time64_utc(us), "2025-03-18T12:35:16.999000Z");
        assert_eq!(time64_utc(us - 999_000), "2025-03-18T12:35:16Z");
        assert_eq!(time64_utc(us + 1_000), "2025-03-18T12:35:17Z");
        assert_eq!(time64_utc(1), "2004-01-01T00:00:00.000001Z");
        assert!(describe_time64(us).starts_with("2025-03-18T12:35:16.999000Z (Time64 "));
    }

    use super::*;

    #[test]
    fn leap_seconds() {
        // 2004-01-01: no leap seconds yet.
        assert_eq!(tai_to_utc(0), (UnixTime(EPOCH_UNIX), 0));
        // 2020-01-01T00:00:00Z is 504,921,600 s of UTC after the epoch, plus 5 leap seconds.
        let t = UnixTime::parse("2020-01-01T00:00:00Z").unwrap();
        let t32 = utc_to_time32(t);
        assert_eq!(t32, 504_921_605);
        assert_eq!(time32(t32), t);
    }
}
