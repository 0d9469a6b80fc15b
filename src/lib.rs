//! ecosite: the static report and open-data site generator of the Wuhu Municipal Ecology and
//! Environment Bureau (芜湖市生态环境局).
//!
//! Data flows one way, a folder per stage: [`content`] reads and checks the site root's files
//! into the [`model`] (or into [`diagnostic`]s), [`render`] turns the model into an [`output`]
//! map of path → bytes (pure), and an [`output`] sink stores it. The [`site::Site`] runs the
//! stages once for every command in [`cmd`]. The quarterly collection [`form`] runs the other
//! way: from the model out to a spreadsheet, and from the filled-in spreadsheet back into the
//! content files, through the same checks.

// Diagnostics are returned only when something is wrong, never on the hot path: their size
// does not matter, and boxing them everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod cmd;
pub mod content;
pub mod diagnostic;
pub mod form;
pub mod model;
pub mod output;
pub mod render;
pub mod site;
pub mod source;
pub mod text;
