//! The hex view: a dump of a buffer with the selected node's bytes highlighted.

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId};

/// Bytes shown at most (from the start of the highlighted range).
pub const WINDOW: usize = 4096;

/// The dump line of the 16 bytes from `row` (a multiple of 16), with `[start, end)` in the
/// highlight colour and nothing past `bytes` or `end`'s row. A view shows only the rows on
/// screen, so a buffer of any size scrolls without being laid out whole.
pub fn row(
    bytes: &[u8],
    row: usize,
    start: usize,
    end: usize,
    highlight: Color32,
    text: Color32,
) -> LayoutJob {
    let mut job = LayoutJob::default();
    line(
        &mut job,
        bytes,
        row,
        [start, end],
        usize::MAX,
        [highlight, text],
    );
    job
}

/// Appends the dump line of the 16 bytes from `row` to `job`: `range` marked, nothing at or
/// past `limit`; `colours` are the highlight and the text colour.
fn line(
    job: &mut LayoutJob,
    bytes: &[u8],
    row: usize,
    range: [usize; 2],
    limit: usize,
    colours: [Color32; 2],
) {
    let [highlight, text] = colours;
    let font = FontId::monospace(12.0);
    let plain = TextFormat {
        font_id: font.clone(),
        color: text,
        ..Default::default()
    };
    let marked = TextFormat {
        font_id: font,
        color: text,
        background: highlight,
        ..Default::default()
    };
    let byte = |i: usize| bytes.get(i).filter(|_| i < limit);
    job.append(&format!("{row:08x}  "), 0.0, plain.clone());
    for i in row..row + 16 {
        let fmt = if i >= range[0] && i < range[1] {
            &marked
        } else {
            &plain
        };
        let cell = match byte(i) {
            Some(b) => format!("{b:02x}"),
            None => "  ".into(),
        };
        job.append(&cell, 0.0, fmt.clone());
        job.append(if i % 16 == 7 { "  " } else { " " }, 0.0, plain.clone());
    }
    let ascii: String = (row..row + 16)
        .map(|i| match byte(i) {
            Some(&b) if (0x20..0x7f).contains(&b) => b as char,
            Some(_) => '.',
            None => ' ',
        })
        .collect();
    job.append(&format!(" {ascii}"), 0.0, plain);
}

/// One dump line per 16 bytes from the row holding `start`, up to `WINDOW` bytes, with
/// `[start, end)` in the highlight colour.
pub fn dump(
    bytes: &[u8],
    start: usize,
    end: usize,
    highlight: Color32,
    text: Color32,
) -> LayoutJob {
    let mut job = LayoutJob::default();
    let from = (start / 16) * 16;
    let to = end.min(start.saturating_add(WINDOW)).min(bytes.len());
    let mut r = from;
    while r < to {
        line(&mut job, bytes, r, [start, end], to, [highlight, text]);
        job.append(
            "\n",
            0.0,
            TextFormat {
                font_id: FontId::monospace(12.0),
                color: text,
                ..Default::default()
            },
        );
        r += 16;
    }
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_start_at_the_range_and_mark_it() {
        let bytes: Vec<u8> = (0u8..64).collect();
        let job = dump(&bytes, 18, 20, Color32::YELLOW, Color32::BLACK);
        assert!(
            job.text.starts_with("00000010  10 11 12 13"),
            "{}",
            job.text
        );
        assert_eq!(job.text.lines().count(), 1);
        let marked: Vec<&str> = job
            .sections
            .iter()
            .filter(|s| s.format.background == Color32::YELLOW)
            .map(|s| &job.text[s.byte_range.start.0..s.byte_range.end.0])
            .collect();
        assert_eq!(marked, ["12", "13"]);
        // One row of a view: the whole row of bytes, the range marked the same.
        let one = row(&bytes, 16, 18, 20, Color32::YELLOW, Color32::BLACK);
        assert_eq!(
            one.text,
            "00000010  10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f  ................"
        );
        let marked: Vec<&str> = one
            .sections
            .iter()
            .filter(|s| s.format.background == Color32::YELLOW)
            .map(|s| &one.text[s.byte_range.start.0..s.byte_range.end.0])
            .collect();
        assert_eq!(marked, ["12", "13"]);
    }
}
