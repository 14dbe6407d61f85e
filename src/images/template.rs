//! `resize_image(path="/assets/team.jpg", width=800, format="webp")`, the template function
//! for a theme's own images: it returns the address of a copy of the image at that width
//! (never wider than the image) and notes it, so the build makes it with the Markdown's
//! variants. `format` is `webp` or `original` (the default). In `serve` it returns the
//! original's address: the preview never waits for processing.

use super::{site_path, Catalogue, Entry, Format, Variant, Wanted};
use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError, RwLock};
use tera::{Kwargs, State, TeraResult};

/// What `resize_image` needs and what it was asked for. One per set of templates.
#[derive(Debug, Default)]
pub struct ThemeImages {
    catalogue: RwLock<Catalogue>,
    /// By (path, variant): what the templates asked for in this render.
    asked: Mutex<BTreeMap<(String, u32, Format), Wanted>>,
    base_path: String,
    originals: bool,
}

impl ThemeImages {
    pub fn new(base_path: &str, originals: bool) -> ThemeImages {
        ThemeImages {
            base_path: base_path.to_string(),
            originals,
            ..ThemeImages::default()
        }
    }

    /// The site's images, as listed with its assets.
    pub fn set_catalogue(&self, catalogue: Catalogue) {
        *self
            .catalogue
            .write()
            .unwrap_or_else(PoisonError::into_inner) = catalogue;
    }

    /// What templates asked for since the last call.
    pub fn take_asked(&self) -> Vec<Wanted> {
        let mut asked = self.asked.lock().unwrap_or_else(PoisonError::into_inner);
        std::mem::take(&mut *asked).into_values().collect()
    }

    /// The function itself.
    pub fn call(&self, kwargs: Kwargs, _: &State) -> TeraResult<String> {
        let path: String = kwargs.must_get("path")?;
        let width: u32 = kwargs.must_get("width")?;
        let format: Option<String> = kwargs.get("format")?;
        let fail =
            |why: String| tera::Error::message(format!("resize_image(path=\"{path}\"): {why}"));
        let rooted = format!("/{}", path.trim_start_matches('/'));
        let key = site_path(&rooted).ok_or_else(|| {
            fail("give the image's address in the site, e.g. /assets/team.jpg".into())
        })?;
        let catalogue = self
            .catalogue
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let image = match catalogue.get(&key) {
            Some(Entry::Image(image)) => image.clone(),
            Some(Entry::Broken { file, why }) => {
                return Err(fail(format!(
                    "{} cannot be published: {why}",
                    file.display()
                )))
            }
            Some(Entry::Active { file, what, .. }) => {
                return Err(fail(format!(
                    "{} cannot be published: it holds {what}",
                    file.display()
                )))
            }
            None => {
                return Err(fail(
                    "there is no such image among the site's assets and page bundles".into(),
                ))
            }
        };
        let own = image.header.format;
        if !own.resized() {
            return Err(fail(format!(
                "brief resizes PNG, JPEG and WebP images, not {}",
                own.name()
            )));
        }
        let format = match format.as_deref() {
            None | Some("original") => own,
            Some("webp") => Format::Webp,
            Some(other) => {
                return Err(fail(format!(
                    "format=\"{other}\": use \"webp\" or \"original\""
                )))
            }
        };
        if width == 0 {
            return Err(fail("width must be at least 1".into()));
        }
        if self.originals {
            return Ok(format!("{}{key}", self.base_path));
        }
        let (full_width, full_height) = image.shown();
        let width = width.min(full_width);
        let height = ((u64::from(full_height) * u64::from(width) + u64::from(full_width) / 2)
            / u64::from(full_width))
        .max(1) as u32;
        let variant = Variant {
            width,
            height,
            format,
        };
        let wanted = Wanted {
            path: key.clone(),
            image,
            variants: vec![variant],
            shown_in: None,
        };
        let output = wanted.output(&variant);
        self.asked
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry((key, width, format))
            .or_insert(wanted);
        Ok(format!("{}{output}", self.base_path))
    }
}
