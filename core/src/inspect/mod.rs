//! The pipeline: detect → unwrap layer by layer (verifying as it goes) → verdict → report.

mod carriers;
mod cms;
mod content;
pub mod detect;
mod dispatch;
mod dot2;
mod dot2_encrypted;
mod envelopes;
mod options;
mod smime;
mod streamed;
mod verdict;

use crate::crypto::algorithms::Digest;
use crate::crypto::prehash::Prehashed;
use crate::error::Error;
use crate::keyring::Keyring;
use crate::report::{
    EncryptionReport, Finding, Headers, Layer, LayerKind, Report, SignatureReport,
};
pub use options::{parse_size, Options};
pub use streamed::StreamedContent;

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
    /// Address range of input bytes the caller did not read (see [`Prehashed::elided`]).
    elided: Option<std::ops::Range<usize>>,
    /// Whether the elided bytes were met only as the encapsulated content they belong to,
    /// as an opaque payload whose report needs none of them.
    elided_claimed: bool,
    /// Whether some step needed the elided bytes themselves: the report is then not valid.
    needs_elided: bool,
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
    let without_elision = Prehashed {
        elided: None,
        ..prehashed.clone()
    };
    run(input, keyring, opts, false, &without_elision).0
}

/// Like [`inspect_prehashed`] for an input of which the caller did not read every byte:
/// `prehashed.elided` names bytes inside the content range that were only hashed as they
/// streamed by, with zeros standing in for them in `input`. This is how a large opaque
/// SignedData is checked without holding its content (a 100 MiB `openssl cms -sign -nodetach`
/// file). Returns `None` when the report would depend on the elided bytes — content that is
/// text, MIME or nested CMS, a signer whose digest is not SHA-256, no signed attributes, a
/// digest mismatch to explain, a profile to evaluate — and the caller must then read the
/// whole input and call [`inspect_prehashed`]. A `Some` report is the one the whole input
/// gives.
pub fn inspect_elided(
    input: &[u8],
    keyring: &Keyring,
    opts: &Options,
    prehashed: &Prehashed,
) -> Option<Report> {
    let (report, _, complete) = run(input, keyring, opts, false, prehashed);
    complete.then_some(report)
}

/// Like [`inspect`], and also returns the decoded buffers the layers' ranges refer to:
/// entry `n` is buffer `n` (see [`crate::report::Layer::buffer`]); buffer 0, the input
/// itself, is left empty. Front ends use them to show the bytes of any node.
pub fn inspect_with_buffers(
    input: &[u8],
    keyring: &Keyring,
    opts: &Options,
) -> (Report, Vec<Vec<u8>>) {
    let (report, map, _) = run(input, keyring, opts, true, &Prehashed::default());
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

/// Reads `input` into a report; also returns the decoded buffers (when `keep_buffers`) and
/// whether the report is complete: false only when `prehashed.elided` bytes were needed.
fn run(
    input: &[u8],
    keyring: &Keyring,
    opts: &Options,
    keep_buffers: bool,
    prehashed: &Prehashed,
) -> (Report, std::collections::BTreeMap<usize, Vec<u8>>, bool) {
    let mut ctx = Ctx::new(keyring, opts, keep_buffers);
    ctx.input_span = span(input);
    ctx.prehashed_content = prehashed.content.as_ref().and_then(|(range, digest)| {
        let bytes = input.get(range.clone())?;
        Some((bytes.as_ptr() as usize, bytes.len(), *digest))
    });
    if let Some(elided) = &prehashed.elided {
        // Elided bytes must lie inside the content range whose digest stands for them, and
        // the input's own digest must be given (it cannot be computed here).
        let inside = prehashed
            .content
            .as_ref()
            .is_some_and(|(c, _)| elided.start >= c.start && elided.end <= c.end);
        match input.get(elided.clone()) {
            Some(bytes) if inside && prehashed.input.is_some() && !bytes.is_empty() => {
                ctx.elided = Some(span(bytes));
            }
            Some([]) => {}
            _ => {
                return (
                    ctx.finish(input, String::new(), Ok(())),
                    Default::default(),
                    false,
                )
            }
        }
    }
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
    let elided = ctx.elided.is_some();
    let complete = !elided || (result.is_ok() && ctx.elided_claimed && !ctx.needs_elided);
    let report = ctx.finish(input, input_sha256, result);
    // Two facts of the report that the elided bytes would change if anything had read
    // them: the content's digest (it must be the one computed while reading) and the
    // profiles (their checks read the content).
    let complete = complete
        && (!elided
            || (report.profiles.is_empty()
                && report.content.as_ref().is_some_and(|c| {
                    prehashed.content.as_ref().is_some_and(|(range, digest)| {
                        c.size == range.len() && c.sha256 == hex::encode(digest)
                    })
                })));
    (report, buffers, complete)
}

/// The address range a slice occupies.
/// Where a layer's bytes are: which buffer (0 the input, n the decoded content of layer
/// n − 1), the byte range in it, and the enclosing layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Span {
    /// The buffer.
    pub buffer: usize,
    /// The byte range in that buffer.
    pub range: [usize; 2],
    /// The enclosing layer, if any.
    pub parent: Option<usize>,
}

impl Span {
    /// A span in `buffer` over `bytes`, which start at `offset`, inside `parent`.
    pub(super) fn at(buffer: usize, offset: usize, bytes: &[u8], parent: Option<usize>) -> Self {
        Span::new(buffer, [offset, offset + bytes.len()], parent)
    }

    /// A span in `buffer` over `range`, inside `parent`.
    pub(super) fn new(buffer: usize, range: [usize; 2], parent: Option<usize>) -> Self {
        Span {
            buffer,
            range,
            parent,
        }
    }
}

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
            elided: None,
            elided_claimed: false,
            needs_elided: false,
        }
    }

    /// Whether `bytes` overlap the input bytes the caller did not read.
    fn touches_elided(&self, bytes: &[u8]) -> bool {
        let here = span(bytes);
        self.elided
            .as_ref()
            .is_some_and(|e| here.start < e.end && e.start < here.end)
    }

    /// Records that a step needs the elided bytes, and the error that stops the reading.
    fn elided_needed(&mut self, what: &str) -> Error {
        self.needs_elided = true;
        Error::Malformed {
            structure: what.to_string(),
            reason: "needs content bytes that were not read into memory".into(),
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
        kind: LayerKind,
        summary: String,
        at: Span,
        headers: impl Into<Headers>,
    ) -> Result<usize, Error> {
        let Span {
            buffer,
            range,
            parent,
        } = at;
        if self.layers.len() >= MAX_LAYERS {
            return Err(Error::Limit {
                what: "number of layers".into(),
                limit: MAX_LAYERS,
            });
        }
        self.layers.push(Layer {
            kind,
            summary,
            range,
            buffer,
            parent,
            headers: headers.into(),
            content_type: None,
        });
        Ok(self.layers.len() - 1)
    }
}
