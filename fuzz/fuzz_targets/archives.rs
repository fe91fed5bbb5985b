//! Archives of messages (tar, tar.gz, zip) and the JSON Lines report files a run resumes
//! from: whatever the bytes, reading ends with members, a reason or a refusal, never a panic
//! or a hang, and what is given obeys the limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sealscope_core::archive::{read_tar, read_zip, Member, MemberBytes, MemberSink};
use sealscope_core::report::lines::read_report_line;
use std::io::Cursor;

/// Checks every member against the limit and the stream rules.
struct Check {
    limit: usize,
    stream: bool,
    taken: usize,
    ended: bool,
}

impl MemberSink for Check {
    fn wanted(&mut self, path: &str, _packed: u64) -> bool {
        assert!(!path.starts_with("./"));
        // Leave every third member unread, as a resumed run does.
        self.taken % 3 != 2
    }

    fn take(&mut self, member: Member) -> bool {
        assert!(
            !self.ended,
            "a tar stream goes on after a member it could not read"
        );
        match member.bytes {
            MemberBytes::Held(b) => assert!(b.len() <= self.limit),
            MemberBytes::TooLarge { size, sha256 } => {
                assert!(size > self.limit as u64);
                assert_eq!(sha256.len(), 64);
            }
            MemberBytes::Unreadable(why) => {
                assert!(!why.is_empty());
                self.ended = self.stream;
            }
        }
        self.taken += 1;
        true
    }
}

fuzz_target!(|data: &[u8]| {
    for limit in [16, 1 << 16] {
        for compressed in [false, true] {
            let mut check = Check {
                limit,
                stream: true,
                taken: 0,
                ended: false,
            };
            let _ = read_tar(Cursor::new(data), compressed, limit, &mut check);
        }
        let mut check = Check {
            limit,
            stream: false,
            taken: 0,
            ended: false,
        };
        let _ = read_zip(Cursor::new(data), limit, &mut check);
    }
    for line in data.split(|&b| b == b'\n') {
        if let Ok(report) = read_report_line(line) {
            assert!(std::str::from_utf8(line).is_ok());
            assert!(report.codes.len() <= line.len());
        }
    }
});
