//! The live preview in a real browser: headless Chromium (Debian's) driven by playwright-core
//! runs `tests/browser/live_reload.mjs` against `ecosite serve`. Where Chromium, Node.js or the
//! test's npm packages are missing the test says plainly that it was skipped — unless
//! `ECOSITE_REQUIRE_BROWSER=1` (set by `.ci/run`), which makes it required.

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

#[test]
fn live_reload_in_headless_chromium() {
    let missing = missing_tools();
    if !missing.is_empty() {
        let required = std::env::var("ECOSITE_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "the browser test is required here but cannot run: missing {}",
            missing.join(", ")
        );
        eprintln!(
            "SKIPPED live_reload_in_headless_chromium: missing {}",
            missing.join(", ")
        );
        return;
    }
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
        .arg(repo().join("tests/browser/live_reload.mjs"))
        .args([&port.to_string(), site.path().to_str().unwrap()])
        .output();
    let _ = server.kill();
    let _ = server.wait();
    let result = result.unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("browser: ok"), "{stdout}");
}
