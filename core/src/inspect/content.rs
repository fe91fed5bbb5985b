//! The innermost payload: which leaf is the content a reader sees, and its media type.

use super::Span;
use super::{span, Ctx, Leaf, LeafBytes};
use crate::error::Error;
use crate::report::LayerKind;

impl Ctx<'_> {
    /// The innermost payload; `range` locates it in buffer `buffer`.
    pub(super) fn leaf(&mut self, media_type: &str, bytes: &[u8], at: Span) -> Result<(), Error> {
        let Span {
            buffer,
            range,
            parent,
        } = at;
        self.remember(buffer, range[0], bytes);
        let layer = self.push_layer(
            LayerKind::Content,
            format!("{media_type}, {} bytes", bytes.len()),
            Span::new(buffer, range, parent),
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
}

/// The media type of content that carries no MIME headers: text when it is UTF-8 without
/// control characters other than line breaks and tabs.
pub(super) fn sniff(bytes: &[u8]) -> &'static str {
    // The byte test first: it stops at the first control character, so binary content is
    // judged from its first bytes (an elided content's rest is never read).
    let textual = bytes.iter().all(|&b| is_textual(b)) && std::str::from_utf8(bytes).is_ok();
    if textual && !bytes.is_empty() {
        "text/plain"
    } else {
        "application/octet-stream"
    }
}

/// Whether `b` may occur in text content: not a control character other than a line break
/// or tab.
pub(super) fn is_textual(b: u8) -> bool {
    b >= 0x20 || matches!(b, b'\n' | b'\r' | b'\t')
}
