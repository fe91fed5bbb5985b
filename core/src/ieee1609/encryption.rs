//! IEEE 1609.2 encryptedData (§5.3.5, §5.3.8, §6.3.30–6.3.46): the data encryption key
//! recovered for a recipient, then the aes128ccm ciphertext opened.
//!
//! - ECIES (§5.3.5, certRecipInfo, signedDataRecipInfo, rekRecipInfo): z = the x-coordinate
//!   of r·V; K1 ‖ K2 = KDF2-SHA-256(z, P1), 16 + 32 bytes; the tag T must equal the first 16
//!   bytes of HMAC-SHA-256(K2, C); the key is C ⊕ K1. P1 is SHA-256 of the recipient's
//!   certificate for certRecipInfo, SHA-256 of the empty string otherwise.
//! - pskRecipInfo: the pre-shared key is the data key; symmRecipInfo: the data key is
//!   aes128ccm-encrypted under it. Both name the key by the HashedId8 of the COER
//!   SymmetricEncryptionKey `aes128Ccm` holding it.
//! - AES-128-CCM (§5.3.8): 12-byte nonce, 16-byte tag, no associated data.

use crate::crypto::algorithms::Digest;
use crate::crypto::keys::SecretKey;
use ccm::aead::{Aead, KeyInit};
use sha2::Digest as _;

/// Why a wrapped key could not be recovered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnwrapError {
    /// V is not a point of the key's curve.
    BadPoint,
    /// Key agreement and derivation ran, and the tag does not match: another recipient's
    /// key, or an altered C or T.
    Tag,
}

/// KDF2 of IEEE 1363a (= ANSI X9.63's KDF) with SHA-256: SHA-256(z ‖ counter ‖ p1) for
/// counter 1, 2, …, concatenated to `len` bytes.
pub fn kdf2_sha256(z: &[u8], p1: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 32);
    let mut counter: u32 = 1;
    while out.len() < len {
        let mut h = sha2::Sha256::new();
        h.update(z);
        h.update(counter.to_be_bytes());
        h.update(p1);
        out.extend_from_slice(&h.finalize());
        counter += 1;
    }
    out.truncate(len);
    out
}

/// ECIES key unwrap (§5.3.5) with a P-256 private key: the 16-byte data key, or why not.
pub fn ecies_p256_unwrap(
    secret: &p256::SecretKey,
    v_sec1: &[u8],
    c: &[u8; 16],
    t: &[u8; 16],
    p1: &[u8],
) -> Result<[u8; 16], UnwrapError> {
    ecies_unwrap(&SecretKey::P256(secret.clone()), v_sec1, c, t, p1)
}

/// ECIES key unwrap (§5.3.5) with a NIST P-256 or brainpoolP256r1 private key (the curve of
/// `secret` must be V's): the 16-byte data key, or why not.
pub fn ecies_unwrap(
    secret: &SecretKey,
    v_sec1: &[u8],
    c: &[u8; 16],
    t: &[u8; 16],
    p1: &[u8],
) -> Result<[u8; 16], UnwrapError> {
    let z = secret.ecdh(v_sec1).ok_or(UnwrapError::BadPoint)?;
    let k = kdf2_sha256(&z, p1, 48);
    let mac = Digest::Sha256.hmac(&k[16..48], c);
    // Constant time: the tag decides, nothing else.
    let diff = mac[..16]
        .iter()
        .zip(t.iter())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if diff != 0 {
        return Err(UnwrapError::Tag);
    }
    let mut key = [0u8; 16];
    for (i, b) in key.iter_mut().enumerate() {
        *b = c[i] ^ k[i];
    }
    Ok(key)
}

/// AES-128-CCM decryption as 1609.2 uses it (12-byte nonce, 16-byte tag at the end of the
/// ciphertext, no associated data); `None` when the tag does not verify.
pub fn aes128_ccm_decrypt(key: &[u8; 16], nonce: &[u8; 12], ciphertext: &[u8]) -> Option<Vec<u8>> {
    type Ccm = ccm::Ccm<aes::Aes128, ccm::consts::U16, ccm::consts::U12>;
    let cipher = Ccm::new_from_slice(key).ok()?;
    let nonce = ccm::aead::Nonce::<Ccm>::try_from(&nonce[..]).ok()?;
    cipher.decrypt(&nonce, ciphertext).ok()
}

/// AES-128-CCM encryption (the inverse of [`aes128_ccm_decrypt`]), for tests and composing.
pub fn aes128_ccm_encrypt(key: &[u8; 16], nonce: &[u8; 12], plaintext: &[u8]) -> Option<Vec<u8>> {
    type Ccm = ccm::Ccm<aes::Aes128, ccm::consts::U16, ccm::consts::U12>;
    let cipher = Ccm::new_from_slice(key).ok()?;
    let nonce = ccm::aead::Nonce::<Ccm>::try_from(&nonce[..]).ok()?;
    cipher.encrypt(&nonce, plaintext).ok()
}

/// The HashedId8 that names a symmetric key in pskRecipInfo and symmRecipInfo: the last
/// eight bytes of SHA-256 over the COER SymmetricEncryptionKey `aes128Ccm` (0x80 ‖ key).
pub fn symmetric_key_id(key: &[u8; 16]) -> [u8; 8] {
    let mut h = sha2::Sha256::new();
    h.update([0x80]);
    h.update(key);
    let d = h.finalize();
    let mut id = [0u8; 8];
    id.copy_from_slice(&d[24..32]);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// CAMP LLC's SCMS crypto known answers (crypto-test-vectors, ecies.txt, vector 1):
    /// recipient key r, sender's V, C, T and P1 give back k.
    #[test]
    fn ecies_camp_known_answer() {
        let r = p256::SecretKey::from_slice(&h(
            "060E41440A4E35154CA0EFCB52412145836AD032833E6BC781E533BF14851085",
        ))
        .unwrap();
        let mut v = vec![4];
        v.extend(h(
            "F45A99137B1BB2C150D6D8CF7292CA07DA68C003DAA766A9AF7F67F5EE916828",
        ));
        v.extend(h(
            "F6A25216F44CB64A96C229AE00B479857B3B81C1319FB2ADF0E8DB2681769729",
        ));
        let c: [u8; 16] = h("A6342013D623AD6C5F6882469673AE33").try_into().unwrap();
        let t: [u8; 16] = h("80e1d85d30f1bae4ecf1a534a89a0786").try_into().unwrap();
        let p1 = h("A6B7B52554B4203F7E3ACFDB3A3ED8674EE086CE5906A7CAC2F8A398306D3BE9");
        let k = ecies_p256_unwrap(&r, &v, &c, &t, &p1).unwrap();
        assert_eq!(hex::encode_upper(k), "9169155B08B07674CBADF75FB46A7B0D");
        // Another P1 (the recipient named differently), or a flipped tag bit: the tag fails.
        assert_eq!(
            ecies_p256_unwrap(&r, &v, &c, &t, &[0u8; 32]),
            Err(UnwrapError::Tag)
        );
        let mut t2 = t;
        t2[0] ^= 1;
        assert_eq!(
            ecies_p256_unwrap(&r, &v, &c, &t2, &p1),
            Err(UnwrapError::Tag)
        );
        assert_eq!(
            ecies_p256_unwrap(&r, &[4u8; 65], &c, &t, &p1),
            Err(UnwrapError::BadPoint)
        );
    }

    /// KDF2-SHA-256 is ANSI X9.63's KDF: the first block is SHA-256(z ‖ 00000001 ‖ p1).
    #[test]
    fn kdf2_blocks() {
        let k = kdf2_sha256(b"z", b"p", 48);
        let mut first = sha2::Sha256::new();
        first.update(b"z\x00\x00\x00\x01p");
        assert_eq!(&k[..32], &first.finalize()[..]);
        assert_eq!(k.len(), 48);
    }

    /// CAMP's AES-CCM-128 known answer for 1609.2 (crypto-test-vectors, aesccm.txt, vector 1).
    #[test]
    fn ccm_camp_known_answer() {
        let key: [u8; 16] = h("E58D5C8F8C9ED9785679E08ABC7C8116").try_into().unwrap();
        let nonce: [u8; 12] = h("A9F593C09EAEEA8BF0C1CF6A").try_into().unwrap();
        let p = h("0653B5714D1357F4995BDDACBE10873951A1EBA663718D1AF35D2F0D52C79DE49BE622C4A6D90647BA2B004C3E8AE422FD27063AFA19AD883DCCBD97D98B8B0461B5671E75F19701C24042B8D3AF79B9FF62BC448EF9440B1EA3F7E5C0F4BFEFE3E326E62D5EE4CB4B4CFFF30AD5F49A7981ABF71617245B96E522E1ADD78A");
        let ct = h("5F82B9FCE34B94835395DD89D71FB758D2A3907FBF2FD58994A2B9CF8725AF26F0B23853C27A06E35EE72CAD827713C18FA5DDA971D9BAA7B42A301FF60C6E4AD651C1BB6ED4F25F7D0FF387A11627934CD11F86984EA3AC969DDA9A020AD6424B0D393E3FB4B1119ADF5CDB012A59753E41D47E5E5A8C3A118ED407049B56D53BF56CB38C0B20A2502D1DA70B9761");
        assert_eq!(aes128_ccm_encrypt(&key, &nonce, &p), Some(ct.clone()));
        assert_eq!(aes128_ccm_decrypt(&key, &nonce, &ct), Some(p));
    }

    #[test]
    fn ccm_round_trip_and_tag() {
        let key = [7u8; 16];
        let nonce = [9u8; 12];
        let ct = aes128_ccm_encrypt(&key, &nonce, b"hello 1609.2").unwrap();
        assert_eq!(ct.len(), 12 + 16);
        assert_eq!(
            aes128_ccm_decrypt(&key, &nonce, &ct).as_deref(),
            Some(&b"hello 1609.2"[..])
        );
        let mut bad = ct.clone();
        bad[0] ^= 1;
        assert_eq!(aes128_ccm_decrypt(&key, &nonce, &bad), None);
    }
}
