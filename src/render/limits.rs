//! What keeps templates from looping or overflowing the stack. Tera 2 guards most of it
//! itself: its parser refuses nesting past 40 levels and over-long expressions, `{% if %}`
//! and `{% for %}` run without recursion, it refuses extends and include loops, and it stops
//! recursive components after 20 levels. What it does not bound is the length of a chain of
//! distinct templates: it follows `extends`, `include` and component calls by recursion, both
//! in its loop check when loading and when rendering. So brief reads, from each template's
//! text, what it extends and includes and which components it defines and calls, and refuses
//! loops (naming the file and line, before Tera's recursive check sees them) and chains
//! deeper than [`MAX_DEPTH`].
//!
//! The reading is a superset of Tera's: anything it cannot tell apart from a reference
//! counts as one, so the limits hold for every template Tera accepts.

use super::DIR;
use crate::diagnostic::{line_of, Diagnostic, Result};
use std::collections::{BTreeMap, BTreeSet};

/// Levels one render may go down: each template or component it passes through, one inside
/// the other, and each block nested in them (Tera recurses once for each, with 8–16 KB of
/// stack a level when optimised; a render thread has 2 MiB). `{% if %}` and `{% for %}` cost
/// nothing. The bundled theme needs 4 (`article.html` and `base.html`, one level of blocks
/// in each).
pub const MAX_DEPTH: usize = 64;

/// What renders what: a template, or a component (Tera's component names are global).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Template(String),
    Component(String),
}

/// One step from a unit to another, as the author wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Extends,
    Includes,
    Calls,
}

impl Step {
    fn verb(self) -> &'static str {
        match self {
            Step::Extends => "extends",
            Step::Includes => "includes",
            Step::Calls => "calls",
        }
    }
}

/// A reference found in a template's text.
struct Reference {
    /// The component whose body holds it, or `None` for the template itself.
    inside: Option<String>,
    step: Step,
    target: String,
    offset: usize,
}

struct Read {
    references: Vec<Reference>,
    /// How deep blocks nest, per component (`None`: the template outside them).
    blocks: BTreeMap<Option<String>, usize>,
    /// Components defined in this template, with where.
    components: Vec<(String, usize)>,
}

/// A step, where it is written (template and byte offset).
type Edge<'a> = (Step, Unit, &'a str, usize);

/// Each unit's levels (itself and its nested blocks) and where it leads.
struct Graph<'a> {
    units: BTreeMap<Unit, (usize, Vec<Edge<'a>>)>,
    /// Where each unit is written.
    files: BTreeMap<Unit, (&'a str, usize)>,
}

/// Refuses loops of templates and components, and chains of them deeper than [`MAX_DEPTH`].
pub fn check(sources: &BTreeMap<String, String>) -> Result<()> {
    let graph = Graph::new(sources);
    if let Some(cycle) = graph.cycle() {
        return Err(loop_error(&cycle, sources));
    }
    if let Some((depth, chain)) = graph.deepest().filter(|(d, _)| *d > MAX_DEPTH) {
        let (file, offset) = match chain.get(1) {
            Some(next) => graph.place(&chain[0], next),
            None => graph.files.get(&chain[0]).copied().unwrap_or(("", 0)),
        };
        let mut names: Vec<String> = chain.iter().take(6).map(describe).collect();
        if chain.len() > 6 {
            names.push(format!("… {} more", chain.len() - 6));
        }
        return Err(Diagnostic::error(format!(
            "rendering {} goes {depth} levels deep ({}), more than the {MAX_DEPTH} brief allows",
            describe(&chain[0]),
            names.join(" → "),
        ))
        .in_file(format!("{DIR}/{file}"))
        .on_line_opt(sources.get(file).map(|t| line_of(t, offset)))
        .with_fix(
            "nest fewer blocks and shorten the chain of extends, includes and component calls; deeper renders could overflow the stack",
        ));
    }
    Ok(())
}

fn describe(unit: &Unit) -> String {
    match unit {
        Unit::Template(name) => format!("{DIR}/{name}"),
        Unit::Component(name) => format!("component `{name}`"),
    }
}

fn loop_error(
    cycle: &[(Unit, Step, &str, usize)],
    sources: &BTreeMap<String, String>,
) -> Diagnostic {
    let (first, first_step, file, offset) = &cycle[0];
    let mut message = format!("{} {}", describe(first), first_step.verb());
    if cycle.len() == 1 {
        message.push_str(" itself");
    } else {
        for (unit, step, ..) in &cycle[1..] {
            message.push_str(&format!(" {}, which {}", describe(unit), step.verb()));
        }
        message.push_str(&format!(" {}", describe(first)));
    }
    let recursive = cycle.iter().any(|(_, step, ..)| *step == Step::Calls);
    let (what, hint) = if recursive {
        (
            "a recursive component",
            "brief does not run recursive components: write it with {% for %} loops instead",
        )
    } else {
        (
            "a loop of templates",
            "break the loop: a template cannot extend or include itself, directly or through others",
        )
    };
    Diagnostic::error(format!("{what}: {message}"))
        .in_file(format!("{DIR}/{file}"))
        .on_line_opt(sources.get(*file).map(|t| line_of(t, *offset)))
        .with_fix(hint)
}

impl<'a> Graph<'a> {
    fn new(sources: &'a BTreeMap<String, String>) -> Graph<'a> {
        let read: Vec<(&str, Read)> = sources
            .iter()
            .map(|(name, text)| (name.as_str(), read(text)))
            .collect();
        let mut files = BTreeMap::new();
        for (file, r) in &read {
            files.insert(Unit::Template(file.to_string()), (*file, 0));
            for (component, offset) in &r.components {
                files.insert(Unit::Component(component.clone()), (*file, *offset));
            }
        }
        let mut units: BTreeMap<Unit, (usize, Vec<Edge<'a>>)> = BTreeMap::new();
        for (file, r) in &read {
            let unit = |inside: &Option<String>| match inside {
                Some(component) => Unit::Component(component.clone()),
                None => Unit::Template(file.to_string()),
            };
            for (inside, depth) in &r.blocks {
                units.entry(unit(inside)).or_default().0 = *depth;
            }
            for reference in &r.references {
                let to = match reference.step {
                    Step::Calls => Unit::Component(reference.target.clone()),
                    Step::Extends | Step::Includes => Unit::Template(reference.target.clone()),
                };
                if !files.contains_key(&to) {
                    continue;
                }
                units.entry(unit(&reference.inside)).or_default().1.push((
                    reference.step,
                    to,
                    file,
                    reference.offset,
                ));
            }
        }
        for unit in files.keys() {
            units.entry(unit.clone()).or_default();
        }
        Graph { units, files }
    }

    /// Where `from` takes its step to `to`.
    fn place(&self, from: &Unit, to: &Unit) -> (&'a str, usize) {
        self.units[from]
            .1
            .iter()
            .find(|(_, t, ..)| t == to)
            .map_or(("", 0), |(_, _, file, offset)| (*file, *offset))
    }

    /// A loop, as each unit with the step it takes to the next (and where it is written), the
    /// last leading back to the first. Depth-first without recursion: a chain can be as long
    /// as there are units.
    fn cycle(&self) -> Option<Vec<(Unit, Step, &'a str, usize)>> {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            Open,
            Done,
        }
        let mut state: BTreeMap<&Unit, State> = BTreeMap::new();
        for start in self.units.keys() {
            if state.contains_key(start) {
                continue;
            }
            // (unit, index of the next step to follow)
            let mut path: Vec<(&Unit, usize)> = vec![(start, 0)];
            state.insert(start, State::Open);
            while let Some((unit, next)) = path.last_mut() {
                let Some((_, to, ..)) = self.units[*unit].1.get(*next) else {
                    state.insert(unit, State::Done);
                    path.pop();
                    continue;
                };
                *next += 1;
                let Some((to, _)) = self.units.get_key_value(to) else {
                    continue;
                };
                match state.get(to) {
                    Some(State::Done) => {}
                    Some(State::Open) => {
                        let from = path.iter().position(|(u, _)| *u == to).unwrap_or(0);
                        return Some(
                            path[from..]
                                .iter()
                                .map(|(u, n)| {
                                    let (step, _, file, offset) = &self.units[*u].1[n - 1];
                                    ((*u).clone(), *step, *file, *offset)
                                })
                                .collect(),
                        );
                    }
                    None => {
                        state.insert(to, State::Open);
                        path.push((to, 0));
                    }
                }
            }
        }
        None
    }

    /// The deepest render of an acyclic graph: the chain with the most levels, and them.
    fn deepest(&self) -> Option<(usize, Vec<Unit>)> {
        // Units in an order where each comes after every unit it leads to.
        let mut order: Vec<&Unit> = Vec::with_capacity(self.units.len());
        let mut seen: BTreeSet<&Unit> = BTreeSet::new();
        for start in self.units.keys() {
            if !seen.insert(start) {
                continue;
            }
            let mut path: Vec<(&Unit, usize)> = vec![(start, 0)];
            while let Some((unit, next)) = path.last_mut() {
                match self.units[*unit].1.get(*next) {
                    Some((_, to, ..)) => {
                        *next += 1;
                        if let Some((to, _)) = self.units.get_key_value(to) {
                            if seen.insert(to) {
                                path.push((to, 0));
                            }
                        }
                    }
                    None => {
                        order.push(unit);
                        path.pop();
                    }
                }
            }
        }
        // Per unit: the levels of the deepest render from it, and its next unit.
        let mut best: BTreeMap<&Unit, (usize, Option<&Unit>)> = BTreeMap::new();
        for unit in order {
            let (blocks, steps) = &self.units[unit];
            let below = steps
                .iter()
                .filter_map(|(_, to, ..)| best.get_key_value(to))
                .max_by_key(|(_, (n, _))| *n)
                .map(|(to, (n, _))| (*n, Some(*to)));
            let (n, next) = below.unwrap_or((0, None));
            best.insert(unit, (1 + blocks + n, next));
        }
        let (start, (depth, _)) = best.iter().max_by_key(|(_, (n, _))| *n)?;
        let mut chain = vec![(*start).clone()];
        let mut at = *start;
        while let Some((_, Some(next))) = best.get(at) {
            chain.push((*next).clone());
            at = next;
        }
        Some((*depth, chain))
    }
}

/// The extends, includes, component definitions and component calls in a template's text,
/// read as Tera's lexer reads tags: `{{ … }}`, `{% … %}` and `{# … #}`, strings with
/// backslash escapes, `{% raw %}` taken as text.
fn read(text: &str) -> Read {
    let bytes = text.as_bytes();
    let mut read = Read {
        references: Vec::new(),
        blocks: BTreeMap::new(),
        components: Vec::new(),
    };
    let mut inside: Option<String> = None;
    let mut blocks = 0usize;
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'{', &bytes[i..]) {
        let start = i + found;
        let close: &[u8] = match bytes.get(start + 1) {
            Some(b'{') => b"}}",
            Some(b'%') => b"%}",
            Some(b'#') => b"#}",
            Some(_) => {
                i = start + 1;
                continue;
            }
            None => break,
        };
        let body_start = start + 2;
        if close == b"#}" {
            i = memchr::memmem::find(&bytes[body_start..], close)
                .map_or(bytes.len(), |n| body_start + n + 2);
            continue;
        }
        // The tag ends at its first closing delimiter outside a string; `<` outside strings
        // may start a component call.
        let mut quote = None;
        let mut escaped = false;
        let mut body_end = bytes.len();
        let mut calls = Vec::new();
        let mut j = body_start;
        while j < bytes.len() {
            let c = bytes[j];
            match quote {
                Some(_) if escaped => escaped = false,
                Some(_) if c == b'\\' => escaped = true,
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if matches!(c, b'"' | b'\'' | b'`') => quote = Some(c),
                None if bytes[j..].starts_with(close) => {
                    body_end = j;
                    break;
                }
                None if c == b'<' => {
                    if let Some(name) = dotted_name(&text[j + 1..]) {
                        calls.push((name, j));
                    }
                }
                None => {}
            }
            j += 1;
        }
        let body = &text[body_start..body_end];
        i = (body_end + 2).min(bytes.len());
        let mut words = body.trim_start_matches('-').trim_start();
        let word = take_name(&mut words);
        if close == b"%}" {
            match word {
                "raw" => {
                    // Nothing inside {% raw %} is read, up to the {% endraw %} tag.
                    let rest = &text[i..];
                    i += rest
                        .match_indices("endraw")
                        .find(|(k, _)| {
                            rest[..*k]
                                .trim_end_matches([' ', '\t', '\r', '\n', '-'])
                                .ends_with("{%")
                        })
                        .map_or(rest.len(), |(k, _)| k);
                    continue;
                }
                "extends" | "include" => {
                    if let Some(target) = string_at(words.trim_start()) {
                        read.references.push(Reference {
                            inside: inside.clone(),
                            step: if word == "extends" {
                                Step::Extends
                            } else {
                                Step::Includes
                            },
                            target,
                            offset: start,
                        });
                    }
                }
                "component" => {
                    if let Some(name) = dotted_name(words) {
                        read.components.push((name.clone(), start));
                        inside = Some(name);
                    }
                }
                "endcomponent" => inside = None,
                "block" => {
                    blocks += 1;
                    let deepest = read.blocks.entry(inside.clone()).or_default();
                    *deepest = (*deepest).max(blocks);
                }
                "endblock" => blocks = blocks.saturating_sub(1),
                _ => {}
            }
        }
        for (target, offset) in calls {
            read.references.push(Reference {
                inside: inside.clone(),
                step: Step::Calls,
                target,
                offset,
            });
        }
    }
    read
}

/// The identifier at the start of `text` (after any whitespace), moving `text` past it.
fn take_name<'t>(text: &mut &'t str) -> &'t str {
    let rest = text.trim_start();
    let end = rest
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(rest.len());
    *text = &rest[end..];
    &rest[..end]
}

/// A component name such as `Card` or `ui.Card` at the start of `text`, spaces allowed
/// around the dots as Tera's lexer allows them.
fn dotted_name(mut text: &str) -> Option<String> {
    let first = take_name(&mut text);
    if !first.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    let mut name = first.to_string();
    while let Some(rest) = text.trim_start().strip_prefix('.') {
        text = rest;
        let part = take_name(&mut text);
        if part.is_empty() {
            break;
        }
        name.push('.');
        name.push_str(part);
    }
    Some(name)
}

/// The contents of the string literal at the start of `text`.
fn string_at(text: &str) -> Option<String> {
    let quote = text
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let mut out = String::new();
    let mut chars = text[1..].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            c if c == quote => return Some(out),
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(sources: &[(&str, &str)]) -> Result<()> {
        let sources = sources
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        check(&sources)
    }

    #[test]
    fn extends_loops_name_the_chain() {
        let e = checked(&[
            ("a.html", "{% extends \"b.html\" %}"),
            ("b.html", "\n{% extends \"a.html\" %}\n"),
            ("c.html", "{% extends \"a.html\" %}"),
        ])
        .unwrap_err();
        assert_eq!(
            e.message,
            "a loop of templates: templates/a.html extends templates/b.html, which extends templates/a.html"
        );
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn include_loops_are_found_through_components() {
        let e = checked(&[("a.html", "x\n{%- include 'a.html' -%}")]).unwrap_err();
        assert_eq!(
            e.message,
            "a loop of templates: templates/a.html includes itself"
        );
        assert_eq!(e.line, Some(2));
        let e = checked(&[
            (
                "a.html",
                "{% component Card(x) %}{% include \"b.html\" %}{% endcomponent Card %}",
            ),
            ("b.html", "{{ <Card x=1/> }}"),
        ])
        .unwrap_err();
        assert!(e.message.starts_with("a recursive component"), "{e}");
    }

    #[test]
    fn recursive_components_are_refused_but_calls_between_components_are_fine() {
        let e = checked(&[(
            "c.html",
            "{% component Countdown(n) %}\n{{ n }}{% if n > 0 %}{{ <Countdown n={n - 1}/> }}{% endif %}{% endcomponent Countdown %}",
        )])
        .unwrap_err();
        assert_eq!(
            e.message,
            "a recursive component: component `Countdown` calls itself"
        );
        assert_eq!(e.line, Some(2));
        checked(&[(
            "ui.html",
            "{% component Button(label) %}<button>{{ label }}</button>{% endcomponent Button %}\
             {% component Card(title) %}{{ <Button label={title}/> }}{% if a < b %}{% endif %}{% endcomponent Card %}",
        )])
        .unwrap();
    }

    #[test]
    fn strings_comments_and_raw_blocks_are_not_references() {
        checked(&[(
            "a.html",
            "{{ \"{% include 'a.html' %}\" }}{# {% include \"a.html\" %} #}\
             {% raw %}{% include \"a.html\" %}{% endraw %}{{ 'it\\'s }}' }}",
        )])
        .unwrap();
        // An escaped quote does not end a string: what follows is still inside the tag.
        let e = checked(&[("a.html", "{{ \"\\\" }}\" }}{% include \"a.html\" %}")]).unwrap_err();
        assert!(e.message.contains("includes itself"), "{e}");
    }

    /// `n` templates, each nesting `blocks` blocks around its include of the one before.
    pub(super) fn chain(n: usize, blocks: usize) -> BTreeMap<String, String> {
        (0..n)
            .map(|i| {
                let inner = match i {
                    0 => "end".to_string(),
                    _ => format!("{{% include \"t{}.html\" %}}", i - 1),
                };
                let open: String = (0..blocks).map(|b| format!("{{% block b{b} %}}")).collect();
                let close = "{% endblock %}".repeat(blocks);
                (format!("t{i}.html"), format!("{open}{inner}{close}"))
            })
            .collect()
    }

    #[test]
    fn the_bundled_theme_is_well_within_the_limit() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
        let sources: BTreeMap<String, String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| {
                let name = e
                    .path()
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (name, std::fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        let (depth, chain) = Graph::new(&sources).deepest().unwrap();
        // tags.html → base.html → partials/search.html, the deepest.
        assert_eq!(depth, 5, "{chain:?}");
        check(&sources).unwrap();
    }

    #[test]
    fn a_long_chain_is_refused_without_recursion() {
        let n = 20_000;
        let e = check(&chain(n, 0)).unwrap_err();
        assert!(e.message.contains(&format!("goes {n} levels deep")), "{e}");
        assert!(e.message.contains("→ … 19994 more"), "{e}");
        assert_eq!(
            e.file.as_deref(),
            Some(std::path::Path::new("templates/t19999.html"))
        );
        assert_eq!(e.line, Some(1));
        check(&chain(MAX_DEPTH, 0)).unwrap();
        assert!(check(&chain(MAX_DEPTH + 1, 0)).is_err());
        // Nested blocks count: 8 templates of 7 blocks are 64 levels, of 8 blocks 72.
        check(&chain(8, 7)).unwrap();
        let e = check(&chain(8, 8)).unwrap_err();
        assert!(e.message.contains("goes 72 levels deep"), "{e}");
    }
}

#[cfg(test)]
mod stack {
    use super::tests::chain;
    use super::*;

    /// The deepest renders the limits let through, as chains of includes with blocks nested
    /// around them, rendered by Tera on a thread with the 2 MiB that render threads have.
    #[test]
    fn the_deepest_allowed_renders_fit_a_render_thread() {
        for (n, blocks) in [(MAX_DEPTH, 0), (8, 7), (2, 31), (1, MAX_DEPTH - 1)] {
            let sources = chain(n, blocks);
            let checked = check(&sources);
            let top = format!("t{}.html", n - 1);
            let rendered = std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || {
                    let mut tera = tera::Tera::new();
                    // One template can nest only 40 deep in Tera's parser.
                    match tera.add_raw_templates(sources.iter()) {
                        Ok(()) => tera
                            .render(&top, &tera::Context::new())
                            .map_err(|e| e.to_string()),
                        Err(e) => Err(e.to_string()),
                    }
                })
                .unwrap()
                .join()
                .unwrap();
            match rendered {
                Ok(text) => {
                    checked.unwrap();
                    assert_eq!(text, "end");
                }
                Err(e) => assert!(e.contains("nesting is too deep"), "{e}"),
            }
        }
    }
}
