//! The floor for `brief build`: the least work any build of the same articles must do.
//!
//! Reads every `content/articles/*.md` under ROOT, drops the front matter, renders the
//! Markdown with the options brief uses, and writes `OUT/<slug>.html`, one file per article,
//! on all cores. No templates, no lists, no feed: whatever brief takes beyond this is the
//! cost of being a site generator rather than a Markdown converter.
//!
//! ```text
//! cargo build --release --example markdown_floor
//! target/release/examples/markdown_floor ROOT OUT
//! ```

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pulldown_cmark::{html, Options, Parser};
use rayon::prelude::*;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [root, out] = args.as_slice() else {
        eprintln!("usage: markdown_floor ROOT OUT");
        return ExitCode::from(2);
    };
    match run(Path::new(root), Path::new(out)) {
        Ok(count) => {
            println!("{count} articles rendered into {out}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("markdown_floor: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(root: &Path, out: &Path) -> Result<usize, String> {
    let articles = root.join("content").join("articles");
    let mut sources: Vec<PathBuf> = fs::read_dir(&articles)
        .map_err(|e| format!("{}: {e}", articles.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    sources.sort();
    fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;

    sources
        .par_iter()
        .map(|source| {
            let text =
                fs::read_to_string(source).map_err(|e| format!("{}: {e}", source.display()))?;
            let slug = source.file_stem().unwrap_or_default().to_string_lossy();
            let target = out.join(format!("{slug}.html"));
            fs::write(&target, render(body(&text)))
                .map_err(|e| format!("{}: {e}", target.display()))
        })
        .collect::<Result<Vec<()>, String>>()
        .map(|written| written.len())
}

/// The Markdown after the front matter: everything past the second line that is exactly `---`.
fn body(text: &str) -> &str {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return text;
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        offset += line.len();
        if line.trim_end() == "---" {
            return &rest[offset..];
        }
    }
    text
}

fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut html_out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html_out, Parser::new_ext(markdown, options));
    html_out
}
