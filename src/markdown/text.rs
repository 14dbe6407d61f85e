//! The words of Markdown: heading ids, word counts, and plain text for titles, summaries
//! and the search index.

use super::options;
use pulldown_cmark::{Event, HeadingLevel, Parser, TagEnd};

pub(super) fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Words in `text`, counted by bytes (fast on long articles); `in_word` carries over from
/// the text before it.
pub(super) fn count_words(text: &str, in_word: &mut bool) -> usize {
    let mut words = 0;
    for &b in text.as_bytes() {
        let space = b.is_ascii_whitespace();
        if !space && !*in_word {
            words += 1;
        }
        *in_word = !space;
    }
    words
}

/// A heading's id: lower-case words joined by hyphens, stable across builds.
pub fn anchor_id(title: &str) -> String {
    let mut id = String::with_capacity(title.len());
    for c in title.trim().chars() {
        if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !id.ends_with('-')
            && !id.is_empty()
        {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-');
    if id.is_empty() {
        "section".to_string()
    } else {
        id.to_string()
    }
}

/// Plain text from Markdown (for CTA titles and summaries written in Markdown).
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Adds what `event` says to a document's plain text: its words, a space for a line break,
/// and the end of a block (a paragraph, item, cell, heading…) as the end of a sentence, so
/// that the words of two blocks never run together and an excerpt across them reads.
pub(super) fn gather(text: &mut String, event: &Event<'_>) {
    match event {
        Event::Text(t) | Event::Code(t) => text.push_str(t),
        Event::SoftBreak | Event::HardBreak => text.push(' '),
        Event::End(
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image,
        ) => {}
        Event::End(_) => end_block(text),
        _ => {}
    }
}

/// Ends a block of plain text: a full stop unless it ends a sentence already, then a space.
pub fn end_block(text: &mut String) {
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    match text.chars().last() {
        None => return,
        Some('.' | '!' | '?' | ':' | ';' | ',') => {}
        Some(_) => text.push('.'),
    }
    text.push(' ');
}
