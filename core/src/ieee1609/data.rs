//! IEEE 1609.2 structures (the 2016/2a/2b/2022 schema, which agree on COER for everything
//! here): Ieee1609Dot2Data, SignedData, ToBeSignedData, HeaderInfo, SignerIdentifier,
//! Signature, explicit and implicit Certificates. Decoding keeps the byte ranges the
//! signature rules hash; unknown extension additions are skipped, unknown root choices fail.
//!
//! Why one file of ~930 lines of code (~1,030 with its unit tests): it is the decoder of one
//! ASN.1 module, read top to bottom in the module's order; the type definitions and their
//! COER readers sit together so each reader can be checked against its definition in
//! ../shared/asn1 without switching files.

use super::coer::Reader;
use crate::error::Error;

/// Deepest Ieee1609Dot2Data nesting accepted (signed data inside signed data …).
pub const MAX_DATA_DEPTH: usize = 8;

/// Hash algorithms of 1609.2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashAlg {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SM3 (recognised, not computed).
    Sm3,
}

impl HashAlg {
    fn from_index(i: u64) -> Option<Self> {
        match i {
            0 => Some(HashAlg::Sha256),
            1 => Some(HashAlg::Sha384),
            2 => Some(HashAlg::Sm3),
            _ => None,
        }
    }

    /// Report name.
    pub fn name(self) -> &'static str {
        match self {
            HashAlg::Sha256 => "sha256",
            HashAlg::Sha384 => "sha384",
            HashAlg::Sm3 => "sm3",
        }
    }
}

/// Curves of 1609.2 signatures and keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    /// NIST P-256.
    NistP256,
    /// brainpoolP256r1.
    BrainpoolP256,
    /// brainpoolP384r1.
    BrainpoolP384,
    /// NIST P-384.
    NistP384,
    /// SM2 (recognised, not verified).
    Sm2,
}

impl Curve {
    /// Report name of the signature algorithm.
    pub fn name(self) -> &'static str {
        match self {
            Curve::NistP256 => "ecdsa-p256",
            Curve::BrainpoolP256 => "ecdsa-brainpoolp256r1",
            Curve::BrainpoolP384 => "ecdsa-brainpoolp384r1",
            Curve::NistP384 => "ecdsa-p384",
            Curve::Sm2 => "sm2",
        }
    }

    /// Field size in bytes.
    pub fn size(self) -> usize {
        match self {
            Curve::NistP384 | Curve::BrainpoolP384 => 48,
            _ => 32,
        }
    }

    /// The hash 1609.2 pairs with the curve.
    pub fn hash(self) -> HashAlg {
        match self {
            Curve::NistP384 | Curve::BrainpoolP384 => HashAlg::Sha384,
            Curve::Sm2 => HashAlg::Sm3,
            _ => HashAlg::Sha256,
        }
    }
}

/// An EccP256CurvePoint / EccP384CurvePoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Point {
    /// x only.
    XOnly(Vec<u8>),
    /// `fill` (NULL).
    Fill,
    /// Compressed, with the parity of y.
    Compressed {
        /// Whether y is odd (compressed-y-1).
        y_odd: bool,
        /// x.
        x: Vec<u8>,
    },
    /// Uncompressed.
    Uncompressed {
        /// x.
        x: Vec<u8>,
        /// y.
        y: Vec<u8>,
    },
}

impl Point {
    /// The form's name.
    pub fn form(&self) -> &'static str {
        match self {
            Point::XOnly(_) => "x-only",
            Point::Fill => "fill",
            Point::Compressed { y_odd: false, .. } => "compressed-y-0",
            Point::Compressed { y_odd: true, .. } => "compressed-y-1",
            Point::Uncompressed { .. } => "uncompressed",
        }
    }

    /// The x coordinate, when there is one.
    pub fn x(&self) -> Option<&[u8]> {
        match self {
            Point::XOnly(x) | Point::Compressed { x, .. } | Point::Uncompressed { x, .. } => {
                Some(x)
            }
            Point::Fill => None,
        }
    }

    /// SEC1 encoding (compressed or uncompressed), when the point is fully given.
    pub fn sec1(&self) -> Option<Vec<u8>> {
        match self {
            Point::Compressed { y_odd, x } => {
                let mut v = vec![if *y_odd { 3 } else { 2 }];
                v.extend_from_slice(x);
                Some(v)
            }
            Point::Uncompressed { x, y } => {
                let mut v = vec![4];
                v.extend_from_slice(x);
                v.extend_from_slice(y);
                Some(v)
            }
            _ => None,
        }
    }
}

/// A Signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The curve.
    pub curve: Curve,
    /// rSig.
    pub r: Point,
    /// sSig.
    pub s: Vec<u8>,
}

/// Who signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signer {
    /// The HashedId8 of the signer's certificate.
    Digest([u8; 8]),
    /// The signer's certificate (first) and possibly its chain.
    Certificates(Vec<Certificate>),
    /// Signed with the private key of the verifying party's own certificate (`self`).
    SelfSigned,
}

/// The certificate's issuer field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Issuer {
    /// Self-signed (a root), with the hash used.
    SelfSigned(HashAlg),
    /// Issued by the certificate with this HashedId8, hashed with `alg`.
    Digest {
        /// Hash of the issuer's HashedId8.
        alg: HashAlg,
        /// The issuer's HashedId8.
        id: [u8; 8],
    },
}

/// How the certificate gives its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyKey {
    /// An explicit verification key.
    Key {
        /// Curve.
        curve: Curve,
        /// The public point.
        point: Point,
    },
    /// An implicit (ECQV) certificate's reconstruction value.
    Reconstruction(Point),
}

/// A GeographicRegion (§6.4.17); latitudes and longitudes in 1/10 micro-degrees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Region {
    /// A circle: centre and radius in metres.
    Circle {
        /// Latitude of the centre.
        lat: i64,
        /// Longitude of the centre.
        lon: i64,
        /// Radius in metres.
        radius: u64,
    },
    /// Rectangles, each (north-west corner, south-east corner) as (lat, lon).
    Rectangles(Vec<[(i64, i64); 2]>),
    /// A polygon's vertices (lat, lon).
    Polygon(Vec<(i64, i64)>),
    /// Identified regions (countries and their subdivisions).
    Identified(Vec<IdentifiedRegion>),
    /// An extension this version does not read.
    Other,
}

/// One IdentifiedRegion (§6.4.23).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentifiedRegion {
    /// A whole country (UN numeric code).
    Country(u64),
    /// A country and some of its regions.
    CountryRegions(u64, Vec<u64>),
    /// A country, its regions and some of their subregions.
    CountrySubregions(u64, Vec<(u64, Vec<u64>)>),
    /// An extension this version does not read.
    Other,
}

/// A ServiceSpecificPermissions value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ssp {
    /// opaque.
    Opaque(Vec<u8>),
    /// bitmapSsp.
    Bitmap(Vec<u8>),
    /// An extension this version does not read.
    Other,
}

/// An SspRange (§6.4.33).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SspRange {
    /// Any of these opaque values.
    Opaque(Vec<Vec<u8>>),
    /// Any SSP.
    All,
    /// A bitmap SSP whose masked bits equal the masked value.
    Bitmap {
        /// sspValue.
        value: Vec<u8>,
        /// sspBitmask.
        mask: Vec<u8>,
    },
    /// An extension this version does not read.
    Other,
}

/// One PsidGroupPermissions (§6.4.28) of certIssuePermissions or certRequestPermissions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupPermission {
    /// The PSIDs and SSP ranges granted; `None` for `all`.
    pub psids: Option<Vec<(u64, Option<SspRange>)>>,
    /// minChainLength (default 1).
    pub min_chain_length: u64,
    /// chainLengthRange (default 0; -1 means unbounded).
    pub chain_length_range: i64,
    /// eeType bits (default 0x80: app).
    pub ee_type: u8,
}

/// A Certificate (explicit or implicit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    /// The whole certificate as encoded.
    pub bytes: Vec<u8>,
    /// Offset of the signature within `bytes`, when it has one.
    pub signature_at: Option<usize>,
    /// `explicit` or `implicit`.
    pub implicit: bool,
    /// Issuer.
    pub issuer: Issuer,
    /// The COER of toBeSigned (what the issuer signed).
    pub tbs: Vec<u8>,
    /// The id, as text (`name: …`, `binaryId: …`, `linkageData iCert …`, `none`).
    pub id: String,
    /// cracaId (HashedId3).
    pub craca_id: [u8; 3],
    /// crlSeries.
    pub crl_series: u16,
    /// validityPeriod start (Time32).
    pub start: u32,
    /// validityPeriod duration in seconds, and as written (`169 hours`).
    pub duration: (u64, String),
    /// The region, summarised.
    pub region: Option<String>,
    /// The region.
    pub region_value: Option<Region>,
    /// appPermissions with their SSPs as values.
    pub app_ssps: Vec<(u64, Option<Ssp>)>,
    /// certIssuePermissions.
    pub issue_groups: Vec<GroupPermission>,
    /// certRequestPermissions.
    pub request_groups: Vec<GroupPermission>,
    /// appPermissions: PSID and SSP (hex), in order.
    pub app_permissions: Vec<(u64, Option<String>)>,
    /// certIssuePermissions, summarised.
    pub issue_permissions: Option<String>,
    /// Whether the certificate carries an encryption key.
    pub encryption_key: bool,
    /// The encryption key's point (SEC1), when it is a full one.
    pub encryption_key_point: Option<Vec<u8>>,
    /// The verification key or reconstruction value.
    pub verify_key: VerifyKey,
    /// The issuer's signature (explicit certificates).
    pub signature: Option<Signature>,
}

/// HeaderInfo, the parts sealscope reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// PSID.
    pub psid: u64,
    /// generationTime (Time64, microseconds).
    pub generation_time: Option<u64>,
    /// expiryTime (Time64).
    pub expiry_time: Option<u64>,
    /// generationLocation (latitude, longitude in 1/10 µdegree, elevation).
    pub location: Option<(i64, i64, u16)>,
    /// Other fields present, by name.
    pub other: Vec<String>,
}

/// One Ieee1609Dot2Data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Data {
    /// protocolVersion.
    pub version: u8,
    /// Its byte range in the buffer it was read from.
    pub range: [usize; 2],
    /// The content.
    pub content: Content,
}

/// Ieee1609Dot2Content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// unsecuredData: the bytes.
    Unsecured(Vec<u8>),
    /// signedData.
    Signed(Box<Signed>),
    /// encryptedData: recipients (kind, id hex) and ciphertext size.
    Encrypted {
        /// Recipient kinds and ids.
        recipients: Vec<(String, String)>,
        /// Ciphertext algorithm and size.
        ciphertext: (String, usize),
        /// Each recipient's key material, in the order of `recipients`.
        keys: Vec<RecipientKey>,
        /// The aes128ccm ciphertext: nonce and ccmCiphertext (with its tag).
        ccm: Option<([u8; 12], Vec<u8>)>,
    },
    /// signedCertificateRequest: the opaque bytes.
    SignedCertificateRequest(Vec<u8>),
    /// An extension alternative sealscope does not read.
    Other(u64),
}

/// What a RecipientInfo carries to recover the data encryption key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecipientKey {
    /// pskRecipInfo: the pre-shared key itself is the data key (named by its HashedId8).
    PreShared,
    /// symmRecipInfo: the data key encrypted under a symmetric key (aes128ccm).
    Symmetric {
        /// CCM nonce.
        nonce: [u8; 12],
        /// The encrypted data key with its tag.
        ciphertext: Vec<u8>,
    },
    /// certRecipInfo, signedDataRecipInfo, rekRecipInfo: ECIES (§5.3.5).
    Ecies {
        /// eciesNistP256 or eciesBrainpoolP256r1.
        curve: Curve,
        /// The sender's ephemeral public key V.
        v: Point,
        /// The encrypted data key C.
        c: [u8; 16],
        /// The authentication tag T.
        t: [u8; 16],
    },
    /// An extension alternative this version does not read.
    Other,
}

/// SignedData.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    /// hashId.
    pub hash: HashAlg,
    /// COER of tbsData.
    pub tbs: Vec<u8>,
    /// payload.data.
    pub data: Option<Box<Data>>,
    /// payload.extDataHash (algorithm and value).
    pub ext_data_hash: Option<(HashAlg, Vec<u8>)>,
    /// headerInfo.
    pub header: Header,
    /// signer.
    pub signer: Signer,
    /// signature.
    pub signature: Signature,
}

fn fixed<const N: usize>(r: &mut Reader<'_>) -> Result<[u8; N], Error> {
    let b = r.bytes(N)?;
    let mut out = [0u8; N];
    out.copy_from_slice(b);
    Ok(out)
}

fn point(r: &mut Reader<'_>, size: usize) -> Result<Point, Error> {
    r.enter("EccCurvePoint")?;
    let p = match r.choice()? {
        0 => Point::XOnly(r.bytes(size)?.to_vec()),
        1 => Point::Fill,
        2 => Point::Compressed {
            y_odd: false,
            x: r.bytes(size)?.to_vec(),
        },
        3 => Point::Compressed {
            y_odd: true,
            x: r.bytes(size)?.to_vec(),
        },
        4 => Point::Uncompressed {
            x: r.bytes(size)?.to_vec(),
            y: r.bytes(size)?.to_vec(),
        },
        n => return Err(r.err(format!("unknown curve point form {n}"))),
    };
    r.leave();
    Ok(p)
}

/// Reads an extensible CHOICE's alternative: root alternatives inline, extension ones
/// (index ≥ `root`) inside an open type. Returns the index and a reader over its value.
fn alternative<'a>(r: &mut Reader<'a>, root: u64) -> Result<(u64, Option<Reader<'a>>), Error> {
    let i = r.choice()?;
    if i < root {
        return Ok((i, None));
    }
    let bytes = r.octets()?;
    Ok((i, Some(r.sub(bytes))))
}

/// Reads a Signature.
pub fn signature(r: &mut Reader<'_>) -> Result<Signature, Error> {
    r.enter("Signature")?;
    let (i, sub) = alternative(r, 2)?;
    let curve = match i {
        0 => Curve::NistP256,
        1 => Curve::BrainpoolP256,
        2 => Curve::BrainpoolP384,
        3 => Curve::NistP384,
        4 => Curve::Sm2,
        n => return Err(r.err(format!("unknown signature alternative {n}"))),
    };
    let sig = match sub {
        None => ecdsa(r, curve)?,
        Some(mut s) => {
            let v = ecdsa(&mut s, curve)?;
            s.finish()?;
            v
        }
    };
    r.leave();
    Ok(sig)
}

fn ecdsa(r: &mut Reader<'_>, curve: Curve) -> Result<Signature, Error> {
    let size = curve.size();
    let rp = point(r, size)?;
    let s = r.bytes(size)?.to_vec();
    Ok(Signature { curve, r: rp, s })
}

fn hash_alg(r: &mut Reader<'_>) -> Result<HashAlg, Error> {
    let v = r.enumerated()?;
    HashAlg::from_index(v).ok_or_else(|| r.err(format!("unknown hash algorithm {v}")))
}

fn two_d(r: &mut Reader<'_>) -> Result<(i64, i64), Error> {
    let lat = r.uint(4)? as u32 as i32;
    let lon = r.uint(4)? as u32 as i32;
    Ok((i64::from(lat), i64::from(lon)))
}

fn skip_uint_seq(r: &mut Reader<'_>, width: usize) -> Result<Vec<u64>, Error> {
    let n = r.count()?;
    (0..n).map(|_| r.uint(width)).collect()
}

fn region(r: &mut Reader<'_>) -> Result<(String, Region), Error> {
    r.enter("GeographicRegion")?;
    let (i, sub) = alternative(r, 4)?;
    let value = match (i, sub) {
        (0, None) => {
            let (lat, lon) = two_d(r)?;
            let radius = r.uint(2)?;
            (
                format!("circle at {lat},{lon} radius {radius} m"),
                Region::Circle { lat, lon, radius },
            )
        }
        (1, None) => {
            let n = r.count()?;
            let mut v = Vec::new();
            for _ in 0..n {
                let nw = two_d(r)?;
                let se = two_d(r)?;
                v.push([nw, se]);
            }
            (format!("{n} rectangle(s)"), Region::Rectangles(v))
        }
        (2, None) => {
            let n = r.count()?;
            let mut v = Vec::new();
            for _ in 0..n {
                v.push(two_d(r)?);
            }
            (format!("polygon of {n} points"), Region::Polygon(v))
        }
        (3, None) => {
            let n = r.count()?;
            let mut ids = Vec::new();
            let mut regions = Vec::new();
            for _ in 0..n {
                let (k, sub) = alternative(r, 3)?;
                match (k, sub) {
                    (0, None) => {
                        let c = r.uint(2)?;
                        ids.push(c.to_string());
                        regions.push(IdentifiedRegion::Country(c));
                    }
                    (1, None) => {
                        let c = r.uint(2)?;
                        let rs = skip_uint_seq(r, 1)?;
                        ids.push(format!("{c} regions {rs:?}"));
                        regions.push(IdentifiedRegion::CountryRegions(c, rs));
                    }
                    (2, None) => {
                        let c = r.uint(2)?;
                        let m = r.count()?;
                        let mut subs = Vec::new();
                        for _ in 0..m {
                            let reg = r.uint(1)?;
                            subs.push((reg, skip_uint_seq(r, 2)?));
                        }
                        ids.push(format!("{c} with {m} subregion list(s)"));
                        regions.push(IdentifiedRegion::CountrySubregions(c, subs));
                    }
                    (k, _) => {
                        ids.push(format!("extension {k}"));
                        regions.push(IdentifiedRegion::Other);
                    }
                }
            }
            (
                format!("countries {}", ids.join(", ")),
                Region::Identified(regions),
            )
        }
        (k, _) => (format!("region extension {k}"), Region::Other),
    };
    r.leave();
    Ok(value)
}

fn psid(r: &mut Reader<'_>) -> Result<u64, Error> {
    r.enter("psid")?;
    let v = r.big_uint()?;
    r.leave();
    Ok(v)
}

fn ssp(r: &mut Reader<'_>) -> Result<(String, Ssp), Error> {
    let (i, sub) = alternative(r, 1)?;
    Ok(match (i, sub) {
        (0, None) => {
            let v = r.octets()?;
            (
                format!("opaque {}", hex::encode(v)),
                Ssp::Opaque(v.to_vec()),
            )
        }
        (1, Some(mut s)) => {
            let v = s.octets()?;
            (
                format!("bitmap {}", hex::encode(v)),
                Ssp::Bitmap(v.to_vec()),
            )
        }
        (k, _) => (format!("ssp extension {k}"), Ssp::Other),
    })
}

fn ssp_range(r: &mut Reader<'_>) -> Result<(String, SspRange), Error> {
    let (i, sub) = alternative(r, 2)?;
    Ok(match (i, sub) {
        (0, None) => {
            let n = r.count()?;
            let mut v = Vec::new();
            for _ in 0..n {
                v.push(r.octets()?.to_vec());
            }
            (format!("{n} opaque value(s)"), SspRange::Opaque(v))
        }
        (1, None) => ("all".into(), SspRange::All),
        (2, Some(mut s)) => {
            let v = s.octets()?.to_vec();
            let m = s.octets()?.to_vec();
            (
                format!("bitmap {} mask {}", hex::encode(&v), hex::encode(&m)),
                SspRange::Bitmap { value: v, mask: m },
            )
        }
        (k, _) => (format!("range extension {k}"), SspRange::Other),
    })
}

fn group_permissions(r: &mut Reader<'_>) -> Result<(String, Vec<GroupPermission>), Error> {
    let n = r.count()?;
    let mut parts = Vec::new();
    let mut groups = Vec::new();
    for _ in 0..n {
        let p = r.preamble(false, 3)?;
        let (i, _) = alternative(r, 2)?;
        let (subject, psids) = match i {
            0 => {
                let m = r.count()?;
                let mut ps = Vec::new();
                let mut list = Vec::new();
                for _ in 0..m {
                    let q = r.preamble(false, 1)?;
                    let id = psid(r)?;
                    if q.has(0) {
                        let (text, range) = ssp_range(r)?;
                        ps.push(format!("{id} ({text})"));
                        list.push((id, Some(range)));
                    } else {
                        ps.push(id.to_string());
                        list.push((id, None));
                    }
                }
                (format!("psids {}", ps.join(", ")), Some(list))
            }
            1 => ("all psids".into(), None),
            k => (format!("subject extension {k}"), Some(Vec::new())),
        };
        let min = if p.has(0) { r.big_uint()? } else { 1 };
        let range = if p.has(1) { r.big_int()? } else { 0 };
        let ee = if p.has(2) { r.u8()? } else { 0x80 };
        parts.push(format!(
            "{subject}, minChainLength {min}, chainLengthRange {range}, eeType {ee:08b}"
        ));
        groups.push(GroupPermission {
            psids,
            min_chain_length: min,
            chain_length_range: range,
            ee_type: ee,
        });
    }
    Ok((parts.join("; "), groups))
}

fn duration(r: &mut Reader<'_>) -> Result<(u64, String), Error> {
    let i = r.choice()?;
    let v = r.uint(2)?;
    let (unit, secs) = match i {
        0 => ("microseconds", v / 1_000_000),
        1 => ("milliseconds", v / 1000),
        2 => ("seconds", v),
        3 => ("minutes", v * 60),
        4 => ("hours", v * 3600),
        5 => ("sixtyHours", v * 60 * 3600),
        6 => ("years", v * 31_556_952),
        n => return Err(r.err(format!("unknown duration unit {n}"))),
    };
    Ok((secs, format!("{v} {unit}")))
}

/// A PublicEncryptionKey; its point (SEC1) when it is a full P-256 or brainpoolP256r1 one.
fn public_encryption_key(r: &mut Reader<'_>) -> Result<Option<Vec<u8>>, Error> {
    r.enter("PublicEncryptionKey")?;
    r.enumerated()?; // supportedSymmAlg
    let (i, sub) = alternative(r, 2)?;
    let key = match (i, sub) {
        (0 | 1, None) => point(r, 32)?.sec1(),
        (_, Some(_)) => None,
        (n, None) => return Err(r.err(format!("unknown encryption key {n}"))),
    };
    r.leave();
    Ok(key)
}

/// Reads a Certificate.
pub fn certificate(r: &mut Reader<'_>) -> Result<Certificate, Error> {
    r.enter("Certificate")?;
    let start = r.pos();
    let p = r.preamble(false, 1)?;
    let version = r.u8()?;
    if version != 3 {
        return Err(r.err(format!("certificate version {version}, expected 3")));
    }
    let kind = r.enumerated()?;
    r.enter("issuer")?;
    let (i, sub) = alternative(r, 2)?;
    let issuer = match (i, sub) {
        (0, None) => Issuer::Digest {
            alg: HashAlg::Sha256,
            id: fixed(r)?,
        },
        (1, None) => Issuer::SelfSigned(hash_alg(r)?),
        (2, Some(mut s)) => Issuer::Digest {
            alg: HashAlg::Sha384,
            id: fixed(&mut s)?,
        },
        (3, Some(mut s)) => Issuer::Digest {
            alg: HashAlg::Sm3,
            id: fixed(&mut s)?,
        },
        (n, _) => return Err(r.err(format!("unknown issuer alternative {n}"))),
    };
    r.leave();
    r.enter("toBeSigned")?;
    let tbs_start = r.pos();
    let tp = r.preamble(true, 7)?;
    r.enter("id")?;
    let (i, sub) = alternative(r, 4)?;
    let id = match (i, sub) {
        (0, None) => {
            let lp = r.preamble(false, 1)?;
            let icert = r.uint(2)?;
            let lv = r.bytes(9)?;
            let group = if lp.has(0) {
                let j = r.bytes(4)?;
                let v = r.bytes(9)?;
                format!(
                    " group-linkage-value jValue {} value {}",
                    hex::encode(j),
                    hex::encode(v)
                )
            } else {
                String::new()
            };
            format!(
                "linkageData iCert {icert} linkage-value {}{group}",
                hex::encode(lv)
            )
        }
        (1, None) => {
            let name = r.octets()?;
            format!("name {}", String::from_utf8_lossy(name))
        }
        (2, None) => format!("binaryId {}", hex::encode(r.octets()?)),
        (3, None) => "none".into(),
        (n, _) => format!("id extension {n}"),
    };
    r.leave();
    let craca_id = fixed::<3>(r)?;
    let crl_series = r.uint(2)? as u16;
    let start_time = r.uint(4)? as u32;
    let duration = duration(r)?;
    let (region, region_value) = if tp.has(0) {
        let (text, value) = region(r)?;
        (Some(text), Some(value))
    } else {
        (None, None)
    };
    if tp.has(1) {
        r.bytes(1)?;
    }
    let mut app_permissions = Vec::new();
    let mut app_ssps = Vec::new();
    if tp.has(2) {
        r.enter("appPermissions")?;
        let n = r.count()?;
        for _ in 0..n {
            let q = r.preamble(false, 1)?;
            let id = psid(r)?;
            let s = if q.has(0) { Some(ssp(r)?) } else { None };
            app_permissions.push((id, s.as_ref().map(|s| s.0.clone())));
            app_ssps.push((id, s.map(|s| s.1)));
        }
        r.leave();
    }
    let (issue_permissions, issue_groups) = if tp.has(3) {
        let (text, groups) = group_permissions(r)?;
        (Some(text), groups)
    } else {
        (None, Vec::new())
    };
    let request_groups = if tp.has(4) {
        group_permissions(r)?.1
    } else {
        Vec::new()
    };
    // tp.has(5): canRequestRollover NULL has no content.
    let encryption_key = tp.has(6);
    let mut encryption_key_point = None;
    if encryption_key {
        encryption_key_point = public_encryption_key(r)?;
    }
    r.enter("verifyKeyIndicator")?;
    let (i, sub) = alternative(r, 2)?;
    let verify_key = match (i, sub) {
        (0, None) => {
            let (k, sub) = alternative(r, 2)?;
            let (curve, mut rr) = match k {
                0 => (Curve::NistP256, None),
                1 => (Curve::BrainpoolP256, None),
                2 => (Curve::BrainpoolP384, sub),
                3 => (Curve::NistP384, sub),
                4 => (Curve::Sm2, sub),
                n => return Err(r.err(format!("unknown verification key {n}"))),
            };
            let point = match rr.as_mut() {
                Some(s) => point(s, curve.size())?,
                None => point(r, curve.size())?,
            };
            VerifyKey::Key { curve, point }
        }
        (1, None) => VerifyKey::Reconstruction(point(r, 32)?),
        (n, _) => return Err(r.err(format!("unknown verifyKeyIndicator {n}"))),
    };
    r.leave();
    if tp.extended {
        r.extensions()?;
    }
    let tbs = r.since(tbs_start).to_vec();
    r.leave();
    let sig_at = r.pos() - start;
    let signature = if p.has(0) { Some(signature(r)?) } else { None };
    let bytes = r.since(start).to_vec();
    r.leave();
    Ok(Certificate {
        signature_at: signature.as_ref().map(|_| sig_at),
        bytes,
        implicit: kind == 1,
        issuer,
        tbs,
        id,
        craca_id,
        crl_series,
        start: start_time,
        duration,
        region,
        region_value,
        app_ssps,
        issue_groups,
        request_groups,
        app_permissions,
        issue_permissions,
        encryption_key,
        encryption_key_point,
        verify_key,
        signature,
    })
}

fn header(r: &mut Reader<'_>) -> Result<Header, Error> {
    r.enter("headerInfo")?;
    let p = r.preamble(true, 6)?;
    let mut h = Header {
        psid: psid(r)?,
        ..Header::default()
    };
    if p.has(0) {
        h.generation_time = Some(r.uint(8)?);
    }
    if p.has(1) {
        h.expiry_time = Some(r.uint(8)?);
    }
    if p.has(2) {
        let (lat, lon) = two_d(r)?;
        let elev = r.uint(2)? as u16;
        h.location = Some((lat, lon, elev));
    }
    if p.has(3) {
        r.bytes(3)?;
        h.other.push("p2pcdLearningRequest".into());
    }
    if p.has(4) {
        let q = r.preamble(true, 0)?;
        r.bytes(3 + 2)?;
        if q.extended {
            r.extensions()?;
        }
        h.other.push("missingCrlIdentifier".into());
    }
    if p.has(5) {
        let (i, _) = alternative(r, 2)?;
        match i {
            0 => {
                public_encryption_key(r)?;
            }
            1 => {
                r.choice()?;
                r.bytes(16)?;
            }
            n => return Err(r.err(format!("unknown encryptionKey {n}"))),
        }
        h.other.push("encryptionKey".into());
    }
    if p.extended {
        for (i, _) in r.extensions()? {
            h.other.push(
                match i {
                    0 => "inlineP2pcdRequest",
                    1 => "requestedCertificate",
                    2 => "pduFunctionalType",
                    3 => "contributedExtensions",
                    _ => "extension",
                }
                .into(),
            );
        }
    }
    r.leave();
    Ok(h)
}

fn signed(r: &mut Reader<'_>, depth: usize) -> Result<Signed, Error> {
    r.enter("signedData")?;
    r.enter("hashId")?;
    let hash = hash_alg(r)?;
    r.leave();
    r.enter("tbsData")?;
    let tbs_start = r.pos();
    r.enter("payload")?;
    let p = r.preamble(true, 2)?;
    let data = if p.has(0) {
        Some(Box::new(data(r, depth + 1)?))
    } else {
        None
    };
    let ext_data_hash = if p.has(1) {
        let (i, sub) = alternative(r, 1)?;
        Some(match (i, sub) {
            (0, None) => (HashAlg::Sha256, r.bytes(32)?.to_vec()),
            (1, Some(mut s)) => (HashAlg::Sha384, s.bytes(48)?.to_vec()),
            (2, Some(mut s)) => (HashAlg::Sm3, s.bytes(32)?.to_vec()),
            (n, _) => return Err(r.err(format!("unknown extDataHash {n}"))),
        })
    } else {
        None
    };
    if p.extended {
        r.extensions()?;
    }
    r.leave();
    let header = header(r)?;
    let tbs = r.since(tbs_start).to_vec();
    r.leave();
    let signer = signer(r)?;
    let signature = signature(r)?;
    r.leave();
    Ok(Signed {
        hash,
        tbs,
        data,
        ext_data_hash,
        header,
        signer,
        signature,
    })
}

/// Reads a SignerIdentifier.
pub fn signer(r: &mut Reader<'_>) -> Result<Signer, Error> {
    r.enter("signer")?;
    let (i, _) = alternative(r, 3)?;
    let signer = match i {
        0 => Signer::Digest(fixed(r)?),
        1 => {
            let n = r.count()?;
            let mut certs = Vec::new();
            for _ in 0..n {
                certs.push(certificate(r)?);
            }
            Signer::Certificates(certs)
        }
        2 => Signer::SelfSigned,
        n => return Err(r.err(format!("unknown signer alternative {n}"))),
    };
    r.leave();
    Ok(signer)
}

fn encrypted(r: &mut Reader<'_>) -> Result<Content, Error> {
    r.enter("encryptedData")?;
    let n = r.count()?;
    let mut recipients = Vec::new();
    let mut keys = Vec::new();
    for _ in 0..n {
        let (i, _) = alternative(r, 5)?;
        let kind = match i {
            0 => "pskRecipInfo",
            1 => "symmRecipInfo",
            2 => "certRecipInfo",
            3 => "signedDataRecipInfo",
            4 => "rekRecipInfo",
            k => return Err(r.err(format!("unknown recipient alternative {k}"))),
        };
        let id = fixed::<8>(r)?;
        let key = match i {
            0 => RecipientKey::PreShared,
            1 => {
                // SymmetricCiphertext: CHOICE { aes128ccm { nonce 12, ccmCiphertext } }
                r.choice()?;
                let nonce = fixed::<12>(r)?;
                RecipientKey::Symmetric {
                    nonce,
                    ciphertext: r.octets()?.to_vec(),
                }
            }
            _ => {
                // EncryptedDataEncryptionKey: CHOICE { eciesNistP256, eciesBrainpoolP256r1 }
                let (k, sub) = alternative(r, 2)?;
                if sub.is_none() && k < 2 {
                    let v = point(r, 32)?;
                    let c = fixed::<16>(r)?;
                    let t = fixed::<16>(r)?;
                    RecipientKey::Ecies {
                        curve: if k == 0 {
                            Curve::NistP256
                        } else {
                            Curve::BrainpoolP256
                        },
                        v,
                        c,
                        t,
                    }
                } else {
                    RecipientKey::Other
                }
            }
        };
        recipients.push((kind.to_string(), hex::encode(id)));
        keys.push(key);
    }
    let (i, sub) = alternative(r, 1)?;
    let mut ccm = None;
    let ciphertext = match (i, sub) {
        (0, None) => {
            let nonce = fixed::<12>(r)?;
            let ct = r.octets()?.to_vec();
            let n = ct.len();
            ccm = Some((nonce, ct));
            ("aes128ccm".to_string(), n)
        }
        (k, Some(s)) => (format!("ciphertext extension {k}"), s.remaining()),
        (k, None) => return Err(r.err(format!("unknown ciphertext {k}"))),
    };
    r.leave();
    Ok(Content::Encrypted {
        recipients,
        ciphertext,
        keys,
        ccm,
    })
}

/// Reads one Ieee1609Dot2Data.
pub fn data(r: &mut Reader<'_>, depth: usize) -> Result<Data, Error> {
    if depth > MAX_DATA_DEPTH {
        return Err(Error::Limit {
            what: format!("Ieee1609Dot2Data nesting at byte {}", r.offset()),
            limit: MAX_DATA_DEPTH,
        });
    }
    r.enter("Ieee1609Dot2Data")?;
    let start = r.offset();
    let version = r.u8()?;
    if version != 3 {
        return Err(r.err(format!("protocolVersion {version}, expected 3")));
    }
    r.enter("content")?;
    let (i, sub) = alternative(r, 4)?;
    let content = match (i, sub) {
        (0, None) => Content::Unsecured(r.octets()?.to_vec()),
        (1, None) => Content::Signed(Box::new(signed(r, depth)?)),
        (2, None) => encrypted(r)?,
        (3, None) => Content::SignedCertificateRequest(r.octets()?.to_vec()),
        // signedX509CertificateRequest (1609.2-2022), read as opaque.
        (4, Some(_)) => Content::Other(4),
        (k, _) => {
            return Err(r.err(format!(
                "content alternative [{k}] is not defined by any edition of IEEE 1609.2"
            )))
        }
    };
    r.leave();
    r.leave();
    Ok(Data {
        version,
        range: [start, r.offset()],
        content,
    })
}

/// Decodes a whole buffer as one Ieee1609Dot2Data; trailing bytes are an error.
pub fn decode(bytes: &[u8]) -> Result<Data, Error> {
    let mut r = Reader::new(bytes, 0);
    let d = data(&mut r, 0)?;
    r.finish()?;
    Ok(d)
}

/// Decodes a whole buffer as one Certificate; trailing bytes are an error.
pub fn decode_certificate(bytes: &[u8]) -> Result<Certificate, Error> {
    let mut r = Reader::new(bytes, 0);
    let c = certificate(&mut r)?;
    r.finish()?;
    Ok(c)
}

/// Whether `bytes` look like an Ieee1609Dot2Data: protocol version 3 (a control byte no
/// text, DER or MIME input starts with), or another small version followed by a
/// context-specific content tag — so that a wrong version is reported by the decoder.
pub fn looks_like_data(bytes: &[u8]) -> bool {
    bytes.len() >= 2
        && (bytes[0] == 3 || ((1..=15).contains(&bytes[0]) && (0x80..=0x87).contains(&bytes[1])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(e: Error) -> String {
        match e {
            Error::Asn1 { offset, reason } => format!("{offset}: {reason}"),
            other => panic!("not an ASN.1 error: {other}"),
        }
    }

    #[test]
    fn malformed_data_is_refused_with_offset_and_path() {
        let unknown_tag =
            include_bytes!("../../../tests/fixtures/ieee1609/bad/unknown-content-tag.coer");
        let cases: [(&[u8], &str); 6] = [
            (&[], "0: Ieee1609Dot2Data: needs 1 bytes but only 0 remain"),
            (&[3, 0x80, 5, b'h'], "3: Ieee1609Dot2Data.content: needs 5 bytes but only 1 remain"),
            (&[3, 0x80, 0, 0xff], "3: COER: 1 trailing bytes after the structure"),
            (&[2, 0x80, 0], "1: Ieee1609Dot2Data: protocolVersion 2, expected 3"),
            (&[3, 0x02, 0], "2: Ieee1609Dot2Data.content: choice tag class 0 is not context-specific"),
            (unknown_tag, "7: Ieee1609Dot2Data.content: content alternative [7] is not defined by any edition of IEEE 1609.2"),
        ];
        for (bytes, want) in cases {
            assert_eq!(text(decode(bytes).unwrap_err()), want);
        }
        // signed/p256-certificate.coer cut after 155 bytes, inside the signer's public key.
        let cut = include_bytes!("../../../tests/fixtures/ieee1609/bad/truncated.coer");
        assert!(text(decode(cut).unwrap_err())
            .ends_with("EccCurvePoint: needs 32 bytes but only 8 remain"));
        // [4] signedX509CertificateRequest (a 1609.2-2022 extension addition): an open type.
        let d = decode(&[3, 0x84, 2, 0xaa, 0xbb]).unwrap();
        assert_eq!((d.content, d.range), (Content::Other(4), [0, 5]));
        // EccP256CurvePoint has no extension marker; SignerIdentifier [3] is an undefined one.
        let e = signature(&mut Reader::new(&[0x80, 0x85], 0)).unwrap_err();
        assert_eq!(
            text(e),
            "2: Signature.EccCurvePoint: unknown curve point form 5"
        );
        let e = signer(&mut Reader::new(&[0x83, 0x00], 0)).unwrap_err();
        assert_eq!(text(e), "2: signer: unknown signer alternative 3");
    }

    #[test]
    fn extension_additions_are_skipped() {
        // payload: extension bit + data "x", one empty addition; headerInfo: extension bit,
        // psid 32, additions 2 (pduFunctionalType) and 5 (undefined) in a 6-bit bitmap.
        let mut b = vec![3, 0x81, 0, 0xc0, 3, 0x80, 1, b'x', 2, 7, 0x80, 0];
        b.extend([0x80, 1, 0x20, 2, 2, 0x24, 1, 1, 2, 0xde, 0xad]);
        let tbs_end = b.len();
        b.extend([0x80, 1, 2, 3, 4, 5, 6, 7, 8, 0x80, 0x80]); // digest signer, P-256, x-only
        b.extend([0x11; 64]);
        let Content::Signed(s) = decode(&b).unwrap().content else {
            panic!("not signedData")
        };
        assert_eq!((s.hash, &s.tbs[..]), (HashAlg::Sha256, &b[3..tbs_end]));
        let inner = s.data.as_deref().unwrap();
        assert_eq!(
            (inner.range, &inner.content),
            ([4, 8], &Content::Unsecured(b"x".to_vec()))
        );
        assert_eq!(
            (s.header.psid, &s.header.other[..]),
            (
                32,
                &["pduFunctionalType".to_string(), "extension".into()][..]
            )
        );
        assert_eq!(s.signer, Signer::Digest([1, 2, 3, 4, 5, 6, 7, 8]));
        b[2] = 3; // HashAlgorithm defines sha256 (root), sha384 and sm3 only.
        assert_eq!(
            text(decode(&b).unwrap_err()),
            "3: Ieee1609Dot2Data.content.signedData.hashId: unknown hash algorithm 3"
        );
    }

    #[test]
    fn certificates_explicit_and_implicit() {
        let root = include_bytes!("../../../tests/fixtures/ieee1609/certs/root-p256.coer");
        let c = decode_certificate(root).unwrap();
        assert_eq!(
            (c.implicit, &c.issuer),
            (false, &Issuer::SelfSigned(HashAlg::Sha256))
        );
        assert_eq!(
            (c.id.as_str(), c.start, c.duration.1.as_str()),
            ("name sealscope-root-p256", 631_152_005, "10 years")
        );
        let implicit = include_bytes!("../../../tests/fixtures/ieee1609/certs/implicit-p256.coer");
        let i = decode_certificate(implicit).unwrap();
        assert!(i.implicit && i.signature.is_none() && i.signature_at.is_none());
        assert!(matches!(i.verify_key, VerifyKey::Reconstruction(_)));
        assert_eq!(i.duration, (168 * 3600, "168 hours".into()));
        let mut v2 = root.to_vec();
        v2[1] = 2;
        let e = decode_certificate(&v2).unwrap_err();
        assert_eq!(text(e), "2: Certificate: certificate version 2, expected 3");
    }
}
