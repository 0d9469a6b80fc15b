//! A page's template values with a fingerprint of everything inserted: two pages with the same
//! template and fingerprint render to the same bytes, which lets `serve` skip them. A build
//! that keeps nothing for a next one makes no fingerprint: hashing every value costs a
//! serialisation of the whole page's values. A page the preview has already rendered makes its
//! fingerprint alone first: converting the values for the engine costs as much again, and
//! is needed only when the fingerprint changed. The hash is rustc's Fx hash, not the standard
//! library's SipHash: the keys are our own pages, not an attacker's, and SipHash was a
//! fourteenth of a save's rebuild.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

use serde::Serialize;
use tera::Context;

pub struct PageContext {
    pub context: Context,
    hasher: Option<FxHasher>,
    /// Whether the values go into `context`, or only into the fingerprint.
    values: bool,
}

/// Feeds serialised JSON into a hasher without building the string.
struct HashWriter<'a>(&'a mut FxHasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Hashes a value by its JSON form (what templates see of it).
fn hash_value<T: Serialize + ?Sized>(hasher: &mut FxHasher, value: &T) {
    // Serialising our own views into a hasher cannot fail.
    let _ = serde_json::to_writer(HashWriter(hasher), value);
}

impl PageContext {
    /// Values with a fingerprint.
    pub fn new() -> Self {
        PageContext::with_fingerprint(true)
    }

    pub fn with_fingerprint(fingerprint: bool) -> Self {
        PageContext {
            context: Context::new(),
            hasher: fingerprint.then(FxHasher::default),
            values: true,
        }
    }

    /// The fingerprint without the values: `context` stays empty.
    pub fn fingerprint_only() -> Self {
        PageContext {
            values: false,
            ..PageContext::new()
        }
    }

    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if let Some(hasher) = &mut self.hasher {
            key.hash(hasher);
            hash_value(hasher, value);
        }
        if self.values {
            self.context.insert(key, value);
        }
    }

    /// The fingerprint of the values; 0 for values made without one.
    pub fn fingerprint(&self) -> u64 {
        self.hasher.as_ref().map_or(0, Hasher::finish)
    }
}
