//! `brief init`: a new site in a folder, or (`--theme` in a site) the theme's templates and
//! assets copied out for editing.

use super::show;
use crate::init::{create, eject_theme, Settings};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// What `brief init` was asked for.
pub struct Init {
    /// The folder to start the site in.
    pub dir: PathBuf,
    /// The settings given on the command line, the defaults for the rest.
    pub settings: Settings,
    /// Some settings were not given: on a terminal, they are asked for.
    pub ask: bool,
    /// Add to a folder that is not empty.
    pub force: bool,
    /// Copy the theme out too; in a site, only that.
    pub theme: bool,
}

pub fn run(init: Init) -> i32 {
    let Init {
        dir,
        mut settings,
        ask,
        force,
        theme,
    } = init;
    let dir = &dir;
    let say_written = |written: &[PathBuf]| {
        for file in written {
            say!("  {}", dir.join(file).display());
        }
    };
    if theme && dir.join(crate::config::FILE).is_file() {
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
    if ask && std::io::stdin().is_terminal() {
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
    match create(dir, &settings, today, force, theme) {
        Ok(written) => {
            say!("Started {} with {} files:", settings.title, written.len());
            say_written(&written);
            say!("\nNext:");
            if dir != Path::new(".") {
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
