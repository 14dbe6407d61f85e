//! What an image file is, read from its header without decoding it: its format, its size
//! as a reader sees it (after EXIF orientation), and whether it is whole.

use super::Format;

/// Past this many pixels (or this many on a side) an image is refused before it is decoded:
/// a small file whose header claims a huge picture would cost gigabytes to decode.
pub const MAX_PIXELS: u64 = 50_000_000;
pub const MAX_SIDE: u32 = 20_000;

/// What the header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Header {
    pub format: Format,
    /// As stored.
    pub width: u32,
    pub height: u32,
    /// EXIF orientation (1–8; 1 is upright); 1 for everything but JPEG.
    pub orientation: u8,
}

impl Header {
    /// The size a reader sees: orientations 5–8 turn the picture a quarter.
    pub fn shown(&self) -> (u32, u32) {
        if self.orientation >= 5 {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }
}

/// Why a file cannot be published, in words for the author.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// Not an image brief publishes: empty, damaged, cut short, too large, another format.
    Broken(String),
    /// An SVG holding something that runs code or shows a page (`what`), at `line` of the
    /// file.
    Active { what: String, line: usize },
}

/// Reads the header of `bytes` (the whole of an SVG, which is checked through:
/// [`super::svg`]).
pub fn header(bytes: &[u8]) -> Result<Header, Refusal> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if text.trim_ascii_start().starts_with(b"<") {
        let (width, height) = super::svg::size(bytes)?;
        return Ok(Header {
            format: Format::Svg,
            width,
            height,
            orientation: 1,
        });
    }
    header_or_why(bytes).map_err(Refusal::Broken)
}

fn header_or_why(bytes: &[u8]) -> Result<Header, String> {
    if bytes.is_empty() {
        return Err("the file is empty (0 bytes)".into());
    }
    let format = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => Format::Png,
        Ok(imagesize::ImageType::Jpeg) => Format::Jpeg,
        Ok(imagesize::ImageType::Webp) => Format::Webp,
        Ok(imagesize::ImageType::Gif) => Format::Gif,
        Ok(imagesize::ImageType::Heif(imagesize::Compression::Av1)) => Format::Avif,
        Ok(other) => return Err(format!("{other:?} is not a format brief publishes")),
        Err(_) => {
            return Err(
                "it is not an image brief can read (PNG, JPEG, WebP, GIF, AVIF or SVG)".into(),
            )
        }
    };
    let size = imagesize::blob_size(bytes)
        .map_err(|_| format!("its {} header is damaged", format.name()))?;
    let (width, height) = (
        u32::try_from(size.width).unwrap_or(u32::MAX),
        u32::try_from(size.height).unwrap_or(u32::MAX),
    );
    if width == 0 || height == 0 {
        return Err(format!("its header says it is {width} × {height} pixels"));
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!(
            "its header claims {width} × {height} pixels, more than brief decodes ({} megapixels, {MAX_SIDE} on a side)",
            MAX_PIXELS / 1_000_000
        ));
    }
    if !ends_whole(format, bytes, bytes, bytes.len() as u64) {
        return Err(format!("the {} file is cut short", format.name()));
    }
    if too_small(format, bytes, bytes.len() as u64, width, height) {
        return Err(format!(
            "the {} file is {} bytes, far too few for the {width} × {height} pixels its header claims: it is damaged or cut short",
            format.name(),
            bytes.len()
        ));
    }
    let orientation = match format {
        Format::Jpeg => jpeg_orientation(bytes),
        _ => 1,
    };
    Ok(Header {
        format,
        width,
        height,
        orientation,
    })
}

/// Whether a cached variant's file, of which brief has read `head` (its first bytes) and
/// `tail` (its last), is what its name promises: the format, the size, whole to its end.
pub fn variant_fits(head: &[u8], tail: &[u8], len: u64, format: Format, size: (u32, u32)) -> bool {
    let found = match imagesize::image_type(head) {
        Ok(imagesize::ImageType::Png) => Format::Png,
        Ok(imagesize::ImageType::Jpeg) => Format::Jpeg,
        Ok(imagesize::ImageType::Webp) => Format::Webp,
        _ => return false,
    };
    let stated = imagesize::blob_size(head)
        .ok()
        .and_then(|s| Some((u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?)));
    found == format
        && stated == Some(size)
        && ends_whole(format, head, tail, len)
        && !too_small(format, head, len, size.0, size.1)
}

/// Whether a file of `len` bytes, starting with `head` and ending with `tail` (the same
/// slice when the whole file is read), ends where its format says it ends (a cut-short
/// download or copy does not): PNG's last chunk is IEND, JPEG ends with the EOI marker
/// (trailing zero bytes, which some cameras add, allowed), WebP's RIFF size fits the file,
/// and GIF's blocks run whole to its trailer (read only when the whole file is at hand).
fn ends_whole(format: Format, head: &[u8], tail: &[u8], len: u64) -> bool {
    match format {
        Format::Png => tail.ends_with(b"IEND\xAE\x42\x60\x82"),
        Format::Jpeg => {
            let end = tail.iter().rposition(|&b| b != 0).unwrap_or(0);
            end >= 1 && tail[end - 1] == 0xFF && tail[end] == 0xD9
        }
        Format::Webp => head
            .get(4..8)
            .map(|n| u64::from(u32::from_le_bytes([n[0], n[1], n[2], n[3]])) + 8)
            .is_some_and(|size| size <= len),
        Format::Gif => head.len() as u64 == len && gif_whole(head),
        Format::Avif | Format::Svg => true,
    }
}

/// Whether a GIF's blocks (extensions and images, each a run of sub-blocks) follow one
/// another whole up to the trailer byte.
fn gif_whole(bytes: &[u8]) -> bool {
    // Skips a run of sub-blocks (a length byte, then that many bytes; a zero length ends).
    let sub_blocks = |mut at: usize| loop {
        let n = usize::from(*bytes.get(at)?);
        at += 1 + n;
        if n == 0 {
            return Some(at);
        }
    };
    let colour_table = |flags: u8| {
        if flags & 0x80 != 0 {
            3 << ((flags & 7) + 1)
        } else {
            0
        }
    };
    let Some(&flags) = bytes.get(10) else {
        return false;
    };
    let mut at = 13 + colour_table(flags);
    loop {
        let next = match bytes.get(at) {
            Some(0x3B) => return true,
            // An extension: its label, then its sub-blocks.
            Some(0x21) => sub_blocks(at + 2),
            // An image: its descriptor, its own colour table, the LZW code size, its data.
            Some(0x2C) => bytes
                .get(at + 9)
                .and_then(|&flags| sub_blocks(at + 10 + colour_table(flags) + 1)),
            _ => None,
        };
        match next {
            Some(n) => at = n,
            None => return false,
        }
    }
}

/// Whether a file of `len` bytes is far too small for the pixels its header claims, so
/// that decoding it would only fill memory with filler: a JPEG spends at least a bit on
/// each 8 × 8 block of its full-size component (refused below half that), a PNG's pixel
/// rows shrink at most about 1032 times under deflate (refused below half that). WebP's
/// coders have no such floor; GIF and AVIF are not decoded.
fn too_small(format: Format, head: &[u8], len: u64, width: u32, height: u32) -> bool {
    let pixels = u64::from(width) * u64::from(height);
    match format {
        Format::Jpeg => len * 1024 < pixels,
        Format::Png => {
            // IHDR: bit depth at byte 24, colour type at 25.
            let (Some(&depth), Some(&colour)) = (head.get(24), head.get(25)) else {
                return false;
            };
            let channels = match colour {
                2 => 3,
                4 => 2,
                6 => 4,
                _ => 1,
            };
            let row = (u64::from(width) * u64::from(depth) * channels).div_ceil(8);
            len * 2064 < row * u64::from(height)
        }
        _ => false,
    }
}

/// The EXIF orientation of a JPEG (1 when it has none or it cannot be read): found in the
/// APP1 `Exif` segment's first image directory, tag 0x0112.
pub fn jpeg_orientation(bytes: &[u8]) -> u8 {
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        // Start of scan: the headers are over.
        if marker == 0xDA || len < 2 {
            break;
        }
        let segment = bytes.get(at + 4..at + 2 + len).unwrap_or_default();
        if marker == 0xE1 {
            if let Some(tiff) = segment.strip_prefix(b"Exif\0\0") {
                return tiff_orientation(tiff).unwrap_or(1);
            }
        }
        at += 2 + len;
    }
    1
}

fn tiff_orientation(tiff: &[u8]) -> Option<u8> {
    let big = match tiff.get(..4)? {
        b"MM\0*" => true,
        b"II*\0" => false,
        _ => return None,
    };
    let u16_at = |i: usize| {
        let b = tiff.get(i..i + 2)?;
        Some(if big {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        })
    };
    let u32_at = |i: usize| {
        let b = tiff.get(i..i + 4)?;
        Some(if big {
            u32::from_be_bytes([b[0], b[1], b[2], b[3]])
        } else {
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        })
    };
    let ifd = u32_at(4)? as usize;
    let count = usize::from(u16_at(ifd)?);
    (0..count)
        .map(|n| ifd + 2 + n * 12)
        .find(|&entry| u16_at(entry) == Some(0x0112))
        .and_then(|entry| u16_at(entry + 8))
        .and_then(|v| u8::try_from(v).ok())
        .filter(|v| (1..=8).contains(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(bytes: &[u8]) -> String {
        match header(bytes) {
            Err(Refusal::Broken(why)) => why,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn svg_sizes_come_from_width_and_height_or_the_view_box() {
        let h = header(br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="640" height="360px"/>"#).unwrap();
        assert_eq!((h.format, h.width, h.height), (Format::Svg, 640, 360));
        let h = header(br#"<svg viewBox="0 0 800 450" xmlns="http://www.w3.org/2000/svg"></svg>"#)
            .unwrap();
        assert_eq!((h.width, h.height), (800, 450));
        let h = header(br#"<svg width="100%" xmlns="http://www.w3.org/2000/svg"/>"#).unwrap();
        assert_eq!((h.width, h.height), (0, 0));
    }

    #[test]
    fn empty_and_unknown_files_are_refused() {
        assert!(why(b"").contains("empty"));
        assert!(why(b"hello, not an image").contains("not an image"));
    }

    /// A GIF of one 1 × 1 image: header, screen, a two-colour table, a graphic control
    /// extension, the image and the trailer.
    const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x21\xf9\x04\x00\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b";

    #[test]
    fn a_gif_is_whole_when_its_blocks_reach_the_trailer() {
        assert_eq!(header(GIF).unwrap().format, Format::Gif);
        for cut in 13..GIF.len() {
            assert!(
                why(&GIF[..cut]).contains("cut short") || why(&GIF[..cut]).contains("header"),
                "{cut}"
            );
        }
        let mut trailing = GIF.to_vec();
        trailing.extend_from_slice(b"\0\0");
        assert!(header(&trailing).is_ok());
    }

    #[test]
    fn a_file_far_too_small_for_its_pixels_is_refused_before_decoding() {
        // A 16 × 16 grey JPEG whose frame header is made to claim 7000 × 7000.
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
            .encode(&[128u8; 256], 16, 16, image::ExtendedColorType::L8)
            .unwrap();
        assert!(header(&jpeg).is_ok());
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        jpeg[sof + 5..sof + 9].copy_from_slice(&[0x1B, 0x58, 0x1B, 0x58]);
        let why = why(&jpeg);
        assert!(
            why.contains("far too few for the 7000 × 7000 pixels"),
            "{why}"
        );
        let mut ihdr = [0u8; 26];
        ihdr[24] = 1;
        assert!(
            !too_small(Format::Png, &ihdr, 10_000, 7000, 7000),
            "a 1-bit PNG may be that small"
        );
        ihdr[24] = 8;
        ihdr[25] = 2;
        assert!(too_small(Format::Png, &ihdr, 10_000, 7000, 7000));
    }
}
