//! What keeps a template from overflowing the stack. Tera 1 follows `{% extends %}`,
//! `{% include %}`, `{% import %}` and macro calls by recursion, with no depth limit, and its
//! parser and renderer recurse once per level of nesting. So brief refuses, before Tera
//! sees them: templates nested too deep to parse (checked in the text, with a line), loops of
//! templates or macros (found in the parsed templates), and chains of them deep enough to
//! overflow while rendering. Without loops the depth of any render is bounded by the sum of
//! the depths along the longest chain, which is what [`check`] limits.

use super::DIR;
use crate::diagnostic::{line_of, Diagnostic, Result};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tera::ast::{Expr, ExprVal, Node};
use tera::Template;

/// Nesting of `{% if %}`, `{% for %}`… or of brackets in one tag: Tera's parser overflows
/// a thread's stack at about a thousand; real templates nest a handful.
pub const MAX_NESTING: usize = 64;
/// Levels of tags and expressions that one render may go through, summed over the chain of
/// templates and macros it passes. Measured in a debug build: a render thread (2 MB of
/// stack) overflows at about 300 nested `{% for %}`; the bundled theme needs 14.
pub const MAX_RENDER_DEPTH: usize = 128;

/// Refuses template text nested deeper than Tera's parser can follow.
pub fn check_nesting(name: &str, text: &str) -> Result<()> {
    let too_deep = |offset: usize, what: &str| {
        Err(Diagnostic::error(format!(
            "this template nests {what} more than {MAX_NESTING} deep"
        ))
        .in_file(format!("{DIR}/{name}"))
        .on_line(line_of(text, offset))
        .with_hint(
            "split the template into partials or macros; brief refuses deeper nesting, which could overflow the stack",
        ))
    };
    let bytes = text.as_bytes();
    let mut tags = 0usize;
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'{', &bytes[i..]) {
        let start = i + found;
        let Some(&kind) = bytes.get(start + 1) else {
            break;
        };
        let close: &[u8] = match kind {
            b'{' => b"}}",
            b'%' => b"%}",
            b'#' => b"#}",
            _ => {
                i = start + 1;
                continue;
            }
        };
        let body_start = start + 2;
        if kind == b'#' {
            i = find(&bytes[body_start..], close).map_or(bytes.len(), |n| body_start + n + 2);
            continue;
        }
        // The tag ends at its first closing delimiter outside a string, as Tera reads it.
        let mut depth = 0usize;
        let mut quote = None;
        let mut body_end = bytes.len();
        let mut j = body_start;
        while j < bytes.len() {
            let c = bytes[j];
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'' | b'`') => quote = Some(c),
                (None, _) if bytes[j..].starts_with(close) => {
                    body_end = j;
                    break;
                }
                (None, b'(' | b'[') => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return too_deep(j, "brackets");
                    }
                }
                (None, b')' | b']') => depth = depth.saturating_sub(1),
                _ => {}
            }
            j += 1;
        }
        let body = &text[body_start..body_end];
        i = (body_end + 2).min(bytes.len());
        if kind != b'%' {
            continue;
        }
        let word = body
            .trim_start_matches(['-', ' ', '\t', '\r', '\n'])
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .next()
            .unwrap_or("");
        match word {
            "if" | "for" | "block" | "macro" | "filter" => {
                tags += 1;
                if tags > MAX_NESTING {
                    return too_deep(start, "tags such as {% if %} and {% for %}");
                }
            }
            "endif" | "endfor" | "endblock" | "endmacro" | "endfilter" => {
                tags = tags.saturating_sub(1)
            }
            "raw" => {
                // Nothing inside {% raw %} is parsed.
                let rest = &text[i..];
                i += rest
                    .match_indices("endraw")
                    .find(|(k, _)| rest[..*k].trim_end_matches([' ', '-']).ends_with("{%"))
                    .map_or(rest.len(), |(k, _)| k);
            }
            _ => {}
        }
    }
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// What renders what: a template or one macro in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Template(String),
    Macro(String, String),
}

impl Unit {
    fn describe(&self) -> String {
        match self {
            Unit::Template(name) => format!("{DIR}/{name}"),
            Unit::Macro(file, name) => format!("macro `{name}` in {DIR}/{file}"),
        }
    }

    fn file(&self) -> &str {
        match self {
            Unit::Template(name) | Unit::Macro(name, _) => name,
        }
    }
}

/// One step from a unit to another, as the author wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Extends,
    Includes,
    Imports,
    Calls,
}

impl Step {
    fn verb(self) -> &'static str {
        match self {
            Step::Extends => "extends",
            Step::Includes => "includes",
            Step::Imports => "imports macros from",
            Step::Calls => "calls",
        }
    }
}

struct Graph {
    /// Per unit: how deep its own tags and expressions nest, and where it leads.
    units: BTreeMap<Unit, (usize, Vec<(Step, Unit)>)>,
}

/// Refuses loops of templates and macros, and chains of them too deep to render.
pub fn check(
    templates: &HashMap<String, Template>,
    sources: &BTreeMap<String, String>,
) -> Result<()> {
    let graph = Graph::new(templates);
    if let Some(cycle) = graph.cycle() {
        return Err(loop_error(&cycle, sources));
    }
    if let Some((depth, chain)) = graph.deepest().filter(|(d, _)| *d > MAX_RENDER_DEPTH) {
        let first = chain[0].clone();
        let names: Vec<String> = chain.iter().map(Unit::describe).collect();
        return Err(Diagnostic::error(format!(
            "rendering {} goes {depth} levels deep ({}), more than the {MAX_RENDER_DEPTH} brief allows",
            first.describe(),
            names.join(" → "),
        ))
        .in_file(format!("{DIR}/{}", first.file()))
        .with_hint(
            "nest fewer tags and shorten long expressions or chains of includes and macro calls; deeper renders could overflow the stack",
        ));
    }
    Ok(())
}

fn loop_error(cycle: &[(Unit, Step)], sources: &BTreeMap<String, String>) -> Diagnostic {
    let (first, first_step) = &cycle[0];
    let mut message = format!("{} {}", first.describe(), first_step.verb());
    if cycle.len() == 1 {
        message.push_str(" itself");
    } else {
        for (unit, step) in &cycle[1..] {
            message.push_str(&format!(" {}, which {}", unit.describe(), step.verb()));
        }
        message.push_str(&format!(" {}", first.describe()));
    }
    let target = cycle.get(1).map_or(first, |(u, _)| u);
    let line = sources
        .get(first.file())
        .and_then(|text| step_line(text, *first_step, target));
    let is_macro_loop = cycle.iter().all(|(u, _)| matches!(u, Unit::Macro(..)));
    let hint = if is_macro_loop {
        "brief does not run recursive macros (Tera has no depth limit, so one can overflow the stack): write it with {% for %} loops instead"
    } else {
        "break the loop: a template cannot extend, include or import itself, directly or through others"
    };
    let what = if is_macro_loop {
        "a recursive macro"
    } else {
        "a loop of templates"
    };
    Diagnostic::error(format!("{what}: {message}"))
        .in_file(format!("{DIR}/{}", first.file()))
        .on_line_opt(line)
        .with_hint(hint)
}

/// The line of the tag or call that takes `step` towards `target`.
fn step_line(text: &str, step: Step, target: &Unit) -> Option<usize> {
    let found = |needle: &str, near: &str| {
        text.lines()
            .position(|l| l.contains(needle) && l.contains(near))
            .map(|i| i + 1)
    };
    match (step, target) {
        (Step::Calls, Unit::Macro(_, name)) => {
            found(&format!("::{name}("), "::").or_else(|| found(name, "::"))
        }
        (Step::Extends, t) => found(t.file(), "extends"),
        (Step::Includes, t) => found(t.file(), "include"),
        (Step::Imports, t) => found(t.file(), "import"),
        _ => None,
    }
}

impl Graph {
    fn new(templates: &HashMap<String, Template>) -> Graph {
        let mut namespaces = Namespaces {
            templates,
            done: HashMap::new(),
        };
        let mut units = BTreeMap::new();
        for (name, tpl) in templates {
            let mut steps = Vec::new();
            if let Some(parent) = tpl.parent.as_ref().filter(|p| templates.contains_key(*p)) {
                steps.push((Step::Extends, Unit::Template(parent.clone())));
            }
            for (file, _) in &tpl.imported_macro_files {
                if templates.contains_key(file) {
                    steps.push((Step::Imports, Unit::Template(file.clone())));
                }
            }
            let depth = walk(&tpl.ast, name, &mut namespaces, &mut steps);
            units.insert(Unit::Template(name.clone()), (depth, steps));
            for (macro_name, definition) in &tpl.macros {
                let mut steps = Vec::new();
                let defaults: Vec<&Expr> = definition.args.values().flatten().collect();
                let depth = walk_all(
                    definition
                        .body
                        .iter()
                        .map(Item::Node)
                        .chain(defaults.into_iter().map(Item::Expr)),
                    name,
                    &mut namespaces,
                    &mut steps,
                );
                units.insert(
                    Unit::Macro(name.clone(), macro_name.clone()),
                    (depth, steps),
                );
            }
        }
        Graph { units }
    }

    /// A loop, as each unit with the step it takes to the next, the last leading back to
    /// the first. Depth-first without recursion: a chain can be as long as there are units.
    fn cycle(&self) -> Option<Vec<(Unit, Step)>> {
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
                let steps = &self.units[*unit].1;
                let Some((_, to)) = steps.get(*next) else {
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
                                .map(|(u, n)| ((*u).clone(), self.units[*u].1[n - 1].0))
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

    /// The deepest render of an acyclic graph: the chain with the largest sum of depths.
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
                    Some((_, to)) => {
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
        let mut best: BTreeMap<&Unit, (usize, Option<&Unit>)> = BTreeMap::new();
        for unit in order {
            let (own, steps) = &self.units[unit];
            let below = steps
                .iter()
                .filter_map(|(_, to)| best.get_key_value(to))
                .max_by_key(|(_, (d, _))| *d)
                .map(|(to, (d, _))| (*d, Some(*to)));
            let (d, next) = below.unwrap_or((0, None));
            best.insert(unit, (own + d, next));
        }
        let (start, (depth, _)) = best.iter().max_by_key(|(_, (d, _))| *d)?;
        let mut chain = vec![(*start).clone()];
        let mut at = *start;
        while let Some((_, Some(next))) = best.get(at) {
            chain.push((*next).clone());
            at = next;
        }
        Some((*depth, chain))
    }
}

/// Which file each macro namespace of a template means, as Tera resolves it: its own
/// imports, then what those import, then what its parents see.
struct Namespaces<'a> {
    templates: &'a HashMap<String, Template>,
    done: HashMap<String, HashMap<String, String>>,
}

impl Namespaces<'_> {
    fn of(&mut self, name: &str) -> HashMap<String, String> {
        let mut seen = BTreeSet::new();
        self.resolve(name, &mut seen, 0)
    }

    fn resolve(
        &mut self,
        name: &str,
        seen: &mut BTreeSet<String>,
        depth: usize,
    ) -> HashMap<String, String> {
        if let Some(map) = self.done.get(name) {
            return map.clone();
        }
        let mut map = HashMap::new();
        let Some(tpl) = self.templates.get(name) else {
            return map;
        };
        // A loop of imports is reported as a loop, and a chain longer than the render depth
        // as too deep; here the search only has to end.
        if !seen.insert(name.to_string()) || depth > MAX_RENDER_DEPTH {
            return map;
        }
        if !tpl.macros.is_empty() {
            map.insert("self".to_string(), name.to_string());
        }
        let mut next: Vec<String> = Vec::new();
        for (file, namespace) in &tpl.imported_macro_files {
            map.insert(namespace.clone(), file.clone());
            next.push(file.clone());
        }
        next.extend(tpl.parent.clone());
        for other in next {
            for (namespace, file) in self.resolve(&other, seen, depth + 1) {
                map.entry(namespace).or_insert(file);
            }
        }
        self.done.insert(name.to_string(), map.clone());
        map
    }
}

#[derive(Clone, Copy)]
enum Item<'a> {
    Node(&'a Node),
    Expr(&'a Expr),
    Val(&'a ExprVal),
}

/// How deep `nodes` nest, noting every include and macro call in `steps`. Macro
/// definitions are units of their own and are not entered.
fn walk(
    nodes: &[Node],
    file: &str,
    namespaces: &mut Namespaces<'_>,
    steps: &mut Vec<(Step, Unit)>,
) -> usize {
    walk_all(nodes.iter().map(Item::Node), file, namespaces, steps)
}

fn walk_all<'a>(
    items: impl Iterator<Item = Item<'a>>,
    file: &str,
    namespaces: &mut Namespaces<'_>,
    steps: &mut Vec<(Step, Unit)>,
) -> usize {
    let mut stack: Vec<(Item<'a>, usize)> = items.map(|i| (i, 1)).collect();
    let mut deepest = 0;
    while let Some((item, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        let mut push = |i: Item<'a>| stack.push((i, depth + 1));
        match item {
            Item::Node(node) => match node {
                Node::VariableBlock(_, e) => push(Item::Expr(e)),
                Node::Set(_, set) => push(Item::Expr(&set.value)),
                Node::Include(_, names, _) => {
                    for n in names {
                        if namespaces.templates.contains_key(n) {
                            steps.push((Step::Includes, Unit::Template(n.clone())));
                        }
                    }
                }
                Node::FilterSection(_, section, _) => {
                    section
                        .filter
                        .args
                        .values()
                        .for_each(|e| push(Item::Expr(e)));
                    section.body.iter().for_each(|n| push(Item::Node(n)));
                }
                Node::Block(_, block, _) => block.body.iter().for_each(|n| push(Item::Node(n))),
                Node::Forloop(_, forloop, _) => {
                    push(Item::Expr(&forloop.container));
                    forloop.body.iter().for_each(|n| push(Item::Node(n)));
                    forloop
                        .empty_body
                        .iter()
                        .flatten()
                        .for_each(|n| push(Item::Node(n)));
                }
                Node::If(conditions, _) => {
                    for (_, e, body) in &conditions.conditions {
                        push(Item::Expr(e));
                        body.iter().for_each(|n| push(Item::Node(n)));
                    }
                    if let Some((_, body)) = &conditions.otherwise {
                        body.iter().for_each(|n| push(Item::Node(n)));
                    }
                }
                Node::MacroDefinition(..)
                | Node::Super
                | Node::Text(_)
                | Node::Extends(..)
                | Node::ImportMacro(..)
                | Node::Raw(..)
                | Node::Break(_)
                | Node::Continue(_)
                | Node::Comment(..) => {}
            },
            Item::Expr(e) => {
                push(Item::Val(&e.val));
                for filter in &e.filters {
                    filter.args.values().for_each(|a| push(Item::Expr(a)));
                }
            }
            Item::Val(v) => match v {
                ExprVal::Math(m) => {
                    push(Item::Expr(&m.lhs));
                    push(Item::Expr(&m.rhs));
                }
                ExprVal::Logic(l) => {
                    push(Item::Expr(&l.lhs));
                    push(Item::Expr(&l.rhs));
                }
                ExprVal::In(i) => {
                    push(Item::Expr(&i.lhs));
                    push(Item::Expr(&i.rhs));
                }
                ExprVal::Test(t) => t.args.iter().for_each(|a| push(Item::Expr(a))),
                ExprVal::FunctionCall(f) => f.args.values().for_each(|a| push(Item::Expr(a))),
                ExprVal::Array(items) => items.iter().for_each(|a| push(Item::Expr(a))),
                ExprVal::StringConcat(concat) => {
                    concat.values.iter().for_each(|a| push(Item::Val(a)))
                }
                ExprVal::MacroCall(call) => {
                    call.args.values().for_each(|a| push(Item::Expr(a)));
                    let target = if call.namespace == "self" {
                        // `self` is the file the call is written in, or a parent's macros.
                        let own = namespaces
                            .templates
                            .get(file)
                            .is_some_and(|t| t.macros.contains_key(&call.name));
                        if own {
                            Some(file.to_string())
                        } else {
                            namespaces.of(file).remove("self")
                        }
                    } else {
                        namespaces.of(file).remove(&call.namespace)
                    };
                    if let Some(target) = target {
                        steps.push((Step::Calls, Unit::Macro(target, call.name.clone())));
                    }
                }
                ExprVal::String(_)
                | ExprVal::Int(_)
                | ExprVal::Float(_)
                | ExprVal::Bool(_)
                | ExprVal::Ident(_) => {}
            },
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(sources: &[(&str, &str)]) -> Result<()> {
        let mut templates = HashMap::new();
        let mut texts = BTreeMap::new();
        for (name, text) in sources {
            check_nesting(name, text)?;
            templates.insert(name.to_string(), Template::new(name, None, text).unwrap());
            texts.insert(name.to_string(), text.to_string());
        }
        check(&templates, &texts)
    }

    #[test]
    fn extends_loops_name_the_chain() {
        let e = parsed(&[
            ("a.html", "{% extends \"b.html\" %}"),
            ("b.html", "{% extends \"a.html\" %}\n"),
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
    fn recursive_macros_are_found_through_other_macros_and_files() {
        let e = parsed(&[(
            "m.html",
            "{% macro r(n) %}\n{{ self::r(n=n) }}{% endmacro r %}",
        )])
        .unwrap_err();
        assert_eq!(
            e.message,
            "a recursive macro: macro `r` in templates/m.html calls itself"
        );
        assert_eq!(e.line, Some(2));

        let e = parsed(&[(
            "m.html",
            "{% macro a() %}{% if x %}{{ self::b() }}{% endif %}{% endmacro a %}\n\
             {% macro b() %}{{ [1, self::c() | upper] }}{% endmacro b %}\n\
             {% macro c() %}{% for i in self::a() %}{% endfor %}{% endmacro c %}",
        )])
        .unwrap_err();
        assert!(
            e.message.contains("calls macro `b` in templates/m.html"),
            "{e}"
        );
        assert!(e.message.contains("calls macro `c`"), "{e}");
        assert!(e.hint.unwrap().contains("recursive"));

        // Across files a macro can only come back through a loop of imports.
        let e = parsed(&[
            (
                "m.html",
                "{% import \"n.html\" as n %}{% macro a() %}{{ n::b() }}{% endmacro a %}",
            ),
            (
                "n.html",
                "{% import \"m.html\" as m %}{% macro b() %}{{ m::a() }}{% endmacro b %}",
            ),
        ])
        .unwrap_err();
        assert!(
            e.message.contains("imports macros from templates/n.html"),
            "{e}"
        );
    }

    #[test]
    fn macros_that_only_call_others_are_fine() {
        parsed(&[
            (
                "m.html",
                "{% macro a() %}{{ self::b() }}{% endmacro a %}{% macro b() %}b{% endmacro b %}",
            ),
            (
                "p.html",
                "{% import \"m.html\" as m %}{{ m::a() }}{% include \"q.html\" %}",
            ),
            ("q.html", "{% import \"m.html\" as m %}{{ m::b() }}"),
        ])
        .unwrap();
    }

    #[test]
    fn include_and_import_loops_are_found() {
        let e = parsed(&[("a.html", "{% include \"a.html\" %}")]).unwrap_err();
        assert_eq!(
            e.message,
            "a loop of templates: templates/a.html includes itself"
        );
        let e = parsed(&[
            ("a.html", "{% import \"b.html\" as b %}"),
            ("b.html", "{% import \"a.html\" as a %}"),
        ])
        .unwrap_err();
        assert!(e.message.contains("imports macros from"), "{e}");
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let ifs = format!(
            "\n{}x{}",
            "{% if a %}".repeat(100),
            "{% endif %}".repeat(100)
        );
        let e = check_nesting("x.html", &ifs).unwrap_err();
        assert_eq!(e.line, Some(2));
        let parens = format!("{{{{ {}1{} }}}}", "(".repeat(100), ")".repeat(100));
        assert!(check_nesting("x.html", &parens).is_err());
        // Brackets inside strings and raw blocks are text.
        let quoted = format!(
            "{{{{ \"{}\" }}}}{{% raw %}}{}{{% endraw %}}",
            "(".repeat(100),
            "{% if a %}".repeat(100)
        );
        check_nesting("x.html", &quoted).unwrap();
        let fine = format!("{}x{}", "{% if a %}".repeat(60), "{% endif %}".repeat(60));
        check_nesting("x.html", &fine).unwrap();
    }

    #[test]
    fn a_chain_of_many_templates_is_refused_without_recursion() {
        let names: Vec<String> = (0..5_000).map(|i| format!("t{i}.html")).collect();
        let texts: Vec<String> = (0..5_000)
            .map(|i| match i {
                0 => "{% macro m() %}x{% endmacro m %}".to_string(),
                _ => format!(
                    "{{% extends \"t{}.html\" %}}{{% import \"t0.html\" as n %}}{{{{ n::m() }}}}",
                    i - 1
                ),
            })
            .collect();
        let sources: Vec<(&str, &str)> = names
            .iter()
            .map(String::as_str)
            .zip(texts.iter().map(String::as_str))
            .collect();
        let e = parsed(&sources).unwrap_err();
        assert!(e.message.contains("levels deep"), "{e}");
    }

    #[test]
    fn long_expressions_and_chains_are_limited() {
        let sum = format!("{{{{ 1{} }}}}", " + 1".repeat(1000));
        let e = parsed(&[("x.html", &sum)]).unwrap_err();
        assert!(e.message.contains("levels deep"), "{e}");
        parsed(&[("x.html", &format!("{{{{ 1{} }}}}", " + 1".repeat(20)))]).unwrap();
    }
}
