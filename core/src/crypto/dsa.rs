//! DSA signature verification (FIPS 186-4 §4.7), for certificates and SignerInfos made with
//! DSA keys (RFC 3279 §2.3.2, RFC 3370 §3.1, RFC 5754 §3.1). Only public values are involved,
//! so the arithmetic is variable-time.
//!
//! A DSA key in a certificate may leave out its domain parameters (p, q, g) and inherit them
//! from the issuer's key (RFC 3279 §2.3.2); [`DsaKey::params`] is then `None` and the caller
//! supplies the issuer's parameters with [`DsaKey::with_params`].

use crate::cms::asn1;
use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, NonZero, Odd};

/// Why a key whose parameters are inherited cannot verify on its own.
pub const INHERITED_PARAMS_MISSING: &str =
    "the DSA key inherits its parameters (p, q, g) from its issuer, whose key is not at hand";

/// Largest modulus accepted, in bits (FIPS 186-4 stops at 3072; 4096 leaves room).
const MAX_P_BITS: usize = 4096;

/// DSA domain parameters (Dss-Parms).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DsaParams {
    /// The prime modulus p, big-endian without leading zeros.
    pub p: Vec<u8>,
    /// The prime divisor q of p − 1.
    pub q: Vec<u8>,
    /// The generator g.
    pub g: Vec<u8>,
}

/// A DSA public key: y, with its parameters unless they are inherited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DsaKey {
    /// Domain parameters; `None` when the certificate inherits them from its issuer.
    pub params: Option<DsaParams>,
    /// The public value y.
    pub y: Vec<u8>,
}

fn trim(v: &[u8]) -> Vec<u8> {
    let start = v.iter().position(|&b| b != 0).unwrap_or(v.len());
    v[start..].to_vec()
}

/// Reads the positive INTEGERs of a SEQUENCE.
fn integers(der: &[u8], want: usize, what: &str) -> Result<Vec<Vec<u8>>, String> {
    let seq = asn1::read_whole(der).map_err(|e| format!("{what} cannot be read: {e}"))?;
    if !seq.is_universal(asn1::tag::SEQUENCE) {
        return Err(format!("{what} is not a SEQUENCE"));
    }
    let parts = asn1::children(der, &seq).map_err(|e| format!("{what} cannot be read: {e}"))?;
    if parts.len() != want || !parts.iter().all(|t| t.is_universal(asn1::tag::INTEGER)) {
        return Err(format!("{what} is not a SEQUENCE of {want} INTEGERs"));
    }
    let out: Vec<Vec<u8>> = parts.iter().map(|t| t.value(der).to_vec()).collect();
    if out
        .iter()
        .any(|v| v.first().is_some_and(|&b| b & 0x80 != 0))
    {
        return Err(format!("{what} holds a negative INTEGER"));
    }
    Ok(out.iter().map(|v| trim(v)).collect())
}

impl DsaParams {
    /// Reads Dss-Parms ::= SEQUENCE { p, q, g } (RFC 3279 §2.3.2).
    pub fn from_der(der: &[u8]) -> Result<Self, String> {
        let mut v = integers(der, 3, "DSA parameters")?.into_iter();
        let (Some(p), Some(q), Some(g)) = (v.next(), v.next(), v.next()) else {
            return Err("DSA parameters are incomplete".into());
        };
        if p.len() * 8 > MAX_P_BITS {
            return Err(format!(
                "DSA modulus of {} bits is larger than {MAX_P_BITS}",
                p.len() * 8
            ));
        }
        if q.is_empty() || q.len() > p.len() || p.last().is_none_or(|b| b & 1 == 0) {
            return Err("DSA parameters are not a prime modulus with a smaller divisor".into());
        }
        if q.last().is_none_or(|b| b & 1 == 0) {
            return Err("DSA divisor q is even".into());
        }
        Ok(DsaParams { p, q, g })
    }

    /// Bit length of p.
    pub fn p_bits(&self) -> usize {
        bit_len(&self.p)
    }
}

fn bit_len(v: &[u8]) -> usize {
    match v.first() {
        Some(&b) => v.len() * 8 - b.leading_zeros() as usize,
        None => 0,
    }
}

impl DsaKey {
    /// Reads the subjectPublicKey (an INTEGER y) and the algorithm parameters, if present.
    pub fn from_spki_parts(params: Option<&[u8]>, key_bits: &[u8]) -> Result<Self, String> {
        let params = match params {
            // Absent or NULL: inherited from the issuer (RFC 3279 §2.3.2).
            None => None,
            Some([0x05, 0x00]) => None,
            Some(der) => Some(DsaParams::from_der(der)?),
        };
        let t = asn1::read_whole(key_bits).map_err(|e| format!("DSA public key: {e}"))?;
        if !t.is_universal(asn1::tag::INTEGER) {
            return Err("DSA public key is not an INTEGER".into());
        }
        let y = t.value(key_bits);
        if y.first().is_some_and(|&b| b & 0x80 != 0) {
            return Err("DSA public key is negative".into());
        }
        Ok(DsaKey { params, y: trim(y) })
    }

    /// The same key with inherited parameters filled in.
    pub fn with_params(&self, params: &DsaParams) -> Self {
        DsaKey {
            params: Some(params.clone()),
            y: self.y.clone(),
        }
    }

    /// Verifies a DER Dss-Sig-Value over a message whose digest is `hash`.
    pub fn verify_prehashed(&self, hash: &[u8], signature: &[u8]) -> Result<(), String> {
        let params = self.params.as_ref().ok_or(INHERITED_PARAMS_MISSING)?;
        let mut rs = integers(signature, 2, "DSA signature (Dss-Sig-Value)")?.into_iter();
        let (Some(r), Some(s)) = (rs.next(), rs.next()) else {
            return Err("DSA signature is incomplete".into());
        };
        let bits = u32::try_from(params.p.len().max(params.q.len()).max(self.y.len()) * 8)
            .map_err(|_| "DSA key is too large")?;
        let bits = bits.div_ceil(64) * 64;
        let num = |v: &[u8]| BoxedUint::from_be_slice(v, bits).map_err(|_| "DSA value too large");
        let (p, q, g, y) = (
            num(&params.p)?,
            num(&params.q)?,
            num(&params.g)?,
            num(&self.y)?,
        );
        let (r, s) = (num(&r)?, num(&s)?);
        // 0 < r < q and 0 < s < q (FIPS 186-4 §4.7).
        if bool::from(r.is_zero()) || bool::from(s.is_zero()) || r >= q || s >= q {
            return Err("DSA signature value r or s is out of range".into());
        }
        let p_odd = Option::<Odd<BoxedUint>>::from(Odd::new(p.clone())).ok_or("DSA p is even")?;
        let q_odd = Option::<Odd<BoxedUint>>::from(Odd::new(q.clone())).ok_or("DSA q is even")?;
        let q_nz =
            Option::<NonZero<BoxedUint>>::from(NonZero::new(q.clone())).ok_or("DSA q is zero")?;
        let p_nz =
            Option::<NonZero<BoxedUint>>::from(NonZero::new(p.clone())).ok_or("DSA p is zero")?;
        let pp = BoxedMontyParams::new_vartime(p_odd);
        let qp = BoxedMontyParams::new_vartime(q_odd);
        // z: the leftmost min(N, outlen) bits of the hash, N the bit length of q.
        let n = bit_len(&params.q);
        let take = hash.len().min(n.div_ceil(8));
        let mut z = BoxedUint::from_be_slice(&hash[..take], bits).map_err(|_| "hash too large")?;
        if take * 8 > n {
            z = z.wrapping_shr((take * 8 - n) as u32);
        }
        let z = z.rem_vartime(&q_nz);
        let s_m = BoxedMontyForm::new(s, &qp);
        let w = Option::<BoxedMontyForm>::from(s_m.invert_vartime())
            .ok_or("DSA signature value s has no inverse modulo q")?;
        let u1 = (&BoxedMontyForm::new(z, &qp) * &w).retrieve();
        let u2 = (&BoxedMontyForm::new(r.clone(), &qp) * &w).retrieve();
        let g_m = BoxedMontyForm::new(g.rem_vartime(&p_nz), &pp);
        let y_m = BoxedMontyForm::new(y.rem_vartime(&p_nz), &pp);
        let v = (&g_m.pow(&u1) * &y_m.pow(&u2)).retrieve();
        let v = v.rem_vartime(&q_nz);
        if v == r {
            Ok(())
        } else {
            Err("DSA signature does not verify".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_must_be_three_positive_integers() {
        // SEQUENCE { INTEGER 23, INTEGER 11 }
        let two = [0x30, 0x06, 0x02, 0x01, 23, 0x02, 0x01, 11];
        assert!(DsaParams::from_der(&two).is_err());
        // SEQUENCE { INTEGER 23, INTEGER 11, INTEGER 4 }
        let ok = [0x30, 0x09, 0x02, 0x01, 23, 0x02, 0x01, 11, 0x02, 0x01, 4];
        let p = DsaParams::from_der(&ok).unwrap();
        assert_eq!(
            (p.p.clone(), p.q.clone(), p.g.clone()),
            (vec![23], vec![11], vec![4])
        );
        assert_eq!(p.p_bits(), 5);
        // a negative p
        let neg = [0x30, 0x09, 0x02, 0x01, 0x97, 0x02, 0x01, 11, 0x02, 0x01, 4];
        assert!(DsaParams::from_der(&neg).is_err());
    }

    /// Textbook DSA with p = 23, q = 11, g = 4 (order 11), x = 3, y = 4^3 mod 23 = 18.
    /// With k = 2 and digest z = 5: r = (4^2 mod 23) mod 11 = 16 mod 11 = 5,
    /// s = k^-1 (z + x r) mod 11 = 6 * 20 mod 11 = 120 mod 11 = 10.
    #[test]
    fn toy_signature_verifies_and_a_changed_one_does_not() {
        let params = DsaParams {
            p: vec![23],
            q: vec![11],
            g: vec![4],
        };
        let key = DsaKey {
            params: Some(params),
            y: vec![18],
        };
        let sig = |r: u8, s: u8| vec![0x30, 0x06, 0x02, 0x01, r, 0x02, 0x01, s];
        // The hash is one byte, 5; q has 4 bits, so z is its top 4 bits: give 5 << 4.
        assert_eq!(key.verify_prehashed(&[5 << 4], &sig(5, 10)), Ok(()));
        assert!(key.verify_prehashed(&[6 << 4], &sig(5, 10)).is_err());
        assert!(key.verify_prehashed(&[5 << 4], &sig(5, 9)).is_err());
        assert!(key.verify_prehashed(&[5 << 4], &sig(0, 10)).is_err());
        assert!(key.verify_prehashed(&[5 << 4], &sig(11, 10)).is_err());
        let inherited = DsaKey {
            params: None,
            y: vec![18],
        };
        assert!(inherited
            .verify_prehashed(&[5 << 4], &sig(5, 10))
            .unwrap_err()
            .contains("inherits"));
    }
}
