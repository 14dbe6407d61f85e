//! The command line: parses arguments, runs a command, prints its outcome and chooses the
//! exit code (0 success, 1 a problem in the site, 2 a usage error).

use crate::output::{Existing, Staging};
use crate::site::{Options, Site};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "brief",
    version,
    about = "Publish dated advisory articles as a static site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (ROOT/public by default)
    Build {
        /// The site's folder (holding site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to publish; replaced as a whole only when the build succeeds
        #[arg(long)]
        output: Option<PathBuf>,
        /// Replace an existing output folder that brief did not build, deleting what it holds
        #[arg(long)]
        replace_output: bool,
        /// Publish drafts too
        #[arg(long)]
        drafts: bool,
        /// Publish articles dated after today too
        #[arg(long)]
        future: bool,
        /// Build as if today were this date (YYYY-MM-DD, in the site's time zone)
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
    /// Start a new article as a draft and print its path
    New {
        /// The article's title
        title: String,
        /// The site's folder (holding site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The article's address (/articles/SLUG/); made from the title when not given
        #[arg(long)]
        slug: Option<String>,
        /// Tags, separated by commas
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        /// Publication date (YYYY-MM-DD); today in the site's time zone when not given
        #[arg(long, value_parser = parse_day)]
        date: Option<NaiveDate>,
    },
    /// Report everything wrong with the site, writing nothing (exit 1 on any error)
    Check {
        /// The site's folder (holding site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check as if today were this date (YYYY-MM-DD, in the site's time zone)
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
        /// `text` for people, `json` for editors and CI (see docs/check-json.md)
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also fetch links to other sites and warn about dead ones
        #[arg(long)]
        external: bool,
    },
    /// Preview the site in a browser, rebuilding and reloading as files change
    Serve {
        /// The site's folder (holding site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; other computers can reach anything but loopback
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Preview exactly what build publishes: no drafts, no articles dated after today
        #[arg(long)]
        no_drafts: bool,
        /// Open the preview in the default browser
        #[arg(long)]
        open: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    crate::frontmatter::parse_date(s).map_err(|why| format!("{why} (e.g. 2026-07-05)"))
}

/// Runs the command line and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Build {
            root,
            output,
            replace_output,
            drafts,
            future,
            today,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let existing = match replace_output {
                true => Existing::Replace,
                false => Existing::Refuse,
            };
            build(
                &root,
                &output,
                existing,
                Options {
                    drafts,
                    future,
                    today,
                    ..Options::default()
                },
            )
        }
        Command::New {
            title,
            root,
            slug,
            tags,
            date,
        } => new(
            &root,
            &crate::scaffold::NewArticle {
                title,
                slug,
                tags,
                date,
            },
        ),
        Command::Check {
            root,
            today,
            format,
            external,
        } => {
            if external && !cfg!(feature = "external-links") {
                crate::diagnostic::print(&[crate::diagnostic::Diagnostic::error(
                    crate::check::WITHOUT_EXTERNAL,
                )
                .with_fix("run `brief check` without --external, or install brief with its default features (see docs/install.md)")]);
                return 2;
            }
            check(&root, today, format, external)
        }
        Command::Serve {
            root,
            port,
            bind,
            no_drafts,
            open,
        } => crate::serve::run(crate::serve::Args {
            root,
            port,
            bind,
            no_drafts,
            open,
        }),
    }
}

fn new(root: &std::path::Path, article: &crate::scaffold::NewArticle) -> i32 {
    match crate::scaffold::create(root, article) {
        Ok(path) => {
            println!("{}", path.display());
            eprintln!("Started a draft. Preview it with `brief build --drafts`; run `brief check` before publishing.");
            0
        }
        Err(e) => {
            show(root, vec![e]);
            1
        }
    }
}

fn check(root: &std::path::Path, today: Option<NaiveDate>, format: Format, external: bool) -> i32 {
    let mut report = crate::check::run(root, today, external);
    crate::diagnostic::attach_sources(root, &mut report.findings);
    match format {
        Format::Json => println!("{}", crate::check::json(&report)),
        Format::Text => {
            // anstream drops the colour where stdout is not a terminal or NO_COLOR is set.
            anstream::print!("{}", crate::check::text(&report, true));
        }
    }
    i32::from(report.errors() > 0)
}

fn build(
    root: &std::path::Path,
    output: &std::path::Path,
    existing: Existing,
    options: Options,
) -> i32 {
    let started = Instant::now();
    let result = Site::load(root, options).and_then(|site| {
        show(root, site.warnings.clone());
        let staging = Staging::create(root, output, existing).map_err(|e| vec![e])?;
        let (stats, warnings) = crate::check::render_checked(&site, &staging)?;
        show(root, warnings);
        staging.commit().map_err(|e| vec![e])?;
        Ok((site, stats))
    });
    match result {
        Ok((site, stats)) => {
            let mut skipped = String::new();
            if site.skipped.0 + site.skipped.1 > 0 {
                skipped = format!(
                    " ({} drafts and {} scheduled articles left out; --drafts and --future include them)",
                    site.skipped.0, site.skipped.1
                );
            }
            println!(
                "Built {} ({}) in {} ms into {}{skipped}",
                counted(stats.pages, "page"),
                counted(stats.articles, "article"),
                started.elapsed().as_millis(),
                output.display()
            );
            // The process ends now; freeing every document one by one would only delay it.
            std::mem::forget(site);
            0
        }
        Err(errors) => {
            let n = errors.iter().filter(|e| e.is_error()).count();
            show(root, errors);
            eprintln!(
                "build failed with {n} error{}; {} was left as it was",
                if n == 1 { "" } else { "s" },
                output.display()
            );
            1
        }
    }
}

/// Prints diagnostics to stderr, each with the line it points at.
fn show(root: &std::path::Path, mut all: Vec<crate::diagnostic::Diagnostic>) {
    crate::diagnostic::attach_sources(root, &mut all);
    crate::diagnostic::print(&all);
}

/// "1 page", "2 pages".
fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn counts_read_naturally() {
        assert_eq!(counted(1, "article"), "1 article");
        assert_eq!(counted(0, "page"), "0 pages");
        assert_eq!(counted(14, "page"), "14 pages");
    }
}
