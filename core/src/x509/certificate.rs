//! X.509 certificates as sealscope shows and uses them (RFC 5280).

use crate::cms::asn1;
use crate::crypto::algorithms::oid_name;
use crate::crypto::oids;
use crate::crypto::signature::PublicKey;
use crate::error::Error;
use crate::time::UnixTime;
use crate::x509::dn;
use der::{Decode, Encode};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::Certificate;

/// A parsed certificate with its exact encoding.
#[derive(Clone, Debug)]
pub struct Cert {
    /// The DER encoding as received.
    pub der: Vec<u8>,
    /// The decoded certificate.
    pub cert: Certificate,
    /// Where it came from: a file name, "message", …
    pub source: String,
    tbs: std::ops::Range<usize>,
    signature: Vec<u8>,
    /// The subject public key, decoded on first use (an RSA key's Montgomery parameters cost
    /// a long division; an anchor's key is then decoded once per keyring).
    key: std::sync::OnceLock<Result<PublicKey, String>>,
}

impl PartialEq for Cert {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Cert {
    /// Parses one DER certificate.
    pub fn from_der(der: &[u8], source: &str) -> Result<Self, Error> {
        let load = |reason: String| Error::Load {
            what: "certificate",
            source_name: source.to_string(),
            reason,
        };
        let (tbs, signature) = split_signed(der, "an X.509 Certificate").map_err(load)?;
        let cert = Certificate::from_der(der).map_err(|e| load(e.to_string()))?;
        Ok(Cert {
            der: der.to_vec(),
            cert,
            source: source.to_string(),
            tbs,
            signature,
            key: std::sync::OnceLock::new(),
        })
    }

    /// Builds from an already decoded certificate (re-encoding it).
    pub fn from_decoded(cert: &Certificate, source: &str) -> Result<Self, Error> {
        let der = cert.to_der().map_err(|e| Error::der("certificate", e))?;
        Cert::from_der(&der, source)
    }

    /// The signed part, exactly as encoded.
    pub fn tbs_bytes(&self) -> &[u8] {
        &self.der[self.tbs.clone()]
    }

    /// The signature value.
    pub fn signature_bytes(&self) -> &[u8] {
        &self.signature
    }

    /// Subject name.
    pub fn subject(&self) -> &Name {
        self.cert.tbs_certificate().subject()
    }

    /// Issuer name.
    pub fn issuer(&self) -> &Name {
        self.cert.tbs_certificate().issuer()
    }

    /// Serial number as upper-case hex without leading zero octets, as OpenSSL prints it.
    pub fn serial_hex(&self) -> String {
        serial_hex(self.cert.tbs_certificate().serial_number().as_bytes())
    }

    /// notBefore.
    pub fn not_before(&self) -> UnixTime {
        UnixTime::from_x509(&self.cert.tbs_certificate().validity().not_before)
    }

    /// notAfter.
    pub fn not_after(&self) -> UnixTime {
        UnixTime::from_x509(&self.cert.tbs_certificate().validity().not_after)
    }

    /// The subject public key.
    pub fn public_key(&self) -> Result<PublicKey, String> {
        self.key
            .get_or_init(|| {
                PublicKey::from_spki(self.cert.tbs_certificate().subject_public_key_info())
            })
            .clone()
    }

    /// "rsa-2048", "ec-p256", or the key algorithm when it is not supported.
    pub fn key_description(&self) -> String {
        match self.public_key() {
            Ok(k) => k.describe(),
            Err(_) => oid_name(
                &self
                    .cert
                    .tbs_certificate()
                    .subject_public_key_info()
                    .algorithm
                    .oid,
            ),
        }
    }

    /// The subjectKeyIdentifier extension value.
    pub fn subject_key_id(&self) -> Option<Vec<u8>> {
        match self
            .cert
            .tbs_certificate()
            .get_extension::<SubjectKeyIdentifier>()
        {
            Ok(Some((_, ski))) => Some(ski.0.as_bytes().to_vec()),
            _ => None,
        }
    }

    /// SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1), which peers use as
    /// a key identifier when the certificate has no SKI extension.
    pub fn computed_key_id(&self) -> Vec<u8> {
        let bits = self
            .cert
            .tbs_certificate()
            .subject_public_key_info()
            .subject_public_key
            .raw_bytes();
        crate::crypto::algorithms::Digest::Sha1.hash(bits)
    }

    /// The keyIdentifier of the authorityKeyIdentifier extension.
    pub fn authority_key_id(&self) -> Option<Vec<u8>> {
        match self
            .cert
            .tbs_certificate()
            .get_extension::<AuthorityKeyIdentifier>()
        {
            Ok(Some((_, aki))) => aki.key_identifier.map(|k| k.as_bytes().to_vec()),
            _ => None,
        }
    }

    /// basicConstraints: (cA, pathLenConstraint), if present.
    pub fn basic_constraints(&self) -> Option<(bool, Option<u8>)> {
        match self
            .cert
            .tbs_certificate()
            .get_extension::<BasicConstraints>()
        {
            Ok(Some((_, bc))) => Some((bc.ca, bc.path_len_constraint)),
            _ => None,
        }
    }

    /// keyUsage bits by RFC 5280 name, if the extension is present.
    pub fn key_usage(&self) -> Option<Vec<&'static str>> {
        let (_, ku) = self
            .cert
            .tbs_certificate()
            .get_extension::<KeyUsage>()
            .ok()
            .flatten()?;
        let names = [
            (KeyUsages::DigitalSignature, "digitalSignature"),
            (KeyUsages::NonRepudiation, "nonRepudiation"),
            (KeyUsages::KeyEncipherment, "keyEncipherment"),
            (KeyUsages::DataEncipherment, "dataEncipherment"),
            (KeyUsages::KeyAgreement, "keyAgreement"),
            (KeyUsages::KeyCertSign, "keyCertSign"),
            (KeyUsages::CRLSign, "cRLSign"),
            (KeyUsages::EncipherOnly, "encipherOnly"),
            (KeyUsages::DecipherOnly, "decipherOnly"),
        ];
        Some(
            names
                .iter()
                .filter(|(flag, _)| ku.0.contains(*flag))
                .map(|(_, n)| *n)
                .collect(),
        )
    }

    /// extendedKeyUsage purposes by name, if the extension is present.
    pub fn extended_key_usage(&self) -> Option<Vec<String>> {
        let (_, eku) = self
            .cert
            .tbs_certificate()
            .get_extension::<ExtendedKeyUsage>()
            .ok()
            .flatten()?;
        Some(
            eku.0
                .iter()
                .map(|oid| {
                    match *oid {
                        oids::ID_KP_SERVER_AUTH => "serverAuth",
                        oids::ID_KP_CLIENT_AUTH => "clientAuth",
                        oids::ID_KP_CODE_SIGNING => "codeSigning",
                        oids::ID_KP_EMAIL_PROTECTION => "emailProtection",
                        oids::ID_KP_TIME_STAMPING => "timeStamping",
                        oids::ID_KP_OCSP_SIGNING => "OCSPSigning",
                        oids::ANY_EXTENDED_KEY_USAGE => "anyExtendedKeyUsage",
                        other => return other.to_string(),
                    }
                    .to_string()
                })
                .collect(),
        )
    }

    /// Critical extensions this validator does not process, as "name (OID)" or the OID
    /// alone. RFC 5280 §4.2: a certificate with such an extension must not be relied on.
    /// Handled: basicConstraints, keyUsage, extendedKeyUsage, the key identifiers,
    /// subject/issuer alternative names, certificatePolicies (no policy is required, so any
    /// set of policies passes §6.1), nameConstraints, the policy constraints and mappings,
    /// CRL distribution points and the access information
    /// extensions, which only point elsewhere.
    pub fn unhandled_critical_extensions(&self) -> Vec<String> {
        const HANDLED: &[der::asn1::ObjectIdentifier] = &[
            oids::ID_CE_BASIC_CONSTRAINTS,        // basicConstraints
            oids::ID_CE_KEY_USAGE,                // keyUsage
            oids::ID_CE_EXT_KEY_USAGE,            // extendedKeyUsage
            oids::ID_CE_SUBJECT_KEY_IDENTIFIER,   // subjectKeyIdentifier
            oids::ID_CE_AUTHORITY_KEY_IDENTIFIER, // authorityKeyIdentifier
            oids::ID_CE_SUBJECT_ALT_NAME,         // subjectAltName
            oids::ID_CE_ISSUER_ALT_NAME,          // issuerAltName
            oids::ID_CE_CERTIFICATE_POLICIES,     // certificatePolicies
            oids::ID_CE_NAME_CONSTRAINTS,         // nameConstraints (x509::name_constraints)
            oids::ID_CE_POLICY_MAPPINGS,          // policyMappings (x509::policies)
            oids::ID_CE_POLICY_CONSTRAINTS,       // policyConstraints (x509::policies)
            oids::ID_CE_INHIBIT_ANY_POLICY,       // inhibitAnyPolicy (x509::policies)
            oids::ID_CE_CRL_DISTRIBUTION_POINTS,  // cRLDistributionPoints
            oids::ID_CE_FRESHEST_CRL,             // freshestCRL
            oids::ID_PE_AUTHORITY_INFO_ACCESS,    // authorityInfoAccess
            oids::ID_PE_SUBJECT_INFO_ACCESS,      // subjectInfoAccess
        ];
        let names = [(
            oids::ID_CE_SUBJECT_DIRECTORY_ATTRIBUTES,
            "subjectDirectoryAttributes",
        )];
        self.cert
            .tbs_certificate()
            .extensions()
            .into_iter()
            .flatten()
            .filter(|e| e.critical)
            .map(|e| e.extn_id)
            .filter(|oid| !HANDLED.contains(oid))
            .map(|oid| match names.iter().find(|(o, _)| *o == oid) {
                Some((_, name)) => format!("{name} ({oid})"),
                None => oid.to_string(),
            })
            .collect()
    }

    /// Whether subject and issuer are the same name.
    pub fn is_self_issued(&self) -> bool {
        dn::same_name(self.subject(), self.issuer())
    }

    /// The report view of this certificate.
    pub fn summary(&self) -> crate::report::CertSummary {
        crate::report::CertSummary {
            subject: dn::rfc4514(self.subject()),
            subject_oneline: dn::oneline(self.subject()),
            issuer: dn::rfc4514(self.issuer()),
            issuer_oneline: dn::oneline(self.issuer()),
            serial: self.serial_hex(),
            not_before: self.not_before().to_rfc3339(),
            not_after: self.not_after().to_rfc3339(),
            key: self.key_description(),
            key_usage: self
                .key_usage()
                .map(|v| v.iter().map(|s| s.to_string()).collect()),
            extended_key_usage: self.extended_key_usage(),
            sha256: hex::encode(crate::crypto::algorithms::Digest::Sha256.hash(&self.der)),
            hashed_id8: None,
        }
    }
}

/// Splits the `SIGNED{}` shape shared by certificates and CRLs (RFC 5280 §4.1, §5.1):
/// `SEQUENCE { tbs, signatureAlgorithm, signatureValue BIT STRING }`. Returns the byte range
/// of the signed part and the signature bits.
pub(crate) fn split_signed(
    der: &[u8],
    what: &str,
) -> Result<(std::ops::Range<usize>, Vec<u8>), String> {
    let outer = asn1::read_whole(der).map_err(|e| e.to_string())?;
    let parts = asn1::children(der, &outer).map_err(|e| e.to_string())?;
    match parts.as_slice() {
        [tbs, _alg, sig] if sig.is_universal(asn1::tag::BIT_STRING) => Ok((
            tbs.start..tbs.end,
            sig.value(der).get(1..).unwrap_or_default().to_vec(),
        )),
        _ => Err(format!("not {what} SEQUENCE")),
    }
}

/// Upper-case hex of an INTEGER's content octets, leading zero octets dropped.
pub fn serial_hex(bytes: &[u8]) -> String {
    let trimmed: &[u8] = match bytes.iter().position(|&b| b != 0) {
        Some(i) => &bytes[i..],
        None => &[0],
    };
    hex::encode_upper(trimmed)
}

/// Reads every certificate in `bytes`: one DER certificate, or PEM text with any number of
/// `CERTIFICATE` blocks (other PEM blocks are skipped).
pub fn load_certificates(bytes: &[u8], source: &str) -> Result<Vec<Cert>, Error> {
    if bytes.first() == Some(&0x30) {
        return Ok(vec![Cert::from_der(bytes, source)?]);
    }
    let blocks = crate::wire::pem::blocks(bytes).map_err(|e| Error::Load {
        what: "certificate",
        source_name: source.to_string(),
        reason: e.to_string(),
    })?;
    let mut out = Vec::new();
    for (label, der) in blocks {
        if label == "CERTIFICATE" || label == "X509 CERTIFICATE" || label == "TRUSTED CERTIFICATE" {
            out.push(Cert::from_der(&der, source)?);
        }
    }
    if out.is_empty() {
        return Err(Error::Load {
            what: "certificate",
            source_name: source.to_string(),
            reason: "no CERTIFICATE found (expected DER or PEM)".into(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::der_writer as w;
    use der::asn1::ObjectIdentifier as Oid;

    /// A structurally valid certificate with these (OID, critical, value) extensions.
    fn with_extensions(exts: &[(Oid, bool, Vec<u8>)]) -> Cert {
        let exts: Vec<u8> = exts
            .iter()
            .flat_map(|(id, crit, v)| {
                let crit: &[u8] = if *crit { &[1, 1, 0xff] } else { &[] };
                w::seq(&[&w::oid(*id), crit, &w::octets(v)])
            })
            .collect();
        let sig_alg = w::alg(oids::ECDSA_WITH_SHA_256, None);
        let time = w::time(UnixTime(1_700_000_000));
        let spki = w::seq(&[&w::alg(oids::ID_EC_PUBLIC_KEY, None), &w::bits(&[4; 65])]);
        let (v3, serial, name, validity) = (
            w::explicit(0, &w::int(2)),
            w::int(1),
            w::seq(&[]),
            w::seq(&[&time, &time]),
        );
        let tbs = w::seq(&[
            &v3,
            &serial,
            &sig_alg,
            &name,
            &validity,
            &name,
            &spki,
            &w::explicit(3, &w::tlv(0x30, &exts)),
        ]);
        Cert::from_der(&w::seq(&[&tbs, &sig_alg, &w::bits(&[0; 8])]), "test").unwrap()
    }

    #[test]
    fn unhandled_critical_extensions() {
        let c = with_extensions(&[
            (
                oids::ID_CE_BASIC_CONSTRAINTS,
                true,
                w::seq(&[&[1, 1, 0xff]]),
            ),
            (oids::ID_CE_CERTIFICATE_POLICIES, true, w::seq(&[])),
            (oids::ID_CE_NAME_CONSTRAINTS, true, w::seq(&[])),
            (oids::ID_CE_POLICY_MAPPINGS, false, w::seq(&[])), // not critical: may be ignored
            (Oid::new_unwrap("1.2.3.4"), true, w::null()),
            (oids::ID_CE_INHIBIT_ANY_POLICY, true, w::int(0)),
        ]);
        // nameConstraints and the policy extensions are processed (x509::name_constraints,
        // x509::policies).
        let want = ["1.2.3.4"];
        assert_eq!(c.unhandled_critical_extensions(), want);
        assert_eq!(c.basic_constraints(), Some((true, None)));
        // A fixture CA with critical basicConstraints and keyUsage: both are processed.
        let root = Cert::from_der(
            include_bytes!("../../../tests/fixtures/pki/root-ca.der"),
            "r",
        )
        .unwrap();
        assert!(root.unhandled_critical_extensions().is_empty());
        assert_eq!(root.key_usage(), Some(vec!["keyCertSign", "cRLSign"]));
        assert_eq!(root.extended_key_usage(), None);
    }

    #[test]
    fn extended_key_usage_names() {
        let ids = [
            oids::ID_KP_EMAIL_PROTECTION,
            oids::ID_KP_OCSP_SIGNING,
            oids::ANY_EXTENDED_KEY_USAGE,
            Oid::new_unwrap("1.3.6.1.5.5.7.3.17"), // id-kp-ipsecIKE: no name here
        ];
        let eku = w::tlv(
            0x30,
            &ids.iter().flat_map(|o| w::oid(*o)).collect::<Vec<u8>>(),
        );
        let c = with_extensions(&[(oids::ID_CE_EXT_KEY_USAGE, false, eku)]);
        let want = [
            "emailProtection",
            "OCSPSigning",
            "anyExtendedKeyUsage",
            "1.3.6.1.5.5.7.3.17",
        ];
        assert_eq!(c.extended_key_usage().unwrap(), want);
        let signer = Cert::from_der(
            include_bytes!("../../../tests/fixtures/pki/signer-rsa.der"),
            "s",
        )
        .unwrap();
        assert_eq!(
            signer.extended_key_usage().unwrap(),
            ["emailProtection", "clientAuth"]
        );
        assert_eq!(
            signer.key_usage(),
            Some(vec!["digitalSignature", "nonRepudiation"])
        );
    }
}
