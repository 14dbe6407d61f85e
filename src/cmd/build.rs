//! `brief build`: the site into the output folder, replaced as a whole only when every page
//! rendered and passed its checks.

use super::show;
use crate::output::{Existing, Staging};
use crate::site::{Options, Site};
use std::path::Path;
use std::time::Instant;

pub fn run(root: &Path, output: &Path, existing: Existing, options: Options) -> i32 {
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
            let kept = committed.files.saturating_sub(committed.created);
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
