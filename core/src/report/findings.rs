//! Stable finding codes (DESIGN.md) and the constructors that attach their references.
//!
//! Users grep for these codes; never rename one.

use crate::report::{Finding, Severity};

/// The messageDigest attribute (or the signature over content) does not match the content.
pub const CONTENT_DIGEST_MISMATCH: &str = "content-digest-mismatch";
/// The signature value does not verify with the signer's key.
pub const SIGNATURE_VALUE_INVALID: &str = "signature-value-invalid";
/// The signer certificate is neither in the message nor in the keyring.
pub const SIGNER_CERT_NOT_FOUND: &str = "signer-cert-not-found";
/// An algorithm is not supported.
pub const UNSUPPORTED_ALGORITHM: &str = "unsupported-algorithm";
/// The chain does not reach a trust anchor (or none was given).
pub const CHAIN_UNTRUSTED: &str = "chain-untrusted";
/// A certificate in the chain has expired.
pub const CERT_EXPIRED: &str = "cert-expired";
/// A certificate in the chain is not yet valid.
pub const CERT_NOT_YET_VALID: &str = "cert-not-yet-valid";
/// A certificate in the chain is revoked.
pub const CERT_REVOKED: &str = "cert-revoked";
/// An issuer certificate is missing.
pub const CHAIN_INCOMPLETE: &str = "chain-incomplete";
/// A certificate's signature does not verify with its issuer's key.
pub const CERT_SIGNATURE_INVALID: &str = "cert-signature-invalid";
/// A CA certificate in the path lacks basicConstraints cA or keyCertSign, or its
/// pathLenConstraint is exceeded.
pub const CA_CONSTRAINT_VIOLATED: &str = "ca-constraint-violated";
/// CRLs from a certificate's issuer were given but none can be relied on.
pub const CERT_REVOCATION_UNKNOWN: &str = "cert-revocation-unknown";
/// A certificate in the path carries a critical extension sealscope does not process.
pub const CERT_CRITICAL_EXTENSION: &str = "cert-critical-extension-unhandled";
/// The message carries no signature.
pub const NOT_SIGNED: &str = "not-signed";
/// A signed message is not multipart/signed.
pub const NOT_MULTIPART_SIGNED: &str = "not-multipart-signed";
/// An application/pkcs7-mime entity lacks the smime-type parameter.
pub const SMIME_TYPE_MISSING: &str = "smime-type-missing";
/// multipart/signed lacks the micalg parameter.
pub const MICALG_MISSING: &str = "micalg-missing";
/// micalg is not an allowed value.
pub const MICALG_NOT_ALLOWED: &str = "micalg-not-allowed";
/// micalg does not match the SignerInfo digest algorithm.
pub const MICALG_MISMATCH: &str = "micalg-mismatch";
/// A cipher is not allowed by the profile.
pub const CIPHER_NOT_ALLOWED: &str = "cipher-not-allowed";
/// Encryption was applied before signing where the profile requires the reverse.
pub const ENCRYPT_BEFORE_SIGN: &str = "encrypt-before-sign";
/// multipart/signed verifies only over the bytes as sent, not their CRLF canonical form.
pub const NON_CANONICAL_SIGNED_CONTENT: &str = "non-canonical-signed-content";
/// SHA-1 was used for a signature.
pub const WEAK_DIGEST: &str = "weak-digest";
/// A digest whose collisions are practical (MD5): the signature verifies, but proves little.
pub const BROKEN_DIGEST: &str = "broken-digest";
/// A multipart/signed whose SignedData also encapsulates content that differs from the
/// first body part (signature wrapping: what a mail client shows is not what was signed).
pub const ENCAPSULATED_CONTENT_DIFFERS: &str = "encapsulated-content-differs";
/// A PEM block whose label is not CMS/PKCS7 (gpgsm's SIGNED MESSAGE), or text around it.
pub const PEM_LABEL_NONSTANDARD: &str = "pem-label-nonstandard";
/// A SignerInfo's attributes break RFC 5652 §11's placement or multiplicity rules (no
/// content-type among signed attributes, duplicates, signing-time unsigned).
pub const SIGNED_ATTRIBUTES_INVALID: &str = "signed-attributes-invalid";
/// A certificate's subject or alternative name is outside the name constraints of a CA
/// above it on the path (RFC 5280 §4.2.1.10).
pub const NAME_CONSTRAINT_VIOLATED: &str = "name-constraint-violated";
/// A certificate breaks a rule of the RFC 5280 §4 certificate profile: always for rules that
/// make it unusable (an extension twice, an extension that cannot be decoded), the rest
/// (key identifiers, criticality, serial numbers, name syntax) with strict checking.
pub const CERTIFICATE_PROFILE_VIOLATED: &str = "certificate-profile-violated";
/// No certificate policy is valid for the path while a CA requires an explicit one, or a CA
/// maps to or from anyPolicy (RFC 5280 §6.1.3 (f), §6.1.4 (a), §6.1.5).
pub const POLICY_CONSTRAINT_VIOLATED: &str = "policy-constraint-violated";
/// A certificate's subject is outside the namespace its CA may sign, by the CA's IGTF
/// `<hash>.namespaces` or `<hash>.signing_policy` file in the trust directory.
pub const NAMESPACE_VIOLATED: &str = "namespace-violated";
/// An AuthenticatedData's MAC verifies with a key recovered for one of its recipients.
pub const MAC_VERIFIED: &str = "mac-verified";
/// An AuthenticatedData's MAC does not verify with the key its recipient delivered, or its
/// messageDigest attribute does not match the content: the message was altered.
pub const MAC_INVALID: &str = "mac-invalid";
/// An AuthenticatedData's MAC could not be checked (no key for any recipient, or the MAC
/// algorithm is not supported).
pub const MAC_NOT_CHECKED: &str = "mac-not-checked";
/// A DigestedData's digest matches its content.
pub const DIGEST_VERIFIED: &str = "digest-verified";
/// A signature's signingTime is more than an hour from the Date header of its message.
pub const SIGNING_TIME_DIFFERS_FROM_DATE: &str = "signing-time-differs-from-date";
/// Bytes after the outermost structure were ignored.
pub const TRAILING_DATA: &str = "trailing-data";
/// A SignerInfo's digest algorithm is missing from SignedData.digestAlgorithms.
pub const DIGEST_ALGORITHM_NOT_LISTED: &str = "digest-algorithm-not-listed";
/// micalg uses a historical label ("sha1", "md5") instead of the registered name.
pub const MICALG_LEGACY_NAME: &str = "micalg-legacy-name";
/// Parts of the message are outside every signature although other parts are signed.
pub const UNSIGNED_CONTENT_BESIDE_SIGNED: &str = "unsigned-content-beside-signed";
/// The signer certificate's key usage does not allow signing mail.
pub const SIGNER_KEY_USAGE: &str = "signer-key-usage";
/// The contentType attribute does not match eContentType.
pub const CONTENT_TYPE_MISMATCH: &str = "content-type-mismatch";
/// A signed message has detached content but none was supplied.
pub const DETACHED_CONTENT_MISSING: &str = "detached-content-missing";
/// A STOMP frame's content-length disagrees with its body.
pub const STOMP_CONTENT_LENGTH_MISMATCH: &str = "stomp-content-length-mismatch";
/// A STOMP frame is damaged but was read anyway (missing NUL, undefined escape).
pub const STOMP_FRAME_MALFORMED: &str = "stomp-frame-malformed";
/// A STOMP SEND, MESSAGE or SUBSCRIBE frame has no destination header.
pub const STOMP_DESTINATION_MISSING: &str = "stomp-destination-missing";
/// An HTTP message is damaged but was read anyway (truncated body, bare LF, bad chunking,
/// missing length).
pub const HTTP_MESSAGE_MALFORMED: &str = "http-message-malformed";
/// An SCMS request's time is outside the RA's tolerance.
pub const TIME_OUTSIDE_TOLERANCE: &str = "time-outside-tolerance";
/// The signer certificate is on a supplied blacklist.
pub const CERT_BLACKLISTED: &str = "cert-blacklisted";
/// IEEE 1609.2: the signed data's PSID is not among the signer certificate's
/// appPermissions.
pub const PSID_NOT_PERMITTED: &str = "psid-not-permitted";
/// IEEE 1609.2: the signed data's generation time is outside the signer certificate's
/// validity period.
pub const GENERATION_OUTSIDE_VALIDITY: &str = "generation-outside-validity";
/// IEEE 1609.2: a certificate's validity period is not within its issuer's (§5.1.2.4), so
/// the chain is not valid.
pub const CERT_VALIDITY_OUTSIDE_ISSUER: &str = "cert-validity-outside-issuer";
/// IEEE 1609.2: a certificate's region is not within its issuer's (§5.1.2.4).
pub const CERT_REGION_OUTSIDE_ISSUER: &str = "cert-region-outside-issuer";
/// IEEE 1609.2: a certificate's permissions (appPermissions, certRequestPermissions,
/// certIssuePermissions) are not within its issuer's certIssuePermissions (§5.1.2.4).
pub const CERT_PERMISSIONS_OUTSIDE_ISSUER: &str = "cert-permissions-outside-issuer";
/// IEEE 1609.2: the signed data's generation location is outside the signer certificate's
/// region (§5.2.4.2.3).
pub const GENERATION_LOCATION_OUTSIDE_REGION: &str = "generation-location-outside-region";
/// Encrypted content was not opened (no matching key was supplied).
pub const NOT_DECRYPTED: &str = "not-decrypted";
/// A key matched a recipient but the content did not decrypt: altered ciphertext or tag.
pub const DECRYPTION_FAILED: &str = "decryption-failed";
/// A weak content cipher (DES-EDE3-CBC) was used.
pub const WEAK_CIPHER: &str = "weak-cipher";
/// A layer kind is recognised but not opened by this version.
pub const LAYER_NOT_OPENED: &str = "layer-not-opened";
/// The MIME structure is damaged but was read anyway.
pub const MIME_MALFORMED: &str = "mime-malformed";

/// Builds a finding.
pub fn finding(
    severity: Severity,
    code: &str,
    message: impl Into<String>,
    reference: &str,
    layer: Option<usize>,
) -> Finding {
    Finding {
        severity,
        code: code.to_string(),
        message: message.into(),
        reference: reference.to_string(),
        layer,
    }
}
