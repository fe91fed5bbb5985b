//! PEM armour (RFC 7468) and bare base64 text.

use super::headers::Headers;
use crate::error::Error;
use base64::Engine;

/// Decodes base64 text, ignoring whitespace (RFC 2045 line breaks, stray CR).
pub fn decode_base64(text: &[u8]) -> Result<Vec<u8>, Error> {
    let cleaned: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(&cleaned)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&cleaned))
        .map_err(|e| Error::Encoding(format!("invalid base64: {e}")))
}

/// Whether `bytes` look like base64 text and nothing else.
pub fn looks_like_base64(bytes: &[u8]) -> bool {
    let mut n = 0usize;
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=' {
            n += 1;
        } else if !b.is_ascii_whitespace() {
            return false;
        }
    }
    n >= 4
}

/// Every `-----BEGIN X-----` … `-----END X-----` block in `text`, as (label, decoded bytes),
/// in order. Text outside blocks (OpenSSL's "Bag Attributes", comments) is ignored.
pub fn blocks(text: &[u8]) -> Result<Vec<(String, Vec<u8>)>, Error> {
    Ok(blocks_with_headers(text)?
        .into_iter()
        .map(|b| (b.label, b.der))
        .collect())
}

/// One PEM block with its RFC 1421 headers.
#[derive(Debug)]
pub struct Block {
    /// The label: `RSA PRIVATE KEY`, `CERTIFICATE`, …
    pub label: String,
    /// Headers before the blank line (`Proc-Type`, `DEK-Info`), names as written.
    pub headers: Headers,
    /// The decoded body.
    pub der: Vec<u8>,
}

impl Block {
    /// A header's value (case-insensitive name), trimmed.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }
}

/// Like [`blocks`], keeping each block's RFC 1421 headers (OpenSSL's legacy key encryption
/// writes `Proc-Type: 4,ENCRYPTED` and `DEK-Info: CIPHER,IV` there).
pub fn blocks_with_headers(text: &[u8]) -> Result<Vec<Block>, Error> {
    let text = String::from_utf8_lossy(text);
    let mut out = Vec::new();
    let mut rest: &str = &text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let label_end = after
            .find("-----")
            .ok_or_else(|| Error::Encoding("PEM BEGIN line is not closed by -----".into()))?;
        let label = after[..label_end].to_string();
        let body_start = &after[label_end + 5..];
        let end_marker = format!("-----END {label}-----");
        let body_len = body_start.find(&end_marker).ok_or_else(|| {
            Error::Encoding(format!("PEM block {label} has no matching END line"))
        })?;
        let body = &body_start[..body_len];
        // RFC 1421 headers (Proc-Type, DEK-Info) come before a blank line.
        let mut headers = Vec::new();
        let body = match body.find("\n\n").or_else(|| body.find("\r\n\r\n")) {
            Some(i) if body[..i].contains(':') => {
                for line in body[..i].lines() {
                    if let Some((n, v)) = line.split_once(':') {
                        headers.push((n.trim().to_string(), v.trim().to_string()));
                    }
                }
                &body[i..]
            }
            _ => body,
        };
        let der = decode_base64(body.as_bytes())
            .map_err(|e| Error::Encoding(format!("PEM block {label}: {e}")))?;
        out.push(Block {
            label,
            headers: headers.into(),
            der,
        });
        rest = &body_start[body_len + end_marker.len()..];
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_order_and_text_outside_blocks_ignored() {
        // RFC 7468 §2: explanatory text before, between and after blocks is ignored.
        let text = b"Bag Attributes\n    localKeyID: 01 02\nsubject=/CN=x\n\
            -----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\ncomment\n\
            -----BEGIN X509 CRL-----\nBAU=\n-----END X509 CRL-----\ntrailer";
        let got = blocks(text).unwrap();
        assert_eq!(
            got,
            vec![
                ("CERTIFICATE".to_string(), vec![1, 2, 3]),
                ("X509 CRL".to_string(), vec![4, 5]),
            ]
        );
        assert_eq!(blocks(b"no armour here").unwrap(), vec![]);
    }

    #[test]
    fn whitespace_crlf_and_missing_padding_are_tolerated() {
        // RFC 7468 §3 (lax parsers): CRLF, blank lines and spaces inside the base64 text.
        let text = b"-----BEGIN CMS-----\r\nAQ ID\r\n\r\n\tBA\r\n-----END CMS-----\r\n";
        assert_eq!(
            blocks(text).unwrap(),
            vec![("CMS".into(), vec![1, 2, 3, 4])]
        );
        assert_eq!(decode_base64(b"AQIDBA").unwrap(), [1, 2, 3, 4]);
        assert_eq!(decode_base64(b"AQIDBA==").unwrap(), [1, 2, 3, 4]);
    }

    #[test]
    fn bad_base64_and_unmatched_lines_are_encoding_errors() {
        let bad = blocks(b"-----BEGIN CERTIFICATE-----\nAQ*D\n-----END CERTIFICATE-----");
        match bad {
            Err(Error::Encoding(m)) => {
                assert!(
                    m.starts_with("PEM block CERTIFICATE: invalid base64: "),
                    "{m}"
                )
            }
            other => panic!("expected an encoding error, got {other:?}"),
        }
        // RFC 7468 §2: the END label must match the BEGIN label.
        assert_eq!(
            blocks(b"-----BEGIN CERTIFICATE-----\nAQID\n-----END X509 CRL-----").unwrap_err(),
            Error::Encoding("PEM block CERTIFICATE has no matching END line".into())
        );
        assert_eq!(
            blocks(b"-----BEGIN CERTIFICATE\nAQID\n").unwrap_err(),
            Error::Encoding("PEM BEGIN line is not closed by -----".into())
        );
    }

    #[test]
    fn rfc1421_headers_before_the_blank_line() {
        let text = b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\
            DEK-Info: AES-128-CBC,00FF\n\nAQID\n-----END RSA PRIVATE KEY-----\n";
        let b = blocks_with_headers(text).unwrap();
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].label, "RSA PRIVATE KEY");
        assert_eq!(b[0].header("proc-type"), Some("4,ENCRYPTED"));
        assert_eq!(b[0].header("DEK-Info"), Some("AES-128-CBC,00FF"));
        assert_eq!(b[0].der, [1, 2, 3]);
    }

    #[test]
    fn looks_like_base64_needs_four_alphabet_characters() {
        assert!(looks_like_base64(b"AQID"));
        assert!(looks_like_base64(b" AQ\r\nID==\n"));
        assert!(!looks_like_base64(b"AQI"));
        assert!(!looks_like_base64(b"AQ-D"));
        assert!(!looks_like_base64(b""));
    }
}
