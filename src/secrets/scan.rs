//! Reading a file for the detector: in chunks of any size, its encoding told by its first
//! bytes (UTF-8 or another ASCII-compatible one, UTF-16 with or without a byte order mark,
//! or binary), each line searched once.

use super::patterns::*;
use super::*;

/// What `bytes` hold that looks like a secret, in the order of the lines.
pub fn find(bytes: &[u8]) -> Vec<Finding> {
    // Reading from memory cannot fail.
    find_in(bytes, CHUNK).unwrap_or_default()
}

/// [`find`] for a reader, read `chunk` bytes at a time.
pub fn find_in(mut reader: impl Read, chunk: usize) -> std::io::Result<Vec<Finding>> {
    let mut head = vec![0; SNIFF];
    let n = fill(&mut reader, &mut head)?;
    head.truncate(n);
    let (encoding, bom) = sniff(&head);
    let mut scan = Scan {
        encoding,
        pending: Vec::new(),
        lines: 0,
        odd: None,
        high: None,
        searched: 0,
        escaped: None,
        found: Vec::new(),
    };
    scan.feed(&head[bom..], false);
    let mut buf = vec![0; chunk.max(1)];
    while scan.found.len() < MAX_PER_FILE {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        scan.feed(&buf[..n], false);
    }
    scan.feed(&[], true);
    scan.found.truncate(MAX_PER_FILE);
    Ok(scan.found)
}

/// Reads until `buf` is full or the reader ends.
pub(super) fn fill(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    /// UTF-8 or any encoding in which ASCII is ASCII.
    Text,
    Utf16 {
        big_endian: bool,
    },
    Binary,
}

/// The encoding of a file starting with `head`, and the length of its byte order mark.
pub(super) fn sniff(head: &[u8]) -> (Encoding, usize) {
    if head.starts_with(b"\xef\xbb\xbf") {
        return (Encoding::Text, 3);
    }
    if head.starts_with(b"\xff\xfe") {
        return (Encoding::Utf16 { big_endian: false }, 2);
    }
    if head.starts_with(b"\xfe\xff") {
        return (Encoding::Utf16 { big_endian: true }, 2);
    }
    if !head.contains(&0) {
        return (Encoding::Text, 0);
    }
    // UTF-16 without a mark: mostly ASCII, so one byte of nearly every pair is zero, and
    // the other nearly never.
    let pairs = head.len() / 2;
    let zero_first = head.chunks_exact(2).filter(|p| p[0] == 0).count();
    let zero_second = head.chunks_exact(2).filter(|p| p[1] == 0).count();
    if zero_second * 10 >= pairs * 7 && zero_first * 20 <= pairs {
        (Encoding::Utf16 { big_endian: false }, 0)
    } else if zero_first * 10 >= pairs * 7 && zero_second * 20 <= pairs {
        (Encoding::Utf16 { big_endian: true }, 0)
    } else {
        (Encoding::Binary, 0)
    }
}

pub(super) struct Scan {
    encoding: Encoding,
    /// Not yet searched: the unfinished last line (text, as UTF-8 for UTF-16 files), or
    /// the bytes a key marker or token could still straddle (binary).
    pending: Vec<u8>,
    /// Newlines before `pending`.
    lines: usize,
    /// UTF-16: the first byte of a code unit, and a high surrogate, left from the last read.
    odd: Option<u8>,
    high: Option<u16>,
    /// Binary: how much of `pending` has been searched already.
    searched: usize,
    /// Text: the last line looked at for `not-a-secret`, and whether it had it.
    escaped: Option<(usize, bool)>,
    found: Vec<Finding>,
}

impl Scan {
    fn feed(&mut self, bytes: &[u8], last: bool) {
        match self.encoding {
            Encoding::Text => {
                let new = self.pending.len();
                self.pending.extend_from_slice(bytes);
                self.text(new, last);
            }
            Encoding::Utf16 { big_endian } => {
                let new = self.pending.len();
                self.decode_utf16(bytes, big_endian, last);
                self.text(new, last);
            }
            Encoding::Binary => {
                self.pending.extend_from_slice(bytes);
                self.binary(last);
            }
        }
    }

    /// Searches the complete lines of `pending` (all of it at the end); `new` is where
    /// what was just added starts (the rest holds no newline).
    fn text(&mut self, new: usize, last: bool) {
        let end = if last {
            self.pending.len()
        } else {
            match memchr::memrchr(b'\n', &self.pending[new..]) {
                Some(i) => new + i + 1,
                None => return,
            }
        };
        let block = &self.pending[..end];
        let mut candidates = Vec::new();
        marks(block, 0, block.len(), false, &mut candidates);
        assignments(block, &mut candidates);
        candidates.sort_by_key(|c| c.offset);
        let mut counted = 0;
        let mut line = self.lines + 1;
        let mut placed = Vec::with_capacity(candidates.len());
        for c in candidates {
            line += memchr::memchr_iter(b'\n', &block[counted..c.offset]).count();
            counted = c.offset;
            placed.push((line, c));
        }
        self.lines = line - 1 + memchr::memchr_iter(b'\n', &block[counted..]).count();
        placed.sort_by_key(|(line, c)| (*line, c.rank));
        for (line, c) in placed {
            if self.found.last().is_some_and(|f| f.line == line) {
                continue;
            }
            let escaped = match self.escaped {
                Some((l, escaped)) if l == line => escaped,
                _ => {
                    let escaped = has_escape(line_around(block, c.offset));
                    self.escaped = Some((line, escaped));
                    escaped
                }
            };
            if !escaped {
                self.found.push(c.finding(line));
            }
        }
        self.pending.drain(..end);
    }

    /// Searches `pending` for key markers and tokens that start where there is enough
    /// after them to decide (everything, at the end), then forgets what is behind.
    fn binary(&mut self, last: bool) {
        let limit = if last {
            self.pending.len()
        } else {
            self.pending.len().saturating_sub(LOOKAHEAD)
        };
        if limit <= self.searched {
            return;
        }
        let window = &self.pending[..];
        let mut candidates = Vec::new();
        marks(window, self.searched, limit, true, &mut candidates);
        // By place alone: a line can be split between two searches.
        candidates.sort_by_key(|c| c.offset);
        let mut counted = 0;
        let mut line = self.lines + 1;
        for c in candidates {
            line += memchr::memchr_iter(b'\n', &window[counted..c.offset]).count();
            counted = c.offset;
            if self.found.last().is_none_or(|f| f.line != line) {
                self.found.push(c.finding(line));
            }
        }
        // One byte stays behind the next search, for the word boundary before a token.
        let keep_from = limit - 1;
        self.lines += memchr::memchr_iter(b'\n', &self.pending[..keep_from]).count();
        self.pending.drain(..keep_from);
        self.searched = 1;
    }

    fn decode_utf16(&mut self, bytes: &[u8], big_endian: bool, last: bool) {
        let unit = |a: u8, b: u8| {
            if big_endian {
                u16::from_be_bytes([a, b])
            } else {
                u16::from_le_bytes([a, b])
            }
        };
        let mut i = 0;
        if let (Some(a), Some(&b)) = (self.odd, bytes.first()) {
            self.odd = None;
            self.push_unit(unit(a, b));
            i = 1;
        }
        while i + 1 < bytes.len() {
            self.push_unit(unit(bytes[i], bytes[i + 1]));
            i += 2;
        }
        if i < bytes.len() {
            self.odd = Some(bytes[i]);
        }
        if last && (self.high.take().is_some() | self.odd.take().is_some()) {
            self.push_char(char::REPLACEMENT_CHARACTER);
        }
    }

    fn push_unit(&mut self, unit: u16) {
        if let Some(high) = self.high.take() {
            if (0xdc00..0xe000).contains(&unit) {
                let c = 0x10000 + ((u32::from(high) - 0xd800) << 10) + (u32::from(unit) - 0xdc00);
                self.push_char(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                return;
            }
            self.push_char(char::REPLACEMENT_CHARACTER);
        }
        if (0xd800..0xdc00).contains(&unit) {
            self.high = Some(unit);
        } else {
            self.push_char(char::from_u32(unit.into()).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
    }

    fn push_char(&mut self, c: char) {
        let mut buf = [0; 4];
        self.pending
            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
}
