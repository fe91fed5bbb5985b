//! The ASN.1 outline of a layer's bytes: one line per BER/DER element (tag, length, a short
//! value), each with the byte range the hex view highlights when the line is selected.

use sealscope_core::cms::asn1::{self, Class, Tlv};

/// Most lines an outline shows.
pub const MAX_LINES: usize = 2000;

/// One element of the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Nesting depth.
    pub depth: usize,
    /// Byte range of the whole element within the buffer.
    pub range: [usize; 2],
    /// Tag, length and value preview.
    pub text: String,
}

fn tag_name(t: &Tlv) -> String {
    match t.class {
        Class::Universal => match t.number {
            1 => "BOOLEAN".into(),
            2 => "INTEGER".into(),
            3 => "BIT STRING".into(),
            4 => "OCTET STRING".into(),
            5 => "NULL".into(),
            6 => "OBJECT IDENTIFIER".into(),
            10 => "ENUMERATED".into(),
            12 => "UTF8String".into(),
            16 => "SEQUENCE".into(),
            17 => "SET".into(),
            19 => "PrintableString".into(),
            20 => "T61String".into(),
            22 => "IA5String".into(),
            23 => "UTCTime".into(),
            24 => "GeneralizedTime".into(),
            30 => "BMPString".into(),
            n => format!("UNIVERSAL {n}"),
        },
        Class::Context => format!("[{}]", t.number),
        Class::Application => format!("[APPLICATION {}]", t.number),
        Class::Private => format!("[PRIVATE {}]", t.number),
    }
}

fn preview(t: &Tlv, buf: &[u8]) -> String {
    if t.constructed {
        return String::new();
    }
    let v = t.value(buf);
    let text = |v: &[u8]| {
        let s: String = String::from_utf8_lossy(&v[..v.len().min(64)]).into();
        format!(" \"{s}\"")
    };
    match (t.class, t.number) {
        (Class::Universal, 6) => asn1::oid_string(v).map_or_else(String::new, |o| format!(" {o}")),
        (Class::Universal, 1) => format!(" {}", v.first().is_some_and(|&b| b != 0)),
        (Class::Universal, 12 | 19 | 20 | 22 | 23 | 24) => text(v),
        (_, _) if v.is_empty() => String::new(),
        _ => {
            let shown = hex::encode(&v[..v.len().min(16)]);
            format!(" {shown}{}", if v.len() > 16 { "…" } else { "" })
        }
    }
}

fn walk(buf: &[u8], t: &Tlv, depth: usize, out: &mut Vec<Line>) {
    if out.len() >= MAX_LINES {
        return;
    }
    out.push(Line {
        depth,
        range: [t.start, t.end],
        text: format!(
            "{} ({} bytes){}{}",
            tag_name(t),
            t.value_end - t.value_start,
            if t.indefinite { " indefinite" } else { "" },
            preview(t, buf)
        ),
    });
    if t.constructed {
        match asn1::children(buf, t) {
            Ok(kids) => {
                for k in kids {
                    walk(buf, &k, depth + 1, out);
                }
            }
            Err(e) => out.push(Line {
                depth: depth + 1,
                range: [t.value_start, t.value_end],
                text: format!("(unreadable: {e})"),
            }),
        }
    }
}

/// The outline of the BER/DER element(s) in `buf[range]`, or nothing when the bytes do not
/// start with a constructed element (MIME text, COER, …).
pub fn outline(buf: &[u8], range: [usize; 2]) -> Vec<Line> {
    let [start, end] = range;
    let Some(bytes) = buf.get(..end) else {
        return Vec::new();
    };
    if start >= end || bytes[start] & 0x20 == 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut pos = start;
    while pos < end && out.len() < MAX_LINES {
        match asn1::read_tlv(bytes, pos, end, 0) {
            Ok(t) => {
                walk(bytes, &t, 0, &mut out);
                pos = t.end;
            }
            Err(_) if out.is_empty() => return Vec::new(),
            Err(e) => {
                out.push(Line {
                    depth: 0,
                    range: [pos, end],
                    text: format!("(unreadable: {e})"),
                });
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_outlines_with_oids_and_ranges() {
        let pem = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/pki/root-ca.der"
        ))
        .unwrap();
        let lines = outline(&pem, [0, pem.len()]);
        assert_eq!(lines[0].depth, 0);
        assert_eq!(lines[0].range, [0, pem.len()]);
        assert!(lines[0].text.starts_with("SEQUENCE"), "{}", lines[0].text);
        assert!(
            lines.iter().any(|l| l.text.contains("2.5.4.3")),
            "commonName OID"
        );
        assert!(lines
            .iter()
            .any(|l| l.text.contains("\"Sealscope Test Root CA\"")));
        assert!(outline(b"Content-Type: text/plain\r\n", [0, 26]).is_empty());
    }
}
