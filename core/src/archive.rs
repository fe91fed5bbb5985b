//! Archives of messages: tar (plain or gzip-compressed) and zip, read member by member from
//! any reader without unpacking them (feature `archives`).
//!
//! The front ends decide where the bytes come from and what becomes of each member; this
//! module decides what a member is: its bytes when they fit the input limit, its size and
//! SHA-256 when they do not, or the reason it could not be read. A tar stream ends at its
//! first member that cannot be read (what follows cannot be found); a zip archive is read
//! through its central directory, so one damaged member does not hide the others.

use crate::Error;
use sha2::{Digest, Sha256};
use std::io::{Read, Seek};

/// The archive formats read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchiveKind {
    /// POSIX / GNU tar.
    Tar,
    /// tar compressed with gzip (`.tar.gz`, `.tgz`).
    TarGz,
    /// zip (stored or deflated members).
    Zip,
}

impl ArchiveKind {
    /// The archive format a file name says it has (case does not matter).
    pub fn from_file_name(name: &str) -> Option<Self> {
        let name = name.to_ascii_lowercase();
        if name.ends_with(".tar") {
            Some(ArchiveKind::Tar)
        } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
            Some(ArchiveKind::TarGz)
        } else if name.ends_with(".zip") {
            Some(ArchiveKind::Zip)
        } else {
            None
        }
    }
}

/// What was read of one member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemberBytes {
    /// All of its bytes (no more than the limit).
    Held(Vec<u8>),
    /// Larger than the limit: hashed as it streamed by, not held.
    TooLarge {
        /// Size in bytes.
        size: u64,
        /// SHA-256, lower-case hex.
        sha256: String,
    },
    /// It could not be read; the reason names the member.
    Unreadable(String),
}

/// One regular-file member of an archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// Its path inside the archive, without a leading `./`.
    pub path: String,
    /// What was read of it.
    pub bytes: MemberBytes,
}

/// Where the members of an archive go, and which are wanted.
pub trait MemberSink {
    /// Whether the member at `path` is to be read; `packed` is the number of bytes it takes
    /// up in the archive where the format says so (zip), else 0. Called for every
    /// regular-file member, wanted or not.
    fn wanted(&mut self, path: &str, packed: u64) -> bool;
    /// Takes one member read; `false` stops the reading.
    fn take(&mut self, member: Member) -> bool;
}

/// Reads a tar stream (`compressed`: gzip around it, members of a multi-member gzip file
/// joined) and gives every wanted regular-file member to `sink`, in archive order.
/// Directories, links and other entries are passed over. The stream ends at the first
/// member that cannot be read, given to the sink as [`MemberBytes::Unreadable`]; an error
/// is returned only when the archive cannot be read at all or between members.
pub fn read_tar(
    reader: impl Read,
    compressed: bool,
    limit: usize,
    sink: &mut dyn MemberSink,
) -> Result<(), Error> {
    let reader: Box<dyn Read> = if compressed {
        Box::new(flate2::read::MultiGzDecoder::new(reader))
    } else {
        Box::new(reader)
    };
    let mut archive = tar::Archive::new(reader);
    let entries = archive
        .entries()
        .map_err(|e| Error::Archive(format!("not a tar archive: {e}")))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::Archive(format!("damaged tar archive: {e}")))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = member_path(&String::from_utf8_lossy(&entry.path_bytes()));
        if !sink.wanted(&path, 0) {
            continue; // the next step of the iterator skips its bytes
        }
        let size = entry.size();
        let bytes = read_member(entry, &path, limit, size);
        let failed = matches!(bytes, MemberBytes::Unreadable(_));
        // A member that cannot be read leaves the stream somewhere inside it: what follows
        // cannot be found, so its failure is the archive's last word.
        if !sink.take(Member { path, bytes }) || failed {
            return Ok(());
        }
    }
    Ok(())
}

/// Reads a zip archive through its central directory and gives every wanted regular-file
/// member to `sink`, in directory order. A member that cannot be read (bad deflate data,
/// wrong CRC, unsupported method) is given as [`MemberBytes::Unreadable`] and the others
/// follow; an error is returned when the directory cannot be read.
pub fn read_zip(
    reader: impl Read + Seek,
    limit: usize,
    sink: &mut dyn MemberSink,
) -> Result<(), Error> {
    let mut archive = zip::ZipArchive::new(reader)
        .map_err(|e| Error::Archive(format!("not a zip archive: {e}")))?;
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| Error::Archive(format!("damaged zip archive (member {}): {e}", i + 1)))?;
        if !entry.is_file() {
            continue;
        }
        let path = member_path(entry.name());
        if !sink.wanted(&path, entry.compressed_size()) {
            continue;
        }
        let size = entry.size();
        let bytes = read_member(entry, &path, limit, size);
        if !sink.take(Member { path, bytes }) {
            return Ok(());
        }
    }
    Ok(())
}

/// A member's path as reports show it.
fn member_path(raw: &str) -> String {
    raw.trim_start_matches("./").to_string()
}

/// Reads one member: its bytes when they fit `limit`, else its size and digest. `size_hint`
/// (the size the archive claims) only sizes the buffer, never beyond the limit.
fn read_member(mut r: impl Read, path: &str, limit: usize, size_hint: u64) -> MemberBytes {
    let unreadable = |e: std::io::Error| MemberBytes::Unreadable(format!("reading {path}: {e}"));
    let mut buf = Vec::with_capacity(size_hint.min(limit as u64) as usize);
    if let Err(e) = (&mut r).take(limit as u64 + 1).read_to_end(&mut buf) {
        return unreadable(e);
    }
    if buf.len() <= limit {
        return MemberBytes::Held(buf);
    }
    let mut hasher = Sha256::new();
    hasher.update(&buf);
    let mut size = buf.len() as u64;
    drop(buf);
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        match r.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                hasher.update(&chunk[..n]);
                size += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return unreadable(e),
        }
    }
    MemberBytes::TooLarge {
        size,
        sha256: hex::encode(hasher.finalize()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// Gathers members, optionally refusing some paths.
    #[derive(Default)]
    struct Gather {
        members: Vec<Member>,
        refused: Vec<&'static str>,
        asked: Vec<(String, u64)>,
    }

    impl MemberSink for Gather {
        fn wanted(&mut self, path: &str, packed: u64) -> bool {
            self.asked.push((path.to_string(), packed));
            !self.refused.contains(&path)
        }
        fn take(&mut self, member: Member) -> bool {
            self.members.push(member);
            true
        }
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/archives")
            .join(name);
        std::fs::read(path).expect("archive fixture")
    }

    /// The members of a fixture tar (`compressed`: tar.gz) read with `limit`.
    fn tar(name: &str, compressed: bool, limit: usize) -> Gather {
        let mut g = Gather::default();
        read_tar(Cursor::new(fixture(name)), compressed, limit, &mut g).expect(name);
        g
    }

    fn held(m: &Member) -> &[u8] {
        match &m.bytes {
            MemberBytes::Held(b) => b,
            other => panic!("{}: {other:?}", m.path),
        }
    }

    #[test]
    fn names_say_the_kind() {
        assert_eq!(ArchiveKind::from_file_name("a.TAR"), Some(ArchiveKind::Tar));
        assert_eq!(
            ArchiveKind::from_file_name("a.tgz"),
            Some(ArchiveKind::TarGz)
        );
        assert_eq!(
            ArchiveKind::from_file_name("a.tar.gz"),
            Some(ArchiveKind::TarGz)
        );
        assert_eq!(ArchiveKind::from_file_name("a.Zip"), Some(ArchiveKind::Zip));
        assert_eq!(ArchiveKind::from_file_name("a.gz"), None);
    }

    /// The fixtures written by GNU tar and by Python's tarfile (gzip) and zipfile (deflate)
    /// give their members in archive order.
    #[test]
    fn fixtures_made_by_other_tools_give_their_members() {
        let plain = tar("messages.tar", false, 1 << 20);
        let paths: Vec<&str> = plain.members.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths.len(), 3, "{paths:?}");
        assert!(paths.iter().all(|p| !p.starts_with("./")));
        for m in &plain.members {
            assert!(!held(m).is_empty(), "{}", m.path);
        }

        let gz = tar("messages.tar.gz", true, 1 << 20);
        assert_eq!(gz.members.len(), 2);

        let mut zip = Gather::default();
        read_zip(Cursor::new(fixture("messages.zip")), 1 << 20, &mut zip).expect("zip");
        assert_eq!(zip.members.len(), 2);
        // zip tells how many bytes each member takes up in the archive.
        assert!(zip.asked.iter().all(|(_, packed)| *packed > 0));
    }

    /// GNU tar's long names and POSIX pax headers give the same members with the full paths
    /// (the pax one with its non-ASCII directory), and a gzip file of two members reads as
    /// one stream.
    #[test]
    fn long_names_pax_headers_and_gzip_members() {
        let gnu = tar("long-names.tar", false, 1 << 20);
        let pax = tar("pax.tar", false, 1 << 20);
        assert_eq!(gnu.members, pax.members);
        let store = "accounting/2026/12/06/\
                     apel-ssm-outgoing-messages-from-the-site-accounting-database-r\u{e9}plica";
        assert_eq!(
            gnu.members[0].path,
            format!("{store}/00000001-rsa-sha256-signed-accounting-record-from-site.eml")
        );
        assert!(
            gnu.members[0].path.len() > 100,
            "longer than a tar header holds"
        );
        let original = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../tests/fixtures/messages/rsa-sha256.eml"),
        )
        .expect("fixture");
        assert_eq!(held(&gnu.members[0]), &original[..]);

        let two = tar("two-gzip-members.tar.gz", true, 1 << 20);
        let paths: Vec<&str> = two.members.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(
            paths,
            ["messages/rsa-sha256.eml", "messages/rsa-expired.eml"]
        );
        assert_eq!(held(&two.members[0]), &original[..]);
    }

    /// A member over the limit is hashed, not held, and its digest is that of its bytes.
    #[test]
    fn members_over_the_limit_are_hashed_not_held() {
        let whole = tar("messages.tar", false, 1 << 20);
        let small = tar("messages.tar", false, 64);
        assert_eq!(whole.members.len(), small.members.len());
        for (w, s) in whole.members.iter().zip(&small.members) {
            let bytes = held(w);
            assert!(bytes.len() > 64, "fixture members are larger than 64 bytes");
            assert_eq!(
                s.bytes,
                MemberBytes::TooLarge {
                    size: bytes.len() as u64,
                    sha256: hex::encode(Sha256::digest(bytes)),
                }
            );
        }
    }

    /// Members the sink does not want are passed over and the rest still read.
    #[test]
    fn unwanted_members_are_skipped() {
        let mut all = Gather::default();
        read_zip(Cursor::new(fixture("messages.zip")), 1 << 20, &mut all).expect("zip");
        let first: &'static str = Box::leak(all.members[0].path.clone().into_boxed_str());
        for (bytes, kind) in [
            (fixture("messages.zip"), ArchiveKind::Zip),
            (fixture("messages.tar.gz"), ArchiveKind::TarGz),
        ] {
            let mut some = Gather {
                refused: vec![first],
                ..Gather::default()
            };
            let r = match kind {
                ArchiveKind::Zip => read_zip(Cursor::new(bytes), 1 << 20, &mut some),
                _ => read_tar(Cursor::new(bytes), true, 1 << 20, &mut some),
            };
            r.expect("reads");
            assert!(some.members.iter().all(|m| m.path != first), "{kind:?}");
            assert!(!some.members.is_empty(), "{kind:?}");
        }
    }

    /// Input that is no archive at all is one error naming the format.
    #[test]
    fn other_bytes_are_refused_with_the_format() {
        let mut g = Gather::default();
        let e = read_zip(Cursor::new(b"not a zip".to_vec()), 64, &mut g).unwrap_err();
        assert!(e.to_string().starts_with("not a zip archive"), "{e}");
        let e = read_tar(Cursor::new(vec![0x1f, 0x8b, 8, 0]), true, 64, &mut g);
        assert!(e.is_err() || g.members.is_empty());
        assert!(g.members.is_empty());
    }
}
