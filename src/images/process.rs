//! Making variants: each wanted image decoded once (within limits, EXIF orientation
//! applied), resized to every width it needs, encoded in WebP and its own format (which
//! leaves its metadata behind), and kept in the cache. Images are processed in parallel;
//! an image whose variants are all cached is not read at all.

use super::cache::Cache;
use super::probe::{MAX_PIXELS, MAX_SIDE};
use super::{Format, Variant, Wanted};
use crate::diagnostic::{sorted, Diagnostic, Result};
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageEncoder};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// JPEG quality of the variants.
const JPEG_QUALITY: u8 = 80;
/// Quality of lossy WebP variants (libwebp's scale, as `cwebp -q`).
const WEBP_QUALITY: f32 = 80.0;

/// One variant ready to publish: its output path and its file in the cache.
pub type Made = (String, PathBuf);

/// Makes whatever variants of `wanted` the cache lacks, and lists every variant's output
/// path with its cache file. Every image that cannot be decoded is an error naming it and
/// the Markdown that shows it. Unless `store`, only decodes what is not cached, to find
/// those errors, and writes nothing (the list is the same).
pub fn make(
    root: &Path,
    wanted: &[Wanted],
    store: bool,
) -> std::result::Result<Vec<Made>, Vec<Diagnostic>> {
    let cache = Cache::open(root).map_err(|e| vec![e])?;
    // One job per source image (by hash), however many pages or paths show it.
    let mut by_hash: BTreeMap<u64, Wanted> = BTreeMap::new();
    for w in wanted {
        let job = by_hash.entry(w.image.hash).or_insert_with(|| Wanted {
            variants: Vec::new(),
            ..w.clone()
        });
        for v in &w.variants {
            if !job.variants.contains(v) {
                job.variants.push(*v);
            }
        }
    }
    let errors: Vec<Diagnostic> = by_hash
        .par_iter()
        .filter_map(|(_, w)| ensure(root, &cache, w, store).err())
        .collect();
    if !errors.is_empty() {
        return Err(sorted(errors));
    }
    // Listed even when nothing was stored: `check` notes the paths (its link check sees the
    // pages name them) and reads none of the files.
    let mut made: Vec<Made> = Vec::new();
    for w in wanted {
        for v in &w.variants {
            made.push((w.output(v), cache.path(&w.image, v)));
        }
    }
    made.sort();
    made.dedup();
    Ok(made)
}

/// Makes the variants of one image that are not cached yet.
fn ensure(root: &Path, cache: &Cache, wanted: &Wanted, store: bool) -> Result<()> {
    let image = &wanted.image;
    let missing: Vec<Variant> = wanted
        .variants
        .iter()
        .copied()
        .filter(|v| !cache.has(image, v))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let located = |d: Diagnostic| match &wanted.shown_in {
        Some((file, line)) => d.in_file(file).on_line(*line),
        None => d.in_file(&image.file),
    };
    let bytes = std::fs::read(root.join(&image.file)).map_err(|e| {
        located(super::broken_error(
            &image.file,
            &format!("it cannot be read: {e}"),
        ))
    })?;
    if xxhash_rust::xxh3::xxh3_64(&bytes) != image.hash {
        return Err(located(
            Diagnostic::error(format!(
                "the image {} changed while brief was building the site",
                image.file.display()
            ))
            .with_fix("run brief again once it is saved"),
        ));
    }
    let decoded = decode(&bytes, image.header.format)
        .map_err(|why| located(super::broken_error(&image.file, &why)))?;
    if !store {
        return Ok(());
    }
    // Widest first: each smaller size is made from the one above it, which costs a
    // fraction of resizing the original every time and looks the same.
    let mut widths: Vec<(u32, u32)> = missing.iter().map(|v| (v.width, v.height)).collect();
    widths.sort_by(|a, b| b.cmp(a));
    widths.dedup();
    let mut from = decoded;
    for (width, height) in widths {
        let resized = if (from.width(), from.height()) == (width, height) {
            from.clone()
        } else {
            from.resize_exact(width, height, FilterType::CatmullRom)
        };
        for v in missing
            .iter()
            .filter(|v| (v.width, v.height) == (width, height))
        {
            let bytes = encode(&resized, image.header.format, v.format).map_err(|why| {
                located(Diagnostic::error(format!(
                    "cannot encode a {} variant of {}: {why}",
                    v.format.name(),
                    image.file.display()
                )))
            })?;
            cache.store(image, v, &bytes)?;
        }
        from = resized;
    }
    Ok(())
}

/// Decodes an image within limits (a header that lied about its size, or a picture that
/// would take more memory than brief allows, is refused before the pixels are), with its
/// EXIF orientation applied.
pub fn decode(bytes: &[u8], format: Format) -> std::result::Result<DynamicImage, String> {
    let format = match format {
        Format::Png => image::ImageFormat::Png,
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Webp => image::ImageFormat::WebP,
        other => return Err(format!("brief does not resize {} images", other.name())),
    };
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // Four bytes a pixel, twice over (the decoded image and a resized copy), with room.
    limits.max_alloc = Some(MAX_PIXELS * 4 * 3);
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let damaged = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => {
            "decoding it would take more memory than brief allows".to_string()
        }
        other => format!("it cannot be decoded ({other})"),
    };
    let mut decoder = reader.into_decoder().map_err(damaged)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut decoded = DynamicImage::from_decoder(decoder).map_err(damaged)?;
    decoded.apply_orientation(orientation);
    Ok(decoded)
}

/// Encodes `image` (decoded from a `source` file) as `format`; only the pixels are
/// written, none of the source's metadata.
pub fn encode(
    image: &DynamicImage,
    source: Format,
    format: Format,
) -> std::result::Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let (w, h) = (image.width(), image.height());
    let result =
        match format {
            Format::Jpeg => {
                let rgb = image.to_rgb8();
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
                    .write_image(rgb.as_raw(), w, h, image::ExtendedColorType::Rgb8)
            }
            // Photographs (JPEG and WebP sources) become lossy WebP, a third to a half the size
            // of the JPEG; drawings and screenshots (PNG sources) lossless, every pixel kept.
            Format::Webp if source != Format::Png => {
                let rgb = image.to_rgb8();
                let webp = webp::Encoder::from_rgb(rgb.as_raw(), w, h).encode(WEBP_QUALITY);
                out.extend_from_slice(&webp);
                Ok(())
            }
            Format::Png | Format::Webp => {
                let (pixels, colour) = if image.color().has_alpha() {
                    (image.to_rgba8().into_raw(), image::ExtendedColorType::Rgba8)
                } else {
                    (image.to_rgb8().into_raw(), image::ExtendedColorType::Rgb8)
                };
                if format == Format::Png {
                    image::codecs::png::PngEncoder::new(&mut out).write_image(&pixels, w, h, colour)
                } else {
                    image::codecs::webp::WebPEncoder::new_lossless(&mut out)
                        .write_image(&pixels, w, h, colour)
                }
            }
            other => return Err(format!("brief does not write {} images", other.name())),
        };
    result.map_err(|e| e.to_string())?;
    Ok(out)
}
