//! Names: the one place where the words front ends accept for a choice (`sha256`,
//! `aes-128-gcm`, `opaque`, `scmp-error`, …) are read and written. Every named type has a
//! table of accepted names (canonical names and their aliases), a `name()` giving the
//! canonical one, and `FromStr` / `Display` built from those two by [`named!`].

use crate::error::Error;

/// The accepted names of one type.
pub(crate) struct Names<T: 'static> {
    /// What kind of name it is, for the error ("digest", "cipher", …).
    pub what: &'static str,
    /// The canonical names as the error lists them.
    pub expected: &'static str,
    /// Whether case is ignored (as for cipher and profile names) or must match.
    pub fold_case: bool,
    /// Every accepted name with its value: canonical names and aliases.
    pub names: &'static [(&'static str, T)],
}

impl<T: Copy> Names<T> {
    /// The value named `given`, or [`Error::UnknownName`] listing the accepted names.
    pub fn parse(&self, given: &str) -> Result<T, Error> {
        self.names
            .iter()
            .find(|(n, _)| {
                if self.fold_case {
                    n.eq_ignore_ascii_case(given)
                } else {
                    *n == given
                }
            })
            .map(|(_, v)| *v)
            .ok_or_else(|| Error::UnknownName {
                what: self.what,
                given: given.to_string(),
                expected: self.expected,
            })
    }
}

/// `FromStr` (through the type's `NAMES` table) and `Display` (its `name()`) for a type.
macro_rules! named {
    ($t:ty) => {
        impl ::std::str::FromStr for $t {
            type Err = $crate::error::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$t>::NAMES.parse(s)
            }
        }

        impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}
pub(crate) use named;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::fmt::Display;
    use std::str::FromStr;

    /// Checks a named type: every accepted name parses (in upper case too when case is
    /// folded) to a value whose canonical name parses back to it and appears in the list
    /// of expected names; an unknown name gives the error listing them.
    pub(crate) fn check<T>(table: &Names<T>, canonical: &[&str])
    where
        T: Copy + PartialEq + std::fmt::Debug + Display + FromStr<Err = Error>,
    {
        for (name, value) in table.names {
            assert_eq!(T::from_str(name).as_ref(), Ok(value), "{name}");
            let upper = T::from_str(&name.to_ascii_uppercase());
            assert_eq!(
                upper.is_ok(),
                table.fold_case || *name == name.to_ascii_uppercase()
            );
            let shown = value.to_string();
            assert!(canonical.contains(&shown.as_str()), "{shown}");
            assert_eq!(T::from_str(&shown).as_ref(), Ok(value));
        }
        for c in canonical {
            assert!(
                table.expected.contains(c),
                "{c} missing from {}",
                table.expected
            );
            assert_eq!(T::from_str(c).map(|v| v.to_string()).as_deref(), Ok(*c));
        }
        let e = T::from_str("no-such-name").unwrap_err();
        assert_eq!(
            e,
            Error::UnknownName {
                what: table.what,
                given: "no-such-name".into(),
                expected: table.expected,
            }
        );
        assert!(e.to_string().ends_with(table.expected), "{e}");
        assert!(T::from_str("").is_err());
    }

    #[test]
    fn case_folding_is_per_table() {
        let t = Names {
            what: "thing",
            expected: "a or b",
            fold_case: false,
            names: &[("a", 1), ("b", 2)],
        };
        assert_eq!(t.parse("a"), Ok(1));
        assert!(t.parse("A").is_err());
        let t = Names {
            fold_case: true,
            ..t
        };
        assert_eq!(t.parse("B"), Ok(2));
        assert_eq!(
            t.parse("c").unwrap_err().for_option("--thing"),
            "--thing c: expected a or b"
        );
    }
}
