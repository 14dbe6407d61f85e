//! Refusing to publish keys and tokens: the stage that runs before anything is rendered
//! (`build`, `check`) and before a file is served (`serve`).
//!
//! Every file that could reach the output is read: `site.toml`, everything under
//! `templates/` (shortcodes included), `content/` and `assets/`, hidden files too (they are
//! never published, but a secret beside the site is one push away from being shared).
//! A file is refused for its name (`.env`, `id_rsa`, `*.pem`) or for its bytes, whatever
//! its name: private key blocks, cloud and forge tokens with known prefixes, and values
//! given to keys named like secrets (`KEY=value`, `key: value`, `"key": "value"`).
//!
//! Files are read in chunks, so any size is searched without holding it in memory. The
//! first bytes tell the encoding: UTF-8 or another ASCII-compatible one, UTF-16 with or
//! without a byte order mark (decoded before searching), or binary, where only key
//! markers (in ASCII and UTF-16) and tokens are looked for, which keeps large images cheap.
//!
//! A made-up example that looks like a secret is let through when its line says
//! `not-a-secret`. Messages name the key and never show the value.

use crate::config;
use crate::content::{self, relative};
use crate::diagnostic::{sorted, Diagnostic};
use crate::render;
use crate::site::{Document, ASSETS};
use memchr::memmem;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Written on a line, tells brief that what looks like a secret there is not one.
pub const NOT_A_SECRET: &str = "not-a-secret";
/// How much is read at a time.
const CHUNK: usize = 256 << 10;
/// How much of the start of a file decides its encoding.
const SNIFF: usize = 8 << 10;
/// Bytes a key marker or a token may need after where it starts (a token is at most 211,
/// a UTF-16 marker 194); a binary file is searched in windows that overlap by this much.
const LOOKAHEAD: usize = 256;
/// Findings reported per file: the file is refused either way.
const MAX_PER_FILE: usize = 20;
/// Longest key name and value looked at around a `=` or `:`.
const MAX_KEY: usize = 128;
const MAX_VALUE: usize = 512;

const KEY_HINT: &str = "move the key out of the site's folder (and out of version control) and replace it: anyone who has seen it can use it; if it is a made-up example, write `not-a-secret` on that line";
const VALUE_HINT: &str = "move the value out of the site (into the environment or a secrets store) and change it where it is used; if it is a made-up example, write `not-a-secret` on that line";
const NAME_HINT: &str = "move it out of the site's folder (and out of version control); brief will not publish a site that holds it";

/// One thing that looks like a secret, described without showing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based; in a binary file, counted by its newline bytes.
    pub line: usize,
    pub what: String,
    /// A private key rather than a value: the fix is to replace the key.
    pub key: bool,
}

// ---------------------------------------------------------------------------------------
// The site's files

/// Every secret in the files that could be published. `docs` are files already read.
pub fn scan(root: &Path, docs: &[&Document]) -> Vec<Diagnostic> {
    let known: HashMap<&Path, &[u8]> = docs
        .iter()
        .map(|d| (d.file.as_path(), d.text.as_bytes()))
        .collect();
    let mut files = Vec::new();
    let toml = root.join(config::FILE);
    if toml.is_file() {
        files.push(toml);
    }
    for dir in [render::DIR, content::DIR, ASSETS] {
        files.extend(files_under(root, &root.join(dir)));
    }
    let found: Vec<Diagnostic> = files
        .par_iter()
        .flat_map_iter(|path| {
            let file = relative(root, path);
            match known.get(file.as_path()) {
                Some(text) => in_text(&file, text),
                None => in_file(root, path),
            }
        })
        .collect();
    sorted(found)
}

/// Every secret under `ROOT/dir`.
pub fn scan_folder(root: &Path, dir: &str) -> Vec<Diagnostic> {
    let files = files_under(root, &root.join(dir));
    sorted(
        files
            .par_iter()
            .flat_map_iter(|path| in_file(root, path))
            .collect(),
    )
}

/// The files under `dir`, through links that stay inside the site. Links that leave it,
/// and folders that cannot be read, are reported by the loaders, which refuse them.
fn files_under(root: &Path, dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| content::outside_link(root, e).is_none())
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// The secrets in one file on disk (`path` is under `root`).
pub fn in_file(root: &Path, path: &Path) -> Vec<Diagnostic> {
    let file = relative(root, path);
    if let Some(d) = by_name(&file) {
        return vec![d];
    }
    // Only regular files: opening a FIFO would wait for a writer.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return Vec::new();
    }
    match std::fs::File::open(path).and_then(|f| find_in(f, CHUNK)) {
        Ok(found) => diagnostics(&file, found),
        Err(e) => vec![content::io_error(&file, "cannot read the file", &e)],
    }
}

/// The secrets in a file already read.
pub fn in_text(file: &Path, bytes: &[u8]) -> Vec<Diagnostic> {
    match by_name(file) {
        Some(d) => vec![d],
        None => diagnostics(file, find(bytes)),
    }
}

fn diagnostics(file: &Path, found: Vec<Finding>) -> Vec<Diagnostic> {
    found
        .into_iter()
        .map(|f| {
            Diagnostic::error(format!("this file holds {}", f.what))
                .in_file(file)
                .on_line(f.line)
                .with_hint(if f.key { KEY_HINT } else { VALUE_HINT })
        })
        .collect()
}

/// Files whose name says what they hold.
fn by_name(file: &Path) -> Option<Diagnostic> {
    let name = file.file_name()?.to_string_lossy().to_lowercase();
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let why = if name == ".env" || name.starts_with(".env.") || name.ends_with(".env") {
        format!("`{name}` files hold environment secrets")
    } else if [
        "id_rsa",
        "id_dsa",
        "id_ecdsa",
        "id_ed25519",
        "id_ecdsa_sk",
        "id_ed25519_sk",
    ]
    .contains(&name.as_str())
    {
        format!("`{name}` is an SSH private key")
    } else if ["pem", "key", "p12", "pfx", "jks", "keystore", "ppk"].contains(&ext.as_str()) {
        format!("`.{ext}` files hold private keys or certificates")
    } else if [
        ".htpasswd",
        ".netrc",
        ".pgpass",
        ".npmrc",
        ".pypirc",
        ".git-credentials",
    ]
    .contains(&name.as_str())
    {
        format!("`{name}` holds passwords or tokens")
    } else {
        return None;
    };
    Some(
        Diagnostic::error(format!("this file looks like a secret: {why}"))
            .in_file(file)
            .with_hint(NAME_HINT),
    )
}

// ---------------------------------------------------------------------------------------
// The detector

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
fn fill(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
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
enum Encoding {
    /// UTF-8 or any encoding in which ASCII is ASCII.
    Text,
    Utf16 {
        big_endian: bool,
    },
    Binary,
}

/// The encoding of a file starting with `head`, and the length of its byte order mark.
fn sniff(head: &[u8]) -> (Encoding, usize) {
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

struct Scan {
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

/// A place in the text that looks like a secret.
struct Candidate {
    offset: usize,
    what: String,
    /// What wins when a line holds several: a key, then a token, then a value.
    rank: u8,
}

impl Candidate {
    fn finding(self, line: usize) -> Finding {
        Finding {
            line,
            what: self.what,
            key: self.rank == 0,
        }
    }
}

/// The line of `text` holding `offset`.
fn line_around(text: &[u8], offset: usize) -> &[u8] {
    let start = memchr::memrchr(b'\n', &text[..offset]).map_or(0, |p| p + 1);
    let end = memchr::memchr(b'\n', &text[offset..]).map_or(text.len(), |p| offset + p);
    &text[start..end]
}

fn has_escape(line: &[u8]) -> bool {
    line.windows(NOT_A_SECRET.len())
        .any(|w| w.eq_ignore_ascii_case(NOT_A_SECRET.as_bytes()))
}

/// Key markers and tokens starting in `text[from..limit]` (`binary`: markers written in
/// UTF-16 too). Each holds a `-`, a `_` or starts with `A` at a fixed place, so one memchr
/// pass finds every place worth a closer look: cheap at any size.
fn marks(text: &[u8], from: usize, limit: usize, binary: bool, out: &mut Vec<Candidate>) {
    let end = text.len().min(limit + 8);
    let mut add = |offset: usize, what: String, rank: u8| {
        if (from..limit).contains(&offset) {
            out.push(Candidate { offset, what, rank });
        }
    };
    for p in memchr::memchr3_iter(b'-', b'_', b'A', &text[from..end]) {
        let p = from + p;
        let back = |n: usize| p.checked_sub(n);
        // Most places are nothing: tell them by a neighbouring byte before looking closer.
        let byte = |at: Option<usize>| at.and_then(|at| text.get(at).copied());
        let worth = match text[p] {
            b'A' => matches!(byte(Some(p + 1)), Some(b'K' | b'S' | b'I')),
            b'_' => matches!(
                byte(back(1)),
                Some(b'p' | b'o' | b'u' | b's' | b'r' | b'b' | b'k' | b'm')
            ),
            _ => {
                byte(Some(p + 1)) == Some(b'-')
                    || (binary && (byte(Some(p + 1)) == Some(0) || byte(back(1)) == Some(0)))
                    || byte(back(7)) == Some(b'o')
                    || matches!(byte(back(5)), Some(b'P' | b'g'))
                    || byte(back(4)) == Some(b'x')
            }
        };
        if !worth {
            continue;
        }
        let starts =
            |at: Option<usize>, marker: &[u8]| at.filter(|&at| text[at..].starts_with(marker));
        if text[p] == b'-' {
            if let Some(label) = starts(Some(p), b"-----BEGIN ").and_then(|_| pem_label(&text[p..]))
            {
                add(p, format!("a private key (`-----BEGIN {label}-----`)"), 0);
            }
            if binary {
                for (at, big_endian, marker) in
                    [(Some(p), false, BEGIN_LE), (back(1), true, BEGIN_BE)]
                {
                    if let Some(at) = starts(at, marker) {
                        if let Some(label) = pem_label(&ascii_of_utf16(&text[at..], big_endian)) {
                            add(
                                at,
                                format!("a private key in UTF-16 (`-----BEGIN {label}-----`)"),
                                0,
                            );
                        }
                    }
                }
            }
            if let Some(at) = starts(back(7), b"openssh-key-v1\0") {
                add(at, "an OpenSSH private key".into(), 0);
            }
            if let Some(at) = starts(back(5), b"PuTTY-User-Key-File-") {
                let at_line_start = at == 0 || text[at - 1] == b'\n';
                if at_line_start && text.get(at + 20).is_some_and(u8::is_ascii_digit) {
                    add(at, "a PuTTY private key".into(), 0);
                }
            }
        }
        let starts: &[usize] = match text[p] {
            b'A' => &[0],
            b'_' => &[3, 6, 2],
            _ => &[5, 4],
        };
        for &n in starts {
            if let Some((at, what)) = back(n).and_then(|at| token_at(text, at)) {
                add(at, what, 1);
            }
        }
    }
}

/// `-----BEGIN ` in UTF-16, little- and big-endian.
const BEGIN_LE: &[u8] = b"-\0-\0-\0-\0-\0B\0E\0G\0I\0N\0 \0";
const BEGIN_BE: &[u8] = b"\0-\0-\0-\0-\0-\0B\0E\0G\0I\0N\0 ";

/// The start of UTF-16 `bytes` as ASCII, any other character as a byte no marker holds.
fn ascii_of_utf16(bytes: &[u8], big_endian: bool) -> Vec<u8> {
    bytes[..bytes.len().min(LOOKAHEAD)]
        .chunks_exact(2)
        .map(|p| {
            let unit = if big_endian {
                u16::from_be_bytes([p[0], p[1]])
            } else {
                u16::from_le_bytes([p[0], p[1]])
            };
            u8::try_from(unit).ok().filter(u8::is_ascii).unwrap_or(0xff)
        })
        .collect()
}

/// The label of a private key block at the start of `at` (which starts `-----BEGIN `),
/// when the line ends after it, as in a key file, rather than going on, as a mention of
/// one in prose does. A `\` after it is a key inside a JSON string (`\n` follows).
fn pem_label(at: &[u8]) -> Option<&str> {
    let rest = at.get(11..)?;
    let n = rest
        .iter()
        .take(64)
        .position(|&b| !(b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' '))?;
    let label = &rest[..n];
    if !rest[n..].starts_with(b"-----") || memmem::find(label, b"PRIVATE KEY").is_none() {
        return None;
    }
    let after = &rest[n + 5..];
    let spaces = after
        .iter()
        .take(16)
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    if spaces == 16 {
        return None;
    }
    match after.get(spaces) {
        None | Some(b'\r' | b'\n' | b'\\') => std::str::from_utf8(label).ok(),
        _ => None,
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn upper_or_digit(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn alnum_or_underscore(b: u8) -> bool {
    is_word(b)
}

fn alnum_or_dash(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

fn alnum_dash_or_underscore(b: u8) -> bool {
    is_word(b) || b == b'-'
}

/// A token with a known prefix starting at `at`, as a whole word: its description, with
/// only the public prefix shown. Bodies are capped so that a token fits in [`LOOKAHEAD`].
fn token_at(text: &[u8], at: usize) -> Option<(usize, String)> {
    if at > 0 && is_word(text[at - 1]) {
        return None;
    }
    let t = &text[at..];
    let class_at = |i: usize, set: &[u8]| t.get(i).is_some_and(|b| set.contains(b));
    // (what, prefix length, body bytes, shortest body, longest body, ends the word)
    type Shape = (&'static str, usize, fn(u8) -> bool, usize, usize, bool);
    let shape: Shape = if t.starts_with(b"AKIA") || t.starts_with(b"ASIA") {
        ("an AWS access key ID", 4, upper_or_digit, 16, 16, true)
    } else if t.starts_with(b"AIza") {
        (
            "a Google API key",
            4,
            alnum_dash_or_underscore,
            35,
            35,
            false,
        )
    } else if t.starts_with(b"github_pat_") {
        ("a GitHub token", 11, alnum_or_underscore, 22, 200, false)
    } else if t.starts_with(b"gh") && class_at(2, b"pousr") && class_at(3, b"_") {
        ("a GitHub token", 4, alnum, 36, 36, true)
    } else if t.starts_with(b"glpat-") {
        (
            "a GitLab token",
            6,
            alnum_dash_or_underscore,
            20,
            200,
            false,
        )
    } else if t.starts_with(b"xox") && class_at(3, b"baprs") && class_at(4, b"-") {
        ("a Slack token", 5, alnum_or_dash, 10, 200, false)
    } else if t.starts_with(b"sk_live_") || t.starts_with(b"rk_live_") {
        ("a Stripe live key", 8, alnum, 16, 200, false)
    } else if t.starts_with(b"npm_") {
        ("an npm token", 4, alnum, 36, 36, true)
    } else {
        return None;
    };
    let (kind, prefix, body_byte, min, max, whole_word) = shape;
    let body = &t[prefix..];
    let run = body
        .iter()
        .take(max + 1)
        .take_while(|&&b| body_byte(b))
        .count();
    if run < min || (whole_word && body.get(min).is_some_and(|&b| is_word(b))) {
        return None;
    }
    let body = &body[..run.min(max)];
    let mut distinct = [false; 256];
    body.iter().for_each(|&b| distinct[usize::from(b)] = true);
    let placeholder = distinct.iter().filter(|&&d| d).count() <= 3
        || memmem::find(&body.to_ascii_lowercase(), b"example").is_some();
    if placeholder {
        return None;
    }
    let shown = String::from_utf8_lossy(&t[..prefix]);
    Some((
        at,
        format!(
            "{kind}: `{shown}********` ({} characters)",
            prefix + body.len()
        ),
    ))
}

/// Values given to keys named like secrets, one per line at most.
fn assignments(text: &[u8], out: &mut Vec<Candidate>) {
    let mut start = 0;
    while start < text.len() {
        let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |p| start + p);
        let line = &text[start..end];
        for at in memchr::memchr2_iter(b'=', b':', line) {
            if let Some((key_start, what)) = assignment(line, at) {
                out.push(Candidate {
                    offset: start + key_start,
                    what,
                    rank: 2,
                });
                break;
            }
        }
        start = end + 1;
    }
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// `key = value`, `key: value` or `"key": "value"` around the `=` or `:` at `at`, when
/// the key names a secret and the value looks like one: where the key starts, and what
/// it is.
fn assignment(line: &[u8], at: usize) -> Option<(usize, String)> {
    let sep = line[at];
    let next = line.get(at + 1).copied();
    let prev = at.checked_sub(1).map(|i| line[i]);
    let colon = sep == b':';
    if colon {
        // `::` paths, `:=` (seen at its `=`), URLs' `://`.
        if matches!(next, Some(b':' | b'=' | b'/')) || prev == Some(b':') {
            return None;
        }
    } else if matches!(next, Some(b'=' | b'>' | b'~'))
        || matches!(
            prev,
            Some(b'=' | b'!' | b'<' | b'>' | b'+' | b'*' | b'/' | b'|' | b'&' | b'^' | b'%')
        )
    {
        return None;
    }

    let mut k = at;
    if prev == Some(b':') && !colon {
        k -= 1;
    }
    while k > 0 && matches!(line[k - 1], b' ' | b'\t') {
        k -= 1;
    }
    let quote = (k > 0 && matches!(line[k - 1], b'"' | b'\'')).then(|| line[k - 1]);
    let key_end = if quote.is_some() { k - 1 } else { k };
    let mut s = key_end;
    while s > 0 && key_end - s < MAX_KEY && is_key_byte(line[s - 1]) {
        s -= 1;
    }
    if s == key_end {
        return None;
    }
    let key_start = match quote {
        Some(q) if s > 0 && line[s - 1] == q => s - 1,
        Some(_) => return None,
        None => s,
    };
    let key = &line[s..key_end];
    let kind = secret_kind(key)?;
    if colon && quote.is_none() {
        // YAML and object keys: first on the line, or after `{`, `,` or a list's `-`.
        let before = line[..key_start].trim_ascii();
        let placed =
            before.is_empty() || before == b"-" || before.ends_with(b"{") || before.ends_with(b",");
        if !placed {
            return None;
        }
    }

    let mut v = at + 1;
    while v < line.len() && matches!(line[v], b' ' | b'\t') {
        v += 1;
    }
    let rest = &line[v..line.len().min(v + MAX_VALUE)];
    let (value, quoted) = match rest.first() {
        Some(&q @ (b'"' | b'\'')) => {
            let body = &rest[1..];
            let end = memchr::memchr(q, body).unwrap_or(body.len());
            (body[..end].trim_ascii_end(), true)
        }
        _ => {
            let end = rest
                .iter()
                .position(|b| b.is_ascii_whitespace() || b",;&)}>]<\"'`".contains(b))
                .unwrap_or(rest.len());
            (&rest[..end], false)
        }
    };
    if !plausible(value, quoted, colon) {
        return None;
    }
    let key = String::from_utf8_lossy(key);
    let shown = if colon { ": " } else { "=" };
    Some((
        key_start,
        format!(
            "{kind}: `{key}{shown}********` ({} characters)",
            String::from_utf8_lossy(value).chars().count()
        ),
    ))
}

/// What a key name says it holds, read by its last word (`DB_PASSWORD`, `apiKey`,
/// `AWS_SECRET_ACCESS_KEY`, `x-auth-token`).
fn secret_kind(key: &[u8]) -> Option<&'static str> {
    // Most keys are not secrets: decide those without splitting them into words.
    const LAST_WORDS: &[&[u8]] = &[
        b"password",
        b"pass",
        b"passwd",
        b"passphrase",
        b"secret",
        b"token",
        b"key",
        b"credential",
        b"credentials",
    ];
    let ends_well = LAST_WORDS
        .iter()
        .any(|w| key.len() >= w.len() && key[key.len() - w.len()..].eq_ignore_ascii_case(w));
    if !ends_well {
        return None;
    }
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut after_lower = false;
    for &b in key {
        if !b.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            after_lower = false;
            continue;
        }
        if b.is_ascii_uppercase() && after_lower {
            words.push(std::mem::take(&mut word));
        }
        after_lower = b.is_ascii_lowercase() || b.is_ascii_digit();
        word.push(char::from(b.to_ascii_lowercase()));
    }
    if !word.is_empty() {
        words.push(word);
    }
    let last = words.last()?.as_str();
    let before = words.len().checked_sub(2).map(|i| words[i].as_str());
    Some(match (before, last) {
        (_, "password" | "passwd" | "passphrase") | (Some(_), "pass") => "a password",
        (_, "secret") => "a secret",
        (_, "token") => "a token",
        (_, "apikey") | (Some("api"), "key") => "an API key",
        (Some("private"), "key") => "a private key",
        (
            Some("access" | "secret" | "auth" | "signing" | "encryption" | "master" | "client"),
            "key",
        ) => "a secret key",
        (_, "credentials" | "credential") => "credentials",
        _ => return None,
    })
}

/// Whether `value` could be a real secret rather than a placeholder, a reference to one
/// (`${VAR}`, `{{ x }}`, `process.env.X`) or a word. After a `:` (YAML, JSON, prose alike)
/// it must also look random: a digit, mixed case and length, or sheer length.
fn plausible(value: &[u8], quoted: bool, colon: bool) -> bool {
    const PLACEHOLDERS: &[&str] = &[
        "true",
        "false",
        "null",
        "none",
        "nil",
        "yes",
        "no",
        "undefined",
        "required",
        "optional",
        "string",
        "text",
        "hidden",
        "password",
        "secret",
        "token",
        "changeme",
        "placeholder",
        "redacted",
        "todo",
        "tbd",
    ];
    let Some(&first) = value.first() else {
        return false;
    };
    if b"$<{%*.`=&,);/[(|!?#\\".contains(&first) {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    if PLACEHOLDERS.iter().any(|p| lower == p.as_bytes())
        || memmem::find(&lower, b"example").is_some()
        || memmem::find(&lower, b"xxxx").is_some()
        || lower.starts_with(b"your")
        || lower.starts_with(b"replace")
        || value.iter().all(|&b| b == first)
        || (value.len() < 6 && value.iter().all(u8::is_ascii_digit))
    {
        return false;
    }
    if !quoted {
        let path = value.contains(&b'.')
            && value
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
            && !first.is_ascii_digit();
        if path || value.contains(&b'(') {
            return false;
        }
    }
    if colon {
        let digit = value.iter().any(u8::is_ascii_digit);
        let mixed =
            value.iter().any(u8::is_ascii_uppercase) && value.iter().any(u8::is_ascii_lowercase);
        let random = digit || (mixed && value.len() >= 12) || value.len() >= 24;
        if value.len() < 6 || value.iter().any(u8::is_ascii_whitespace) || !random {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<Finding> {
        find(text.as_bytes())
    }

    fn one(text: &str) -> Finding {
        let all = found(text);
        assert_eq!(all.len(), 1, "{text:?}: {all:?}");
        all.into_iter().next().unwrap()
    }

    fn key(kind: &str) -> String {
        format!("-----BEGIN {kind} PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0\n-----END {kind} PRIVATE KEY-----\n")
    }

    /// A token made of its prefix and a body, put together here so that the source holds
    /// no token-shaped string.
    fn token(prefix: &[&str], body_len: usize) -> String {
        let body = "Qw3rTy7UiOp9AsDf2GhJk4LzXc6VbNm8QaWsEdRfTgYh".repeat(5);
        format!("{}{}", prefix.concat(), &body[..body_len])
    }

    #[test]
    fn finds_private_keys_whatever_else_the_file_holds() {
        for kind in ["RSA", "EC", "DSA", "OPENSSH", "ENCRYPTED", "PGP"] {
            let f = one(&format!("hello\n{}", key(kind)));
            assert_eq!(f.line, 2);
            assert!(f.key);
            assert!(f.what.contains(&format!("{kind} PRIVATE KEY")), "{f:?}");
        }
        assert_eq!(one("-----BEGIN PRIVATE KEY-----\r\nMIIE\r\n").line, 1);
        assert!(one("-----BEGIN RSA PRIVATE KEY-----").key);
        // Inside a JSON string, as service account files have it.
        let json = "{\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n\"\n}\n";
        assert_eq!(one(json).line, 2);
        // Binary: an OpenSSH key decoded, a PuTTY key file.
        assert!(one("\0\0openssh-key-v1\0\0\0\0\x04none").key);
        assert_eq!(
            one("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n").line,
            1
        );
        assert!(found("-----BEGIN CERTIFICATE-----\nMIIB\n").is_empty());
        assert!(found("-----BEGIN PUBLIC KEY-----\nMIIB\n").is_empty());
    }

    #[test]
    fn finds_values_of_keys_named_like_secrets_in_each_format() {
        let cases = [
            (
                "DB_PASSWORD=hunter2\n",
                "a password: `DB_PASSWORD=********` (7 characters)",
            ),
            (
                "export GITHUB_TOKEN=t0k3n-abc123\n",
                "a token: `GITHUB_TOKEN=********`",
            ),
            (
                "AWS_SECRET_ACCESS_KEY = \"q8Wm3Xr7Tz2Lp9Vn4Bk6Hs1Jd5Fg0Ca\"\n",
                "a secret key: `AWS_SECRET_ACCESS_KEY=********`",
            ),
            (
                "x\napi_key = \"abc\"\n",
                "an API key: `api_key=********` (3 characters)",
            ),
            (
                "{\"name\": \"maps\", \"api_key\": \"d41d8cd98f00b204e980\"}\n",
                "an API key: `api_key: ********` (20 characters)",
            ),
            (
                "service: maps\nclient_secret: Qw3rTy7UiOp9AsDf2GhJ\n",
                "a secret: `client_secret: ********`",
            ),
            (
                "  - auth_token: '9f8e7d6c5b4a'\n",
                "a token: `auth_token: ********`",
            ),
            (
                "const options = { apiKey: \"Zx81Yw72Vu63Ts54\" };\n",
                "an API key: `apiKey: ********`",
            ),
            (
                "key := map[string]string{}\nsecret := \"s3cr3t-value\"\n",
                "a secret: `secret=********`",
            ),
            (
                "https://maps.example.net/?v=3&api_key=a1b2c3d4&z=1\n",
                "an API key: `api_key=********` (8 characters)",
            ),
            (
                "{% set stripe_secret_key = \"rk-8f7e6d5c\" %}\n",
                "a secret key: `stripe_secret_key=********`",
            ),
            (
                "DB_PASS=hunter2 # the old one\n",
                "a password: `DB_PASS=********`",
            ),
        ];
        for (text, what) in cases {
            let f = one(text);
            assert!(f.what.contains(what), "{text:?}: {f:?}");
            assert!(!f.key);
            let value_line = text.lines().nth(f.line - 1).unwrap();
            assert!(
                value_line.contains("=") || value_line.contains(":"),
                "{text:?}: {f:?}"
            );
        }
        // The message never holds the value.
        let f = one("GITHUB_TOKEN=t0k3n-abc123\n");
        assert!(!f.what.contains("t0k3n"), "{f:?}");
    }

    #[test]
    fn finds_tokens_by_their_prefix() {
        let cases = [
            (
                token(&["AK", "IA"], 16).to_uppercase(),
                "an AWS access key ID: `AKIA********` (20 characters)",
            ),
            (
                token(&["gh", "p_"], 36),
                "a GitHub token: `ghp_********` (40 characters)",
            ),
            (token(&["gh", "o_"], 36), "a GitHub token: `gho_********`"),
            (
                token(&["github", "_pat_"], 60),
                "a GitHub token: `github_pat_********` (71 characters)",
            ),
            (
                token(&["gl", "pat-"], 20),
                "a GitLab token: `glpat-********`",
            ),
            (token(&["xo", "xb-"], 30), "a Slack token: `xoxb-********`"),
            (token(&["xo", "xp-"], 30), "a Slack token: `xoxp-********`"),
            (
                token(&["sk", "_live_"], 24),
                "a Stripe live key: `sk_live_********`",
            ),
            (token(&["AI", "za"], 35), "a Google API key: `AIza********`"),
            (token(&["np", "m_"], 36), "an npm token: `npm_********`"),
        ];
        for (t, what) in cases {
            for text in [
                t.clone(),
                format!("const t = '{t}';\n"),
                format!("x\n\"token\": \"{t}\""),
            ] {
                let f = one(&text);
                assert!(f.what.contains(what), "{text:?}: {f:?}");
                assert!(!f.what.contains(&t[t.len() - 8..]), "{f:?} shows the token");
            }
        }
        // Part of a longer word, too short, or made of placeholders: not tokens.
        let ghp = token(&["gh", "p_"], 36);
        assert!(found(&format!("x{ghp}")).is_empty());
        assert!(found(&token(&["gh", "p_"], 20)).is_empty());
        assert!(found(&format!("gh{}_{}", "p", "x".repeat(36))).is_empty());
        assert!(found(&format!("AKIA{}EXAMPLE", "IOSFODNN7")).is_empty());
        assert!(found(&format!("{ghp} <!-- Not-A-Secret -->")).is_empty());
    }

    #[test]
    fn reads_utf16_with_and_without_a_byte_order_mark() {
        let text = "Notes\r\n\r\napi_key = \"k3y-9f8e7d6c5b4a\"\r\n";
        let with_key = format!("Intro\n{}", key("RSA"));
        for source in [text, with_key.as_str()] {
            for (big_endian, bom) in [(false, true), (false, false), (true, true), (true, false)] {
                let mut bytes = Vec::new();
                let units = bom
                    .then_some(0xfeff)
                    .into_iter()
                    .chain(source.encode_utf16());
                for unit in units {
                    let pair = if big_endian {
                        unit.to_be_bytes()
                    } else {
                        unit.to_le_bytes()
                    };
                    bytes.extend_from_slice(&pair);
                }
                let all = find(&bytes);
                assert_eq!(all.len(), 1, "{big_endian} {bom} {source:?}: {all:?}");
                assert!(all[0].line == 3 || all[0].line == 2, "{all:?}");
            }
        }
        // Non-ASCII text around it, and a surrogate pair.
        let mut bytes = vec![0xff, 0xfe];
        for unit in "Café 😀\napi_key=\"z9y8x7w6v5\"\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(find(&bytes)[0].line, 2);
    }

    #[test]
    fn searches_binary_files_for_keys_cheaply_and_at_any_size() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(std::iter::repeat_n(0u8, 3 << 20));
        png.extend_from_slice(key("EC").as_bytes());
        png.extend(std::iter::repeat_n(0xffu8, 100));
        let all = find(&png);
        assert_eq!(all.len(), 1, "{all:?}");
        assert!(all[0].key);
        // A key written in UTF-16 inside binary data, and a token.
        let mut data: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 256) as u8).collect();
        for unit in key("RSA").encode_utf16() {
            data.extend_from_slice(&unit.to_le_bytes());
        }
        data.extend_from_slice(b"\0\0\n");
        data.extend_from_slice(token(&["gh", "p_"], 36).as_bytes());
        data.push(0);
        let all = find(&data);
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(all[0].what.contains("UTF-16"), "{all:?}");
        assert!(all[1].what.contains("GitHub"), "{all:?}");
        // Without them, nothing: zeros and random-looking bytes.
        let noise: Vec<u8> = (0..200_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert!(find(&noise).is_empty());
    }

    #[test]
    fn what_is_found_does_not_depend_on_how_the_file_is_read() {
        let mut text = String::from("start\n");
        text.push_str(&key("OPENSSH"));
        text.push_str("DB_PASSWORD=hunter2\n");
        text.push_str(&token(&["xo", "xb-"], 180));
        text.push('\n');
        let mut binary = vec![0u8; 300];
        binary.extend_from_slice(text.as_bytes());
        // Binary files are searched for keys and tokens, not values.
        for (bytes, expected) in [(text.as_bytes(), 3), (&binary[..], 2)] {
            let whole = find(bytes);
            assert_eq!(whole.len(), expected, "{whole:?}");
            for chunk in [1, 2, 3, 7, 64, 255, 256, 257] {
                assert_eq!(find_in(bytes, chunk).unwrap(), whole, "chunk {chunk}");
            }
        }
    }

    #[test]
    fn leaves_prose_placeholders_and_references_alone() {
        let prose = [
            "Never share your password with anyone.\n",
            "Password: use a long one, and never write it down.\n",
            "**Password:** hunter2 is a bad one.\n",
            "summary: Passwords and access keys are part of your software.\n",
            "Set `password=` in the file.\n",
            "Set `api_key=` in your settings.\n",
            "password=${DB_PASSWORD}\n",
            "api_key: \"{{ env.API_KEY }}\"\n",
            "const apiKey = process.env.MAPS_API_KEY;\n",
            "const token = getToken();\n",
            "api_key = \"<your key here>\"\n",
            "GITHUB_TOKEN=your-token\n",
            "password: ********\n",
            "\"password\": \"Password\",\n",
            "\"token\": \"primary\"\n",
            "show_password: true\n",
            "password_min_length = 12\n",
            "if (password == other) {}\n",
            "A key file starts with `-----BEGIN OPENSSH PRIVATE KEY-----` and lives in ~/.ssh.\n",
            "GitHub tokens start with `ghp_` and AWS keys with AKIA…\n",
            "{% set token = page.extra.token %}\n",
            "<input type=\"password\" name=\"password\" autocomplete=\"current-password\">\n",
            "DB_PASSWORD=hunter2 # not-a-secret\n",
            "-----BEGIN RSA PRIVATE KEY----- not-a-secret\nabc\n",
            "time: 12:30\nurl: https://example.net/\n",
        ];
        for text in prose {
            assert!(found(text).is_empty(), "{text:?}: {:?}", found(text));
        }
        let bundled = ["content", "templates", "site.toml"]
            .map(|d| Path::new(env!("CARGO_MANIFEST_DIR")).join(d));
        for dir in bundled {
            for entry in walkdir::WalkDir::new(dir) {
                let entry = entry.unwrap();
                if entry.file_type().is_file() {
                    let bytes = std::fs::read(entry.path()).unwrap();
                    assert!(find(&bytes).is_empty(), "{}", entry.path().display());
                }
            }
        }
    }

    #[test]
    fn one_finding_a_line_and_a_limit_a_file() {
        assert_eq!(found("password=a1 api_key=b2 token=c3\n").len(), 1);
        let many: String = (0..100).map(|i| format!("password=hunter{i}\n")).collect();
        let all = found(&many);
        assert_eq!(all.len(), MAX_PER_FILE);
        assert_eq!(all.last().unwrap().line, MAX_PER_FILE);
    }

    #[test]
    fn names_that_say_secret() {
        let named = |f: &str| by_name(Path::new(f)).is_some();
        assert!(named("content/.env"));
        assert!(named("content/.env.production"));
        assert!(named("assets/id_rsa"));
        assert!(named("assets/id_ed25519"));
        assert!(!named("assets/id_rsa.pub"));
        assert!(named("assets/site.pem"));
        assert!(named("assets/.git-credentials"));
        assert!(!named("assets/style.css"));
    }
}
