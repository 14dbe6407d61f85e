//! The command line: the arguments as clap parses them, checked into what each command in
//! [`crate::cmd`] needs (the site's folder found, a base URL valid, the options decided),
//! and the exit code: 0 success, 1 a problem in the site (the command's own answer), 2 a
//! usage error, which only this module makes.

use crate::cmd::review::ReviewFormat;
use crate::cmd::{self, Format};
use crate::diagnostic::Diagnostic;
use crate::output::Existing;
use crate::site::Options;
use checked::{checked_base_url, site_root};
use chrono::NaiveDate;
use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::PathBuf;

mod checked;

/// The environment variable that gives `build` and `check` a base URL (`--base-url` wins).
pub const BASE_URL_VAR: &str = "BRIEF_BASE_URL";

/// Exit code for a usage error.
const USAGE: i32 = 2;

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
    Build(BuildArgs),
    /// Start a new article as a draft and print its path
    #[command(after_help = "Examples:
  brief new \"Choosing a bookkeeping system\"
  brief new \"Year-end checklist\" --tags tax,checklists --date 2026-06-01
  brief new \"What to keep for seven years\" --slug record-keeping
  brief new \"Launch results\" --bundle           content/articles/launch-results/index.md
  brief new \"Passwords\" --section guides/security")]
    New(NewArgs),
    /// Report everything wrong with the site, writing nothing (exit 1 on any error)
    #[command(after_help = "Examples:
  brief check                       every problem, grouped by file
  brief check --external            also try every link to another site
  brief check --verbose             every finding, even a kind seen thousands of times
  brief check --format json         for editors and CI (see docs/check-json.md)
  brief check --today 2027-01-01    which articles will be out of date by then
  brief check --fail-on overdue     (in CI: an article past its review date is an error)")]
    Check(CheckArgs),
    /// List articles by review state: overdue first, then those due soon
    #[command(
        after_help = "Examples:\n  brief review\n  brief review --within 60\n  brief review --fail-on overdue     (in CI: exit 1 while any article is overdue)\n  brief review --confirm who-holds-the-keys --by ana --note \"Updated for the new sign-in rules\"\n  brief review --confirm who-holds-the-keys --source 2     (source 2 was checked today)\n  brief review --format markdown --reviewer ana           (a digest for one reviewer)"
    )]
    Review(ReviewArgs),
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
    Clean(Root),
    /// Preview the site in a browser, rebuilding and reloading as files change
    #[command(after_help = "Examples:
  brief serve                                  preview at http://127.0.0.1:1111/
  brief serve --open -p 8080                   on port 8080, opening a browser
  brief serve --no-drafts                      exactly what build publishes
  brief serve --base-url https://example.github.io/advice/
                                               preview at http://127.0.0.1:1111/advice/

serve always runs on this computer: --base-url gives it only the sub-path, and the
BRIEF_BASE_URL environment variable, meant for publishing, is ignored.")]
    Serve(ServeArgs),
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

#[derive(clap::Args)]
struct BuildArgs {
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
}

#[derive(clap::Args)]
struct NewArgs {
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
    /// Start a translation into this language (declared in site.toml) of the article whose
    /// slug is given instead of a title: `brief new --lang fr choosing`
    #[arg(long, value_name = "CODE")]
    lang: Option<String>,
}

#[derive(clap::Args)]
struct CheckArgs {
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
}

#[derive(clap::Args)]
struct ReviewArgs {
    #[command(flatten)]
    root: Root,
    /// List as if today were this date (YYYY-MM-DD, in the site's time zone)
    #[arg(long, value_parser = parse_day)]
    today: Option<NaiveDate>,
    /// List those due within this many days after the overdue ones
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(i64).range(0..=36_500))]
    within: i64,
    /// `text` for people, `json` for editors and CI (see docs/review-json.md), `markdown` for
    /// a digest by reviewer (an issue body)
    #[arg(long, value_enum, default_value_t = ReviewFormat::Text)]
    format: ReviewFormat,
    /// Only what this reviewer (an id of site.toml's [reviewers]) confirmed last
    #[arg(long, value_name = "ID", conflicts_with = "confirm")]
    reviewer: Option<String>,
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
    /// With --confirm: record only that source N (from 1, as brief review lists them) was
    /// checked today; its `checked` line is the only one that changes
    #[arg(long, requires = "confirm", conflicts_with_all = ["note", "by"], value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..))]
    source: Option<u32>,
}

#[derive(clap::Args)]
struct ServeArgs {
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
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FailOn {
    Overdue,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    crate::frontmatter::parse_date(s).map_err(|why| format!("{why} (e.g. 2026-07-05)"))
}

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
    match run(cli.command, from_env) {
        Ok(code) => code,
        Err(e) => {
            crate::diagnostic::print(&[e]);
            USAGE
        }
    }
}

/// Checks the command's arguments and runs it; a usage error is returned, for `main` to
/// show.
fn run(command: Command, from_env: bool) -> Result<i32, Diagnostic> {
    Ok(match command {
        Command::Build(args) => {
            let root = site_root(args.root)?;
            let base_url = checked_base_url(args.base_url, from_env)?.map(|(url, _)| url);
            let output = args.output.unwrap_or_else(|| root.join("public"));
            let existing = match args.replace_output {
                true => Existing::Replace,
                false => Existing::Refuse,
            };
            let options = Options {
                drafts: args.drafts,
                future: args.future,
                today: args.today,
                base_url,
                ..Options::default()
            };
            cmd::build::run(&root, &output, existing, options)
        }
        Command::New(args) => {
            let root = site_root(args.root)?;
            let article = crate::scaffold::NewArticle {
                title: args.title,
                slug: args.slug,
                tags: args.tags,
                date: args.date,
                section: args.section,
                bundle: args.bundle,
                lang: args.lang,
            };
            cmd::new::run(&root, &article)
        }
        Command::Check(args) => {
            let root = site_root(args.root)?;
            let base_url = checked_base_url(args.base_url, from_env)?.map(|(url, _)| url);
            if args.external && !cfg!(feature = "external-links") {
                return Err(Diagnostic::error(crate::check::WITHOUT_EXTERNAL)
                    .with_fix("run `brief check` without --external, or install brief with its default features (see docs/install.md)"));
            }
            let options = Options {
                today: args.today,
                base_url,
                ..Options::default()
            };
            let asked = crate::check::Asked {
                external_links: args.external,
                fail_on_overdue: args.fail_on == Some(FailOn::Overdue),
            };
            cmd::check::run(&root, options, args.format, asked, args.verbose)
        }
        Command::Review(args) => {
            let root = site_root(args.root)?;
            match &args.confirm {
                Some(target) => {
                    let record = crate::review::Record {
                        note: args.note.as_deref(),
                        by: args.by.as_deref(),
                        source: args.source.and_then(|n| usize::try_from(n).ok()),
                    };
                    cmd::review::confirm(&root, args.today, target, &record)
                }
                None => {
                    let fail_on_overdue = args.fail_on == Some(FailOn::Overdue);
                    let listing = cmd::review::Listing {
                        within: args.within,
                        format: args.format,
                        reviewer: args.reviewer.as_deref(),
                        fail_on_overdue,
                    };
                    cmd::review::list(&root, args.today, &listing)
                }
            }
        }
        Command::Init(args) => {
            let mut settings = crate::init::Settings::defaults(&args.dir);
            let given = [
                (args.title, &mut settings.title),
                (args.description, &mut settings.description),
                (args.base_url, &mut settings.base_url),
                (args.lang, &mut settings.lang),
                (args.author, &mut settings.author),
                (args.timezone, &mut settings.timezone),
            ];
            let mut ask = false;
            for (value, setting) in given {
                match value {
                    Some(value) => *setting = value,
                    None => ask = true,
                }
            }
            cmd::init::run(cmd::init::Init {
                dir: args.dir,
                settings,
                ask,
                force: args.force,
                theme: args.theme,
            })
        }
        Command::Clean(root) => cmd::clean::run(&site_root(root)?),
        Command::Serve(args) => {
            let root = site_root(args.root)?;
            // serve stays on this computer: it takes only the sub-path, and never reads the
            // environment, which is meant for publishing.
            let base_path = checked_base_url(args.base_url, false)?;
            cmd::serve::run(crate::serve::Args {
                root,
                port: args.port,
                bind: args.bind,
                base_path: base_path.map_or_else(|| "/".into(), |(_, path)| path),
                no_drafts: args.no_drafts,
                open: args.open,
            })
        }
    })
}
