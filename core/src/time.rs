//! Verification time: seconds since the Unix epoch, passed in by the caller.
//!
//! The core never reads a clock (`SystemTime::now()` panics on wasm32-unknown-unknown); the
//! command line passes `--at` or the current time, the browser passes `Date.now()`.

use crate::error::Error;

/// A UTC instant, whole seconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(pub i64);

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl UnixTime {
    /// Builds a time from calendar fields (UTC).
    pub fn from_fields(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Self {
        UnixTime(
            days_from_civil(y, mo, d) * 86_400
                + i64::from(h) * 3600
                + i64::from(mi) * 60
                + i64::from(s),
        )
    }

    /// RFC 3339 in UTC, e.g. `2027-01-01T00:00:00Z`.
    pub fn to_rfc3339(self) -> String {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            (secs / 60) % 60,
            secs % 60
        )
    }

    /// Parses RFC 3339 (`2027-01-01T00:00:00Z`, offsets like `+02:00`, fractions ignored),
    /// a bare date (`2027-01-01`, midnight UTC) or `@<unix seconds>`.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let bad = |reason: &str| Error::Time {
            input: text.to_string(),
            reason: reason.to_string(),
        };
        let t = text.trim();
        if let Some(secs) = t.strip_prefix('@') {
            return secs
                .parse::<i64>()
                .map(UnixTime)
                .map_err(|_| bad("expected @ followed by whole seconds"));
        }
        let b = t.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Result<u32, Error> {
            let s = t
                .get(r)
                .ok_or_else(|| bad("expected YYYY-MM-DD[THH:MM:SS[Z|±HH:MM]]"))?;
            if !s.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad("expected YYYY-MM-DD[THH:MM:SS[Z|±HH:MM]]"));
            }
            s.parse::<u32>()
                .map_err(|_| bad("expected YYYY-MM-DD[THH:MM:SS[Z|±HH:MM]]"))
        };
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad("expected YYYY-MM-DD[THH:MM:SS[Z|±HH:MM]]"));
        }
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(i64::from(y), mo) {
            return Err(bad("no such date"));
        }
        if b.len() == 10 {
            return Ok(UnixTime::from_fields(i64::from(y), mo, d, 0, 0, 0));
        }
        if !(b[10] == b'T' || b[10] == b't' || b[10] == b' ') || b.len() < 19 {
            return Err(bad("expected a time after the date, like T12:00:00Z"));
        }
        let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if h > 23 || mi > 59 || s > 60 {
            return Err(bad("no such time of day"));
        }
        let mut rest = &t[19..];
        if let Some(frac) = rest.strip_prefix('.') {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            rest = &frac[n..];
        }
        let offset: i64 = match rest {
            "Z" | "z" => 0,
            "" => return Err(bad("missing time zone: add Z for UTC")),
            o if o.len() == 6
                && (o.starts_with('+') || o.starts_with('-'))
                && o.as_bytes()[3] == b':' =>
            {
                let field = |r: std::ops::Range<usize>| -> Result<i64, Error> {
                    o.get(r)
                        .filter(|d| d.bytes().all(|c| c.is_ascii_digit()))
                        .and_then(|d| d.parse::<i64>().ok())
                        .ok_or_else(|| bad("time zone must be Z or ±HH:MM"))
                };
                let (oh, om) = (field(1..3)?, field(4..6)?);
                let sign = if o.starts_with('-') { -1 } else { 1 };
                sign * (oh * 3600 + om * 60)
            }
            _ => return Err(bad("time zone must be Z or ±HH:MM")),
        };
        Ok(UnixTime(
            UnixTime::from_fields(i64::from(y), mo, d, h, mi, s.min(59)).0 - offset,
        ))
    }

    /// Converts an X.509 / CMS `Time` (UTCTime or GeneralizedTime).
    pub fn from_x509(t: &x509_cert::time::Time) -> Self {
        let secs = t.to_unix_duration().as_secs();
        UnixTime(i64::try_from(secs).unwrap_or(i64::MAX))
    }
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// "3 days", "40 minutes": a duration in seconds, for people.
pub fn duration_words(abs: u64) -> String {
    if abs < 120 {
        format!("{abs} seconds")
    } else if abs < 7200 {
        format!("{} minutes", abs / 60)
    } else if abs < 2 * 86_400 {
        format!("{} hours", abs / 3600)
    } else if abs < 2 * 365 * 86_400 {
        format!("{} days", abs / 86_400)
    } else {
        format!("{} years", abs / (365 * 86_400))
    }
}

/// "in 3 days", "12 days ago": how far `t` is from `now`, for people.
pub fn relative(t: UnixTime, now: UnixTime) -> String {
    let delta = t.0 - now.0;
    let amount = duration_words(delta.unsigned_abs());
    if delta >= 0 {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let t = UnixTime::parse("2027-01-01T00:00:00Z").unwrap();
        assert_eq!(t.0, 1_798_761_600);
        assert_eq!(t.to_rfc3339(), "2027-01-01T00:00:00Z");
        assert_eq!(UnixTime(0).to_rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(
            UnixTime::parse("2024-02-29T12:30:00+02:00")
                .unwrap()
                .to_rfc3339(),
            "2024-02-29T10:30:00Z"
        );
        assert_eq!(UnixTime::parse("2027-01-01").unwrap(), t);
        assert_eq!(UnixTime::parse("@1798761600").unwrap(), t);
        // A fraction before an offset (x509-limbo writes times this way).
        assert_eq!(
            UnixTime::parse("2024-03-01T00:00:00.999+00:00")
                .unwrap()
                .to_rfc3339(),
            "2024-03-01T00:00:00Z"
        );
        assert_eq!(
            UnixTime::parse("2024-03-01T02:00:00.5+02:00")
                .unwrap()
                .to_rfc3339(),
            "2024-03-01T00:00:00Z"
        );
    }

    #[test]
    fn rejects_nonsense() {
        for s in [
            "",
            "tomorrow",
            "2027-13-01",
            "2027-02-30",
            "2027-01-01T25:00:00Z",
            "2027-01-01T00:00:00",
            "2027-01-01T00:00:00.5+0x:00",
            "2027-01-01T00:00:00.5+02",
        ] {
            assert!(UnixTime::parse(s).is_err(), "{s}");
        }
    }
}
