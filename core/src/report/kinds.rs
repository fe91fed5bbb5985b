//! The closed vocabularies of the report as types: what a layer is, and the status of one
//! certificate in a chain. They serialise to the stable kebab-case strings of the report
//! contract, so front ends match on variants instead of comparing text.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// What a layer is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LayerKind {
    /// Several STOMP frames captured together.
    StompCapture,
    /// One STOMP frame.
    StompFrame,
    /// An HTTP/1.1 request.
    HttpRequest,
    /// An HTTP/1.1 response.
    HttpResponse,
    /// A message carried in an HTTP header field (Bit Repository signatures, SCMS downloads).
    HttpHeader,
    /// An ARGO AMS JSON document.
    AmsDocument,
    /// One message of an AMS document.
    AmsMessage,
    /// A Bit Repository message.
    BitrepoMessage,
    /// PEM armour.
    Pem,
    /// Bare base64 text.
    Base64,
    /// Hex text.
    Hex,
    /// A MIME entity.
    Mime,
    /// A multipart/signed entity.
    MultipartSigned,
    /// CMS SignedData (or PKCS #7 signed-data).
    CmsSignedData,
    /// CMS EnvelopedData.
    CmsEnvelopedData,
    /// CMS AuthEnvelopedData.
    CmsAuthEnvelopedData,
    /// CMS CompressedData.
    CmsCompressedData,
    /// CMS DigestedData.
    CmsDigestedData,
    /// CMS EncryptedData.
    CmsEncryptedData,
    /// CMS AuthenticatedData (RFC 5652 §9).
    CmsAuthenticatedData,
    /// Another CMS content type, by the name sealscope gives its OID (`cms-NAME`).
    CmsOther(String),
    /// The innermost payload.
    Content,
    /// A detached signature's content given separately.
    DetachedContent,
    /// An IEEE 1609.2 Ieee1609Dot2Data.
    Ieee1609Data,
    /// An IEEE 1609.2 certificate carried in a message.
    Ieee1609Certificate,
    /// An SCMS protocol data unit.
    ScmsPdu,
    /// An IEEE 1609.2 CRL's contents (CrlContents).
    Ieee1609Crl,
    /// An ETSI TS 102 941 certificate trust list (ECTL or a root CA's CTL).
    TrustList,
}

const FIXED: [(LayerKind, &str); 27] = [
    (LayerKind::StompCapture, "stomp-capture"),
    (LayerKind::StompFrame, "stomp-frame"),
    (LayerKind::HttpRequest, "http-request"),
    (LayerKind::HttpResponse, "http-response"),
    (LayerKind::HttpHeader, "http-header"),
    (LayerKind::AmsDocument, "ams-document"),
    (LayerKind::AmsMessage, "ams-message"),
    (LayerKind::BitrepoMessage, "bitrepo-message"),
    (LayerKind::Pem, "pem"),
    (LayerKind::Base64, "base64"),
    (LayerKind::Hex, "hex"),
    (LayerKind::Mime, "mime"),
    (LayerKind::MultipartSigned, "multipart-signed"),
    (LayerKind::CmsSignedData, "cms-signed-data"),
    (LayerKind::CmsEnvelopedData, "cms-enveloped-data"),
    (LayerKind::CmsAuthEnvelopedData, "cms-auth-enveloped-data"),
    (LayerKind::CmsCompressedData, "cms-compressed-data"),
    (LayerKind::CmsAuthenticatedData, "cms-authenticated-data"),
    (LayerKind::CmsDigestedData, "cms-digested-data"),
    (LayerKind::CmsEncryptedData, "cms-encrypted-data"),
    (LayerKind::Content, "content"),
    (LayerKind::DetachedContent, "detached-content"),
    (LayerKind::Ieee1609Data, "ieee1609-data"),
    (LayerKind::Ieee1609Certificate, "ieee1609-certificate"),
    (LayerKind::ScmsPdu, "scms-pdu"),
    (LayerKind::Ieee1609Crl, "ieee1609-crl"),
    (LayerKind::TrustList, "trust-list"),
];

impl LayerKind {
    /// The report's name for the kind.
    pub fn as_str(&self) -> &str {
        match self {
            LayerKind::CmsOther(name) => name,
            fixed => FIXED
                .iter()
                .find(|(k, _)| k == fixed)
                .map_or("", |(_, name)| name),
        }
    }

    /// The kind a report names; `cms-…` names outside the fixed list are [`LayerKind::CmsOther`].
    pub fn from_name(name: &str) -> Option<Self> {
        if let Some((k, _)) = FIXED.iter().find(|(_, n)| *n == name) {
            return Some(k.clone());
        }
        name.starts_with("cms-")
            .then(|| LayerKind::CmsOther(name.to_string()))
    }

    /// Another CMS content type, named `cms-{name}`.
    pub fn cms_other(name: &str) -> Self {
        LayerKind::from_name(&format!("cms-{name}"))
            .unwrap_or_else(|| LayerKind::CmsOther(format!("cms-{name}")))
    }

    /// A MIME entity of either kind.
    pub fn is_mime(&self) -> bool {
        matches!(self, LayerKind::Mime | LayerKind::MultipartSigned)
    }

    /// EnvelopedData or AuthEnvelopedData.
    pub fn is_enveloped(&self) -> bool {
        matches!(
            self,
            LayerKind::CmsEnvelopedData | LayerKind::CmsAuthEnvelopedData
        )
    }

    /// An HTTP request or response.
    pub fn is_http(&self) -> bool {
        matches!(self, LayerKind::HttpRequest | LayerKind::HttpResponse)
    }
}

impl fmt::Display for LayerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for LayerKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for LayerKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        LayerKind::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown layer kind {name:?}")))
    }
}

/// The status of one certificate of a chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum CertStatus {
    /// Nothing wrong was found.
    Valid,
    /// A supplied trust anchor.
    Anchor,
    /// Not valid yet at the verification time.
    NotYetValid,
    /// Expired at the verification time.
    Expired,
    /// Revoked by a supplied CRL.
    Revoked,
    /// No usable CRL said whether it is revoked.
    RevocationUnknown,
    /// Its issuer's signature does not verify.
    BadSignature,
    /// Its issuer's signature uses an algorithm that was not checked.
    SignatureNotChecked,
    /// A CA below it exceeds its pathLenConstraint.
    PathLengthExceeded,
    /// It issues certificates without being a CA.
    NotACa,
    /// It has a critical extension that is not understood.
    CriticalExtension,
    /// Its subject or an alternative name is outside a CA's name constraints.
    NameConstraintViolated,
    /// Breaks a rule of the RFC 5280 §4 certificate profile.
    ProfileViolated,
    /// The path's certificate policies fail here (an explicit policy required, none valid).
    PolicyConstraintViolated,
    /// Its subject is outside the namespace its CA may sign (IGTF namespaces).
    NamespaceViolated,
    /// IEEE 1609.2: its validity period is not within its issuer's.
    ValidityOutsideIssuer,
    /// IEEE 1609.2: its region is not within its issuer's.
    RegionOutsideIssuer,
    /// IEEE 1609.2: its permissions are not within its issuer's certIssuePermissions.
    PermissionsOutsideIssuer,
    /// A self-signed root that is not a supplied anchor.
    UntrustedRoot,
    /// Its issuer was not found.
    IssuerMissing,
}

impl CertStatus {
    /// The report's name for the status.
    pub fn as_str(self) -> &'static str {
        match self {
            CertStatus::Valid => "valid",
            CertStatus::Anchor => "anchor",
            CertStatus::NotYetValid => "not-yet-valid",
            CertStatus::Expired => "expired",
            CertStatus::Revoked => "revoked",
            CertStatus::RevocationUnknown => "revocation-unknown",
            CertStatus::BadSignature => "bad-signature",
            CertStatus::SignatureNotChecked => "signature-not-checked",
            CertStatus::PathLengthExceeded => "path-length-exceeded",
            CertStatus::NotACa => "not-a-ca",
            CertStatus::CriticalExtension => "critical-extension",
            CertStatus::NameConstraintViolated => "name-constraint-violated",
            CertStatus::ProfileViolated => "profile-violated",
            CertStatus::PolicyConstraintViolated => "policy-constraint-violated",
            CertStatus::NamespaceViolated => "namespace-violated",
            CertStatus::ValidityOutsideIssuer => "validity-outside-issuer",
            CertStatus::RegionOutsideIssuer => "region-outside-issuer",
            CertStatus::PermissionsOutsideIssuer => "permissions-outside-issuer",
            CertStatus::UntrustedRoot => "untrusted-root",
            CertStatus::IssuerMissing => "issuer-missing",
        }
    }
}

impl fmt::Display for CertStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_kinds_keep_their_report_names() {
        for (kind, name) in FIXED.iter() {
            assert_eq!(kind.as_str(), *name);
            assert_eq!(LayerKind::from_name(name).as_ref(), Some(kind));
            let json = serde_json::to_string(kind).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<LayerKind>(&json).unwrap(), *kind);
        }
        assert_eq!(
            LayerKind::cms_other("signed-data"),
            LayerKind::CmsSignedData
        );
        assert_eq!(
            LayerKind::cms_other("authenticated-data"),
            LayerKind::CmsAuthenticatedData
        );
        let other = LayerKind::cms_other("1.2.840.113549.1.9.16.1.23");
        assert_eq!(
            other,
            LayerKind::CmsOther("cms-1.2.840.113549.1.9.16.1.23".into())
        );
        assert_eq!(other.as_str(), "cms-1.2.840.113549.1.9.16.1.23");
        assert_eq!(LayerKind::from_name("nonsense"), None);
    }

    #[test]
    fn cert_statuses_serialise_as_their_names() {
        for s in [
            CertStatus::Valid,
            CertStatus::NotACa,
            CertStatus::SignatureNotChecked,
            CertStatus::IssuerMissing,
        ] {
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{s}\""));
        }
    }
}
