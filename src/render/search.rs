//! Site search for Chinese text, built at build time: every page worth finding becomes a
//! document; its text is indexed by CJK bigrams (Chinese has no spaces, so 黑臭水体 is found as
//! 黑臭·臭水·水体 inside running text) and by lower-case Latin words and numbers (pm2.5, 2024).
//! The index is split into shards by token, and the documents into chunks, so that a query
//! loads only the shards of its own tokens and the chunks of its results.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::json;

/// A page as search sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub url: String,
    pub title: String,
    /// The section it belongs to (工作进展, 目标完成情况, …).
    pub section: String,
    /// Plain text, for matching and for the passage shown in results.
    pub text: String,
}

pub const SHARDS: u32 = 64;
pub const CHUNK: usize = 64;
/// Text kept per document for passages: enough for a paragraph around any match.
const MAX_TEXT: usize = 6000;

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// The tokens of a text: CJK bigrams (a lone CJK character stands for itself) and Latin words
/// with digits and dots (`pm2.5`). The browser's search script does exactly the same.
pub fn tokens(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_run = |run: &mut Vec<char>, out: &mut BTreeSet<String>| {
        if run.len() == 1 {
            out.insert(run[0].to_string());
        }
        for pair in run.windows(2) {
            out.insert(pair.iter().collect());
        }
        run.clear();
    };
    let flush_word = |word: &mut String, out: &mut BTreeSet<String>| {
        let w = word.trim_matches('.');
        if !w.is_empty() {
            out.insert(w.to_string());
        }
        word.clear();
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            run.push(c);
        } else if c.is_ascii_alphanumeric() || (c == '.' && !word.is_empty()) {
            flush_run(&mut run, &mut out);
            word.extend(c.to_lowercase());
        } else {
            flush_run(&mut run, &mut out);
            flush_word(&mut word, &mut out);
        }
    }
    flush_run(&mut run, &mut out);
    flush_word(&mut word, &mut out);
    out
}

/// FNV-1a of a token's UTF-8 bytes, modulo the shard count (the script computes the same).
pub fn shard_of(token: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for b in token.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % SHARDS
}

/// The index files, by output path under `search/`.
pub fn index_files(documents: &[Document]) -> Vec<(String, Vec<u8>)> {
    let mut shards: BTreeMap<u32, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
    for (n, doc) in documents.iter().enumerate() {
        for token in tokens(&format!("{} {}", doc.title, doc.text)) {
            shards
                .entry(shard_of(&token))
                .or_default()
                .entry(token)
                .or_default()
                .push(n);
        }
    }
    let mut files = Vec::new();
    for shard in 0..SHARDS {
        let map = shards.remove(&shard).unwrap_or_default();
        files.push((
            format!("search/index/{shard}.json"),
            serde_json::to_vec(&map).unwrap_or_default(),
        ));
    }
    for (n, chunk) in documents.chunks(CHUNK).enumerate() {
        let docs: Vec<_> = chunk
            .iter()
            .map(|d| {
                let text: String = d.text.chars().take(MAX_TEXT).collect();
                json!({ "url": d.url, "title": d.title, "section": d.section, "text": text })
            })
            .collect();
        files.push((
            format!("search/docs/{n}.json"),
            serde_json::to_vec(&docs).unwrap_or_default(),
        ));
    }
    files.push((
        "search/meta.json".into(),
        serde_json::to_vec(
            &json!({ "shards": SHARDS, "chunk": CHUNK, "documents": documents.len() }),
        )
        .unwrap_or_default(),
    ));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_found_inside_running_text() {
        let t = tokens("持续推进无为市纵一河黑臭水体整治");
        for bigram in ["黑臭", "臭水", "水体", "纵一"] {
            assert!(t.contains(bigram), "{bigram}");
        }
        assert!(
            tokens("黑臭水体").is_subset(&t),
            "a query's tokens are all in the text"
        );
        assert!(!tokens("超低排放").is_subset(&t));
    }

    #[test]
    fn latin_words_and_numbers() {
        let t = tokens("细颗粒物(PM2.5)平均浓度35.6微克，2024年。");
        assert!(
            t.contains("pm2.5") && t.contains("35.6") && t.contains("2024"),
            "{t:?}"
        );
        assert_eq!(tokens("PM2.5"), tokens("pm2.5"));
        assert_eq!(
            tokens("水"),
            ["水".to_string()].into_iter().collect::<BTreeSet<_>>()
        );
    }

    #[test]
    fn shards_are_stable_and_in_range() {
        assert_eq!(shard_of("黑臭"), shard_of("黑臭"));
        assert!((0..SHARDS).contains(&shard_of("pm2.5")));
        // FNV-1a reference: "a" → 0xe40c292c.
        assert_eq!(shard_of("a"), 0xe40c_292c % SHARDS);
    }

    #[test]
    fn index_lists_each_document_under_its_tokens() {
        let docs = vec![
            Document {
                url: "/a/".into(),
                title: "黑臭水体".into(),
                section: "工作进展".into(),
                text: "纵一河".into(),
            },
            Document {
                url: "/b/".into(),
                title: "PM2.5".into(),
                section: "目标".into(),
                text: "超低排放".into(),
            },
        ];
        let files = index_files(&docs);
        assert_eq!(
            files
                .iter()
                .filter(|(p, _)| p.starts_with("search/index/"))
                .count(),
            SHARDS as usize
        );
        let shard = format!("search/index/{}.json", shard_of("水体"));
        let bytes = &files.iter().find(|(p, _)| *p == shard).unwrap().1;
        let map: BTreeMap<String, Vec<usize>> = serde_json::from_slice(bytes).unwrap();
        assert_eq!(map["水体"], [0]);
    }
}
