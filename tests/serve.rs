//! `ecosite serve` as an editor and a browser meet it: pages over HTTP, live reload after a
//! save, the error overlay after a bad save while the last good build stays served, and the
//! server's safety against bad paths, bad methods, dropped clients and floods.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(root: &Path) -> Server {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_ecosite"))
        .args([
            "serve",
            "--root",
            root.to_str().unwrap(),
            "--port",
            &port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server { child, port };
    // The server listens before its first build (to report a port in use at once) and answers
    // once the build is done: on a loaded machine a debug build takes a while.
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            stream
                .set_read_timeout(Some(Duration::from_secs(120)))
                .unwrap();
            let _ = stream.write_all(b"HEAD / HTTP/1.0\r\nHost: localhost\r\n\r\n");
            let mut answer = Vec::new();
            let _ = stream.read_to_end(&mut answer);
            if answer.starts_with(b"HTTP/1.") {
                return server;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the server did not start");
}

/// A raw HTTP/1.0 request, so that no client library normalises the path.
fn raw(port: u16, request: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(response.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head, response[split..].to_vec())
}

fn get(port: u16, path: &str) -> (u16, String, String) {
    let (status, head, body) = raw(
        port,
        &format!("GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n"),
    );
    (status, head, String::from_utf8_lossy(&body).into_owned())
}

/// Reads server-sent events until one satisfies `done`, or the time runs out.
fn wait_for_event(
    events: &mut BufReader<TcpStream>,
    done: impl Fn(&str, &str) -> bool,
    timeout: Duration,
) -> Option<(String, String)> {
    let deadline = Instant::now() + timeout;
    let mut name = String::new();
    while Instant::now() < deadline {
        let mut line = String::new();
        match events.read_line(&mut line) {
            Ok(0) => return None,
            Ok(_) => {}
            Err(_) => continue,
        }
        if let Some(n) = line.strip_prefix("event: ") {
            name = n.trim().to_string();
        } else if let Some(data) = line.strip_prefix("data: ") {
            if done(&name, data.trim()) {
                return Some((name.clone(), data.trim().to_string()));
            }
        }
    }
    None
}

fn subscribe(port: u16) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    stream
        .write_all(b"GET /__ecosite/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut reader = BufReader::new(stream);
    // Wait for the stream's opening comment, so that we are subscribed before editing (the
    // server answers only once its first build is done and its watcher runs: on a loaded
    // machine that takes a while).
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut line = String::new();
    while Instant::now() < deadline && !line.starts_with(": ecosite") {
        line.clear();
        let _ = reader.read_line(&mut line);
    }
    reader
}

#[test]
fn serves_pages_with_types_404_and_only_get() {
    let site = default_site();
    let server = start(site.path());
    let (status, head, body) = get(server.port, "/");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(
        body.contains("芜湖市生态环境局") && body.contains("/__ecosite/events"),
        "home page with the reload script"
    );
    assert_eq!(get(server.port, "/targets/").0, 200);
    let (status, _, body) = get(server.port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("页面未找到"), "the site's own 404 page");
    let (status, head, _) = get(server.port, "/targets");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /targets/"));
    assert!(get(server.port, "/data/indicators.csv")
        .1
        .contains("text/csv; charset=utf-8"));
    assert!(get(server.port, "/data/facilities.geojson")
        .1
        .contains("application/geo+json"));
    let svg_head = get(server.port, "/assets/style.css").1;
    assert!(svg_head.contains("text/css"), "{svg_head}");
    let (status, head, body) = raw(server.port, "HEAD / HTTP/1.0\r\n\r\n");
    assert_eq!((status, body.len()), (200, 0), "{head}");
    assert_eq!(
        raw(server.port, "POST / HTTP/1.0\r\nContent-Length: 0\r\n\r\n").0,
        405
    );
    assert_eq!(raw(server.port, "DELETE / HTTP/1.0\r\n\r\n").0, 405);
    // Drafts are shown in the preview.
    assert!(get(server.port, "/summaries/air/2024-q2-draft-example/")
        .2
        .contains("草稿"));
}

#[test]
fn paths_outside_the_output_are_never_served() {
    let site = default_site();
    fs::write(site.path().join("secret.txt"), "SECRET").unwrap();
    let server = start(site.path());
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/content/site.yaml",
        "/./../secret.txt",
    ] {
        let (status, _, body) = get(server.port, path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains("SECRET") && !body.contains("root:"),
            "{path}"
        );
    }
}

#[test]
fn survives_dropped_clients_and_a_flood() {
    let site = default_site();
    let server = start(site.path());
    let port = server.port;
    for _ in 0..20 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let _ = s.write_all(b"GET /targets/ HTTP/1.1\r\nHost: x\r\n\r\n");
        drop(s);
    }
    let threads: Vec<_> = (0..100)
        .map(|i| {
            std::thread::spawn(move || {
                (0..10)
                    .filter(|j| {
                        let path = if (i + j) % 2 == 0 {
                            "/"
                        } else {
                            "/targets/pm25/"
                        };
                        get(port, path).0 == 200
                    })
                    .count()
            })
        })
        .collect();
    let ok: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(ok, 1000, "all 1,000 requests answered");
    assert_eq!(get(port, "/").0, 200, "still serving");
}

#[test]
fn live_reload_and_error_overlay() {
    let site = default_site();
    let server = start(site.path());
    let port = server.port;
    let summary = site
        .path()
        .join("content/summaries/air/2024-q1-blue-sky.md");
    let url = "/summaries/air/2024-q1-blue-sky/";

    let mut events = subscribe(port);
    let mut latencies = Vec::new();
    for round in 0..3 {
        let sentence = format!("实时预览第{round}次测试句。");
        let saved = Instant::now();
        let mut text = read(&summary);
        text.push_str(&format!("\n{sentence}\n"));
        fs::write(&summary, text).unwrap();
        let event = wait_for_event(
            &mut events,
            |name, data| name == "reload" && data.contains(url),
            Duration::from_secs(10),
        );
        assert!(event.is_some(), "a reload event names the page");
        latencies.push(saved.elapsed());
        assert!(
            get(port, url).2.contains(&sentence),
            "the page has the new sentence"
        );
    }
    latencies.sort();
    eprintln!(
        "save-to-reload latency on the default site (median of 3): {:?}",
        latencies[1]
    );

    let good_home = get(port, "/").2;
    let site_yaml = site.path().join("content/site.yaml");
    let original = read(&site_yaml);
    fs::write(&site_yaml, format!("{original}\ntheme: [不闭合\n")).unwrap();
    let errors = wait_for_event(
        &mut events,
        |name, _| name == "errors",
        Duration::from_secs(10),
    )
    .expect("an errors event");
    assert!(
        errors.1.contains("content/site.yaml:"),
        "names the file and line: {}",
        errors.1
    );
    assert_eq!(
        get(port, "/").2,
        good_home,
        "the last good build is still served"
    );
    // A page opened now gets the errors at once.
    let mut late = subscribe(port);
    assert!(wait_for_event(
        &mut late,
        |name, _| name == "errors",
        Duration::from_secs(5)
    )
    .is_some());

    fs::write(&site_yaml, original).unwrap();
    assert!(
        wait_for_event(
            &mut events,
            |name, _| name == "reload",
            Duration::from_secs(10)
        )
        .is_some(),
        "fixed: pages reload"
    );
    let mut fresh = subscribe(port);
    assert!(
        wait_for_event(
            &mut fresh,
            |name, _| name == "errors",
            Duration::from_millis(800)
        )
        .is_none(),
        "no overlay any more"
    );
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let site = default_site();
    let output = Command::new(env!("CARGO_BIN_EXE_ecosite"))
        .args([
            "serve",
            "--root",
            site.path().to_str().unwrap(),
            "--port",
            &port.to_string(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains(&port.to_string()) && err.contains("--port"),
        "{err}"
    );
    drop(listener);
}

/// Sends `request` and reads until the server answers or closes; `None` when it did neither.
fn send(port: u16, request: &[u8]) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    // The server may close before it has read everything: that is an answer too.
    let _ = stream.write_all(request);
    let mut response = Vec::new();
    match stream.read_to_end(&mut response) {
        Ok(_) => Some(String::from_utf8_lossy(&response).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => Some(String::new()),
        Err(_) => None,
    }
}

#[test]
fn hostile_requests_neither_stop_nor_starve_the_server() {
    let site = default_site();
    let server = start(site.path());
    let port = server.port;
    // A body the server would have to allocate: refused without reading it.
    for method in ["POST", "PUT", "GET"] {
        let request =
            format!("{method} / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n");
        let answer = send(port, request.as_bytes()).expect("an answer, not a hang");
        if method != "GET" {
            assert!(answer.starts_with("HTTP/1.1 405"), "{method}: {answer}");
        }
        assert_eq!(get(port, "/").0, 200, "still serving after {method}");
    }
    // Headers and URLs of 200 KB: refused, not buffered.
    let long_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Long: {}\r\n\r\n",
        "a".repeat(200_000)
    );
    let answer = send(port, long_header.as_bytes()).expect("an answer, not a hang");
    assert!(
        !answer.starts_with("HTTP/1.1 200"),
        "{}",
        &answer[..answer.len().min(80)]
    );
    let long_url = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(200_000));
    let answer = send(port, long_url.as_bytes()).expect("an answer, not a hang");
    assert!(!answer.starts_with("HTTP/1.1 200"));
    assert_eq!(get(port, "/").0, 200, "still serving after long heads");
    // Idle connections do not block others, and are closed after a while.
    let idle: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    let mut half = TcpStream::connect(("127.0.0.1", port)).unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    assert_eq!(
        get(port, "/targets/").0,
        200,
        "answered beside 101 idle connections"
    );
    let started = Instant::now();
    half.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut rest = Vec::new();
    let _ = half.read_to_end(&mut rest);
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "a connection that never finishes its head is closed"
    );
    drop(idle);
    assert_eq!(get(port, "/").0, 200, "still serving at the end");
}
