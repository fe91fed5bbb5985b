//! The pipeline: detect → unwrap layer by layer (verifying as it goes) → verdict → report.

mod dot2;

use crate::cms::asn1;
use crate::cms::compressed_data;
use crate::cms::digested_data;
use crate::cms::enveloped_data;
use crate::cms::signed_data::{self, ContentCandidates};
use crate::crypto::algorithms::{content as ct, oid_name, Digest};
use crate::crypto::ciphers::ContentCipher;
use crate::crypto::prehash::Prehashed;
use crate::error::Error;
use crate::ieee1609;
use crate::keyring::Keyring;
use crate::profiles::bitrepo;
use crate::report::findings::{self, finding};
use crate::report::{
    ChainStatus, Content, EncryptionReport, Finding, InputInfo, Layer, Node, ProfileReport, Report,
    Severity, SignatureReport, SignatureStatus, Verdict, SCHEMA,
};
use crate::time::UnixTime;
use crate::wire::ams;
use crate::wire::http;
use crate::wire::mime::{self, Entity};
use crate::wire::pem;
use crate::wire::stomp;

/// Largest input accepted by default (bytes).
pub const DEFAULT_MAX_INPUT: usize = 256 * 1024 * 1024;
/// Most layers unwrapped from one input.
pub const MAX_LAYERS: usize = 256;
/// Most SignerInfos verified in one SignedData.
pub const MAX_SIGNERS: usize = 64;
/// Longest content text put into the report.
pub const MAX_TEXT: usize = 64 * 1024;
/// Bytes of binary content shown as hex in the report.
pub const MAX_HEX: usize = 256;

/// How to inspect.
#[derive(Clone, Debug)]
pub struct Options {
    /// The input's name for the report.
    pub name: String,
    /// Verification time.
    pub at: UnixTime,
    /// Content of a detached signature given separately (`--content`).
    pub detached_content: Option<Vec<u8>>,
    /// Largest input accepted.
    pub max_input: usize,
    /// A profile to apply whatever the input looks like (`--profile`); detected otherwise.
    pub profile: Option<crate::profiles::Profile>,
    /// Sender DNs allowed by an SSM allow-list (`--allow-dn`), one-line or RFC 4514 form.
    pub allowed_senders: Option<Vec<String>>,
    /// SCMP replay window in seconds: messages signed further than this from the
    /// verification time get a warning (`--replay-window`).
    pub replay_window: Option<u64>,
    /// The input is the body of a stored SSM dirq element (with its signer and id files).
    pub ssm_stored: Option<crate::profiles::ssm::Stored>,
    /// SCMS: the RA's time tolerance in seconds for request timestamps (`--time-tolerance`).
    pub time_tolerance: Option<u64>,
    /// SCMS: HashedId8s of blacklisted enrollment certificates (`--blacklist`).
    pub blacklist: Vec<[u8; 8]>,
}

impl Options {
    /// Options with a name and time and everything else default.
    pub fn new(name: impl Into<String>, at: UnixTime) -> Self {
        Options {
            name: name.into(),
            at,
            detached_content: None,
            max_input: DEFAULT_MAX_INPUT,
            profile: None,
            allowed_senders: None,
            replay_window: None,
            ssm_stored: None,
            time_tolerance: None,
            blacklist: Vec::new(),
        }
    }
}

/// A candidate for the innermost content: (signature depth, media type, bytes).
struct Leaf {
    depth: usize,
    /// Whether a mail client would display it (false inside a multipart/signed's signature
    /// part, where an encapsulated content is never shown).
    shown: bool,
    layer: usize,
    media_type: String,
    bytes: LeafBytes,
    /// SHA-256 (hex) when it was already computed for these exact bytes.
    sha256: Option<String>,
}

/// Where a leaf's bytes are: a range of the input or of a decrypted buffer (not copied), or
/// a decoded copy.
enum LeafBytes {
    Input(std::ops::Range<usize>),
    Shared(std::rc::Rc<Vec<u8>>, std::ops::Range<usize>),
    Owned(Vec<u8>),
}

impl Leaf {
    fn bytes<'s>(&'s self, input: &'s [u8]) -> &'s [u8] {
        match &self.bytes {
            LeafBytes::Input(r) => input.get(r.clone()).unwrap_or_default(),
            LeafBytes::Shared(buf, r) => buf.get(r.clone()).unwrap_or_default(),
            LeafBytes::Owned(v) => v,
        }
    }
}

/// Inputs at least this large have their SHA-256 computed on a second thread while their
/// layers are read (native builds; the browser build has no threads).
#[cfg(not(target_arch = "wasm32"))]
const PARALLEL_DIGEST_MIN: usize = 1 << 20;

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Digest::Sha256.hash(bytes))
}

/// Runs `work` and returns its result with the SHA-256 of `input`, computed alongside on a
/// scoped thread when the input is large enough to be worth it.
fn with_input_digest<T>(input: &[u8], work: impl FnOnce() -> T) -> (T, String) {
    #[cfg(not(target_arch = "wasm32"))]
    if input.len() >= PARALLEL_DIGEST_MIN {
        return std::thread::scope(|scope| {
            let spawned = std::thread::Builder::new()
                .name("sealscope-digest".into())
                .spawn_scoped(scope, || sha256_hex(input));
            match spawned {
                Ok(handle) => {
                    let result = work();
                    let digest = handle.join().unwrap_or_else(|_| sha256_hex(input));
                    (result, digest)
                }
                Err(_) => (work(), sha256_hex(input)),
            }
        });
    }
    (work(), sha256_hex(input))
}

struct Ctx<'a> {
    keyring: &'a Keyring,
    opts: &'a Options,
    layers: Vec<Layer>,
    signatures: Vec<SignatureReport>,
    encryption: Vec<EncryptionReport>,
    findings: Vec<Finding>,
    leaves: Vec<Leaf>,
    /// How many signature layers enclose the current position.
    signed_depth: usize,
    /// How many multipart/signed signature parts enclose the current position (content
    /// there is not displayed by mail clients).
    hidden_depth: usize,
    /// Digest algorithms of the SignerInfos of the SignedData read last (for micalg).
    last_digests: Vec<Option<Digest>>,
    /// Decoded buffers by number, kept only for [`inspect_with_buffers`].
    buffers: Option<std::collections::BTreeMap<usize, Vec<u8>>>,
    /// Bytes produced by decompression so far.
    decompressed: usize,
    /// Address range of the input, to recognise leaves that can stay borrowed from it.
    input_span: std::ops::Range<usize>,
    /// SHA-256 digests (hex) already computed for byte slices that are alive while their
    /// content is read, by address and length: a leaf that is exactly such a slice reuses it.
    known_sha256: Vec<(usize, usize, String)>,
    /// SHA-256 of a range of the input computed by the caller while reading it, by address
    /// and length (see [`crate::crypto::prehash`]).
    prehashed_content: Option<(usize, usize, [u8; 32])>,
    /// Decrypted buffers being read (innermost last): a leaf inside one keeps a reference to
    /// it rather than a copy.
    shared: Vec<std::rc::Rc<Vec<u8>>>,
}

/// Inspects `input` and returns the report. Never panics on bad input: what cannot be read
/// gives verdict `unreadable` with a reason naming the layer and byte offset.
pub fn inspect(input: &[u8], keyring: &Keyring, opts: &Options) -> Report {
    run(input, keyring, opts, false, &Prehashed::default()).0
}

/// Like [`inspect`], with SHA-256 digests the caller computed while reading the input (of the
/// whole input, and of the range it expects to be signed content): they replace the passes
/// over the same bytes. They must be digests of exactly those bytes of `input`.
pub fn inspect_prehashed(
    input: &[u8],
    keyring: &Keyring,
    opts: &Options,
    prehashed: &Prehashed,
) -> Report {
    run(input, keyring, opts, false, prehashed).0
}

/// Like [`inspect`], and also returns the decoded buffers the layers' ranges refer to:
/// entry `n` is buffer `n` (see [`crate::report::Layer::buffer`]); buffer 0, the input
/// itself, is left empty. Front ends use them to show the bytes of any node.
pub fn inspect_with_buffers(
    input: &[u8],
    keyring: &Keyring,
    opts: &Options,
) -> (Report, Vec<Vec<u8>>) {
    let (report, map) = run(input, keyring, opts, true, &Prehashed::default());
    let n = map.keys().next_back().map_or(1, |k| k + 1);
    let mut buffers = vec![Vec::new(); n];
    for (k, v) in map {
        buffers[k] = v;
    }
    (report, buffers)
}

/// The report for an input that was not read because it is larger than
/// [`Options::max_input`]: verdict `unreadable` with the limit in the error. `size` and
/// `sha256` (hex) describe the input as the caller measured it while refusing it.
pub fn oversized(size: u64, sha256: String, keyring: &Keyring, opts: &Options) -> Report {
    let ctx = Ctx::new(keyring, opts, false);
    let mut report = ctx.finish(&[], sha256, Err(too_large(size, opts.max_input)));
    report.input.size = usize::try_from(size).unwrap_or(usize::MAX);
    report
}

fn too_large(size: u64, limit: usize) -> Error {
    Error::Limit {
        what: format!("input of {size} bytes"),
        limit,
    }
}

fn run(
    input: &[u8],
    keyring: &Keyring,
    opts: &Options,
    keep_buffers: bool,
    prehashed: &Prehashed,
) -> (Report, std::collections::BTreeMap<usize, Vec<u8>>) {
    let mut ctx = Ctx::new(keyring, opts, keep_buffers);
    ctx.input_span = span(input);
    ctx.prehashed_content = prehashed.content.as_ref().and_then(|(range, digest)| {
        let bytes = input.get(range.clone())?;
        Some((bytes.as_ptr() as usize, bytes.len(), *digest))
    });
    let mut work = || {
        if input.len() > opts.max_input {
            Err(too_large(input.len() as u64, opts.max_input))
        } else {
            ctx.top(input)
        }
    };
    let (result, input_sha256) = match prehashed.input {
        Some(digest) => (work(), hex::encode(digest)),
        None => with_input_digest(input, work),
    };
    let buffers = ctx.buffers.take().unwrap_or_default();
    (ctx.finish(input, input_sha256, result), buffers)
}

/// The address range a slice occupies.
fn span(bytes: &[u8]) -> std::ops::Range<usize> {
    let start = bytes.as_ptr() as usize;
    start..start + bytes.len()
}

fn layer_error(what: &str, e: Error) -> Error {
    match e {
        Error::Asn1 { offset, reason } => Error::Asn1 {
            offset,
            reason: format!("{what}: {reason}"),
        },
        Error::Malformed { structure, reason } => Error::Malformed {
            structure: format!("{what}: {structure}"),
            reason,
        },
        other => other,
    }
}

impl<'a> Ctx<'a> {
    fn new(keyring: &'a Keyring, opts: &'a Options, keep_buffers: bool) -> Self {
        Ctx {
            keyring,
            opts,
            layers: Vec::new(),
            signatures: Vec::new(),
            encryption: Vec::new(),
            findings: Vec::new(),
            leaves: Vec::new(),
            signed_depth: 0,
            hidden_depth: 0,
            last_digests: Vec::new(),
            buffers: keep_buffers.then(Default::default),
            decompressed: 0,
            input_span: 0..0,
            known_sha256: Vec::new(),
            prehashed_content: None,
            shared: Vec::new(),
        }
    }

    /// Reads `bytes` with `f` while a digest already computed for exactly these bytes is
    /// available to the leaf they may become.
    fn with_known_sha256<T>(
        &mut self,
        bytes: &[u8],
        sha256: Option<String>,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let Some(hex) = sha256 else {
            return f(self);
        };
        self.known_sha256
            .push((bytes.as_ptr() as usize, bytes.len(), hex));
        let result = f(self);
        self.known_sha256.pop();
        result
    }

    /// The digest the caller computed while reading, when `bytes` are exactly the bytes it
    /// was computed over.
    fn prehashed_for(&self, bytes: &[u8]) -> Option<[u8; 32]> {
        self.prehashed_content.and_then(|(addr, len, digest)| {
            (bytes.as_ptr() as usize == addr && bytes.len() == len).then_some(digest)
        })
    }

    /// Keeps a decoded buffer (whole, starting at offset 0) when buffers are wanted.
    fn remember(&mut self, buffer: usize, offset: usize, bytes: &[u8]) {
        if buffer == 0 || offset != 0 {
            return;
        }
        if let Some(map) = self.buffers.as_mut() {
            let entry = map.entry(buffer).or_default();
            if entry.len() < bytes.len() {
                *entry = bytes.to_vec();
            }
        }
    }

    fn push_layer(
        &mut self,
        kind: &str,
        summary: String,
        range: [usize; 2],
        buffer: usize,
        parent: Option<usize>,
        headers: Vec<(String, String)>,
    ) -> Result<usize, Error> {
        if self.layers.len() >= MAX_LAYERS {
            return Err(Error::Limit {
                what: "number of layers".into(),
                limit: MAX_LAYERS,
            });
        }
        self.layers.push(Layer {
            kind: kind.to_string(),
            summary,
            range,
            buffer,
            parent,
            headers,
            content_type: None,
        });
        Ok(self.layers.len() - 1)
    }

    fn top(&mut self, input: &[u8]) -> Result<(), Error> {
        if input.is_empty() {
            return Err(Error::Unrecognised("the input is empty (0 bytes)".into()));
        }
        let start = input
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(input.len());
        let trimmed = &input[start..];
        if trimmed.starts_with(b"-----BEGIN ") {
            return self.pem(input, None);
        }
        if ieee1609::data::looks_like_data(input) {
            return self.ieee1609(input, 0, 0, None);
        }
        if crate::keyring::looks_like_1609_certificate(input)
            && ieee1609::data::decode_certificate(input).is_ok()
        {
            return Err(Error::Unrecognised(
                "the input is an IEEE 1609.2 certificate, not a message (pass it with --trust or --cert)"
                    .into(),
            ));
        }
        if let Some(raw) = hex_dump(input).filter(|b| ieee1609::data::looks_like_data(b)) {
            let idx = self.push_layer(
                "hex",
                format!("hex text, {} bytes decoded", raw.len()),
                [0, input.len()],
                0,
                None,
                Vec::new(),
            )?;
            return self.ieee1609(&raw, idx + 1, 0, Some(idx));
        }
        if input[0] == 0x30 {
            if crate::x509::certificate::Cert::from_der(input, "input").is_ok() {
                return Err(Error::Unrecognised(
                    "the input is a DER X.509 certificate, not a message (pass it with --trust or --cert)"
                        .into(),
                ));
            }
            return self.cms(input, 0, [0, input.len()], None);
        }
        if stomp::looks_like_frame(input) {
            return self.stomp(input);
        }
        if http::looks_like_http(input) {
            return self.http(input);
        }
        if ams::looks_like_ams(input) {
            return self.ams(input, 0, 0, None);
        }
        if mime::looks_like_mime(input) {
            return self.mime(input, 0, 0, None, 0);
        }
        // Armour after some text (gpgsm's test messages put a line of prose first).
        if let Some(at) = input.windows(11).position(|w| w == b"-----BEGIN ") {
            if std::str::from_utf8(&input[..at]).is_ok() {
                self.findings.push(finding(
                    Severity::Info,
                    findings::PEM_LABEL_NONSTANDARD,
                    format!(
                        "{at} bytes of text before the PEM block are not part of the message and were not read"
                    ),
                    "RFC 7468 §2",
                    None,
                ));
                return self.pem(input, None);
            }
        }
        if pem::looks_like_base64(input) {
            let der = pem::decode_base64(input).map_err(|e| {
                Error::Unrecognised(format!("text looks like base64 but does not decode: {e}"))
            })?;
            let idx = self.push_layer(
                "base64",
                format!("base64 text, {} bytes decoded", der.len()),
                [0, input.len()],
                0,
                None,
                Vec::new(),
            )?;
            if ieee1609::data::looks_like_data(&der) {
                return self.ieee1609(&der, idx + 1, 0, Some(idx));
            }
            if der.first() != Some(&0x30) {
                return Err(Error::Unrecognised(
                    "base64 text does not decode to a DER/BER structure or an IEEE 1609.2 message"
                        .into(),
                ));
            }
            return self.cms(&der, idx + 1, [0, der.len()], Some(idx));
        }
        if self.opts.ssm_stored.is_some() {
            // A stored dirq body is the plain message SSM kept after checking it.
            return self.leaf(sniff(input), input, 0, [0, input.len()], None);
        }
        let shown: String = input
            .iter()
            .take(16)
            .map(|&b| {
                if b.is_ascii_graphic() {
                    char::from(b)
                } else {
                    '.'
                }
            })
            .collect();
        Err(Error::Unrecognised(format!(
            "not a MIME message, CMS (DER/BER), PEM or base64 (starts with {shown:?})"
        )))
    }

    /// One STOMP frame, or a capture of several: each frame a layer, its body inspected.
    fn stomp(&mut self, input: &[u8]) -> Result<(), Error> {
        let frames = stomp::parse_frames(input, MAX_LAYERS).map_err(|e| layer_error("STOMP", e))?;
        let capture = if frames.len() > 1 {
            Some(self.push_layer(
                "stomp-capture",
                format!("{} STOMP frames", frames.len()),
                [0, input.len()],
                0,
                None,
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
                "stomp-frame",
                format!(
                    "STOMP {}{dest}, {} byte body",
                    f.command,
                    f.body_end - f.body_start
                ),
                [f.start, f.end],
                0,
                capture,
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
                self.bitrepo(signature, body, 0, [f.body_start, f.body_end], idx)?;
                continue;
            }
            if body.is_empty() {
                continue;
            }
            self.body(body, 0, [f.body_start, f.body_end], idx, None)?;
        }
        Ok(())
    }

    /// A carrier's body: MIME, CMS (DER/BER, PEM or base64) or a payload.
    fn body(
        &mut self,
        body: &[u8],
        buffer: usize,
        range: [usize; 2],
        parent: usize,
        media_type: Option<&str>,
    ) -> Result<(), Error> {
        self.remember(buffer, range[0], body);
        if mime::looks_like_mime(body) {
            return self.mime(body, buffer, range[0], Some(parent), 0);
        }
        if body.first() == Some(&0x30) && signed_data::content_info(body).is_ok() {
            return self.cms(body, buffer, range, Some(parent));
        }
        if ieee1609::data::looks_like_data(body) {
            return self.ieee1609(body, buffer, range[0], Some(parent));
        }
        let mt = media_type.unwrap_or_else(|| sniff(body));
        self.leaf(mt, body, buffer, range, Some(parent))
    }

    /// HTTP/1.1 messages: each a layer; a body with a Content-Type is read as the MIME entity
    /// the head describes (SCMP sends its outer S/MIME headers as HTTP headers).
    fn http(&mut self, input: &[u8]) -> Result<(), Error> {
        let messages =
            http::parse_messages(input, MAX_LAYERS).map_err(|e| layer_error("HTTP", e))?;
        for m in &messages {
            let kind = if m.is_response() {
                "http-response"
            } else {
                "http-request"
            };
            let body = m.body(input);
            let idx = self.push_layer(
                kind,
                format!("{}, {} byte body", m.describe(), body.len()),
                [m.start, m.end],
                0,
                None,
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
                            "http-header",
                            format!(
                                "header {name}: base64 IEEE 1609.2 data, {} bytes",
                                raw.len()
                            ),
                            [m.headers_start, m.body_start],
                            0,
                            Some(idx),
                            vec![(
                                name.clone(),
                                format!("{} characters of base64", value.len()),
                            )],
                        )?;
                        self.ieee1609(&raw, h + 1, 0, Some(h))?;
                    }
                }
            }
            if body.is_empty() {
                continue;
            }
            if let Some(sig) = m.header(bitrepo::SIGNATURE_HEADER) {
                let range = body_range(m, idx);
                self.bitrepo(Some(sig), body, range.1, range.0, idx)?;
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
                self.ams(body, buffer, range[0], Some(idx))?;
                continue;
            }
            let octets = content_type.as_deref().is_some_and(|c| {
                c.to_ascii_lowercase()
                    .starts_with("application/octet-stream")
            });
            if octets && ieee1609::data::looks_like_data(body) {
                let (range, buffer) = body_range(m, idx);
                self.ieee1609(body, buffer, range[0], Some(idx))?;
                continue;
            }
            match (&m.body, &content_type) {
                (http::Body::Range(_, e), Some(_)) => {
                    let entity = &input[m.headers_start..*e];
                    self.mime(entity, 0, m.headers_start, Some(idx), 0)?;
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
                    self.mime(&entity, idx + 1, 0, Some(idx), 0)?;
                }
                (_, None) => {
                    let (range, buffer) = body_range(m, idx);
                    self.body(body, buffer, range, idx, None)?;
                }
            }
        }
        Ok(())
    }

    /// ARGO AMS JSON: each message a layer, its base64 `data` inspected.
    fn ams(
        &mut self,
        input: &[u8],
        buffer: usize,
        offset: usize,
        parent: Option<usize>,
    ) -> Result<(), Error> {
        self.remember(buffer, offset, input);
        let messages = ams::parse(input).map_err(|e| layer_error("AMS", e))?;
        let doc = self.push_layer(
            "ams-document",
            format!("ARGO AMS JSON, {} message(s)", messages.len()),
            [offset, offset + input.len()],
            buffer,
            parent,
            Vec::new(),
        )?;
        for (n, m) in messages.iter().enumerate() {
            let idx = self.push_layer(
                "ams-message",
                format!(
                    "AMS message #{}{}, {} bytes of data",
                    n + 1,
                    m.message_id
                        .as_ref()
                        .map(|id| format!(" (id {id})"))
                        .unwrap_or_default(),
                    m.data.len()
                ),
                [offset + m.data_range[0], offset + m.data_range[1]],
                buffer,
                Some(doc),
                m.fields(),
            )?;
            if m.data.is_empty() {
                continue;
            }
            self.body(&m.data, idx + 1, [0, m.data.len()], idx, None)?;
        }
        Ok(())
    }

    /// A Bit Repository message: XML bytes with a detached CMS signature in base64.
    fn bitrepo(
        &mut self,
        signature_b64: Option<&str>,
        xml: &[u8],
        buffer: usize,
        range: [usize; 2],
        parent: usize,
    ) -> Result<(), Error> {
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
            "bitrepo-message",
            format!(
                "Bit Repository {root}, {} bytes of XML, {}",
                xml.len(),
                if signature_b64.is_some() {
                    "signed"
                } else {
                    "unsigned"
                }
            ),
            range,
            buffer,
            Some(parent),
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
            };
            self.cms_with_content(&der, idx + 1, [0, der.len()], Some(idx), Some(detached))?;
            signed = true;
        }
        if signed {
            self.signed_depth += 1;
        }
        let r = self.leaf("application/xml", xml, buffer, range, Some(idx));
        if signed {
            self.signed_depth -= 1;
        }
        r
    }

    fn pem(&mut self, input: &[u8], parent: Option<usize>) -> Result<(), Error> {
        let blocks = pem::blocks(input)?;
        let Some((label, der)) = blocks.into_iter().next() else {
            return Err(Error::Encoding("PEM text holds no block".into()));
        };
        let idx = self.push_layer(
            "pem",
            format!("PEM block {label}, {} bytes decoded", der.len()),
            [0, input.len()],
            0,
            parent,
            vec![("label".into(), label.clone())],
        )?;
        match label.as_str() {
            "PKCS7" | "CMS" | "PKCS #7 SIGNED DATA" => {
                self.cms(&der, idx + 1, [0, der.len()], Some(idx))
            }
            "CERTIFICATE" | "X509 CERTIFICATE" | "X509 CRL" | "PRIVATE KEY"
            | "ENCRYPTED PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY"
            | "DSA PRIVATE KEY" | "PUBLIC KEY" => Err(Error::Unrecognised(format!(
                "the PEM block is {label}, which is key material, not a message (pass it with --trust, --cert, --crl or --key)"
            ))),
            // Other producers' armour (gpgsm: SIGNED MESSAGE, ENCRYPTED MESSAGE): the label
            // says little; what decides is whether the bytes are a CMS ContentInfo.
            other => {
                let der_view = asn1::normalise_cow(&der).ok();
                let is_cms = der_view
                    .as_deref()
                    .is_some_and(|d| signed_data::content_info(d).is_ok());
                if !is_cms {
                    return Err(Error::Unrecognised(format!(
                        "PEM block {other} does not hold a CMS ContentInfo ({} bytes decoded, starting {})",
                        der.len(),
                        hex::encode(&der[..der.len().min(8)])
                    )));
                }
                self.findings.push(finding(
                    Severity::Info,
                    findings::PEM_LABEL_NONSTANDARD,
                    format!(
                        "PEM label \"{other}\" is not one RFC 7468 defines for CMS (\"CMS\" or \"PKCS7\"); its content is a CMS ContentInfo and is read as one"
                    ),
                    "RFC 7468 §9",
                    Some(idx),
                ));
                self.cms(&der, idx + 1, [0, der.len()], Some(idx))
            }
        }
    }

    /// A CMS ContentInfo in `bytes` (buffer number `buffer`).
    fn cms(
        &mut self,
        bytes: &[u8],
        buffer: usize,
        range: [usize; 2],
        parent: Option<usize>,
    ) -> Result<(), Error> {
        self.cms_with_content(bytes, buffer, range, parent, None)
    }

    fn cms_with_content(
        &mut self,
        bytes: &[u8],
        buffer: usize,
        range: [usize; 2],
        parent: Option<usize>,
        detached: Option<ContentCandidates<'_>>,
    ) -> Result<(), Error> {
        // Bytes after the ContentInfo (a stray byte at the end of a PEM body): OpenSSL
        // ignores them; say so and read the structure.
        if let Ok(t) = asn1::read_tlv(bytes, 0, bytes.len(), 0) {
            if t.end < bytes.len() {
                self.findings.push(finding(
                    Severity::Warning,
                    findings::TRAILING_DATA,
                    format!(
                        "{} bytes after the CMS ContentInfo (which ends at byte {}) are not part of it and were ignored",
                        bytes.len() - t.end,
                        t.end
                    ),
                    "X.690 §8.1.1",
                    parent,
                ));
                return self.cms_with_content(
                    &bytes[..t.end],
                    buffer,
                    [range[0], range[0] + t.end],
                    parent,
                    detached,
                );
            }
        }
        self.remember(buffer, range[0], bytes);
        let der = asn1::normalise_cow(bytes).map_err(|e| layer_error("CMS", e))?;
        let was_ber = matches!(&der, std::borrow::Cow::Owned(v) if v.as_slice() != bytes);
        let (oid, content) = signed_data::content_info(&der).map_err(|e| layer_error("CMS", e))?;
        let encoding = if was_ber {
            "BER (normalised to DER)"
        } else {
            "DER"
        };
        if oid == ct::ENVELOPED_DATA || oid == ct::AUTH_ENVELOPED_DATA {
            let content = content
                .ok_or_else(|| Error::Unrecognised("CMS enveloped-data has no content".into()))?;
            let auth = oid == ct::AUTH_ENVELOPED_DATA;
            return self.enveloped(&der, &content, auth, encoding, buffer, range, parent);
        }
        if oid == ct::COMPRESSED_DATA {
            let content = content
                .ok_or_else(|| Error::Unrecognised("CMS compressed-data has no content".into()))?;
            return self.compressed(&der, &content, encoding, buffer, range, parent);
        }
        if oid == ct::ENCRYPTED_DATA {
            let content = content
                .ok_or_else(|| Error::Unrecognised("CMS encrypted-data has no content".into()))?;
            return self.encrypted_data(&der, &content, encoding, buffer, range, parent);
        }
        if oid == ct::DIGESTED_DATA {
            let content = content
                .ok_or_else(|| Error::Unrecognised("CMS digested-data has no content".into()))?;
            return self.digested(&der, &content, encoding, buffer, range, parent);
        }
        if oid != ct::SIGNED_DATA {
            let idx = self.push_layer(
                &format!("cms-{}", oid_name(&oid)),
                format!("CMS {} ({encoding})", oid_name(&oid)),
                range,
                buffer,
                parent,
                vec![
                    ("contentType".into(), oid.to_string()),
                    ("encoding".into(), encoding.into()),
                ],
            )?;
            self.findings.push(finding(
                Severity::Warning,
                findings::LAYER_NOT_OPENED,
                format!(
                    "CMS {} is recognised but this version of sealscope does not open it",
                    oid_name(&oid)
                ),
                "RFC 5652 §3",
                Some(idx),
            ));
            return Ok(());
        }
        let content =
            content.ok_or_else(|| Error::Unrecognised("CMS signed-data has no content".into()))?;
        let sd = signed_data::parse(&der, &content).map_err(|e| layer_error("SignedData", e))?;
        let detached_flag = sd.econtent.is_none();
        let mut headers = vec![
            ("version".to_string(), sd.version.to_string()),
            (
                "digestAlgorithms".to_string(),
                sd.digest_algorithms.join(", "),
            ),
            ("eContentType".to_string(), oid_name(&sd.econtent_type)),
            (
                "eContent".to_string(),
                match &sd.econtent {
                    Some(c) => format!("{} bytes (encapsulated)", c.len()),
                    None => "absent (detached signature)".into(),
                },
            ),
            (
                "certificates".to_string(),
                sd.certificates.len().to_string(),
            ),
            ("crls".to_string(), sd.crl_count.to_string()),
            ("signerInfos".to_string(), sd.signer_infos.len().to_string()),
            ("encoding".to_string(), encoding.to_string()),
        ];
        for c in &sd.certificates {
            headers.push((
                "certificate".into(),
                format!(
                    "{} (serial {})",
                    crate::x509::dn::rfc4514(c.subject()),
                    c.serial_hex()
                ),
            ));
        }
        let idx = self.push_layer(
            "cms-signed-data",
            format!(
                "CMS SignedData v{}, {} signer(s), {}{}",
                sd.version,
                sd.signer_infos.len(),
                if detached_flag {
                    "detached"
                } else {
                    "encapsulated content"
                },
                if was_ber { ", BER" } else { "" }
            ),
            range,
            buffer,
            parent,
            headers,
        )?;
        for e in &sd.certificate_errors {
            self.findings.push(finding(
                Severity::Warning,
                findings::MIME_MALFORMED,
                format!("a certificate in the message cannot be read: {e}"),
                "RFC 5652 §10.2.2",
                Some(idx),
            ));
        }
        if sd.signer_infos.is_empty() {
            self.findings.push(finding(
                Severity::Warning,
                findings::NOT_SIGNED,
                "SignedData has no SignerInfo: it carries certificates only (a certs-only message)",
                "RFC 8551 §3.6",
                Some(idx),
            ));
        }
        if sd.signer_infos.len() > MAX_SIGNERS {
            return Err(Error::Limit {
                what: "number of SignerInfos".into(),
                limit: MAX_SIGNERS,
            });
        }
        let supplied = self.opts.detached_content.as_deref();
        let encapsulated = sd.econtent_digested.as_ref().map(|c| ContentCandidates {
            canonical: c.as_ref(),
            as_sent: None,
            canonical_sha256: self.prehashed_for(c),
        });
        // In a multipart/signed, the first body part is what a mail client shows, so it is
        // what the signature must cover (RFC 8551 §3.5.3), even when the SignedData also
        // encapsulates content of its own; OpenSSL and Thunderbird verify the same way.
        let candidates = match (encapsulated, detached) {
            (_, Some(d)) => Some(d),
            (Some(e), None) => Some(e),
            (None, None) => supplied.map(|c| ContentCandidates {
                canonical: c,
                as_sent: None,
                canonical_sha256: None,
            }),
        };
        let mut digests = Vec::new();
        let mut content_sha256 = None;
        let first_signature = self.signatures.len();
        for i in 0..sd.signer_infos.len() {
            let outcome =
                signed_data::verify_signer(&sd, i, candidates, self.keyring, self.opts.at, idx);
            digests.push(outcome.digest);
            content_sha256 = content_sha256.or(outcome.content_sha256);
            self.signatures.push(outcome.report);
            self.findings.extend(outcome.findings);
        }
        for (i, d) in digests.iter().enumerate() {
            let Some(d) = d else { continue };
            if !sd.digest_algorithms.iter().any(|a| a == d.name()) {
                self.findings.push(finding(
                    Severity::Error,
                    findings::DIGEST_ALGORITHM_NOT_LISTED,
                    format!(
                        "SignerInfo #{} uses {}, which SignedData.digestAlgorithms does not list ({}): one-pass verifiers (OpenSSL, NSS) hash only the listed algorithms and reject the signature",
                        i + 1,
                        d.name(),
                        if sd.digest_algorithms.is_empty() {
                            "it is empty".to_string()
                        } else {
                            sd.digest_algorithms.join(", ")
                        }
                    ),
                    "RFC 5652 §5.1",
                    Some(idx),
                ));
            }
        }
        self.last_digests = digests;
        if let (Some(e), Some(d)) = (encapsulated, detached) {
            self.check_wrapping(&sd, e, d, idx, first_signature);
        }
        self.countersignatures(&sd, idx);
        // Unwrap encapsulated content. Content that a multipart/signed carries inside its
        // signature part besides the first body part is shown, but not as the message's
        // content: no mail client displays it.
        if let Some(inner) = &sd.econtent {
            let signed = detached.is_none();
            self.signed_depth += usize::from(signed);
            self.hidden_depth += usize::from(!signed);
            let known = if signed {
                content_sha256.map(hex::encode)
            } else {
                None
            };
            let r = self.with_known_sha256(inner, known, |ctx| {
                ctx.inner_content(inner, &sd.econtent_type, idx)
            });
            self.signed_depth -= usize::from(signed);
            self.hidden_depth -= usize::from(!signed);
            r?;
        } else if detached.is_none() {
            if let Some(c) = supplied {
                self.signed_depth += 1;
                let own_buffer = self.layers.len() + 1;
                let child = self.push_layer(
                    "detached-content",
                    format!("detached content supplied separately, {} bytes", c.len()),
                    [0, c.len()],
                    own_buffer,
                    Some(idx),
                    Vec::new(),
                )?;
                let r = self.inner_content(c, &sd.econtent_type, child);
                self.signed_depth -= 1;
                r?;
            }
        }
        Ok(())
    }

    /// An EnvelopedData or AuthEnvelopedData: recipients, decryption, then its content.
    #[allow(clippy::too_many_arguments)]
    fn enveloped(
        &mut self,
        der: &[u8],
        content: &asn1::Tlv,
        authenticated: bool,
        encoding: &str,
        buffer: usize,
        range: [usize; 2],
        parent: Option<usize>,
    ) -> Result<(), Error> {
        let name = if authenticated {
            "AuthEnvelopedData"
        } else {
            "EnvelopedData"
        };
        let env =
            enveloped_data::parse(der, content, authenticated).map_err(|e| layer_error(name, e))?;
        let cipher_name = crate::crypto::ciphers::content_cipher(&env.content_alg)
            .map(|c| c.name())
            .unwrap_or_else(|_| oid_name(&env.content_alg.oid));
        let headers = vec![
            ("version".to_string(), env.version.to_string()),
            (
                "recipientInfos".to_string(),
                env.recipients.len().to_string(),
            ),
            ("contentType".to_string(), oid_name(&env.content_type)),
            (
                "contentEncryptionAlgorithm".to_string(),
                cipher_name.clone(),
            ),
            (
                "encryptedContent".to_string(),
                match &env.encrypted_content {
                    Some(c) => format!("{} bytes", c.len()),
                    None => "absent (detached)".into(),
                },
            ),
            ("encoding".to_string(), encoding.to_string()),
        ];
        let kind = if authenticated {
            "cms-auth-enveloped-data"
        } else {
            "cms-enveloped-data"
        };
        let idx = self.push_layer(
            kind,
            format!(
                "CMS {name} v{}, {} recipient(s), {cipher_name}",
                env.version,
                env.recipients.len()
            ),
            range,
            buffer,
            parent,
            headers,
        )?;
        let opened = enveloped_data::open(&env, self.keyring, idx);
        match &opened.cipher {
            Some(ContentCipher::DesEde3Cbc { .. }) => self.findings.push(finding(
                Severity::Info,
                findings::WEAK_CIPHER,
                "the content is encrypted with DES-EDE3-CBC (Triple DES), which is no longer recommended",
                "RFC 8551 §2.7",
                Some(idx),
            )),
            Some(ContentCipher::Rc2Cbc { effective_bits, .. }) => self.findings.push(finding(
                Severity::Warning,
                findings::WEAK_CIPHER,
                format!(
                    "the content is encrypted with RC2 ({effective_bits}-bit effective key), which offers little protection (40-bit RC2 falls to exhaustive search)"
                ),
                "RFC 8551 §2.7, RFC 3370 §5.2",
                Some(idx),
            )),
            _ => {}
        }
        if !opened.report.decrypted {
            // A key the message names that still fails means altered ciphertext or tag.
            let (severity, code) = if opened.named_key_failed {
                (Severity::Error, findings::DECRYPTION_FAILED)
            } else {
                (Severity::Warning, findings::NOT_DECRYPTED)
            };
            self.findings.push(finding(
                severity,
                code,
                format!("{name}: {}", opened.report.reason),
                if authenticated {
                    "RFC 5083 §2.2"
                } else {
                    "RFC 5652 §6.2"
                },
                Some(idx),
            ));
        }
        self.read_decrypted(opened.report, opened.plaintext, &env.content_type, idx)
    }

    /// Records an encryption layer's report, then reads its plaintext (kept shared, not
    /// copied, while the layers inside are read).
    fn read_decrypted(
        &mut self,
        report: EncryptionReport,
        plaintext: Option<Vec<u8>>,
        content_type: &der::asn1::ObjectIdentifier,
        idx: usize,
    ) -> Result<(), Error> {
        let sha = report.content_sha256.clone();
        self.encryption.push(report);
        let Some(plain) = plaintext else {
            return Ok(());
        };
        let plain = std::rc::Rc::new(plain);
        self.shared.push(plain.clone());
        let r = self.with_known_sha256(&plain, sha, |ctx| {
            ctx.inner_content(&plain, content_type, idx)
        });
        self.shared.pop();
        r
    }

    /// A CompressedData: decompressed (bounded), then its content.
    fn compressed(
        &mut self,
        der: &[u8],
        content: &asn1::Tlv,
        encoding: &str,
        buffer: usize,
        range: [usize; 2],
        parent: Option<usize>,
    ) -> Result<(), Error> {
        // Nested CompressedData shares one budget: everything decompressed while reading one
        // input together stays within the input size limit.
        let budget = self.opts.max_input.saturating_sub(self.decompressed);
        let d = compressed_data::decompress(der, content, budget)
            .map_err(|e| layer_error("CompressedData", e))?;
        self.decompressed += d.content.len();
        let idx = self.push_layer(
            "cms-compressed-data",
            format!(
                "CMS CompressedData (zlib), {} bytes → {} bytes",
                d.compressed_len,
                d.content.len()
            ),
            range,
            buffer,
            parent,
            vec![
                ("compressionAlgorithm".into(), "zlib".into()),
                ("eContentType".into(), oid_name(&d.content_type)),
                ("encoding".into(), encoding.into()),
            ],
        )?;
        self.inner_content(&d.content, &d.content_type, idx)
    }

    /// An EncryptedData (RFC 5652 §8): decrypted with a content key given by the caller.
    fn encrypted_data(
        &mut self,
        der: &[u8],
        content: &asn1::Tlv,
        encoding: &str,
        buffer: usize,
        range: [usize; 2],
        parent: Option<usize>,
    ) -> Result<(), Error> {
        let ed = enveloped_data::parse_encrypted_data(der, content)
            .map_err(|e| layer_error("EncryptedData", e))?;
        let idx = self.push_layer(
            "cms-encrypted-data",
            format!(
                "CMS EncryptedData v{}, {}",
                ed.version,
                crate::crypto::ciphers::content_cipher(&ed.content_alg)
                    .map(|c| c.name())
                    .unwrap_or_else(|_| oid_name(&ed.content_alg.oid))
            ),
            range,
            buffer,
            parent,
            vec![
                ("contentType".into(), oid_name(&ed.content_type)),
                (
                    "contentEncryptionAlgorithm".into(),
                    oid_name(&ed.content_alg.oid),
                ),
                ("encoding".into(), encoding.into()),
            ],
        )?;
        let (report, plain) = enveloped_data::open_encrypted_data(&ed, self.keyring, idx);
        if !report.decrypted {
            self.findings.push(finding(
                Severity::Warning,
                findings::NOT_DECRYPTED,
                format!("EncryptedData: {}", report.reason),
                "RFC 5652 §8",
                Some(idx),
            ));
        }
        self.read_decrypted(report, plain, &ed.content_type, idx)
    }

    /// A DigestedData (RFC 5652 §7): the digest is checked, then the content is read. A
    /// digest proves integrity only, not who made the message, so it is no signature.
    fn digested(
        &mut self,
        der: &[u8],
        content: &asn1::Tlv,
        encoding: &str,
        buffer: usize,
        range: [usize; 2],
        parent: Option<usize>,
    ) -> Result<(), Error> {
        let d = digested_data::parse(der, content).map_err(|e| layer_error("DigestedData", e))?;
        let idx = self.push_layer(
            "cms-digested-data",
            format!(
                "CMS DigestedData v{}, {}, {}",
                d.version,
                oid_name(&d.digest_oid),
                if d.content.is_some() {
                    "encapsulated content"
                } else {
                    "detached"
                }
            ),
            range,
            buffer,
            parent,
            vec![
                ("digestAlgorithm".into(), oid_name(&d.digest_oid)),
                ("eContentType".into(), oid_name(&d.content_type)),
                ("digest".into(), hex::encode(&d.value)),
                ("encoding".into(), encoding.into()),
            ],
        )?;
        let supplied = self.opts.detached_content.as_deref();
        match digested_data::check(&d, supplied) {
            Ok(()) => self.findings.push(finding(
                Severity::Info,
                findings::DIGEST_VERIFIED,
                format!(
                    "the DigestedData's {} digest matches its content (integrity only: a digest does not say who made it)",
                    oid_name(&d.digest_oid)
                ),
                "RFC 5652 §7",
                Some(idx),
            )),
            Err(digested_data::DigestProblem::Mismatch(why)) => self.findings.push(finding(
                Severity::Error,
                findings::CONTENT_DIGEST_MISMATCH,
                format!("DigestedData: {why}"),
                "RFC 5652 §7",
                Some(idx),
            )),
            Err(digested_data::DigestProblem::Unchecked(why)) => self.findings.push(finding(
                Severity::Warning,
                findings::UNSUPPORTED_ALGORITHM,
                format!("DigestedData: the digest cannot be checked: {why}"),
                "RFC 5652 §7",
                Some(idx),
            )),
        }
        match (&d.content, supplied) {
            (Some(c), _) => self.inner_content(c, &d.content_type, idx),
            (None, Some(c)) => self.inner_content(c, &d.content_type, idx),
            (None, None) => Ok(()),
        }
    }

    /// What a SignedData encapsulates: MIME for S/MIME, nested CMS, or a payload.
    fn inner_content(
        &mut self,
        bytes: &[u8],
        econtent_type: &der::asn1::ObjectIdentifier,
        parent: usize,
    ) -> Result<(), Error> {
        let buffer = parent + 1;
        if *econtent_type == ct::DATA {
            if mime::looks_like_mime(bytes) {
                return self.mime(bytes, buffer, 0, Some(parent), 0);
            }
            if bytes.first() == Some(&0x30) && signed_data::content_info(bytes).is_ok() {
                return self.cms(bytes, buffer, [0, bytes.len()], Some(parent));
            }
            return self.leaf(sniff(bytes), bytes, buffer, [0, bytes.len()], Some(parent));
        }
        // A CMS type as eContentType (RFC 5652 §5.2): the content is a ContentInfo's content
        // field for that type; wrap it back into a ContentInfo to read it.
        if [
            ct::SIGNED_DATA,
            ct::ENVELOPED_DATA,
            ct::AUTH_ENVELOPED_DATA,
            ct::COMPRESSED_DATA,
        ]
        .contains(econtent_type)
        {
            let wrapped = wrap_content_info(econtent_type, bytes);
            return self.cms(&wrapped, buffer, [0, bytes.len()], Some(parent));
        }
        self.leaf(
            &oid_name(econtent_type),
            bytes,
            buffer,
            [0, bytes.len()],
            Some(parent),
        )
    }

    /// The innermost payload; `range` locates it in buffer `buffer`.
    fn leaf(
        &mut self,
        media_type: &str,
        bytes: &[u8],
        buffer: usize,
        range: [usize; 2],
        parent: Option<usize>,
    ) -> Result<(), Error> {
        self.remember(buffer, range[0], bytes);
        let layer = self.push_layer(
            "content",
            format!("{media_type}, {} bytes", bytes.len()),
            range,
            buffer,
            parent,
            Vec::new(),
        )?;
        let here = span(bytes);
        let sha256 = self
            .known_sha256
            .iter()
            .rev()
            .find(|(at, len, _)| *at == here.start && *len == bytes.len())
            .map(|(_, _, hex)| hex.clone());
        // Bytes inside the input stay there; decoded bytes are kept.
        let within = |outer: &std::ops::Range<usize>| {
            (here.start >= outer.start && here.end <= outer.end).then(|| {
                let at = here.start - outer.start;
                at..at + bytes.len()
            })
        };
        let shared = self
            .shared
            .iter()
            .rev()
            .find_map(|buf| within(&span(buf)).map(|r| LeafBytes::Shared(buf.clone(), r)));
        let bytes = match (within(&self.input_span), shared) {
            (Some(r), _) => LeafBytes::Input(r),
            (None, Some(shared)) => shared,
            (None, None) => LeafBytes::Owned(bytes.to_vec()),
        };
        self.leaves.push(Leaf {
            depth: self.signed_depth,
            shown: self.hidden_depth == 0,
            layer,
            media_type: media_type.to_string(),
            bytes,
            sha256,
        });
        Ok(())
    }

    /// A MIME entity occupying `bytes`, which sit at `offset` within buffer `buffer`.
    fn mime(
        &mut self,
        bytes: &[u8],
        buffer: usize,
        offset: usize,
        parent: Option<usize>,
        depth: usize,
    ) -> Result<(), Error> {
        self.remember(buffer, offset, bytes);
        if depth > mime::MAX_MIME_DEPTH {
            return Err(Error::Limit {
                what: "MIME nesting depth".into(),
                limit: mime::MAX_MIME_DEPTH,
            });
        }
        let ent = mime::parse_entity(bytes).map_err(|e| layer_error("MIME", e))?;
        let mt = ent.content_type.media_type.clone();
        let kind = if mt == "multipart/signed" {
            "multipart-signed"
        } else {
            "mime"
        };
        let idx = self.push_layer(
            kind,
            ent.content_type.display(),
            [offset, offset + bytes.len()],
            buffer,
            parent,
            ent.headers.clone(),
        )?;
        self.layers[idx].content_type = Some(layer_content_type(&ent));
        if ent.encoding_problem {
            self.findings.push(finding(
                Severity::Warning,
                findings::MIME_MALFORMED,
                format!("the body of the {mt} entity has a transfer-encoding problem"),
                "RFC 2045 §6",
                Some(idx),
            ));
        }
        match mt.as_str() {
            "multipart/signed" => self.multipart_signed(bytes, buffer, offset, idx, &ent, depth),
            m if m.starts_with("multipart/") => {
                if ent.children.is_empty() {
                    self.findings.push(finding(
                        Severity::Warning,
                        findings::MIME_MALFORMED,
                        format!("{m} has no body parts (missing boundary?)"),
                        "RFC 2046 §5.1.1",
                        Some(idx),
                    ));
                }
                for c in &ent.children {
                    self.mime(
                        &bytes[c.start..c.end],
                        buffer,
                        offset + c.start,
                        Some(idx),
                        depth + 1,
                    )?;
                }
                Ok(())
            }
            "message/rfc822" => {
                if ent
                    .transfer_encoding
                    .as_deref()
                    .is_none_or(|e| matches!(e, "7bit" | "8bit" | "binary"))
                {
                    let (s, e) = (ent.body_start, ent.body_end);
                    self.mime(&bytes[s..e], buffer, offset + s, Some(idx), depth + 1)
                } else {
                    let decoded = ent.decoded.clone();
                    self.mime(&decoded, idx + 1, 0, Some(idx), depth + 1)
                }
            }
            "application/pkcs7-mime" | "application/x-pkcs7-mime" => self.pkcs7_mime(&ent, idx),
            "application/pkcs7-signature" | "application/x-pkcs7-signature" => {
                // A detached signature on its own: content comes from --content.
                let der = ent.decoded.clone();
                self.cms(&der, idx + 1, [0, der.len()], Some(idx))
            }
            "application/octet-stream" if is_p7m_name(&ent) => self.pkcs7_mime(&ent, idx),
            _ => {
                // The transfer-decoded body: the decoded content of this MIME layer.
                let decoded = ent.decoded.clone();
                self.leaf(&mt, &decoded, idx + 1, [0, decoded.len()], Some(idx))
            }
        }
    }

    fn pkcs7_mime(&mut self, ent: &Entity, idx: usize) -> Result<(), Error> {
        let smime_type = ent.content_type.param("smime-type").map(str::to_string);
        if smime_type.is_none() {
            self.findings.push(finding(
                Severity::Warning,
                findings::SMIME_TYPE_MISSING,
                format!(
                    "{} has no smime-type parameter",
                    ent.content_type.media_type
                ),
                "RFC 8551 §3.2.2",
                Some(idx),
            ));
        }
        let der = ent.decoded.clone();
        self.cms(&der, idx + 1, [0, der.len()], Some(idx))
    }

    fn multipart_signed(
        &mut self,
        bytes: &[u8],
        buffer: usize,
        offset: usize,
        idx: usize,
        ent: &Entity,
        depth: usize,
    ) -> Result<(), Error> {
        let [first, second] = ent.children.as_slice() else {
            return Err(Error::Malformed {
                structure: "multipart/signed".into(),
                reason: format!(
                    "has {} body parts; RFC 1847 §2.1 requires exactly two (content, signature)",
                    ent.children.len()
                ),
            });
        };
        let protocol = ent
            .content_type
            .param("protocol")
            .map(str::to_ascii_lowercase);
        if protocol.as_deref() == Some("application/pgp-signature") {
            // RFC 3156: an OpenPGP signature. Say so, and read what it signs (it may hold
            // S/MIME layers of its own), unverified.
            self.findings.push(finding(
                Severity::Warning,
                findings::LAYER_NOT_OPENED,
                "multipart/signed carries an OpenPGP signature (RFC 3156), which sealscope does not verify; the signed part is shown unverified",
                "RFC 3156 §5",
                Some(idx),
            ));
            self.signature_part(bytes, second, offset, buffer, idx)?;
            return self.mime(
                &bytes[first.start..first.end],
                buffer,
                offset + first.start,
                Some(idx),
                depth + 1,
            );
        }
        if !matches!(
            protocol.as_deref(),
            Some("application/pkcs7-signature") | Some("application/x-pkcs7-signature")
        ) {
            self.findings.push(finding(
                Severity::Warning,
                findings::MIME_MALFORMED,
                format!(
                    "multipart/signed protocol is {}, expected application/pkcs7-signature",
                    protocol.as_deref().unwrap_or("missing")
                ),
                "RFC 8551 §3.5.3",
                Some(idx),
            ));
        }
        let micalg = ent.content_type.param("micalg").map(str::to_string);
        let signed_bytes = &bytes[first.start..first.end];
        let canonical = mime::canonicalise(signed_bytes);
        let as_sent = matches!(canonical, std::borrow::Cow::Owned(_)).then_some(signed_bytes);
        // The signature part.
        let (sig_ent, sig_idx) = self.signature_part(bytes, second, offset, buffer, idx)?;
        let der = sig_ent.decoded.clone();
        if der.is_empty() {
            return Err(Error::Malformed {
                structure: "multipart/signed signature part".into(),
                reason: "is empty".into(),
            });
        }
        self.cms_with_content(
            &der,
            sig_idx + 1,
            [0, der.len()],
            Some(sig_idx),
            Some(ContentCandidates {
                canonical: &canonical,
                as_sent,
                canonical_sha256: self.prehashed_for(&canonical),
            }),
        )?;
        self.check_micalg(micalg.as_deref(), idx);
        // The signed content itself.
        self.signed_depth += 1;
        let r = self.mime(
            signed_bytes,
            buffer,
            offset + first.start,
            Some(idx),
            depth + 1,
        );
        self.signed_depth -= 1;
        r
    }

    /// Verifies the countersignatures of every SignerInfo of `sd` (RFC 5652 §11.4): each
    /// signs the signature value of its SignerInfo, and is reported as a signature of its own.
    fn countersignatures(&mut self, sd: &signed_data::SignedData, idx: usize) {
        for (i, raw) in sd.signer_infos.iter().enumerate() {
            let (found, value) = signed_data::countersignatures(raw);
            if found.is_empty() {
                continue;
            }
            let counter = signed_data::SignedData {
                version: sd.version,
                digest_algorithms: sd.digest_algorithms.clone(),
                econtent_type: sd.econtent_type,
                econtent: None,
                econtent_digested: None,
                certificates: sd.certificates.clone(),
                certificate_errors: Vec::new(),
                crl_count: sd.crl_count,
                signer_infos: found,
                countersigning: Some(i),
            };
            let over = ContentCandidates {
                canonical: &value,
                as_sent: None,
                canonical_sha256: None,
            };
            for j in 0..counter.signer_infos.len().min(MAX_SIGNERS) {
                let mut outcome = signed_data::verify_signer(
                    &counter,
                    j,
                    Some(over),
                    self.keyring,
                    self.opts.at,
                    idx,
                );
                outcome.report.countersigns = Some(i + 1);
                self.signatures.push(outcome.report);
                self.findings.extend(outcome.findings);
            }
        }
    }

    /// A multipart/signed whose SignedData also encapsulates content (signature wrapping):
    /// says whether the two contents are the same, and when they differ, which one each
    /// SignerInfo covers.
    fn check_wrapping(
        &mut self,
        sd: &signed_data::SignedData,
        encapsulated: ContentCandidates<'_>,
        detached: ContentCandidates<'_>,
        idx: usize,
        first_signature: usize,
    ) {
        let e = encapsulated.canonical;
        let same = e == detached.canonical || detached.as_sent == Some(e);
        let describe = |b: &[u8]| format!("{} bytes, SHA-256 {}", b.len(), sha256_hex(b));
        if same {
            self.findings.push(finding(
                Severity::Info,
                findings::ENCAPSULATED_CONTENT_DIFFERS,
                format!(
                    "the signature part's SignedData also encapsulates the content ({}); it is identical to the first body part, which is what was verified",
                    describe(e)
                ),
                "RFC 8551 §3.5.3",
                Some(idx),
            ));
            return;
        }
        // Which content does each SignerInfo's signature actually cover?
        let mut covers = Vec::new();
        for i in 0..sd.signer_infos.len() {
            let over_first = self
                .signatures
                .get(first_signature + i)
                .is_some_and(|s| s.status == SignatureStatus::Valid);
            let over_encapsulated = !over_first
                && signed_data::verify_signer(
                    sd,
                    i,
                    Some(encapsulated),
                    self.keyring,
                    self.opts.at,
                    idx,
                )
                .report
                .status
                    == SignatureStatus::Valid;
            covers.push(format!(
                "SignerInfo #{} covers {}",
                i + 1,
                if over_first {
                    "the first body part"
                } else if over_encapsulated {
                    "the encapsulated content, not the first body part"
                } else {
                    "neither"
                }
            ));
        }
        self.findings.push(finding(
            Severity::Error,
            findings::ENCAPSULATED_CONTENT_DIFFERS,
            format!(
                "signature wrapping: the multipart/signed's first body part ({}) is what a mail client shows, but the signature part's SignedData encapsulates different content ({}); {}",
                describe(detached.as_sent.unwrap_or(detached.canonical)),
                describe(e),
                covers.join(", ")
            ),
            "RFC 8551 §3.5.3, RFC 5652 §5.2",
            Some(idx),
        ));
    }

    /// The second body part of a multipart/signed at layer `idx`, as a layer of its own.
    fn signature_part(
        &mut self,
        bytes: &[u8],
        part: &mime::ChildPart,
        offset: usize,
        buffer: usize,
        idx: usize,
    ) -> Result<(Entity, usize), Error> {
        let sig_ent = mime::parse_entity(&bytes[part.start..part.end])
            .map_err(|e| layer_error("multipart/signed signature part", e))?;
        let sig_idx = self.push_layer(
            "mime",
            sig_ent.content_type.display(),
            [offset + part.start, offset + part.end],
            buffer,
            Some(idx),
            sig_ent.headers.clone(),
        )?;
        self.layers[sig_idx].content_type = Some(layer_content_type(&sig_ent));
        Ok((sig_ent, sig_idx))
    }

    /// RFC 8551 §3.5.3.2: micalg lists the digest(s) of the SignerInfos.
    fn check_micalg(&mut self, micalg: Option<&str>, idx: usize) {
        let Some(micalg) = micalg else {
            self.findings.push(finding(
                Severity::Warning,
                findings::MICALG_MISSING,
                "multipart/signed has no micalg parameter",
                "RFC 8551 §3.5.3",
                Some(idx),
            ));
            return;
        };
        let named: Vec<Option<Digest>> = micalg.split(',').map(Digest::from_micalg).collect();
        for d in self.last_digests.clone().into_iter().flatten() {
            if !named.contains(&Some(d)) {
                self.findings.push(finding(
                    Severity::Warning,
                    findings::MICALG_MISMATCH,
                    format!(
                        "micalg is \"{micalg}\" but a SignerInfo uses {} (micalg should be \"{}\")",
                        d.name(),
                        d.micalg()
                    ),
                    "RFC 8551 §3.5.3.2",
                    Some(idx),
                ));
            } else if !micalg
                .split(',')
                .any(|m| m.trim().eq_ignore_ascii_case(d.micalg()))
            {
                self.findings.push(finding(
                    Severity::Info,
                    findings::MICALG_LEGACY_NAME,
                    format!(
                        "micalg value \"{micalg}\" is a historical label for {}; the registered name is \"{}\"",
                        d.name(),
                        d.micalg()
                    ),
                    "RFC 8551 §3.5.3.2",
                    Some(idx),
                ));
            }
        }
    }

    fn finish(mut self, input: &[u8], input_sha256: String, result: Result<(), Error>) -> Report {
        let mut error = None;
        if let Err(e) = result {
            error = Some(e.to_string());
        }
        self.check_unsigned_beside_signed();
        self.check_signing_time_against_date();
        self.check_signature_over_ciphertext();
        let content = self
            .leaves
            .iter()
            .enumerate()
            .max_by_key(|(i, l)| (l.shown, l.depth, std::cmp::Reverse(*i)))
            .map(|(_, l)| {
                let bytes = l.bytes(input);
                let text = std::str::from_utf8(&bytes[..bytes.len().min(MAX_TEXT)])
                    .ok()
                    .map(str::to_string);
                Content {
                    media_type: l.media_type.clone(),
                    size: bytes.len(),
                    sha256: l.sha256.clone().unwrap_or_else(|| sha256_hex(bytes)),
                    hex: text
                        .is_none()
                        .then(|| hex::encode(&bytes[..bytes.len().min(MAX_HEX)])),
                    text,
                }
            });
        let profiles: Vec<ProfileReport> = if error.is_some() && self.layers.is_empty() {
            Vec::new()
        } else {
            let leaves: Vec<(usize, &[u8])> = self
                .leaves
                .iter()
                .map(|l| (l.layer, l.bytes(input)))
                .collect();
            self.opts
                .profile
                .or_else(|| crate::profiles::detect(&self.layers, self.opts))
                .map(|p| {
                    crate::profiles::evaluate(
                        p,
                        &crate::profiles::Input {
                            layers: &self.layers,
                            signatures: &self.signatures,
                            encryption: &self.encryption,
                            content: content.as_ref(),
                            leaves: &leaves,
                            opts: self.opts,
                        },
                    )
                })
                .into_iter()
                .collect()
        };
        if error.is_none()
            && self.signatures.is_empty()
            && !profiles.iter().any(crate::profiles::exempt_from_signing)
            && !profiles
                .iter()
                .any(crate::profiles::reports_missing_signature)
        {
            self.findings.push(finding(
                Severity::Warning,
                findings::NOT_SIGNED,
                "the message carries no signature",
                "RFC 8551 §3.5",
                None,
            ));
        }
        let verdict = match &error {
            // A failure below a layer that was read still says what was found.
            Some(_) if self.layers.is_empty() || self.signatures.is_empty() => Verdict::Unreadable,
            _ => {
                let broken_must = profiles
                    .iter()
                    .any(|p| p.findings.iter().any(|f| f.severity == Severity::Error));
                let broken_should = profiles
                    .iter()
                    .any(|p| p.findings.iter().any(|f| f.severity == Severity::Warning));
                let exempt = profiles.iter().any(crate::profiles::exempt_from_signing);
                match self.verdict(error.is_some(), exempt) {
                    _ if broken_must => Verdict::Invalid,
                    Verdict::Valid if broken_should => Verdict::Warning,
                    v => v,
                }
            }
        };
        if let Some(e) = &error {
            if verdict != Verdict::Unreadable {
                self.findings.push(finding(
                    Severity::Error,
                    "unreadable-layer",
                    e.clone(),
                    "RFC 5652 §3",
                    None,
                ));
            }
        }
        let tree = build_tree(&self.layers);
        Report {
            schema: SCHEMA.to_string(),
            input: InputInfo {
                name: self.opts.name.clone(),
                size: input.len(),
                sha256: input_sha256,
            },
            verification_time: self.opts.at.to_rfc3339(),
            verdict,
            error,
            layers: self.layers,
            tree,
            signatures: self.signatures,
            encryption: self.encryption,
            keys: self.keyring.key_reports(),
            content,
            profiles,
            findings: self.findings,
        }
    }

    /// Parts a mail client shows beside signed ones but outside every signature (a footer
    /// added by a list server, a part added in transit): the signature says nothing of them.
    fn check_unsigned_beside_signed(&mut self) {
        let shown = || self.leaves.iter().filter(|l| l.shown);
        if !shown().any(|l| l.depth > 0) {
            return;
        }
        let unsigned: Vec<String> = shown()
            .filter(|l| l.depth == 0)
            .map(|l| format!("layer {} ({})", l.layer, l.media_type))
            .collect();
        if unsigned.is_empty() {
            return;
        }
        self.findings.push(finding(
            Severity::Warning,
            findings::UNSIGNED_CONTENT_BESIDE_SIGNED,
            format!(
                "{} of the message {} outside every signature although other parts are signed: {}",
                if unsigned.len() == 1 {
                    "one part"
                } else {
                    "some parts"
                },
                if unsigned.len() == 1 { "is" } else { "are" },
                unsigned.join(", ")
            ),
            "RFC 8551 §3.1",
            None,
        ));
    }

    /// A signature whose signed content is encrypted (encrypt, then sign) with no signature
    /// inside: it covers the ciphertext only, so the signer need not have seen the
    /// plaintext, and anyone holding the ciphertext could have signed it.
    fn check_signature_over_ciphertext(&mut self) {
        let kind = |i: usize| self.layers.get(i).map(|l| l.kind.as_str());
        let mut found = Vec::new();
        for (e, layer) in self.layers.iter().enumerate() {
            if layer.kind != "cms-enveloped-data" && layer.kind != "cms-auth-enveloped-data" {
                continue;
            }
            // Only what was opened can be judged; and a signature inside (RFC 2634's triple
            // wrapping: sign, encrypt, sign) already says who wrote the plaintext.
            let opened = self.encryption.iter().any(|r| r.layer == e && r.decrypted);
            let signed_inside = self.layers.iter().enumerate().any(|(i, l)| {
                l.kind == "cms-signed-data" && crate::profiles::encloses(&self.layers, e, i)
            });
            if !opened || signed_inside {
                continue;
            }
            // Walk up to the nearest signature layer, if any.
            let mut at = layer.parent;
            let mut steps = 0;
            while let Some(p) = at {
                match kind(p) {
                    Some("cms-signed-data") | Some("multipart-signed") => {
                        found.push((p, e));
                        break;
                    }
                    Some("cms-enveloped-data") | Some("cms-auth-enveloped-data") => break,
                    _ => {}
                }
                at = self.layers.get(p).and_then(|l| l.parent);
                steps += 1;
                if steps > self.layers.len() {
                    break;
                }
            }
        }
        for (signed, enveloped) in found {
            self.findings.push(finding(
                Severity::Warning,
                findings::ENCRYPT_BEFORE_SIGN,
                format!(
                    "the signature of layer {signed} covers the encrypted layer {enveloped}, not its content: the signer need not have seen the plaintext, and anyone holding the ciphertext could have signed it (sign first, then encrypt)"
                ),
                "RFC 8551 §3.7",
                Some(signed),
            ));
        }
    }

    /// A signingTime far from the Date header of the message that carries the signature
    /// (Thunderbird calls such a signature not good): the message was dated, or signed, at
    /// another time than it claims.
    fn check_signing_time_against_date(&mut self) {
        const TOLERANCE_SECS: i64 = 3600;
        let mut found = Vec::new();
        for (i, sig) in self.signatures.iter().enumerate() {
            let Some(signed) = sig
                .signing_time
                .as_deref()
                .and_then(|t| UnixTime::parse(t).ok())
            else {
                continue;
            };
            // The Date of the nearest enclosing message.
            let mut at = Some(sig.layer);
            let mut date = None;
            let mut steps = 0;
            while let (Some(l), None) = (at, &date) {
                let Some(layer) = self.layers.get(l) else {
                    break;
                };
                date = layer
                    .headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case("date"))
                    .map(|(_, v)| v.clone());
                at = layer.parent;
                steps += 1;
                if steps > self.layers.len() {
                    break;
                }
            }
            let Some(date) = date else { continue };
            let Some(dated) = mail_parser::DateTime::parse_rfc822(&date) else {
                continue;
            };
            let diff = dated.to_timestamp() - signed.0;
            if diff.abs() > TOLERANCE_SECS {
                found.push((i, sig.layer, date, signed, diff));
            }
        }
        for (i, layer, date, signed, diff) in found {
            self.findings.push(finding(
                Severity::Warning,
                findings::SIGNING_TIME_DIFFERS_FROM_DATE,
                format!(
                    "signature {}: signingTime {} is {} {} the message's Date header ({date}); Thunderbird reports such a signature as not good",
                    i + 1,
                    signed.to_rfc3339(),
                    crate::time::duration_words(diff.unsigned_abs()),
                    if diff > 0 { "before" } else { "after" }
                ),
                "RFC 5652 §11.3, RFC 5322 §3.6.1",
                Some(layer),
            ));
        }
    }

    fn verdict(&self, partial: bool, exempt: bool) -> Verdict {
        let anchors = self.keyring.has_anchors();
        let any_invalid = self
            .signatures
            .iter()
            .any(|s| s.status == SignatureStatus::Invalid);
        let chain_failed = anchors
            && self.signatures.iter().any(|s| {
                s.status != SignatureStatus::Unverifiable
                    && !matches!(
                        s.chain.status,
                        ChainStatus::Trusted | ChainStatus::NotChecked
                    )
            });
        let any_error = self.findings.iter().any(|f| f.severity == Severity::Error);
        if any_invalid || chain_failed || any_error || partial {
            return Verdict::Invalid;
        }
        let any_warning = self
            .findings
            .iter()
            .any(|f| f.severity == Severity::Warning);
        let all_trusted = (exempt || !self.signatures.is_empty())
            && self.signatures.iter().all(|s| {
                s.status == SignatureStatus::Valid && s.chain.status == ChainStatus::Trusted
            });
        if any_warning || !all_trusted {
            Verdict::Warning
        } else {
            Verdict::Valid
        }
    }
}

/// Bytes written as hex: one run of hex digits (with whitespace, colons or a `0x` prefix), or
/// a dump with offsets and an ASCII column (`xxd`, `hexdump -C`), when the whole text is that.
fn hex_dump(input: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(input).ok()?.trim();
    let mut digits = String::new();
    for line in text.lines() {
        let line = line.trim();
        // An offset column: hex digits followed by ':' or by spaces in `hexdump -C` style.
        let body = match line.split_once(':') {
            Some((off, rest)) if off.len() >= 4 && off.chars().all(|c| c.is_ascii_hexdigit()) => {
                rest
            }
            _ => line,
        };
        // The ASCII column follows two spaces.
        let body = body.trim_start().split("  ").next().unwrap_or("");
        let body = body.strip_prefix("0x").unwrap_or(body);
        for c in body.chars().filter(|c| !c.is_whitespace() && *c != ':') {
            if !c.is_ascii_hexdigit() {
                return None;
            }
            digits.push(c);
        }
    }
    if digits.len() < 8 || !digits.len().is_multiple_of(2) {
        return None;
    }
    hex::decode(digits).ok()
}

/// Where an HTTP body sits: its range and buffer (the input, or the de-chunked copy that is
/// layer `idx`'s decoded content).
fn body_range(m: &http::Message, idx: usize) -> ([usize; 2], usize) {
    match &m.body {
        http::Body::Range(s, e) => ([*s, *e], 0),
        http::Body::Dechunked(d) => ([0, d.len()], idx + 1),
    }
}

/// ContentInfo { contentType, [0] EXPLICIT content } around a bare CMS content value.
fn wrap_content_info(oid: &der::asn1::ObjectIdentifier, value: &[u8]) -> Vec<u8> {
    let oid = oid.as_bytes();
    let mut explicit = vec![0xA0];
    asn1::encode_length(value.len(), &mut explicit);
    explicit.extend_from_slice(value);
    let mut body = vec![0x06];
    asn1::encode_length(oid.len(), &mut body);
    body.extend_from_slice(oid);
    body.extend_from_slice(&explicit);
    let mut out = vec![0x30];
    asn1::encode_length(body.len(), &mut out);
    out.extend_from_slice(&body);
    out
}

/// The media type of content that carries no MIME headers: text when it is UTF-8 without
/// control characters other than line breaks and tabs.
fn sniff(bytes: &[u8]) -> &'static str {
    let textual = std::str::from_utf8(bytes).is_ok()
        && bytes
            .iter()
            .all(|&b| b >= 0x20 || matches!(b, b'\n' | b'\r' | b'\t'));
    if textual && !bytes.is_empty() {
        "text/plain"
    } else {
        "application/octet-stream"
    }
}

fn layer_content_type(ent: &Entity) -> crate::report::LayerContentType {
    crate::report::LayerContentType {
        media_type: ent.content_type.media_type.clone(),
        params: ent.content_type.params.clone(),
    }
}

fn is_p7m_name(ent: &Entity) -> bool {
    let name = ent
        .content_type
        .param("name")
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let disposition = ent
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-disposition"))
        .map(|(_, v)| v.to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".p7m") || disposition.contains(".p7m")
}

fn build_tree(layers: &[Layer]) -> Option<Node> {
    fn node(layers: &[Layer], i: usize, depth: usize) -> Node {
        let children = if depth > MAX_LAYERS {
            Vec::new()
        } else {
            let mut kids: Vec<usize> = layers
                .iter()
                .enumerate()
                .filter(|(_, l)| l.parent == Some(i))
                .map(|(j, _)| j)
                .collect();
            // Show parts in the order they appear in the message, not the order read.
            kids.sort_by_key(|&j| (layers[j].buffer, layers[j].range[0]));
            kids.into_iter()
                .map(|j| node(layers, j, depth + 1))
                .collect()
        };
        Node {
            kind: layers[i].kind.clone(),
            summary: layers[i].summary.clone(),
            layer: i,
            children,
        }
    }
    let root = layers.iter().position(|l| l.parent.is_none())?;
    Some(node(layers, root, 0))
}
