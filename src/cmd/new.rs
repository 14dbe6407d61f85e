//! `brief new`: a new article, written as a draft; its path on standard output so that a
//! script or an editor can open it.

use super::show;
use crate::scaffold::NewArticle;
use std::path::Path;

pub fn run(root: &Path, article: &NewArticle) -> i32 {
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
