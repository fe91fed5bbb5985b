//! Finding a SignerInfo's certificate (RFC 5652 §5.3 SignerIdentifier) and its public key.

use crate::crypto::signature::PublicKey;
use crate::keyring::Keyring;
use crate::x509::certificate::Cert;
use crate::x509::chain;
use crate::x509::dn;
use cms::signed_data::SignerIdentifier;

/// How the SignerInfo identifies its signer, and a readable form of it.
pub(super) fn describe_sid(sid: &SignerIdentifier) -> (&'static str, String) {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => (
            "issuer-and-serial",
            format!(
                "issuer {} serial {}",
                dn::rfc4514(&isn.issuer),
                crate::x509::certificate::serial_hex(isn.serial_number.as_bytes())
            ),
        ),
        SignerIdentifier::SubjectKeyIdentifier(ski) => (
            "subject-key-identifier",
            format!("subjectKeyIdentifier {}", hex::encode(ski.0.as_bytes())),
        ),
    }
}

pub(super) fn matches_sid(cert: &Cert, sid: &SignerIdentifier) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            dn::same_name(cert.issuer(), &isn.issuer)
                && crate::x509::certificate::serial_hex(isn.serial_number.as_bytes())
                    == cert.serial_hex()
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            let want = ski.0.as_bytes();
            cert.subject_key_id().as_deref() == Some(want) || cert.computed_key_id() == want
        }
    }
}

/// Finds the signer certificate: the message's certificates first, then the keyring's
/// extra certificates, then its anchors.
pub fn find_signer<'a>(
    sid: &SignerIdentifier,
    message_certs: &'a [Cert],
    keyring: &'a Keyring,
) -> Option<&'a Cert> {
    message_certs
        .iter()
        .chain(keyring.certs.iter())
        .chain(keyring.anchors.iter())
        .find(|c| matches_sid(c, sid))
}

/// The signer's public key; a DSA key that inherits its parameters (RFC 3279 §2.3.2) takes
/// them from its issuer, found by name among the message's and the keyring's certificates.
pub(super) fn signer_key(
    cert: &Cert,
    message_certs: &[Cert],
    keyring: &Keyring,
) -> Result<PublicKey, String> {
    let key = cert.public_key()?;
    if !matches!(&key, PublicKey::Dsa(k) if k.params.is_none()) {
        return Ok(key);
    }
    let mut path = vec![cert];
    while path.len() < 8 {
        let last = path[path.len() - 1];
        if dn::same_name(last.subject(), last.issuer()) {
            break;
        }
        let Some(up) = message_certs
            .iter()
            .chain(keyring.certs.iter())
            .chain(keyring.anchors.iter())
            .find(|c| dn::same_name(c.subject(), last.issuer()) && !path.contains(c))
        else {
            break;
        };
        path.push(up);
        if matches!(up.public_key(), Ok(PublicKey::Dsa(ref k)) if k.params.is_some()) {
            break;
        }
    }
    chain::key_with_inherited_params(&path, 0)
}
