//! The MIME and text around CMS structures: the payload entity, multipart/signed,
//! application/pkcs7-mime and PEM, all with CRLF line ends where MIME asks for them.

use crate::compose::encrypt::random;
use base64::Engine;
use rand_core::CryptoRng;

/// The payload as a MIME entity in canonical form: kept as is when it already starts with
/// headers, else wrapped as text/plain (UTF-8 text) or base64 application/octet-stream.
pub fn entity(payload: &[u8]) -> Vec<u8> {
    if crate::wire::mime::looks_like_mime(payload) {
        return crate::wire::mime::canonicalise(payload).into_owned();
    }
    if std::str::from_utf8(payload).is_ok() {
        let mut v = b"Content-Type: text/plain; charset=utf-8\r\n\r\n".to_vec();
        v.extend_from_slice(&crate::wire::mime::canonicalise(payload));
        return v;
    }
    let mut v =
        b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            .to_vec();
    v.extend_from_slice(&base64_lines(payload));
    v
}

/// Base64 in lines of 64 characters, each ended by CRLF.
pub(crate) fn base64_lines(data: &[u8]) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(data);
    let mut out = Vec::with_capacity(b64.len() + b64.len() / 32);
    for chunk in b64.as_bytes().chunks(64) {
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn boundary(rng: &mut dyn CryptoRng) -> String {
    format!("----=_sealscope_{}", hex::encode(random(rng, 12)))
}

fn header_block(extra: &[(String, String)], content_type: &str, more: &[&str]) -> Vec<u8> {
    let mut h = String::new();
    for (n, v) in extra {
        h.push_str(&format!("{n}: {v}\r\n"));
    }
    h.push_str("MIME-Version: 1.0\r\n");
    h.push_str(&format!("Content-Type: {content_type}\r\n"));
    for m in more {
        h.push_str(m);
        h.push_str("\r\n");
    }
    h.push_str("\r\n");
    h.into_bytes()
}

/// An application/pkcs7-mime entity of `smime_type` carrying `der`.
pub(crate) fn pkcs7_mime(extra: &[(String, String)], smime_type: &str, der: &[u8]) -> Vec<u8> {
    let mut v = header_block(
        extra,
        &format!("application/pkcs7-mime; smime-type={smime_type}; name=\"smime.p7m\""),
        &[
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment; filename=\"smime.p7m\"",
        ],
    );
    v.extend_from_slice(&base64_lines(der));
    v
}

/// A multipart/signed message: `inner` as the first part, the detached SignedData `sd` as
/// the second (RFC 8551 §3.5.3).
pub(crate) fn multipart_signed(
    extra: &[(String, String)],
    micalg: &str,
    inner: &[u8],
    sd: &[u8],
    rng: &mut dyn CryptoRng,
) -> Vec<u8> {
    let b = boundary(rng);
    let mut msg = header_block(
        extra,
        &format!(
            "multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=\"{micalg}\"; boundary=\"{b}\""
        ),
        &[],
    );
    msg.extend_from_slice(b"This is an S/MIME signed message\r\n\r\n");
    msg.extend_from_slice(format!("--{b}\r\n").as_bytes());
    msg.extend_from_slice(inner);
    msg.extend_from_slice(format!("\r\n--{b}\r\n").as_bytes());
    msg.extend_from_slice(
        b"Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"smime.p7s\"\r\n\r\n",
    );
    msg.extend_from_slice(&base64_lines(sd));
    msg.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    msg
}

/// A CMS structure as PEM (`-----BEGIN CMS-----`, LF line ends as OpenSSL writes them).
pub(crate) fn pem(der: &[u8]) -> Vec<u8> {
    let mut v = b"-----BEGIN CMS-----\n".to_vec();
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    for chunk in b64.as_bytes().chunks(64) {
        v.extend_from_slice(chunk);
        v.push(b'\n');
    }
    v.extend_from_slice(b"-----END CMS-----\n");
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_wraps_what_is_not_mime() {
        assert_eq!(
            entity(b"hi\n"),
            b"Content-Type: text/plain; charset=utf-8\r\n\r\nhi\r\n"
        );
        let bin = entity(&[0xff, 0x00]);
        assert!(bin.starts_with(b"Content-Type: application/octet-stream\r\n"));
        assert!(bin.ends_with(b"/wA=\r\n"));
        let m = b"Content-Type: text/plain\n\nbody\n";
        assert_eq!(entity(m), b"Content-Type: text/plain\r\n\r\nbody\r\n");
    }

    #[test]
    fn lines_are_64_characters() {
        let b = base64_lines(&[0u8; 96]);
        assert_eq!(b.len(), 128 + 2 * 2);
        assert_eq!(&b[64..66], b"\r\n");
        assert!(base64_lines(&[]).is_empty());
        let p = pem(&[0u8; 48]);
        assert!(p.starts_with(b"-----BEGIN CMS-----\n"));
        assert!(p.ends_with(b"\n-----END CMS-----\n"));
        assert!(!p.contains(&b'\r'));
    }

    #[test]
    fn headers_come_first_and_end_with_a_blank_line() {
        let h = header_block(&[("To".into(), "a@b".into())], "text/plain", &["X: y"]);
        assert_eq!(
            h,
            b"To: a@b\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\nX: y\r\n\r\n"
        );
    }
}
