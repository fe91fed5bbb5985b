//! Certificate revocation lists (RFC 5280 §5).

use crate::error::Error;
use crate::signature::{self, PublicKey};
use crate::time::UnixTime;
use der::Decode;
use x509_cert::crl::CertificateList;
use x509_cert::name::Name;

/// A parsed CRL with its exact encoding.
#[derive(Clone, Debug)]
pub struct Crl {
    /// The decoded list.
    pub list: CertificateList,
    /// Where it came from.
    pub source: String,
    der: Vec<u8>,
    tbs: std::ops::Range<usize>,
    signature: Vec<u8>,
}

impl Crl {
    /// Parses one DER CRL.
    pub fn from_der(der: &[u8], source: &str) -> Result<Self, Error> {
        let load = |reason: String| Error::Load {
            what: "CRL",
            source_name: source.to_string(),
            reason,
        };
        let (tbs, signature) =
            crate::certificate::split_signed(der, "a CertificateList").map_err(load)?;
        let list = CertificateList::from_der(der).map_err(|e| load(e.to_string()))?;
        Ok(Crl {
            list,
            source: source.to_string(),
            der: der.to_vec(),
            tbs,
            signature,
        })
    }

    /// The issuer name.
    pub fn issuer(&self) -> &Name {
        &self.list.tbs_cert_list.issuer
    }

    /// thisUpdate.
    pub fn this_update(&self) -> UnixTime {
        UnixTime::from_x509(&self.list.tbs_cert_list.this_update)
    }

    /// nextUpdate, if present.
    pub fn next_update(&self) -> Option<UnixTime> {
        self.list
            .tbs_cert_list
            .next_update
            .as_ref()
            .map(UnixTime::from_x509)
    }

    /// The revocation date of `serial` (content octets of the INTEGER), if it is listed.
    pub fn revocation_of(&self, serial: &[u8]) -> Option<UnixTime> {
        let want = crate::certificate::serial_hex(serial);
        self.list
            .tbs_cert_list
            .revoked_certificates
            .as_ref()?
            .iter()
            .find(|r| crate::certificate::serial_hex(r.serial_number.as_bytes()) == want)
            .map(|r| UnixTime::from_x509(&r.revocation_date))
    }

    /// Whether the CRL's signature verifies with `key`.
    pub fn verify_with(&self, key: &PublicKey) -> bool {
        let Ok(alg) = signature::resolve(&self.list.signature_algorithm, None) else {
            return false;
        };
        signature::verify_message(key, &alg, &self.der[self.tbs.clone()], &self.signature).is_ok()
    }
}

/// Reads every CRL in `bytes`: one DER CRL or PEM `X509 CRL` blocks.
pub fn load_crls(bytes: &[u8], source: &str) -> Result<Vec<Crl>, Error> {
    if bytes.first() == Some(&0x30) {
        return Ok(vec![Crl::from_der(bytes, source)?]);
    }
    let blocks = crate::pem::blocks(bytes).map_err(|e| Error::Load {
        what: "CRL",
        source_name: source.to_string(),
        reason: e.to_string(),
    })?;
    let crls: Vec<Crl> = blocks
        .iter()
        .filter(|(label, _)| label == "X509 CRL")
        .map(|(_, der)| Crl::from_der(der, source))
        .collect::<Result<_, _>>()?;
    if crls.is_empty() {
        return Err(Error::Load {
            what: "CRL",
            source_name: source.to_string(),
            reason: "no X509 CRL found (expected DER or PEM)".into(),
        });
    }
    Ok(crls)
}
