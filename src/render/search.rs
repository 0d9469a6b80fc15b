//! Site search for Chinese text, built at build time: every page worth finding becomes a
//! document; its text is indexed by CJK bigrams (Chinese has no spaces, so 黑臭水体 is found as
//! 黑臭·臭水·水体 inside running text) and by lower-case Latin words and numbers (pm2.5, 2024).
//! The index is split into shards by token, and the documents into chunks, so that a query
//! loads only the shards of its own tokens and the chunks of its results.
//!
//! Files under `search/`: `meta.json`; `index/{shard}.json`, an object from token to the
//! numbers of the documents that contain it, ascending and delta-encoded (the first number,
//! then each one's distance from the one before), because postings of common bigrams are long
//! and dense and small gaps are one or two digits where the numbers are four or five;
//! `docs/{chunk}.json`, the documents in order, `CHUNK` to a file.
//!
//! Building it is a hot part of a large build (every bigram of every page), so tokens are not
//! spelled out as strings while the index grows: a bigram is its two code points packed in a
//! `u64`, a Latin word is looked up in a table of the words seen so far, and each token's
//! posting list grows in document order, so it is already sorted. Only each distinct token is
//! spelled out, once, for its shard and its key in the file.

use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

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

/// A query loads one shard per token: 256 keep each shard (and so each query) small, at the
/// cost of files that are cheap to write.
pub const SHARDS: u32 = 256;
pub const CHUNK: usize = 64;
/// Text kept per document for passages: enough for a paragraph around any match. The browser
/// also checks each query word against this text (the index alone cannot tell 黑臭水体 from
/// 黑臭 and 水体 apart), so what it keeps decides what is found.
const MAX_TEXT: usize = 6000;

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// A token before it is spelled out: a CJK bigram or lone character, or a Latin word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    /// The first code point in the high half, the second in the low half (0 for a lone
    /// character: no CJK character is U+0000).
    Cjk(u64),
    Word(&'a str),
}

fn pack(first: char, second: Option<char>) -> u64 {
    (u64::from(u32::from(first)) << 32) | u64::from(second.map_or(0, u32::from))
}

impl Token<'_> {
    fn spell(self, out: &mut String) {
        match self {
            Token::Cjk(key) => {
                // Both halves came from a `char`, so they are code points.
                out.extend(
                    [(key >> 32) as u32, key as u32]
                        .into_iter()
                        .filter(|&c| c != 0)
                        .filter_map(char::from_u32),
                );
            }
            Token::Word(w) => out.push_str(w),
        }
    }
}

/// The tokeniser, fed one character at a time so that a title and a text are tokenised as if
/// joined by a space, without joining them.
#[derive(Default)]
struct Tokeniser {
    /// The last character of the current CJK run, and whether it is the run's only one.
    run: Option<(char, bool)>,
    word: String,
}

impl Tokeniser {
    fn push(&mut self, c: char, emit: &mut impl FnMut(Token<'_>)) {
        if is_cjk(c) {
            self.flush_word(emit);
            self.run = Some(match self.run {
                Some((prev, _)) => {
                    emit(Token::Cjk(pack(prev, Some(c))));
                    (c, false)
                }
                None => (c, true),
            });
        } else if c.is_ascii_alphanumeric() || (c == '.' && !self.word.is_empty()) {
            self.flush_run(emit);
            self.word.push(c.to_ascii_lowercase());
        } else {
            self.flush_run(emit);
            self.flush_word(emit);
        }
    }

    fn finish(&mut self, emit: &mut impl FnMut(Token<'_>)) {
        self.flush_run(emit);
        self.flush_word(emit);
    }

    fn flush_run(&mut self, emit: &mut impl FnMut(Token<'_>)) {
        if let Some((c, true)) = self.run.take() {
            emit(Token::Cjk(pack(c, None)));
        }
    }

    fn flush_word(&mut self, emit: &mut impl FnMut(Token<'_>)) {
        let w = self.word.trim_matches('.');
        if !w.is_empty() {
            emit(Token::Word(w));
        }
        self.word.clear();
    }
}

/// The tokens of a text: CJK bigrams (a lone CJK character stands for itself) and Latin words
/// with digits and dots (`pm2.5`). The browser's search script does exactly the same.
pub fn tokens(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut emit = |t: Token<'_>| {
        let mut s = String::new();
        t.spell(&mut s);
        out.insert(s);
    };
    let mut tokeniser = Tokeniser::default();
    for c in text.chars() {
        tokeniser.push(c, &mut emit);
    }
    tokeniser.finish(&mut emit);
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

/// A multiplicative hash (as in rustc's FxHash) for the index's own maps: the keys are short
/// and not chosen by an attacker, and the default SipHash was a visible share of the build.
#[derive(Default)]
struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn finish(&self) -> u64 {
        // The table picks buckets by the low bits, which a multiplication mixes least.
        self.0.rotate_left(26)
    }
}

type Fast = BuildHasherDefault<FastHasher>;

/// The inverted index while it grows: each distinct token gets a number, its spelling and its
/// posting list.
#[derive(Default)]
struct Index {
    cjk: HashMap<u64, u32, Fast>,
    words: HashMap<Box<str>, u32, Fast>,
    spelled: Vec<String>,
    postings: Vec<Vec<u32>>,
}

impl Index {
    fn add(&mut self, token: Token<'_>, doc: u32) {
        let known = match token {
            Token::Cjk(key) => self.cjk.get(&key),
            Token::Word(w) => self.words.get(w),
        };
        let id = match known {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.spelled.len()).unwrap_or(u32::MAX);
                match token {
                    Token::Cjk(key) => self.cjk.insert(key, id),
                    Token::Word(w) => self.words.insert(w.into(), id),
                };
                let mut s = String::new();
                token.spell(&mut s);
                self.spelled.push(s);
                self.postings.push(Vec::new());
                id
            }
        };
        let list = &mut self.postings[id as usize];
        // Documents come in order: a repeat of the token in the same document is the last entry.
        if list.last() != Some(&doc) {
            list.push(doc);
        }
    }

    /// One shard file: its tokens in byte order (so the output is the same on every build),
    /// each with its delta-encoded postings.
    fn shard_file(&self, ids: &mut [u32]) -> Vec<u8> {
        ids.sort_unstable_by(|&a, &b| self.spelled[a as usize].cmp(&self.spelled[b as usize]));
        let mut out = Vec::new();
        out.push(b'{');
        for (i, &id) in ids.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            // Tokens are CJK characters and [a-z0-9.]: nothing to escape in a JSON string.
            out.push(b'"');
            out.extend_from_slice(self.spelled[id as usize].as_bytes());
            out.extend_from_slice(b"\":[");
            let mut prev = 0;
            for (j, &doc) in self.postings[id as usize].iter().enumerate() {
                if j > 0 {
                    out.push(b',');
                }
                push_number(&mut out, doc - prev);
                prev = doc;
            }
            out.push(b']');
        }
        out.push(b'}');
        out
    }
}

fn push_number(out: &mut Vec<u8>, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// A document as its chunk stores it: borrowed, the text cut to `MAX_TEXT` characters.
#[derive(Serialize)]
struct Stored<'a> {
    url: &'a str,
    title: &'a str,
    section: &'a str,
    text: &'a str,
}

fn first_chars(text: &str, n: usize) -> &str {
    // No shorter in characters than in bytes: most texts need no walk at all.
    if text.len() <= n {
        return text;
    }
    text.char_indices()
        .nth(n)
        .map_or(text, |(at, _)| &text[..at])
}

/// The index files, by output path under `search/`.
pub fn index_files(documents: &[Document]) -> Vec<(String, Vec<u8>)> {
    let mut index = Index::default();
    let mut tokeniser = Tokeniser::default();
    for (n, doc) in documents.iter().enumerate() {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        let mut emit = |t: Token<'_>| index.add(t, n);
        let text = doc.title.chars().chain([' ']).chain(doc.text.chars());
        for c in text {
            tokeniser.push(c, &mut emit);
        }
        tokeniser.finish(&mut emit);
    }
    let mut by_shard: Vec<Vec<u32>> = vec![Vec::new(); SHARDS as usize];
    for (id, spelled) in index.spelled.iter().enumerate() {
        by_shard[shard_of(spelled) as usize].push(u32::try_from(id).unwrap_or(u32::MAX));
    }
    let mut files = Vec::with_capacity(by_shard.len() + documents.len() / CHUNK + 2);
    for (shard, mut ids) in by_shard.into_iter().enumerate() {
        files.push((
            format!("search/index/{shard}.json"),
            index.shard_file(&mut ids),
        ));
    }
    for (n, chunk) in documents.chunks(CHUNK).enumerate() {
        let docs: Vec<Stored<'_>> = chunk
            .iter()
            .map(|d| Stored {
                url: &d.url,
                title: &d.title,
                section: &d.section,
                text: first_chars(&d.text, MAX_TEXT),
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
    use std::collections::BTreeMap;

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

    /// The index as it was first written, kept as the reference for the faster one: the
    /// tokens as a set of strings, a sorted map from token to the documents that contain it.
    mod reference {
        use std::collections::{BTreeMap, BTreeSet};

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
                if super::is_cjk(c) {
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

        pub fn index(docs: &[super::Document]) -> BTreeMap<String, Vec<usize>> {
            let mut map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (n, doc) in docs.iter().enumerate() {
                for token in tokens(&format!("{} {}", doc.title, doc.text)) {
                    map.entry(token).or_default().push(n);
                }
            }
            map
        }

        /// The documents with every token of the query: what the browser asks the index.
        pub fn search(docs: &[super::Document], query: &str) -> Vec<usize> {
            let wanted = tokens(query);
            (0..docs.len())
                .filter(|&n| {
                    let have = tokens(&format!("{} {}", docs[n].title, docs[n].text));
                    wanted.is_subset(&have)
                })
                .collect()
        }
    }

    /// The postings of every token, read back from the shard files as the browser reads them.
    fn read_index(files: &[(String, Vec<u8>)]) -> BTreeMap<String, Vec<usize>> {
        let mut all = BTreeMap::new();
        for (path, bytes) in files {
            let Some(shard) = path
                .strip_prefix("search/index/")
                .and_then(|p| p.strip_suffix(".json"))
            else {
                continue;
            };
            let map: BTreeMap<String, Vec<usize>> = serde_json::from_slice(bytes).unwrap();
            for (token, deltas) in map {
                assert_eq!(
                    shard_of(&token).to_string(),
                    shard,
                    "{token} in shard {shard}"
                );
                let mut at = 0;
                let docs = deltas
                    .iter()
                    .map(|d| {
                        at += d;
                        at
                    })
                    .collect();
                all.insert(token, docs);
            }
        }
        all
    }

    fn search(index: &BTreeMap<String, Vec<usize>>, query: &str) -> Vec<usize> {
        let lists: Vec<&Vec<usize>> = tokens(query)
            .iter()
            .map(|t| index.get(t).unwrap_or(const { &Vec::new() }))
            .collect();
        let Some((first, rest)) = lists.split_first() else {
            return Vec::new();
        };
        first
            .iter()
            .copied()
            .filter(|d| rest.iter().all(|l| l.binary_search(d).is_ok()))
            .collect()
    }

    /// Pages made of words of the bureau's vocabulary, Latin words and numbers and punctuation
    /// in between, from a fixed seed.
    fn sample_documents(count: usize) -> Vec<Document> {
        const WORDS: [&str; 24] = [
            "黑臭水体",
            "超低排放",
            "细颗粒物",
            "PM2.5",
            "pm10",
            "2024",
            "35.6",
            "芜湖",
            "水",
            "臭",
            "生态保护红线",
            "，",
            "。",
            " ",
            "v1.2.",
            "..x",
            "COD",
            "㐀",
            "豈",
            "氮氧化物",
            "（",
            "）",
            "A.B.C",
            "整治",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        (0..count)
            .map(|n| {
                let mut text = String::new();
                for _ in 0..next(40) {
                    text.push_str(WORDS[next(WORDS.len())]);
                }
                Document {
                    url: format!("/p/{n}/"),
                    title: WORDS[next(WORDS.len())].to_string(),
                    section: "工作进展".into(),
                    text,
                }
            })
            .collect()
    }

    #[test]
    fn tokens_are_those_of_the_reference() {
        for text in [
            "",
            "水",
            "水 体",
            "黑臭水体",
            "PM2.5，pm10。",
            "v1.2.3...",
            "...",
            ".5",
            "a..b",
            "Ａ全角",
            "㐀豈𠀀",
            "细颗粒物(PM2.5)平均浓度35.6微克，2024年。",
        ] {
            assert_eq!(tokens(text), reference::tokens(text), "{text:?}");
        }
        for doc in sample_documents(200) {
            assert_eq!(tokens(&doc.text), reference::tokens(&doc.text));
        }
    }

    #[test]
    fn index_finds_what_the_reference_finds() {
        let docs = sample_documents(700);
        let files = index_files(&docs);
        let index = read_index(&files);
        assert_eq!(
            index,
            reference::index(&docs),
            "every token, every document"
        );
        for query in [
            "黑臭水体",
            "超低排放",
            "PM2.5",
            "pm2.5 芜湖",
            "水",
            "臭水",
            "v1.2",
            "豈",
            "2024 35.6",
            "火星基地",
        ] {
            assert_eq!(
                search(&index, query),
                reference::search(&docs, query),
                "{query}"
            );
        }
        assert!(!search(&index, "黑臭水体").is_empty());
    }

    #[test]
    fn chunks_keep_the_documents_in_order() {
        let docs = sample_documents(CHUNK + 3);
        let files = index_files(&docs);
        let chunk = |n: usize| -> Vec<serde_json::Value> {
            let path = format!("search/docs/{n}.json");
            serde_json::from_slice(&files.iter().find(|(p, _)| *p == path).unwrap().1).unwrap()
        };
        assert_eq!(chunk(0).len(), CHUNK);
        assert_eq!(chunk(1).len(), 3);
        assert_eq!(chunk(1)[2]["url"], docs[CHUNK + 2].url);
        assert_eq!(chunk(1)[2]["text"], docs[CHUNK + 2].text);
    }
}
