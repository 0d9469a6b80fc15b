//! What the preview keeps between two loads of the same site root: the files of `content/` as
//! read, so that a save reads again only the files the watcher names; each summary as it was
//! parsed and the unknown-field warnings of each file, by path, with the text they came from
//! (shared, not copied) and a digest of what else the parse depended on. A save changes one
//! file; only that file is parsed again. A text kept from the last load is the same text, not a
//! copy, so comparing it costs nothing; a text read again costs a `memcmp`, cheaper than
//! hashing it. Summaries are most of a large site and most of the cost of its load; indicators
//! are kept too, since parsing their YAML was a tenth of a save's rebuild on the default site.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::content::load::{Loaded, Tree};
use crate::diagnostic::Diagnostic;
use crate::model::indicator::Indicator;
use crate::model::summary::Summary;
use crate::source::SourceFile;

/// A digest of everything a result was made from.
pub fn digest(parts: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    parts.hash(&mut hasher);
    hasher.finish()
}

type Parsed = Result<Arc<Summary>, Vec<Diagnostic>>;
type ParsedIndicator = Result<Indicator, Vec<Diagnostic>>;

/// A result kept for a path, with the text and the digest of the other inputs it came from.
struct Entry<T> {
    text: Arc<str>,
    context: u64,
    value: T,
}

/// The value kept for `path` if it was made from `text` and `context`, else `make`'s, kept.
fn get_or_make<T: Clone>(
    map: &Mutex<HashMap<String, Entry<T>>>,
    file: &SourceFile,
    context: u64,
    make: impl FnOnce() -> T,
) -> (T, bool) {
    let mut kept = map.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(entry) = kept.get_mut(&file.path) {
        if entry.context == context
            && (Arc::ptr_eq(&entry.text, &file.text) || *entry.text == *file.text)
        {
            return (entry.value.clone(), false);
        }
    }
    drop(kept);
    let value = make();
    let entry = Entry {
        text: file.text.clone(),
        context,
        value: value.clone(),
    };
    map.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(file.path.clone(), entry);
    (value, true)
}

#[derive(Default)]
pub struct LoadCache {
    /// The files of `content/` as the last load read them.
    tree: Option<Tree>,
    summaries: Mutex<HashMap<String, Entry<Parsed>>>,
    indicators: Mutex<HashMap<String, Entry<ParsedIndicator>>>,
    unknown: Mutex<HashMap<String, Entry<Vec<Diagnostic>>>>,
    /// How many summaries and indicators were parsed rather than taken from the cache.
    parsed: AtomicUsize,
}

impl LoadCache {
    /// The summary of `file` whose parse depends on `context` besides the file: kept, or
    /// `parse`d now.
    pub(crate) fn summary(
        &self,
        file: &SourceFile,
        context: u64,
        parse: impl FnOnce() -> Parsed,
    ) -> Parsed {
        self.counted(&self.summaries, file, context, parse)
    }

    /// The indicator of `file` whose parse depends on `context` besides the file: kept, or
    /// `parse`d now.
    pub(crate) fn indicator(
        &self,
        file: &SourceFile,
        context: u64,
        parse: impl FnOnce() -> ParsedIndicator,
    ) -> ParsedIndicator {
        self.counted(&self.indicators, file, context, parse)
    }

    /// [`get_or_make`], counting the parses it could not spare.
    fn counted<T: Clone>(
        &self,
        map: &Mutex<HashMap<String, Entry<T>>>,
        file: &SourceFile,
        context: u64,
        parse: impl FnOnce() -> T,
    ) -> T {
        let (parsed, fresh) = get_or_make(map, file, context, parse);
        if fresh {
            self.parsed.fetch_add(1, Ordering::Relaxed);
        }
        parsed
    }

    /// The unknown-field warnings of `file`: kept, or `find`'s.
    pub(crate) fn unknown(
        &self,
        file: &SourceFile,
        find: impl FnOnce() -> Vec<Diagnostic>,
    ) -> Vec<Diagnostic> {
        get_or_make(&self.unknown, file, 0, find).0
    }

    /// How many summaries and indicators were parsed since the last call (the rest came from
    /// the cache).
    pub fn take_parsed(&self) -> usize {
        self.parsed.swap(0, Ordering::Relaxed)
    }

    /// The content of the site at `root`. `changed` lists the paths that changed since the
    /// last load, as the watcher saw them: only those are read again; without it, or when the
    /// tree cannot tell from paths alone, the whole tree is read.
    pub(crate) fn content(
        &mut self,
        root: &Path,
        changed: Option<&[PathBuf]>,
    ) -> (Loaded, Vec<Diagnostic>) {
        let refreshed = match (self.tree.as_mut(), changed) {
            (Some(tree), Some(changed)) if tree.root() == root => tree.refresh(changed),
            _ => None,
        };
        let tree = match (refreshed, self.tree.take()) {
            (Some(_), Some(tree)) => tree,
            _ => Tree::read(root, false),
        };
        let (loaded, found) = tree.loaded();
        // A whole walk or a file gone: forget what the site no longer has.
        if refreshed != Some(false) {
            let paths = (loaded.summaries.iter().map(|s| s.source.path.as_str()))
                .chain(loaded.indicators.iter().map(|f| f.path.as_str()));
            self.keep_only(&paths.collect());
        }
        self.tree = Some(tree);
        (loaded, found)
    }

    /// Forgets the files that are gone, so that the cache holds one site and no more.
    fn keep_only(&mut self, paths: &std::collections::HashSet<&str>) {
        let summaries = self.summaries.get_mut().unwrap_or_else(|e| e.into_inner());
        summaries.retain(|p, _| paths.contains(p.as_str()));
        let unknown = self.unknown.get_mut().unwrap_or_else(|e| e.into_inner());
        unknown.retain(|p, _| paths.contains(p.as_str()));
        let indicators = self.indicators.get_mut().unwrap_or_else(|e| e.into_inner());
        indicators.retain(|p, _| paths.contains(p.as_str()));
    }
}
