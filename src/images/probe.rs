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

/// Reads the header of `bytes`. `Err` says what is wrong, in words for the author.
pub fn header(bytes: &[u8]) -> Result<Header, String> {
    if bytes.is_empty() {
        return Err("the file is empty (0 bytes)".into());
    }
    if let Some(svg) = svg_size(bytes) {
        let (width, height) = svg?;
        return Ok(Header {
            format: Format::Svg,
            width,
            height,
            orientation: 1,
        });
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
    if !whole(format, bytes) {
        return Err(format!("the {} file is cut short", format.name()));
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

/// Whether the file ends where its format says it ends (a cut-short download or copy
/// does not): PNG's last chunk is IEND, JPEG ends with the EOI marker (trailing zero
/// bytes, which some cameras add, allowed), WebP's RIFF size matches the file.
fn whole(format: Format, bytes: &[u8]) -> bool {
    match format {
        Format::Png => bytes.ends_with(b"IEND\xAE\x42\x60\x82"),
        Format::Jpeg => {
            let end = bytes.iter().rposition(|&b| b != 0).unwrap_or(0);
            end >= 1 && bytes[end - 1] == 0xFF && bytes[end] == 0xD9
        }
        Format::Webp => bytes
            .get(4..8)
            .map(|n| u32::from_le_bytes([n[0], n[1], n[2], n[3]]) as usize + 8)
            .is_some_and(|size| size <= bytes.len()),
        _ => true,
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

/// For an SVG file: its size from the root element's `width` and `height` (in pixels or
/// unitless), else from its `viewBox`; (0, 0) when it states neither. `None` when the file
/// is not SVG.
fn svg_size(bytes: &[u8]) -> Option<Result<(u32, u32), String>> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    if !head
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<')
    {
        return None;
    }
    let start = head.find("<svg")?;
    let text = &head[..];
    let tag = &text[start..];
    let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
    let length = |name: &str| {
        let value = attribute(tag, name)?;
        let number = value.strip_suffix("px").unwrap_or(value).trim();
        number
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && *n > 0.0 && *n < f64::from(MAX_SIDE))
    };
    let size = match (length("width"), length("height")) {
        (Some(w), Some(h)) => Some((w, h)),
        _ => attribute(tag, "viewBox").and_then(|v| {
            let n: Vec<f64> = v
                .split([' ', ','])
                .filter(|p| !p.is_empty())
                .filter_map(|p| p.parse().ok())
                .collect();
            (n.len() == 4 && n[2] > 0.0 && n[3] > 0.0 && n[2] < f64::from(MAX_SIDE))
                .then(|| (n[2], n[3]))
        }),
    };
    Some(Ok(size.map_or((0, 0), |(w, h)| {
        (w.round().max(1.0) as u32, h.round().max(1.0) as u32)
    })))
}

/// The value of attribute `name` in the text of one tag.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let mut from = 0;
    while let Some(i) = tag[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before = tag[..at].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = tag[from..].trim_start().strip_prefix('=')?.trim_start();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = &rest[1..];
        return value.find(quote).map(|end| &value[..end]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_come_from_width_and_height_or_the_view_box() {
        let h = header(br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="640" height="360px">"#).unwrap();
        assert_eq!((h.format, h.width, h.height), (Format::Svg, 640, 360));
        let h =
            header(br#"<svg viewBox="0 0 800 450" xmlns="http://www.w3.org/2000/svg">"#).unwrap();
        assert_eq!((h.width, h.height), (800, 450));
        let h = header(br#"<svg width="100%" xmlns="http://www.w3.org/2000/svg">"#).unwrap();
        assert_eq!((h.width, h.height), (0, 0));
    }

    #[test]
    fn empty_and_unknown_files_are_refused() {
        assert!(header(b"").unwrap_err().contains("empty"));
        assert!(header(b"hello, not an image")
            .unwrap_err()
            .contains("not an image"));
    }
}
