//! The generator knows no bureau and no year: everything of a place or a plan year comes from
//! `content/`. A site for another city and year publishes neither 芜湖 nor 2024, and the
//! program's own code names neither.

mod common;

use std::fs;
use std::path::Path;

use common::{build, default_site, ecosite, repo, stderr};

/// Where `needle` stands in `text` as a whole word of digits or letters, not as part of a
/// longer number (a coordinate, a hash).
fn standalone(text: &str, needle: &str) -> Option<usize> {
    text.match_indices(needle).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + needle.len()..].chars().next();
        let part_of_number = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == '.');
        !part_of_number(before) && !part_of_number(after)
    })
}

/// Rewrites every text file of a content tree for another city and year.
fn move_to(root: &Path, city: &str, year: &str) {
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        let path = entry.path();
        let is_text = path.extension().is_some_and(|e| e == "yaml" || e == "md");
        if !is_text {
            continue;
        }
        let text = fs::read_to_string(path).unwrap();
        fs::write(path, text.replace("芜湖", city).replace("2024", year)).unwrap();
    }
    // Folders and files named by the year (environment-day/2024.yaml, images/2024/, …),
    // deepest first so that a folder is renamed after what it holds.
    let mut named: Vec<std::path::PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .contents_first(true)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains("2024"))
        .collect();
    named.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    for path in named {
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace("2024", year);
        fs::rename(&path, path.with_file_name(name)).unwrap();
    }
}

#[test]
fn a_site_for_another_city_and_year_names_neither_wuhu_nor_2024() {
    let site = default_site();
    move_to(site.path(), "马鞍山", "2025");
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        let path = entry.path();
        let readable = path.extension().is_some_and(|e| {
            ["html", "xml", "csv", "txt"].iter().any(|x| e == *x)
                || path.ends_with("datapackage.json")
        });
        if !readable {
            continue;
        }
        pages += 1;
        let text = fs::read_to_string(path).unwrap();
        let name = path.strip_prefix(&out).unwrap().display();
        if let Some(at) = text.find("芜湖") {
            panic!("{name} names 芜湖: …{}…", context(&text, at));
        }
        if let Some(at) = standalone(&text, "2024") {
            panic!("{name} names 2024: …{}…", context(&text, at));
        }
    }
    assert!(pages > 100, "{pages} pages read");
    // And its `check` is as clean as the original's.
    let checked = ecosite(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
}

fn context(text: &str, at: usize) -> String {
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(30)
        .map_or(0, |(i, _)| i);
    text[start..].chars().take(70).collect()
}

/// Code, not comments or tests: what the program itself says.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let end = text.find("#[cfg(test)]").unwrap_or(text.len());
    text[..end]
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l))
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .map(|(n, l)| {
            // A trailing comment, outside any string.
            let mut quoted = false;
            let mut cut = l.len();
            let bytes = l.as_bytes();
            for i in 0..bytes.len() {
                match bytes[i] {
                    b'"' if i == 0 || bytes[i - 1] != b'\\' => quoted = !quoted,
                    b'/' if !quoted && bytes.get(i + 1) == Some(&b'/') => {
                        cut = i;
                        break;
                    }
                    _ => {}
                }
            }
            (n, &l[..cut])
        })
}

#[test]
fn the_program_names_no_bureau_and_no_year() {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(repo().join("src")) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("tests.rs") {
            continue;
        }
        let text = fs::read_to_string(path).unwrap();
        for (n, line) in code_lines(&text) {
            for word in ["芜湖", "Wuhu", "wuhu", "2024"] {
                if line.contains(word) {
                    found.push(format!("{}:{n}: {}", path.display(), line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
