//! A Markdown body in the model: where it is in its file, and its excerpt. Its HTML and plain
//! text are made where a page or the search index needs them (`content::shortcode::html` and
//! `::text`), not held: on a site of 50,000 summaries they were most of the memory of a build.

use std::ops::Range;
use std::sync::Arc;

/// The length of an excerpt in characters: about two lines on a phone.
pub const EXCERPT_CHARS: usize = 90;

/// A Markdown body as the content stage read and checked it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    /// The text of the file it is in (shared with the file's `SourceFile`).
    pub file: Arc<str>,
    /// Where the Markdown is in `file`.
    pub range: Range<usize>,
    /// Whether raw HTML is kept as written (`unsafe_html: true`).
    pub raw_html: bool,
    /// The first [`EXCERPT_CHARS`] characters of its plain text, with `…` when there is more:
    /// what cards, descriptions and feeds show.
    pub excerpt: String,
}

impl Body {
    pub fn markdown(&self) -> &str {
        self.file.get(self.range.clone()).unwrap_or_default()
    }
}
