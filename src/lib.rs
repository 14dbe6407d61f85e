//! brief: a static site generator for dated advisory content.
//!
//! The pipeline, one module a stage: [`config`] and [`content`] load, [`frontmatter`] and
//! [`markdown`] parse, [`render`] and [`feeds`] render, [`output`] writes. [`site::Site`]
//! drives them; [`cli`] is the command line. See ARCHITECTURE.md.

#![forbid(unsafe_code)]

pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod feeds;
pub mod frontmatter;
pub mod html;
pub mod images;
pub mod init;
pub mod markdown;
pub mod output;
pub mod render;
pub mod review;
pub mod scaffold;
pub mod secrets;
pub mod section;
pub mod serve;
pub mod shortcode;
pub mod site;
pub mod theme;
mod yaml;

pub use diagnostic::{Diagnostic, Severity};
pub use site::{Options, Site};
