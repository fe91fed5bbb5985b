//! A reader for the Canonical Octet Encoding Rules (ITU-T X.696 §11..§27, canonical form)
//! as IEEE 1609.2 uses them: fixed-size integers, length determinants, choice tags,
//! sequence preambles with extension bits, open types. Every error names the byte offset and
//! the ASN.1 path of what was being read.

use crate::error::Error;

/// Deepest nesting of structures accepted.
pub const MAX_DEPTH: usize = 64;
/// Most elements accepted in one SEQUENCE OF.
pub const MAX_ITEMS: usize = 4096;

/// A cursor over a COER buffer with the path being read.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Absolute offset of `buf[0]` in the caller's input, for error messages.
    base: usize,
    path: Vec<String>,
}

/// A choice tag: class (0 universal, 1 application, 2 context, 3 private) and number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tag {
    /// Tag class.
    pub class: u8,
    /// Tag number.
    pub number: u64,
}

/// The presence bits of a SEQUENCE.
#[derive(Clone, Debug)]
pub struct Preamble {
    /// The extension bit (extensible types only).
    pub extended: bool,
    /// One flag per OPTIONAL / DEFAULT root component, in order.
    pub present: Vec<bool>,
}

impl Preamble {
    /// Whether optional component `i` is present.
    pub fn has(&self, i: usize) -> bool {
        self.present.get(i).copied().unwrap_or(false)
    }
}

impl<'a> Reader<'a> {
    /// A reader over `buf`, which starts at absolute offset `base`.
    pub fn new(buf: &'a [u8], base: usize) -> Self {
        Reader {
            buf,
            pos: 0,
            base,
            path: Vec::new(),
        }
    }

    /// Current absolute offset.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Current position within this reader's buffer.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Bytes left.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// The bytes from `start` (a value of [`Reader::pos`]) to the current position.
    pub fn since(&self, start: usize) -> &'a [u8] {
        &self.buf[start..self.pos]
    }

    /// An error at the current offset naming the path.
    pub fn err(&self, reason: impl Into<String>) -> Error {
        Error::Asn1 {
            offset: self.offset(),
            reason: format!("{}: {}", self.path_text(), reason.into()),
        }
    }

    /// The path as `Ieee1609Dot2Data.content.signedData…`.
    pub fn path_text(&self) -> String {
        if self.path.is_empty() {
            "COER".into()
        } else {
            self.path.join(".")
        }
    }

    /// Enters a named component; fails past [`MAX_DEPTH`].
    pub fn enter(&mut self, name: &str) -> Result<(), Error> {
        if self.path.len() >= MAX_DEPTH {
            return Err(Error::Limit {
                what: format!(
                    "COER nesting at byte {} ({})",
                    self.offset(),
                    self.path_text()
                ),
                limit: MAX_DEPTH,
            });
        }
        self.path.push(name.to_string());
        Ok(())
    }

    /// Leaves the component entered last.
    pub fn leave(&mut self) {
        self.path.pop();
    }

    /// Reads `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if n > self.remaining() {
            return Err(self.err(format!(
                "needs {n} bytes but only {} remain",
                self.remaining()
            )));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// One byte.
    pub fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.bytes(1)?[0])
    }

    /// A fixed-size unsigned integer of `n` bytes (n ≤ 8).
    pub fn uint(&mut self, n: usize) -> Result<u64, Error> {
        Ok(self
            .bytes(n)?
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    /// A length determinant (X.696 §8.6): short form, or 0x80|n then n bytes.
    pub fn length(&mut self) -> Result<usize, Error> {
        let first = self.u8()?;
        if first < 0x80 {
            return Ok(usize::from(first));
        }
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return Err(self.err(format!("length determinant of {n} bytes")));
        }
        let v = self.uint(n)?;
        if v < 0x80 {
            return Err(self.err("long-form length below 128 is not canonical"));
        }
        let len = usize::try_from(v).map_err(|_| self.err("length too large"))?;
        if len > self.remaining() {
            return Err(self.err(format!(
                "length {len} runs past the end ({} bytes remain)",
                self.remaining()
            )));
        }
        Ok(len)
    }

    /// An OCTET STRING of variable size: length then bytes.
    pub fn octets(&mut self) -> Result<&'a [u8], Error> {
        let n = self.length()?;
        self.bytes(n)
    }

    /// An unconstrained (or semi-constrained) INTEGER: length then two's-complement bytes,
    /// read as unsigned (the 1609.2 uses are non-negative).
    pub fn big_uint(&mut self) -> Result<u64, Error> {
        let b = self.octets()?;
        if b.is_empty() || b.len() > 9 || (b.len() == 9 && b[0] != 0) {
            return Err(self.err(format!("integer of {} bytes", b.len())));
        }
        Ok(b.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x)))
    }

    /// An unconstrained INTEGER that may be negative: length then two's-complement bytes.
    pub fn big_int(&mut self) -> Result<i64, Error> {
        let b = self.octets()?;
        if b.is_empty() || b.len() > 8 {
            return Err(self.err(format!("integer of {} bytes", b.len())));
        }
        let init: i64 = if b[0] & 0x80 != 0 { -1 } else { 0 };
        Ok(b.iter().fold(init, |acc, &x| (acc << 8) | i64::from(x)))
    }

    /// An ENUMERATED value (X.696 §11): one byte below 128, else long form.
    pub fn enumerated(&mut self) -> Result<u64, Error> {
        let first = self.u8()?;
        if first < 0x80 {
            return Ok(u64::from(first));
        }
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 8 {
            return Err(self.err("bad enumerated value"));
        }
        self.uint(n)
    }

    /// A choice tag (X.696 §8.7).
    pub fn tag(&mut self) -> Result<Tag, Error> {
        let first = self.u8()?;
        let class = first >> 6;
        let low = u64::from(first & 0x3f);
        if low < 0x3f {
            return Ok(Tag { class, number: low });
        }
        let mut number = 0u64;
        for _ in 0..8 {
            let b = self.u8()?;
            number = (number << 7) | u64::from(b & 0x7f);
            if b & 0x80 == 0 {
                return Ok(Tag { class, number });
            }
        }
        Err(self.err("choice tag too long"))
    }

    /// A context-specific choice index.
    pub fn choice(&mut self) -> Result<u64, Error> {
        let t = self.tag()?;
        if t.class != 2 {
            return Err(self.err(format!(
                "choice tag class {} is not context-specific",
                t.class
            )));
        }
        Ok(t.number)
    }

    /// A SEQUENCE preamble: the extension bit (if `extensible`) and `optionals` presence
    /// bits, MSB first, padded with zero bits to whole bytes.
    pub fn preamble(&mut self, extensible: bool, optionals: usize) -> Result<Preamble, Error> {
        let bits = usize::from(extensible) + optionals;
        if bits == 0 {
            return Ok(Preamble {
                extended: false,
                present: Vec::new(),
            });
        }
        let bytes = self.bytes(bits.div_ceil(8))?;
        let bit = |i: usize| bytes[i / 8] & (0x80 >> (i % 8)) != 0;
        let pad_start = bits;
        if (pad_start..bytes.len() * 8).any(bit) {
            return Err(self.err("non-zero padding bits in the preamble"));
        }
        let extended = extensible && bit(0);
        let present = (usize::from(extensible)..bits).map(bit).collect();
        Ok(Preamble { extended, present })
    }

    /// The extension additions of an extended SEQUENCE: a bitmap, then one open type per
    /// present addition. Returns (index, bytes) for each.
    pub fn extensions(&mut self) -> Result<Vec<(usize, &'a [u8])>, Error> {
        let bitmap = self.octets()?;
        let Some((&unused, bits)) = bitmap.split_first() else {
            return Err(self.err("empty extension bitmap"));
        };
        if unused > 7 {
            return Err(self.err("extension bitmap with more than 7 unused bits"));
        }
        let count = (bits.len() * 8)
            .checked_sub(usize::from(unused))
            .ok_or_else(|| self.err("extension bitmap with unused bits but no bits"))?;
        let mut out = Vec::new();
        for i in 0..count {
            if bits[i / 8] & (0x80 >> (i % 8)) != 0 {
                let v = self.octets()?;
                out.push((i, v));
            }
        }
        Ok(out)
    }

    /// The quantity of a SEQUENCE OF (X.696 §20): a length, then that many bytes of count.
    pub fn count(&mut self) -> Result<usize, Error> {
        let n = self.length()?;
        if n == 0 || n > 4 {
            return Err(self.err(format!("SEQUENCE OF quantity in {n} bytes")));
        }
        let c = usize::try_from(self.uint(n)?).map_err(|_| self.err("count too large"))?;
        if c > MAX_ITEMS {
            return Err(Error::Limit {
                what: format!(
                    "SEQUENCE OF at byte {} ({})",
                    self.offset(),
                    self.path_text()
                ),
                limit: MAX_ITEMS,
            });
        }
        Ok(c)
    }

    /// A sub-reader over the next `n` bytes (for open types), sharing the path.
    pub fn sub(&mut self, bytes: &'a [u8]) -> Reader<'a> {
        let base = self.base + self.pos - bytes.len();
        Reader {
            buf: bytes,
            pos: 0,
            base,
            path: self.path.clone(),
        }
    }

    /// Fails unless everything was read.
    pub fn finish(&self) -> Result<(), Error> {
        if self.remaining() != 0 {
            return Err(self.err(format!(
                "{} trailing bytes after the structure",
                self.remaining()
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_tags_and_preambles() {
        let mut r = Reader::new(&[0x05, 0x81, 0x80], 0);
        assert_eq!(r.length().unwrap(), 5);
        assert!(r.length().is_err(), "runs past the end");
        let mut r = Reader::new(&[0x81, 0x7f], 10);
        let e = r.length().unwrap_err().to_string();
        assert!(e.contains("not canonical") && e.contains("byte 12"), "{e}");
        let mut r = Reader::new(&[0x82, 0xbf, 0x81, 0x01], 0);
        assert_eq!(r.choice().unwrap(), 2);
        assert_eq!(r.choice().unwrap(), 0x81);
        let mut r = Reader::new(&[0b1010_0000], 0);
        let p = r.preamble(true, 2).unwrap();
        assert!(p.extended && !p.has(0) && p.has(1));
        let mut r = Reader::new(&[0b1010_0001], 0);
        assert!(r.preamble(true, 2).is_err(), "padding must be zero");
        let mut r = Reader::new(&[0x02, 0x06, 0x40, 0x01, 0xaa], 0);
        assert_eq!(r.extensions().unwrap(), vec![(1, &[0xaa][..])]);
        r.finish().unwrap();
    }
}
