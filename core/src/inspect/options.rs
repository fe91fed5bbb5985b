//! How to inspect: the one options type every front end fills (the command line's flags,
//! the window's settings, the browser's option object), with the parsing of each option's
//! text form, so that every front end accepts the same values with the same errors.

use super::DEFAULT_MAX_INPUT;
use crate::error::Error;
use crate::time::UnixTime;

/// How to inspect.
#[derive(Clone, Debug)]
pub struct Options {
    /// The input's name for the report.
    pub name: String,
    /// Verification time.
    pub at: UnixTime,
    /// Content of a detached signature given separately (`--content`).
    pub detached_content: Option<Vec<u8>>,
    /// Content of a detached signature read on demand (a file too large to hold): used when
    /// `detached_content` is `None`. Only its digests are asked for where they suffice.
    pub detached_stream: Option<std::sync::Arc<dyn super::StreamedContent>>,
    /// Largest input accepted.
    pub max_input: usize,
    /// A profile to apply whatever the input looks like (`--profile`); detected otherwise.
    pub profile: Option<crate::profiles::Profile>,
    /// Sender DNs allowed by an SSM allow-list (`--allow-dn`), one-line or RFC 4514 form.
    pub allowed_senders: Option<Vec<String>>,
    /// SCMP replay window in seconds: messages signed further than this from the
    /// verification time get a warning (`--replay-window`).
    pub replay_window: Option<u64>,
    /// The input is the body of a stored SSM dirq element (with its signer and id files).
    pub ssm_stored: Option<crate::profiles::ssm::Stored>,
    /// SCMS: the RA's time tolerance in seconds for request timestamps (`--time-tolerance`).
    pub time_tolerance: Option<u64>,
    /// SCMS: HashedId8s of blacklisted enrollment certificates (`--blacklist`).
    pub blacklist: Vec<[u8; 8]>,
}

impl Options {
    /// Options with a name and time and everything else default.
    pub fn new(name: impl Into<String>, at: UnixTime) -> Self {
        Options {
            name: name.into(),
            at,
            detached_content: None,
            detached_stream: None,
            max_input: DEFAULT_MAX_INPUT,
            profile: None,
            allowed_senders: None,
            replay_window: None,
            ssm_stored: None,
            time_tolerance: None,
            blacklist: Vec::new(),
        }
    }
}

impl Options {
    /// Sets the verification time from RFC 3339 text (`2027-01-01T00:00:00Z`).
    pub fn set_at(&mut self, text: &str) -> Result<(), Error> {
        self.at = UnixTime::parse(text)?;
        Ok(())
    }

    /// Forces a profile by name (`emi`, `ssm`, `bitrepo`, `scmp`).
    pub fn set_profile(&mut self, name: &str) -> Result<(), Error> {
        self.profile = Some(name.parse()?);
        Ok(())
    }

    /// Sets the SSM sender allow-list from its file's text: one DN per line, `#` comments.
    pub fn set_allow_list(&mut self, text: &str) {
        self.allowed_senders = Some(crate::profiles::ssm::parse_allow_list(text));
    }

    /// Adds the blacklisted enrollment certificates of a blacklist file's text: one
    /// HashedId8 (16 hex digits) per line, `#` comments.
    pub fn add_blacklist(&mut self, text: &str) -> Result<(), Error> {
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let id = hex::decode(line)
                .ok()
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .ok_or_else(|| {
                    Error::Encoding(format!("{line:?} is not a HashedId8 (16 hex digits)"))
                })?;
            self.blacklist.push(id);
        }
        Ok(())
    }

    /// Sets the largest input from text: a number of bytes with an optional K, M or G
    /// (binary multiples).
    pub fn set_max_input(&mut self, text: &str) -> Result<(), Error> {
        self.max_input = parse_size(text)?;
        Ok(())
    }
}

/// A size: a number of bytes with an optional `K`, `M` or `G` (`KiB`, `MiB`, `GiB`).
pub fn parse_size(text: &str) -> Result<usize, Error> {
    let t = text.trim();
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (number, unit) = t.split_at(digits);
    let not_a_size = || {
        Error::Encoding(format!(
            "{text:?} is not a size (a number with an optional K, M or G)"
        ))
    };
    let shift = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KIB" => 10,
        "M" | "MIB" => 20,
        "G" | "GIB" => 30,
        _ => return Err(not_a_size()),
    };
    let n: usize = number.parse().map_err(|_| not_a_size())?;
    n.checked_mul(1usize << shift)
        .filter(|&v| v > 0)
        .ok_or_else(|| Error::Encoding(format!("{text:?} is out of range")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> Options {
        Options::new("x", UnixTime(0))
    }

    #[test]
    fn sizes_with_units() {
        assert_eq!(parse_size("512").unwrap(), 512);
        assert_eq!(parse_size("4K").unwrap(), 4096);
        assert_eq!(parse_size("2MiB").unwrap(), 2 << 20);
        assert_eq!(parse_size("1g").unwrap(), 1 << 30);
        assert_eq!(
            parse_size("3X").unwrap_err().to_string(),
            "\"3X\" is not a size (a number with an optional K, M or G)"
        );
        assert!(parse_size("0").is_err());
    }

    #[test]
    fn blacklist_lines() {
        let mut o = opts();
        o.add_blacklist("# RA blacklist\n0011223344556677\n\n8899aabbccddeeff\n")
            .unwrap();
        assert_eq!(o.blacklist.len(), 2);
        assert_eq!(
            o.blacklist[1],
            [0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]
        );
        let e = o.add_blacklist("0011").unwrap_err();
        assert_eq!(e.to_string(), "\"0011\" is not a HashedId8 (16 hex digits)");
    }

    #[test]
    fn profile_time_and_allow_list() {
        let mut o = opts();
        o.set_profile("ssm").unwrap();
        assert_eq!(o.profile, Some(crate::profiles::Profile::Ssm));
        assert!(o
            .set_profile("smtp")
            .unwrap_err()
            .to_string()
            .contains("expected emi, ssm, bitrepo or scmp"));
        o.set_at("2027-01-01T00:00:00Z").unwrap();
        assert_eq!(o.at.to_rfc3339(), "2027-01-01T00:00:00Z");
        assert!(o.set_at("tomorrow").is_err());
        o.set_allow_list("# sites\n/C=GB/O=Example/CN=a\n");
        assert_eq!(
            o.allowed_senders.as_deref(),
            Some(&["/C=GB/O=Example/CN=a".to_string()][..])
        );
    }
}
