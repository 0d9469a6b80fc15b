//! Manifests: the `SHA256SUMS` file (the format `sha256sum -c` reads) of archives and of
//! published sites, and the digest of the content an archive was made from.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

pub const MANIFEST: &str = "SHA256SUMS";

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `<hex>  <path>` for every file, sorted by path.
pub fn write(files: &BTreeMap<String, Vec<u8>>) -> String {
    write_sums(&sums(files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))))
}

/// Path → hex digest of every file, the parsed form of a manifest.
pub fn sums<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> BTreeMap<String, String> {
    files
        .into_iter()
        .map(|(path, bytes)| (path.to_string(), sha256_hex(bytes)))
        .collect()
}

/// The manifest text of [`sums`], as [`write`] gives it and [`parse`] reads it.
pub fn write_sums(sums: &BTreeMap<String, String>) -> String {
    sums.iter()
        .map(|(path, hex)| format!("{hex}  {path}\n"))
        .collect()
}

/// One name for a whole manifest: the SHA-256 of its text.
pub fn sums_hash(sums: &BTreeMap<String, String>) -> String {
    sha256_hex(write_sums(sums).as_bytes())
}

/// A manifest line that cannot be taken.
#[derive(Debug, PartialEq, Eq)]
pub enum BadLine {
    /// Not `<64 hex digits>  <path>`.
    Malformed(usize),
    /// A path that would name a file outside the archive (`..`, absolute, a drive).
    Outside(usize, String),
}

/// Whether a manifest path stays inside the archive: relative, `/`-separated, no `..`.
fn stays_inside(path: &str) -> bool {
    !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains(':')
        && path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
}

/// The entries of a manifest, path → hex digest; `Err` names the first line that is not one,
/// or names a file outside the archive: a manifest is data, never a way to read other files.
pub fn parse(text: &str) -> Result<BTreeMap<String, String>, BadLine> {
    let mut entries = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (hex, path) = line.split_once("  ").ok_or(BadLine::Malformed(n + 1))?;
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) || path.is_empty() {
            return Err(BadLine::Malformed(n + 1));
        }
        if !stays_inside(path) {
            return Err(BadLine::Outside(n + 1, path.to_string()));
        }
        entries.insert(path.to_string(), hex.to_ascii_lowercase());
    }
    Ok(entries)
}

/// One digest over a set of files (path and bytes, in path order).
pub fn digest(files: &[(String, Vec<u8>)]) -> String {
    let mut sorted: Vec<&(String, Vec<u8>)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut hasher = Sha256::new();
    for (path, bytes) in sorted {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_be_bytes());
        hasher.update(bytes);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digest_and_round_trip() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let mut files = BTreeMap::new();
        files.insert("report.html".to_string(), b"<p>x</p>".to_vec());
        files.insert("data/a.csv".to_string(), b"a,b\r\n".to_vec());
        let text = write(&files);
        assert!(text.starts_with(&format!("{}  data/a.csv\n", sha256_hex(b"a,b\r\n"))));
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed["report.html"], sha256_hex(b"<p>x</p>"));
        assert_eq!(write_sums(&parsed), text);
        assert_eq!(sums_hash(&parsed), sha256_hex(text.as_bytes()));
        assert_eq!(parse("nonsense\n"), Err(BadLine::Malformed(1)));
        let hex = sha256_hex(b"x");
        for path in [
            "../x",
            "/etc/hostname",
            "a/../../x",
            "a//b",
            "C:/x",
            "a\\..\\x",
        ] {
            assert_eq!(
                parse(&format!("{hex}  {path}\n")),
                Err(BadLine::Outside(1, path.to_string())),
                "{path}"
            );
        }
    }

    #[test]
    fn digest_depends_on_names_and_bytes_not_order() {
        let a = vec![
            ("a".to_string(), b"1".to_vec()),
            ("b".to_string(), b"2".to_vec()),
        ];
        let b = vec![
            ("b".to_string(), b"2".to_vec()),
            ("a".to_string(), b"1".to_vec()),
        ];
        assert_eq!(digest(&a), digest(&b));
        assert_ne!(
            digest(&a),
            digest(&[("a".to_string(), b"12".to_vec()), ("b".to_string(), vec![])])
        );
    }
}
