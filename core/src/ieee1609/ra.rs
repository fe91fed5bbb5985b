//! A test RA's decisions (SCMS EE-RA communication, seed 004): what to answer an EE's HTTP
//! request once Sealscope has inspected it.
//!
//! - `GET` with a `Download-Req` header (base64 SignedAuthenticatedDownloadRequest): the
//!   RA's checks run in the seed's order — blacklist, enrollment certificate, time
//!   tolerance, signature — and the first that fails closes the connection without an answer
//!   (step 6); when all pass, the file the request names is served.
//! - `GET` without it: a non-authenticated download of the path, with `If-None-Match`
//!   (304 when the entity tag matches) and `Range` (206 with the part asked for).
//! - `POST`: an SCMS APDU as an `application/octet-stream` body (415 otherwise), checked
//!   the same way; accepted requests are answered 200 with the JSON report.
//!
//! The HTTP server and the files are the front end's; this module decides.

use crate::report::{findings, LayerKind, Report, SignatureStatus, Verdict};

/// What the RA does with one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Serve this file of the download directory (authenticated download).
    Download {
        /// The file name from the SignedAuthenticatedDownloadRequest.
        filename: String,
    },
    /// Serve this path of the download directory (non-authenticated download).
    Plain {
        /// The request path.
        path: String,
    },
    /// An SCMS APDU that passed every check.
    Accepted {
        /// What the APDU is (the SCMS layer's summary).
        what: String,
    },
    /// Close the connection without answering; `step` names the check that failed.
    Close {
        /// The RA check: blacklist, enrollment certificate, time tolerance or signature.
        step: &'static str,
        /// Why.
        reason: String,
    },
    /// Answer with an HTTP error.
    Error {
        /// The status code.
        status: u16,
        /// The reason phrase's explanation (sent as the body).
        reason: String,
    },
}

/// The first finding with one of `codes`, as its message.
fn first(report: &Report, codes: &[&str]) -> Option<String> {
    report
        .findings
        .iter()
        .find(|f| codes.contains(&f.code.as_str()))
        .map(|f| format!("{}: {}", f.code, f.message))
}

/// The RA's checks on an inspected SCMS request, in the seed's order; `None` when all pass.
pub fn checks(report: &Report) -> Option<(&'static str, String)> {
    if let Some(m) = first(report, &[findings::CERT_BLACKLISTED]) {
        return Some(("blacklist", m));
    }
    if let Some(m) = first(
        report,
        &[
            findings::SIGNER_CERT_NOT_FOUND,
            findings::CHAIN_UNTRUSTED,
            findings::CHAIN_INCOMPLETE,
            findings::CERT_EXPIRED,
            findings::CERT_NOT_YET_VALID,
            findings::CERT_REVOKED,
            findings::CERT_SIGNATURE_INVALID,
            findings::CERT_VALIDITY_OUTSIDE_ISSUER,
            findings::CERT_REGION_OUTSIDE_ISSUER,
            findings::CERT_PERMISSIONS_OUTSIDE_ISSUER,
        ],
    ) {
        return Some(("enrollment certificate", m));
    }
    if let Some(m) = first(report, &[findings::TIME_OUTSIDE_TOLERANCE]) {
        return Some(("time tolerance", m));
    }
    match report.signatures.first() {
        None => Some(("signature", "the request carries no signature".into())),
        Some(s) if s.status != SignatureStatus::Valid => {
            Some(("signature", format!("{:?}: {}", s.status, s.reason)))
        }
        Some(_) if report.verdict != Verdict::Valid => Some((
            "signature",
            report
                .findings
                .iter()
                .find(|f| f.severity == crate::report::Severity::Error)
                .map(|f| format!("{}: {}", f.code, f.message))
                .unwrap_or_else(|| report.headline.sentence.clone()),
        )),
        Some(_) => None,
    }
}

/// The SCMS layer's header `name`, if the request carried one.
fn scms_header(report: &Report, name: &str) -> Option<String> {
    report
        .layers
        .iter()
        .filter(|l| l.kind == LayerKind::ScmsPdu)
        .flat_map(|l| l.headers.iter())
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// Decides the answer to a request: `method` and `path` from its request line,
/// `content_type` its header, `download_req` whether it has a `Download-Req` header, and
/// `report` the inspection of the whole request.
pub fn decide(
    method: &str,
    path: &str,
    content_type: Option<&str>,
    download_req: bool,
    report: &Report,
) -> Decision {
    match method {
        "GET" | "HEAD" if !download_req => Decision::Plain {
            path: path.to_string(),
        },
        "GET" | "HEAD" => {
            if report.verdict == Verdict::Unreadable {
                return Decision::Error {
                    status: 400,
                    reason: format!(
                        "the Download-Req header is not a SignedAuthenticatedDownloadRequest: {}",
                        report.error.clone().unwrap_or_default()
                    ),
                };
            }
            if let Some((step, reason)) = checks(report) {
                return Decision::Close { step, reason };
            }
            match scms_header(report, "filename") {
                Some(filename) => Decision::Download { filename },
                None => Decision::Error {
                    status: 400,
                    reason: "the Download-Req header carries no authenticated download request"
                        .into(),
                },
            }
        }
        "POST" => {
            let ct = content_type.map(|c| {
                c.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
            if ct.as_deref() != Some("application/octet-stream") {
                return Decision::Error {
                    status: 415,
                    reason: format!(
                        "SCMS APDUs are POSTed as application/octet-stream, not {}",
                        content_type.unwrap_or("(no Content-Type)")
                    ),
                };
            }
            if report.verdict == Verdict::Unreadable {
                return Decision::Error {
                    status: 400,
                    reason: format!(
                        "the body is not an SCMS APDU: {}",
                        report.error.clone().unwrap_or_default()
                    ),
                };
            }
            let what = report
                .layers
                .iter()
                .find(|l| l.kind == LayerKind::ScmsPdu)
                .map(|l| l.summary.clone());
            let Some(what) = what else {
                return Decision::Error {
                    status: 400,
                    reason: "the body is IEEE 1609.2 data but not an SCMS request".into(),
                };
            };
            if let Some((step, reason)) = checks(report) {
                return Decision::Close { step, reason };
            }
            Decision::Accepted { what }
        }
        other => Decision::Error {
            status: 405,
            reason: format!("{other} is not used between EE and RA (GET downloads, POST APDUs)"),
        },
    }
}

/// An HTTP answer: status, reason phrase, headers and body.
pub type Answer = (u16, &'static str, Vec<(String, String)>, Vec<u8>);

/// The entity tag of a file's content: the first 16 bytes of its SHA-256, quoted.
pub fn entity_tag(content: &[u8]) -> String {
    let h = crate::crypto::algorithms::Digest::Sha256.hash(content);
    format!("\"{}\"", hex::encode(&h[..16]))
}

/// Parses `Range: bytes=FIRST-[LAST]` or `bytes=-SUFFIX` against a length: the byte range
/// (inclusive), or `Err` when it cannot be satisfied. Several ranges are not served.
fn byte_range(value: &str, len: usize) -> Option<Result<(usize, usize), ()>> {
    let spec = value.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    if len == 0 {
        return Some(Err(()));
    }
    let r = if a.is_empty() {
        let n: usize = b.parse().ok()?;
        if n == 0 {
            return Some(Err(()));
        }
        (len.saturating_sub(n), len - 1)
    } else {
        let first: usize = a.parse().ok()?;
        let last = if b.is_empty() {
            len - 1
        } else {
            b.parse::<usize>().ok()?.min(len - 1)
        };
        if first >= len || first > last {
            return Some(Err(()));
        }
        (first, last)
    };
    Some(Ok(r))
}

/// Serves a file's content as a download: 304 when `if_none_match` names its entity tag,
/// 206 with the part a `range` asks for (416 when none of it exists), else 200.
pub fn serve_file(content: &[u8], if_none_match: Option<&str>, range: Option<&str>) -> Answer {
    let tag = entity_tag(content);
    let mut headers = vec![
        ("ETag".to_string(), tag.clone()),
        ("Accept-Ranges".to_string(), "bytes".to_string()),
    ];
    if let Some(inm) = if_none_match {
        if inm.split(',').any(|t| {
            let t = t.trim();
            t == "*" || t == tag || t.strip_prefix("W/") == Some(tag.as_str())
        }) {
            return (304, "Not Modified", headers, Vec::new());
        }
    }
    headers.push((
        "Content-Type".to_string(),
        "application/octet-stream".to_string(),
    ));
    match range.and_then(|r| byte_range(r, content.len())) {
        Some(Ok((a, b))) => {
            headers.push((
                "Content-Range".to_string(),
                format!("bytes {a}-{b}/{}", content.len()),
            ));
            (206, "Partial Content", headers, content[a..=b].to_vec())
        }
        Some(Err(())) => {
            headers.push((
                "Content-Range".to_string(),
                format!("bytes */{}", content.len()),
            ));
            (416, "Range Not Satisfiable", headers, Vec::new())
        }
        None => (200, "OK", headers, content.to_vec()),
    }
}

/// A download name as a safe file name of the download directory: no directories, no
/// `..`, no hidden files; `None` otherwise.
pub fn safe_name(name: &str) -> Option<&str> {
    let n = name.trim_start_matches('/');
    let n = n.rsplit('/').next().unwrap_or(n);
    let ok = !n.is_empty()
        && !n.starts_with('.')
        && !n.contains('\\')
        && n.chars().all(|c| c.is_ascii_graphic());
    ok.then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_tags() {
        let c = b"0123456789";
        let (s, _, h, b) = serve_file(c, None, Some("bytes=2-4"));
        assert_eq!((s, b.as_slice()), (206, &b"234"[..]));
        assert!(h.contains(&("Content-Range".into(), "bytes 2-4/10".into())));
        assert_eq!(serve_file(c, None, Some("bytes=7-")).3, b"789");
        assert_eq!(serve_file(c, None, Some("bytes=-3")).3, b"789");
        assert_eq!(serve_file(c, None, Some("bytes=8-100")).3, b"89");
        assert_eq!(serve_file(c, None, Some("bytes=10-")).0, 416);
        assert_eq!(serve_file(c, None, Some("bytes=1-2,4-5")).0, 200);
        let tag = entity_tag(c);
        assert_eq!(serve_file(c, Some(&tag), None).0, 304);
        assert_eq!(serve_file(c, Some("\"other\", *"), None).0, 304);
        assert_eq!(serve_file(c, Some("\"other\""), None).0, 200);
    }

    #[test]
    fn names() {
        assert_eq!(
            safe_name("/download/1E74DE9D628F161D_0.zip"),
            Some("1E74DE9D628F161D_0.zip")
        );
        assert_eq!(safe_name("a.zip"), Some("a.zip"));
        assert_eq!(safe_name("/download/../"), None);
        assert_eq!(safe_name(".."), None);
        assert_eq!(safe_name("/.hidden"), None);
        assert_eq!(safe_name("a b"), None);
    }
}
