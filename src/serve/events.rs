//! The event stream the injected reload script listens to: what changed, as server-sent
//! events, from the moment a page opens until it closes or the server stops.
//!
//! A stream holds its connection for as long as its page is open, so event streams may take
//! only a share of serve's connections ([`Streams`]): pages always find one, whatever number
//! of tabs (or of streams a hostile page opens) there are.

use super::http::Shared;
use axum::http::{header, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, oneshot};

/// The event stream the injected script listens to. Paths under `/__brief/` are never
/// site pages.
pub const EVENTS: &str = "/__brief/events";

/// A message to every open page.
#[derive(Debug, Clone)]
pub enum Message {
    /// These pages changed (`None`: any page may have); `ok` says the build is now good.
    Reload {
        stamp: String,
        pages: Option<Vec<String>>,
        ok: bool,
    },
    /// A stylesheet changed.
    Css { stamp: String },
    /// The build failed: the diagnostics as text.
    Failed { stamp: String, text: String },
}

impl Message {
    fn event(&self) -> Event {
        match self {
            Message::Reload { stamp, pages, ok } => Event::default()
                .event("reload")
                .data(serde_json::json!({"stamp": stamp, "pages": pages, "ok": ok}).to_string()),
            Message::Css { stamp } => Event::default().event("css").data(stamp),
            Message::Failed { stamp, text } => Event::default()
                .event("failed")
                .data(serde_json::json!({"stamp": stamp, "text": text}).to_string()),
        }
    }
}

/// The open event streams, oldest first, each with the way to end it. A stream holds its
/// connection for as long as its page is open, so streams get at most `cap` of the
/// connections: past it the oldest is ended rather than the new one refused. Its browser
/// reconnects half a second later and the `hello` stamp tells it whether it missed a change,
/// so nothing is lost; a refused stream (503) would never be tried again by its browser,
/// and that page would stop reloading without a word. Pages keep the other connections.
pub struct Streams {
    cap: usize,
    open: Mutex<VecDeque<oneshot::Sender<()>>>,
}

impl Streams {
    pub fn new(cap: usize) -> Streams {
        Streams {
            cap: cap.max(1),
            open: Mutex::default(),
        }
    }

    /// Makes room for one more stream, ending the oldest when all places are taken; the
    /// receiver says when this one is to end.
    fn join(&self) -> oneshot::Receiver<()> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        // Those whose client has gone no longer hold a connection.
        open.retain(|end| !end.is_closed());
        while open.len() >= self.cap {
            if let Some(oldest) = open.pop_front() {
                let _ = oldest.send(());
            }
        }
        let (end, ended) = oneshot::channel();
        open.push_back(end);
        ended
    }
}

/// The answer to a request for [`EVENTS`]. Its connection closes when the stream ends, so
/// that an ended stream's place goes at once to whoever waits.
pub fn response(shared: Arc<Shared>) -> Response {
    let mut response = events(shared).into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The event stream: a `hello` with the current stamp, then every message, until the
/// server stops or newer streams need its place.
fn events(shared: Arc<Shared>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let ended = shared.streams.join();
    let receiver = shared.messages.subscribe();
    let stamp = shared
        .served
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .stamp
        .clone();
    let hello = Event::default()
        .event("hello")
        .data(stamp)
        .retry(Duration::from_millis(500));
    let stopping = shared.stopping.clone();
    let rest = stream::unfold(
        (receiver, stopping, ended, shared),
        |(mut receiver, mut stopping, mut ended, shared)| async move {
            if *stopping.borrow() {
                return None;
            }
            let event = tokio::select! {
                _ = stopping.changed() => return None,
                _ = &mut ended => return None,
                message = receiver.recv() => match message {
                    Ok(message) => message.event(),
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        let stamp = shared.served.read().unwrap_or_else(|e| e.into_inner()).stamp.clone();
                        Message::Reload { stamp, pages: None, ok: true }.event()
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
            };
            Some((Ok(event), (receiver, stopping, ended, shared)))
        },
    );
    Sse::new(stream::once(async { Ok(hello) }).chain(rest)).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::oneshot::error::TryRecvError;

    #[test]
    fn past_the_cap_the_oldest_stream_ends_and_a_gone_one_frees_its_place() {
        let streams = Streams::new(2);
        let mut first = streams.join();
        let mut second = streams.join();
        assert_eq!(first.try_recv(), Err(TryRecvError::Empty));
        let mut third = streams.join();
        assert_eq!(first.try_recv(), Ok(()));
        assert_eq!(second.try_recv(), Err(TryRecvError::Empty));
        // Its page closed: no stream has to end for the next one.
        drop(second);
        let mut fourth = streams.join();
        assert_eq!(third.try_recv(), Err(TryRecvError::Empty));
        assert_eq!(fourth.try_recv(), Err(TryRecvError::Empty));
    }
}
