//! brief: a static site generator for dated advisory content.
//!
//! The pipeline, one module a stage: [`config`] and [`content`] load, [`frontmatter`] and
//! [`markdown`] parse, [`render`] and [`feeds`] render, [`output`] writes. [`site::Site`]
//! drives them; [`cli`] is the command line and [`cmd`] holds one file a command. See
//! ARCHITECTURE.md.

#![forbid(unsafe_code)]

/// `println!` that ends quietly when standard output is closed (`brief review | head`)
/// instead of panicking, as std's does. The command still finishes its work and returns the
/// exit code it would have returned.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `print!`, likewise.
macro_rules! say_part {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod core;
pub mod diagnostic;
pub mod feeds;
pub mod frontmatter;
pub mod html;
pub mod images;
pub mod init;
pub mod markdown;
pub mod output;
pub mod platform;
pub mod render;
pub mod review;
pub mod scaffold;
pub mod search;
pub mod secrets;
pub mod section;
pub mod serve;
pub mod site;
pub mod theme;
mod yaml;

pub use diagnostic::{Diagnostic, Severity};

/// Hash maps and sets for brief's own keys (output paths, addresses, ids) in the link check
/// and the address registry: ahash rather than std's SipHash, whose defence against keys chosen to
/// collide costs time that these keys, all from the site being built, never need.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;
pub(crate) type FastSet<T> = std::collections::HashSet<T, ahash::RandomState>;
pub use site::{Options, Site};
