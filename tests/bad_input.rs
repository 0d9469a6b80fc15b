//! The corpus of bad input (`tests/fixtures/bad/<case>/`): each case is files dropped into a
//! copy of the default site root, and `expect.txt` says the exit code of `ecosite check` and the
//! diagnostic it must give (`CODE file[:line]`). Accepted oddities (a BOM, Chinese file names,
//! raw `<script>`) expect `exit 0`.

mod common;

use std::fs;

use common::*;

#[test]
fn every_bad_case_gives_its_diagnostic() {
    let cases = repo().join("tests/fixtures/bad");
    let mut names: Vec<_> = fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(names.len() >= 40, "the corpus has {} cases", names.len());
    let mut failures = Vec::new();
    for case in &names {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let site = default_site();
        for (path, bytes) in tree(case) {
            if path == "expect.txt" {
                continue;
            }
            let target = site.path().join(&path);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::write(target, bytes).unwrap();
        }
        let expect = read(&case.join("expect.txt"));
        let result = ecosite(&[
            "check",
            "--format",
            "json",
            "--root",
            site.path().to_str().unwrap(),
        ]);
        let stdout = String::from_utf8_lossy(&result.stdout).into_owned();
        let diagnostics: Vec<serde_json::Value> = stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {l}"))
            })
            .collect();
        for line in expect.lines() {
            if let Some(code) = line.strip_prefix("exit ") {
                let code: i32 = code.trim().parse().unwrap();
                if result.status.code() != Some(code) {
                    failures.push(format!(
                        "{name}: exit {:?}, expected {code}\n{stdout}{}",
                        result.status.code(),
                        stderr(&result)
                    ));
                }
                continue;
            }
            let (code, place) = line.split_once(' ').unwrap();
            let (file, at) = match place.rsplit_once(':') {
                Some((f, l)) => (f, l.parse::<u64>().ok()),
                None => (place, None),
            };
            let found = diagnostics.iter().any(|d| {
                d["code"] == code
                    && d["file"] == file
                    && at.is_none_or(|l| d["line"].as_u64() == Some(l))
            });
            if !found {
                failures.push(format!("{name}: no {code} at {place} among:\n{stdout}"));
            }
        }
        assert!(
            !site.path().join("public").exists(),
            "{name}: check wrote nothing"
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}

#[test]
fn a_fifty_megabyte_file_is_an_error_not_a_hang() {
    let site = default_site();
    let big = format!("id: big\nname: {}\n", "大".repeat(50 * 1024 * 1024 / 3));
    fs::write(site.path().join("content/indicators/big.yaml"), big).unwrap();
    let result = ecosite(&[
        "check",
        "--format",
        "json",
        "--root",
        site.path().to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        stdout.contains("\"file\":\"content/indicators/big.yaml\""),
        "{}",
        &stdout[..stdout.len().min(500)]
    );
}
