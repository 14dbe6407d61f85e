//! What looks like a secret: private key blocks, tokens with known prefixes, and values
//! given to keys named like secrets; and what lets a made-up example through.

use super::*;

/// A place in the text that looks like a secret.
pub(super) struct Candidate {
    pub(super) offset: usize,
    pub(super) what: String,
    /// What wins when a line holds several: a key, then a token, then a value.
    pub(super) rank: u8,
}

impl Candidate {
    pub(super) fn finding(self, line: usize) -> Finding {
        Finding {
            line,
            what: self.what,
            key: self.rank == 0,
        }
    }
}

/// The line of `text` holding `offset`.
pub(super) fn line_around(text: &[u8], offset: usize) -> &[u8] {
    let start = memchr::memrchr(b'\n', &text[..offset]).map_or(0, |p| p + 1);
    let end = memchr::memchr(b'\n', &text[offset..]).map_or(text.len(), |p| offset + p);
    &text[start..end]
}

pub(super) fn has_escape(line: &[u8]) -> bool {
    line.windows(NOT_A_SECRET.len())
        .any(|w| w.eq_ignore_ascii_case(NOT_A_SECRET.as_bytes()))
}

/// Key markers and tokens starting in `text[from..limit]` (`binary`: markers written in
/// UTF-16 too). Each holds a `-`, a `_` or starts with `A` at a fixed place, so one memchr
/// pass finds every place worth a closer look: cheap at any size.
pub(super) fn marks(
    text: &[u8],
    from: usize,
    limit: usize,
    binary: bool,
    out: &mut Vec<Candidate>,
) {
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
pub(super) const BEGIN_LE: &[u8] = b"-\0-\0-\0-\0-\0B\0E\0G\0I\0N\0 \0";
pub(super) const BEGIN_BE: &[u8] = b"\0-\0-\0-\0-\0-\0B\0E\0G\0I\0N\0 ";

/// The start of UTF-16 `bytes` as ASCII, any other character as a byte no marker holds.
pub(super) fn ascii_of_utf16(bytes: &[u8], big_endian: bool) -> Vec<u8> {
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
pub(super) fn pem_label(at: &[u8]) -> Option<&str> {
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

pub(super) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

pub(super) fn upper_or_digit(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

pub(super) fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

pub(super) fn alnum_or_underscore(b: u8) -> bool {
    is_word(b)
}

pub(super) fn alnum_or_dash(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

pub(super) fn alnum_dash_or_underscore(b: u8) -> bool {
    is_word(b) || b == b'-'
}

/// A token with a known prefix starting at `at`, as a whole word: its description, with
/// only the public prefix shown. Bodies are capped so that a token fits in [`LOOKAHEAD`].
pub(super) fn token_at(text: &[u8], at: usize) -> Option<(usize, String)> {
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
pub(super) fn assignments(text: &[u8], out: &mut Vec<Candidate>) {
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

pub(super) fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// `key = value`, `key: value` or `"key": "value"` around the `=` or `:` at `at`, when
/// the key names a secret and the value looks like one: where the key starts, and what
/// it is.
pub(super) fn assignment(line: &[u8], at: usize) -> Option<(usize, String)> {
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
pub(super) fn secret_kind(key: &[u8]) -> Option<&'static str> {
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
pub(super) fn plausible(value: &[u8], quoted: bool, colon: bool) -> bool {
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
