//! A page's template values with a fingerprint of everything inserted: two pages with the same
//! template and fingerprint render to the same bytes, which lets `serve` skip them.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde::Serialize;
use tera::Context;

#[derive(Default)]
pub struct PageContext {
    pub context: Context,
    hasher: DefaultHasher,
}

/// Feeds serialised JSON into a hasher without building the string.
struct HashWriter<'a>(&'a mut DefaultHasher);

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
fn hash_value<T: Serialize + ?Sized>(hasher: &mut DefaultHasher, value: &T) {
    // Serialising our own views into a hasher cannot fail.
    let _ = serde_json::to_writer(HashWriter(hasher), value);
}

impl PageContext {
    pub fn new() -> Self {
        PageContext {
            context: Context::new(),
            hasher: DefaultHasher::new(),
        }
    }

    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        key.hash(&mut self.hasher);
        hash_value(&mut self.hasher, value);
        self.context.insert(key, value);
    }

    pub fn fingerprint(&self) -> u64 {
        self.hasher.finish()
    }
}
