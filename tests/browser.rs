//! The site in a real browser: headless Chromium (Debian's) driven by playwright-core runs the
//! scripts of `tests/browser/` against `ecosite serve`: live reload and the error overlay, and
//! site search. They are ignored by a plain `cargo test` (a machine without Chromium cannot run
//! them, and a test that did not run must not pass); `.ci/run` installs the tools and runs them
//! with `--include-ignored`, where missing tools are a failure.

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn missing_tools() -> Vec<String> {
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut missing = Vec::new();
    if !Path::new(&chromium).exists() {
        missing.push(format!("Chromium ({chromium}; apt-get install chromium)"));
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("Node.js (apt-get install nodejs)".into());
    }
    if !repo()
        .join("tests/browser/node_modules/playwright-core")
        .is_dir()
    {
        missing.push("playwright-core (npm ci --prefix tests/browser)".into());
    }
    missing
}

/// Two headless Chromiums started at once by parallel tests can stall each other's network
/// service; the browser tests take turns.
static ONE_BROWSER_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Fails, naming what to install, where the tools are missing.
fn require_tools() {
    let missing = missing_tools();
    assert!(
        missing.is_empty(),
        "the browser test cannot run: missing {}",
        missing.join(", ")
    );
}

/// Runs a script of tests/browser against `ecosite serve` on a copy of the default site.
fn run_script(script: &str, args: impl Fn(u16, &Path) -> Vec<String>) -> (bool, String) {
    let site = default_site();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_ecosite"))
        .args([
            "serve",
            "--root",
            site.path().to_str().unwrap(),
            "--port",
            &port.to_string(),
        ])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let result = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args(port, site.path()))
        .output();
    let _ = server.kill();
    let _ = server.wait();
    let result = result.unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    (result.status.success(), text)
}

#[test]
#[ignore = "needs Chromium, Node.js and playwright-core (npm ci --prefix tests/browser)"]
fn live_reload_in_headless_chromium() {
    require_tools();
    let _turn = ONE_BROWSER_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let (ok, output) = run_script("live_reload.mjs", |port, root| {
        vec![port.to_string(), root.to_str().unwrap().to_string()]
    });
    assert!(ok && output.contains("browser: ok"), "{output}");
}

#[test]
#[ignore = "needs Chromium, Node.js and playwright-core (npm ci --prefix tests/browser)"]
fn search_finds_chinese_words_and_says_when_nothing_is_found() {
    require_tools();
    let _turn = ONE_BROWSER_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let (ok, output) = run_script("search.mjs", |port, _| {
        vec![format!("http://127.0.0.1:{port}/")]
    });
    assert!(ok && output.contains("search: ok"), "{output}");
}

#[test]
#[ignore = "needs Chromium, Node.js and playwright-core (npm ci --prefix tests/browser)"]
fn every_page_fits_a_375_px_phone_in_normal_and_large_text() {
    require_tools();
    let _turn = ONE_BROWSER_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    // The pages to open are those a build of the same content writes (every HTML file, the
    // not-found page too).
    let site = default_site();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let built = build(site.path(), &public);
    assert!(built.status.success(), "{}", stderr(&built));
    let mut pages: Vec<String> = walkdir::WalkDir::new(&public)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            let path = p.strip_prefix(&public).unwrap().to_str().unwrap();
            format!("/{}", path.strip_suffix("index.html").unwrap_or(path))
        })
        .collect();
    pages.sort();
    assert!(pages.len() > 50, "{pages:?}");
    let list = out.path().join("pages.txt");
    std::fs::write(&list, pages.join("\n")).unwrap();
    let (ok, output) = run_script("layout.mjs", |port, _| {
        vec![
            format!("http://127.0.0.1:{port}/"),
            list.to_str().unwrap().to_string(),
        ]
    });
    assert!(ok && output.contains("layout: ok"), "{output}");
}
