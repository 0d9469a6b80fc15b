//! The preview server's connections (hyper, HTTP/1.1): bounded so that no request can stop or
//! starve it. Request bodies are never read (only GET and HEAD are answered), the request line
//! and headers together are limited to [`MAX_HEAD`] bytes, a connection that sends no complete
//! request head within [`HEADER_TIMEOUT`] is closed, and at most [`MAX_CONNECTIONS`] are open
//! at once. What to answer is decided by [`Preview::respond`]; this file only speaks HTTP.

use std::convert::Infallible;
use std::io::{self, Write};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Full};
use hyper::body::{Body, Frame, Incoming};
use hyper::header::{HeaderValue, ALLOW, CACHE_CONTROL, CONNECTION, CONTENT_TYPE, LOCATION};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{mpsc, Semaphore};

use super::{Preview, Reply};

/// The request line and headers together, in bytes (hyper's smallest buffer is 8 KiB).
pub const MAX_HEAD: usize = 16 * 1024;
/// How long a connection may take to send a complete request head, idle ones included.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Open connections at once; live-reload event streams count too.
pub const MAX_CONNECTIONS: usize = 256;

type ResponseBody = BoxBody<Bytes, Infallible>;

/// Serves `preview` on `listener` until the process ends.
pub fn serve(listener: std::net::TcpListener, preview: Arc<Preview>) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                // Out of file descriptors or a connection reset before accept: try again soon.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            };
            // Over the limit the connection is closed at once rather than queued.
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                continue;
            };
            let preview = preview.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| {
                    let preview = preview.clone();
                    async move { Ok::<_, Infallible>(answer(&preview, &request)) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    // `Content-Type`, not `content-type`: some older tools compare the case.
                    .title_case_headers(true)
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .max_buf_size(MAX_HEAD)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
                drop(slot);
            });
        }
    })
}

fn full(status: StatusCode, body: impl Into<Bytes>) -> Response<ResponseBody> {
    let mut response = Response::new(Full::new(body.into()).boxed());
    *response.status_mut() = status;
    response
}

fn answer(preview: &Preview, request: &Request<Incoming>) -> Response<ResponseBody> {
    let target = request.uri().path_and_query().map_or("/", |p| p.as_str());
    match preview.respond(request.method().as_str(), target) {
        Reply::MethodNotAllowed => {
            let mut response = full(
                StatusCode::METHOD_NOT_ALLOWED,
                "只支持 GET 和 HEAD (only GET and HEAD)",
            );
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
            // The body that may follow is never read: end the connection instead.
            response
                .headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
            response
        }
        Reply::Redirect(location) => {
            let mut response = full(StatusCode::MOVED_PERMANENTLY, Bytes::new());
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(LOCATION, value);
            }
            response
        }
        Reply::File {
            status,
            content_type,
            body,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut response = full(status, body);
            let headers = response.headers_mut();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Reply::Events(current) => {
            let (sender, receiver) = mpsc::channel(16);
            let hub = preview.clone_hub();
            // The hub blocks between events: it gets a thread of its own, as before.
            std::thread::spawn(move || hub.stream(Box::new(ChannelWriter(sender)), current));
            let mut response = Response::new(EventBody(receiver).boxed());
            let headers = response.headers_mut();
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/event-stream; charset=utf-8"),
            );
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
    }
}

/// The write end of an event stream: fails once the page has gone, which ends the stream.
struct ChannelWriter(mpsc::Sender<Bytes>);

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .blocking_send(Bytes::copy_from_slice(bytes))
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))?;
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The body of an event stream: whatever the hub writes, as it is written.
struct EventBody(mpsc::Receiver<Bytes>);

impl Body for EventBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0
            .poll_recv(context)
            .map(|chunk| chunk.map(|bytes| Ok(Frame::data(bytes))))
    }
}
