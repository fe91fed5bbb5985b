//! IEEE 1609.2 CRLs (SecuredCrl, §7.3 and the Ieee1609Dot2CrlBaseTypes module): a
//! signedData with PSID 256 whose payload is a COER `CrlContents`, hash-based (HashedId10 of
//! each revoked certificate) or linkage-based (linkage seeds from which the linkage values
//! of revoked pseudonym certificates are computed, §5.1.3.4).
//!
//! Linkage values: `ls(i) = SHA-256(la_id ‖ ls(i−1) ‖ 0^112)[..16]`,
//! `plv(i, j) = (AES_ls(i)(la_id ‖ j ‖ 0^80) ⊕ (la_id ‖ j ‖ 0^80))[..9]` and
//! `lv(i, j) = plv1(i, j) ⊕ plv2(i, j)`, as CAMP's known answers state.

use super::coer::Reader;
use super::data::{self, Content, Signed};
use super::{build_chain, verification_key, verify, KeyringCert};
use crate::error::Error;
use crate::report::ChainStatus;
use crate::time::UnixTime;
use aes::cipher::{Array, BlockCipherEncrypt, KeyInit};
use sha2::{Digest as _, Sha256};

/// The PSID of CRLs.
pub const CRL_PSID: u64 = 256;

/// The linkage seeds of one revoked device (or group) at `i_rev`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedPair {
    /// LA1's id and seed.
    pub la1: ([u8; 2], [u8; 16]),
    /// LA2's id and seed.
    pub la2: ([u8; 2], [u8; 16]),
    /// The largest j to compute.
    pub j_max: u8,
    /// The last i for which certificates are revoked (iMax).
    pub i_max: u16,
    /// A group entry (GroupCrlEntry): the seeds give group linkage values, computed with
    /// the certificate's jValue as j.
    pub group: bool,
}

/// What a CRL revokes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revocations {
    /// HashedId10s and their expiries.
    Hash(Vec<([u8; 10], u32)>),
    /// Linkage seeds at iRev.
    Linked {
        /// iRev.
        i_rev: u16,
        /// The seed pairs (individual entries and groups).
        seeds: Vec<SeedPair>,
    },
}

/// A 1609.2 CRL from the keyring.
#[derive(Clone, Debug)]
pub struct Crl {
    /// crlSeries.
    pub series: u16,
    /// crlCraca.
    pub craca: [u8; 8],
    /// issueDate and nextCrl (Time32).
    pub issue: u32,
    /// nextCrl (Time32).
    pub next: u32,
    /// fullHashCrl, deltaHashCrl, fullLinkedCrl or deltaLinkedCrl.
    pub kind: &'static str,
    /// The entries.
    pub revocations: Revocations,
    /// The signedData that carries it.
    pub signed: Signed,
    /// Where it came from.
    pub source: String,
}

fn err(source: &str, reason: impl Into<String>) -> Error {
    Error::Load {
        what: "IEEE 1609.2 CRL",
        source_name: source.to_string(),
        reason: reason.into(),
    }
}

fn fixed<const N: usize>(r: &mut Reader<'_>) -> Result<[u8; N], Error> {
    let mut out = [0u8; N];
    out.copy_from_slice(r.bytes(N)?);
    Ok(out)
}

fn linked(r: &mut Reader<'_>) -> Result<Revocations, Error> {
    let p = r.preamble(true, 2)?;
    let i_rev = r.uint(2)? as u16;
    r.u8()?; // indexWithinI
    let mut seeds = Vec::new();
    if p.has(0) {
        for _ in 0..r.count()? {
            let j_max = r.u8()?;
            for _ in 0..r.count()? {
                let lp = r.preamble(true, 0)?;
                let la1 = fixed::<2>(r)?;
                let la2 = fixed::<2>(r)?;
                for _ in 0..r.count()? {
                    let ip = r.preamble(true, 0)?;
                    let i_max = r.uint(2)? as u16;
                    for _ in 0..r.count()? {
                        let sp = r.preamble(true, 0)?;
                        let s1 = fixed::<16>(r)?;
                        let s2 = fixed::<16>(r)?;
                        if sp.extended {
                            r.extensions()?;
                        }
                        seeds.push(SeedPair {
                            la1: (la1, s1),
                            la2: (la2, s2),
                            j_max,
                            i_max,
                            group: false,
                        });
                    }
                    if ip.extended {
                        r.extensions()?;
                    }
                }
                if lp.extended {
                    r.extensions()?;
                }
            }
        }
    }
    if p.has(1) {
        for _ in 0..r.count()? {
            let gp = r.preamble(true, 0)?;
            let i_max = r.uint(2)? as u16;
            let la1 = fixed::<2>(r)?;
            let s1 = fixed::<16>(r)?;
            let la2 = fixed::<2>(r)?;
            let s2 = fixed::<16>(r)?;
            if gp.extended {
                r.extensions()?;
            }
            seeds.push(SeedPair {
                la1: (la1, s1),
                la2: (la2, s2),
                j_max: 0,
                i_max,
                group: true,
            });
        }
    }
    if p.extended {
        r.extensions()?;
    }
    Ok(Revocations::Linked { i_rev, seeds })
}

/// A decoded CrlContents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contents {
    /// crlSeries.
    pub series: u16,
    /// crlCraca.
    pub craca: [u8; 8],
    /// issueDate (Time32).
    pub issue: u32,
    /// nextCrl (Time32).
    pub next: u32,
    /// The typeSpecific alternative's name.
    pub kind: &'static str,
    /// The entries.
    pub revocations: Revocations,
}

/// Decodes a COER CrlContents.
pub fn contents(bytes: &[u8]) -> Result<Contents, Error> {
    let mut r = Reader::new(bytes, 0);
    r.enter("CrlContents")?;
    let version = r.u8()?;
    if version != 1 {
        return Err(r.err(format!("CrlContents version {version}, expected 1")));
    }
    let series = r.uint(2)? as u16;
    let craca = fixed::<8>(&mut r)?;
    let issue = r.uint(4)? as u32;
    let next = r.uint(4)? as u32;
    let pp = r.preamble(true, 1)?;
    if pp.has(0) {
        r.u8()?;
    }
    if pp.extended {
        r.extensions()?;
    }
    let (kind, revocations) = match r.choice()? {
        k @ (0 | 1) => {
            let p = r.preamble(true, 0)?;
            r.uint(4)?; // crlSerial
            let mut entries = Vec::new();
            for _ in 0..r.count()? {
                let id = fixed::<10>(&mut r)?;
                let expiry = r.uint(4)? as u32;
                entries.push((id, expiry));
            }
            if p.extended {
                r.extensions()?;
            }
            (
                if k == 0 {
                    "fullHashCrl"
                } else {
                    "deltaHashCrl"
                },
                Revocations::Hash(entries),
            )
        }
        k @ (2 | 3) => (
            if k == 2 {
                "fullLinkedCrl"
            } else {
                "deltaLinkedCrl"
            },
            linked(&mut r)?,
        ),
        k => return Err(r.err(format!("CRL type {k} is not read by this version"))),
    };
    r.leave();
    r.finish()?;
    Ok(Contents {
        series,
        craca,
        issue,
        next,
        kind,
        revocations,
    })
}

/// Reads a SecuredCrl (COER): a signedData with PSID 256 carrying CrlContents.
pub fn load(bytes: &[u8], source: &str) -> Result<Crl, Error> {
    let d = data::decode(bytes).map_err(|e| err(source, e.to_string()))?;
    let Content::Signed(s) = d.content else {
        return Err(err(source, "not a signedData, so not a SecuredCrl"));
    };
    if s.header.psid != CRL_PSID {
        return Err(err(
            source,
            format!("the signedData's PSID is {}, not 256 (CRLs)", s.header.psid),
        ));
    }
    let Some(Content::Unsecured(payload)) = s.data.as_ref().map(|d| &d.content) else {
        return Err(err(source, "the payload is not unsecuredData CrlContents"));
    };
    let Contents {
        series,
        craca,
        issue,
        next,
        kind,
        revocations,
    } = contents(payload).map_err(|e| err(source, format!("CrlContents: {e}")))?;
    Ok(Crl {
        series,
        craca,
        issue,
        next,
        kind,
        revocations,
        signed: *s,
        source: source.to_string(),
    })
}

/// The next linkage seed: SHA-256(la_id ‖ ls ‖ 0^112), first 16 bytes.
pub fn next_seed(la_id: [u8; 2], ls: &[u8; 16]) -> [u8; 16] {
    let mut input = [0u8; 32];
    input[..2].copy_from_slice(&la_id);
    input[2..18].copy_from_slice(ls);
    let h = Sha256::digest(input);
    let mut out = [0u8; 16];
    out.copy_from_slice(&h[..16]);
    out
}

/// A pre-linkage value: (AES_ls(la_id ‖ j ‖ 0^80) ⊕ (la_id ‖ j ‖ 0^80)), first 9 bytes.
pub fn pre_linkage_value(la_id: [u8; 2], ls: &[u8; 16], j: u32) -> [u8; 9] {
    let mut x = [0u8; 16];
    x[..2].copy_from_slice(&la_id);
    x[2..6].copy_from_slice(&j.to_be_bytes());
    let mut block = Array::from(x);
    aes::Aes128::new(&Array::from(*ls)).encrypt_block(&mut block);
    let mut out = [0u8; 9];
    for (o, (a, b)) in out.iter_mut().zip(block.iter().zip(x.iter())) {
        *o = a ^ b;
    }
    out
}

/// The linkage value lv(i, j) from the seeds at `i_rev` (i ≥ i_rev).
pub fn linkage_value(p: &SeedPair, i_rev: u16, i: u16, j: u32) -> Option<[u8; 9]> {
    if i < i_rev {
        return None;
    }
    let (mut s1, mut s2) = (p.la1.1, p.la2.1);
    for _ in i_rev..i {
        s1 = next_seed(p.la1.0, &s1);
        s2 = next_seed(p.la2.0, &s2);
    }
    let a = pre_linkage_value(p.la1.0, &s1, j);
    let b = pre_linkage_value(p.la2.0, &s2, j);
    let mut out = [0u8; 9];
    for (o, (x, y)) in out.iter_mut().zip(a.iter().zip(b.iter())) {
        *o = x ^ y;
    }
    Some(out)
}

/// HashedId10 of a certificate: the last 10 bytes of the hash behind its HashedId8.
pub fn hashed_id10(cert: &data::Certificate) -> Option<[u8; 10]> {
    let h = verify::hash(verify::id_hash(cert), &verify::canonical(cert))?;
    let mut out = [0u8; 10];
    out.copy_from_slice(&h[h.len() - 10..]);
    Some(out)
}

/// The linkage data of a pseudonym certificate (id linkageData): iCert, the linkage value
/// and, when present, the group linkage value (jValue, value).
struct Linkage {
    i: u16,
    lv: [u8; 9],
    group: Option<(u32, [u8; 9])>,
}

fn linkage_of(cert: &data::Certificate) -> Option<Linkage> {
    // The decoder writes `linkageData iCert I linkage-value LV[ group-linkage-value jValue J
    // value V]`.
    let words: Vec<&str> = cert
        .id
        .strip_prefix("linkageData iCert ")?
        .split(' ')
        .collect();
    let i = words.first()?.parse::<u16>().ok()?;
    let lv: [u8; 9] = hex::decode(words.get(2)?).ok()?.try_into().ok()?;
    let group = match (words.get(5), words.get(7)) {
        (Some(j), Some(v)) => {
            let j: [u8; 4] = hex::decode(j).ok()?.try_into().ok()?;
            let v: [u8; 9] = hex::decode(v).ok()?.try_into().ok()?;
            Some((u32::from_be_bytes(j), v))
        }
        _ => None,
    };
    Some(Linkage { i, lv, group })
}

impl Crl {
    /// Whether this CRL speaks for `cert`: same crlSeries, and cracaId the low 3 bytes of
    /// the CRL's crlCraca.
    pub fn covers(&self, cert: &data::Certificate) -> bool {
        self.series == cert.crl_series && self.craca[5..] == cert.craca_id
    }

    /// Why `cert` is revoked by this CRL, if it is.
    pub fn revokes(&self, cert: &KeyringCert) -> Option<String> {
        if !self.covers(&cert.cert) {
            return None;
        }
        match &self.revocations {
            Revocations::Hash(entries) => {
                let id = hashed_id10(&cert.cert)?;
                entries.iter().find(|(e, _)| *e == id).map(|(_, exp)| {
                    format!(
                        "certificate {} is revoked by {} {} (HashedId10 {}, entry kept until {})",
                        hex::encode(cert.id),
                        self.kind,
                        self.source,
                        hex::encode(id),
                        super::time32(*exp).to_rfc3339()
                    )
                })
            }
            Revocations::Linked { i_rev, seeds } => {
                let l = linkage_of(&cert.cert)?;
                let i = l.i;
                for s in seeds.iter().filter(|s| i >= *i_rev && i <= s.i_max) {
                    if s.group {
                        let Some((j, value)) = l.group else { continue };
                        if linkage_value(s, *i_rev, i, j) == Some(value) {
                            return Some(format!(
                                "certificate {} is revoked by {} {}: its group linkage value {} is glv(i={i}, j={j:#010x}) of the group seeds given at iRev {i_rev} (LA ids {} and {})",
                                hex::encode(cert.id),
                                self.kind,
                                self.source,
                                hex::encode(value),
                                hex::encode(s.la1.0),
                                hex::encode(s.la2.0)
                            ));
                        }
                        continue;
                    }
                    for j in 0..=u32::from(s.j_max) {
                        if linkage_value(s, *i_rev, i, j) == Some(l.lv) {
                            return Some(format!(
                                "certificate {} is revoked by {} {}: its linkage value {} is lv(i={i}, j={j}) of the seeds given at iRev {i_rev} (LA ids {} and {})",
                                hex::encode(cert.id),
                                self.kind,
                                self.source,
                                hex::encode(l.lv),
                                hex::encode(s.la1.0),
                                hex::encode(s.la2.0)
                            ));
                        }
                    }
                }
                None
            }
        }
    }

    /// Checks the CRL's own signature and chain against `pool` and `anchors` at `at`.
    pub fn check(
        &self,
        pool: &[KeyringCert],
        anchors: &[KeyringCert],
        at: UnixTime,
    ) -> Result<(), String> {
        let s = &self.signed;
        let all: Vec<KeyringCert> = pool.iter().chain(anchors.iter()).cloned().collect();
        let signer = match &s.signer {
            data::Signer::Certificates(c) => c
                .first()
                .and_then(|c| KeyringCert::from_coer(&c.bytes, &self.source).ok()),
            data::Signer::Digest(id) => all.iter().find(|k| k.id == *id).cloned(),
            data::Signer::SelfSigned => None,
        }
        .ok_or("its signer certificate is neither in it nor in the keyring")?;
        let (curve, point) = verification_key(&signer, &all)
            .map_err(|f| f.reason("its signer's key does not reconstruct"))?;
        let e = verify::signing_input(s.hash, &s.tbs, &verify::canonical(&signer.cert))
            .ok_or("its hash algorithm is not supported")?;
        verify::ecdsa(curve, &point, &e, &s.signature)
            .map_err(|_| "its signature does not verify".to_string())?;
        if !signer
            .cert
            .app_permissions
            .iter()
            .any(|(p, _)| *p == CRL_PSID)
        {
            return Err(format!(
                "its signer {} has no permission for PSID 256 (CRLs)",
                hex::encode(signer.id)
            ));
        }
        let chain = build_chain(&signer, &all, anchors, at);
        if chain.status != ChainStatus::Trusted {
            return Err(format!("its signer's chain: {}", chain.reason));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h<const N: usize>(s: &str) -> [u8; N] {
        hex::decode(s).unwrap().try_into().unwrap()
    }

    /// CAMP LLC crypto-test-vectors lv.txt: i = 0, j = 8 and i = 1, j = 6.
    #[test]
    fn camp_linkage_values() {
        let p = SeedPair {
            la1: (h("8E09"), h("4840ED221502D9AB6786BF68FBA9F210")),
            la2: (h("59CE"), h("6B71A7EB5755F16E89981D2189A6DAEA")),
            j_max: 20,
            i_max: 10,
            group: false,
        };
        assert_eq!(
            hex::encode_upper(pre_linkage_value(p.la1.0, &p.la1.1, 8)),
            "61F391B5D930E103ED"
        );
        assert_eq!(
            hex::encode_upper(linkage_value(&p, 0, 0, 8).unwrap()),
            "688ACF70E25EC01F32"
        );
        assert_eq!(
            hex::encode(next_seed(p.la1.0, &p.la1.1)),
            "bd8f57949b4b60800cc97dbc6cd73edf"
        );
        assert_eq!(
            hex::encode(next_seed(p.la2.0, &p.la2.1)),
            "228c371780f1e0ec424659bbaebc54a1"
        );
        assert_eq!(
            hex::encode_upper(linkage_value(&p, 0, 1, 6).unwrap()),
            "38479FDA0B161A5357"
        );
        assert_eq!(linkage_value(&p, 1, 0, 6), None);
    }

    /// CAMP LLC crypto-test-vectors glv.txt: group linkage values at i = 0 and i = 1.
    #[test]
    fn camp_group_linkage_values() {
        let p = SeedPair {
            la1: (h("8E09"), h("6B71A7EB5755F16E89981D2189A6DAEA")),
            la2: (h("59CE"), h("CC4DB977F595AD233F0F4E65408D9A9C")),
            j_max: 0,
            i_max: 10,
            group: true,
        };
        assert_eq!(
            hex::encode_upper(linkage_value(&p, 0, 0, 0x4840_ED22).unwrap()),
            "66D7FD69915A3C9E0C"
        );
        assert_eq!(
            hex::encode(next_seed(p.la1.0, &p.la1.1)),
            "38722c4559b4c3e96d12032b0e056a76"
        );
        assert_eq!(
            hex::encode(next_seed(p.la2.0, &p.la2.1)),
            "d0cbd39f60e0e5728ebf6bdfe997677c"
        );
        assert_eq!(
            hex::encode_upper(linkage_value(&p, 0, 1, 0x548F_7017).unwrap()),
            "C4052FFB0AE61AAF37"
        );
    }
}
