//! Checking a downloaded batch of implicit certificates against the end entity's own keys:
//! for each certificate and its private-key reconstruction value (the SCMS download's
//! `<name>.cert` and `<name>.s`), derive the private key the end entity would use and check
//! that its public key is the one reconstructed from the certificate and the issuer's key.
//!
//! With a butterfly expansion key the request key of pseudonym certificate (i, j) is first
//! expanded from the seed ([`super::butterfly`]); i and j come from a file name of the form
//! `<i hex>_<j hex>` (the download's own naming) or, failing that, i from the certificate's
//! linkageData and every j from 0 to [`MAX_J`] is tried. Without an expansion key the seed is
//! the request key itself (application and identification certificates).

use super::butterfly::{self, KeyKind};
use super::{ecqv, verification_key, verify, KeyringCert};

/// The largest j tried when a file name does not give it (1609.2.1 allows up to 20
/// certificates per i-period in a batch; 31 leaves room).
pub const MAX_J: u32 = 31;

/// The end entity's key material.
#[derive(Clone, Debug)]
pub struct Seed {
    /// The seed (butterfly) or request private key, 32 bytes big-endian.
    pub private_key: [u8; 32],
    /// The signing expansion key; `None` for certificates requested without butterfly keys.
    pub expansion_key: Option<[u8; 16]>,
}

/// One certificate of a batch.
#[derive(Clone, Debug)]
pub struct Item {
    /// Its name (the file name without extension).
    pub name: String,
    /// The certificate, COER.
    pub cert: Vec<u8>,
    /// The private-key reconstruction value (`.s` file), 32 bytes.
    pub recon_priv: Option<[u8; 32]>,
}

/// What checking one certificate found.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    /// The item's name.
    pub name: String,
    /// The certificate's HashedId8 (hex), when it decodes.
    pub hashed_id8: Option<String>,
    /// i (from the name or the certificate's linkageData).
    pub i: Option<u32>,
    /// j (from the name or found by trying).
    pub j: Option<u32>,
    /// `match`, `mismatch` or `error`.
    pub status: RowStatus,
    /// The public key reconstructed from the certificate (uncompressed SEC1, hex).
    pub public_key: Option<String>,
    /// What was checked, or why it could not be.
    pub reason: String,
}

/// The outcome of one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowStatus {
    /// The derived private key's public key is the certificate's reconstructed key.
    Match,
    /// It is not: the certificate was not issued for this seed (at this i, j).
    Mismatch,
    /// The certificate or its key could not be read or reconstructed.
    Error,
}

/// `<i hex>_<j hex>` from a name such as `13A_4`.
fn name_ij(name: &str) -> Option<(u32, u32)> {
    let (i, j) = name.split_once('_')?;
    Some((
        u32::from_str_radix(i, 16).ok()?,
        u32::from_str_radix(j, 16).ok()?,
    ))
}

fn error_row(name: &str, id: Option<String>, reason: String) -> Row {
    Row {
        name: name.to_string(),
        hashed_id8: id,
        i: None,
        j: None,
        status: RowStatus::Error,
        public_key: None,
        reason,
    }
}

/// Checks every item of a batch; `pool` holds the issuer (and any certificates above it).
pub fn check(seed: &Seed, pool: &[KeyringCert], items: &[Item]) -> Vec<Row> {
    items.iter().map(|it| check_one(seed, pool, it)).collect()
}

fn check_one(seed: &Seed, pool: &[KeyringCert], it: &Item) -> Row {
    let k = match KeyringCert::from_coer(&it.cert, &it.name) {
        Ok(k) => k,
        Err(e) => return error_row(&it.name, None, format!("not a 1609.2 certificate: {e}")),
    };
    let id = Some(hex::encode(k.id));
    if !k.cert.implicit {
        return error_row(
            &it.name,
            id,
            "an explicit certificate: nothing to reconstruct".into(),
        );
    }
    let Some(r) = it.recon_priv else {
        return error_row(
            &it.name,
            id,
            format!(
                "no private-key reconstruction value ({}.s) beside the certificate",
                it.name
            ),
        );
    };
    let (curve, q) = match verification_key(&k, pool) {
        Ok(v) => v,
        Err(f) => return error_row(&it.name, id, f.reason("the key does not reconstruct")),
    };
    let q_sec1 = q.sec1().unwrap_or_default();
    let Some(issuer) = pool.iter().find(|c| match &k.cert.issuer {
        super::data::Issuer::Digest { id, .. } => c.id == *id,
        super::data::Issuer::SelfSigned(_) => false,
    }) else {
        return error_row(&it.name, id, "the issuer is not known".into());
    };
    let e = ecqv::hash_input(&k.cert.tbs, &verify::canonical(&issuer.cert));
    let derive = |request: &[u8; 32]| -> Option<Vec<u8>> {
        let d = ecqv::reconstruct_private(curve, &e, request, &r).ok()?;
        ecqv::public_of(curve, &d).ok()
    };
    let mut row = Row {
        name: it.name.clone(),
        hashed_id8: id,
        i: None,
        j: None,
        status: RowStatus::Mismatch,
        public_key: Some(hex::encode(&q_sec1)),
        reason: String::new(),
    };
    let Some(ck) = seed.expansion_key else {
        if derive(&seed.private_key).as_deref() == Some(&q_sec1[..]) {
            row.status = RowStatus::Match;
            row.reason = "e·k + r with the request key gives the certificate's key".into();
        } else {
            row.reason = "e·k + r with the request key does not give the certificate's key (another key requested it, or the .s file belongs to another certificate)".into();
        }
        return row;
    };
    let from_name = name_ij(&it.name);
    // The decoder writes the id as `linkageData iCert <decimal> linkage-value <hex>`.
    let i_cert = k
        .cert
        .id
        .strip_prefix("linkageData iCert ")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<u32>().ok());
    let Some(i) = from_name.map(|(i, _)| i).or(i_cert) else {
        return error_row(
            &it.name,
            row.hashed_id8,
            "i is neither in the file name (<i>_<j>) nor in the certificate (no linkageData)"
                .into(),
        );
    };
    row.i = Some(i);
    let js: Vec<u32> = match from_name {
        Some((_, j)) => vec![j],
        None => (0..=MAX_J).collect(),
    };
    for j in js {
        let Ok(b) =
            butterfly::expand_private(curve, KeyKind::Signing, &seed.private_key, &ck, i, j)
        else {
            continue;
        };
        if derive(&b).as_deref() == Some(&q_sec1[..]) {
            row.j = Some(j);
            row.status = RowStatus::Match;
            row.reason = format!(
                "e·(a + f_k(i={i:#x}, j={j})) + r gives the certificate's key{}",
                if from_name.is_some() {
                    ""
                } else {
                    " (j found by trying)"
                }
            );
            return row;
        }
    }
    row.reason = match from_name {
        Some((_, j)) => format!(
            "the key expanded for i={i:#x}, j={j} does not give the certificate's key (another seed or expansion key, or another i, j)"
        ),
        None => format!(
            "no j from 0 to {MAX_J} with i={i:#x} gives the certificate's key (another seed or expansion key)"
        ),
    };
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(name_ij("13A_4"), Some((0x13a, 4)));
        assert_eq!(name_ij("13a_a"), Some((0x13a, 10)));
        assert_eq!(name_ij("17d9c58c3ac798e3"), None);
        assert_eq!(name_ij("x_1"), None);
    }
}
