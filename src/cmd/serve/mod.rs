//! `ecosite serve`: the editors' live preview. Builds the site into memory with the same
//! pipeline as `build` (drafts shown), serves it over HTTP, watches `content/` and `themes/`,
//! rebuilds after each burst of saves, and tells open pages to reload — or shows them what is
//! wrong while it keeps serving the last good build.

pub mod http;
pub mod reload;
pub mod server;

use std::collections::BTreeSet;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use notify::{RecursiveMode, Watcher};

use crate::content::cache::LoadCache;
use crate::content::load;
use crate::diagnostic::{self, Diagnostic};
use crate::output::Output;
use crate::render::RenderCache;
use crate::site::{BuildOptions, Site};
use reload::{Event, Hub};

#[derive(clap::Args)]
pub struct Args {
    /// 站点根目录，含 content/ (site root)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 监听地址 (address to bind)
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// 端口 (port)
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// 启动后打开浏览器 (open a browser)
    #[arg(long)]
    open: bool,
}

pub fn run(args: Args) -> std::process::ExitCode {
    if let Err(d) = super::require_root(&args.root) {
        super::report(&[d]);
        return std::process::ExitCode::from(2);
    }
    let options = ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        open: args.open,
    };
    match serve(options) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::from(2)
        }
    }
}

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
}

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    PortInUse(u16),
    Bind(String),
    Watch(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::PortInUse(port) => write!(
                f,
                "端口 {port} 已被占用，请换一个端口，例如 --port {} (port {port} is in use; try another one)",
                port.saturating_add(1)
            ),
            ServeError::Bind(e) => write!(f, "无法启动服务器 (cannot start the server): {e}"),
            ServeError::Watch(e) => write!(f, "无法监视文件变化 (cannot watch for changes): {e}"),
        }
    }
}

/// What the server shows: the last good build, and the errors of the latest one if it failed.
/// The search index is kept apart: a rebuild tells the pages to reload first and makes the
/// index after, so that until it is ready the previous index answers.
pub struct State {
    pub output: Arc<Output>,
    pub search: Arc<Output>,
    pub errors: Option<String>,
}

/// The in-memory site and the pages listening to it.
pub struct Preview {
    options: BuildOptions,
    state: Arc<RwLock<State>>,
    /// Makes the search index of the newest build in the background.
    search: SearchWorker,
    /// What the last build parsed and rendered, so that a rebuild redoes only what changed.
    cache: Mutex<Caches>,
    /// No rebuild yet: the watcher starts after the first build, so a save made while that
    /// build ran has no event, and the first rebuild reads every file.
    first: AtomicBool,
    pub hub: Arc<Hub>,
}

/// URL paths of the outputs that differ between two builds; `all` when a non-page file changed.
pub fn changed_pages(old: &Output, new: &Output) -> (Vec<String>, bool) {
    let paths: BTreeSet<&str> = old
        .iter()
        .map(|(p, _)| p)
        .chain(new.iter().map(|(p, _)| p))
        .collect();
    let mut pages = Vec::new();
    let mut all = false;
    for path in paths {
        let (a, b) = (old.get(path), new.get(path));
        // A page reused from the cache is the same bytes, not a copy: no need to compare them.
        let same = match (a, b) {
            (Some(a), Some(b)) => std::ptr::eq(a, b) || a == b,
            (a, b) => a == b,
        };
        if same {
            continue;
        }
        let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
        if let Some(dir) = path.strip_suffix("index.html") {
            pages.push(format!("/{dir}"));
        } else if extension == "html" {
            pages.push(format!("/{path}"));
        } else if !matches!(
            extension,
            "xml" | "txt" | "csv" | "json" | "geojson" | "pdf"
        ) {
            // Stylesheets and images are shared by pages; feeds and data files are not shown.
            all = true;
        }
    }
    (pages, all)
}

fn render_errors(diagnostics: &[Diagnostic]) -> String {
    diagnostic::render(diagnostics, false)
}

/// What one build of the preview leaves for the next.
#[derive(Default)]
pub struct Caches {
    pub load: LoadCache,
    pub render: RenderCache,
}

/// What a build gave: its output and warnings, or every diagnostic that stopped it.
type Built<T> = Result<(T, Vec<Diagnostic>), Vec<Diagnostic>>;

/// One build in memory but for the search index: the site, its output and the site's warnings
/// (shown in the terminal only: the browser overlay is for what stops the build).
fn build(
    options: &BuildOptions,
    cache: &mut Caches,
    changed: Option<&[PathBuf]>,
) -> Built<(Site, Output)> {
    let mut site = Site::load_cached(options, &mut cache.load, changed)?;
    let output = site.render_cached(&mut cache.render)?;
    let warnings = std::mem::take(&mut site.warnings);
    Ok(((site, output), warnings))
}

/// One thread that makes the search index of the newest build after its pages have reloaded:
/// a save that comes while it works does not wait for it, and builds it did not reach yet are
/// skipped for the newest one. It ends with the preview.
struct SearchWorker {
    slot: Arc<(Mutex<Pending>, Condvar)>,
}

#[derive(Default)]
struct Pending {
    site: Option<Site>,
    closed: bool,
}

impl SearchWorker {
    /// Starts the thread, which puts each index it makes into `state`.
    fn start(state: Arc<RwLock<State>>) -> SearchWorker {
        let slot: Arc<(Mutex<Pending>, Condvar)> = Arc::default();
        let shared = slot.clone();
        std::thread::spawn(move || {
            // The index may wait; the next save's page may not. On a machine with few cores
            // the index of the last save would otherwise take a core from the next rebuild.
            // (On Linux a nice value is the calling thread's own.)
            #[cfg(target_os = "linux")]
            let _ = rustix::process::setpriority_process(None, 19);
            loop {
                let site = {
                    let (pending, wake) = &*shared;
                    let mut pending = pending.lock().unwrap_or_else(|e| e.into_inner());
                    loop {
                        if pending.closed {
                            return;
                        }
                        match pending.site.take() {
                            Some(site) => break site,
                            None => pending = wake.wait(pending).unwrap_or_else(|e| e.into_inner()),
                        }
                    }
                };
                let search = Arc::new(search_output(&site));
                state.write().unwrap_or_else(|e| e.into_inner()).search = search;
            }
        });
        SearchWorker { slot }
    }

    /// Hands `site` to the thread, replacing a site still waiting.
    fn make(&self, site: Site) {
        let (pending, wake) = &*self.slot;
        pending.lock().unwrap_or_else(|e| e.into_inner()).site = Some(site);
        wake.notify_one();
    }
}

impl Drop for SearchWorker {
    fn drop(&mut self) {
        let (pending, wake) = &*self.slot;
        pending.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
        wake.notify_one();
    }
}

/// The search index of a site as an output of its own.
fn search_output(site: &Site) -> Output {
    let mut output = Output::default();
    site.search_index(|path, bytes| {
        // The render refused a path taken twice already.
        let _ = output.insert(path, bytes);
    });
    output
}

impl Preview {
    /// Builds once. A broken site still starts the server (with an empty site and the errors),
    /// so that the editor sees what to fix in the browser.
    pub fn new(options: BuildOptions) -> (Preview, Built<usize>) {
        let mut cache = Caches::default();
        let (output, search, errors, outcome) = match build(&options, &mut cache, None) {
            Ok(((site, output), warnings)) => {
                let search = search_output(&site);
                let n = output.len() + search.len();
                (output, search, None, Ok((n, warnings)))
            }
            Err(d) => (
                Output::default(),
                Output::default(),
                Some(render_errors(&d)),
                Err(d),
            ),
        };
        cache.load.take_parsed();
        let state = Arc::new(RwLock::new(State {
            output: Arc::new(output),
            search: Arc::new(search),
            errors,
        }));
        let preview = Preview {
            options,
            state: state.clone(),
            cache: Mutex::new(cache),
            first: AtomicBool::new(true),
            search: SearchWorker::start(state),
            hub: Arc::new(Hub::default()),
        };
        (preview, outcome)
    }

    pub fn output(&self) -> Arc<Output> {
        self.state
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .output
            .clone()
    }

    /// The bytes served at `path`: a page or file of the last good build, or of its search
    /// index.
    fn file(&self, path: &str) -> Option<Bytes> {
        let state = self.state.read().unwrap_or_else(|e| e.into_inner());
        state
            .output
            .get_shared(path)
            .or_else(|| state.search.get_shared(path))
    }

    pub fn errors(&self) -> Option<String> {
        self.state
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .errors
            .clone()
    }

    /// Rebuilds and tells the open pages. `changed` lists the paths the watcher saw change
    /// since the last rebuild: only those files are read again; `None` when it cannot say,
    /// and every file is. Returns a line for the terminal.
    pub fn rebuild(&self, changed: Option<Vec<PathBuf>>) -> String {
        let started = Instant::now();
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let first = self.first.swap(false, Ordering::Relaxed);
        let changed = changed.filter(|_| !first);
        match build(&self.options, &mut cache, changed.as_deref()) {
            Ok(((site, output), warnings)) => {
                let old = self.output();
                let (pages, all) = changed_pages(&old, &output);
                {
                    let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
                    state.output = Arc::new(output);
                    state.errors = None;
                }
                self.hub.broadcast(&Event::Reload {
                    pages: pages.clone(),
                    all,
                });
                let reloaded = started.elapsed();
                self.search.make(site);
                let what = if all {
                    "全部页面".to_string()
                } else {
                    format!("{} 个页面", pages.len())
                };
                let warnings = if warnings.is_empty() {
                    String::new()
                } else {
                    render_errors(&warnings)
                };
                let (parsed, rendered) = (cache.load.take_parsed(), cache.render.rendered);
                format!(
                    "{warnings}已重新生成：{what}有变化（重读 {parsed} 个文件，重新渲染 {rendered} 页），用时 {} 毫秒；搜索索引随后更新 (rebuilt: {} pages changed{}, {parsed} files parsed, {rendered} pages rendered, {} ms; the search index follows)",
                    reloaded.as_millis(),
                    pages.len(),
                    if all { ", shared files too" } else { "" },
                    reloaded.as_millis(),
                )
            }
            Err(diagnostics) => {
                let text = render_errors(&diagnostics);
                self.state.write().unwrap_or_else(|e| e.into_inner()).errors = Some(text.clone());
                self.hub.broadcast(&Event::Errors(text.clone()));
                format!("{text}生成失败，仍在提供上一次成功的结果 (build failed; still serving the last good build)")
            }
        }
    }

    /// The live-reload hub, for an event stream's own thread.
    pub fn clone_hub(&self) -> Arc<Hub> {
        self.hub.clone()
    }

    /// What to answer to a request for `target` (path and query) with `method`.
    pub fn respond(&self, method: &str, target: &str) -> Reply {
        if method != "GET" && method != "HEAD" {
            return Reply::MethodNotAllowed;
        }
        if target.split('?').next() == Some(reload::EVENTS_PATH) {
            return Reply::Events(self.errors().map(Event::Errors));
        }
        if let http::Target::File(path) = http::resolve(target) {
            if let Some(bytes) = self.file(&path) {
                return Reply::file(200, &path, bytes);
            }
            // `/targets` → `/targets/`, as static servers do.
            let last = path.rsplit('/').next().unwrap_or("");
            if !last.contains('.') && self.file(&format!("{path}/index.html")).is_some() {
                return Reply::Redirect(format!("/{path}/"));
            }
        }
        match self.file("404.html") {
            Some(bytes) => Reply::file(404, "404.html", bytes),
            None => Reply::file(404, "404.txt", Bytes::from_static(b"404")),
        }
    }
}

/// An answer of the preview server, independent of the HTTP library.
#[derive(Debug)]
pub enum Reply {
    File {
        status: u16,
        content_type: &'static str,
        body: Bytes,
    },
    Redirect(String),
    MethodNotAllowed,
    /// Start a page's event stream, sending `current` (the errors of the build) first.
    Events(Option<Event>),
}

impl Reply {
    fn file(status: u16, path: &str, bytes: Bytes) -> Reply {
        let body = if path.ends_with(".html") {
            reload::inject(&bytes).into()
        } else {
            bytes
        };
        Reply::File {
            status,
            content_type: http::content_type(path),
            body,
        }
    }
}

/// Files whose changes are not edits: the same scratch files the load stage skips.
fn is_noise(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| load::is_scratch(&name.to_string_lossy()))
}

/// How long the files must stay quiet before a rebuild: one save-as-rename or a burst of saves
/// becomes one rebuild.
const QUIET: Duration = Duration::from_millis(20);

/// Watches the site root's content and themes; after each burst of changes, calls `on_change`
/// with the paths that changed, or `None` when the watcher cannot say which (an error, or the
/// system's queue of events overflowed): then every file must be read again.
pub fn watch(
    root: &Path,
    on_change: impl Fn(Option<Vec<PathBuf>>) + Send + 'static,
) -> Result<notify::RecommendedWatcher, ServeError> {
    let (sender, receiver) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher =
        notify::recommended_watcher(sender).map_err(|e| ServeError::Watch(e.to_string()))?;
    for dir in ["content", "themes"] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| ServeError::Watch(e.to_string()))?;
        }
    }
    std::thread::spawn(move || {
        while let Ok(event) = receiver.recv() {
            if !starts_burst(&event) {
                continue;
            }
            let mut changed = Some(Vec::new());
            note(&mut changed, event);
            while let Ok(event) = receiver.recv_timeout(QUIET) {
                note(&mut changed, event);
            }
            on_change(changed);
        }
    });
    Ok(watcher)
}

/// Whether an event calls for a rebuild: an edit of a file that is not scratch, or a sign that
/// events were lost.
fn starts_burst(event: &notify::Result<notify::Event>) -> bool {
    match event {
        Ok(e) if e.need_rescan() => true,
        Ok(e) => !e.kind.is_access() && e.paths.iter().any(|p| !is_noise(p)),
        Err(_) => true,
    }
}

/// Adds what `event` says changed to `changed`; `None` once some change cannot be named.
fn note(changed: &mut Option<Vec<PathBuf>>, event: notify::Result<notify::Event>) {
    match event {
        Ok(e) if e.need_rescan() || (e.paths.is_empty() && !e.kind.is_access()) => *changed = None,
        // Reading files is not changing them (a rebuild's own reads come back as these).
        Ok(e) if e.kind.is_access() => {}
        Ok(e) => {
            if let Some(changed) = changed {
                changed.extend(e.paths);
            }
        }
        Err(_) => *changed = None,
    }
}

/// Runs the preview server until the process is stopped (Ctrl-C: nothing is written to disk,
/// so there is nothing to clean up).
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let address = SocketAddr::new(options.bind, options.port);
    let listener = std::net::TcpListener::bind(address).map_err(|e| match e.kind() {
        io::ErrorKind::AddrInUse => ServeError::PortInUse(options.port),
        _ => ServeError::Bind(e.to_string()),
    })?;
    let host = if options.bind.is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        options.bind.to_string()
    };
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host
    };
    let url = format!("http://{host}:{}/", options.port);
    if !options.bind.is_loopback() {
        eprintln!("警告：服务器绑定在 {} 上，局域网内的其他电脑也能访问预览（含草稿）(warning: the preview, drafts included, is reachable from other machines)", options.bind);
    }
    let started = Instant::now();
    let (preview, first) = Preview::new(BuildOptions {
        root: options.root.clone(),
        drafts: true,
        base_url: Some(url.clone()),
    });
    match first {
        Ok((n, warnings)) => {
            if !warnings.is_empty() {
                eprint!("{}", render_errors(&warnings));
            }
            eprintln!("已生成 {n} 个文件，用时 {} 毫秒 (built {n} files in {} ms)", started.elapsed().as_millis(), started.elapsed().as_millis());
        }
        Err(d) => eprintln!("{}生成失败：请修正上面的错误，浏览器中也会显示 (build failed: fix the errors above; the browser shows them too)", render_errors(&d)),
    }
    let preview = Arc::new(preview);
    let watcher_preview = preview.clone();
    let _watcher = watch(&options.root, move |changed| {
        eprintln!("{}", watcher_preview.rebuild(changed))
    })?;
    eprintln!("预览地址 (preview at): {url}  （按 Ctrl-C 停止 / Ctrl-C to stop）");
    if options.open {
        open_browser(&url);
    }
    server::serve(listener, preview).map_err(|e| ServeError::Bind(e.to_string()))
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(command)
        .arg(url)
        .spawn()
        .is_err()
    {
        eprintln!("无法自动打开浏览器，请手动访问 {url} (could not open a browser)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the preview of a copied site is built with: drafts shown, the server's own address.
    fn preview_options(root: &Path) -> BuildOptions {
        BuildOptions {
            root: root.to_path_buf(),
            drafts: true,
            base_url: Some("http://127.0.0.1:1111/".into()),
        }
    }

    fn copy_default_site(to: &Path) {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let target = to
                .join("content")
                .join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }

    /// A preview's output with the search index it makes after the reload.
    fn with_search(options: &BuildOptions, output: &Output) -> Output {
        let mut whole = output.clone();
        let search = search_output(&Site::load(options).unwrap());
        assert!(!search.is_empty());
        for (path, bytes) in search.iter() {
            whole.insert(path.to_string(), bytes.to_vec()).unwrap();
        }
        whole
    }

    #[test]
    fn incremental_rebuilds_equal_full_builds_and_render_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        copy_default_site(dir.path());
        let options = BuildOptions {
            root: dir.path().to_path_buf(),
            drafts: true,
            base_url: Some("http://127.0.0.1:1111/".into()),
        };
        let mut cache = RenderCache::default();
        let first = Site::load(&options)
            .and_then(|site| site.render_cached(&mut cache))
            .unwrap();
        let cold = cache.rendered;
        assert_eq!(
            cache.rendered,
            first
                .iter()
                .filter(|(p, _)| p.ends_with(".html") || p.ends_with(".xml") || p.ends_with(".txt"))
                .count(),
            "a cold cache renders every page"
        );

        // One summary changes: its page and the pages listing it, not the whole site.
        let summary = dir
            .path()
            .join("content/summaries/water/2024-q1-clear-water.md");
        let text =
            std::fs::read_to_string(&summary)
                .unwrap()
                .replacen("title: ", "title: 修改后的", 1);
        std::fs::write(&summary, text).unwrap();
        let incremental = Site::load(&options)
            .and_then(|site| site.render_cached(&mut cache))
            .unwrap();
        let full = Site::load(&options).and_then(|site| site.render()).unwrap();
        assert!(
            with_search(&options, &incremental) == full,
            "byte for byte the same as a full build, once the search index is made"
        );
        assert!(
            cache.rendered > 1 && cache.rendered < cold / 3,
            "rendered {} of {}",
            cache.rendered,
            first.len()
        );
        let (pages, _) = changed_pages(&first, &incremental);
        assert!(pages.contains(&"/summaries/water/2024-q1-clear-water/".to_string()));
        assert!(
            pages.contains(&"/summaries/water/".to_string()),
            "the list that shows its title"
        );

        // A summary that draws an indicator's status: its page follows the indicator, which
        // is not its own file.
        let text = std::fs::read_to_string(&summary).unwrap();
        std::fs::write(
            &summary,
            format!("{text}\n\n{{{{ status(id=\"pm25\") }}}}\n"),
        )
        .unwrap();
        let load = || Site::load(&options).unwrap();
        let before = load().render_cached(&mut cache).unwrap();
        let indicator = dir.path().join("content/indicators/pm25.yaml");
        let yaml = std::fs::read_to_string(&indicator).unwrap();
        std::fs::write(&indicator, yaml.replace("value: 33.8", "value: 39.8")).unwrap();
        let after = load().render_cached(&mut cache).unwrap();
        let page = "summaries/water/2024-q1-clear-water/index.html";
        assert!(
            before.get(page) != after.get(page),
            "the badge follows the indicator"
        );
        assert!(with_search(&options, &after) == load().render().unwrap());
        // Nothing changed: nothing is rendered, and the pages made of their own file are not
        // even built.
        load().render_cached(&mut cache).unwrap();
        assert_eq!(cache.rendered, 0);

        // A template change renders everything again, and still equals a full build.
        std::fs::create_dir_all(dir.path().join("themes/default/templates")).unwrap();
        let base = crate::render::theme::Theme::embedded().templates["base.html"]
            .replace("跳到正文", "跳到主要内容");
        std::fs::write(dir.path().join("themes/default/templates/base.html"), base).unwrap();
        let incremental = Site::load(&options)
            .and_then(|site| site.render_cached(&mut cache))
            .unwrap();
        assert!(
            with_search(&options, &incremental)
                == Site::load(&options).and_then(|site| site.render()).unwrap()
        );
        assert!(cache.rendered == cold, "rendered {}", cache.rendered);
    }

    #[test]
    fn the_search_index_follows_a_rebuild_without_holding_it_up() {
        let dir = tempfile::tempdir().unwrap();
        copy_default_site(dir.path());
        let options = || preview_options(dir.path());
        let (preview, first) = Preview::new(options());
        assert!(first.is_ok());
        let summary = dir
            .path()
            .join("content/summaries/water/2024-q1-clear-water.md");
        let text = std::fs::read_to_string(&summary).unwrap();
        std::fs::write(&summary, text.replacen("title: ", "title: 独一无二的词", 1)).unwrap();
        preview.rebuild(None);
        let full = Site::load(&options()).unwrap().render().unwrap();
        // The index's files; the search page itself is a page of the output.
        let index: Vec<(&str, &[u8])> = full
            .iter()
            .filter(|(p, _)| p.starts_with("search/") && !p.ends_with(".html"))
            .collect();
        assert!(index.len() > 2);
        let followed = || {
            let state = preview.state.read().unwrap();
            index.iter().all(|(p, b)| state.search.get(p) == Some(*b))
        };
        let deadline = Instant::now() + Duration::from_secs(120);
        while !followed() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(followed(), "the preview's index equals a full build's");
    }

    #[test]
    fn a_rebuild_told_the_changed_paths_equals_a_full_build() {
        let dir = tempfile::tempdir().unwrap();
        copy_default_site(dir.path());
        let options = || preview_options(dir.path());
        let (preview, first) = Preview::new(options());
        assert!(first.is_ok());
        let content = dir.path().join("content");
        let full = || {
            let site = Site::load(&options()).unwrap();
            site.render_cached(&mut RenderCache::default()).unwrap()
        };
        let rebuild = |paths: &[&str]| {
            let changed = paths.iter().map(|p| content.join(p)).collect();
            let line = preview.rebuild(Some(changed));
            assert!(preview.errors().is_none(), "{line}");
            assert!(*preview.output() == full(), "byte for byte a full build");
        };
        let summaries = content.join("summaries/water");
        let page = "summaries/water/2024-q1-clear-water/index.html";
        let shown = |path: &str| preview.output().get(path).is_some();

        // A save.
        let summary = summaries.join("2024-q1-clear-water.md");
        let text = std::fs::read_to_string(&summary).unwrap();
        std::fs::write(&summary, text.replacen("title: ", "title: 改过的", 1)).unwrap();
        rebuild(&["summaries/water/2024-q1-clear-water.md"]);
        assert!(String::from_utf8_lossy(preview.output().get(page).unwrap()).contains("改过的"));

        // A rename: the page moves.
        let renamed = summaries.join("2024-q1-renamed.md");
        std::fs::rename(&summary, &renamed).unwrap();
        rebuild(&[
            "summaries/water/2024-q1-clear-water.md",
            "summaries/water/2024-q1-renamed.md",
        ]);
        assert!(!shown(page) && shown("summaries/water/2024-q1-renamed/index.html"));

        // A deletion: the page is gone.
        std::fs::remove_file(&renamed).unwrap();
        rebuild(&["summaries/water/2024-q1-renamed.md"]);
        assert!(!shown("summaries/water/2024-q1-renamed/index.html"));

        // A new folder with a summary in it: the tree is walked again.
        let folder = summaries.join("2024");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("2024-q1-new.md"), text).unwrap();
        rebuild(&["summaries/water/2024"]);
        assert!(shown("summaries/water/2024-q1-new/index.html"));

        // A file the watcher did not name is not read: it shows once a rebuild cannot tell
        // from the paths alone.
        let other = summaries.join("2024-q2-clear-water.md");
        let other_text = std::fs::read_to_string(&other).unwrap();
        std::fs::write(&other, other_text.replacen("title: ", "title: 没说的", 1)).unwrap();
        let told = "summaries/water/2024-q2-clear-water/index.html";
        preview.rebuild(Some(vec![content.join("site.yaml")]));
        assert!(!String::from_utf8_lossy(preview.output().get(told).unwrap()).contains("没说的"));
        preview.rebuild(None);
        assert!(String::from_utf8_lossy(preview.output().get(told).unwrap()).contains("没说的"));
        assert!(*preview.output() == full());
    }

    #[test]
    fn the_first_rebuild_reads_every_file_for_edits_made_before_the_watcher_started() {
        let dir = tempfile::tempdir().unwrap();
        copy_default_site(dir.path());
        let options = || preview_options(dir.path());
        let (preview, first) = Preview::new(options());
        assert!(first.is_ok());
        // Saved while the first build ran, before the watcher was there to see it.
        let summary = dir
            .path()
            .join("content/summaries/water/2024-q2-clear-water.md");
        let text = std::fs::read_to_string(&summary).unwrap();
        std::fs::write(&summary, text.replacen("title: ", "title: 启动时改的", 1)).unwrap();
        preview.rebuild(Some(vec![dir.path().join("content/site.yaml")]));
        let page = preview
            .output()
            .get("summaries/water/2024-q2-clear-water/index.html")
            .map(|b| String::from_utf8_lossy(b).into_owned());
        assert!(page.unwrap().contains("启动时改的"));
    }

    #[test]
    fn changed_pages_between_builds() {
        let mut old = Output::default();
        old.insert("index.html".into(), b"a".to_vec()).unwrap();
        old.insert("x/index.html".into(), b"b".to_vec()).unwrap();
        old.insert("404.html".into(), b"c".to_vec()).unwrap();
        let mut new = old.clone();
        assert_eq!(changed_pages(&old, &new), (vec![], false));
        new = Output::default();
        new.insert("index.html".into(), b"a".to_vec()).unwrap();
        new.insert("x/index.html".into(), b"B".to_vec()).unwrap();
        new.insert("404.html".into(), b"c".to_vec()).unwrap();
        new.insert("y/index.html".into(), b"new".to_vec()).unwrap();
        assert_eq!(
            changed_pages(&old, &new),
            (vec!["/x/".to_string(), "/y/".to_string()], false)
        );
        new.insert("feed.xml".into(), b"feed".to_vec()).unwrap();
        assert!(!changed_pages(&old, &new).1, "a feed is not shown in pages");
        new.insert("assets/style.css".into(), b"css".to_vec())
            .unwrap();
        assert!(changed_pages(&old, &new).1, "a stylesheet is");
    }

    #[test]
    fn editor_noise_is_ignored() {
        assert!(is_noise(Path::new("content/.x.md.swp")));
        assert!(is_noise(Path::new("content/x.md~")));
        assert!(is_noise(Path::new("content/4913")));
        assert!(!is_noise(Path::new("content/summaries/air/x.md")));
    }
}
