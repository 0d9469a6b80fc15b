//! The rendered site: a sorted map from output path to bytes. It is what `render` produces and
//! what every sink of `crate::output` consumes, so the same input always gives the same map.

use std::collections::BTreeMap;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    /// Adds a file; returns the path back when another file already has it.
    pub fn insert(&mut self, path: String, bytes: Vec<u8>) -> Result<(), String> {
        if self.files.contains_key(&path) {
            return Err(path);
        }
        self.files.insert(path, bytes);
        Ok(())
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }
}
