//! Butterfly key expansion (the SCMS design; IEEE 1609.2.1 §9.3): from an end entity's seed
//! key pair and an AES-128 expansion key, the key pair expected for pseudonym certificate
//! (i, j).
//!
//! `f_k(x) = (AES_k(x+1) ⊕ (x+1) ‖ AES_k(x+2) ⊕ (x+2) ‖ AES_k(x+3) ⊕ (x+3)) mod n`, with
//! `x = 0^32 ‖ i ‖ j ‖ 0^32` for signing keys and `1^32 ‖ i ‖ j ‖ 0^32` for encryption keys.
//! The expanded private key is `a + f_k(x)`, the public key `A + f_k(x)·G`. With an implicit
//! pseudonym certificate, the final private key is then `e·(a + f_k(x)) + r` ([`super::ecqv`]).

use super::data::Curve;
use super::ecqv::{self, EcqvError};
use aes::cipher::{Array, BlockCipherEncrypt, KeyInit};

/// Which key pair a seed expands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// Signing (certificate) keys: x starts with 32 zero bits.
    Signing,
    /// Response-encryption keys: x starts with 32 one bits.
    Encryption,
}

/// The 384-bit `f_k^int(x)` before reduction mod n.
pub fn expansion_value(kind: KeyKind, key: &[u8; 16], i: u32, j: u32) -> [u8; 48] {
    let cipher = aes::Aes128::new(&Array::from(*key));
    let prefix: u32 = match kind {
        KeyKind::Signing => 0,
        KeyKind::Encryption => u32::MAX,
    };
    let x = (u128::from(prefix) << 96) | (u128::from(i) << 64) | (u128::from(j) << 32);
    let mut out = [0u8; 48];
    for (n, chunk) in out.chunks_exact_mut(16).enumerate() {
        let xn = x.wrapping_add(n as u128 + 1).to_be_bytes();
        let mut block = Array::from(xn);
        cipher.encrypt_block(&mut block);
        for (o, (a, b)) in chunk.iter_mut().zip(block.iter().zip(xn.iter())) {
            *o = a ^ b;
        }
    }
    out
}

/// The expanded private key `a + f_k(i, j) mod n`.
pub fn expand_private(
    curve: Curve,
    kind: KeyKind,
    seed: &[u8; 32],
    key: &[u8; 16],
    i: u32,
    j: u32,
) -> Result<[u8; 32], EcqvError> {
    ecqv::add_scalar(curve, seed, &expansion_value(kind, key, i, j))
}

/// The expanded public key `A + f_k(i, j)·G` (uncompressed SEC1), from the seed public key.
pub fn expand_public(
    curve: Curve,
    kind: KeyKind,
    seed: &[u8],
    key: &[u8; 16],
    i: u32,
    j: u32,
) -> Result<Vec<u8>, EcqvError> {
    ecqv::add_point(curve, seed, &expansion_value(kind, key, i, j))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h<const N: usize>(s: &str) -> [u8; N] {
        hex::decode(s).unwrap().try_into().unwrap()
    }

    /// CAMP LLC crypto-test-vectors bfkeyexp.txt: i = 0x217D79E1, j = 0x11, both key pairs.
    #[test]
    fn camp_butterfly_vectors() {
        let (i, j) = (0x217D_79E1, 0x11);
        let ck = h("121D14216715E11D2D3787434A673B1B");
        assert_eq!(
            hex::encode_upper(expansion_value(KeyKind::Signing, &ck, i, j)),
            "E2FA3CEE09E5BD6D9AEC05C52DBA31F8FCB03925B61B9B78B321B8D680402A6EA9A7FD2DA569B9D86A0326E0A19873DD"
        );
        let a = h("D418760F0CB2DCB856BC3C7217AD3AA36DB6742AE1DB655A3D28DF88CBBF84E1");
        let a_exp = expand_private(Curve::NistP256, KeyKind::Signing, &a, &ck, i, j).unwrap();
        assert_eq!(
            hex::encode_upper(a_exp),
            "4D2093ED3EA27B15FCBD61806FFA13B36AE367F88C52397824A9BF67283D8CEE"
        );
        let big_a = hex::decode("04ee9cc7fbd9edecea41f7c8bd258e8d2e988e75bd069addca1e5a38e534ac68185ae3c8d9fe0b1fc7438f29417c240f8bf81c358ec1a4d0c6e98d8edbcc714017").unwrap();
        let pub_exp = expand_public(Curve::NistP256, KeyKind::Signing, &big_a, &ck, i, j).unwrap();
        assert_eq!(
            hex::encode(&pub_exp),
            "042b18f3d93c4df3d9d1490e3a9ba5a0de9cfa73eddb95408bc1f2bf60cb3cf3131a2ce511e0da86356329a5c22a36a8a53088dcb11a5a94fa903ef0087421666a"
        );
        let ek = h("F9FCE2371B4523C0A75FC352BA7EBD8D");
        assert_eq!(
            hex::encode_upper(expansion_value(KeyKind::Encryption, &ek, i, j)),
            "F36B41E2E49F72B5E023431439C4D240FFCEA0C42DDD0DAE7E9924B23E3EBEEB91BB22B9F3B25B30C981075B15FCDED8"
        );
        let hh = h("4624A6F9F6BC6BD088A71ED97B3AEE983B5CC2F574F64E96A531D2464137049F");
        let h_exp = expand_private(Curve::NistP256, KeyKind::Encryption, &hh, &ek, i, j).unwrap();
        assert_eq!(
            hex::encode_upper(h_exp),
            "E77A422D7415EF1BBB8A8310E7D4039AC9EF9C2EA28022C8010C1A611E72A7B6"
        );
        let big_h = hex::decode("04121aa495c6b2c07a2b2daec36bd207d6620d7e6081050df5de3e9696868fcdca46c31a1abea0bddaaaaefbba3afdbff1ac8d196bc313fc130926810c05503950").unwrap();
        assert_eq!(
            hex::encode(expand_public(Curve::NistP256, KeyKind::Encryption, &big_h, &ek, i, j).unwrap()),
            "04b568fd55a7114254118e7463e85459bdd3c091342625b4a929541151bb8286beed8dbe22200353d316cc5c3d8f1f281d8bfb34a9e6e1dbfe2043d928c64b430b"
        );
    }
}
