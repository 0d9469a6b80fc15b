//! A Markdown body in the model: its text, held compressed, and its excerpt. Its HTML and plain
//! text are made where a page or the search index needs them (`content::shortcode::html` and
//! `::text`), not held: on a site of 50,000 summaries the bodies were most of the memory of a
//! build, and the Markdown itself, held as written, was still half of it.

use std::sync::Arc;

/// The length of an excerpt in characters: about two lines on a phone.
pub const EXCERPT_CHARS: usize = 90;

/// A Markdown body as the content stage read and checked it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    /// The Markdown, as written in its file after the front matter.
    pub markdown: Packed,
    /// Whether raw HTML is kept as written (`unsafe_html: true`).
    pub raw_html: bool,
    /// The first [`EXCERPT_CHARS`] characters of its plain text, with `…` when there is more:
    /// what cards, descriptions and feeds show.
    pub excerpt: String,
}

impl Body {
    pub fn markdown(&self) -> String {
        self.markdown.unpack()
    }
}

/// A text kept LZ4-compressed: about half the memory of the text for Chinese prose, and read
/// back at over a gigabyte a second, so that a page or the search index unpacks it where it
/// reads it. Clones share the bytes.
#[derive(Debug, Clone)]
pub struct Packed(Arc<[u8]>);

impl Packed {
    pub fn new(text: &str) -> Self {
        Packed(lz4_flex::block::compress_prepend_size(text.as_bytes()).into())
    }

    pub fn unpack(&self) -> String {
        // Only `new` makes the bytes, from a `str`: reading them back cannot fail.
        let bytes = lz4_flex::block::decompress_size_prepended(&self.0)
            .expect("packed text is a compressed block made by Packed::new");
        String::from_utf8(bytes).expect("packed text was a str")
    }

    /// Whether both are the same text; clones of one `Packed` are compared without reading.
    pub fn same(&self, other: &Packed) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

/// Equal texts are packed into equal bytes (the compression is deterministic).
impl PartialEq for Packed {
    fn eq(&self, other: &Self) -> bool {
        self.same(other)
    }
}

impl Default for Packed {
    fn default() -> Self {
        Packed::new("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_text_reads_back_as_written() {
        assert_eq!(Packed::default().unpack(), "");
        for text in [
            "",
            "正文",
            "## 一、主要进展\n\n落实方案。\n\n| a | b |\n|---|---|\n",
            &"芜湖".repeat(5000),
        ] {
            assert_eq!(Packed::new(text).unpack(), text);
        }
    }

    #[test]
    fn prose_is_held_in_less_than_its_size() {
        let text = "管网核安全机制黑臭水体塑料断面志愿服务排查强化整治辐射任务。".repeat(40);
        assert!(Packed::new(&text).0.len() < text.len() / 2);
    }

    #[test]
    fn equal_texts_are_the_same_and_others_are_not() {
        let a = Packed::new("第一季度");
        assert!(a.same(&a.clone()));
        assert!(a.same(&Packed::new("第一季度")));
        assert!(!a.same(&Packed::new("第二季度")));
    }
}
