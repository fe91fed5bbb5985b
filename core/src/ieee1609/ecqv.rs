//! Implicit certificates (ECQV, SEC 4 as IEEE 1609.2 §5.3.2 profiles it).
//!
//! An implicit certificate carries a reconstruction value `P_U` instead of a key and a
//! signature. With `e` = SHA-256(SHA-256(ToBeSignedCertificate) ‖ SHA-256(issuer
//! certificate)) read as an integer mod n, anyone holding the issuer's key `Q_CA`
//! reconstructs the subject's key `Q_U = e·P_U + Q_CA`; the subject, holding the request key
//! `k_U` and the CA's private-key reconstruction value `r`, gets `d_U = e·k_U + r`. The
//! whole 256-bit hash is reduced mod n, as deployed SCMSs do (see docs/decisions.md).
//!
//! Both curves 1609.2 allows for a reconstruction value (an EccP256CurvePoint) are done:
//! NIST P-256 and brainpoolP256r1.

use super::data::Curve;
use sha2::{Digest as _, Sha256};

/// Why a key could not be reconstructed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EcqvError {
    /// A point does not decode to a point of the curve.
    #[error("the {0} is not a point of {1}")]
    NotOnCurve(&'static str, &'static str),
    /// A scalar is zero or not below the group order.
    #[error("the {0} is not a scalar below the order of {1}")]
    BadScalar(&'static str, &'static str),
    /// The result is the point at infinity or zero (an unusable key).
    #[error("the reconstructed key is the identity (unusable)")]
    Identity,
    /// The curve cannot carry an implicit certificate.
    #[error("{0} keys cannot issue implicit certificates (1609.2 allows NIST P-256 and brainpoolP256r1)")]
    Unsupported(&'static str),
}

/// The hash input of §5.3.2: SHA-256(SHA-256(tbs) ‖ SHA-256(issuer)), where `tbs` is the
/// implicit certificate's ToBeSignedCertificate and `issuer` the issuer certificate as
/// hashed for its HashedId8.
pub fn hash_input(tbs: &[u8], issuer: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(Sha256::digest(tbs));
    h.update(Sha256::digest(issuer));
    h.finalize().into()
}

/// SHA-256 of `data` (the "CertU" hash when the caller has already built CertU).
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

use ec::group::{Curve as _, Group as _};
use ec::ops::Reduce;
use ec::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use ec::{AffinePoint, CurveArithmetic, FieldBytes, FieldBytesSize, PrimeField, ProjectivePoint};
use p256::elliptic_curve as ec;

/// The arithmetic ECQV and butterfly expansion need, for any prime-order curve of 256 bits.
struct Ops<C>(std::marker::PhantomData<C>);

impl<C> Ops<C>
where
    C: CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
    C::Scalar: Reduce<FieldBytes<C>>,
{
    fn point(
        sec1: &[u8],
        what: &'static str,
        label: &'static str,
    ) -> Result<ProjectivePoint<C>, EcqvError> {
        let p: Option<AffinePoint<C>> = AffinePoint::<C>::from_sec1_bytes(sec1).ok();
        p.map(ProjectivePoint::<C>::from)
            .ok_or(EcqvError::NotOnCurve(what, label))
    }

    fn field_bytes(bytes: &[u8; 32]) -> FieldBytes<C> {
        let mut f = FieldBytes::<C>::default();
        f.copy_from_slice(bytes);
        f
    }

    fn scalar(
        bytes: &[u8; 32],
        what: &'static str,
        label: &'static str,
    ) -> Result<C::Scalar, EcqvError> {
        let s: Option<C::Scalar> = C::Scalar::from_repr(Self::field_bytes(bytes)).into();
        s.ok_or(EcqvError::BadScalar(what, label))
    }

    /// A 256-bit big-endian integer reduced mod n.
    fn reduce(bytes: &[u8; 32]) -> C::Scalar {
        <C::Scalar as Reduce<FieldBytes<C>>>::reduce(&Self::field_bytes(bytes))
    }

    /// A 384-bit big-endian integer reduced mod n: hi·2^256 + lo.
    fn reduce384(bytes: &[u8; 48]) -> C::Scalar {
        let mut hi = [0u8; 32];
        hi[16..].copy_from_slice(&bytes[..16]);
        let mut lo = [0u8; 32];
        lo.copy_from_slice(&bytes[16..]);
        let mut two128 = [0u8; 32];
        two128[15] = 1;
        let t = Self::reduce(&two128);
        Self::reduce(&hi) * t * t + Self::reduce(&lo)
    }

    fn encode(p: ProjectivePoint<C>) -> Result<Vec<u8>, EcqvError> {
        if bool::from(p.is_identity()) {
            return Err(EcqvError::Identity);
        }
        Ok(p.to_affine().to_sec1_point(false).as_bytes().to_vec())
    }

    fn scalar_bytes(s: C::Scalar) -> Result<[u8; 32], EcqvError> {
        let repr = s.to_repr();
        if repr.iter().all(|b| *b == 0) {
            return Err(EcqvError::Identity);
        }
        let mut out = [0u8; 32];
        out.copy_from_slice(&repr);
        Ok(out)
    }

    fn public(
        e: &[u8; 32],
        recon: &[u8],
        issuer: &[u8],
        label: &'static str,
    ) -> Result<Vec<u8>, EcqvError> {
        let p = Self::point(recon, "reconstruction value", label)?;
        let q = Self::point(issuer, "issuer's key", label)?;
        Self::encode(p * Self::reduce(e) + q)
    }

    fn private(
        e: &[u8; 32],
        k: &[u8; 32],
        r: &[u8; 32],
        label: &'static str,
    ) -> Result<[u8; 32], EcqvError> {
        let k = Self::scalar(k, "request private key", label)?;
        let r = Self::scalar(r, "private-key reconstruction value", label)?;
        Self::scalar_bytes(Self::reduce(e) * k + r)
    }

    fn public_of(d: &[u8; 32], label: &'static str) -> Result<Vec<u8>, EcqvError> {
        let d = Self::scalar(d, "private key", label)?;
        Self::encode(ProjectivePoint::<C>::generator() * d)
    }

    fn add_scalar(a: &[u8; 32], f: &[u8; 48], label: &'static str) -> Result<[u8; 32], EcqvError> {
        Self::scalar_bytes(Self::scalar(a, "seed private key", label)? + Self::reduce384(f))
    }

    fn add_point(a: &[u8], f: &[u8; 48], label: &'static str) -> Result<Vec<u8>, EcqvError> {
        let p = Self::point(a, "seed public key", label)?;
        Self::encode(p + ProjectivePoint::<C>::generator() * Self::reduce384(f))
    }
}

type Nist = Ops<p256::NistP256>;
type Brainpool = Ops<bp256::BrainpoolP256r1>;
const NIST: &str = "NIST P-256";
const BRAINPOOL: &str = "brainpoolP256r1";

/// Reconstructs the public key `e·P_U + Q_CA` (SEC 4 §3.5) as an uncompressed SEC1 point.
/// `e` is the hash ([`hash_input`]); `recon` and `issuer` are SEC1 points.
pub fn reconstruct_public(
    curve: Curve,
    e: &[u8; 32],
    recon: &[u8],
    issuer: &[u8],
) -> Result<Vec<u8>, EcqvError> {
    match curve {
        Curve::NistP256 => Nist::public(e, recon, issuer, NIST),
        Curve::BrainpoolP256 => Brainpool::public(e, recon, issuer, BRAINPOOL),
        other => Err(EcqvError::Unsupported(other.name())),
    }
}

/// Reconstructs the private key `e·k_U + r mod n` (SEC 4 §3.6).
pub fn reconstruct_private(
    curve: Curve,
    e: &[u8; 32],
    k_u: &[u8; 32],
    r: &[u8; 32],
) -> Result<[u8; 32], EcqvError> {
    match curve {
        Curve::NistP256 => Nist::private(e, k_u, r, NIST),
        Curve::BrainpoolP256 => Brainpool::private(e, k_u, r, BRAINPOOL),
        other => Err(EcqvError::Unsupported(other.name())),
    }
}

/// The public key `d·G` of a private key, uncompressed SEC1.
pub fn public_of(curve: Curve, d: &[u8; 32]) -> Result<Vec<u8>, EcqvError> {
    match curve {
        Curve::NistP256 => Nist::public_of(d, NIST),
        Curve::BrainpoolP256 => Brainpool::public_of(d, BRAINPOOL),
        other => Err(EcqvError::Unsupported(other.name())),
    }
}

/// `a + (f mod n)` for a 384-bit `f` (the butterfly expansion of a private key).
pub(crate) fn add_scalar(curve: Curve, a: &[u8; 32], f: &[u8; 48]) -> Result<[u8; 32], EcqvError> {
    match curve {
        Curve::NistP256 => Nist::add_scalar(a, f, NIST),
        Curve::BrainpoolP256 => Brainpool::add_scalar(a, f, BRAINPOOL),
        other => Err(EcqvError::Unsupported(other.name())),
    }
}

/// `A + (f mod n)·G` for a 384-bit `f` (the butterfly expansion of a public key).
pub(crate) fn add_point(curve: Curve, a: &[u8], f: &[u8; 48]) -> Result<Vec<u8>, EcqvError> {
    match curve {
        Curve::NistP256 => Nist::add_point(a, f, NIST),
        Curve::BrainpoolP256 => Brainpool::add_point(a, f, BRAINPOOL),
        other => Err(EcqvError::Unsupported(other.name())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h<const N: usize>(s: &str) -> [u8; N] {
        hex::decode(s).unwrap().try_into().unwrap()
    }

    /// CAMP LLC crypto-test-vectors implicit.txt, vector 1 (SEC 4 with CertU = tbsCert ‖ P_U
    /// and e the leftmost 255 bits of SHA-256(CertU)): the point and scalar arithmetic.
    #[test]
    fn camp_implicit_vector_1() {
        let cert_u = hex::decode("54686973206973206120746573742100024a1890e30a584208dad3838d0c5cecb1ed6b01d48893c684c59908f5b38e3d82").unwrap();
        // e = SHA-256(CertU) >> 1, as 32 bytes.
        let mut e = sha256(&cert_u);
        let mut carry = 0u8;
        for b in e.iter_mut() {
            let next = *b & 1;
            *b = (*b >> 1) | (carry << 7);
            carry = next;
        }
        let k_u = h("1384C31D6982D52BCA3BED8A7E60F52FECDAB44E5C0EA166815A8159E09FFB42");
        let r = h("1FA86893A1AABE8A79F63360F4B6D5617380B4D84B8C260DD8D3D64163C874FD");
        let d_u = reconstruct_private(Curve::NistP256, &e, &k_u, &r).unwrap();
        assert_eq!(
            hex::encode_upper(d_u),
            "C8599ECA52B58D691B2BB609CDB53DDD9F49C0D635AB652EC79C546914590274"
        );
        let q_ca = hex::decode("043BB8FFD19B25EE1BB939CD4935FBFA8FBAADBA64843338A95595A70ED7479B70EB60DDC790E3CB05E85225F636D8A7C20DF3A8135C4B2AE5396367B4E86077F8").unwrap();
        let q_u = reconstruct_public(Curve::NistP256, &e, &cert_u[16..], &q_ca).unwrap();
        assert_eq!(q_u, public_of(Curve::NistP256, &d_u).unwrap());
    }

    /// KISA implicit-certificate scheme test vector 0 (the same inputs with e the whole
    /// SHA-256 of CertU), as carried by a Korean V2X stack's unit tests.
    #[test]
    fn kisa_vector_0_whole_hash() {
        let e = h("966eccce39e05b541be571055dc63f7df377e79847167e2b8e92f8327fac384d");
        let k_u = h("1384C31D6982D52BCA3BED8A7E60F52FECDAB44E5C0EA166815A8159E09FFB42");
        let r = h("8A7966677B40674389118E269777451174564A3AD57FEC31F4EEFF07C641B4C8");
        let d_u = reconstruct_private(Curve::NistP256, &e, &k_u, &r).unwrap();
        assert_eq!(
            hex::encode_upper(d_u),
            "EF6095F346D8DA2B95B88102C7D50B39FBDC1BD75EB56D556020B1EE0B9FA5A7"
        );
        let p_u = hex::decode("024A1890E30A584208DAD3838D0C5CECB1ED6B01D48893C684C59908F5B38E3D82")
            .unwrap();
        let q_ca = hex::decode("043BB8FFD19B25EE1BB939CD4935FBFA8FBAADBA64843338A95595A70ED7479B70EB60DDC790E3CB05E85225F636D8A7C20DF3A8135C4B2AE5396367B4E86077F8").unwrap();
        let q_u = reconstruct_public(Curve::NistP256, &e, &p_u, &q_ca).unwrap();
        assert_eq!(
            hex::encode_upper(&q_u),
            "04E76F7751EEC099CCCF074927FB0C0E4BC9EF7434B70119B39A91D150A2CA69A9174C7CCA46F5D73439F79987CB613B229ABE3F1F8D163E3D677211A690A8EC31"
        );
        assert_eq!(q_u, public_of(Curve::NistP256, &d_u).unwrap());
    }

    #[test]
    fn bad_inputs_are_errors() {
        let e = [7u8; 32];
        // x = 2^256 − 1 is above the field prime.
        let mut not_a_point = [0xffu8; 33];
        not_a_point[0] = 2;
        let g = public_of(
            Curve::NistP256,
            &h("0000000000000000000000000000000000000000000000000000000000000001"),
        )
        .unwrap();
        assert!(matches!(
            reconstruct_public(Curve::NistP256, &e, &not_a_point[..], &g),
            Err(EcqvError::NotOnCurve("reconstruction value", _))
        ));
        assert!(matches!(
            reconstruct_private(Curve::NistP256, &e, &[0xff; 32], &[1; 32]),
            Err(EcqvError::BadScalar(..))
        ));
        assert!(matches!(
            reconstruct_public(Curve::NistP384, &e, &g, &g),
            Err(EcqvError::Unsupported(_))
        ));
        // A brainpool point is not a P-256 point (and the other way round).
        let bp = public_of(Curve::BrainpoolP256, &[3; 32]).unwrap();
        assert!(reconstruct_public(Curve::BrainpoolP256, &e, &bp, &bp).is_ok());
    }
}
