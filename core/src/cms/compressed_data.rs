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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::der_writer as w;

    /// CompressedData with `alg` as compressionAlgorithm and `zlib` as eContent.
    fn compressed(alg: Oid, zlib: Option<&[u8]>) -> Vec<u8> {
        let mut eci = w::oid(oids::ID_DATA);
        if let Some(z) = zlib {
            eci.extend(w::explicit(0, &w::octets(z)));
        }
        w::seq(&[&w::int(0), &w::alg(alg, None), &w::tlv(0x30, &eci)])
    }

    fn run(der: &[u8], max_output: usize) -> Result<Decompressed, Error> {
        decompress(der, &asn1::read_whole(der)?, max_output)
    }

    #[test]
    fn zlib_round_trip() {
        let content = b"compressed content, compressed content, compressed content";
        let z = miniz_oxide::deflate::compress_to_vec_zlib(content, 6);
        let d = run(&compressed(ZLIB, Some(&z)), 1 << 20).unwrap();
        assert_eq!(d.content, content);
        assert_eq!(d.content_type, oids::ID_DATA);
        assert_eq!(d.compressed_len, z.len());
    }

    #[test]
    fn only_zlib_is_accepted() {
        // RFC 3274 §2 defines id-alg-zlibCompress only.
        let z = miniz_oxide::deflate::compress_to_vec_zlib(b"x", 6);
        assert_eq!(
            run(&compressed(oids::ID_SHA_256, Some(&z)), 4096).unwrap_err(),
            malformed("compression algorithm 2.16.840.1.101.3.4.2.1 is not supported (only zlib)")
        );
        assert_eq!(
            run(&compressed(ZLIB, None), 4096).unwrap_err(),
            malformed("the compressed content is missing")
        );
    }

    #[test]
    fn output_bound_is_enforced_exactly() {
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&[0u8; 5000], 9);
        let der = compressed(ZLIB, Some(&z));
        assert_eq!(run(&der, 5000).unwrap().content.len(), 5000);
        assert_eq!(
            run(&der, 4999).unwrap_err(),
            Error::Limit {
                what: format!("decompressed size of {} compressed bytes", z.len()),
                limit: 4999,
            }
        );
    }

    #[test]
    fn best_case_zlib_ratio_fits_under_max_ratio() {
        // Deflate expands at most about 1032:1, so MAX_RATIO never rejects honest data.
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0u8; 1 << 20], 9);
        assert!(
            z.len() * MAX_RATIO > 1 << 20,
            "{} compressed bytes",
            z.len()
        );
        let d = run(&compressed(ZLIB, Some(&z)), usize::MAX).unwrap();
        assert_eq!(d.content.len(), 1 << 20);
    }

    #[test]
    fn corrupt_zlib_is_malformed() {
        let mut z = miniz_oxide::deflate::compress_to_vec_zlib(b"hello hello", 6);
        let n = z.len();
        z[n - 1] ^= 0xff; // Adler-32 checksum
        match run(&compressed(ZLIB, Some(&z)), 4096) {
            Err(Error::Malformed { structure, reason }) => {
                assert_eq!(structure, "CompressedData");
                assert!(reason.starts_with("zlib data is corrupt ("), "{reason}");
            }
            other => panic!("expected Malformed, got {other:?}"),
        }
    }
}
