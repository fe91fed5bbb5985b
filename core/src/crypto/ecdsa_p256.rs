//! Variable-time ECDSA P-256 verification.
//!
//! Verification only handles public data (the key, the digest and the signature), so it need not
//! run in constant time. This module computes `u1·G + u2·Q` with Jacobian coordinates (doubling
//! with a = −3, mixed additions for the generator), interleaved width-w NAF recodings of both
//! scalars (one shared run of 256 doublings), a table of 64 odd multiples of G built once per
//! process, and compares the result's x-coordinate with `r` without an inversion (`X = r·Z²`).
//! Field and scalar arithmetic are the `p256` crate's; only the point arithmetic and the scalar
//! recoding are here. The generic path in the `ecdsa` crate (complete projective formulas, both
//! tables rebuilt per call) costs about three times as much.
//!
//! Why one file of ~620 lines: the point formulas, the NAF recoding and the precomputed
//! table are tuned together for one benchmark row; field arithmetic is already in field.rs.

use p256::elliptic_curve::ff::{Field, PrimeField};
use p256::elliptic_curve::ops::Reduce;
use p256::elliptic_curve::sec1::ToSec1Point;
use p256::{FieldBytes, Scalar};
use std::sync::OnceLock;

mod field;

use field::Fe;

/// NAF width for the key point's digits (8 odd multiples built per verification).
const Q_WINDOW: u32 = 5;
/// NAF width for the generator's digits (64 odd multiples built once).
const G_WINDOW: u32 = 8;
/// Digits of a recoded scalar: a 256-bit scalar has at most 257 NAF digits.
const DIGITS: usize = 257;

/// A point in affine coordinates (never the identity).
#[derive(Clone, Copy)]
struct Affine {
    x: Fe,
    y: Fe,
}

/// A point in Jacobian coordinates `(X/Z², Y/Z³)`; `Z = 0` is the identity.
#[derive(Clone, Copy)]
struct Jacobian {
    x: Fe,
    y: Fe,
    z: Fe,
}

impl Jacobian {
    const IDENTITY: Jacobian = Jacobian {
        x: Fe::ONE,
        y: Fe::ONE,
        z: Fe::ZERO,
    };

    fn from_affine(p: &Affine) -> Jacobian {
        Jacobian {
            x: p.x,
            y: p.y,
            z: Fe::ONE,
        }
    }

    fn is_identity(&self) -> bool {
        self.z.is_zero()
    }

    fn neg(&self) -> Jacobian {
        Jacobian {
            x: self.x,
            y: -self.y,
            z: self.z,
        }
    }

    /// 2P ("dbl-2001-b", a = −3): 3M + 5S.
    fn double(&self) -> Jacobian {
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x * gamma;
        let t = (self.x - delta) * (self.x + delta);
        let alpha = t.double() + t;
        let beta4 = beta.double().double();
        let x3 = alpha.square() - beta4.double();
        let z3 = (self.y + self.z).square() - gamma - delta;
        let gamma2 = gamma.square();
        let y3 = alpha * (beta4 - x3) - gamma2.double().double().double();
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// P + A for an affine A ("madd-2007-bl"): 7M + 4S.
    fn add_affine(&self, a: &Affine) -> Jacobian {
        if self.is_identity() {
            return Jacobian::from_affine(a);
        }
        let z1z1 = self.z.square();
        let u2 = a.x * z1z1;
        let s2 = a.y * self.z * z1z1;
        let h = u2 - self.x;
        let r = (s2 - self.y).double();
        if h.is_zero() {
            return if r.is_zero() {
                self.double()
            } else {
                Jacobian::IDENTITY
            };
        }
        let hh = h.square();
        let i = hh.double().double();
        let j = h * i;
        let v = self.x * i;
        let x3 = r.square() - j - v.double();
        let y3 = r * (v - x3) - (self.y * j).double();
        let z3 = (self.z + h).square() - z1z1 - hh;
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// P + Q for two Jacobian points ("add-2007-bl"): 11M + 5S.
    fn add(&self, q: &Jacobian) -> Jacobian {
        if self.is_identity() {
            return *q;
        }
        if q.is_identity() {
            return *self;
        }
        let z1z1 = self.z.square();
        let z2z2 = q.z.square();
        let u1 = self.x * z2z2;
        let u2 = q.x * z1z1;
        let s1 = self.y * q.z * z2z2;
        let s2 = q.y * self.z * z1z1;
        let h = u2 - u1;
        let r = (s2 - s1).double();
        if h.is_zero() {
            return if r.is_zero() {
                self.double()
            } else {
                Jacobian::IDENTITY
            };
        }
        let i = h.double().square();
        let j = h * i;
        let v = u1 * i;
        let x3 = r.square() - j - v.double();
        let y3 = r * (v - x3) - (s1 * j).double();
        let z3 = ((self.z + q.z).square() - z1z1 - z2z2) * h;
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }
}

/// `[P, 3P, 5P, …, (2·len − 1)P]` in Jacobian coordinates.
fn odd_multiples(p: &Jacobian, len: usize) -> Vec<Jacobian> {
    let twice = p.double();
    let mut out = Vec::with_capacity(len);
    out.push(*p);
    for k in 1..len {
        let next = out[k - 1].add(&twice);
        out.push(next);
    }
    out
}

/// Converts points that are not the identity to affine with one inversion (Montgomery's trick).
fn to_affine_batch(points: &[Jacobian]) -> Option<Vec<Affine>> {
    let mut prefix = Vec::with_capacity(points.len());
    let mut acc = Fe::ONE;
    for p in points {
        if p.is_identity() {
            return None;
        }
        prefix.push(acc);
        acc *= p.z;
    }
    let mut inv = acc.invert()?;
    let mut out = vec![
        Affine {
            x: Fe::ZERO,
            y: Fe::ZERO,
        };
        points.len()
    ];
    for (i, p) in points.iter().enumerate().rev() {
        let z_inv = inv * prefix[i];
        inv *= p.z;
        let z2 = z_inv.square();
        out[i] = Affine {
            x: p.x * z2,
            y: p.y * z2 * z_inv,
        };
    }
    Some(out)
}

/// The odd multiples `G, 3G, …, 127G` of the generator, built on first use.
fn generator_table() -> &'static [Affine] {
    static TABLE: OnceLock<Vec<Affine>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let g = affine_of(&p256::AffinePoint::GENERATOR)
            .expect("the P-256 generator has affine coordinates");
        let multiples = odd_multiples(&Jacobian::from_affine(&g), 1 << (G_WINDOW - 2));
        to_affine_batch(&multiples).expect("odd multiples of the generator are never the identity")
    })
}

/// The coordinates of a point given by the `p256` crate, or `None` for the identity.
fn affine_of(point: &p256::AffinePoint) -> Option<Affine> {
    let sec1 = point.to_sec1_point(false);
    let x: [u8; 32] = sec1.x()?.as_slice().try_into().ok()?;
    let y: [u8; 32] = sec1.y()?.as_slice().try_into().ok()?;
    Some(Affine {
        x: Fe::from_bytes(&x)?,
        y: Fe::from_bytes(&y)?,
    })
}

/// Width-`w` non-adjacent form of a 256-bit big-endian integer, least significant digit first.
fn naf(bytes: &[u8; 32], w: u32) -> [i8; DIGITS] {
    // Five little-endian limbs leave room for the carry when a negative digit is removed.
    let mut k = [0u64; 5];
    for (i, limb) in k.iter_mut().take(4).enumerate() {
        let mut be = [0u8; 8];
        be.copy_from_slice(&bytes[24 - 8 * i..32 - 8 * i]);
        *limb = u64::from_be_bytes(be);
    }
    let mask = (1u64 << w) - 1;
    let half = 1i64 << (w - 1);
    let mut out = [0i8; DIGITS];
    for digit in out.iter_mut() {
        if k.iter().all(|&l| l == 0) {
            break;
        }
        if k[0] & 1 == 1 {
            let mut d = (k[0] & mask) as i64;
            if d >= half {
                d -= 1 << w;
            }
            *digit = d as i8;
            // k −= d, leaving k divisible by 2^w.
            if d > 0 {
                let mut borrow = d as u64;
                for limb in k.iter_mut() {
                    let (v, b) = limb.overflowing_sub(borrow);
                    *limb = v;
                    borrow = u64::from(b);
                    if borrow == 0 {
                        break;
                    }
                }
            } else {
                let mut carry = (-d) as u64;
                for limb in k.iter_mut() {
                    let (v, c) = limb.overflowing_add(carry);
                    *limb = v;
                    carry = u64::from(c);
                    if carry == 0 {
                        break;
                    }
                }
            }
        }
        for i in 0..4 {
            k[i] = (k[i] >> 1) | (k[i + 1] << 63);
        }
        k[4] >>= 1;
    }
    out
}

/// The leftmost 256 bits of a digest as a scalar modulo n (SEC 1 §4.1.4 step 5), or `None` when
/// the digest is shorter than 128 bits (as the `ecdsa` crate refuses).
fn digest_scalar(digest: &[u8]) -> Option<Scalar> {
    if digest.len() < 16 {
        return None;
    }
    let mut bytes = FieldBytes::default();
    if digest.len() >= 32 {
        bytes.copy_from_slice(&digest[..32]);
    } else {
        bytes[32 - digest.len()..].copy_from_slice(digest);
    }
    Some(<Scalar as Reduce<FieldBytes>>::reduce(&bytes))
}

/// A scalar in [1, n − 1] from 32 big-endian bytes.
fn nonzero_scalar(bytes: &[u8; 32]) -> Option<Scalar> {
    let s = Option::<Scalar>::from(Scalar::from_repr(FieldBytes::from(*bytes)))?;
    (!bool::from(s.is_zero())).then_some(s)
}

/// A prepared P-256 public key for repeated verification.
#[derive(Clone, Copy)]
pub struct VerifyingKey {
    q: Affine,
}

impl VerifyingKey {
    /// Prepares a key the `p256` crate has already checked to be a point on the curve.
    pub fn new(key: &p256::ecdsa::VerifyingKey) -> Option<VerifyingKey> {
        affine_of(key.as_affine()).map(|q| VerifyingKey { q })
    }

    /// A key from its SEC1 encoding (33-byte compressed or 65-byte uncompressed), or `None` when
    /// the bytes do not encode a point on the curve (the identity is refused).
    pub fn from_sec1(bytes: &[u8]) -> Option<VerifyingKey> {
        let x_bytes: &[u8; 32] = bytes.get(1..33)?.try_into().ok()?;
        let x = Fe::from_bytes(x_bytes)?;
        // y² = x³ − 3x + b
        let three_x = x.double() + x;
        let rhs = x.square() * x - three_x + Fe::from_bytes(&CURVE_B)?;
        let y = match (bytes[0], bytes.len()) {
            (2 | 3, 33) => {
                let root = rhs.sqrt()?;
                if root.is_odd() == (bytes[0] == 3) {
                    root
                } else {
                    -root
                }
            }
            (4, 65) => {
                let y = Fe::from_bytes(bytes.get(33..65)?.try_into().ok()?)?;
                if y.square() != rhs {
                    return None;
                }
                y
            }
            _ => return None,
        };
        Some(VerifyingKey { q: Affine { x, y } })
    }

    /// Verifies a signature decoded by the `p256` crate over a message digest.
    pub fn verify_signature(&self, digest: &[u8], signature: &p256::ecdsa::Signature) -> bool {
        let bytes = signature.to_bytes();
        let mut r = [0u8; 32];
        let mut s = [0u8; 32];
        r.copy_from_slice(&bytes[..32]);
        s.copy_from_slice(&bytes[32..]);
        self.verify_prehash(digest, &r, &s)
    }

    /// Verifies the signature `(r, s)` (each 32 big-endian bytes) over a message digest.
    /// Returns `false` when `r` or `s` is outside [1, n − 1] or the signature does not verify.
    pub fn verify_prehash(&self, digest: &[u8], r: &[u8; 32], s: &[u8; 32]) -> bool {
        let (Some(r_scalar), Some(s_scalar), Some(e)) =
            (nonzero_scalar(r), nonzero_scalar(s), digest_scalar(digest))
        else {
            return false;
        };
        let Some(w) = Option::<Scalar>::from(s_scalar.invert_vartime()) else {
            return false;
        };
        let u1 = e * w;
        let u2 = r_scalar * w;
        let mut u1_bytes = [0u8; 32];
        u1_bytes.copy_from_slice(&u1.to_repr());
        let mut u2_bytes = [0u8; 32];
        u2_bytes.copy_from_slice(&u2.to_repr());
        let d1 = naf(&u1_bytes, G_WINDOW);
        let d2 = naf(&u2_bytes, Q_WINDOW);

        let g_table = generator_table();
        let q_table = odd_multiples(&Jacobian::from_affine(&self.q), 1 << (Q_WINDOW - 2));

        let top = (0..DIGITS)
            .rev()
            .find(|&i| d1[i] != 0 || d2[i] != 0)
            .unwrap_or(0);
        let mut acc = Jacobian::IDENTITY;
        for i in (0..=top).rev() {
            acc = acc.double();
            let a = d1[i];
            if a != 0 {
                let p = g_table[(a.unsigned_abs() / 2) as usize];
                acc = if a > 0 {
                    acc.add_affine(&p)
                } else {
                    acc.add_affine(&Affine { x: p.x, y: -p.y })
                };
            }
            let b = d2[i];
            if b != 0 {
                let p = q_table[(b.unsigned_abs() / 2) as usize];
                acc = if b > 0 {
                    acc.add(&p)
                } else {
                    acc.add(&p.neg())
                };
            }
        }
        if acc.is_identity() {
            return false;
        }
        // x(R) mod n == r, i.e. x(R) is r or r + n (the latter only when below p).
        let z2 = acc.z.square();
        let Some(r_fe) = Fe::from_bytes(r) else {
            return false;
        };
        if r_fe * z2 == acc.x {
            return true;
        }
        let Some(r_plus_n) = add_be(r, &ORDER) else {
            return false;
        };
        Fe::from_bytes(&r_plus_n).is_some_and(|v| v * z2 == acc.x)
    }
}

/// The curve coefficient b, big-endian.
const CURVE_B: [u8; 32] = [
    0x5a, 0xc6, 0x35, 0xd8, 0xaa, 0x3a, 0x93, 0xe7, 0xb3, 0xeb, 0xbd, 0x55, 0x76, 0x98, 0x86, 0xbc,
    0x65, 0x1d, 0x06, 0xb0, 0xcc, 0x53, 0xb0, 0xf6, 0x3b, 0xce, 0x3c, 0x3e, 0x27, 0xd2, 0x60, 0x4b,
];

/// The order n of the P-256 group, big-endian.
const ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// `a + b` for two 256-bit big-endian integers, `None` on overflow.
fn add_be(a: &[u8; 32], b: &[u8; 32]) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    let mut carry = 0u16;
    for i in (0..32).rev() {
        let v = u16::from(a[i]) + u16::from(b[i]) + carry;
        out[i] = v as u8;
        carry = v >> 8;
    }
    (carry == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};

    fn split(sig: &p256::ecdsa::Signature) -> ([u8; 32], [u8; 32]) {
        let bytes = sig.to_bytes();
        let mut r = [0u8; 32];
        let mut s = [0u8; 32];
        r.copy_from_slice(&bytes[..32]);
        s.copy_from_slice(&bytes[32..]);
        (r, s)
    }

    #[test]
    fn naf_digits_recompose_the_scalar() {
        for seed in 0u8..40 {
            let mut bytes = [0u8; 32];
            for (i, b) in bytes.iter_mut().enumerate() {
                *b = seed
                    .wrapping_mul(37)
                    .wrapping_add((i as u8).wrapping_mul(91))
                    ^ 0xa5;
            }
            if seed == 0 {
                bytes = [0xff; 32];
            }
            for w in [Q_WINDOW, G_WINDOW] {
                let digits = naf(&bytes, w);
                // Recompose with i128 pieces in a 5-limb two's-complement accumulator.
                let mut acc = [0i128; 5];
                for (i, &d) in digits.iter().enumerate() {
                    acc[i / 64] += i128::from(d) << (i % 64);
                }
                let mut limbs = [0u64; 5];
                let mut carry = 0i128;
                for j in 0..5 {
                    let v = acc[j] + carry;
                    limbs[j] = v as u64;
                    carry = v >> 64;
                }
                let mut expect = [0u64; 5];
                for (i, limb) in expect.iter_mut().take(4).enumerate() {
                    let mut be = [0u8; 8];
                    be.copy_from_slice(&bytes[24 - 8 * i..32 - 8 * i]);
                    *limb = u64::from_be_bytes(be);
                }
                assert_eq!(limbs, expect, "seed {seed} width {w}");
                // Non-zero digits are odd, below 2^(w−1) in size, and at least w apart.
                let mut last: Option<usize> = None;
                for (i, &d) in digits.iter().enumerate() {
                    if d != 0 {
                        assert!(d % 2 != 0 && i32::from(d).abs() < 1 << (w - 1));
                        if let Some(l) = last {
                            assert!(i - l >= w as usize);
                        }
                        last = Some(i);
                    }
                }
            }
        }
    }

    #[test]
    fn agrees_with_the_p256_crate() {
        let mut rng = crate::crypto::rng::SeededRng::new(1609);
        for round in 0..64u32 {
            let sk = p256::ecdsa::SigningKey::from(
                <p256::SecretKey as p256::elliptic_curve::Generate>::generate_from_rng(&mut rng),
            );
            let vk = *sk.verifying_key();
            let ours = VerifyingKey::new(&vk).expect("a point");
            let digest: [u8; 32] = core::array::from_fn(|i| (round as u8) ^ (i as u8 * 7));
            let sig: p256::ecdsa::Signature = sk.sign_prehash(&digest).expect("signs");
            let (r, s) = split(&sig);
            assert!(vk.verify_prehash(&digest, &sig).is_ok());
            assert!(ours.verify_prehash(&digest, &r, &s), "round {round}");
            // A changed digest, r or s fails.
            let mut other = digest;
            other[round as usize % 32] ^= 1;
            assert!(!ours.verify_prehash(&other, &r, &s));
            let mut r2 = r;
            r2[31] ^= 1;
            assert!(!ours.verify_prehash(&digest, &r2, &s));
            let mut s2 = s;
            s2[0] ^= 0x40;
            assert!(!ours.verify_prehash(&digest, &r, &s2));
            // 48- and 20-byte digests are truncated and padded as by the ecdsa crate.
            let long: [u8; 48] = core::array::from_fn(|i| i as u8);
            let sig: p256::ecdsa::Signature = sk.sign_prehash(&long).expect("signs");
            let (r, s) = split(&sig);
            assert!(ours.verify_prehash(&long, &r, &s));
            let short: [u8; 20] = core::array::from_fn(|i| 200 - i as u8);
            let sig: p256::ecdsa::Signature = sk.sign_prehash(&short).expect("signs");
            let (r, s) = split(&sig);
            assert!(ours.verify_prehash(&short, &r, &s));
        }
    }

    #[test]
    fn sec1_keys_decode_as_the_p256_crate_decodes_them() {
        use p256::elliptic_curve::sec1::ToSec1Point;
        let mut rng = crate::crypto::rng::SeededRng::new(3);
        for _ in 0..32 {
            let sk = p256::ecdsa::SigningKey::from(
                <p256::SecretKey as p256::elliptic_curve::Generate>::generate_from_rng(&mut rng),
            );
            let vk = sk.verifying_key();
            let expect = VerifyingKey::new(vk).expect("a point");
            for compress in [true, false] {
                let sec1 = vk.as_affine().to_sec1_point(compress);
                let ours = VerifyingKey::from_sec1(sec1.as_bytes()).expect("decodes");
                assert_eq!(ours.q.x, expect.q.x);
                assert_eq!(ours.q.y, expect.q.y);
            }
            // The other parity decodes to the negated point; a moved y is off the curve.
            let mut flipped = vk.as_affine().to_sec1_point(true).as_bytes().to_vec();
            flipped[0] ^= 1;
            let neg = VerifyingKey::from_sec1(&flipped).expect("decodes");
            assert_eq!(neg.q.y, -expect.q.y);
            let mut moved = vk.as_affine().to_sec1_point(false).as_bytes().to_vec();
            moved[64] ^= 1;
            assert!(VerifyingKey::from_sec1(&moved).is_none());
        }
        // About half of all x have no point; acceptance agrees with the p256 crate's.
        let mut refused = 0;
        for i in 0u8..64 {
            let mut candidate = [i.wrapping_mul(29); 33];
            candidate[0] = 2 + (i & 1);
            let theirs = p256::ecdsa::VerifyingKey::from_sec1_bytes(&candidate).ok();
            let ours = VerifyingKey::from_sec1(&candidate);
            assert_eq!(ours.is_some(), theirs.is_some(), "x byte {i}");
            if let (Some(ours), Some(theirs)) = (ours, theirs) {
                assert_eq!(ours.q.y, VerifyingKey::new(&theirs).expect("a point").q.y);
            } else {
                refused += 1;
            }
        }
        assert!(refused > 10 && refused < 54, "{refused} of 64 refused");
        // The compact (tag 5, which the p256 crate accepts) and hybrid (6, 7) forms are not
        // among the encodings SEC 1 §2.3.4 and IEEE 1609.2 use: refused.
        let mut other = p256::AffinePoint::GENERATOR
            .to_sec1_point(true)
            .as_bytes()
            .to_vec();
        other[0] = 5;
        assert!(VerifyingKey::from_sec1(&other).is_none());
        let mut hybrid = p256::AffinePoint::GENERATOR
            .to_sec1_point(false)
            .as_bytes()
            .to_vec();
        for tag in [6u8, 7] {
            hybrid[0] = tag;
            assert!(VerifyingKey::from_sec1(&hybrid).is_none());
        }
        // A bad prefix or length is refused.
        assert!(VerifyingKey::from_sec1(&[5; 33]).is_none());
        assert!(VerifyingKey::from_sec1(&[2; 32]).is_none());
        assert!(VerifyingKey::from_sec1(&[]).is_none());
    }

    #[test]
    fn zero_and_out_of_range_values_are_refused() {
        let mut rng = crate::crypto::rng::SeededRng::new(2);
        let sk = p256::ecdsa::SigningKey::from(
            <p256::SecretKey as p256::elliptic_curve::Generate>::generate_from_rng(&mut rng),
        );
        let ours = VerifyingKey::new(sk.verifying_key()).expect("a point");
        let digest = [7u8; 32];
        let sig: p256::ecdsa::Signature = sk.sign_prehash(&digest).expect("signs");
        let (r, s) = split(&sig);
        assert!(!ours.verify_prehash(&digest, &[0; 32], &s));
        assert!(!ours.verify_prehash(&digest, &r, &[0; 32]));
        assert!(!ours.verify_prehash(&digest, &[0xff; 32], &s));
        assert!(!ours.verify_prehash(&digest, &r, &[0xff; 32]));
        assert!(!ours.verify_prehash(&[1; 8], &r, &s));
    }
}
