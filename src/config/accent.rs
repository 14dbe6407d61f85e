//! The accent colours of the bundled theme's two schemes, from `[theme]` in site.toml: each
//! parsed, its hover colour and tint made from it unless given, and every text pairing the
//! theme draws it in checked for WCAG AA contrast against the backgrounds it sits on.

use super::theme::line;
use crate::diagnostic::{Diagnostic, Result};
use std::fmt;
use toml::Spanned;

/// The accent of one colour scheme: links and buttons, their hover colour, and the
/// call-to-action's background.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accent {
    pub color: Colour,
    pub hover: Colour,
    pub tint: Colour,
}

/// An sRGB colour, written `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub [u8; 3]);

/// The ratio WCAG AA asks of body text against its background.
pub const AA: f64 = 4.5;

/// A colour scheme of the bundled theme: the colours in assets/style.css that an accent
/// sits on. Keep these in step with `--bg`, `--surface` and `--button-text` there.
pub(super) struct Scheme {
    name: &'static str,
    key: &'static str,
    background: Colour,
    surface: Colour,
    button_text: Colour,
    /// What the hover colour and the tint are made from when site.toml gives none.
    hover_towards: Colour,
    hover_share: f64,
    tint_share: f64,
}

pub(super) const LIGHT: Scheme = Scheme {
    name: "light",
    key: "accent",
    background: Colour([0xfb, 0xfa, 0xf7]),
    surface: Colour([0xf0, 0xee, 0xe8]),
    button_text: Colour([0xff, 0xff, 0xff]),
    hover_towards: Colour([0, 0, 0]),
    hover_share: 0.75,
    tint_share: 0.08,
};

pub(super) const DARK: Scheme = Scheme {
    name: "dark",
    key: "accent_dark",
    background: Colour([0x12, 0x14, 0x16]),
    surface: Colour([0x1c, 0x1f, 0x23]),
    button_text: Colour([0x0b, 0x16, 0x22]),
    hover_towards: Colour([0xff, 0xff, 0xff]),
    hover_share: 0.7,
    tint_share: 0.12,
};

/// One scheme's accent: the colour, its hover colour and tint (made from it unless given),
/// each text pairing checked against WCAG AA.
pub(super) fn accent(
    text: &str,
    scheme: &Scheme,
    color: Option<Spanned<String>>,
    hover: Option<Spanned<String>>,
    tint: Option<Spanned<String>>,
) -> Result<Option<Accent>> {
    let parse = |key: String, value: Spanned<String>| -> Result<(Colour, Option<usize>)> {
        let at = line(text, &value);
        let value = value.into_inner();
        let colour = Colour::parse(&value).ok_or_else(|| {
            Diagnostic::error(format!("[theme] {key} `{value}` is not a colour"))
                .on_line_opt(at)
                .with_fix("write it in hex as \"#rrggbb\" or \"#rgb\", e.g. \"#0a5291\"")
        })?;
        Ok((colour, at))
    };
    let hover_key = format!("{}_hover", scheme.key);
    let tint_key = format!("{}_tint", scheme.key);
    let Some(color) = color else {
        let lonely = [(&hover_key, &hover), (&tint_key, &tint)]
            .into_iter()
            .find_map(|(key, value)| Some((key, value.as_ref()?)));
        if let Some((key, value)) = lonely {
            return Err(Diagnostic::error(format!(
                "[theme] sets {key}, but not {}, which it goes with",
                scheme.key
            ))
            .on_line_opt(line(text, value))
            .with_fix(format!(
                "add {} = \"#rrggbb\" for the {} scheme",
                scheme.key, scheme.name
            )));
        }
        return Ok(None);
    };
    let (color, color_line) = parse(scheme.key.to_string(), color)?;
    let hover_given = hover.map(|h| parse(hover_key.clone(), h)).transpose()?;
    let tint_given = tint.map(|t| parse(tint_key.clone(), t)).transpose()?;
    // The accent a colour makes, with the hover colour and tint site.toml gives or made.
    let make = |color: Colour| Accent {
        color,
        hover: hover_given.map_or_else(
            || color.mix(scheme.hover_towards, scheme.hover_share),
            |(c, _)| c,
        ),
        tint: tint_given.map_or_else(
            || color.mix(scheme.background, scheme.tint_share),
            |(c, _)| c,
        ),
    };
    let accent = make(color);
    let Some(low) = lowest_contrast(scheme, &accent) else {
        return Ok(Some(accent));
    };
    // The key to change: a tint or hover colour the site chose, else the accent itself.
    let (key, written, at) = match (low.on, low.text, tint_given, hover_given) {
        (On::Tint, _, Some((tint, at)), _) => (tint_key.as_str(), tint, at),
        (_, Text::Hover, _, Some((hover, at))) => (hover_key.as_str(), hover, at),
        _ => (scheme.key, color, color_line),
    };
    let subject = match (low.text, hover_given) {
        (Text::Hover, None) => format!(
            "[theme] {key} `{written}` makes the hover colour {}, which has",
            accent.hover
        ),
        _ => format!("[theme] {key} `{written}` has"),
    };
    let pairing = match low.on {
        On::ButtonText => format!(
            "as {} behind its text ({})",
            match low.text {
                Text::Accent => "a button",
                Text::Hover => "a hovered button",
            },
            scheme.button_text
        ),
        On::Tint if tint_given.is_none() => format!(
            "{} on the {} ({}, made from the accent)",
            low.text.describe(),
            On::Tint.describe(),
            accent.tint
        ),
        on => format!(
            "{} on the {} ({})",
            low.text.describe(),
            on.describe(),
            on.colour(scheme, &accent)
        ),
    };
    let fix = if key == tint_key {
        format!(
            "make {tint_key} closer to the {} background ({}), or the accent stronger",
            scheme.name, scheme.background
        )
    } else {
        let shade = if scheme.name == "light" {
            "darker"
        } else {
            "lighter"
        };
        let found = match low.text {
            Text::Accent => suggestion(scheme, Text::Accent, color, make),
            Text::Hover => suggestion(scheme, Text::Hover, accent.hover, |hover| Accent {
                hover,
                ..accent
            }),
        };
        let key = match low.text {
            Text::Accent => key,
            Text::Hover => hover_key.as_str(),
        };
        match found {
            Some((better, ratio)) => format!(
                "use a {shade} colour for the {} scheme, such as {key} = \"{better}\", which reaches at least {ratio:.2}:1",
                scheme.name
            ),
            None => format!("use a {shade} colour for the {} scheme", scheme.name),
        }
    };
    Err(Diagnostic::error(format!(
        "{subject} a contrast ratio of {:.2}:1 {pairing} in the {} scheme; WCAG AA needs at least {AA}:1",
        floor2(low.ratio),
        scheme.name
    ))
    .on_line_opt(at)
    .with_fix(fix))
}

/// A ratio shown to two places never rounds up to a passing one.
fn floor2(ratio: f64) -> f64 {
    (ratio * 100.0).floor() / 100.0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Text {
    Accent,
    Hover,
}

impl Text {
    fn describe(self) -> &'static str {
        match self {
            Text::Accent => "as text",
            Text::Hover => "as hovered text",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum On {
    Background,
    Surface,
    Tint,
    ButtonText,
}

impl On {
    fn describe(self) -> &'static str {
        match self {
            On::Background => "page background",
            On::Surface => "background of code and the table of contents",
            On::Tint => "call-to-action background",
            On::ButtonText => "button text",
        }
    }

    fn colour(self, scheme: &Scheme, accent: &Accent) -> Colour {
        match self {
            On::Background => scheme.background,
            On::Surface => scheme.surface,
            On::Tint => accent.tint,
            On::ButtonText => scheme.button_text,
        }
    }
}

#[derive(Debug)]
struct Low {
    text: Text,
    on: On,
    ratio: f64,
}

/// Every pairing the theme draws an accent in, with its contrast: the accent and its hover
/// colour are link text on the background, the surface and the tint, and a button's
/// background under its text.
fn pairings(scheme: &Scheme, accent: &Accent) -> Vec<Low> {
    let mut all = Vec::with_capacity(8);
    for (text, colour) in [(Text::Accent, accent.color), (Text::Hover, accent.hover)] {
        for on in [On::Background, On::Surface, On::Tint, On::ButtonText] {
            let ratio = contrast(colour, on.colour(scheme, accent));
            all.push(Low { text, on, ratio });
        }
    }
    all
}

/// The pairing with the lowest contrast, if it is below AA.
fn lowest_contrast(scheme: &Scheme, accent: &Accent) -> Option<Low> {
    pairings(scheme, accent)
        .into_iter()
        .min_by(|a, b| a.ratio.total_cmp(&b.ratio))
        .filter(|l| l.ratio < AA)
}

/// A shade of the failing colour `start` with which every pairing passes: the first, in
/// steps of 1%, towards black (light scheme) or white (dark scheme). `accent_of` makes the
/// accent a shade gives (a hover colour and tint made from the accent follow it). With the
/// shade, the lowest ratio it reaches.
fn suggestion(
    scheme: &Scheme,
    text: Text,
    start: Colour,
    accent_of: impl Fn(Colour) -> Accent,
) -> Option<(Colour, f64)> {
    (1..=100).find_map(|step| {
        let shade = start.mix(scheme.hover_towards, 1.0 - f64::from(step) / 100.0);
        let candidate = accent_of(shade);
        if lowest_contrast(scheme, &candidate).is_some() {
            return None;
        }
        let lowest = pairings(scheme, &candidate)
            .into_iter()
            .filter(|p| p.text == text)
            .map(|p| p.ratio)
            .fold(f64::INFINITY, f64::min);
        Some((shade, floor2(lowest)))
    })
}

impl Colour {
    /// `#rgb` or `#rrggbb`, either case.
    pub fn parse(text: &str) -> Option<Colour> {
        let hex = text.strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..i + 1], 16).ok();
        match hex.len() {
            3 => Some(Colour([digit(0)? * 17, digit(1)? * 17, digit(2)? * 17])),
            6 => {
                let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
                Some(Colour([byte(0)?, byte(2)?, byte(4)?]))
            }
            _ => None,
        }
    }

    /// WCAG 2's relative luminance: 0 for black, 1 for white.
    pub fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0;
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// `share` of this colour and the rest of `other`, channel by channel, as CSS's
    /// `color-mix(in srgb, …)` does.
    pub fn mix(self, other: Colour, share: f64) -> Colour {
        let mut out = [0; 3];
        for (i, c) in out.iter_mut().enumerate() {
            let v = f64::from(self.0[i]) * share + f64::from(other.0[i]) * (1.0 - share);
            *c = v.round().clamp(0.0, 255.0) as u8;
        }
        Colour(out)
    }
}

/// WCAG 2's contrast ratio, from 1 (the same) to 21 (black on white).
pub fn contrast(a: Colour, b: Colour) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str) -> Colour {
        Colour::parse(text).unwrap()
    }

    #[test]
    fn contrast_matches_wcag_reference_values() {
        // The extremes, and pairs whose ratios WebAIM's checker gives.
        assert!((contrast(c("#000"), c("#fff")) - 21.0).abs() < 1e-9);
        assert!((contrast(c("#fff"), c("#fff")) - 1.0).abs() < 1e-9);
        assert_eq!(floor2(contrast(c("#777777"), c("#ffffff"))), 4.47);
        assert_eq!(floor2(contrast(c("#767676"), c("#ffffff"))), 4.54);
        assert_eq!(floor2(contrast(c("#0000ff"), c("#ffffff"))), 8.59);
        assert_eq!(floor2(contrast(c("#ff0000"), c("#ffffff"))), 3.99);
        // Order does not matter.
        assert_eq!(
            contrast(c("#0a5291"), c("#fbfaf7")),
            contrast(c("#fbfaf7"), c("#0a5291"))
        );
    }

    #[test]
    fn colours_parse_in_both_lengths_and_print_as_six_digits() {
        assert_eq!(c("#0B5fFF").to_string(), "#0b5fff");
        assert_eq!(c("#abc").to_string(), "#aabbcc");
        for bad in ["0a5291", "#0a529", "#0a52911", "#ggg", "blue", "#", "#+12"] {
            assert_eq!(Colour::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn mixing_interpolates_each_channel() {
        assert_eq!(c("#ffffff").mix(c("#000000"), 0.5).to_string(), "#808080");
        assert_eq!(c("#0a5291").mix(c("#000000"), 1.0), c("#0a5291"));
        assert_eq!(c("#0a5291").mix(c("#000000"), 0.0), c("#000000"));
    }

    #[test]
    fn the_lowest_pairing_is_the_one_reported() {
        let pale = Accent {
            color: c("#7aa7d9"),
            hover: c("#063a68"),
            tint: c("#fbfaf7"),
        };
        let low = lowest_contrast(&LIGHT, &pale).unwrap();
        assert_eq!(low.text, Text::Accent);
        // The darkest background a light-scheme link sits on.
        assert_eq!(low.on, On::Surface);
        assert!(low.ratio < AA);
        let (better, ratio) = suggestion(&LIGHT, Text::Accent, pale.color, |color| Accent {
            color,
            ..pale
        })
        .unwrap();
        assert!(ratio >= AA);
        assert!(lowest_contrast(
            &LIGHT,
            &Accent {
                color: better,
                ..pale
            }
        )
        .is_none());
    }

    #[test]
    fn the_theme_defaults_in_style_css_pass_and_derive_as_brief_derives() {
        let css = include_str!("../../assets/style.css");
        let value = |name: &str, from: usize| {
            let at = from + css[from..].find(&format!("{name}: #")).unwrap() + name.len() + 2;
            c(&css[at..at + 7])
        };
        let dark_at = css.find("prefers-color-scheme: dark").unwrap();
        for (scheme, from) in [(&LIGHT, 0), (&DARK, dark_at)] {
            assert_eq!(value("--bg", from), scheme.background, "{}", scheme.name);
            assert_eq!(value("--surface", from), scheme.surface, "{}", scheme.name);
            assert_eq!(value("--button-text", from), scheme.button_text);
            let color = value("--accent", from);
            let accent = Accent {
                color,
                hover: value("--accent-hover", from),
                tint: value("--accent-tint", from),
            };
            assert_eq!(
                accent.hover,
                color.mix(scheme.hover_towards, scheme.hover_share)
            );
            assert_eq!(accent.tint, color.mix(scheme.background, scheme.tint_share));
            assert!(
                lowest_contrast(scheme, &accent).is_none(),
                "{}",
                scheme.name
            );
        }
    }
}
