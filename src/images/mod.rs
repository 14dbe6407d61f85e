//! Images the site publishes: the [`Catalogue`] of every image file among its assets and
//! page bundles (format, size as shown, a hash of the bytes), read from headers when the
//! site loads, so that Markdown rendering (which does no IO) can give each `<img>` its
//! `width` and `height` and name its responsive variants; and the variants themselves,
//! made in parallel after the pages ([`process`]) and kept across builds in the site's
//! cache folder ([`cache`]).

pub mod cache;
pub mod probe;
pub mod process;
pub mod svg;
pub mod template;

use crate::core::paths::Address;
use crate::diagnostic::Diagnostic;
use crate::theme::AssetFile;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Widths of the variants of a raster image wider than the content column (never wider
/// than the image itself).
pub const WIDTHS: [u32; 4] = [480, 800, 1200, 1600];
/// The widest the bundled theme shows an image in the text (its 65ch measure): a raster
/// image no wider than this is published as it is.
pub const COLUMN: u32 = 720;
/// The `sizes` of every responsive image: the full viewport on narrow screens, the column
/// on wide ones.
pub const SIZES: &str = "(max-width: 760px) 100vw, 720px";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Png,
    Jpeg,
    Webp,
    Gif,
    Avif,
    Svg,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::Webp => "WebP",
            Format::Gif => "GIF",
            Format::Avif => "AVIF",
            Format::Svg => "SVG",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::Webp => "webp",
            Format::Gif => "gif",
            Format::Avif => "avif",
            Format::Svg => "svg",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Webp => "image/webp",
            Format::Gif => "image/gif",
            Format::Avif => "image/avif",
            Format::Svg => "image/svg+xml",
        }
    }

    /// Whether brief makes smaller variants of it (it decodes and encodes these three).
    pub fn resized(self) -> bool {
        matches!(self, Format::Png | Format::Jpeg | Format::Webp)
    }
}

/// Extensions of files brief reads as images: those it publishes, and image formats it
/// refuses (browsers show few of them). Any other file is not catalogued: `![…](notes.txt)`
/// is left as written.
const IMAGE_EXTENSIONS: [&str; 13] = [
    "png", "jpg", "jpeg", "webp", "gif", "avif", "svg", "bmp", "tif", "tiff", "heic", "heif", "psd",
];

/// One image file of the site, as its header describes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Image {
    /// Relative to the site root: `content/articles/launch/chart.png`.
    pub file: PathBuf,
    pub header: probe::Header,
    /// xxh3 of the file's bytes.
    pub hash: u64,
}

/// A smaller copy of an image, at one width, in one format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
}

impl Image {
    /// (width, height) as a reader sees it: after EXIF orientation. (0, 0) for an SVG
    /// that states no size.
    pub fn shown(&self) -> (u32, u32) {
        self.header.shown()
    }

    /// Its variants, narrowest first, WebP before the original format: none for a format
    /// brief does not resize or an image that fits the column. The widest is the image's
    /// own width when that is under the largest of [`WIDTHS`] (re-encoded: metadata
    /// stripped, orientation applied).
    pub fn variants(&self) -> Vec<Variant> {
        let (width, height) = self.shown();
        if !self.header.format.resized() || width <= COLUMN {
            return Vec::new();
        }
        let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w < width).collect();
        if width < WIDTHS[WIDTHS.len() - 1] {
            widths.push(width);
        }
        let mut formats = vec![Format::Webp];
        if self.header.format != Format::Webp {
            formats.push(self.header.format);
        }
        let mut all = Vec::new();
        for format in formats {
            for &w in &widths {
                let h =
                    (u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width);
                all.push(Variant {
                    width: w,
                    height: u32::try_from(h.max(1)).unwrap_or(u32::MAX),
                    format,
                });
            }
        }
        all
    }

    /// The file name of a variant, published beside the original: made from the source's
    /// hash, the width and the format, so a page can name it before it exists and a changed
    /// image gets new names (browsers never show a stale copy).
    pub fn variant_name(&self, variant: &Variant) -> String {
        format!(
            "{:012x}-{}.{}",
            self.hash >> 16,
            variant.width,
            variant.format.extension()
        )
    }
}

/// What the catalogue knows of one file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Entry {
    Image(Arc<Image>),
    /// A file that cannot be published as an image, and why (in words for the author).
    Broken {
        file: PathBuf,
        why: String,
    },
    /// An SVG holding something that runs code or shows a page (`what`), at `line` of it.
    Active {
        file: PathBuf,
        what: String,
        line: usize,
    },
}

impl Entry {
    /// Why the file cannot be published, as an error without a place (the Markdown that
    /// shows it gives one); `None` for an image.
    pub fn error(&self) -> Option<Diagnostic> {
        match self {
            Entry::Image(_) => None,
            Entry::Broken { file, why } => Some(broken_error(file, why)),
            Entry::Active { file, what, line } => Some(
                Diagnostic::error(format!(
                    "the image {} cannot be published: it holds {what} (line {line} of the SVG), which could run code on the site's own address when someone opens the image",
                    file.display()
                ))
                .with_fix("an image needs no code: remove the scripts, on…= event attributes, javascript: addresses and embedded pages (<foreignObject>, <iframe>, <embed>, <object>) from the SVG, or export the drawing again without them"),
            ),
        }
    }
}

/// Every image file of the site by its path in the output (`articles/launch/chart.png`,
/// `assets/logo.svg`). Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    entries: Arc<BTreeMap<String, Entry>>,
    /// For serve: the images whose variants are all in the cache already, which pages may
    /// name (build names every image's variants and makes them).
    ready: Arc<std::collections::BTreeSet<String>>,
}

impl Catalogue {
    /// Reads the header and hashes the bytes of every site file among `assets` (as
    /// [`crate::site::Site::reload_assets`] lists them) that is an image by its name. The
    /// theme's own assets are not catalogued.
    pub fn load(root: &Path, assets: &[(Address, AssetFile)]) -> Catalogue {
        let entries: BTreeMap<String, Entry> = assets
            .par_iter()
            .filter_map(|(path, source)| match source {
                AssetFile::Site(file) => Some((path.to_string(), entry_of(root, file)?)),
                AssetFile::Theme(_) => None,
            })
            .collect();
        Catalogue {
            entries: Arc::new(entries),
            ready: Arc::default(),
        }
    }

    /// Notes which images have all their variants in the cache of the site at `root`, and
    /// returns those variants as (output path, cache file), for serve to serve.
    pub fn mark_ready(&mut self, root: &Path) -> Vec<(String, PathBuf)> {
        let mut ready = std::collections::BTreeSet::new();
        let mut files = Vec::new();
        // A cache that cannot be trusted serves nothing: the pages show the originals, and
        // making the variants reports why.
        let Ok(cache) = cache::Cache::open(root) else {
            self.ready = Arc::new(ready);
            return files;
        };
        for w in self.unready() {
            if w.variants.iter().all(|v| cache.has(&w.image, v)) {
                files.extend(
                    w.variants
                        .iter()
                        .map(|v| (w.output(v), cache.path(&w.image, v))),
                );
                ready.insert(w.path);
            }
        }
        self.ready = Arc::new(ready);
        files
    }

    /// Whether the image at `path` may be shown with its variants before a build.
    pub fn is_ready(&self, path: &str) -> bool {
        self.ready.contains(path)
    }

    /// Every image with variants that [`Catalogue::mark_ready`] did not find cached.
    pub fn unready(&self) -> Vec<Wanted> {
        self.entries
            .iter()
            .filter(|(path, _)| !self.ready.contains(*path))
            .filter_map(|(path, entry)| match entry {
                Entry::Image(image) if !image.variants().is_empty() => Some(Wanted {
                    path: path.clone(),
                    variants: image.variants(),
                    image: image.clone(),
                    shown_in: None,
                }),
                _ => None,
            })
            .collect()
    }

    /// The entry of the file published at `path` (no leading slash).
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.get(path)
    }

    /// The error that keeps the site file at `path` from being published, pointing at the
    /// file itself, whether or not a page shows it: an SVG that runs code, and a `.svg` file
    /// that is not a whole SVG (a browser reads any of them as a document of the site).
    /// Other broken images are errors where a page shows them.
    pub fn refusal(&self, path: &str) -> Option<Diagnostic> {
        let entry = self.entries.get(path)?;
        match entry {
            Entry::Active { file, line, .. } => Some(entry.error()?.in_file(file).on_line(*line)),
            Entry::Broken { file, .. }
                if file
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("svg")) =>
            {
                Some(entry.error()?.in_file(file).with_fix(
                    "replace it with a whole SVG file that opens in a browser, or remove it from the site",
                ))
            }
            _ => None,
        }
    }

    /// A fingerprint of every entry whose path starts with `prefix` (`assets/`, a
    /// bundle's `articles/launch/`), for the keys of the pages that show them.
    pub fn key_under(&self, prefix: &str) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for (path, entry) in self
            .entries
            .range(prefix.to_string()..)
            .take_while(|(p, _)| p.starts_with(prefix))
        {
            (path, entry, self.ready.contains(path)).hash(&mut h);
        }
        h.finish()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn entry_of(root: &Path, file: &Path) -> Option<Entry> {
    let relative = crate::content::relative(root, file);
    let broken = |why: String| Entry::Broken {
        file: relative.clone(),
        why,
    };
    let is_image = file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
    if !is_image {
        return None;
    }
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => return Some(broken(format!("it cannot be read: {e}"))),
    };
    Some(match probe::header(&bytes) {
        Ok(header) => Entry::Image(Arc::new(Image {
            file: relative,
            header,
            hash: xxhash_rust::xxh3::xxh3_64(&bytes),
        })),
        Err(probe::Refusal::Broken(why)) => broken(why),
        Err(probe::Refusal::Active { what, line }) => Entry::Active {
            file: relative,
            what,
            line,
        },
    })
}

/// The error for an image that cannot be published, at the line of the Markdown that
/// shows it.
pub fn broken_error(file: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "the image {} cannot be published: {why}",
        file.display()
    ))
    .with_fix("replace it with a PNG, JPEG, WebP, GIF or SVG file that opens in an image viewer, or remove the ![…](…) that shows it")
}

/// Variants to make: the image, the site path of the original (`articles/x/a.png`) and
/// which variants (all of [`Image::variants`] for Markdown, one for a template's
/// `resize_image`).
#[derive(Debug, Clone)]
pub struct Wanted {
    pub path: String,
    pub image: Arc<Image>,
    pub variants: Vec<Variant>,
    /// The Markdown file and line of the first reference, for errors.
    pub shown_in: Option<(PathBuf, usize)>,
}

impl Wanted {
    /// The output path of a variant: beside the original.
    pub fn output(&self, variant: &Variant) -> String {
        let folder = match self.path.rfind('/') {
            Some(i) => &self.path[..=i],
            None => "",
        };
        format!("{folder}{}", self.image.variant_name(variant))
    }
}

/// The catalogue's images that `links` (a rendered document's, each `(href, line)` for an
/// image) show and that have variants.
pub fn wanted_by<'l>(
    catalogue: &Catalogue,
    doc: &Path,
    links: impl Iterator<Item = (&'l str, usize)>,
) -> Vec<Wanted> {
    links
        .filter_map(|(href, line)| {
            let path = site_path(href)?;
            match catalogue.get(&path)? {
                Entry::Image(image) if !image.variants().is_empty() => Some(Wanted {
                    path,
                    variants: image.variants(),
                    image: image.clone(),
                    shown_in: Some((doc.to_path_buf(), line)),
                }),
                _ => None,
            }
        })
        .collect()
}

/// The catalogue path of a root-relative link (`/articles/x/a%20b.png?v=2` →
/// `articles/x/a b.png`); `None` for a link to another site.
pub fn site_path(href: &str) -> Option<String> {
    let path = href.strip_prefix('/').filter(|p| !p.starts_with('/'))?;
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    Some(
        percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned(),
    )
}
