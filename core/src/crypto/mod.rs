//! Algorithms: object identifiers and names, digests, signatures (RSA, ECDSA, DSA),
//! symmetric ciphers, private keys and PKCS #12 bundles.

pub mod algorithms;
pub mod ciphers;
pub mod dsa;
pub mod ecdsa_p256;
pub mod keys;
pub mod oids;
pub mod pkcs12;
pub mod prehash;
pub mod rng;
pub mod signature;
