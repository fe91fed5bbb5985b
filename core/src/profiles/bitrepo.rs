//! Bit Repository message signing (seed 001).
//!
//! Every message is signed (`bitrepo-signature-missing`). The signature is CMS over the
//! message XML read as UTF-8 bytes (`bitrepo-not-utf8`), sent base64-encoded in the message
//! header `org.bitrepository.messages.signature`, so it is detached
//! (`bitrepo-signature-not-detached`, warning); its hash is SHA-512 (`digest-not-sha512`);
//! the signer's certificate is left out to save space and found in the receiver's trust by
//! the SignerIdentifier (`signer-cert-included`, warning, when it is present).

use super::{cite, Input};
use crate::report::LayerKind;
use crate::report::{Finding, Layer, Severity};

const REF: &str = "Bit Repository, message signing";

/// The message header that carries the signature.
pub const SIGNATURE_HEADER: &str = "org.bitrepository.messages.signature";
/// The namespace of Bit Repository messages.
pub const NAMESPACE: &str = "http://bitrepository.org/BitRepositoryMessages.xsd";

/// Finding codes of this profile.
pub mod codes {
    /// The signature does not use SHA-512.
    pub const DIGEST_NOT_SHA512: &str = "digest-not-sha512";
    /// The SignedData carries the signer's certificate, which the scheme leaves out.
    pub const SIGNER_CERT_INCLUDED: &str = "signer-cert-included";
    /// The message has no signature header.
    pub const SIGNATURE_MISSING: &str = "bitrepo-signature-missing";
    /// The signature encapsulates content instead of signing the message bytes detached.
    pub const SIGNATURE_NOT_DETACHED: &str = "bitrepo-signature-not-detached";
    /// The message bytes are not UTF-8.
    pub const NOT_UTF8: &str = "bitrepo-not-utf8";
}

/// Whether the layers hold a Bit Repository message.
pub fn detect(layers: &[Layer]) -> bool {
    layers.iter().any(|l| l.kind == LayerKind::BitrepoMessage)
}

/// Applies the rules; returns the details and findings.
pub fn evaluate(input: &Input<'_>) -> (Vec<(String, String)>, Vec<Finding>) {
    let mut details = Vec::new();
    let mut out = Vec::new();
    let messages = input.layers_of(LayerKind::BitrepoMessage);
    if messages.is_empty() {
        // Forced on something that is not a Bit Repository carrier: only the signature
        // rules apply, to whatever signature there is.
        if input.signatures.is_empty() {
            out.push(cite(
                Severity::Error,
                codes::SIGNATURE_MISSING,
                "the message is not signed; every Bit Repository message must be".into(),
                REF,
                "Signing messages: all messages in the system must be signed",
                None,
            ));
        }
    }
    for &m in &messages {
        let layer = &input.layers[m];
        for (k, v) in &layer.headers {
            if k == "root_element" || k == "CorrelationID" || k == "collection" {
                details.push((k.clone(), v.clone()));
            }
        }
        if layer.headers.get("utf8") == Some("no") {
            out.push(cite(
                Severity::Error,
                codes::NOT_UTF8,
                "the message XML is not valid UTF-8; the signature is computed over its UTF-8 bytes".into(),
                REF,
                "the message xml interpreted as a utf-8-encoded byte stream",
                Some(m),
            ));
        }
        let signed: Vec<usize> = input
            .layers
            .iter()
            .enumerate()
            .filter(|(_, l)| l.kind == LayerKind::CmsSignedData && l.parent == Some(m))
            .map(|(i, _)| i)
            .collect();
        if signed.is_empty() {
            out.push(cite(
                Severity::Error,
                codes::SIGNATURE_MISSING,
                format!(
                    "the message has no {SIGNATURE_HEADER} header; every Bit Repository message must be signed"
                ),
                REF,
                "Signing messages: all messages in the system must be signed",
                Some(m),
            ));
        }
        for &s in &signed {
            if input.layers[s]
                .headers
                .get("eContent")
                .is_some_and(|v| !v.starts_with("absent"))
            {
                out.push(cite(
                    Severity::Warning,
                    codes::SIGNATURE_NOT_DETACHED,
                    "the signature encapsulates its own copy of the content; the scheme signs the message XML as sent, detached".into(),
                    REF,
                    "Signature generation and verification",
                    Some(s),
                ));
            }
        }
    }
    for sig in input.signatures {
        if !messages.is_empty()
            && !messages
                .iter()
                .any(|&m| input.layers.get(sig.layer).and_then(|l| l.parent) == Some(m))
        {
            continue;
        }
        if sig.digest_algorithm != "sha512" {
            out.push(cite(
                Severity::Error,
                codes::DIGEST_NOT_SHA512,
                format!(
                    "SignerInfo #{} uses {}; Bit Repository signatures use SHA-512",
                    sig.signer_info, sig.digest_algorithm
                ),
                REF,
                "The hash algorithm for the generation of the message hash is SHA512",
                Some(sig.layer),
            ));
        }
        if sig.signer_source.as_deref() == Some("message") {
            out.push(cite(
                Severity::Warning,
                codes::SIGNER_CERT_INCLUDED,
                format!(
                    "SignerInfo #{}'s signature carries the signer's certificate; the scheme excludes it to keep messages small",
                    sig.signer_info
                ),
                REF,
                "The signing certificate is excluded from the signature to reduce the size",
                Some(sig.layer),
            ));
        }
        if let Some(s) = &sig.signer {
            details.push(("signer".into(), s.subject.clone()));
        }
        if sig.reason_code.as_deref() == Some(crate::report::findings::SIGNER_CERT_NOT_FOUND) {
            out.push(cite(
                Severity::Error,
                crate::report::findings::SIGNER_CERT_NOT_FOUND,
                format!(
                    "SignerInfo #{}'s certificate is not in the keyring; the receiver obtains it from its trust by the identifier in the signature (add it with --cert)",
                    sig.signer_info
                ),
                REF,
                "Signature generation and verification: the signing certificate is obtained from the component's trust",
                Some(sig.layer),
            ));
        }
    }
    (details, out)
}

/// The root element's name and the CorrelationID / CollectionID of a message, for the layer.
pub fn describe_xml(xml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let root = xml
        .split('<')
        .skip(1)
        .find(|t| !t.starts_with('?') && !t.starts_with('!'))
        .map(|t| {
            t.chars()
                .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
                .collect::<String>()
        });
    if let Some(r) = root.filter(|r| !r.is_empty()) {
        out.push(("root_element".to_string(), r));
    }
    for (tag, name) in [
        ("CorrelationID", "CorrelationID"),
        ("CollectionID", "collection"),
    ] {
        let open = format!("<{tag}>");
        if let Some(start) = xml.find(&open) {
            let rest = &xml[start + open.len()..];
            if let Some(end) = rest.find('<') {
                out.push((name.to_string(), rest[..end].trim().to_string()));
            }
        }
    }
    out
}

/// Whether a body names the Bit Repository message namespace near its start.
pub fn mentions_namespace(body: &[u8]) -> bool {
    let head = &body[..body.len().min(4096)];
    let ns = NAMESPACE.as_bytes();
    head.windows(ns.len()).any(|w| w == ns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::findings::SIGNER_CERT_NOT_FOUND;
    use crate::{Keyring, Options, UnixTime};

    macro_rules! br {
        ($p:literal) => {
            include_bytes!(concat!("../../../tests/fixtures/profiles/bitrepo/", $p)).as_slice()
        };
    }

    /// The bitrepo profile's finding codes and details (the profile forced).
    fn run(
        bytes: &[u8],
        certs: bool,
        content: Option<&[u8]>,
    ) -> (Vec<String>, Vec<(String, String)>) {
        let mut k = Keyring::new();
        if certs {
            k.add_certs(
                include_bytes!("../../../tests/fixtures/pki/signer-rsa.pem"),
                "s",
            )
            .unwrap();
            k.add_certs(include_bytes!("../../../tests/fixtures/pki/chain.pem"), "c")
                .unwrap();
        }
        let mut o = Options::new("t", UnixTime::parse("2027-01-01T00:00:00Z").unwrap());
        o.profile = Some(super::super::Profile::Bitrepo);
        o.detached_content = content.map(<[u8]>::to_vec);
        let r = crate::inspect(bytes, &k, &o);
        let p = r
            .profiles
            .into_iter()
            .find(|p| p.name == "bitrepo")
            .unwrap();
        (p.findings.into_iter().map(|f| f.code).collect(), p.details)
    }

    #[test]
    fn each_rule_on_its_fixture() {
        let cases: [(&[u8], bool, &[&str]); 6] = [
            (br!("message.stomp"), true, &[]),
            (br!("sha256.stomp"), true, &[codes::DIGEST_NOT_SHA512]),
            (
                br!("cert-included.stomp"),
                true,
                &[codes::SIGNER_CERT_INCLUDED],
            ),
            (
                br!("not-detached.stomp"),
                true,
                &[codes::SIGNATURE_NOT_DETACHED],
            ),
            (br!("unsigned.stomp"), true, &[codes::SIGNATURE_MISSING]),
            (br!("signer-unknown.stomp"), false, &[SIGNER_CERT_NOT_FOUND]),
        ];
        for (bytes, certs, want) in cases {
            assert_eq!(run(bytes, certs, None).0, want);
        }
        let (_, details) = run(br!("message.stomp"), true, None);
        let names: Vec<&str> = details.iter().map(|d| d.0.as_str()).collect();
        assert_eq!(
            names,
            ["root_element", "CorrelationID", "collection", "signer"]
        );
        assert_eq!(details[0].1, "IdentifyPillarsForGetFileRequest");
        // Forced on a bare detached signature (no carrier): the signature rules still apply.
        let (found, _) = run(br!("message.sig"), true, Some(br!("message.xml")));
        assert!(found.is_empty(), "{found:?}");
        let unsigned = include_bytes!("../../../tests/fixtures/profiles/emi/not-signed.eml");
        assert_eq!(run(unsigned, false, None).0, [codes::SIGNATURE_MISSING]);
    }

    #[test]
    fn message_bytes_must_be_utf8() {
        let mut frame =
            format!("MESSAGE\ndestination:/q\n\n<R xmlns=\"{NAMESPACE}\">").into_bytes();
        frame.extend(b"\xff</R>\0"); // a Latin-1 byte
        assert_eq!(
            run(&frame, false, None).0,
            [codes::NOT_UTF8, codes::SIGNATURE_MISSING]
        );
    }

    #[test]
    fn xml_description_and_namespace_sniffing() {
        let xml = "<?xml version=\"1.0\"?>\n<!-- c -->\n<ns:GetFileRequest xmlns:ns=\"x\">\
                   <CorrelationID> c-1 </CorrelationID><CollectionID>books</CollectionID>";
        let got: Vec<String> = describe_xml(xml)
            .iter()
            .map(|(a, b)| format!("{a}={b}"))
            .collect();
        assert_eq!(
            got,
            [
                "root_element=ns:GetFileRequest",
                "CorrelationID=c-1",
                "collection=books"
            ]
        );
        assert_eq!(
            describe_xml("<Ping/>"),
            [("root_element".into(), "Ping".into())]
        );
        assert!(mentions_namespace(NAMESPACE.as_bytes()));
        // Only the first 4096 bytes are looked at.
        let late = [vec![b' '; 4096], NAMESPACE.as_bytes().to_vec()].concat();
        assert!(!mentions_namespace(&late));
    }
}
