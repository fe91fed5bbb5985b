//! Consistency rules of IEEE 1609.2 beyond signatures: a certificate's region and
//! permissions within its issuer's (§5.1.2.4), and a signed message's generation location
//! within its signer certificate's region (§5.2.4.2.3).
//!
//! Geometry is decided where it can be decided exactly from the encodings: identified regions
//! against identified regions (country, region and subregion numbers), and circles,
//! rectangles and polygons against circles and rectangles on a spherical Earth. Where
//! deciding would need the borders of countries (a circle against a country), the answer is
//! "cannot tell" and no rule is broken.

use super::data::{Certificate, GroupPermission, IdentifiedRegion, Region, Ssp, SspRange};

/// Mean Earth radius in metres (IUGG), for distances between points.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// 1/10 micro-degrees to radians.
fn rad(v: i64) -> f64 {
    (v as f64 / 1e7).to_radians()
}

/// Great-circle distance in metres between two (lat, lon) points in 1/10 micro-degrees.
pub fn distance_m(a: (i64, i64), b: (i64, i64)) -> f64 {
    let (la1, lo1, la2, lo2) = (rad(a.0), rad(a.1), rad(b.0), rad(b.1));
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

fn in_rectangle(p: (i64, i64), r: &[(i64, i64); 2]) -> bool {
    let [nw, se] = r;
    p.0 <= nw.0 && p.0 >= se.0 && p.1 >= nw.1 && p.1 <= se.1
}

fn in_polygon(p: (i64, i64), poly: &[(i64, i64)]) -> bool {
    // Ray casting in the (lon, lat) plane, as 1609.2 draws polygons with straight edges.
    let mut inside = false;
    let n = poly.len();
    for i in 0..n {
        let (a, b) = (poly[i], poly[(i + n - 1) % n]);
        if (a.0 > p.0) != (b.0 > p.0) {
            let t = (p.0 - a.0) as f64 / (b.0 - a.0) as f64;
            let lon = a.1 as f64 + t * (b.1 - a.1) as f64;
            if (p.1 as f64) < lon {
                inside = !inside;
            }
        }
    }
    inside
}

/// Whether the point lies in the region: `None` when that cannot be told here (identified
/// regions, extensions).
pub fn point_in(p: (i64, i64), region: &Region) -> Option<bool> {
    match region {
        Region::Circle { lat, lon, radius } => Some(distance_m(p, (*lat, *lon)) <= *radius as f64),
        Region::Rectangles(rs) => Some(rs.iter().any(|r| in_rectangle(p, r))),
        Region::Polygon(v) if v.len() >= 3 => Some(in_polygon(p, v)),
        _ => None,
    }
}

/// The corners of a region made of straight edges (rectangles, polygons).
fn corners(region: &Region) -> Option<Vec<(i64, i64)>> {
    match region {
        Region::Rectangles(rs) => Some(
            rs.iter()
                .flat_map(|[nw, se]| [*nw, (nw.0, se.1), *se, (se.0, nw.1)])
                .collect(),
        ),
        Region::Polygon(v) => Some(v.clone()),
        _ => None,
    }
}

fn identified_within(sub: &[IdentifiedRegion], iss: &[IdentifiedRegion]) -> Option<bool> {
    let country = |r: &IdentifiedRegion| match r {
        IdentifiedRegion::Country(c)
        | IdentifiedRegion::CountryRegions(c, _)
        | IdentifiedRegion::CountrySubregions(c, _) => Some(*c),
        IdentifiedRegion::Other => None,
    };
    for s in sub {
        let c = country(s)?;
        let mut covered = false;
        for i in iss.iter().filter(|i| country(i) == Some(c)) {
            covered |= match (s, i) {
                (_, IdentifiedRegion::Country(_)) => true,
                (
                    IdentifiedRegion::CountryRegions(_, srs),
                    IdentifiedRegion::CountryRegions(_, irs),
                ) => srs.iter().all(|r| irs.contains(r)),
                (
                    IdentifiedRegion::CountrySubregions(_, ss),
                    IdentifiedRegion::CountryRegions(_, irs),
                ) => ss.iter().all(|(r, _)| irs.contains(r)),
                (
                    IdentifiedRegion::CountrySubregions(_, ss),
                    IdentifiedRegion::CountrySubregions(_, is),
                ) => ss.iter().all(|(r, subs)| {
                    is.iter()
                        .any(|(ir, isubs)| ir == r && subs.iter().all(|x| isubs.contains(x)))
                }),
                _ => false,
            };
        }
        if !covered {
            // Another country's code, or a whole country under some of its regions.
            if iss.iter().any(|i| matches!(i, IdentifiedRegion::Other)) {
                return None;
            }
            return Some(false);
        }
    }
    Some(true)
}

/// Whether region `sub` lies within region `iss`: `None` when that cannot be told here.
pub fn region_within(sub: &Region, iss: &Region) -> Option<bool> {
    match (sub, iss) {
        (Region::Identified(s), Region::Identified(i)) => identified_within(s, i),
        (Region::Identified(_), _) | (_, Region::Identified(_)) => None,
        (Region::Other, _) | (_, Region::Other) => None,
        (
            Region::Circle { lat, lon, radius },
            Region::Circle {
                lat: il,
                lon: io,
                radius: ir,
            },
        ) => Some(distance_m((*lat, *lon), (*il, *io)) + *radius as f64 <= *ir as f64),
        (Region::Circle { lat, lon, .. }, Region::Rectangles(_) | Region::Polygon(_)) => {
            // Only the centre can be told exactly: outside means not within.
            match point_in((*lat, *lon), iss) {
                Some(false) => Some(false),
                _ => None,
            }
        }
        (Region::Rectangles(_) | Region::Polygon(_), Region::Circle { .. }) => {
            // A circle is convex: all corners inside means the whole shape is.
            let c = corners(sub)?;
            Some(c.iter().all(|p| point_in(*p, iss) == Some(true)))
        }
        (Region::Rectangles(s), Region::Rectangles(i)) => Some(s.iter().all(|sr| {
            i.iter()
                .any(|ir| in_rectangle(sr[0], ir) && in_rectangle(sr[1], ir))
        })),
        (Region::Rectangles(_) | Region::Polygon(_), Region::Polygon(_)) => {
            let c = corners(sub)?;
            match c.iter().all(|p| point_in(*p, iss) == Some(true)) {
                false => Some(false),
                // A concave polygon can hold every corner and not the edges between them.
                true => None,
            }
        }
        (Region::Polygon(_), Region::Rectangles(_)) => {
            let c = corners(sub)?;
            // A rectangle is convex, but a polygon's corners may fall in different ones.
            match iss {
                Region::Rectangles(rs) if rs.len() == 1 => {
                    Some(c.iter().all(|p| in_rectangle(*p, &rs[0])))
                }
                _ => None,
            }
        }
    }
}

fn ssp_in(range: Option<&SspRange>, ssp: Option<&Ssp>) -> bool {
    match (range, ssp) {
        // No range given, or no SSP asked for: nothing to hold it to.
        (None, _) | (_, None) => true,
        (Some(SspRange::All | SspRange::Other), _) => true,
        (Some(SspRange::Opaque(list)), Some(Ssp::Opaque(v))) => list.contains(v),
        (Some(SspRange::Bitmap { value, mask }), Some(Ssp::Bitmap(b))) => {
            b.len() == value.len()
                && value
                    .iter()
                    .zip(mask.iter())
                    .zip(b.iter())
                    .all(|((v, m), x)| v & m == x & m)
        }
        (Some(_), Some(Ssp::Other)) => true,
        _ => false,
    }
}

fn group_covers(g: &GroupPermission, psid: u64, ssp: Option<&Ssp>) -> bool {
    match &g.psids {
        None => true,
        Some(list) => list
            .iter()
            .any(|(p, range)| *p == psid && ssp_in(range.as_ref(), ssp)),
    }
}

fn describe_psids(g: &GroupPermission) -> String {
    match &g.psids {
        None => "all".into(),
        Some(l) => l
            .iter()
            .map(|(p, _)| p.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Whether `issuer` may have a chain of `depth` certificates below it (the end entity's
/// included): some entry of its certIssuePermissions has minChainLength ≤ depth ≤
/// minChainLength + chainLengthRange (a range of −1 is unbounded). An issuer without
/// certIssuePermissions is left to the permissions rule.
pub fn chain_length_within(issuer: &Certificate, depth: u64) -> Result<(), String> {
    let groups = &issuer.issue_groups;
    if groups.is_empty() {
        return Ok(());
    }
    let fits = |g: &GroupPermission| {
        depth >= g.min_chain_length
            && (g.chain_length_range < 0
                || depth <= g.min_chain_length + g.chain_length_range as u64)
    };
    if groups.iter().any(fits) {
        return Ok(());
    }
    Err(format!(
        "its issuer allows chains of {}",
        groups
            .iter()
            .map(|g| match g.chain_length_range {
                r if r < 0 => format!("{} or more", g.min_chain_length),
                0 => g.min_chain_length.to_string(),
                r => format!(
                    "{} to {}",
                    g.min_chain_length,
                    g.min_chain_length + r as u64
                ),
            })
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// Whether `sub`'s permissions lie within what `iss` may issue (§5.1.2.4): every
/// appPermissions entry under an issue permission for applications (eeType app), every
/// certRequestPermissions entry under one for enrolment (eeType enroll), every
/// certIssuePermissions entry under one with at least its eeType. The `String` says which
/// entry is not covered.
pub fn permissions_within(sub: &Certificate, iss: &Certificate) -> Result<(), String> {
    const APP: u8 = 0x80;
    const ENROLL: u8 = 0x40;
    let groups = &iss.issue_groups;
    let issuer_list = || {
        if groups.is_empty() {
            "it has no certIssuePermissions".to_string()
        } else {
            format!(
                "it may issue {}",
                groups
                    .iter()
                    .map(|g| format!("psids {} (eeType {:08b})", describe_psids(g), g.ee_type))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
    };
    for (psid, ssp) in &sub.app_ssps {
        let ok = groups
            .iter()
            .any(|g| g.ee_type & APP != 0 && group_covers(g, *psid, ssp.as_ref()));
        if !ok {
            return Err(format!(
                "appPermissions psid {psid}{} is not within its issuer's certIssuePermissions ({})",
                match ssp {
                    Some(Ssp::Opaque(v)) => format!(" with SSP {}", hex::encode(v)),
                    Some(Ssp::Bitmap(v)) => format!(" with bitmap SSP {}", hex::encode(v)),
                    _ => String::new(),
                },
                issuer_list()
            ));
        }
    }
    let nested = |own: &[GroupPermission], bits: u8, field: &str| -> Result<(), String> {
        for g in own {
            let need = if bits == 0 { g.ee_type } else { bits };
            let ok = match &g.psids {
                None => groups
                    .iter()
                    .any(|i| i.psids.is_none() && i.ee_type & need == need),
                Some(list) => list.iter().all(|(p, range)| {
                    groups.iter().any(|i| {
                        i.ee_type & need == need
                            && match &i.psids {
                                None => true,
                                Some(il) => il.iter().any(|(ip, ir)| {
                                    ip == p
                                        && (ir.is_none()
                                            || matches!(ir, Some(SspRange::All))
                                            || ir == range)
                                }),
                            }
                    })
                }),
            };
            if !ok {
                return Err(format!(
                    "{field} for psids {} (eeType {:08b}) is not within its issuer's certIssuePermissions ({})",
                    describe_psids(g),
                    g.ee_type,
                    issuer_list()
                ));
            }
        }
        Ok(())
    };
    nested(&sub.request_groups, ENROLL, "certRequestPermissions")?;
    nested(&sub.issue_groups, 0, "certIssuePermissions")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DETROIT: (i64, i64) = (423_314_000, -830_458_000);
    const CHICAGO: (i64, i64) = (418_781_000, -876_298_000);

    #[test]
    fn distances() {
        // Detroit to Chicago is about 383 km.
        let d = distance_m(DETROIT, CHICAGO);
        assert!((380_000.0..386_000.0).contains(&d), "{d}");
        assert_eq!(distance_m(DETROIT, DETROIT), 0.0);
    }

    #[test]
    fn points_and_regions() {
        let circle = Region::Circle {
            lat: DETROIT.0,
            lon: DETROIT.1,
            radius: 10_000,
        };
        assert_eq!(point_in(DETROIT, &circle), Some(true));
        assert_eq!(point_in(CHICAGO, &circle), Some(false));
        let rect = Region::Rectangles(vec![[
            (430_000_000, -840_000_000),
            (420_000_000, -820_000_000),
        ]]);
        assert_eq!(point_in(DETROIT, &rect), Some(true));
        assert_eq!(point_in(CHICAGO, &rect), Some(false));
        let tri = Region::Polygon(vec![
            (430_000_000, -840_000_000),
            (430_000_000, -820_000_000),
            (410_000_000, -830_000_000),
        ]);
        assert_eq!(point_in(DETROIT, &tri), Some(true));
        assert_eq!(point_in(CHICAGO, &tri), Some(false));
        let us = Region::Identified(vec![IdentifiedRegion::Country(840)]);
        assert_eq!(point_in(DETROIT, &us), None);
        // Containment.
        let small = Region::Circle {
            lat: DETROIT.0,
            lon: DETROIT.1,
            radius: 1_000,
        };
        assert_eq!(region_within(&small, &circle), Some(true));
        assert_eq!(region_within(&circle, &small), Some(false));
        assert_eq!(region_within(&small, &rect), None);
        assert_eq!(region_within(&rect, &circle), Some(false));
        assert_eq!(region_within(&small, &us), None);
        let kr_us = Region::Identified(vec![
            IdentifiedRegion::Country(840),
            IdentifiedRegion::Country(410),
        ]);
        assert_eq!(region_within(&us, &kr_us), Some(true));
        assert_eq!(region_within(&kr_us, &us), Some(false));
        let us_2 = Region::Identified(vec![IdentifiedRegion::CountryRegions(840, vec![2, 5])]);
        assert_eq!(region_within(&us_2, &us), Some(true));
        assert_eq!(region_within(&us, &us_2), Some(false));
        let us_5 = Region::Identified(vec![IdentifiedRegion::CountryRegions(840, vec![5])]);
        assert_eq!(region_within(&us_5, &us_2), Some(true));
        assert_eq!(region_within(&us_2, &us_5), Some(false));
    }

    #[test]
    fn ssp_ranges() {
        let b = |v: &[u8]| Some(Ssp::Bitmap(v.to_vec()));
        let range = SspRange::Bitmap {
            value: vec![0x80, 0x00],
            mask: vec![0xc0, 0x00],
        };
        assert!(ssp_in(Some(&range), b(&[0x80, 0xff]).as_ref()));
        assert!(!ssp_in(Some(&range), b(&[0xc0, 0x00]).as_ref()));
        let op = SspRange::Opaque(vec![vec![1, 2]]);
        assert!(ssp_in(Some(&op), Some(&Ssp::Opaque(vec![1, 2]))));
        assert!(!ssp_in(Some(&op), Some(&Ssp::Opaque(vec![1, 3]))));
        assert!(ssp_in(Some(&SspRange::All), Some(&Ssp::Opaque(vec![9]))));
    }
}
