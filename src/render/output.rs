//! The rendered site: a sorted map from output path to bytes, and the [`Sink`] each rendered
//! file is handed to as soon as it is made. A build streams its files to the disk sink, so that
//! it never holds the whole site; the preview, `check` and snapshots collect them into an
//! [`Output`], so the same input always gives the same map.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use bytes::Bytes;

/// Where rendered files go. Called from many threads at once, in no particular order; a sink
/// that can fail keeps its first error and reports it when it is finished.
/// Bytes are shared ([`Bytes`]), so that a page the preview reuses is not copied.
pub trait Sink: Sync {
    fn put(&self, path: String, bytes: Bytes);
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    files: BTreeMap<String, Bytes>,
}

impl Output {
    /// Adds a file; returns the path back when another file already has it.
    pub fn insert(&mut self, path: String, bytes: impl Into<Bytes>) -> Result<(), String> {
        if self.files.contains_key(&path) {
            return Err(path);
        }
        self.files.insert(path, bytes.into());
        Ok(())
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|b| &b[..])
    }

    /// The file at `path`, shared rather than copied.
    pub fn get_shared(&self, path: &str) -> Option<Bytes> {
        self.files.get(path).cloned()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), &b[..]))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Bytes::len).sum()
    }
}

/// The in-memory sink: collects every file into an [`Output`].
#[derive(Default)]
pub struct Collect(Mutex<Output>);

impl Collect {
    pub fn into_output(self) -> Output {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Collect {
    fn put(&self, path: String, bytes: Bytes) {
        let mut output = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Paths reach a sink once: `Unique` has refused the second one already.
        let _ = output.insert(path, bytes);
    }
}

/// What a render handed to its sink: how many files and bytes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub files: usize,
    pub bytes: usize,
}

/// Passes each path to `inner` once and keeps the paths taken twice, so that two files meant
/// for the same place are an error whatever the sink.
pub(crate) struct Unique<'a> {
    inner: &'a dyn Sink,
    seen: Mutex<HashSet<String>>,
    bytes: AtomicUsize,
}

impl<'a> Unique<'a> {
    pub fn new(inner: &'a dyn Sink) -> Self {
        Unique {
            inner,
            seen: Mutex::default(),
            bytes: AtomicUsize::new(0),
        }
    }

    /// Hands the file on; returns the path back when it was taken already.
    pub fn put(&self, path: String, bytes: impl Into<Bytes>) -> Result<(), String> {
        let bytes = bytes.into();
        let new = self
            .seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.clone());
        if !new {
            return Err(path);
        }
        self.bytes.fetch_add(bytes.len(), Ordering::Relaxed);
        self.inner.put(path, bytes);
        Ok(())
    }

    pub fn written(&self) -> Written {
        Written {
            files: self.seen.lock().unwrap_or_else(|e| e.into_inner()).len(),
            bytes: self.bytes.load(Ordering::Relaxed),
        }
    }
}
