//! Carriers: STOMP frames, HTTP messages, ARGO AMS JSON and Bit Repository messages, each a layer whose body is read next.

use super::content::sniff;
use super::detect::{detect_nested, Nested, Within};
use super::Span;
use super::{layer_error, Ctx, MAX_LAYERS};
use crate::cms::signed_data::ContentCandidates;
use crate::error::Error;
use crate::ieee1609;
use crate::profiles::bitrepo;
use crate::report::findings::{self, finding};
use crate::report::LayerKind;
use crate::report::Severity;
use crate::wire::ams;
use crate::wire::http;
use crate::wire::pem;
use crate::wire::stomp;

impl Ctx<'_> {
    /// One STOMP frame, or a capture of several: each frame a layer, its body inspected.
    pub(super) fn stomp(&mut self, input: &[u8]) -> Result<(), Error> {
        let frames = stomp::parse_frames(input, MAX_LAYERS).map_err(|e| layer_error("STOMP", e))?;
        let capture = if frames.len() > 1 {
            Some(self.push_layer(
                LayerKind::StompCapture,
                format!("{} STOMP frames", frames.len()),
                Span::new(0, [0, input.len()], None),
                Vec::new(),
            )?)
        } else {
            None
        };
        for f in &frames {
            let dest = f
                .header("destination")
                .map(|d| format!(" to {d}"))
                .unwrap_or_default();
            let idx = self.push_layer(
                LayerKind::StompFrame,
                format!(
                    "STOMP {}{dest}, {} byte body",
                    f.command,
                    f.body_end - f.body_start
                ),
                Span::new(0, [f.start, f.end], capture),
                f.headers.clone(),
            )?;
            for p in &f.problems {
                let (severity, code, message) = match p {
                    stomp::FrameProblem::ContentLength { declared, actual } => (
                        Severity::Error,
                        findings::STOMP_CONTENT_LENGTH_MISMATCH,
                        format!(
                            "{} frame declares content-length {declared} but its body is {actual} bytes up to the NUL",
                            f.command
                        ),
                    ),
                    stomp::FrameProblem::MissingNul => (
                        Severity::Warning,
                        findings::STOMP_FRAME_MALFORMED,
                        format!("{} frame has no terminating NUL octet", f.command),
                    ),
                    stomp::FrameProblem::BadEscape { header } => (
                        Severity::Warning,
                        findings::STOMP_FRAME_MALFORMED,
                        format!("header {header:?} uses an escape STOMP 1.2 does not define"),
                    ),
                };
                self.findings.push(finding(
                    severity,
                    code,
                    message,
                    "STOMP 1.2, Frames and Headers",
                    Some(idx),
                ));
            }
            if matches!(f.command.as_str(), "SEND" | "MESSAGE" | "SUBSCRIBE")
                && f.header("destination").is_none()
            {
                self.findings.push(finding(
                    Severity::Error,
                    findings::STOMP_DESTINATION_MISSING,
                    format!(
                        "the {} frame has no destination header, which STOMP requires",
                        f.command
                    ),
                    "STOMP 1.2, SEND / SUBSCRIBE / MESSAGE",
                    Some(idx),
                ));
            }
            let body = &input[f.body_start..f.body_end];
            let signature = f.header(bitrepo::SIGNATURE_HEADER);
            if signature.is_some() || bitrepo::mentions_namespace(body) {
                self.bitrepo(
                    signature,
                    body,
                    Span::new(0, [f.body_start, f.body_end], Some(idx)),
                )?;
                continue;
            }
            if body.is_empty() {
                continue;
            }
            self.body(
                body,
                Span::new(0, [f.body_start, f.body_end], Some(idx)),
                None,
            )?;
        }
        Ok(())
    }

    /// A carrier's body: MIME, CMS (DER/BER, PEM or base64) or a payload.
    pub(super) fn body(
        &mut self,
        body: &[u8],
        at: Span,
        media_type: Option<&str>,
    ) -> Result<(), Error> {
        let Span {
            buffer,
            range,
            parent,
        } = at;
        self.remember(buffer, range[0], body);
        match detect_nested(body, Within::Carrier) {
            Nested::Mime => self.mime(body, Span::at(buffer, range[0], body, parent), 0),
            Nested::Cms => self.cms(body, Span::new(buffer, range, parent)),
            Nested::Ieee1609Data => self.ieee1609(body, Span::at(buffer, range[0], body, parent)),
            Nested::Payload => {
                let mt = media_type.unwrap_or_else(|| sniff(body));
                self.leaf(mt, body, Span::new(buffer, range, parent))
            }
        }
    }

    /// HTTP/1.1 messages: each a layer; a body with a Content-Type is read as the MIME entity
    /// the head describes (SCMP sends its outer S/MIME headers as HTTP headers).
    pub(super) fn http(&mut self, input: &[u8]) -> Result<(), Error> {
        let messages =
            http::parse_messages(input, MAX_LAYERS).map_err(|e| layer_error("HTTP", e))?;
        for m in &messages {
            let kind = if m.is_response() {
                LayerKind::HttpResponse
            } else {
                LayerKind::HttpRequest
            };
            let body = m.body(input);
            let idx = self.push_layer(
                kind,
                format!("{}, {} byte body", m.describe(), body.len()),
                Span::new(0, [m.start, m.end], None),
                m.headers.clone(),
            )?;
            for p in &m.problems {
                let (severity, message) = match p {
                    http::HttpProblem::Truncated { declared, actual } => (
                        Severity::Error,
                        format!("Content-Length is {declared} but only {actual} body bytes follow"),
                    ),
                    http::HttpProblem::LengthMissing { trailing } => (
                        Severity::Warning,
                        format!("the request has {trailing} bytes after its head but neither Content-Length nor Transfer-Encoding; they were read as its body"),
                    ),
                    http::HttpProblem::BareLf => (
                        Severity::Info,
                        "the head's lines end in a bare LF, not CRLF".to_string(),
                    ),
                    http::HttpProblem::ChunkedMalformed(why) => (
                        Severity::Error,
                        format!("the chunked body is damaged: {why}"),
                    ),
                };
                self.findings.push(finding(
                    severity,
                    findings::HTTP_MESSAGE_MALFORMED,
                    message,
                    "RFC 9112 §6",
                    Some(idx),
                ));
            }
            for (name, value) in &m.headers {
                if value.len() < 24 || name.eq_ignore_ascii_case(bitrepo::SIGNATURE_HEADER) {
                    continue;
                }
                if let Ok(raw) = pem::decode_base64(value.as_bytes()) {
                    if ieee1609::data::looks_like_data(&raw) {
                        let h = self.push_layer(
                            LayerKind::HttpHeader,
                            format!(
                                "header {name}: base64 IEEE 1609.2 data, {} bytes",
                                raw.len()
                            ),
                            Span::new(0, [m.headers_start, m.body_start], Some(idx)),
                            vec![(
                                name.clone(),
                                format!("{} characters of base64", value.len()),
                            )],
                        )?;
                        self.ieee1609(&raw, Span::at(h + 1, 0, &raw, Some(h)))?;
                    }
                }
            }
            if body.is_empty() {
                continue;
            }
            if let Some(sig) = m.header(bitrepo::SIGNATURE_HEADER) {
                let range = body_range(m, idx);
                self.bitrepo(Some(sig), body, Span::new(range.1, range.0, Some(idx)))?;
                continue;
            }
            let content_type = m.header("content-type").map(str::to_string);
            if content_type
                .as_deref()
                .is_some_and(|c| c.to_ascii_lowercase().starts_with("application/json"))
                && ams::looks_like_ams(body)
                && ams::parse(body).is_ok()
            {
                let (range, buffer) = body_range(m, idx);
                self.ams(body, Span::at(buffer, range[0], body, Some(idx)))?;
                continue;
            }
            let octets = content_type.as_deref().is_some_and(|c| {
                c.to_ascii_lowercase()
                    .starts_with("application/octet-stream")
            });
            if octets && ieee1609::data::looks_like_data(body) {
                let (range, buffer) = body_range(m, idx);
                self.ieee1609(body, Span::at(buffer, range[0], body, Some(idx)))?;
                continue;
            }
            match (&m.body, &content_type) {
                (http::Body::Range(_, e), Some(_)) => {
                    let entity = &input[m.headers_start..*e];
                    self.mime(entity, Span::at(0, m.headers_start, entity, Some(idx)), 0)?;
                }
                (http::Body::Dechunked(data), Some(_)) => {
                    // The head (without its framing fields) over the de-chunked body.
                    let mut entity = Vec::with_capacity(data.len() + 512);
                    for (n, v) in &m.headers {
                        if n.eq_ignore_ascii_case("transfer-encoding") {
                            continue;
                        }
                        entity.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
                    }
                    entity.extend_from_slice(b"\r\n");
                    entity.extend_from_slice(data);
                    self.mime(&entity, Span::at(idx + 1, 0, &entity, Some(idx)), 0)?;
                }
                (_, None) => {
                    let (range, buffer) = body_range(m, idx);
                    self.body(body, Span::new(buffer, range, Some(idx)), None)?;
                }
            }
        }
        Ok(())
    }

    /// ARGO AMS JSON: each message a layer, its base64 `data` inspected.
    pub(super) fn ams(&mut self, input: &[u8], at: Span) -> Result<(), Error> {
        let Span {
            buffer,
            range: [offset, _],
            parent,
        } = at;
        self.remember(buffer, offset, input);
        let messages = ams::parse(input).map_err(|e| layer_error("AMS", e))?;
        let doc = self.push_layer(
            LayerKind::AmsDocument,
            format!("ARGO AMS JSON, {} message(s)", messages.len()),
            Span::new(buffer, [offset, offset + input.len()], parent),
            Vec::new(),
        )?;
        for (n, m) in messages.iter().enumerate() {
            let idx = self.push_layer(
                LayerKind::AmsMessage,
                format!(
                    "AMS message #{}{}, {} bytes of data",
                    n + 1,
                    m.message_id
                        .as_ref()
                        .map(|id| format!(" (id {id})"))
                        .unwrap_or_default(),
                    m.data.len()
                ),
                Span::new(
                    buffer,
                    [offset + m.data_range[0], offset + m.data_range[1]],
                    Some(doc),
                ),
                m.fields(),
            )?;
            if m.data.is_empty() {
                continue;
            }
            self.body(
                &m.data,
                Span::new(idx + 1, [0, m.data.len()], Some(idx)),
                None,
            )?;
        }
        Ok(())
    }

    /// A Bit Repository message: XML bytes with a detached CMS signature in base64.
    pub(super) fn bitrepo(
        &mut self,
        signature_b64: Option<&str>,
        xml: &[u8],
        at: Span,
    ) -> Result<(), Error> {
        let Span {
            buffer,
            range,
            parent,
        } = at;
        let text = std::str::from_utf8(xml).ok();
        let mut headers = text.map(bitrepo::describe_xml).unwrap_or_default();
        headers.push((
            "utf8".into(),
            if text.is_some() { "yes" } else { "no" }.into(),
        ));
        headers.push((
            bitrepo::SIGNATURE_HEADER.into(),
            match signature_b64 {
                Some(s) => format!("{} characters of base64", s.len()),
                None => "absent".into(),
            },
        ));
        let root = headers
            .iter()
            .find(|(k, _)| k == "root_element")
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| "message".into());
        let idx = self.push_layer(
            LayerKind::BitrepoMessage,
            format!(
                "Bit Repository {root}, {} bytes of XML, {}",
                xml.len(),
                if signature_b64.is_some() {
                    "signed"
                } else {
                    "unsigned"
                }
            ),
            Span::new(buffer, range, parent),
            headers,
        )?;
        let mut signed = false;
        if let Some(b64) = signature_b64 {
            let der = pem::decode_base64(b64.as_bytes()).map_err(|e| {
                Error::Encoding(format!(
                    "header {} is not base64: {e}",
                    bitrepo::SIGNATURE_HEADER
                ))
            })?;
            let detached = ContentCandidates {
                canonical: xml,
                as_sent: None,
                canonical_sha256: None,
                streamed: None,
                elided: false,
            };
            self.cms_with_content(
                &der,
                Span::new(idx + 1, [0, der.len()], Some(idx)),
                Some(detached),
            )?;
            signed = true;
        }
        if signed {
            self.signed_depth += 1;
        }
        let r = self.leaf("application/xml", xml, Span::new(buffer, range, Some(idx)));
        if signed {
            self.signed_depth -= 1;
        }
        r
    }
}

/// Where an HTTP body sits: its range and buffer (the input, or the de-chunked copy that is
/// layer `idx`'s decoded content).
pub(super) fn body_range(m: &http::Message, idx: usize) -> ([usize; 2], usize) {
    match &m.body {
        http::Body::Range(s, e) => ([*s, *e], 0),
        http::Body::Dechunked(d) => ([0, d.len()], idx + 1),
    }
}
