//! The sinks: where rendered files go. `disk` streams them into the site folder (and decides
//! which folders it may replace), `lock` keeps one writer per site root, `manifest` writes and reads
//! the SHA-256 sums of archives, `rewrite` writes edited content files back, all or none.

pub mod disk;
pub mod lock;
pub mod manifest;
pub mod rewrite;

pub use crate::render::output::{Collect, Output, Sink, Written};
