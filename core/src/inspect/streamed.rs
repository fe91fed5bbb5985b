//! Detached content that is not held in memory: a large file signed with a detached
//! signature (`inspect --content big.bin big.p7s`). The core asks for the digests it needs
//! instead of the bytes, so the front end can stream the content through the digest while
//! reading it.

use crate::crypto::algorithms::Digest;

/// Content a front end reads on demand.
pub trait StreamedContent: Send + Sync + std::fmt::Debug {
    /// Its size in bytes.
    fn len(&self) -> u64;
    /// Whether it is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Its digest with `digest`, read from the source (computed once per algorithm); the
    /// error says why the content could not be read.
    fn digest(&self, digest: Digest) -> Result<Vec<u8>, String>;
    /// All of its bytes, when it is small enough to hold (`limit` bytes at most): for the
    /// explanation of a digest mismatch and for the few structures that need the bytes
    /// themselves. `None` when larger or unreadable.
    fn bytes(&self, limit: usize) -> Option<Vec<u8>>;
}
