//! The index against a straightforward reference implementation written here: the same tokens,
//! the same documents for every token, the same chunks.

use super::*;
use std::collections::BTreeMap;

/// Every index file, in the order they are made.
fn collect_files(docs: &[Document]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    index_files(docs, |path, bytes| files.push((path, bytes)));
    files
}

#[test]
fn chinese_is_found_inside_running_text() {
    let t = tokens("持续推进无为市纵一河黑臭水体整治");
    for bigram in ["黑臭", "臭水", "水体", "纵一"] {
        assert!(t.contains(bigram), "{bigram}");
    }
    assert!(
        query_tokens("黑臭水体").is_subset(&t),
        "a query's tokens are all in the text"
    );
    assert!(!query_tokens("超低排放").is_subset(&t));
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
    let parts = tokens("PM2.5 v1.2 NO2");
    for part in ["pm", "2.5", "v", "1.2", "no", "2"] {
        assert!(parts.contains(part), "{part} in {parts:?}");
    }
    assert!(
        !tokens("2024 35.6 abc").contains("35"),
        "plain words are not cut"
    );
}

fn doc(title: &str, text: &str) -> Document<'static> {
    Document {
        url: format!("/{title}/"),
        title: title.into(),
        section: "设施".into(),
        text: text.to_string().into(),
    }
}

#[test]
fn one_character_and_a_number_find_every_page_that_has_them() {
    let docs = vec![
        doc("污水处理厂", "开放时间：每月第一个周六"),
        doc("监测站", "细颗粒物(PM2.5)自动监测；预约电话 0553-1234567"),
        doc("垃圾焚烧", "焚烧发电；废气达标排放"),
        doc("水", "一个字"),
    ];
    let index = read_index(&collect_files(&docs));
    assert_eq!(
        search(&index, "水"),
        [0, 3],
        "at the start, at the end, alone"
    );
    assert_eq!(search(&index, "气"), [2], "at the end of a run");
    assert_eq!(search(&index, "2.5"), [1]);
    assert_eq!(search(&index, "pm"), [1]);
    assert_eq!(search(&index, "预约"), [1]);
    assert_eq!(search(&index, "水 开放"), [0]);
    assert!(search(&index, "火").is_empty());
}

#[test]
fn tokens_that_begin_with_a_character_share_its_shard() {
    assert_eq!(shard_of("水"), shard_of("水体"));
    assert_eq!(shard_of("水"), shard_of("水质"));
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
    let files = collect_files(&docs);
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
            if let Some(last) = run.last() {
                out.insert(last.to_string());
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
                // Runs of letters and of digits, dots going with the run they are in.
                let mut parts: Vec<String> = Vec::new();
                let mut kind = None;
                for c in w.chars() {
                    let k = (c != '.').then(|| c.is_ascii_alphabetic());
                    if k.is_some() && kind.is_some() && k != kind {
                        parts.push(String::new());
                    }
                    if parts.is_empty() {
                        parts.push(String::new());
                    }
                    parts.last_mut().unwrap().push(c);
                    kind = k.or(kind);
                }
                if parts.len() > 1 {
                    out.extend(parts.iter().map(|p| p.trim_matches('.').to_string()));
                }
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
            for token in tokens(&format!("{} {}", doc.title, doc.text.get())) {
                map.entry(token).or_default().push(n);
            }
        }
        map
    }

    /// The documents with every token of the query, a lone CJK character being found
    /// anywhere: what the browser asks the index.
    pub fn search(docs: &[super::Document], query: &str) -> Vec<usize> {
        let wanted = super::query_tokens(query);
        (0..docs.len())
            .filter(|&n| {
                let all = format!("{} {}", docs[n].title, docs[n].text.get());
                let have = tokens(&all);
                wanted.iter().all(|t| {
                    let lone = t.chars().count() == 1 && t.chars().all(super::is_cjk);
                    if lone {
                        all.contains(t.as_str())
                    } else {
                        have.contains(t)
                    }
                })
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

/// What the browser does: each token's documents; a lone CJK character's are those of every
/// token that begins with it.
fn search(index: &BTreeMap<String, Vec<usize>>, query: &str) -> Vec<usize> {
    let lists: Vec<Vec<usize>> = query_tokens(query)
        .iter()
        .map(|t| {
            if t.chars().count() == 1 && t.chars().all(is_cjk) {
                let docs: BTreeSet<usize> = index
                    .iter()
                    .filter(|(k, _)| k.starts_with(t.as_str()))
                    .flat_map(|(_, d)| d.iter().copied())
                    .collect();
                docs.into_iter().collect()
            } else {
                index.get(t).cloned().unwrap_or_default()
            }
        })
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
fn sample_documents(count: usize) -> Vec<Document<'static>> {
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
                text: text.into(),
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
        "pm2.5x3",
        "a1.b2..c",
        "1..2ab",
        "Ａ全角",
        "㐀豈𠀀",
        "细颗粒物(PM2.5)平均浓度35.6微克，2024年。",
    ] {
        assert_eq!(tokens(text), reference::tokens(text), "{text:?}");
    }
    for doc in sample_documents(200) {
        assert_eq!(tokens(&doc.text.get()), reference::tokens(&doc.text.get()));
    }
}

#[test]
fn index_finds_what_the_reference_finds() {
    let docs = sample_documents(700);
    let files = collect_files(&docs);
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
        "臭",
        "体",
        "2.5",
        "pm",
        "1.2",
        "abc",
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
    let files = collect_files(&docs);
    let chunk = |n: usize| -> Vec<serde_json::Value> {
        let path = format!("search/docs/{n}.json");
        serde_json::from_slice(&files.iter().find(|(p, _)| *p == path).unwrap().1).unwrap()
    };
    assert_eq!(chunk(0).len(), CHUNK);
    assert_eq!(chunk(1).len(), 3);
    assert_eq!(chunk(1)[2]["url"], docs[CHUNK + 2].url);
    assert_eq!(chunk(1)[2]["text"], *docs[CHUNK + 2].text.get());
}
