//! STOMP frames: every frame lies inside the input, bodies inside their frames.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::wire::stomp;

fuzz_target!(|data: &[u8]| {
    if let Ok(frames) = stomp::parse_frames(data, 64) {
        for f in frames {
            assert!(f.start <= f.body_start && f.body_start <= f.body_end);
            assert!(f.body_end <= f.end && f.end <= data.len());
        }
    }
});
