//! CMS CompressedData (RFC 3274) with zlib, bounded in output size.
//!
//! ```text
//! CompressedData ::= SEQUENCE {
//!   version CMSVersion,
//!   compressionAlgorithm CompressionAlgorithmIdentifier,
//!   encapContentInfo EncapsulatedContentInfo }
//! ```

use crate::cms::asn1::{self, tag, Tlv};
use crate::crypto::oids;
use crate::error::Error;
use der::asn1::ObjectIdentifier as Oid;

/// id-alg-zlibCompress (RFC 3274 §2).
pub const ZLIB: Oid = oids::ID_ALG_ZLIB_COMPRESS;

/// Largest expansion accepted: output may be at most this many times the compressed size
/// (zlib's own best case is about 1032:1, so honest data fits).
pub const MAX_RATIO: usize = 1100;

/// The decompressed content and what was compressed.
#[derive(Debug, Clone)]
pub struct Decompressed {
    /// eContentType.
    pub content_type: Oid,
    /// Compressed size.
    pub compressed_len: usize,
    /// The content.
    pub content: Vec<u8>,
}

fn malformed(reason: impl Into<String>) -> Error {
    Error::Malformed {
        structure: "CompressedData".into(),
        reason: reason.into(),
    }
}

/// Reads and decompresses; the output is limited to `max_output` bytes and `MAX_RATIO`
/// times the compressed size.
pub fn decompress(der: &[u8], seq: &Tlv, max_output: usize) -> Result<Decompressed, Error> {
    let f = asn1::children(der, seq)?;
    let alg = f
        .get(1)
        .filter(|t| t.is_universal(tag::SEQUENCE))
        .ok_or_else(|| malformed("missing compressionAlgorithm"))?;
    let alg_oid = asn1::children(der, alg)?
        .first()
        .and_then(|t| Oid::from_bytes(t.value(der)).ok())
        .ok_or_else(|| malformed("compressionAlgorithm has no OID"))?;
    if alg_oid != ZLIB {
        return Err(malformed(format!(
            "compression algorithm {alg_oid} is not supported (only zlib)"
        )));
    }
    let eci = f
        .get(2)
        .filter(|t| t.is_universal(tag::SEQUENCE))
        .ok_or_else(|| malformed("missing encapContentInfo"))?;
    let parts = asn1::children(der, eci)?;
    let content_type = parts
        .first()
        .and_then(|t| Oid::from_bytes(t.value(der)).ok())
        .ok_or_else(|| malformed("eContentType missing"))?;
    let compressed = parts
        .get(1)
        .filter(|t| t.is_context(0))
        .and_then(|t| asn1::children(der, t).ok())
        .and_then(|c| c.first().copied())
        .filter(|t| t.is_universal(tag::OCTET_STRING))
        .map(|t| t.value(der).to_vec())
        .ok_or_else(|| malformed("the compressed content is missing"))?;
    let limit = max_output.min(compressed.len().saturating_mul(MAX_RATIO).max(4096));
    let content = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&compressed, limit)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => Error::Limit {
                what: format!("decompressed size of {} compressed bytes", compressed.len()),
                limit,
            },
            status => malformed(format!("zlib data is corrupt ({status:?})")),
        })?;
    Ok(Decompressed {
        content_type,
        compressed_len: compressed.len(),
        content,
    })
}
