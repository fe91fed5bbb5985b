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

#[cfg(test)]
mod tests {
    use super::*;
    use cms::cert::IssuerAndSerialNumber;
    use der::asn1::OctetString;
    use x509_cert::ext::pkix::SubjectKeyIdentifier;

    fn cert(pem: &[u8], source: &str) -> Cert {
        crate::x509::certificate::load_certificates(pem, source)
            .unwrap()
            .remove(0)
    }

    fn signer() -> Cert {
        cert(
            include_bytes!("../../../../tests/fixtures/pki/signer-rsa.pem"),
            "message",
        )
    }

    fn inter() -> Cert {
        cert(
            include_bytes!("../../../../tests/fixtures/pki/inter-ca.pem"),
            "message",
        )
    }

    fn isn(issuer: &Cert, serial: &Cert) -> SignerIdentifier {
        SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: issuer.issuer().clone(),
            serial_number: serial.cert.tbs_certificate().serial_number().clone(),
        })
    }

    fn ski(hex_id: &str) -> SignerIdentifier {
        let id = OctetString::new(hex::decode(hex_id).unwrap()).unwrap();
        SignerIdentifier::SubjectKeyIdentifier(SubjectKeyIdentifier(id))
    }

    #[test]
    fn issuer_and_serial_needs_both_to_match() {
        let (s, i) = (signer(), inter());
        let certs = [i.clone(), s.clone()];
        let ring = Keyring::new();
        assert_eq!(find_signer(&isn(&s, &s), &certs, &ring), Some(&certs[1]));
        // The signer's issuer with the intermediate's serial, and the reverse: no match.
        assert_eq!(find_signer(&isn(&s, &i), &certs, &ring), None);
        assert_eq!(find_signer(&isn(&i, &s), &certs, &ring), None);
        assert_eq!(
            describe_sid(&isn(&s, &s)),
            (
                "issuer-and-serial",
                "issuer CN=Sealscope Test Intermediate CA,O=Sealscope Test,C=GB serial 1001".into()
            )
        );
    }

    #[test]
    fn subject_key_identifier_and_search_order() {
        let id = "434d09cc7855fedafe71425709ee7aae35dfbb02";
        let mut ring = Keyring::new();
        ring.certs.push(cert(
            include_bytes!("../../../../tests/fixtures/pki/signer-rsa.pem"),
            "keyring",
        ));
        let found = find_signer(&ski(id), &[], &ring).unwrap();
        assert_eq!(found.source, "keyring");
        // The message's own certificates are searched before the keyring's.
        let certs = [signer()];
        assert_eq!(
            find_signer(&ski(id), &certs, &ring).unwrap().source,
            "message"
        );
        assert_eq!(
            find_signer(&ski(&id.replace("02", "03")), &certs, &ring),
            None
        );
        assert_eq!(
            describe_sid(&ski(id)),
            (
                "subject-key-identifier",
                format!("subjectKeyIdentifier {id}")
            )
        );
    }

    /// The certificate with its DSA domain parameters left out of the SPKI (RFC 3279 §2.3.2).
    fn without_dsa_params(c: &Cert) -> Cert {
        use crate::cms::asn1::{children, read_whole};
        use crate::compose::der_writer as w;
        let der = &c.der;
        let top = children(der, &read_whole(der).unwrap()).unwrap();
        let tbs = children(der, &top[0]).unwrap();
        let mut fields: Vec<Vec<u8>> = tbs.iter().map(|t| t.raw(der).to_vec()).collect();
        let spki = children(der, &tbs[6]).unwrap();
        let alg = w::seq(&[&w::oid(crate::crypto::oids::ID_DSA)]);
        fields[6] = w::seq(&[&alg, spki[1].raw(der)]);
        let refs: Vec<&[u8]> = fields.iter().map(Vec::as_slice).collect();
        let out = w::seq(&[&w::seq(&refs), top[1].raw(der), top[2].raw(der)]);
        Cert::from_der(&out, "message").unwrap()
    }

    #[test]
    fn dsa_key_inherits_parameters_from_its_issuer() {
        let dsa = cert(
            include_bytes!("../../../../tests/fixtures/verdicts/dsa-signer.pem"),
            "m",
        );
        let ca = cert(
            include_bytes!("../../../../tests/fixtures/verdicts/dsa-ca.pem"),
            "m",
        );
        let ring = Keyring::new();
        let bare = without_dsa_params(&dsa);
        assert!(matches!(bare.public_key(), Ok(PublicKey::Dsa(k)) if k.params.is_none()));
        let e = signer_key(&bare, &[], &ring).unwrap_err();
        assert_eq!(e, "the DSA key of CN=Dora DSA,O=Sealscope Test,C=GB inherits its parameters, and no certificate above it in the path carries DSA parameters");
        let with_ca = signer_key(&bare, &[ca], &ring).unwrap();
        assert_eq!(
            format!("{with_ca:?}"),
            format!("{:?}", dsa.public_key().unwrap())
        );
        assert!(matches!(
            signer_key(&signer(), &[], &ring),
            Ok(PublicKey::Rsa(_))
        ));
    }
}
