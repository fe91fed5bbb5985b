//! Why a content digest does not match: the forms a sender may have signed instead of the
//! content as received are rebuilt and hashed, and the one whose digest is the signed
//! messageDigest is named — computed, not guessed. The forms are the ones S/MIME senders and
//! transports are known to produce: LF or CRLF line ends, trailing whitespace stripped, the
//! final line end added or dropped, the MIME body without its header block, the body with
//! its transfer encoding decoded, each part of a multipart.

use crate::crypto::algorithms::Digest;

/// A rebuilt form of the content: what it is and its bytes.
struct Variant {
    what: &'static str,
    why: &'static str,
    bytes: Vec<u8>,
}

fn lf(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn crlf(b: &[u8]) -> Vec<u8> {
    let l = lf(b);
    let mut out = Vec::with_capacity(l.len() + l.len() / 32);
    for &c in &l {
        if c == b'\n' {
            out.push(b'\r');
        }
        out.push(c);
    }
    out
}

fn strip_trailing_ws(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut line = Vec::new();
    for &c in b {
        if c == b'\n' {
            let cr = line.last() == Some(&b'\r');
            if cr {
                line.pop();
            }
            while matches!(line.last(), Some(b' ' | b'\t')) {
                line.pop();
            }
            out.extend_from_slice(&line);
            if cr {
                out.push(b'\r');
            }
            out.push(b'\n');
            line.clear();
        } else {
            line.push(c);
        }
    }
    while matches!(line.last(), Some(b' ' | b'\t')) {
        line.pop();
    }
    out.extend_from_slice(&line);
    out
}

/// The header block and body of a MIME entity, when it starts with one.
fn split_entity(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let first = b.iter().position(|&c| c == b'\n')?;
    let line = &b[..first];
    // A header line has a name, then a colon.
    let colon = line.iter().position(|&c| c == b':')?;
    if colon == 0 || line[..colon].iter().any(|c| c.is_ascii_whitespace()) {
        return None;
    }
    for sep in [&b"\r\n\r\n"[..], &b"\n\n"[..]] {
        if let Some(p) = b.windows(sep.len()).position(|w| w == sep) {
            return Some((&b[..p + sep.len()], &b[p + sep.len()..]));
        }
    }
    None
}

/// A header's value (unfolded lines are enough for the headers this needs), as written.
fn header_value(headers: &[u8], name: &str) -> Option<String> {
    String::from_utf8_lossy(headers).lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_string())
    })
}

/// The parts of a multipart entity (each part's bytes between its boundaries).
fn parts(headers: &[u8], body: &[u8]) -> Vec<Vec<u8>> {
    let Some(ct) = header_value(headers, "content-type") else {
        return Vec::new();
    };
    if !ct.to_ascii_lowercase().starts_with("multipart/") {
        return Vec::new();
    }
    let Some(b) = ct.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
    }) else {
        return Vec::new();
    };
    let delim = format!("--{b}");
    let text = body;
    let mut out = Vec::new();
    let mut starts = Vec::new();
    let mut i = 0;
    while let Some(p) = text[i..]
        .windows(delim.len())
        .position(|w| w == delim.as_bytes())
    {
        starts.push(i + p);
        i += p + delim.len();
    }
    for w in starts.windows(2) {
        let from = w[0] + delim.len();
        let mut s = &text[from..w[1]];
        // The line end after the delimiter belongs to it, the one before the next to that.
        s = s
            .strip_prefix(b"\r\n")
            .or_else(|| s.strip_prefix(b"\n"))
            .unwrap_or(s);
        s = s
            .strip_suffix(b"\r\n")
            .or_else(|| s.strip_suffix(b"\n"))
            .unwrap_or(s);
        out.push(s.to_vec());
    }
    out
}

fn variants(content: &[u8]) -> Vec<Variant> {
    let mut v = vec![
        Variant {
            what: "the content with LF line ends",
            why: "the sender signed without S/MIME canonicalisation (e.g. openssl smime/cms -binary), or the line ends were converted to CRLF after signing",
            bytes: lf(content),
        },
        Variant {
            what: "the content with CRLF line ends",
            why: "the sender signed the canonical CRLF form and the line ends were converted to LF in transit",
            bytes: crlf(content),
        },
        Variant {
            what: "the content with trailing whitespace removed from each line",
            why: "whitespace at line ends was added after signing (a mail gateway or editor)",
            bytes: strip_trailing_ws(content),
        },
    ];
    let ends_crlf = content.ends_with(b"\r\n");
    v.push(Variant {
        what: if ends_crlf || content.ends_with(b"\n") {
            "the content without its final line end"
        } else {
            "the content with a final line end"
        },
        why: "a final line end was added or removed after signing",
        bytes: if ends_crlf {
            content[..content.len() - 2].to_vec()
        } else if content.ends_with(b"\n") {
            content[..content.len() - 1].to_vec()
        } else {
            [content, b"\r\n"].concat()
        },
    });
    if let Some((headers, body)) = split_entity(content) {
        v.push(Variant {
            what: "the body without its MIME header block",
            why: "the sender signed only the body, not the MIME entity with its headers (RFC 8551 signs the whole entity)",
            bytes: body.to_vec(),
        });
        v.push(Variant {
            what: "the body without its MIME header block, with LF line ends",
            why: "the sender signed only the body, without canonicalising it",
            bytes: lf(body),
        });
        let cte = header_value(headers, "content-transfer-encoding")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let decoded = match cte.as_str() {
            "base64" | "quoted-printable" => {
                Some(crate::wire::mime::transfer_decode(body, Some(&cte)))
            }
            _ => None,
        };
        if let Some(d) = decoded {
            v.push(Variant {
                what: "the body with its transfer encoding decoded",
                why: "the sender signed the decoded body rather than the encoded MIME entity",
                bytes: d.clone(),
            });
            v.push(Variant {
                what: "the body with its transfer encoding decoded, with LF line ends",
                why: "the sender signed the decoded body, without canonicalising it",
                bytes: lf(&d),
            });
        }
        for p in parts(headers, body) {
            v.push(Variant {
                what: "one part of the multipart content",
                why: "the signature covers a single part (e.g. the first part of a forwarded multipart), not the whole entity",
                bytes: p.clone(),
            });
            if let Some((_, pb)) = split_entity(&p) {
                v.push(Variant {
                    what: "the body of one part of the multipart content",
                    why: "the signature covers a single part's body only",
                    bytes: pb.to_vec(),
                });
            }
        }
    }
    v
}

/// The explanation for a messageDigest `expected` (with `digest`) that none of `candidates`
/// hashes to: which rebuilt form of the content does hash to it, or that none does.
pub fn explain_digest_mismatch(candidates: &[&[u8]], digest: Digest, expected: &[u8]) -> String {
    let mut tried = 0;
    for c in candidates {
        for v in variants(c) {
            if v.bytes.as_slice() == *c {
                continue;
            }
            tried += 1;
            if digest.hash(&v.bytes) == expected {
                return format!(
                    "the signed digest is that of {} ({} bytes): {}",
                    v.what,
                    v.bytes.len(),
                    v.why
                );
            }
        }
    }
    format!(
        "no rebuilt form of the content has the signed digest ({tried} tried, of line ends, trailing whitespace, final line end, body without headers, transfer encoding decoded, single parts): the content was changed after signing"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTENT: &[u8] = include_bytes!("../../../../tests/fixtures/content/content.txt");

    #[test]
    fn the_form_that_was_signed_is_named() {
        // OpenSSL signed content.txt's LF bytes (messages/rsa-detached.p7s, -binary).
        let md = Digest::Sha256.hash(CONTENT);
        let crlf_copy = crlf(CONTENT);
        let why = explain_digest_mismatch(&[&crlf_copy], Digest::Sha256, &md);
        assert!(
            why.starts_with("the signed digest is that of the content with LF line ends"),
            "{why}"
        );
        // With trailing spaces added by a gateway.
        let spaced: Vec<u8> = String::from_utf8_lossy(CONTENT)
            .replace('\n', "  \n")
            .into_bytes();
        let why = explain_digest_mismatch(&[&spaced], Digest::Sha256, &md);
        assert!(why.contains("trailing whitespace removed"), "{why}");
        // A header block in front of the signed body.
        let entity = [&b"Content-Type: text/plain\r\n\r\n"[..], CONTENT].concat();
        let why = explain_digest_mismatch(&[&entity], Digest::Sha256, &md);
        assert!(
            why.contains("the body without its MIME header block"),
            "{why}"
        );
        // The body base64-encoded after signing.
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode(CONTENT);
        let encoded = format!(
            "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n{b64}\r\n"
        );
        let why = explain_digest_mismatch(&[encoded.as_bytes()], Digest::Sha256, &md);
        assert!(why.contains("transfer encoding decoded"), "{why}");
        // One part of a multipart.
        let multi = [
            &b"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"[..],
            CONTENT,
            b"\r\n--b1\r\nContent-Type: text/plain\r\n\r\nother\r\n--b1--\r\n",
        ]
        .concat();
        let why = explain_digest_mismatch(&[&multi], Digest::Sha256, &md);
        assert!(why.contains("one part of the multipart content"), "{why}");
        // A changed byte: nothing matches.
        let mut changed = CONTENT.to_vec();
        changed[3] ^= 1;
        let why = explain_digest_mismatch(&[&changed], Digest::Sha256, &md);
        assert!(why.starts_with("no rebuilt form of the content"), "{why}");
        assert!(
            why.ends_with("the content was changed after signing"),
            "{why}"
        );
    }
}
