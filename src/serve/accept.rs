//! brief's own accept loop under axum's router: hyper with a header-read timeout (which
//! `axum::serve` never sets), a cap on connections, and sockets whose writes fail when the
//! client stops reading. Loopback is not a safe place: any web page the user opens can make
//! the browser talk to the preview. The event streams, which hold their connections, are
//! kept to a share of the cap by `http::Streams`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{watch, Semaphore};

/// How long a client may take to send a request's headers, counted from the moment the
/// connection is ready for one: a socket that sends nothing, half a request line, or sits
/// idle after an answer is closed after this.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a client may leave an answer unread (its socket full) before the connection
/// is dropped: one that asks and never reads must not hold its place for ever. The event
/// stream sends a few bytes every 15 seconds, which never fill a socket a browser reads.
pub const WRITE_STALL: Duration = Duration::from_secs(30);

/// Serves `app` on `listener`, at most `connections` at once, until `stop` completes;
/// then lets answers in flight finish for a moment.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    connections: usize,
    stop: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(connections));
    let (closing, closing_seen) = watch::channel(false);
    let mut warned: Option<Instant> = None;
    tokio::pin!(stop);
    loop {
        // A slot first: past the cap, new connections wait in the kernel's queue, which
        // costs this process no descriptor.
        let slot = tokio::select! {
            _ = &mut stop => break,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors (other files open) or a connection reset before
                    // it was accepted: wait a little and go on serving.
                    if warned.is_none_or(|t| t.elapsed() > Duration::from_secs(10)) {
                        eprintln!("warning: cannot accept a connection: {e}");
                        warned = Some(Instant::now());
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let app = app.clone();
        let mut closing = closing_seen.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let _ = stream.set_nodelay(true);
            let service = hyper_util::service::TowerToHyperService::new(app);
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT);
            let stream = Stalling {
                stream,
                stalled: None,
            };
            let connection =
                builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = closing.wait_for(|c| *c) => connection.as_mut().graceful_shutdown(),
            }
            let _ = connection.await;
        });
    }
    drop(listener);
    let _ = closing.send(true);
    let all = u32::try_from(connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(Duration::from_secs(2), slots.acquire_many(all)).await;
}

/// A connection's socket whose writes fail once the client has taken nothing for
/// [`WRITE_STALL`].
struct Stalling {
    stream: tokio::net::TcpStream,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Stalling {
    /// The socket is full: `Pending` until it has been full for too long.
    fn wait<T>(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<T>> {
        let timer = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_STALL)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn progress<T>(
        &mut self,
        written: Poll<std::io::Result<T>>,
        cx: &mut Context<'_>,
    ) -> Poll<std::io::Result<T>> {
        match written {
            Poll::Pending => self.wait(cx),
            ready => {
                self.stalled = None;
                ready
            }
        }
    }
}

impl AsyncRead for Stalling {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Stalling {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let written = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.progress(written, cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let written = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.progress(written, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let flushed = Pin::new(&mut self.stream).poll_flush(cx);
        self.progress(flushed, cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
