//! Site search for Chinese text, built at build time: every page worth finding becomes a
//! document; its text is indexed by CJK bigrams (Chinese has no spaces, so 黑臭水体 is found as
//! 黑臭·臭水·水体 inside running text) with the last character of each run, and by lower-case
//! Latin words and numbers (pm2.5, 2024) with their parts (pm, 2.5). The index is split into
//! shards by token (a CJK token by its first character, so that a one-character query finds
//! all the tokens that begin with it in one shard), and the documents into chunks, so that a
//! query loads only the shards of its own tokens and the chunks of its results.
//!
//! Files under `search/`: `meta.json`; `index/{shard}.json`, an object from token to the
//! numbers of the documents that contain it, ascending and delta-encoded (the first number,
//! then each one's distance from the one before), because postings of common bigrams are long
//! and dense and small gaps are one or two digits where the numbers are four or five;
//! `docs/{chunk}.json`, the documents in order, `CHUNK` to a file.
//!
//! Building it is a hot part of a large build (every bigram of every page), so tokens are not
//! spelled out as strings while the index grows: a bigram is its two code points packed in a
//! `u64`, a Latin word is looked up in a table of the words seen so far. Documents are read a
//! batch at a time on every core (text, distinct tokens, their chunk file) and added to the
//! index in order, so each token's posting list grows already sorted, held as the file will
//! have it: delta-encoded, in variable-length bytes. Only each distinct token is spelled out,
//! once, for its shard and its key in the file. A summary's text is made from its Markdown
//! when its batch is read and dropped with the batch: the texts of a large site are never all
//! held at once.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

use crate::content::shortcode;
use crate::model::body::Body;
use crate::text::first_chars;

/// A page as search sees it.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub url: String,
    pub title: String,
    /// The section it belongs to (工作进展, 目标完成情况, …).
    pub section: String,
    /// Plain text, for matching and for the passage shown in results.
    pub text: Text<'a>,
}

/// A document's text: written out, or a Markdown body of the model, whose text is made only
/// when the index reads it.
#[derive(Debug, Clone)]
pub enum Text<'a> {
    Plain(Cow<'a, str>),
    Markdown(&'a Body),
}

impl Text<'_> {
    pub fn get(&self) -> Cow<'_, str> {
        match self {
            Text::Plain(text) => Cow::Borrowed(text),
            Text::Markdown(body) => Cow::Owned(shortcode::text(body)),
        }
    }
}

impl From<String> for Text<'_> {
    fn from(text: String) -> Self {
        Text::Plain(Cow::Owned(text))
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(text: &'a str) -> Self {
        Text::Plain(Cow::Borrowed(text))
    }
}

impl<'a> From<&'a Body> for Text<'a> {
    fn from(body: &'a Body) -> Self {
        Text::Markdown(body)
    }
}

/// A query loads one shard per token: 256 keep each shard (and so each query) small, at the
/// cost of files that are cheap to write.
pub const SHARDS: u32 = 256;
pub const CHUNK: usize = 64;
/// Chunks read at once, on every core, before their tokens join the index.
const BATCH: usize = 16;
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
    /// The last character of the current CJK run.
    run: Option<char>,
    word: String,
}

impl Tokeniser {
    fn push(&mut self, c: char, emit: &mut impl FnMut(Token<'_>)) {
        if is_cjk(c) {
            self.flush_word(emit);
            if let Some(prev) = self.run {
                emit(Token::Cjk(pack(prev, Some(c))));
            }
            self.run = Some(c);
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

    /// A run's last character stands alone as well: every other character of the run begins a
    /// bigram, so a one-character query (水) finds every page that has it by this token and the
    /// bigrams that begin with it, all in one shard (see `shard_of`).
    fn flush_run(&mut self, emit: &mut impl FnMut(Token<'_>)) {
        if let Some(c) = self.run.take() {
            emit(Token::Cjk(pack(c, None)));
        }
    }

    /// A word mixing letters and digits also gives its runs of letters and of digits (pm2.5:
    /// pm, 2.5; a dot stays in the run it is in), so that a reader who types only the number
    /// finds it.
    fn flush_word(&mut self, emit: &mut impl FnMut(Token<'_>)) {
        let w = self.word.trim_matches('.');
        if !w.is_empty() {
            emit(Token::Word(w));
            let (mut start, mut letters) = (0, None);
            for (i, b) in w.bytes().enumerate() {
                if b == b'.' {
                    continue;
                }
                let is_letter = b.is_ascii_alphabetic();
                if letters.is_some_and(|l| l != is_letter) {
                    emit(Token::Word(w[start..i].trim_matches('.')));
                    start = i;
                }
                letters = Some(is_letter);
            }
            if start > 0 {
                emit(Token::Word(&w[start..]));
            }
        }
        self.word.clear();
    }
}

/// The tokens a page is indexed under: CJK bigrams and the last character of each CJK run,
/// Latin words with digits and dots (`pm2.5`) and their parts (`pm`, `2.5`).
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

/// The tokens the browser's search script looks up for a query (it does exactly the same):
/// the bigrams of each CJK run, a lone CJK character (which stands for every token that begins
/// with it), Latin words as the index has them.
pub fn query_tokens(query: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, out: &mut BTreeSet<String>| {
        if let [c] = run[..] {
            out.insert(c.to_string());
        }
        out.extend(run.windows(2).map(|p| p.iter().collect::<String>()));
        run.clear();
    };
    let mut rest = String::new();
    for c in query.chars() {
        if is_cjk(c) {
            run.push(c);
            rest.push(' ');
        } else {
            flush(&mut run, &mut out);
            rest.push(c);
        }
    }
    flush(&mut run, &mut out);
    out.extend(tokens(&rest));
    out
}

/// FNV-1a of a token's UTF-8 bytes, modulo the shard count (the script computes the same). A
/// CJK token is placed by its first character alone, so that all the tokens that begin with a
/// character are in one shard: a one-character query loads one file.
pub fn shard_of(token: &str) -> u32 {
    let key = match token.chars().next() {
        Some(c) if is_cjk(c) => &token[..c.len_utf8()],
        _ => token,
    };
    let mut hash: u32 = 0x811c_9dc5;
    for b in key.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % SHARDS
}

/// The index's own maps use rustc's Fx hash: the keys are short and not chosen by an attacker,
/// and the default SipHash was a visible share of the build.
type Fast = rustc_hash::FxBuildHasher;

/// What the index takes from one document: its distinct tokens, owned so that documents can be
/// read on other threads, and compact, since a batch of them is held at once.
#[derive(Default)]
struct DocTokens {
    cjk: Box<[u64]>,
    words: Box<[Box<str>]>,
}

fn distinct_tokens(title: &str, text: &str) -> DocTokens {
    let (mut cjk, mut words) = (Vec::new(), Vec::new());
    let mut emit = |t: Token<'_>| match t {
        Token::Cjk(key) => cjk.push(key),
        Token::Word(w) => words.push(Box::<str>::from(w)),
    };
    let mut tokeniser = Tokeniser::default();
    for c in title.chars().chain([' ']).chain(text.chars()) {
        tokeniser.push(c, &mut emit);
    }
    tokeniser.finish(&mut emit);
    cjk.sort_unstable();
    cjk.dedup();
    words.sort_unstable();
    words.dedup();
    DocTokens {
        cjk: cjk.into_boxed_slice(),
        words: words.into_boxed_slice(),
    }
}

/// The inverted index while it grows: each distinct token gets a number, its spelling and its
/// posting list, delta-encoded as the file writes it, each number in LEB128 bytes (a quarter
/// of the memory of `u32`s: most gaps of a common bigram are below 128).
#[derive(Default)]
struct Index {
    cjk: HashMap<u64, u32, Fast>,
    words: HashMap<Box<str>, u32, Fast>,
    spelled: Vec<String>,
    postings: Vec<Vec<u8>>,
    /// The last document of each token's postings.
    last: Vec<u32>,
}

impl Index {
    /// Adds a document's distinct tokens; documents come in order.
    fn add(&mut self, tokens: DocTokens, doc: u32) {
        for key in tokens.cjk {
            let id = match self.cjk.get(&key) {
                Some(&id) => id,
                None => {
                    let id = self.new_token(Token::Cjk(key));
                    self.cjk.insert(key, id);
                    id
                }
            };
            self.post(id, doc);
        }
        for word in tokens.words {
            let id = match self.words.get(&word) {
                Some(&id) => id,
                None => {
                    let id = self.new_token(Token::Word(&word));
                    self.words.insert(word, id);
                    id
                }
            };
            self.post(id, doc);
        }
    }

    fn new_token(&mut self, token: Token<'_>) -> u32 {
        let mut s = String::new();
        token.spell(&mut s);
        self.spelled.push(s);
        self.postings.push(Vec::new());
        self.last.push(0);
        u32::try_from(self.spelled.len() - 1).unwrap_or(u32::MAX)
    }

    fn post(&mut self, id: u32, doc: u32) {
        let id = id as usize;
        push_varint(&mut self.postings[id], doc - self.last[id]);
        self.last[id] = doc;
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
            let mut bytes = self.postings[id as usize].as_slice();
            let mut first = true;
            while let Some(gap) = next_varint(&mut bytes) {
                if !first {
                    out.push(b',');
                }
                first = false;
                push_number(&mut out, gap);
            }
            out.push(b']');
        }
        out.push(b'}');
        out
    }
}

fn push_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n & 0x7f) as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn next_varint(bytes: &mut &[u8]) -> Option<u32> {
    let mut n = 0u32;
    let mut shift = 0;
    loop {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        n |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(n);
        }
        shift += 7;
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

/// The index files, each handed to `emit` with its output path under `search/` as soon as it is
/// made, so that the whole index is never held at once.
pub fn index_files(documents: &[Document], mut emit: impl FnMut(String, Vec<u8>)) {
    let mut index = Index::default();
    let mut n: u32 = 0;
    for (b, batch) in documents.chunks(CHUNK * BATCH).enumerate() {
        let read: Vec<(Vec<DocTokens>, Vec<u8>)> = batch
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut tokens = Vec::with_capacity(chunk.len());
                let mut stored = Vec::with_capacity(chunk.len());
                let texts: Vec<Cow<str>> = chunk.iter().map(|d| d.text.get()).collect();
                for (d, text) in chunk.iter().zip(&texts) {
                    tokens.push(distinct_tokens(&d.title, text));
                    stored.push(Stored {
                        url: &d.url,
                        title: &d.title,
                        section: &d.section,
                        text: first_chars(text, MAX_TEXT),
                    });
                }
                (tokens, serde_json::to_vec(&stored).unwrap_or_default())
            })
            .collect();
        for (c, (tokens, chunk_file)) in read.into_iter().enumerate() {
            for doc in tokens {
                index.add(doc, n);
                n += 1;
            }
            emit(format!("search/docs/{}.json", b * BATCH + c), chunk_file);
        }
    }
    let mut by_shard: Vec<Vec<u32>> = vec![Vec::new(); SHARDS as usize];
    for (id, spelled) in index.spelled.iter().enumerate() {
        by_shard[shard_of(spelled) as usize].push(u32::try_from(id).unwrap_or(u32::MAX));
    }
    for (shard, mut ids) in by_shard.into_iter().enumerate() {
        emit(
            format!("search/index/{shard}.json"),
            index.shard_file(&mut ids),
        );
    }
    emit(
        "search/meta.json".into(),
        serde_json::to_vec(
            &json!({ "shards": SHARDS, "chunk": CHUNK, "documents": documents.len() }),
        )
        .unwrap_or_default(),
    );
}

#[cfg(test)]
mod tests;
