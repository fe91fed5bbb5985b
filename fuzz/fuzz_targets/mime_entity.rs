//! MIME entities: every child range lies inside the entity.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::mime;

fuzz_target!(|data: &[u8]| {
    if let Ok(ent) = mime::parse_entity(data) {
        for c in &ent.children {
            assert!(c.start <= c.end && c.end <= data.len());
        }
        assert!(ent.body_start <= ent.body_end && ent.body_end <= data.len());
    }
    let _ = mime::canonicalise(data);
});
