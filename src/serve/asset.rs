//! Assets streamed from disk, a piece at a time, with HEAD and byte ranges.

use super::http::respond;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use futures_util::stream::{self, Stream};
use std::io::SeekFrom;
use std::path::Path;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// Assets are sent in pieces of this size, read as the client takes them.
const CHUNK: usize = 64 * 1024;

/// Which bytes of a file a request asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Span {
    Whole,
    /// From `first` to `last`, both included.
    Part {
        first: u64,
        last: u64,
    },
    /// A range that starts past the end: 416.
    Unsatisfiable,
}

/// The span a `Range` header asks for in a file of `len` bytes. Headers that are not one
/// well-formed byte range are ignored, as the HTTP standard allows; so are several ranges
/// (`bytes=0-1,5-6`): the whole file is simpler for everyone than a multipart answer.
pub fn span(range: Option<&str>, len: u64) -> Span {
    let Some((unit, spec)) = range.and_then(|r| r.trim().split_once('=')) else {
        return Span::Whole;
    };
    if !unit.trim().eq_ignore_ascii_case("bytes") || spec.contains(',') {
        return Span::Whole;
    }
    let Some((first, last)) = spec.split_once('-') else {
        return Span::Whole;
    };
    let number = |s: &str| {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    match (first.trim().is_empty(), number(first), number(last)) {
        // The last `n` bytes.
        (true, _, Some(n)) if n == 0 || len == 0 => Span::Unsatisfiable,
        (true, _, Some(n)) => Span::Part {
            first: len.saturating_sub(n),
            last: len - 1,
        },
        (false, Some(first), _)
            if first >= len
                && (last.trim().is_empty() || number(last).is_some_and(|l| l >= first)) =>
        {
            Span::Unsatisfiable
        }
        (false, Some(first), None) if last.trim().is_empty() => Span::Part {
            first,
            last: len - 1,
        },
        (false, Some(first), Some(last)) if last >= first => Span::Part {
            first,
            last: last.min(len - 1),
        },
        _ => Span::Whole,
    }
}

/// An asset streamed from disk: the whole file, or the range asked for; headers only
/// for HEAD.
pub(super) async fn asset(
    source: &Path,
    file: &str,
    head: bool,
    headers: &HeaderMap,
) -> std::io::Result<Response> {
    let mut opened = tokio::fs::File::open(source).await?;
    let metadata = opened.metadata().await?;
    if !metadata.is_file() {
        return Err(std::io::ErrorKind::NotFound.into());
    }
    let len = metadata.len();
    // brief sends no validators, so an If-Range can never match: send the whole file.
    let range = match headers.contains_key(header::IF_RANGE) {
        true => None,
        false => headers.get(header::RANGE).and_then(|v| v.to_str().ok()),
    };
    let (status, first, count) = match span(range, len) {
        Span::Whole => (StatusCode::OK, 0, len),
        Span::Part { first, last } => (StatusCode::PARTIAL_CONTENT, first, last - first + 1),
        Span::Unsatisfiable => {
            let mut response = respond(StatusCode::RANGE_NOT_SATISFIABLE, "x.txt", "");
            insert(
                &mut response,
                header::CONTENT_RANGE,
                format!("bytes */{len}"),
            );
            return Ok(response);
        }
    };
    let body = if head || count == 0 {
        Body::empty()
    } else {
        opened.seek(SeekFrom::Start(first)).await?;
        Body::from_stream(chunks(opened.take(count)))
    };
    let mut response = respond(status, file, body);
    insert(&mut response, header::CONTENT_LENGTH, count.to_string());
    response
        .headers_mut()
        .insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if status == StatusCode::PARTIAL_CONTENT {
        let last = first + count - 1;
        insert(
            &mut response,
            header::CONTENT_RANGE,
            format!("bytes {first}-{last}/{len}"),
        );
    }
    Ok(response)
}

/// The bytes of `reader`, a piece at a time, each read only when the client has taken
/// the one before.
fn chunks(
    reader: impl tokio::io::AsyncRead + Unpin + Send + 'static,
) -> impl Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    stream::unfold(Some(reader), |reader| async move {
        let mut reader = reader?;
        let mut buffer = vec![0; CHUNK];
        match reader.read(&mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok(Bytes::from(buffer)), Some(reader)))
            }
            Err(e) => Some((Err(e), None)),
        }
    })
}

fn insert(response: &mut Response, name: header::HeaderName, value: String) {
    if let Ok(value) = HeaderValue::from_str(&value) {
        response.headers_mut().insert(name, value);
    }
}
