//! Text helpers shared by every stage: numbers, file sizes and times as published, escaping,
//! encoding.

use crate::model::period::Date;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Numbers as published: at most two decimals, no trailing zeros (`35.6`, `28`, `85.25`).
pub fn format_number(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// The first `n` characters of `text` (all of it when shorter).
pub fn first_chars(text: &str, n: usize) -> &str {
    // No shorter in characters than in bytes: most texts need no walk at all.
    if text.len() <= n {
        return text;
    }
    text.char_indices()
        .nth(n)
        .map_or(text, |(at, _)| &text[..at])
}

/// The first `length` characters of `text`, with `…` when there is more.
pub fn excerpt(text: &str, length: usize) -> String {
    let kept = first_chars(text, length);
    let mut out = String::with_capacity(kept.len() + '…'.len_utf8());
    out.push_str(kept);
    if kept.len() < text.len() {
        out.push('…');
    }
    out
}

/// A file size as readers see it: `1 KB`, `8.5 KB`, `2.3 MB` (1 KB = 1024 bytes; one decimal,
/// none when it is zero; a small file is a fraction of a KB, never a count of bytes).
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 3] = ["KB", "MB", "GB"];
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    // 1023.96 KB would round to "1024": it is 1 MB.
    while value >= 1023.95 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let text = format!("{:.1}", value.max(if bytes > 0 { 0.1 } else { 0.0 }));
    format!("{} {}", text.trim_end_matches(".0"), UNITS[unit])
}

/// A moment in Beijing time (UTC+8), as the pages write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BeijingTime {
    pub date: Date,
    pub hour: u32,
    pub minute: u32,
}

impl BeijingTime {
    /// Reads an RFC 3339 time (`2024-07-01T16:30:00Z`, or with an offset such as `+08:00`).
    pub fn parse(text: &str) -> Option<BeijingTime> {
        let text = text.trim();
        let date = Date::parse(text.get(..10)?)?;
        let rest = text.get(10..)?.strip_prefix(['T', 't', ' '])?;
        let number = |range: std::ops::Range<usize>| -> Option<i64> {
            let digits = rest.get(range)?;
            digits
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| digits.parse().ok())?
        };
        let (hour, minute) = (number(0..2)?, number(3..5)?);
        if hour > 23 || minute > 59 || rest.get(2..3)? != ":" {
            return None;
        }
        // Seconds and fractions are not shown; only the offset matters.
        let zone = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == ':' || c == '.');
        let offset_minutes = match zone {
            "Z" | "z" => 0,
            _ => {
                let sign = match zone.get(..1)? {
                    "+" => 1,
                    "-" => -1,
                    _ => return None,
                };
                let (h, m) = zone.get(1..)?.split_once(':')?;
                sign * (h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?)
            }
        };
        let minutes = date.days_since_epoch() * 1440 + hour * 60 + minute - offset_minutes + 8 * 60;
        Some(BeijingTime {
            date: Date::from_days_since_epoch(minutes.div_euclid(1440)),
            hour: (minutes.rem_euclid(1440) / 60) as u32,
            minute: (minutes.rem_euclid(60)) as u32,
        })
    }

    /// `2024年7月2日 00:30`
    pub fn chinese(self) -> String {
        format!(
            "{} {:02}:{:02}",
            self.date.chinese(),
            self.hour,
            self.minute
        )
    }
}

/// What a URL path keeps as it is: RFC 3986's unreserved characters and the separator.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');
/// One segment of a path (a file name): a `/` in it is data, not a separator.
const SEGMENT: &AsciiSet = &PATH.add(b'/');

/// Percent-encodes a URL path: everything but ASCII letters, digits, `-._~` and `/`.
pub fn percent_encode_path(text: &str) -> String {
    utf8_percent_encode(text, PATH).to_string()
}

/// Percent-encodes one path segment: like a path, and `/` too.
pub fn percent_encode_segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

/// Decodes `%xx` escapes for showing and comparing: a malformed escape is kept as written and
/// bytes that are not UTF-8 become U+FFFD (a link checker must still name the link).
pub fn percent_decode_lossy(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Decodes `%xx` escapes strictly: `None` for a malformed escape or bytes that are not UTF-8
/// (what a server must refuse rather than guess).
pub fn percent_decode_strict(text: &str) -> Option<String> {
    let malformed = text.match_indices('%').any(|(at, _)| {
        !text
            .get(at + 1..at + 3)
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if malformed {
        return None;
    }
    percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|text| text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_end_with_an_ellipsis_only_when_cut() {
        assert_eq!(excerpt("水质达标", 4), "水质达标");
        assert_eq!(excerpt("水质达标率", 4), "水质达标…");
        assert_eq!(excerpt("", 4), "");
        assert_eq!(excerpt("ab", 0), "…");
        assert!(excerpt(&"水".repeat(200), 90).capacity() <= 90 * 3 + 3);
    }

    #[test]
    fn numbers_are_formatted_as_published() {
        assert_eq!(format_number(35.6), "35.6");
        assert_eq!(format_number(28.0), "28");
        assert_eq!(format_number(85.25), "85.25");
        assert_eq!(format_number(-0.0001), "0");
    }

    #[test]
    fn sizes_are_written_as_readers_expect() {
        assert_eq!(format_size(0), "0 KB");
        assert_eq!(format_size(20), "0.1 KB");
        assert_eq!(format_size(1006), "1 KB");
        assert_eq!(format_size(1024), "1 KB");
        assert_eq!(format_size(8704), "8.5 KB");
        assert_eq!(format_size(1_048_575), "1 MB");
        assert_eq!(format_size(2_411_725), "2.3 MB");
        assert_eq!(format_size(3 * 1024 * 1024 * 1024), "3 GB");
    }

    #[test]
    fn times_are_shown_in_beijing_time() {
        let t = BeijingTime::parse("2024-07-01T16:30:05Z").unwrap();
        assert_eq!(
            t.date.to_string(),
            "2024-07-02",
            "after 16:00 UTC it is the next day"
        );
        assert_eq!(t.chinese(), "2024年7月2日 00:30");
        let t = BeijingTime::parse("2024-12-31T23:59:00Z").unwrap();
        assert_eq!(t.chinese(), "2025年1月1日 07:59");
        let t = BeijingTime::parse("2024-03-01T08:00:00+08:00").unwrap();
        assert_eq!(t.chinese(), "2024年3月1日 08:00");
        let t = BeijingTime::parse("2024-03-01T00:15:00.5-01:00").unwrap();
        assert_eq!(t.chinese(), "2024年3月1日 09:15");
        for bad in [
            "",
            "2024-07-01",
            "2024-07-01T25:00:00Z",
            "2024-07-01T10:00:00",
            "昨天",
        ] {
            assert_eq!(BeijingTime::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn percent_encoding_keeps_what_it_is_told() {
        assert_eq!(percent_encode_path("a/蓝 b-._~"), "a/%E8%93%9D%20b-._~");
        assert_eq!(percent_encode_segment("a/b?"), "a%2Fb%3F");
    }

    #[test]
    fn lossy_decoding_keeps_what_it_cannot_read() {
        assert_eq!(percent_decode_lossy("%E8%93%9D/"), "蓝/");
        assert_eq!(percent_decode_lossy("100%"), "100%");
        assert_eq!(percent_decode_lossy("%zz%ff"), "%zz\u{fffd}");
    }

    #[test]
    fn strict_decoding_refuses_what_it_cannot_read() {
        assert_eq!(percent_decode_strict("%E8%93%9D/").as_deref(), Some("蓝/"));
        assert_eq!(percent_decode_strict("%2e%2E").as_deref(), Some(".."));
        for bad in ["%zz", "%", "%f", "%ff", "a%+f"] {
            assert_eq!(percent_decode_strict(bad), None, "{bad}");
        }
    }
}
