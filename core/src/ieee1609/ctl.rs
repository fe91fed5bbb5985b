//! Certificate trust lists of the EU C-ITS trust model (ETSI TS 102 941 §6.3.5 and its
//! `EtsiTs102941TrustLists` module): the ECTL a Trust List Manager signs (`ToBeSignedTlmCtl`:
//! root CAs, the TLM, distribution centres) and the CTL a root CA signs (`ToBeSignedRcaCtl`:
//! its enrolment and authorization authorities). Each is the `EtsiTs102941Data` payload of
//! an ETSI TS 103 097 signed message (PSID 624) whose certificates are 1609.2 certificates.
//!
//! As trust input, a list is used only when its signature verifies with its signer's key,
//! the signer being the list's own TLM certificate (ECTL) or a root CA it names.

use super::coer::Reader;
use super::data::{self, Content, Signer};
use super::{verification_key, verify, KeyringCert};
use crate::error::Error;

/// The PSID of certificate trust lists (ETSI TS 102 965: CTL service).
pub const CTL_PSID: u64 = 624;

/// One command of a list.
#[derive(Clone, Debug)]
pub enum Command {
    /// An entry added: its kind (`rca`, `ea`, `aa`, `tlm`, `dc`), its certificate and URLs.
    Add {
        /// rca, ea, aa, tlm or dc.
        kind: &'static str,
        /// The entry's certificate (not for dc).
        cert: Option<Box<KeyringCert>>,
        /// The successor's predecessor (successorTo) of an rca or tlm entry.
        successor_to: Option<Box<KeyringCert>>,
        /// Access points (aa, ea, tlm) or the distribution centre's URL (dc).
        urls: Vec<String>,
    },
    /// A certificate (by HashedId8) or a distribution centre (by URL) deleted.
    Delete(String),
}

/// A certificate trust list.
#[derive(Clone, Debug)]
pub struct Ctl {
    /// `ECTL (TLM)` or `CTL (root CA)`.
    pub kind: &'static str,
    /// nextUpdate (Time32).
    pub next_update: u32,
    /// isFullCtl.
    pub full: bool,
    /// ctlSequence.
    pub sequence: u8,
    /// The commands.
    pub commands: Vec<Command>,
}

fn url(r: &mut Reader<'_>) -> Result<String, Error> {
    Ok(String::from_utf8_lossy(r.octets()?).into_owned())
}

fn cert(r: &mut Reader<'_>, source: &str) -> Result<Box<KeyringCert>, Error> {
    let c = data::certificate(r)?;
    let id = verify::hashed_id8(&c).ok_or_else(|| r.err("a certificate hashed with SM3"))?;
    Ok(Box::new(KeyringCert {
        cert: c,
        id,
        source: source.to_string(),
    }))
}

/// Decodes an `EtsiTs102941Data` holding a TLM or RCA CTL; `source` names where its
/// certificates come from.
pub fn parse(bytes: &[u8], source: &str) -> Result<Ctl, Error> {
    let mut r = Reader::new(bytes, 0);
    r.enter("EtsiTs102941Data")?;
    let version = r.u8()?;
    if version != 1 {
        return Err(r.err(format!("EtsiTs102941Data version {version}, expected 1")));
    }
    let kind = match r.choice()? {
        5 => "ECTL (TLM)",
        6 => "CTL (root CA)",
        k => {
            return Err(r.err(format!(
                "EtsiTs102941Data content {k} is not a certificate trust list"
            )))
        }
    };
    r.enter("CtlFormat")?;
    let p = r.preamble(true, 0)?;
    // CtlFormat's version is an unconstrained INTEGER (length, then the value); the outer
    // EtsiTs102941Data's is constrained to v1, one byte.
    r.big_uint()?;
    let next_update = r.uint(4)? as u32;
    let full = r.u8()? != 0;
    let sequence = r.u8()?;
    let mut commands = Vec::new();
    for _ in 0..r.count()? {
        match r.choice()? {
            0 => {
                let entry = match r.choice()? {
                    0 => {
                        let q = r.preamble(false, 1)?;
                        let c = cert(&mut r, source)?;
                        let s = if q.has(0) {
                            Some(cert(&mut r, source)?)
                        } else {
                            None
                        };
                        Command::Add {
                            kind: "rca",
                            cert: Some(c),
                            successor_to: s,
                            urls: Vec::new(),
                        }
                    }
                    1 => {
                        let q = r.preamble(false, 1)?;
                        let c = cert(&mut r, source)?;
                        let mut urls = vec![url(&mut r)?];
                        if q.has(0) {
                            urls.push(url(&mut r)?);
                        }
                        Command::Add {
                            kind: "ea",
                            cert: Some(c),
                            successor_to: None,
                            urls,
                        }
                    }
                    2 => {
                        let c = cert(&mut r, source)?;
                        let urls = vec![url(&mut r)?];
                        Command::Add {
                            kind: "aa",
                            cert: Some(c),
                            successor_to: None,
                            urls,
                        }
                    }
                    3 => {
                        let u = url(&mut r)?;
                        for _ in 0..r.count()? {
                            r.bytes(8)?;
                        }
                        Command::Add {
                            kind: "dc",
                            cert: None,
                            successor_to: None,
                            urls: vec![u],
                        }
                    }
                    4 => {
                        let q = r.preamble(false, 1)?;
                        let c = cert(&mut r, source)?;
                        let s = if q.has(0) {
                            Some(cert(&mut r, source)?)
                        } else {
                            None
                        };
                        let urls = vec![url(&mut r)?];
                        Command::Add {
                            kind: "tlm",
                            cert: Some(c),
                            successor_to: s,
                            urls,
                        }
                    }
                    k => return Err(r.err(format!("CtlEntry alternative {k} is not read"))),
                };
                commands.push(entry);
            }
            1 => {
                let what = match r.choice()? {
                    0 => format!("certificate {}", hex::encode(r.bytes(8)?)),
                    1 => format!("distribution centre {}", url(&mut r)?),
                    k => return Err(r.err(format!("CtlDelete alternative {k} is not read"))),
                };
                commands.push(Command::Delete(what));
            }
            k => return Err(r.err(format!("CtlCommand alternative {k} is not read"))),
        }
    }
    if p.extended {
        r.extensions()?;
    }
    r.leave();
    r.leave();
    r.finish()?;
    Ok(Ctl {
        kind,
        next_update,
        full,
        sequence,
        commands,
    })
}

/// Whether `bytes` is a signed certificate trust list (PSID 624 over EtsiTs102941Data).
pub fn looks_like_ctl(bytes: &[u8]) -> bool {
    matches!(data::decode(bytes), Ok(d) if matches!(&d.content, Content::Signed(s) if s.header.psid == CTL_PSID))
}

/// Reads a signed trust list and checks its signature: with the TLM certificate it names
/// (ECTL) or, for a root CA's CTL, with the signer the message carries or names among
/// `known`. Returns the list and its signer.
pub fn load(
    bytes: &[u8],
    source: &str,
    known: &[KeyringCert],
) -> Result<(Ctl, KeyringCert), Error> {
    let err = |reason: String| Error::Load {
        what: "certificate trust list",
        source_name: source.to_string(),
        reason,
    };
    let d = data::decode(bytes).map_err(|e| err(e.to_string()))?;
    let Content::Signed(s) = d.content else {
        return Err(err("not a signedData".into()));
    };
    if s.header.psid != CTL_PSID {
        return Err(err(format!(
            "the signedData's PSID is {}, not 624 (certificate trust lists)",
            s.header.psid
        )));
    }
    let Some(Content::Unsecured(payload)) = s.data.as_ref().map(|d| &d.content) else {
        return Err(err("the payload is not unsecuredData".into()));
    };
    let ctl = parse(payload, source).map_err(|e| err(format!("EtsiTs102941Data: {e}")))?;
    let listed: Vec<KeyringCert> = ctl
        .commands
        .iter()
        .filter_map(|c| match c {
            Command::Add { cert: Some(k), .. } => Some((**k).clone()),
            _ => None,
        })
        .collect();
    let pool: Vec<KeyringCert> = listed.iter().chain(known.iter()).cloned().collect();
    let signer = match &s.signer {
        Signer::Certificates(c) => c
            .first()
            .and_then(|c| KeyringCert::from_coer(&c.bytes, source).ok()),
        Signer::Digest(id) => pool.iter().find(|k| k.id == *id).cloned(),
        Signer::SelfSigned => None,
    }
    .ok_or_else(|| err("its signer certificate is neither in it nor given".into()))?;
    if ctl.kind.starts_with("ECTL") && !listed.iter().any(|k| k.id == signer.id) {
        // A TLM signs the ECTL with the certificate it lists (or the one it succeeds).
        let named = ctl.commands.iter().any(|c| {
            matches!(c, Command::Add { kind: "tlm", successor_to: Some(p), .. } if p.id == signer.id)
        });
        if !named {
            return Err(err(format!(
                "its signer {} is not a TLM certificate the list names",
                hex::encode(signer.id)
            )));
        }
    }
    let (curve, point) = verification_key(&signer, &pool)
        .map_err(|f| err(f.reason("its signer's key does not reconstruct")))?;
    let e = verify::signing_input(s.hash, &s.tbs, &verify::canonical(&signer.cert))
        .ok_or_else(|| err("its hash algorithm is not supported".into()))?;
    verify::ecdsa(curve, &point, &e, &s.signature).map_err(|f| {
        err(f.reason(&format!(
            "its signature does not verify with {}'s key",
            hex::encode(signer.id)
        )))
    })?;
    Ok((ctl, signer))
}
