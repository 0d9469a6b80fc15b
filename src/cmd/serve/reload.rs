//! Live reload: the small script injected into pages in serve mode only (the built site carries
//! none of it), and the Server-Sent Events hub that tells every open page what changed or what
//! is wrong.

use std::io::Write;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::Duration;

/// Where pages listen for changes.
pub const EVENTS_PATH: &str = "/__ecosite/events";

/// Reloads the page when its own output (or a shared file such as the stylesheet) changed;
/// shows the errors of a failed rebuild over the page, with a way to close it, and removes them
/// after the next good build. Text only (`textContent`), so content cannot inject markup.
const SCRIPT: &str = r#"<script>(function(){
var overlay=null;
function hide(){if(overlay){overlay.remove();overlay=null;}}
function show(text){hide();overlay=document.createElement('div');overlay.setAttribute('role','alertdialog');overlay.setAttribute('aria-label','内容有错误');
overlay.style.cssText='position:fixed;inset:0;z-index:99999;background:rgba(20,20,20,.92);color:#fff;overflow:auto;padding:1.5rem;font:16px/1.6 monospace';
var h=document.createElement('h2');h.textContent='内容有错误，页面显示的是上一次成功生成的结果 (content errors: showing the last good build)';h.style.cssText='font:bold 20px sans-serif;margin:0 0 1rem;color:#ffd166';
var b=document.createElement('button');b.textContent='关闭 (close)';b.style.cssText='font:16px sans-serif;margin-bottom:1rem';b.onclick=hide;
var pre=document.createElement('pre');pre.textContent=text;pre.style.cssText='white-space:pre-wrap;margin:0';
overlay.append(h,b,pre);document.body.append(overlay);b.focus();}
function here(){var p=location.pathname;return p.endsWith('/')?p:p;}
var source=new EventSource('/__ecosite/events');
source.addEventListener('errors',function(e){show(JSON.parse(e.data).text);});
source.addEventListener('reload',function(e){var d=JSON.parse(e.data);hide();if(d.all||d.pages.indexOf(here())>=0){location.reload();}});
})();</script>"#;

/// A page with the live-reload script before `</body>`.
pub fn inject(html: &[u8]) -> Vec<u8> {
    let marker = b"</body>";
    match html.windows(marker.len()).rposition(|w| w == marker) {
        Some(at) => [&html[..at], SCRIPT.as_bytes(), &html[at..]].concat(),
        None => [html, SCRIPT.as_bytes()].concat(),
    }
}

/// An event for the open pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A good rebuild: these URL paths changed (`all` when a shared file did).
    Reload { pages: Vec<String>, all: bool },
    /// A failed rebuild, with the diagnostics as text.
    Errors(String),
}

impl Event {
    fn to_sse(&self) -> String {
        let (name, data) = match self {
            Event::Reload { pages, all } => {
                ("reload", serde_json::json!({ "pages": pages, "all": all }))
            }
            Event::Errors(text) => ("errors", serde_json::json!({ "text": text })),
        };
        format!("event: {name}\ndata: {data}\n\n")
    }
}

/// The open pages: one channel each.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Sender<Event>>>,
}

impl Hub {
    pub fn broadcast(&self, event: &Event) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        // A client whose page is gone has dropped its receiver: forget it.
        clients.retain(|c| c.send(event.clone()).is_ok());
    }

    fn subscribe(&self) -> Receiver<Event> {
        let (sender, receiver) = mpsc::channel();
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(sender);
        receiver
    }

    pub fn client_count(&self) -> usize {
        self.clients.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Serves one page's event stream until it goes away. `current` is sent first (the errors
    /// of the current build, if any), so a page opened while the site is broken shows them.
    pub fn stream(&self, mut writer: Box<dyn Write + Send>, current: Option<Event>) {
        let receiver = self.subscribe();
        let head = ": ecosite\n\n";
        if writer
            .write_all(head.as_bytes())
            .and_then(|_| writer.flush())
            .is_err()
        {
            return;
        }
        if let Some(event) = current {
            if writer
                .write_all(event.to_sse().as_bytes())
                .and_then(|_| writer.flush())
                .is_err()
            {
                return;
            }
        }
        loop {
            let chunk = match receiver.recv_timeout(Duration::from_secs(15)) {
                Ok(event) => event.to_sse(),
                // A comment now and then finds out whether the page is still there.
                Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if writer
                .write_all(chunk.as_bytes())
                .and_then(|_| writer.flush())
                .is_err()
            {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_body_end() {
        let page = inject(b"<html><body><p>x</p></body></html>");
        let text = String::from_utf8(page).unwrap();
        assert!(text.contains("<p>x</p><script>"));
        assert!(text.ends_with("</script></body></html>"));
        assert!(String::from_utf8(inject(b"<p>no body end"))
            .unwrap()
            .ends_with("</script>"));
    }

    #[test]
    fn events_are_server_sent_events() {
        let e = Event::Reload {
            pages: vec!["/a/".into()],
            all: false,
        };
        assert_eq!(
            e.to_sse(),
            "event: reload\ndata: {\"all\":false,\"pages\":[\"/a/\"]}\n\n"
        );
        assert!(Event::Errors("第1行\n第2行".into())
            .to_sse()
            .starts_with("event: errors\ndata: {\"text\":\"第1行\\n第2行\"}"));
    }

    #[test]
    fn gone_clients_are_forgotten() {
        let hub = Hub::default();
        let kept = hub.subscribe();
        drop(hub.subscribe());
        hub.broadcast(&Event::Errors("x".into()));
        assert_eq!(hub.client_count(), 1);
        assert_eq!(kept.recv().unwrap(), Event::Errors("x".into()));
    }
}
