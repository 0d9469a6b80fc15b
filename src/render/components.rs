//! Markup that Rust inserts into HTML it does not template itself, i.e. the shortcodes inside
//! Markdown bodies, drawn by the theme's components (`templates/components/`) so that the theme
//! owns every tag.

use std::cell::RefCell;

use tera::{Context, Tera, TeraResult};

use crate::content::shortcode::{self, Shortcode};
use crate::model::body::Body;

/// Renders one of the theme's components; `context` holds its arguments by name.
pub fn render(tera: &Tera, component: &str, context: &Context) -> TeraResult<String> {
    tera.render_component(component, context, None, true)
}

/// A Markdown body's HTML with each shortcode replaced by `draw`'s markup; the first error wins.
pub fn expand(body: &Body, draw: impl Fn(&Shortcode) -> TeraResult<String>) -> TeraResult<String> {
    let error = RefCell::new(None);
    let out = shortcode::expand(&shortcode::html(body), |code| {
        draw(code).unwrap_or_else(|e| {
            error.borrow_mut().get_or_insert(e);
            String::new()
        })
    });
    match error.into_inner() {
        Some(e) => Err(e),
        None => Ok(out),
    }
}
