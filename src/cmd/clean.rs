//! `brief clean`: brief's cache of processed images removed, and nothing else.

use super::show;
use std::path::Path;

pub fn run(root: &Path) -> i32 {
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
