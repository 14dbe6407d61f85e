//! The command line: parses arguments, runs a command, prints its outcome and chooses the
//! exit code (0 success, 1 a problem in the site, 2 a usage error).

use crate::diagnostic::Diagnostic;
use crate::output::{Existing, Staging};
use crate::site::{Options, Site};
use chrono::NaiveDate;
use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The environment variable that gives `build` and `check` a base URL (`--base-url` wins).
pub const BASE_URL_VAR: &str = "BRIEF_BASE_URL";

use std::io::Write;

/// `println!` that ends quietly when standard output is closed (`brief review | head`)
/// instead of panicking, as std's does.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `print!`, likewise.
macro_rules! say_part {
    ($($arg:tt)*) => {{
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

#[derive(Parser)]
#[command(
    name = "brief",
    version,
    about = "Publish dated advisory articles as a static site",
    after_help = "Examples:
  brief new \"Choosing a bookkeeping system\"   start an article as a draft
  brief serve                                  preview the site at http://127.0.0.1:1111/
  brief check                                  list every problem before publishing
  brief build --base-url https://example.com/  build the site into public/

Run inside the site's folder or any folder below it, or give the folder with --root.
`brief COMMAND --help` explains a command."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the site is, for every command that works on one.
#[derive(clap::Args)]
struct Root {
    /// The site's folder (holding site.toml); when not given, the current folder or the
    /// nearest one above it that holds site.toml
    #[arg(short = 'r', long, value_name = "DIR")]
    root: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (ROOT/public by default)
    #[command(after_help = "Examples:
  brief build                                         build into public/
  brief build --base-url https://example.github.io/advice/
                                                      publish under a sub-path
  BRIEF_BASE_URL=https://example.com/ brief build     the same, from the environment
  brief build -o /srv/www/advice                      build into another folder
  brief build -D -F                                   include drafts and future articles")]
    Build {
        #[command(flatten)]
        root: Root,
        /// Where to publish; replaced as a whole only when the build succeeds
        #[arg(short = 'o', long, visible_alias = "output-dir", value_name = "DIR")]
        output: Option<PathBuf>,
        /// Publish at this address instead of site.toml's base_url (e.g. https://example.com/advice/)
        #[arg(long, value_name = "URL", env = BASE_URL_VAR)]
        base_url: Option<String>,
        /// Replace an existing output folder that brief did not build, deleting what it holds
        #[arg(long)]
        replace_output: bool,
        /// Publish drafts too
        #[arg(short = 'D', long)]
        drafts: bool,
        /// Publish articles dated after today too
        #[arg(short = 'F', long)]
        future: bool,
        /// Build as if today were this date (YYYY-MM-DD, in the site's time zone)
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
    /// Start a new article as a draft and print its path
    #[command(after_help = "Examples:
  brief new \"Choosing a bookkeeping system\"
  brief new \"Year-end checklist\" --tags tax,checklists --date 2026-06-01
  brief new \"What to keep for seven years\" --slug record-keeping
  brief new \"Launch results\" --bundle           content/articles/launch-results/index.md
  brief new \"Passwords\" --section guides/security")]
    New {
        /// The article's title
        title: String,
        #[command(flatten)]
        root: Root,
        /// The article's address (/articles/SLUG/); made from the title when not given
        #[arg(long)]
        slug: Option<String>,
        /// Tags, separated by commas
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        /// Publication date (YYYY-MM-DD); today in the site's time zone when not given
        #[arg(long, value_parser = parse_day)]
        date: Option<NaiveDate>,
        /// The section's folder under content/ (default: articles)
        #[arg(long, value_name = "FOLDER", value_parser = crate::scaffold::section_folder)]
        section: Option<String>,
        /// Write a page bundle, SLUG/index.md, so images and files can sit beside it
        #[arg(long)]
        bundle: bool,
    },
    /// Report everything wrong with the site, writing nothing (exit 1 on any error)
    #[command(after_help = "Examples:
  brief check                       every problem, grouped by file
  brief check --external            also try every link to another site
  brief check --verbose             every finding, even a kind seen thousands of times
  brief check --format json         for editors and CI (see docs/check-json.md)
  brief check --today 2027-01-01    which articles will be out of date by then
  brief check --fail-on overdue     (in CI: an article past its review date is an error)")]
    Check {
        #[command(flatten)]
        root: Root,
        /// Check links as published at this address instead of site.toml's base_url
        #[arg(long, value_name = "URL", env = BASE_URL_VAR)]
        base_url: Option<String>,
        /// Check as if today were this date (YYYY-MM-DD, in the site's time zone)
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
        /// `text` for people, `json` for editors and CI (see docs/check-json.md)
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also fetch links to other sites and warn about dead ones
        #[arg(long)]
        external: bool,
        /// Report an article past its review date as an error, not a warning
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
        /// List every finding: without it, a kind seen more than ten times (overdue
        /// reviews, missing summaries…) is one summary naming the first few files
        #[arg(long, short)]
        verbose: bool,
    },
    /// List articles by review state: overdue first, then those due soon
    #[command(
        after_help = "Examples:\n  brief review\n  brief review --within 60\n  brief review --fail-on overdue     (in CI: exit 1 while any article is overdue)\n  brief review --confirm who-holds-the-keys --by ana --note \"Updated for the new sign-in rules\""
    )]
    Review {
        #[command(flatten)]
        root: Root,
        /// List as if today were this date (YYYY-MM-DD, in the site's time zone)
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
        /// List those due within this many days after the overdue ones
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(i64).range(0..=36_500))]
        within: i64,
        /// `text` for people, `json` for editors and CI (see docs/review-json.md)
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit 1 when any article is overdue
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
        /// Record that this article (its slug or file) was reviewed today: its current_as_at
        /// becomes today, and nothing else in the file changes
        #[arg(long, value_name = "SLUG|FILE", conflicts_with_all = ["within", "format", "fail_on"])]
        confirm: Option<String>,
        /// With --confirm: add a change note for readers, dated today
        #[arg(long, requires = "confirm", value_name = "TEXT")]
        note: Option<String>,
        /// With --confirm: who reviewed it, a reviewer's id from site.toml's [reviewers]
        #[arg(long, requires = "confirm", value_name = "ID")]
        by: Option<String>,
    },
    /// Start a new site in an empty folder: settings, a sample article, two pages and a
    /// publishing workflow
    #[command(
        after_help = "Examples:\n  brief init my-site\n  brief init my-site --title \"Acme Advisory\" --timezone Europe/London\n  brief init --theme        (in a site: copy the theme's templates and assets out for editing)"
    )]
    Init(InitArgs),
    /// Remove brief's cache of processed images (ROOT/.brief-cache/), and nothing else
    #[command(after_help = "Examples:
  brief clean                 the next build makes every image variant again

Only files brief made are removed; anything else found in the cache folder is left where
it is and listed. Links are removed as links, never followed.")]
    Clean {
        #[command(flatten)]
        root: Root,
    },
    /// Preview the site in a browser, rebuilding and reloading as files change
    #[command(after_help = "Examples:
  brief serve                                  preview at http://127.0.0.1:1111/
  brief serve --open -p 8080                   on port 8080, opening a browser
  brief serve --no-drafts                      exactly what build publishes
  brief serve --base-url https://example.github.io/advice/
                                               preview at http://127.0.0.1:1111/advice/

serve always runs on this computer: --base-url gives it only the sub-path, and the
BRIEF_BASE_URL environment variable, meant for publishing, is ignored.")]
    Serve {
        #[command(flatten)]
        root: Root,
        /// The port to listen on
        #[arg(short = 'p', long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; other computers can reach anything but loopback
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Preview under the sub-path of this address (the host stays this computer)
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Preview exactly what build publishes: no drafts, no articles dated after today
        #[arg(long)]
        no_drafts: bool,
        /// Open the preview in the default browser
        #[arg(long)]
        open: bool,
    },
}

#[derive(clap::Args)]
struct InitArgs {
    /// The folder to start the site in (made if missing)
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// The site's name; asked for when there is a terminal, else from the folder's name
    #[arg(long)]
    title: Option<String>,
    /// One or two sentences about the practice
    #[arg(long)]
    description: Option<String>,
    /// The address the site will live at
    #[arg(long)]
    base_url: Option<String>,
    /// The language of the text (BCP 47, e.g. en-AU)
    #[arg(long)]
    lang: Option<String>,
    /// Who writes the articles
    #[arg(long)]
    author: Option<String>,
    /// The site's time zone (IANA, e.g. Australia/Sydney); this computer's by default
    #[arg(long)]
    timezone: Option<String>,
    /// Add the site's files to a folder that is not empty (never replacing a file)
    #[arg(long)]
    force: bool,
    /// Also copy the theme's templates and assets into the site, for editing; in a folder
    /// that already holds site.toml, copy only them
    #[arg(long)]
    theme: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FailOn {
    Overdue,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    crate::frontmatter::parse_date(s).map_err(|why| format!("{why} (e.g. 2026-07-05)"))
}

/// Exit code for a usage error.
const USAGE: i32 = 2;

/// Runs the command line and returns the exit code.
pub fn main() -> i32 {
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches).map(|cli| (cli, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { USAGE } else { 0 };
        }
    };
    // Where the base URL came from, for its error: the flag or the environment.
    let from_env = matches.subcommand().is_some_and(|(name, m)| {
        matches!(name, "build" | "check")
            && m.value_source("base_url") == Some(ValueSource::EnvVariable)
    });
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            replace_output,
            drafts,
            future,
            today,
        } => {
            let (root, base_url) = match (site_root(root), checked_base_url(base_url, from_env)) {
                (Ok(root), Ok(url)) => (root, url.map(|(url, _)| url)),
                (Err(e), _) | (_, Err(e)) => return usage_error(e),
            };
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
                    base_url,
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
            section,
            bundle,
        } => match site_root(root) {
            Ok(root) => new(
                &root,
                &crate::scaffold::NewArticle {
                    title,
                    slug,
                    tags,
                    date,
                    section,
                    bundle,
                },
            ),
            Err(e) => usage_error(e),
        },
        Command::Check {
            root,
            base_url,
            today,
            format,
            external,
            fail_on,
            verbose,
        } => {
            let (root, base_url) = match (site_root(root), checked_base_url(base_url, from_env)) {
                (Ok(root), Ok(url)) => (root, url.map(|(url, _)| url)),
                (Err(e), _) | (_, Err(e)) => return usage_error(e),
            };
            if external && !cfg!(feature = "external-links") {
                return usage_error(
                    Diagnostic::error(crate::check::WITHOUT_EXTERNAL)
                        .with_fix("run `brief check` without --external, or install brief with its default features (see docs/install.md)"),
                );
            }
            let options = Options {
                today,
                base_url,
                ..Options::default()
            };
            let asked = crate::check::Asked {
                external_links: external,
                fail_on_overdue: fail_on == Some(FailOn::Overdue),
            };
            check(&root, options, format, asked, verbose)
        }
        Command::Init(args) => init(args),
        Command::Clean { root } => match site_root(root) {
            Ok(root) => clean(&root),
            Err(e) => usage_error(e),
        },
        Command::Review {
            root,
            today,
            confirm: Some(target),
            note,
            by,
            ..
        } => match site_root(root) {
            Ok(root) => {
                let record = crate::review::Record {
                    note: note.as_deref(),
                    by: by.as_deref(),
                };
                confirm(&root, today, &target, &record)
            }
            Err(e) => usage_error(e),
        },
        Command::Review {
            root,
            today,
            within,
            format,
            fail_on,
            confirm: None,
            ..
        } => match site_root(root) {
            Ok(root) => review(&root, today, within, format, fail_on),
            Err(e) => usage_error(e),
        },
        Command::Serve {
            root,
            port,
            bind,
            base_url,
            no_drafts,
            open,
        } => {
            // serve stays on this computer: it takes only the sub-path, and never reads the
            // environment, which is meant for publishing.
            let (root, base_path) = match (site_root(root), checked_base_url(base_url, false)) {
                (Ok(root), Ok(url)) => (root, url.map_or_else(|| "/".into(), |(_, path)| path)),
                (Err(e), _) | (_, Err(e)) => return usage_error(e),
            };
            crate::serve::run(crate::serve::Args {
                root,
                port,
                bind,
                base_path,
                no_drafts,
                open,
            })
        }
    }
}

fn clean(root: &std::path::Path) -> i32 {
    match crate::images::cache::clean(root) {
        Ok(cleaned) => {
            say!(
                "removed {} cached image file{} from {}/",
                cleaned.removed,
                if cleaned.removed == 1 { "" } else { "s" },
                crate::images::cache::DIR
            );
            for file in &cleaned.left {
                say!(
                    "left {}: brief did not make it (remove it yourself if it is not needed)",
                    file.display()
                );
            }
            0
        }
        Err(e) => {
            show(root, vec![e]);
            1
        }
    }
}

fn review(
    root: &std::path::Path,
    today: Option<NaiveDate>,
    within: i64,
    format: Format,
    fail_on: Option<FailOn>,
) -> i32 {
    let options = Options {
        today,
        ..Options::default()
    };
    let site = match Site::load(root, options) {
        Ok(site) => site,
        Err(errors) => {
            show(root, errors);
            eprintln!(
                "the site could not be read; fix the errors above and run brief review again"
            );
            return 1;
        }
    };
    let states = crate::review::states(&site, within);
    match format {
        Format::Json => say!(
            "{}",
            serde_json::to_string_pretty(&states).unwrap_or_default()
        ),
        Format::Text => say_part!("{}", crate::review::text(&states)),
    }
    i32::from(fail_on == Some(FailOn::Overdue) && !states.overdue.is_empty())
}

fn confirm(
    root: &std::path::Path,
    today: Option<NaiveDate>,
    target: &str,
    record: &crate::review::Record<'_>,
) -> i32 {
    let options = Options {
        drafts: true,
        future: true,
        today,
        ..Options::default()
    };
    let result = Site::load(root, options)
        .and_then(|site| crate::review::confirm(&site, target, record).map_err(|e| vec![e]));
    match result {
        Ok(Some(c)) => {
            if let Some(link) = &c.via {
                say!(
                    "{} is a symbolic link: edited the file it leads to, {}",
                    link.display(),
                    c.file.display()
                );
            }
            for (line, edit) in &c.edits {
                say!("{}:{line}: {edit}", c.file.display());
            }
            0
        }
        Ok(None) => {
            say!("{target} already says it was reviewed today; nothing changed");
            0
        }
        Err(errors) => {
            show(root, errors);
            1
        }
    }
}

fn init(args: InitArgs) -> i32 {
    use crate::init::{create, eject_theme, Settings};
    use std::io::IsTerminal;
    let dir = &args.dir;
    let say_written = |written: &[PathBuf]| {
        for file in written {
            say!("  {}", dir.join(file).display());
        }
    };
    if args.theme && dir.join(crate::config::FILE).is_file() {
        return match eject_theme(dir) {
            Ok(written) => {
                say!(
                    "Copied {} theme files (files the site already had were kept):",
                    written.len()
                );
                say_written(&written);
                0
            }
            Err(e) => {
                show(dir, vec![e]);
                1
            }
        };
    }
    let mut settings = Settings::defaults(dir);
    let given = [
        (args.title, &mut settings.title),
        (args.description, &mut settings.description),
        (args.base_url, &mut settings.base_url),
        (args.lang, &mut settings.lang),
        (args.author, &mut settings.author),
        (args.timezone, &mut settings.timezone),
    ];
    let mut all_given = true;
    for (value, setting) in given {
        match value {
            Some(value) => *setting = value,
            None => all_given = false,
        }
    }
    if !all_given && std::io::stdin().is_terminal() {
        say!(
            "Starting a site in {}. Press Enter to keep the value in brackets.",
            dir.display()
        );
        if let Err(e) = settings.ask(&mut std::io::stdin().lock(), &mut std::io::stdout()) {
            show(dir, vec![e]);
            return 1;
        }
    }
    let today = match settings.timezone.parse::<chrono_tz::Tz>() {
        Ok(tz) => chrono::Utc::now().with_timezone(&tz).date_naive(),
        Err(_) => chrono::Utc::now().date_naive(),
    };
    let written = create(dir, &settings, today, args.force).and_then(|mut written| {
        if args.theme {
            written.extend(eject_theme(dir)?);
        }
        Ok(written)
    });
    match written {
        Ok(written) => {
            say!("Started {} with {} files:", settings.title, written.len());
            say_written(&written);
            say!("\nNext:");
            if dir != std::path::Path::new(".") {
                say!("  cd {}", dir.display());
            }
            say!("  brief serve                          # preview it at http://127.0.0.1:1111/");
            say!("  brief new \"Your first explainer\"     # start an article");
            say!("  brief build                          # publish it into public/");
            0
        }
        Err(e) => {
            show(dir, vec![e]);
            1
        }
    }
}

fn usage_error(e: Diagnostic) -> i32 {
    crate::diagnostic::print(&[e]);
    USAGE
}

/// The site's folder: `--root` as given; else the current folder or the nearest one above
/// it that holds site.toml, as cargo finds Cargo.toml, so that commands work from
/// `content/articles/` too.
fn site_root(given: Root) -> Result<PathBuf, Diagnostic> {
    if let Some(root) = given.root {
        return Ok(root);
    }
    let here = std::env::current_dir().map_err(|e| {
        Diagnostic::error(format!("cannot tell which folder brief is running in: {e}"))
            .with_fix("give the site's folder (the one holding site.toml) with --root DIR")
    })?;
    match here
        .ancestors()
        .find(|dir| dir.join(crate::config::FILE).is_file())
    {
        // Found where brief runs: paths print as they always have, relative to it.
        Some(dir) if dir == here => Ok(PathBuf::from(".")),
        Some(dir) => Ok(dir.to_path_buf()),
        None => Err(Diagnostic::error(format!(
            "there is no {} in {} or in any folder above it, so brief does not know which site to work on",
            crate::config::FILE,
            here.display()
        ))
        .with_fix("run brief inside a site's folder, give the site's folder with --root DIR, or start a new site here with `brief init`")),
    }
}

/// A base URL from `--base-url` or the environment, checked as site.toml's `base_url` is:
/// the address (ending in `/`) and its path.
fn checked_base_url(
    url: Option<String>,
    from_env: bool,
) -> Result<Option<(String, String)>, Diagnostic> {
    let Some(url) = url else {
        return Ok(None);
    };
    crate::config::parse_base_url(&url).map(Some).map_err(|why| {
        let (source, fix) = match from_env {
            true => (
                format!("{BASE_URL_VAR} (set in the environment)"),
                format!("set {BASE_URL_VAR} to an absolute address such as https://example.com/ or https://example.com/advice/, or unset it to use site.toml's base_url"),
            ),
            false => (
                "--base-url".to_string(),
                "give an absolute address such as https://example.com/ or https://example.com/advice/".to_string(),
            ),
        };
        Diagnostic::error(format!(
            "the base URL `{url}` given by {source} is not valid: {why}"
        ))
        .with_fix(fix)
    })
}

fn new(root: &Path, article: &crate::scaffold::NewArticle) -> i32 {
    match crate::scaffold::create(root, article) {
        Ok(path) => {
            say!("{}", path.display());
            eprintln!("Started a draft. Preview it with `brief serve` (drafts are shown there) and run `brief check` before publishing.");
            0
        }
        Err(e) => {
            show(root, vec![e]);
            1
        }
    }
}

fn check(
    root: &Path,
    options: Options,
    format: Format,
    asked: crate::check::Asked,
    verbose: bool,
) -> i32 {
    let mut report = crate::check::run(root, options, asked);
    crate::diagnostic::attach_sources(root, &mut report.findings);
    match format {
        Format::Json => say!("{}", crate::check::json(&report)),
        Format::Text => {
            // anstream drops the colour where stdout is not a terminal or NO_COLOR is set.
            let _ = write!(
                anstream::stdout(),
                "{}",
                crate::check::text(&report, true, verbose)
            );
        }
    }
    i32::from(report.errors() > 0)
}

fn build(root: &Path, output: &Path, existing: Existing, options: Options) -> i32 {
    let started = Instant::now();
    let result = Site::load(root, options).and_then(|site| {
        show(root, site.warnings.clone());
        let staging = Staging::create(root, output, existing).map_err(|e| vec![e])?;
        let (stats, warnings) = crate::check::render_checked(&site, &staging)?;
        show(root, warnings);
        let committed = staging.commit().map_err(|e| vec![e])?;
        Ok((site, stats, committed))
    });
    match result {
        Ok((site, stats, committed)) => {
            let mut skipped = String::new();
            if site.skipped.0 + site.skipped.1 > 0 {
                skipped = format!(
                    " ({} drafts and {} scheduled articles left out; --drafts and --future include them)",
                    site.skipped.0, site.skipped.1
                );
            }
            // A rebuild says how much it changed: files whose bytes are the same are kept.
            let kept = committed.files - committed.created;
            let changed = match kept {
                0 => String::new(),
                _ => format!(
                    "; {} written, {kept} unchanged",
                    counted(committed.created, "file")
                ),
            };
            say!(
                "Built {} ({}) in {} ms into {}{changed}{skipped}",
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
fn show(root: &Path, mut all: Vec<crate::diagnostic::Diagnostic>) {
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
