//! Certificate revocation lists (RFC 5280 §5).

use crate::crypto::oids;
use crate::crypto::signature::{self, PublicKey};
use crate::error::Error;
use crate::time::UnixTime;
use der::Decode;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
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
            crate::x509::certificate::split_signed(der, "a CertificateList").map_err(load)?;
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
    /// Serial numbers are compared as signed integers: 00 FF (255) is not FF (-1).
    pub fn revocation_of(&self, serial: &[u8]) -> Option<UnixTime> {
        self.revocation_of_issued_by(serial, self.issuer())
    }

    /// The revocation date of the certificate `serial` issued by `issuer`, if it is listed.
    /// In an indirect CRL an entry's certificateIssuer extension names the issuer of that
    /// entry and the ones after it; the first entries are the CRL issuer's (RFC 5280
    /// §5.3.3).
    pub fn revocation_of_issued_by(&self, serial: &[u8], issuer: &Name) -> Option<UnixTime> {
        self.entry_issued_by(serial, issuer).map(|(date, _)| date)
    }

    /// The entry for the certificate `serial` issued by `issuer`: its revocation date and
    /// reasonCode (RFC 5280 §5.3.1), if it is listed.
    pub fn entry_issued_by(&self, serial: &[u8], issuer: &Name) -> Option<(UnixTime, Option<u8>)> {
        let want = minimal_integer(serial);
        let mut current = self.issuer().clone();
        for r in self.list.tbs_cert_list.revoked_certificates.as_ref()? {
            let exts = r.crl_entry_extensions.iter().flatten();
            if let Some(named) = exts
                .clone()
                .find(|e| e.extn_id == oids::ID_CE_CERTIFICATE_ISSUER)
                .and_then(|e| {
                    x509_cert::ext::pkix::name::GeneralNames::from_der(e.extn_value.as_bytes()).ok()
                })
                .and_then(|names| {
                    names.into_iter().find_map(|n| match n {
                        GeneralName::DirectoryName(d) => Some(d),
                        _ => None,
                    })
                })
            {
                current = named;
            }
            if minimal_integer(r.serial_number.as_bytes()) == want
                && crate::x509::dn::same_name(&current, issuer)
            {
                // reasonCode ::= ENUMERATED: 0A 01 nn.
                let reason = exts
                    .clone()
                    .find(|e| e.extn_id == oids::ID_CE_CRL_REASONS)
                    .and_then(|e| match e.extn_value.as_bytes() {
                        [0x0a, 0x01, v] => Some(*v),
                        _ => None,
                    });
                return Some((UnixTime::from_x509(&r.revocation_date), reason));
            }
        }
        None
    }

    /// The cRLNumber (RFC 5280 §5.2.3), as minimal big-endian octets.
    pub fn number(&self) -> Option<Vec<u8>> {
        self.extension_integer(oids::ID_CE_CRL_NUMBER)
    }

    /// For a delta CRL (RFC 5280 §5.2.4), the BaseCRLNumber of the complete CRL it updates.
    pub fn delta_base(&self) -> Option<Vec<u8>> {
        self.extension_integer(oids::ID_CE_DELTA_CRL_INDICATOR)
    }

    fn extension_integer(&self, oid: der::asn1::ObjectIdentifier) -> Option<Vec<u8>> {
        let ext = self
            .list
            .tbs_cert_list
            .crl_extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id == oid)?;
        let n = der::asn1::Uint::from_der(ext.extn_value.as_bytes()).ok()?;
        Some(n.as_bytes().to_vec())
    }

    /// Whether the CRL says it is indirect (issuingDistributionPoint indirectCRL): it may
    /// list certificates of other issuers.
    pub fn is_indirect(&self) -> bool {
        self.issuing_distribution_point()
            .ok()
            .flatten()
            .is_some_and(|idp| idp.indirect_crl)
    }

    fn issuing_distribution_point(
        &self,
    ) -> Result<Option<x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint>, String> {
        let Some(ext) = self
            .list
            .tbs_cert_list
            .crl_extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id == oids::ID_CE_ISSUING_DISTRIBUTION_POINT)
        else {
            return Ok(None);
        };
        x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint::from_der(ext.extn_value.as_bytes())
            .map(Some)
            .map_err(|e| {
                format!(
                    "{}: its issuingDistributionPoint cannot be read: {e}",
                    self.source
                )
            })
    }

    /// Why this CRL cannot say anything about certificates of `issuer` at `at`, if it
    /// cannot: its signature does not verify with the issuer's key, the issuer's keyUsage
    /// lacks cRLSign, it expired before `at` (nextUpdate), or it carries a critical extension
    /// that is not processed here (issuingDistributionPoint and deltaCRLIndicator among
    /// them: a partitioned or delta CRL is not a complete list). A CRL issued after `at` is
    /// usable: its entries carry their revocation dates.
    pub fn unusable_for(
        &self,
        issuer: &crate::x509::certificate::Cert,
        key: &PublicKey,
        at: UnixTime,
    ) -> Option<String> {
        if let Some(usage) = issuer.key_usage() {
            if !usage.contains(&"cRLSign") {
                return Some(format!(
                    "{}: the issuer's keyUsage ({}) lacks cRLSign",
                    self.source,
                    usage.join(", ")
                ));
            }
        }
        if !self.verify_with(key) {
            return Some(format!(
                "{}: its signature does not verify with the issuer's key",
                self.source
            ));
        }
        if let Some(next) = self.next_update() {
            if next < at {
                return Some(format!(
                    "{}: it expired at its nextUpdate {}",
                    self.source,
                    next.to_rfc3339()
                ));
            }
        }
        if let Some(ext) = self.unhandled_critical_extensions().into_iter().next() {
            return Some(format!(
                "{}: it carries the critical extension {ext}, which is not processed here",
                self.source
            ));
        }
        None
    }

    /// What breaks the CRL profile's cRLNumber rule (RFC 5280 §5.2.3: every CRL carries a
    /// cRLNumber, marked non-critical), applied with strict checking.
    pub fn profile_problem(&self) -> Option<String> {
        let number = self
            .list
            .tbs_cert_list
            .crl_extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id == oids::ID_CE_CRL_NUMBER);
        match number {
            None => Some(format!(
                "{}: it has no cRLNumber (RFC 5280 §5.2.3)",
                self.source
            )),
            Some(e) if e.critical => Some(format!(
                "{}: its cRLNumber is marked critical (RFC 5280 §5.2.3)",
                self.source
            )),
            Some(_) => None,
        }
    }

    /// Critical CRL and CRL-entry extensions other than cRLNumber, authorityKeyIdentifier,
    /// issuerAltName, reasonCode and invalidityDate.
    pub fn unhandled_critical_extensions(&self) -> Vec<String> {
        const HANDLED: &[der::asn1::ObjectIdentifier] = &[
            oids::ID_CE_CRL_NUMBER,                 // cRLNumber
            oids::ID_CE_AUTHORITY_KEY_IDENTIFIER,   // authorityKeyIdentifier
            oids::ID_CE_ISSUER_ALT_NAME,            // issuerAltName
            oids::ID_CE_CRL_REASONS,                // reasonCode
            oids::ID_CE_INVALIDITY_DATE,            // invalidityDate
            oids::ID_CE_ISSUING_DISTRIBUTION_POINT, // issuingDistributionPoint (scope_for)
            oids::ID_CE_CERTIFICATE_ISSUER,         // certificateIssuer (indirect CRL entries)
            oids::ID_CE_DELTA_CRL_INDICATOR,        // deltaCRLIndicator (over a base CRL)
        ];
        let name = |oid: der::asn1::ObjectIdentifier| match oid {
            oids::ID_CE_ISSUING_DISTRIBUTION_POINT => format!("issuingDistributionPoint ({oid})"),
            oids::ID_CE_DELTA_CRL_INDICATOR => format!("deltaCRLIndicator ({oid})"),
            oids::ID_CE_CERTIFICATE_ISSUER => format!("certificateIssuer ({oid})"),
            _ => oid.to_string(),
        };
        let tbs = &self.list.tbs_cert_list;
        let entry_exts = tbs
            .revoked_certificates
            .iter()
            .flatten()
            .flat_map(|r| r.crl_entry_extensions.iter().flatten());
        tbs.crl_extensions
            .iter()
            .flatten()
            .chain(entry_exts)
            .filter(|e| e.critical)
            .map(|e| e.extn_id)
            .filter(|oid| !HANDLED.contains(oid))
            .map(name)
            .collect()
    }

    /// What this CRL can say about `cert` (issued by the CRL's issuer): the revocation
    /// reasons it covers as a mask of ReasonFlags bits 1–8 ([`ALL_REASONS`] for a complete
    /// CRL), or why it does not apply. Its issuingDistributionPoint (RFC 5280 §5.2.5,
    /// §6.3.3 (b)) decides: an attribute-certificate CRL is not applied; a CRL for
    /// end-entity (CA) certificates only does not apply to a CA (end-entity) certificate; a
    /// CRL for one distribution point applies when the certificate's cRLDistributionPoints
    /// names that point (or, for a point without a name, its cRLIssuer); onlySomeReasons
    /// narrows the reasons. Whether an indirect CRL may speak for the certificate's issuer
    /// is the caller's question.
    pub fn scope_for(&self, cert: &crate::x509::certificate::Cert) -> Result<u16, String> {
        let src = &self.source;
        let Some(idp) = self.issuing_distribution_point()? else {
            return Ok(ALL_REASONS);
        };
        if idp.only_contains_attribute_certs {
            return Err(format!("{src}: it lists attribute certificates only"));
        }
        let is_ca = cert.basic_constraints().is_some_and(|(ca, _)| ca);
        if idp.only_contains_user_certs && is_ca {
            return Err(format!(
                "{src}: it covers end-entity certificates only, and this one is a CA"
            ));
        }
        if idp.only_contains_ca_certs && !is_ca {
            return Err(format!(
                "{src}: it covers CA certificates only, and this one is not a CA"
            ));
        }
        if let Some(point) = &idp.distribution_point {
            let crl_names = point_names(point, self.issuer());
            let cert_names: Vec<GeneralName> = cert
                .cert
                .tbs_certificate()
                .get_extension::<x509_cert::ext::pkix::CrlDistributionPoints>()
                .ok()
                .flatten()
                .map(|(_, dps)| dps.0)
                .unwrap_or_default()
                .iter()
                .flat_map(|dp| match (&dp.distribution_point, &dp.crl_issuer) {
                    // A relative name is relative to the cRLIssuer when one is named, else
                    // to the certificate's issuer (RFC 5280 §4.2.1.13).
                    (Some(p), Some(names)) => {
                        let base = names.iter().find_map(|n| match n {
                            GeneralName::DirectoryName(d) => Some(d),
                            _ => None,
                        });
                        point_names(p, base.unwrap_or(cert.issuer()))
                    }
                    (Some(p), None) => point_names(p, cert.issuer()),
                    (None, Some(names)) => names.clone(),
                    (None, None) => Vec::new(),
                })
                .collect();
            let matched = crl_names
                .iter()
                .any(|a| cert_names.iter().any(|b| same_general_name(a, b)));
            if !matched {
                return Err(format!(
                    "{src}: it covers one distribution point, which the certificate's cRLDistributionPoints does not name"
                ));
            }
        }
        Ok(match &idp.only_some_reasons {
            Some(flags) => flags.bits() & ALL_REASONS,
            None => ALL_REASONS,
        })
    }

    /// Whether the CRL's signature verifies with `key`.
    pub fn verify_with(&self, key: &PublicKey) -> bool {
        let Ok(alg) = signature::resolve(&self.list.signature_algorithm, None) else {
            return false;
        };
        signature::verify_message(key, &alg, &self.der[self.tbs.clone()], &self.signature).is_ok()
    }
}

/// CRLReason removeFromCRL (RFC 5280 §5.3.1): a delta CRL's entry taking a held
/// certificate off the base CRL.
pub const REMOVE_FROM_CRL: u8 = 8;

/// Orders two non-negative integers given as minimal big-endian octets.
pub fn cmp_numbers(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let trim = |x: &[u8]| -> Vec<u8> { x.iter().copied().skip_while(|&v| v == 0).collect() };
    let (a, b) = (trim(a), trim(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(&b))
}

/// ReasonFlags bits 1–8 (keyCompromise … aACompromise): every reason (RFC 5280 §6.3.3).
pub const ALL_REASONS: u16 = 0x1fe;

/// The full names of a distribution point: its fullName, or the CRL issuer's name with
/// nameRelativeToCRLIssuer appended.
fn point_names(point: &DistributionPointName, crl_issuer: &Name) -> Vec<GeneralName> {
    match point {
        DistributionPointName::FullName(names) => names.clone(),
        DistributionPointName::NameRelativeToCRLIssuer(rdn) => {
            use der::Encode;
            // The issuer's RDNs followed by this one, as one Name.
            let full = crl_issuer.to_der().ok().and_then(|issuer| {
                let t = crate::cms::asn1::read_whole(&issuer).ok()?;
                let rdn = rdn.to_der().ok()?;
                let der = crate::compose::der_writer::seq(&[t.value(&issuer), &rdn]);
                Name::from_der(&der).ok()
            });
            let Some(full) = full else {
                return Vec::new();
            };
            vec![GeneralName::DirectoryName(full)]
        }
    }
}

fn same_general_name(a: &GeneralName, b: &GeneralName) -> bool {
    match (a, b) {
        (GeneralName::DirectoryName(x), GeneralName::DirectoryName(y)) => {
            crate::x509::dn::same_name(x, y)
        }
        _ => a == b,
    }
}

/// Reads every CRL in `bytes`: one DER CRL or PEM `X509 CRL` blocks.
pub fn load_crls(bytes: &[u8], source: &str) -> Result<Vec<Crl>, Error> {
    if bytes.first() == Some(&0x30) {
        return Ok(vec![Crl::from_der(bytes, source)?]);
    }
    let blocks = crate::wire::pem::blocks(bytes).map_err(|e| Error::Load {
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

/// The shortest two's-complement form of an INTEGER's content octets (redundant leading
/// 00 or FF octets removed), so that equal integers compare equal byte for byte.
fn minimal_integer(bytes: &[u8]) -> &[u8] {
    let mut b = bytes;
    while b.len() > 1 && ((b[0] == 0x00 && b[1] & 0x80 == 0) || (b[0] == 0xff && b[1] & 0x80 != 0))
    {
        b = &b[1..];
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x509::certificate::Cert;
    use x509_cert::ext::Extension;

    const DER: &[u8] = include_bytes!("../../../tests/fixtures/pki/inter-ca.crl.der");

    fn ext(oid: der::asn1::ObjectIdentifier, critical: bool) -> Extension {
        Extension {
            extn_id: oid,
            critical,
            extn_value: der::asn1::OctetString::new(vec![0x30, 0x00]).unwrap(),
        }
    }

    fn time(s: &str) -> UnixTime {
        UnixTime::parse(s).unwrap()
    }

    #[test]
    fn minimal_integer_keeps_the_sign() {
        assert_eq!(minimal_integer(&[0x00, 0x00, 0x01]), [0x01]);
        assert_eq!(minimal_integer(&[0x00, 0xff]), [0x00, 0xff]); // 255, not -1
        assert_eq!(minimal_integer(&[0xff, 0xff, 0x80]), [0x80]); // -128
        assert_eq!(minimal_integer(&[0xff, 0x7f]), [0xff, 0x7f]); // -129
        assert_eq!(minimal_integer(&[0x00]), [0x00]);
    }

    #[test]
    fn entry_lookup_by_integer_value() {
        let crl = Crl::from_der(DER, "inter-ca.crl.der").unwrap();
        assert_eq!(crl.this_update(), time("2025-07-01T00:00:00Z"));
        assert_eq!(crl.next_update(), Some(time("2045-01-01T00:00:00Z")));
        let revoked = Some(time("2025-06-01T00:00:00Z"));
        assert_eq!(crl.revocation_of(&[0x10, 0x07]), revoked);
        assert_eq!(crl.revocation_of(&[0x00, 0x00, 0x10, 0x07]), revoked);
        assert_eq!(crl.revocation_of(&[0x10, 0x08]), None);
        assert_eq!(crl.revocation_of(&[0xff, 0x10, 0x07]), None);
    }

    #[test]
    fn critical_extensions_not_processed_are_named() {
        let mut crl = Crl::from_der(DER, "inter-ca.crl.der").unwrap();
        assert_eq!(crl.unhandled_critical_extensions(), Vec::<String>::new());
        let tbs = &mut crl.list.tbs_cert_list;
        let exts = tbs.crl_extensions.get_or_insert_with(Vec::new);
        exts.iter_mut().for_each(|e| e.critical = true); // cRLNumber, AKI: handled
        exts.push(ext(oids::ID_CE_ISSUING_DISTRIBUTION_POINT, true));
        exts.push(ext(oids::ID_CE_DELTA_CRL_INDICATOR, true));
        exts.push(ext(oids::ID_CE_FRESHEST_CRL, false));
        exts.push(ext(oids::ID_CE_KEY_USAGE, true));
        let entry = &mut tbs.revoked_certificates.as_mut().unwrap()[0];
        let entry_exts = entry.crl_entry_extensions.get_or_insert_with(Vec::new);
        entry_exts.push(ext(oids::ID_CE_INVALIDITY_DATE, true));
        entry_exts.push(ext(oids::ID_CE_CERTIFICATE_ISSUER, true)); // indirect CRL entries
        assert_eq!(
            crl.unhandled_critical_extensions(),
            [
                // issuingDistributionPoint, deltaCRLIndicator and certificateIssuer are
                // processed (scope_for, delta_base, entry_issued_by).
                "2.5.29.15",
            ]
        );
    }

    #[test]
    fn usability_for_an_issuer() {
        let inter = include_bytes!("../../../tests/fixtures/pki/inter-ca.der");
        let inter = Cert::from_der(inter, "inter-ca.der").unwrap();
        let root = include_bytes!("../../../tests/fixtures/pki/root-ca.der");
        let root = Cert::from_der(root, "root-ca.der").unwrap();
        let crl = Crl::from_der(DER, "c").unwrap();
        let key = inter.public_key().unwrap();
        assert_eq!(
            crl.unusable_for(&inter, &key, time("2030-01-01T00:00:00Z")),
            None
        );
        assert_eq!(
            crl.unusable_for(&inter, &key, time("2046-01-01T00:00:00Z")),
            Some("c: it expired at its nextUpdate 2045-01-01T00:00:00Z".into())
        );
        let root_key = root.public_key().unwrap();
        assert_eq!(
            crl.unusable_for(&root, &root_key, time("2030-01-01T00:00:00Z")),
            Some("c: its signature does not verify with the issuer's key".into())
        );
    }

    /// issuingDistributionPoint (RFC 5280 §5.2.5) scopes a CRL: to CA or end-entity
    /// certificates, to some reasons, or (indirect) to other issuers' certificates.
    #[test]
    fn scope_from_issuing_distribution_point() {
        let inter = include_bytes!("../../../tests/fixtures/pki/inter-ca.der");
        let ca = Cert::from_der(inter, "inter-ca.der").unwrap();
        let leaf = include_bytes!("../../../tests/fixtures/pki/signer-p256.der");
        let ee = Cert::from_der(leaf, "signer-p256.der").unwrap();
        let scoped = |idp: &[u8]| {
            let mut crl = Crl::from_der(DER, "c").unwrap();
            let mut e = ext(oids::ID_CE_ISSUING_DISTRIBUTION_POINT, true);
            e.extn_value = der::asn1::OctetString::new(idp.to_vec()).unwrap();
            crl.list
                .tbs_cert_list
                .crl_extensions
                .get_or_insert_with(Vec::new)
                .push(e);
            crl
        };
        let plain = Crl::from_der(DER, "c").unwrap();
        assert_eq!(plain.scope_for(&ee), Ok(ALL_REASONS));
        let ca_only = scoped(&[0x30, 0x03, 0x82, 0x01, 0xff]);
        assert_eq!(ca_only.scope_for(&ca), Ok(ALL_REASONS));
        assert_eq!(
            ca_only.scope_for(&ee),
            Err("c: it covers CA certificates only, and this one is not a CA".into())
        );
        let users_only = scoped(&[0x30, 0x03, 0x81, 0x01, 0xff]);
        assert_eq!(users_only.scope_for(&ee), Ok(ALL_REASONS));
        assert!(users_only.scope_for(&ca).is_err());
        // onlySomeReasons {keyCompromise}: bit 1 only.
        let key_compromise = scoped(&[0x30, 0x04, 0x83, 0x02, 0x06, 0x40]);
        assert_eq!(key_compromise.scope_for(&ee), Ok(0x002));
        // An indirect CRL's scope is its reasons; whom it speaks for is the caller's check.
        let indirect = scoped(&[0x30, 0x03, 0x84, 0x01, 0xff]);
        assert!(indirect.is_indirect() && !plain.is_indirect());
        assert_eq!(indirect.scope_for(&ee), Ok(ALL_REASONS));
        // A distribution point the certificate does not name.
        let point = scoped(&[
            0x30, 0x10, 0xa0, 0x0e, 0xa0, 0x0c, 0x86, 0x0a, b'h', b't', b't', b'p', b':', b'/',
            b'/', b'x', b'/', b'c',
        ]);
        assert!(point.scope_for(&ee).unwrap_err().contains("does not name"));
        assert!(scoped(&[0x05, 0x00]).scope_for(&ee).is_err());
    }

    #[test]
    fn load_crls_reads_der_and_pem_only() {
        let pem = include_bytes!("../../../tests/fixtures/pki/inter-ca.crl.pem");
        let from_pem = load_crls(pem, "p").unwrap();
        assert_eq!(from_pem.len(), 1);
        assert_eq!(from_pem[0].list, Crl::from_der(DER, "d").unwrap().list);
        let cert = include_bytes!("../../../tests/fixtures/pki/inter-ca.pem");
        assert_eq!(
            load_crls(cert, "x.pem").unwrap_err(),
            Error::Load {
                what: "CRL",
                source_name: "x.pem".into(),
                reason: "no X509 CRL found (expected DER or PEM)".into(),
            }
        );
    }

    /// NIST PKITS 4.15 (pyca's cryptography-vectors): a complete CRL and the delta CRL
    /// (RFC 5280 §5.2.4) that updates it, with reasonCode entries.
    #[test]
    fn delta_crl_numbers_and_entry_reasons() {
        let dir = "../../../tests/fixtures/vectors/cryptography/x509/PKITS_data/crls/";
        let base = Crl::from_der(
            include_bytes!(concat!(
                "../../../tests/fixtures/vectors/cryptography/x509/PKITS_data/crls/",
                "deltaCRLCA1CRL.crl"
            )),
            dir,
        )
        .unwrap();
        let delta = Crl::from_der(
            include_bytes!(concat!(
                "../../../tests/fixtures/vectors/cryptography/x509/PKITS_data/crls/",
                "deltaCRLCA1deltaCRL.crl"
            )),
            dir,
        )
        .unwrap();
        assert_eq!((base.number(), base.delta_base()), (Some(vec![1]), None));
        assert_eq!(
            (delta.number(), delta.delta_base()),
            (Some(vec![5]), Some(vec![1]))
        );
        assert!(delta.unhandled_critical_extensions().is_empty());
        let issuer = delta.issuer().clone();
        assert_eq!(
            delta.entry_issued_by(&[3], &issuer).map(|e| e.1),
            Some(Some(1))
        );
        assert_eq!(
            delta.entry_issued_by(&[4], &issuer).map(|e| e.1),
            Some(Some(REMOVE_FROM_CRL))
        );
        assert_eq!(delta.entry_issued_by(&[0x7f], &issuer), None);
        use std::cmp::Ordering::{Equal, Greater, Less};
        assert_eq!(cmp_numbers(&[0, 5], &[5]), Equal);
        assert_eq!(cmp_numbers(&[1, 0], &[0xff]), Greater);
        assert_eq!(cmp_numbers(&[1], &[2]), Less);
    }
}
