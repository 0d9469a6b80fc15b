//! A Markdown body as rendered by the content stage: its HTML and its plain text.

/// A rendered Markdown body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub html: String,
    /// The body as plain text, for descriptions and feeds.
    pub text: String,
}
