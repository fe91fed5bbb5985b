//! Randomness for composition comes from the caller (the OS generator on the desktop, the
//! browser's on the web). This module only offers a seeded generator for reproducible tests
//! (`--rng-seed`); it is deterministic by design and never for real messages.

use core::convert::Infallible;
use rand_core::{TryCryptoRng, TryRng};

/// SHA-256 in counter mode over a seed: a deterministic stream for tests.
#[derive(Clone, Debug)]
pub struct SeededRng {
    seed: [u8; 32],
    counter: u64,
    buf: Vec<u8>,
}

impl SeededRng {
    /// A generator whose whole output is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        let seed_bytes = crate::crypto::algorithms::Digest::Sha256.hash(&seed.to_be_bytes());
        let mut s = [0u8; 32];
        s.copy_from_slice(&seed_bytes);
        SeededRng {
            seed: s,
            counter: 0,
            buf: Vec::new(),
        }
    }
}

impl TryRng for SeededRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for d in dst.iter_mut() {
            if self.buf.is_empty() {
                self.counter += 1;
                self.buf = crate::crypto::algorithms::Digest::Sha256
                    .hash_parts(&[&self.seed, &self.counter.to_be_bytes()]);
            }
            *d = self.buf.remove(0);
        }
        Ok(())
    }
}

impl TryCryptoRng for SeededRng {}
