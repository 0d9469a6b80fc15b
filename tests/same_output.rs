//! Issue 11's guard: the restructured code must publish exactly the bytes it published before.
//! The fixture holds the SHA-256 of every file of the default site (`build`, `build --drafts`)
//! and of a snapshot with a fixed `SOURCE_DATE_EPOCH`, recorded before anything moved
//! (`ECOSITE_RECORD=1 cargo test --test same_output` rewrites it). Removed when the issue ends.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;
use sha2::{Digest, Sha256};

/// Every file's hash but the disk sink's marker (issue 12: which folders a build may replace),
/// which is not rendered output.
fn hashes(dir: &Path) -> String {
    tree(dir)
        .into_iter()
        .filter(|(path, _)| path != ".ecosite-output")
        .map(|(path, bytes)| format!("{:x}  {path}\n", Sha256::digest(&bytes)))
        .collect()
}

fn compare(name: &str, actual: String) {
    let fixture = repo().join("tests/fixtures/same-output").join(name);
    if std::env::var_os("ECOSITE_RECORD").is_some() {
        fs::write(&fixture, &actual).unwrap();
        return;
    }
    let expected = read(&fixture);
    if expected != actual {
        let old: Vec<&str> = expected.lines().collect();
        let new: Vec<&str> = actual.lines().collect();
        let gone: Vec<&&str> = old.iter().filter(|l| !new.contains(l)).collect();
        let came: Vec<&&str> = new.iter().filter(|l| !old.contains(l)).collect();
        panic!("{name}: output changed\nbefore: {gone:#?}\nnow: {came:#?}");
    }
}

fn built(extra: &[&str]) -> String {
    let site = default_site();
    let out = site.path().join("public");
    let mut args = vec!["build", "--root", site.path().to_str().unwrap()];
    args.extend_from_slice(&["--out", out.to_str().unwrap()]);
    args.extend_from_slice(extra);
    let result = ecosite(&args);
    assert!(result.status.success(), "{}", stderr(&result));
    hashes(&out)
}

#[test]
fn the_default_site_is_byte_identical() {
    compare("build.txt", built(&[]));
}

#[test]
fn the_drafts_build_is_byte_identical() {
    compare("build-drafts.txt", built(&["--drafts"]));
}

#[test]
fn a_snapshot_is_byte_identical() {
    let site = default_site();
    let result = Command::new(env!("CARGO_BIN_EXE_ecosite"))
        .args(["snapshot", "--period", "2024-Q2", "--root"])
        .arg(site.path())
        .env("SOURCE_DATE_EPOCH", "1719792000")
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    compare("snapshot.txt", hashes(&site.path().join("archive/2024-Q2")));
}
