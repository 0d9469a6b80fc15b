//! Text helpers shared by every stage: numbers as published, escaping, encoding.

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
    fn numbers_are_formatted_as_published() {
        assert_eq!(format_number(35.6), "35.6");
        assert_eq!(format_number(28.0), "28");
        assert_eq!(format_number(85.25), "85.25");
        assert_eq!(format_number(-0.0001), "0");
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
