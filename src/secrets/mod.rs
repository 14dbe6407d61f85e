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

mod patterns;
mod scan;

pub use scan::{find, find_in};

use crate::config;
use crate::content::{self, relative};
use crate::core::layout;
use crate::diagnostic::{sorted, Diagnostic};
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

/// Every secret in the files that could be published. `known` are files already read and
/// scanned as they were (a document's file and what [`in_text`] found in it).
pub fn scan<'a>(
    root: &Path,
    known: impl IntoIterator<Item = (&'a Path, &'a [Diagnostic])>,
) -> Vec<Diagnostic> {
    let known: HashMap<&Path, &[Diagnostic]> = known.into_iter().collect();
    let files = site_files(root);
    let found: Vec<Diagnostic> = files
        .par_iter()
        .flat_map_iter(|path| {
            let file = relative(root, path);
            match known.get(file.as_path()) {
                Some(found) => found.to_vec(),
                None => in_file(root, path),
            }
        })
        .collect();
    sorted(found)
}

/// The lines of `bytes` (the file `file`) that hold secrets, for
/// [`crate::diagnostic::attach_sources`]; `None` for a file refused for its name.
pub fn lines(file: &Path, bytes: &[u8]) -> Vec<Option<usize>> {
    in_text(file, bytes).into_iter().map(|d| d.line).collect()
}

/// Every file that could be published: site.toml and all under templates/, content/ and
/// assets/, hidden names too (a key in `.env` is still a key). Links that leave the site and
/// folders that cannot be read are left to the loaders, which refuse them: this list only
/// says what the detector reads.
pub fn site_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let toml = root.join(config::FILE);
    if toml.is_file() {
        files.push(toml);
    }
    for dir in [layout::TEMPLATES, layout::CONTENT, layout::ASSETS] {
        files.extend(files_under(root, &root.join(dir)));
    }
    files
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
                .with_fix(if f.key { KEY_HINT } else { VALUE_HINT })
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
            .with_fix(NAME_HINT),
    )
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
