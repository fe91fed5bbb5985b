//! MIME entities: every child range lies inside the entity. The signed part located from the
//! first bytes (`prehash::locate_content`) starts where the full parse's first child starts.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::crypto::prehash;
use sealscope_core::wire::mime;

fuzz_target!(|data: &[u8]| {
    let parsed = mime::parse_entity(data);
    if let Ok(ent) = &parsed {
        for c in &ent.children {
            assert!(c.start <= c.end && c.end <= data.len());
        }
        assert!(ent.body_start <= ent.body_end && ent.body_end <= data.len());
    }
    let _ = mime::canonicalise(data);
    if let Some(prehash::ContentLocation::UntilDelimiter { start, delimiter }) =
        prehash::locate_content(data, data.len())
    {
        assert!(start <= data.len());
        assert!(delimiter.starts_with(b"\n--"));
    }
});
