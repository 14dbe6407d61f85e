//! Images from Markdown: sizes from their files, responsive variants (sizes, formats,
//! orientation), figures for titled images, the cache across builds, `brief clean`, and
//! every kind of broken image as an error naming the file and the line that shows it.
//!
//! The fixture `sites/images/` lays an article over `check-clean`; its pictures are made
//! here, at run time, with the `image` crate (no large binaries in the repository).

use crate::support::{copy_dir, sites, Site};
use image::{DynamicImage, GenericImageView, ImageEncoder, Rgb, RgbImage};
use std::path::PathBuf;

const TODAY: &str = "2026-07-10";
const BUNDLE: &str = "content/articles/pictures";
const PAGE: &str = "public/articles/pictures/index.html";

/// Something like a photograph: gradients with noise (so it does not compress to nothing).
fn photo(width: u32, height: u32) -> RgbImage {
    let mut seed = 0x2545_f491_u32;
    RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 24) as u8;
        Rgb([
            ((x * 200 / width) as u8).saturating_add(noise),
            ((y * 200 / height) as u8).saturating_add(noise),
            (((x + y) * 100 / (width + height)) as u8).saturating_add(noise),
        ])
    })
}

fn png(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

fn jpeg(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

/// `jpeg` with an EXIF APP1 segment saying `orientation` (6: turn 90° clockwise to view),
/// put right after the start-of-image marker.
fn with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"II*\0");
    tiff.extend_from_slice(&8u32.to_le_bytes()); // the first directory follows the header
    tiff.extend_from_slice(&1u16.to_le_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_le_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_le_bytes()); // one value
    tiff.extend_from_slice(&orientation.to_le_bytes());
    tiff.extend_from_slice(&[0, 0]); // padding to four bytes
    tiff.extend_from_slice(&0u32.to_le_bytes()); // no next directory
    let mut segment = b"Exif\0\0".to_vec();
    segment.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((segment.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&segment);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn write_bytes(site: &Site, rel: &str, bytes: &[u8]) {
    let path = site.path(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The fixture with its pictures: a tiny PNG, a huge one (3000 px, smooth so it stays
/// small), a JPEG photo, a JPEG stored 1200 × 800 that is viewed turned (800 × 1200), and
/// the SVGs of the fixture.
pub(crate) fn site() -> Site {
    let site = Site::fixture("check-clean");
    copy_dir(&sites().join("images"), site.root());
    write_bytes(
        &site,
        &format!("{BUNDLE}/tiny.png"),
        &png(&RgbImage::from_pixel(64, 48, Rgb([9, 99, 199]))),
    );
    let huge = RgbImage::from_fn(3000, 1500, |x, y| Rgb([(x / 12) as u8, (y / 6) as u8, 128]));
    write_bytes(&site, &format!("{BUNDLE}/huge.png"), &png(&huge));
    write_bytes(
        &site,
        &format!("{BUNDLE}/photo.jpg"),
        &jpeg(&photo(2000, 1200)),
    );
    // Stored landscape with a red top-left corner; viewed turned clockwise, that corner is
    // at the top right.
    let mut sideways = photo(1200, 800);
    for y in 0..200 {
        for x in 0..200 {
            sideways.put_pixel(x, y, Rgb([255, 0, 0]));
        }
    }
    write_bytes(
        &site,
        &format!("{BUNDLE}/rotated.jpg"),
        &with_orientation(&jpeg(&sideways), 6),
    );
    site
}

fn build(site: &Site) -> crate::support::Run {
    site.brief(&["build", "--today", TODAY])
}

/// The `<img …>` (or `<picture>…</picture>`) whose alt text is `alt`.
#[track_caller]
fn element<'p>(page: &'p str, alt: &str) -> &'p str {
    let at = page
        .find(&format!("alt=\"{alt}\""))
        .unwrap_or_else(|| panic!("no image {alt:?} in:\n{page}"));
    let start = page[..at]
        .rfind("<picture>")
        .filter(|&p| !page[p..at].contains("</picture>"))
        .or_else(|| page[..at].rfind("<img"))
        .unwrap();
    let end = match page[start..].starts_with("<picture>") {
        true => start + page[start..].find("</picture>").unwrap() + "</picture>".len(),
        false => at + page[at..].find('>').unwrap() + 1,
    };
    &page[start..end]
}

/// The `srcset` entries (url, width) of the first `srcset` in `html` after `after`.
fn srcset(html: &str, after: &str) -> Vec<(String, u32)> {
    let from = html
        .find(after)
        .unwrap_or_else(|| panic!("no {after} in {html}"));
    let rest = &html[from..];
    let at = rest.find("srcset=\"").unwrap() + 8;
    let value = &rest[at..at + rest[at..].find('"').unwrap()];
    value
        .split(", ")
        .map(|entry| {
            let (url, w) = entry.split_once(' ').unwrap();
            (url.to_string(), w.trim_end_matches('w').parse().unwrap())
        })
        .collect()
}

fn decoded(site: &Site, url: &str) -> DynamicImage {
    let file = site.path(&format!("public{url}"));
    image::open(&file).unwrap_or_else(|e| panic!("cannot open {}: {e}", file.display()))
}

fn cache_files(site: &Site) -> Vec<(PathBuf, std::time::SystemTime)> {
    let dir = site.path(".brief-cache/images");
    let mut all: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("no cache at {}: {e}", dir.display()))
        .map(|e| e.unwrap())
        .map(|e| (e.path(), e.metadata().unwrap().modified().unwrap()))
        .collect();
    all.sort();
    all
}

#[test]
fn local_images_get_their_sizes_variants_and_figures() {
    let site = site();
    build(&site).success();
    let page = site.read(PAGE);

    // Too small for variants: published as it is, with its size; the page's first image
    // loads at once.
    let tiny = element(&page, "A tiny icon");
    assert_eq!(
        tiny,
        r#"<img src="/articles/pictures/tiny.png" width="64" height="48" alt="A tiny icon">"#
    );
    assert!(!page.contains("<p><figure>"), "{page}");

    // Huge and titled: alone in its paragraph, a figure with a caption; variants at every
    // width up to 1600 in WebP and PNG; the largest PNG is the fallback.
    let start = page.find("<figure><picture>").expect("a figure");
    let figure = &page[start..start + page[start..].find("</figure>").unwrap() + 9];
    assert!(
        figure.ends_with("<figcaption>Monthly cost</figcaption></figure>"),
        "{figure}"
    );
    let huge = element(figure, "Cost by team, month by month");
    assert!(huge.contains(r#"<source type="image/webp""#), "{huge}");
    assert!(huge.contains(r#"width="1600" height="800""#), "{huge}");
    assert!(
        huge.contains(r#"loading="lazy" decoding="async""#),
        "{huge}"
    );
    assert!(
        huge.contains(r#"sizes="(max-width: 760px) 100vw, 720px""#),
        "{huge}"
    );
    assert!(!huge.contains("title="), "the caption is the title: {huge}");
    let webp = srcset(huge, "<source");
    let own = srcset(huge, "<img");
    let widths: Vec<u32> = webp.iter().map(|(_, w)| *w).collect();
    assert_eq!(widths, [480, 800, 1200, 1600]);
    assert_eq!(own.iter().map(|(_, w)| *w).collect::<Vec<_>>(), widths);
    for ((webp_url, w), (png_url, _)) in webp.iter().zip(&own) {
        assert!(
            webp_url.ends_with(".webp") && png_url.ends_with(".png"),
            "{webp_url} {png_url}"
        );
        assert!(webp_url.starts_with("/articles/pictures/"), "{webp_url}");
        for url in [webp_url, png_url] {
            let variant = decoded(&site, url);
            assert_eq!(variant.dimensions(), (*w, w / 2), "{url}");
        }
    }
    assert!(huge.contains(&format!("src=\"{}\"", own[3].0)), "{huge}");

    // Inline and titled: an image in its sentence, with its title; turned upright by its
    // EXIF orientation, so 800 × 1200, variants at 480 and its own 800.
    let rotated = element(&page, "a photo taken sideways");
    assert!(page.contains("<p>Inline, <picture>"), "{page}");
    assert!(rotated.contains(r#"title="Taken sideways""#), "{rotated}");
    assert!(
        rotated.contains(r#"width="800" height="1200""#),
        "{rotated}"
    );
    let jpegs = srcset(rotated, "<img");
    assert_eq!(
        jpegs.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
        [480, 800]
    );
    assert!(jpegs[0].0.ends_with(".jpg"), "{jpegs:?}");
    let upright = decoded(&site, &jpegs[1].0).to_rgb8();
    assert_eq!(upright.dimensions(), (800, 1200));
    let top_right = upright.get_pixel(760, 40);
    let top_left = upright.get_pixel(40, 40);
    assert!(
        top_right[0] > 200 && top_right[1] < 60,
        "red corner at the top right: {top_right:?}"
    );
    assert!(
        top_left[0] < 200 || top_left[1] > 60,
        "not at the top left: {top_left:?}"
    );
    // Re-encoded: no EXIF left behind.
    let bytes = std::fs::read(site.path(&format!("public{}", jpegs[1].0))).unwrap();
    assert!(
        !bytes.windows(6).any(|w| w == b"Exif\0\0"),
        "metadata stripped"
    );

    // A photo, untitled: no figure, a picture with JPEG and WebP variants.
    let photo = element(&page, "A photograph");
    assert!(
        photo.starts_with("<picture><source type=\"image/webp\""),
        "{photo}"
    );
    assert!(photo.contains(r#"width="1600" height="960""#), "{photo}");

    // SVG: its size from its viewBox (in the bundle) or width and height (under assets/),
    // never resized; titled and alone, a figure.
    let cycle = element(&page, "The review cycle: write, review, publish");
    assert!(
        cycle.contains(r#"src="/articles/pictures/cycle.svg" width="640" height="360""#),
        "{cycle}"
    );
    assert!(
        page.contains("<figcaption>The review cycle</figcaption>"),
        "{page}"
    );
    let logo = element(&page, "The shared logo");
    assert!(logo.contains(r#"width="10" height="10""#), "{logo}");
    assert!(logo.contains(r#"loading="lazy""#), "{logo}");

    // The originals are published too.
    assert!(site.path("public/articles/pictures/huge.png").is_file());
}

#[test]
fn templates_resize_theme_images_with_resize_image() {
    let site = site();
    site.edit(
        "templates/article.html",
        "  {{ article.cta_html | safe }}",
        "  {{ article.cta_html | safe }}\n  <img class=\"banner\" src=\"{{ resize_image(path='/articles/pictures/huge.png', width=300, format='webp') }}\" alt=\"\">\n  <img class=\"wide\" src=\"{{ resize_image(path='articles/pictures/tiny.png', width=999) }}\" alt=\"\">",
    );
    build(&site).success();
    let page = site.read(PAGE);
    let banner = element(&page, "");
    assert!(banner.contains("class=\"banner\""), "{banner}");
    let src = |class: &str| {
        let at = page.find(&format!("class=\"{class}\" src=\"")).unwrap() + class.len() + 14;
        page[at..at + page[at..].find('"').unwrap()].to_string()
    };
    let webp = src("banner");
    assert!(
        webp.starts_with("/articles/pictures/") && webp.ends_with("-300.webp"),
        "{webp}"
    );
    assert_eq!(decoded(&site, &webp).dimensions(), (300, 150));
    // Never wider than the image: the tiny one stays 64 px, re-encoded as PNG.
    let tiny = src("wide");
    assert!(tiny.ends_with("-64.png"), "{tiny}");
    assert_eq!(decoded(&site, &tiny).dimensions(), (64, 48));

    // A path that is not an image of the site is a template error at its line.
    site.edit(
        "templates/article.html",
        "path='articles/pictures/tiny.png'",
        "path='/assets/nothing.png'",
    );
    let run = build(&site);
    run.failure();
    assert!(
        run.stderr
            .contains("resize_image(path=\"/assets/nothing.png\")"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("templates/article.html"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_finds_what_build_would_refuse_and_writes_nothing() {
    let site = site();
    // Clean: the variants the page names are known to the link check, though check makes
    // none of them.
    let run = site.brief(&["check", "--today", TODAY]);
    let report = format!("{}{}", run.stdout, run.stderr);
    run.success();
    assert!(!report.contains("points to no page"), "{report}");
    assert!(!site.path(".brief-cache").exists(), "check wrote the cache");
    assert!(!site.path("public").exists());
    // An image whose pixels are damaged (its header and end are whole) is found by check.
    let mut spoilt = png(&photo(1000, 600));
    let end = spoilt.len() - 12;
    for b in &mut spoilt[60..end] {
        *b = 0x5A;
    }
    write_bytes(&site, &format!("{BUNDLE}/huge.png"), &spoilt);
    let run = site.brief(&["check", "--today", TODAY]);
    run.failure();
    let report = format!("{}{}", run.stdout, run.stderr);
    assert!(
        report.contains("content/articles/pictures/huge.png cannot be published"),
        "{report}"
    );
    assert!(!site.path(".brief-cache").exists(), "check wrote the cache");
}

#[test]
fn variants_are_cached_across_builds_and_brief_clean_removes_only_the_cache() {
    let site = site();
    build(&site).success();
    let first = cache_files(&site);
    // huge.png: 4 widths; photo.jpg: 4; rotated.jpg: 2 — each in two formats.
    assert_eq!(
        first
            .iter()
            .filter(|(p, _)| !p.ends_with("CACHEDIR.TAG"))
            .count(),
        20,
        "{first:?}"
    );
    let published = std::fs::read(site.path(PAGE)).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(50));
    // A second build, and one into a fresh output, decode nothing: every cached file is
    // as it was.
    build(&site).success();
    std::fs::remove_dir_all(site.path("public")).unwrap();
    for spare in std::fs::read_dir(site.root()).unwrap().flatten() {
        if spare
            .file_name()
            .to_string_lossy()
            .starts_with(".public.brief")
        {
            let path = spare.path();
            if path.is_dir() {
                std::fs::remove_dir_all(path).unwrap();
            } else {
                std::fs::remove_file(path).unwrap();
            }
        }
    }
    build(&site).success();
    assert_eq!(cache_files(&site), first, "the cache was written again");
    assert_eq!(std::fs::read(site.path(PAGE)).unwrap(), published);

    // A changed image gets new variants (and new names on the page).
    write_bytes(
        &site,
        &format!("{BUNDLE}/huge.png"),
        &png(&RgbImage::from_pixel(2000, 1000, Rgb([1, 2, 3]))),
    );
    build(&site).success();
    assert_ne!(std::fs::read(site.path(PAGE)).unwrap(), published);
    assert_eq!(cache_files(&site).len(), first.len() + 8);

    // clean keeps what brief did not make, and everything outside the cache.
    site.write(".brief-cache/images/mine.txt", "keep me");
    site.write("notes.txt", "mine");
    let run = site.brief(&["clean"]);
    run.success();
    assert!(
        run.stdout.contains("mine.txt") || run.stderr.contains("mine.txt"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    let left: Vec<PathBuf> = cache_files(&site).into_iter().map(|(p, _)| p).collect();
    assert_eq!(left, [site.path(".brief-cache/images/mine.txt")]);
    assert_eq!(site.read("notes.txt"), "mine");
    assert!(site.path("public/articles/pictures/index.html").is_file());
    std::fs::remove_file(site.path(".brief-cache/images/mine.txt")).unwrap();
    site.brief(&["clean"]).success();
    assert!(!site.path(".brief-cache").exists());
    // Nothing to clean is not an error.
    site.brief(&["clean"]).success();
}

#[test]
fn a_cache_entry_that_is_not_a_regular_file_is_made_again() {
    let site = site();
    build(&site).success();
    let (victim, _) = cache_files(&site)
        .into_iter()
        .find(|(p, _)| p.extension().is_some_and(|e| e == "webp"))
        .unwrap();
    let outside = site.path("outside.webp");
    std::fs::write(&outside, b"not an image").unwrap();
    std::fs::remove_file(&victim).unwrap();
    crate::support::symlink(&outside, &victim).unwrap();
    build(&site).success();
    assert!(
        std::fs::symlink_metadata(&victim).unwrap().is_file(),
        "the link was replaced"
    );
    assert_eq!(
        std::fs::read(&outside).unwrap(),
        b"not an image",
        "its target is untouched"
    );
}

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap()
}

/// A PNG header claiming `width` × `height` pixels, with a valid IHDR and no pixels.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(&ihdr);
    out.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn broken_images_are_errors_naming_the_image_and_the_line_that_shows_it() {
    let whole = png(&photo(1000, 600));
    let mut damaged_inside = whole.clone();
    // Keep the header and the end, spoil the compressed pixels between.
    let middle = damaged_inside.len() / 2;
    for b in &mut damaged_inside[100..middle] {
        *b = 0x5A;
    }
    let mut bomb = png_header(100_000, 100_000);
    bomb.extend_from_slice(&whole[whole.len() - 12..]);
    // A small grey JPEG whose frame header claims 7000 × 7000 pixels (49 megapixels, under
    // the limit): decoding it would fill 150 MB with filler.
    let mut tall = jpeg(&RgbImage::from_pixel(16, 16, Rgb([128, 128, 128])));
    let sof = tall.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    tall[sof + 5..sof + 9].copy_from_slice(&[0x1B, 0x58, 0x1B, 0x58]);
    let cycle = std::fs::read(sites().join("images/content/articles/pictures/cycle.svg")).unwrap();
    let cases: [(&str, Vec<u8>, &str); 10] = [
        ("empty.png", Vec::new(), "empty"),
        ("cut.png", whole[..whole.len() / 2].to_vec(), "cut short"),
        (
            "noise.jpg",
            b"these bytes are no picture at all".repeat(20),
            "not an image",
        ),
        ("bomb.png", bomb, "100000 × 100000"),
        (
            "old.bmp",
            b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0".to_vec(),
            "not an image",
        ),
        ("spoilt.png", damaged_inside, "cannot be decoded"),
        ("tall.jpg", tall, "far too few for the 7000 × 7000 pixels"),
        (
            "cut.svg",
            cycle[..find(&cycle, b"</svg>")].to_vec(),
            "the SVG file is cut short",
        ),
        (
            "cut.gif",
            GIF[..GIF.len() - 1].to_vec(),
            "the GIF file is cut short",
        ),
        (
            "cut-inside.gif",
            GIF[..GIF.len() - 6].to_vec(),
            "the GIF file is cut short",
        ),
    ];
    for (name, bytes, why) in cases {
        let site = Site::fixture("check-clean");
        site.write(
            "content/articles/broken/index.md",
            &format!("---\ntitle: Broken\ndate: 2026-06-10\ncurrent_as_at: 2026-06-10\nsummary: A broken image.\n---\n\nText.\n\n![A picture]({name})\n"),
        );
        write_bytes(&site, &format!("content/articles/broken/{name}"), &bytes);
        let run = build(&site);
        run.failure();
        let file = format!("content/articles/broken/{name}");
        assert!(
            run.stderr
                .contains(&format!("the image {file} cannot be published")),
            "{name}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(why), "{name}: {why} in {}", run.stderr);
        assert!(
            run.stderr.contains("content/articles/broken/index.md:10"),
            "{name}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("fix:"), "{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert!(!site.path("public").exists(), "{name}: nothing published");
    }
}

/// A whole GIF of one 1 × 1 image: header, screen, a two-colour table, a graphic control
/// extension, the image, the trailer.
const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x21\xf9\x04\x00\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b";

#[test]
fn a_whole_gif_is_published() {
    let site = Site::fixture("check-clean");
    site.write(
        "content/articles/moving/index.md",
        "---\ntitle: Moving\ndate: 2026-06-10\ncurrent_as_at: 2026-06-10\nsummary: A GIF.\n---\n\n![A dot](dot.gif)\n",
    );
    write_bytes(&site, "content/articles/moving/dot.gif", GIF);
    build(&site).success();
    let page = site.read("public/articles/moving/index.html");
    assert!(
        page.contains(r#"<img src="/articles/moving/dot.gif" width="1" height="1" alt="A dot">"#),
        "{page}"
    );
}

/// SVGs that would run code on the site's own address, each as an attacker might write it,
/// with what brief names in its error.
fn active_svgs() -> Vec<(&'static str, String, &'static str)> {
    let svg = |inner: &str| {
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\">\n  <rect width=\"10\" height=\"10\"/>\n  {inner}\n</svg>\n")
    };
    vec![
        ("script.svg", svg("<script>alert(document.cookie)</script>"), "a <script> element"),
        ("case.svg", svg("<ScRiPt>alert(1)</ScRiPt>"), "a <ScRiPt> element"),
        (
            "xhtml.svg",
            svg(r#"<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>"#),
            "a <h:script> element",
        ),
        ("onload.svg", svg(r#"<image href="x.png" onerror="alert(1)"/>"#), "an event attribute onerror="),
        (
            "href.svg",
            svg(r#"<a xlink:href="&#x6A;ava&#x09;script&#58;alert(1)"><text>go</text></a>"#),
            "a script address in xlink:href=",
        ),
        (
            "animate.svg",
            svg(r#"<a><set attributeName="href" to="javascript:alert(1)"/><text>go</text></a>"#),
            "a script address in to=",
        ),
        (
            "foreign.svg",
            svg(r#"<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>"#),
            "a <foreignObject> element",
        ),
        ("iframe.svg", svg(r#"<iframe src="https://example.com/"/>"#), "a <iframe> element"),
        ("embed.svg", svg(r#"<embed src="x.swf"/>"#), "a <embed> element"),
        ("object.svg", svg(r#"<object data="x.html"/>"#), "a <object> element"),
        (
            "entity.svg",
            "<!DOCTYPE svg [<!ENTITY go \"<script>alert(1)</script>\">]>\n<svg xmlns=\"http://www.w3.org/2000/svg\">\n&go;</svg>\n"
                .to_string(),
            "a DOCTYPE entity go with markup or references in it",
        ),
    ]
}

#[test]
fn an_svg_that_runs_code_is_refused_where_a_page_shows_it() {
    for (name, text, what) in active_svgs() {
        let site = Site::fixture("check-clean");
        site.write(
            "content/articles/drawing/index.md",
            &format!("---\ntitle: Drawing\ndate: 2026-06-10\ncurrent_as_at: 2026-06-10\nsummary: A drawing.\n---\n\nText.\n\n![A drawing]({name})\n"),
        );
        site.write(&format!("content/articles/drawing/{name}"), &text);
        for command in ["build", "check"] {
            let run = site.brief(&[command, "--today", TODAY]);
            run.failure();
            let report = format!("{}{}", run.stdout, run.stderr);
            let file = format!("content/articles/drawing/{name}");
            assert!(
                report.contains(&format!(
                    "the image {file} cannot be published: it holds {what}"
                )),
                "{name} ({command}): {report}"
            );
            assert!(
                report.contains("content/articles/drawing/index.md:10"),
                "{name} ({command}): {report}"
            );
            assert!(
                report.contains("an image needs no code: remove the scripts"),
                "{name} ({command}): {report}"
            );
            assert!(!site.path("public").exists(), "{name}: nothing published");
        }
    }
}

#[test]
fn an_svg_under_assets_that_runs_code_is_refused_though_no_page_shows_it() {
    let site = Site::fixture("check-clean");
    site.write(
        "assets/badge.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n  <rect width=\"10\" height=\"10\"/>\n  <rect onclick=\"alert(1)\" width=\"5\" height=\"5\"/>\n</svg>\n",
    );
    // Not SVG at all, but named .svg: a browser would still read it as a document.
    site.write(
        "assets/page.svg",
        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></html>\n",
    );
    for command in ["build", "check"] {
        let run = site.brief(&[command, "--today", TODAY]);
        run.failure();
        let report = format!("{}{}", run.stdout, run.stderr);
        assert!(
            report.contains("the image assets/badge.svg cannot be published: it holds an event attribute onclick=\"…\" on <rect> (line 3 of the SVG)"),
            "{command}: {report}"
        );
        assert!(report.contains("assets/badge.svg:3"), "{command}: {report}");
        assert!(
            report.contains("the image assets/page.svg cannot be published: its root element is <html>, not <svg>"),
            "{command}: {report}"
        );
        assert!(
            report.contains("replace it with a whole SVG file that opens in a browser, or remove it from the site"),
            "{command}: {report}"
        );
        assert!(!site.path("public").exists(), "nothing published");
    }
    // Without them, the site builds (and the harmless SVG of the fixture is published).
    std::fs::remove_file(site.path("assets/badge.svg")).unwrap();
    std::fs::remove_file(site.path("assets/page.svg")).unwrap();
    build(&site).success();
    assert!(site.path("public/assets/diagram.svg").is_file());
}

#[test]
fn a_cache_folder_that_is_a_link_is_refused_and_never_read_or_written() {
    let site = site();
    build(&site).success();
    let page = site.read(PAGE);
    let outside = tempfile::tempdir().unwrap();
    let elsewhere = outside.path().join("cache");
    let before = crate::support::snapshot(&site.path(".brief-cache"));
    std::fs::rename(site.path(".brief-cache"), &elsewhere).unwrap();
    for (link, target, name) in [
        (".brief-cache", elsewhere.clone(), ".brief-cache"),
        (
            ".brief-cache/images",
            elsewhere.join("images"),
            ".brief-cache/images",
        ),
    ] {
        if link.ends_with("images") {
            std::fs::create_dir(site.path(".brief-cache")).unwrap();
        }
        crate::support::symlink(&target, site.path(link)).unwrap();
        for command in ["build", "check"] {
            let run = site.brief(&[command, "--today", TODAY]);
            run.failure();
            let report = format!("{}{}", run.stdout, run.stderr);
            assert!(
                report.contains(&format!("brief's image cache {name} is a symbolic link")),
                "{name} ({command}): {report}"
            );
            assert!(
                report.contains(&format!("remove the link (`rm {name}`")),
                "{name} ({command}): {report}"
            );
        }
        // Nothing from outside was published, and nothing there was touched.
        assert_eq!(site.read(PAGE), page);
        assert_eq!(crate::support::snapshot(&elsewhere), before);
        std::fs::remove_file(site.path(link)).unwrap();
        let _ = std::fs::remove_dir(site.path(".brief-cache"));
    }
    // A file in the folder's place is refused too.
    std::fs::write(site.path(".brief-cache"), "mine").unwrap();
    let run = build(&site);
    run.failure();
    assert!(
        run.stderr
            .contains("brief's image cache .brief-cache is a file, not a folder"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read(".brief-cache"), "mine");
    std::fs::remove_file(site.path(".brief-cache")).unwrap();
    // Once it is gone, brief makes its own folder again.
    build(&site).success();
    assert!(std::fs::symlink_metadata(site.path(".brief-cache/images"))
        .unwrap()
        .is_dir());
}

#[test]
fn a_cache_entry_that_is_cut_short_garbage_or_another_file_is_made_again() {
    let site = site();
    build(&site).success();
    let entry = |pattern: &str| {
        cache_files(&site)
            .into_iter()
            .map(|(p, _)| p)
            .find(|p| p.to_string_lossy().contains(pattern))
            .unwrap_or_else(|| panic!("no cache entry {pattern}"))
    };
    // huge.png (3000 × 1500): its 800 px WebP cut in half, its 1200 px PNG replaced by
    // its 480 px one (a whole image, but not what the name says); photo.jpg's 800 px JPEG
    // garbage.
    let cut = entry("-800x400-v1-q80.webp");
    let bytes = std::fs::read(&cut).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::copy(entry("-480x240-v1-q80.png"), entry("-1200x600-v1-q80.png")).unwrap();
    std::fs::write(
        entry("-800x480-v1-q80.jpg"),
        b"these bytes are no picture".repeat(50),
    )
    .unwrap();
    build(&site).success();
    // Every variant the page names is whole and the size it says.
    let page = site.read(PAGE);
    for alt in ["Cost by team, month by month", "A photograph"] {
        let element = element(&page, alt);
        for (url, width) in srcset(element, "<source")
            .into_iter()
            .chain(srcset(element, "<img"))
        {
            let variant = decoded(&site, &url);
            assert_eq!(variant.width(), width, "{url}");
        }
    }
    // And the cache holds whole entries again.
    for (file, _) in cache_files(&site) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if name == "CACHEDIR.TAG" {
            continue;
        }
        let size = name.split('-').nth(1).unwrap();
        let (w, h) = size.split_once('x').unwrap();
        let image = image::open(&file).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            image.dimensions(),
            (w.parse().unwrap(), h.parse().unwrap()),
            "{name}"
        );
    }
}

#[test]
fn a_missing_image_is_still_the_link_checks_and_alt_text_a_warning() {
    let site = Site::fixture("check-clean");
    site.write(
        "content/articles/gone/index.md",
        "---\ntitle: Gone\ndate: 2026-06-10\ncurrent_as_at: 2026-06-10\nsummary: A missing image.\n---\n\nText.\n\n![](missing.png)\n",
    );
    let run = build(&site);
    run.failure();
    assert!(run.stderr.contains("missing.png"), "{}", run.stderr);
    let run = site.brief(&["check", "--today", TODAY]);
    run.failure();
    let report = format!("{}{}", run.stdout, run.stderr);
    assert!(report.contains("has no alt text"), "{report}");
}
