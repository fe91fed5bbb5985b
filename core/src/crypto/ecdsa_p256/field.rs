//! Arithmetic modulo the P-256 prime p = 2^256 − 2^224 + 2^192 + 2^96 − 1.
//!
//! Elements are four little-endian 64-bit limbs in Montgomery form (a·2^256 mod p), always fully
//! reduced, so equal elements have equal limbs. Nothing here runs in constant time: it serves
//! signature verification, whose inputs are public. Because the lowest limb of p is 2^64 − 1,
//! −p⁻¹ mod 2^64 is 1 and each Montgomery reduction step multiplies by the low limb itself.

use core::ops::{Add, Mul, MulAssign, Neg, Sub};

/// The modulus p.
const P: [u64; 4] = [
    0xffff_ffff_ffff_ffff,
    0x0000_0000_ffff_ffff,
    0x0000_0000_0000_0000,
    0xffff_ffff_0000_0001,
];

/// 2^512 mod p, which takes an integer into Montgomery form.
const R2: [u64; 4] = [
    0x0000_0000_0000_0003,
    0xffff_fffb_ffff_ffff,
    0xffff_ffff_ffff_fffe,
    0x0000_0004_ffff_fffd,
];

/// A field element in Montgomery form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Fe([u64; 4]);

/// `a + b·c + carry` as (low, high) limbs; cannot overflow 128 bits.
#[inline(always)]
fn mac(a: u64, b: u64, c: u64, carry: u64) -> (u64, u64) {
    let t = u128::from(a) + u128::from(b) * u128::from(c) + u128::from(carry);
    (t as u64, (t >> 64) as u64)
}

/// `a + b + carry` as (sum, carry).
#[inline(always)]
fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = u128::from(a) + u128::from(b) + u128::from(carry);
    (t as u64, (t >> 64) as u64)
}

/// `a − b − borrow` as (difference, borrow ∈ {0, 1}).
#[inline(always)]
fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    let t = u128::from(a).wrapping_sub(u128::from(b) + u128::from(borrow));
    (t as u64, (t >> 127) as u64)
}

/// Reduces `hi·2^256 + t` (known to be below 2p) into [0, p).
#[inline(always)]
fn reduce_once(t: [u64; 4], hi: u64) -> [u64; 4] {
    let (r0, b) = sbb(t[0], P[0], 0);
    let (r1, b) = sbb(t[1], P[1], b);
    let (r2, b) = sbb(t[2], P[2], b);
    let (r3, b) = sbb(t[3], P[3], b);
    let (_, b) = sbb(hi, 0, b);
    if b == 1 {
        t
    } else {
        [r0, r1, r2, r3]
    }
}

/// `t·2^−256 mod p` for a product `t < p²` given as eight limbs.
#[inline(always)]
fn montgomery_reduce(mut t: [u64; 8]) -> Fe {
    let mut carry_hi = 0u64;
    for i in 0..4 {
        // Add m·p·2^(64i) with m = t[i], which clears limb i (−p⁻¹ ≡ 1 mod 2^64).
        let m = t[i];
        let (_, c) = mac(t[i], m, P[0], 0);
        let (v, c) = mac(t[i + 1], m, P[1], c);
        t[i + 1] = v;
        let (v, c) = adc(t[i + 2], 0, c);
        t[i + 2] = v;
        let (v, c) = mac(t[i + 3], m, P[3], c);
        t[i + 3] = v;
        let (v, c) = adc(t[i + 4], carry_hi, c);
        t[i + 4] = v;
        carry_hi = c;
    }
    Fe(reduce_once([t[4], t[5], t[6], t[7]], carry_hi))
}

impl Fe {
    /// Zero.
    pub(super) const ZERO: Fe = Fe([0; 4]);
    /// One (2^256 mod p in Montgomery form).
    pub(super) const ONE: Fe = Fe([
        0x0000_0000_0000_0001,
        0xffff_ffff_0000_0000,
        0xffff_ffff_ffff_ffff,
        0x0000_0000_ffff_fffe,
    ]);

    /// An element from 32 big-endian bytes, or `None` when they are not below p.
    pub(super) fn from_bytes(bytes: &[u8; 32]) -> Option<Fe> {
        let mut limbs = [0u64; 4];
        for (i, limb) in limbs.iter_mut().enumerate() {
            let mut be = [0u8; 8];
            be.copy_from_slice(&bytes[24 - 8 * i..32 - 8 * i]);
            *limb = u64::from_be_bytes(be);
        }
        let (_, b) = sbb(limbs[0], P[0], 0);
        let (_, b) = sbb(limbs[1], P[1], b);
        let (_, b) = sbb(limbs[2], P[2], b);
        let (_, b) = sbb(limbs[3], P[3], b);
        (b == 1).then(|| Fe(limbs) * Fe(R2))
    }

    /// The element as 32 big-endian bytes.
    #[cfg(test)]
    pub(super) fn to_bytes(self) -> [u8; 32] {
        let plain = self * Fe([1, 0, 0, 0]);
        let mut out = [0u8; 32];
        for (i, limb) in plain.0.iter().enumerate() {
            out[24 - 8 * i..32 - 8 * i].copy_from_slice(&limb.to_be_bytes());
        }
        out
    }

    /// Whether the element is zero.
    pub(super) fn is_zero(&self) -> bool {
        self.0 == [0; 4]
    }

    /// self², with the six cross products computed once and doubled (10 word products, not 16).
    #[inline]
    pub(super) fn square(self) -> Fe {
        let a = self.0;
        let (r1, c) = mac(0, a[0], a[1], 0);
        let (r2, c) = mac(0, a[0], a[2], c);
        let (r3, r4) = mac(0, a[0], a[3], c);
        let (r3, c) = mac(r3, a[1], a[2], 0);
        let (r4, r5) = mac(r4, a[1], a[3], c);
        let (r5, r6) = mac(r5, a[2], a[3], 0);
        let r7 = r6 >> 63;
        let r6 = (r6 << 1) | (r5 >> 63);
        let r5 = (r5 << 1) | (r4 >> 63);
        let r4 = (r4 << 1) | (r3 >> 63);
        let r3 = (r3 << 1) | (r2 >> 63);
        let r2 = (r2 << 1) | (r1 >> 63);
        let r1 = r1 << 1;
        let (r0, c) = mac(0, a[0], a[0], 0);
        let (r1, c) = adc(r1, 0, c);
        let (r2, c) = mac(r2, a[1], a[1], c);
        let (r3, c) = adc(r3, 0, c);
        let (r4, c) = mac(r4, a[2], a[2], c);
        let (r5, c) = adc(r5, 0, c);
        let (r6, c) = mac(r6, a[3], a[3], c);
        let (r7, _) = adc(r7, 0, c);
        montgomery_reduce([r0, r1, r2, r3, r4, r5, r6, r7])
    }

    /// 2·self.
    #[inline]
    pub(super) fn double(self) -> Fe {
        self + self
    }

    /// Whether the canonical integer is odd.
    pub(super) fn is_odd(self) -> bool {
        (self * Fe([1, 0, 0, 0])).0[0] & 1 == 1
    }

    /// self^e for an exponent given as little-endian limbs (square and multiply).
    fn pow(self, e: &[u64; 4]) -> Fe {
        let mut acc = Fe::ONE;
        for limb in e.iter().rev() {
            for bit in (0..64).rev() {
                acc = acc.square();
                if (limb >> bit) & 1 == 1 {
                    acc *= self;
                }
            }
        }
        acc
    }

    /// A square root, or `None` when self is not a square. Since p ≡ 3 (mod 4) the candidate is
    /// self^((p+1)/4).
    pub(super) fn sqrt(self) -> Option<Fe> {
        // (p + 1) / 4
        const E: [u64; 4] = [
            0x0000_0000_0000_0000,
            0x0000_0000_4000_0000,
            0x4000_0000_0000_0000,
            0x3fff_ffff_c000_0000,
        ];
        let root = self.pow(&E);
        (root.square() == self).then_some(root)
    }

    /// self⁻¹ (self^(p−2)), or `None` for zero.
    pub(super) fn invert(self) -> Option<Fe> {
        if self.is_zero() {
            return None;
        }
        let mut e = P;
        e[0] -= 2;
        Some(self.pow(&e))
    }
}

impl Add for Fe {
    type Output = Fe;
    #[inline]
    fn add(self, rhs: Fe) -> Fe {
        let (s0, c) = adc(self.0[0], rhs.0[0], 0);
        let (s1, c) = adc(self.0[1], rhs.0[1], c);
        let (s2, c) = adc(self.0[2], rhs.0[2], c);
        let (s3, c) = adc(self.0[3], rhs.0[3], c);
        Fe(reduce_once([s0, s1, s2, s3], c))
    }
}

impl Sub for Fe {
    type Output = Fe;
    #[inline]
    fn sub(self, rhs: Fe) -> Fe {
        let (d0, b) = sbb(self.0[0], rhs.0[0], 0);
        let (d1, b) = sbb(self.0[1], rhs.0[1], b);
        let (d2, b) = sbb(self.0[2], rhs.0[2], b);
        let (d3, b) = sbb(self.0[3], rhs.0[3], b);
        if b == 0 {
            return Fe([d0, d1, d2, d3]);
        }
        let (r0, c) = adc(d0, P[0], 0);
        let (r1, c) = adc(d1, P[1], c);
        let (r2, c) = adc(d2, P[2], c);
        let (r3, _) = adc(d3, P[3], c);
        Fe([r0, r1, r2, r3])
    }
}

impl Neg for Fe {
    type Output = Fe;
    #[inline]
    fn neg(self) -> Fe {
        Fe::ZERO - self
    }
}

impl Mul for Fe {
    type Output = Fe;
    #[inline]
    fn mul(self, rhs: Fe) -> Fe {
        montgomery_mul(&self, &rhs)
    }
}

/// Montgomery product a·b·2^−256 mod p (CIOS, one reduction step per limb of b).
#[inline]
fn montgomery_mul(lhs: &Fe, rhs: &Fe) -> Fe {
    let a = lhs.0;
    let mut t = [0u64; 4];
    let mut hi = 0u64;
    for &bi in rhs.0.iter() {
        // t += a·bi
        let (t0, c) = mac(t[0], a[0], bi, 0);
        let (t1, c) = mac(t[1], a[1], bi, c);
        let (t2, c) = mac(t[2], a[2], bi, c);
        let (t3, c) = mac(t[3], a[3], bi, c);
        let (t4, top) = adc(hi, c, 0);
        // t = (t + m·p) / 2^64 with m = t0 (since −p⁻¹ ≡ 1 mod 2^64).
        let m = t0;
        let (_, c) = mac(t0, m, P[0], 0);
        let (r0, c) = mac(t1, m, P[1], c);
        let (r1, c) = adc(t2, 0, c);
        let (r2, c) = mac(t3, m, P[3], c);
        let (r3, c) = adc(t4, 0, c);
        t = [r0, r1, r2, r3];
        hi = top + c;
    }
    Fe(reduce_once(t, hi))
}

impl MulAssign for Fe {
    #[inline]
    fn mul_assign(&mut self, rhs: Fe) {
        *self = *self * rhs;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::elliptic_curve::ff::PrimeField;
    use p256::FieldBytes;

    type Reference =
        <p256::NistP256 as p256::elliptic_curve::hazmat::FieldArithmetic>::FieldElement;

    fn reference(bytes: &[u8; 32]) -> Reference {
        Option::from(Reference::from_repr(FieldBytes::from(*bytes))).expect("below p")
    }

    fn bytes_of(r: Reference) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(&r.to_repr());
        out
    }

    /// Values near 0, near p and spread over the range.
    fn samples() -> Vec<[u8; 32]> {
        let mut out = vec![[0u8; 32], {
            let mut one = [0u8; 32];
            one[31] = 1;
            one
        }];
        let p_minus_1 = {
            let mut b = [0u8; 32];
            for (i, limb) in P.iter().enumerate() {
                b[24 - 8 * i..32 - 8 * i].copy_from_slice(&limb.to_be_bytes());
            }
            b[31] -= 1;
            b
        };
        out.push(p_minus_1);
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..200 {
            let mut b = [0u8; 32];
            for chunk in b.chunks_mut(8) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                chunk.copy_from_slice(&state.to_be_bytes());
            }
            if Fe::from_bytes(&b).is_some() {
                out.push(b);
            }
        }
        out
    }

    #[test]
    fn agrees_with_the_p256_crate() {
        let values = samples();
        for a in &values {
            let fa = Fe::from_bytes(a).expect("below p");
            assert_eq!(fa.to_bytes(), *a);
            assert_eq!((-fa).to_bytes(), bytes_of(-reference(a)));
            assert_eq!(fa.square().to_bytes(), bytes_of(reference(a).square()));
            match fa.sqrt() {
                Some(root) => assert_eq!(root.square(), fa),
                None => assert!(bool::from(reference(a).sqrt().is_none())),
            }
            assert_eq!(fa.is_odd(), a[31] & 1 == 1);
            match fa.invert() {
                Some(inv) => {
                    assert_eq!(inv.to_bytes(), bytes_of(reference(a).invert().unwrap()));
                    assert_eq!(inv * fa, Fe::ONE);
                }
                None => assert!(fa.is_zero()),
            }
            for b in values.iter().take(40) {
                let fb = Fe::from_bytes(b).expect("below p");
                assert_eq!((fa * fb).to_bytes(), bytes_of(reference(a) * reference(b)));
                assert_eq!((fa + fb).to_bytes(), bytes_of(reference(a) + reference(b)));
                assert_eq!((fa - fb).to_bytes(), bytes_of(reference(a) - reference(b)));
            }
        }
    }

    #[test]
    fn values_at_or_above_p_are_refused() {
        let mut p = [0u8; 32];
        for (i, limb) in P.iter().enumerate() {
            p[24 - 8 * i..32 - 8 * i].copy_from_slice(&limb.to_be_bytes());
        }
        assert!(Fe::from_bytes(&p).is_none());
        assert!(Fe::from_bytes(&[0xff; 32]).is_none());
    }
}
