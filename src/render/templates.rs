//! The brief's templates, loaded into Tera and checked first: Tera renders `include`s and macro
//! calls by recursing, so a template that includes itself (or a macro that calls itself, or a
//! cycle of them) would exhaust the stack and abort the process, `serve` included; such cycles
//! are refused with the place that closes them. Functions that reach outside the brief
//! (`get_env`, which would publish the environment's secrets) are not there to call, and
//! brackets nested deeper than Tera's parser can take are refused before it sees them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use tera::ast::{Expr, ExprVal, Node};
use tera::{Context, Tera};

use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::frontmatter::offset_of;
use crate::load::Project;

/// The one-entry template the table of contents is put together from.
pub const TOC_ENTRY: &str = "_brief/toc-entry.html";

/// Functions a brief's templates may not call: each reads something outside the brief.
const REFUSED_FUNCTIONS: &[(&str, &str)] = &[
    (
        "get_env",
        "templates cannot read the environment, which holds secrets such as deploy tokens",
    ),
    (
        "now",
        "pages must not depend on the clock: two builds of one brief are identical",
    ),
    (
        "get_random",
        "pages must not depend on chance: two builds of one brief are identical",
    ),
];

/// Brackets nested deeper than this in a template are refused: Tera's parser recurses on each.
const MAX_TEMPLATE_NESTING: usize = 64;

pub fn load_templates(project: &Project) -> Result<Tera, Diagnostics> {
    // Before Tera parses them (its parser recurses on nesting), and after, on its syntax trees
    // (so that each template is parsed once).
    check_depth(project)?;
    let mut tera = Tera::default();
    for (name, why) in REFUSED_FUNCTIONS {
        // Tera registers `get_env` by default and has no way to unregister it: replace it.
        let refusal = format!("`{name}` is not available: {why}");
        tera.register_function(
            name,
            move |_: &std::collections::HashMap<String, tera::Value>| {
                Err(tera::Error::msg(refusal.clone()))
            },
        );
    }
    let templates: Vec<(&str, &str)> = project
        .templates
        .iter()
        .map(|(name, file)| (name.as_str(), file.text.as_str()))
        .collect();
    tera.add_raw_templates(templates)
        .map_err(|error| template_diagnostic(project, &error))?;
    check_calls(project, &tera)?;
    // One table-of-contents entry, rendered once per section for all section pages. A brief whose
    // own macros.html lacks `toc_entry` gets the macro's loop instead (see `toc_entries`).
    if tera
        .add_raw_template(
            TOC_ENTRY,
            "{% import \"macros.html\" as macros %}{{ macros::toc_entry(s=s, root=root, on_home=false, current=current) }}",
        )
        .is_err()
    {
        tera.templates.remove(TOC_ENTRY);
    }
    Ok(tera)
}

pub fn render_template(
    tera: &Tera,
    project: &Project,
    name: &str,
    context: &Context,
) -> Result<String, Diagnostics> {
    let html = tera
        .render(name, context)
        .map_err(|error| template_diagnostic(project, &error))?;
    // As an HTML parser would read it: a NUL from the text or data is U+FFFD, never a raw NUL.
    Ok(if html.contains('\0') {
        html.replace('\0', "\u{fffd}")
    } else {
        html
    })
}

/// A Tera error with its whole cause chain, pointing at the template and line: where Tera says
/// (syntax errors), or where the unknown variable is written (render errors).
fn template_diagnostic(project: &Project, error: &tera::Error) -> Diagnostics {
    let mut chain = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        chain.push(cause.to_string());
        source = cause.source();
    }
    let text = chain.join("\n");
    // Parse errors end in "= expected …"; render errors are the last cause's first line.
    let problem = text
        .lines()
        .find_map(|line| line.trim_start().strip_prefix("= "))
        .or_else(|| chain.last().and_then(|m| m.lines().next()))
        .unwrap_or("unknown error")
        .to_string();
    let named = chain
        .iter()
        .find_map(|message| {
            message
                .split('\'')
                .nth(1)
                .filter(|name| project.templates.contains_key(*name))
        })
        .and_then(|name| project.templates.get(name));
    let mut diagnostic = Diagnostic::new(format!("template error: {problem}"));
    let position = text.split("--> ").nth(1).and_then(|rest| {
        let mut numbers = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        Some((
            numbers.next()?.parse::<usize>().ok()?,
            numbers.next()?.parse::<usize>().ok()?,
        ))
    });
    let variable = problem
        .strip_prefix("Variable `")
        .and_then(|rest| rest.split('`').next());
    match (named, position, variable) {
        (Some(file), Some((line, column)), _) => {
            let start = offset_of(&file.text, 0, line, column);
            let end = file.text[start..]
                .find('\n')
                .map_or(file.text.len(), |i| start + i);
            diagnostic = diagnostic.at(file, start..end, "here");
        }
        (named, None, Some(variable)) => {
            // The variable may be written in a template the named one extends.
            let written_in = named
                .into_iter()
                .chain(project.templates.values())
                .find_map(|file| file.text.find(variable).map(|at| (file, at)));
            if let Some((file, at)) = written_in {
                diagnostic = diagnostic.at(file, at..at + variable.len(), "not in the context");
            }
        }
        (Some(file), None, None) => diagnostic = diagnostic.at(file, 0..0, "in this template"),
        _ => {}
    }
    diagnostic.hint(text).into()
}

/// Refuses brackets and tags nested deeper than Tera's parser can take, each at its place.
fn check_depth(project: &Project) -> Result<(), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    for file in project.templates.values() {
        if let Some(at) = too_deep(&file.text) {
            diagnostics.push(
                Diagnostic::new(format!(
                    "template error: brackets or tags nested more than {MAX_TEMPLATE_NESTING} deep"
                ))
                .at(file, at..at + 1, "too deep")
                .hint("split the expression with `{% set %}`, or the template into macros"),
            );
        }
    }
    diagnostics.into_result(())
}

/// Refuses calls of refused functions, and include or macro cycles (which would make Tera
/// recurse without end), each at its place.
fn check_calls(project: &Project, tera: &Tera) -> Result<(), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut graph = Graph::default();
    for (name, file) in &project.templates {
        let Some(template) = tera.templates.get(name) else {
            continue;
        };
        let imports: BTreeMap<String, String> = template
            .imported_macro_files
            .iter()
            .map(|(file, namespace)| (namespace.clone(), file.clone()))
            .collect();
        let mut uses = Uses::default();
        walk_nodes(&template.ast, &mut uses);
        graph.add(Vertex::Template(name.clone()), &uses, name, &imports, file);
        let mut functions = std::mem::take(&mut uses.functions);
        if let Some(parent) = &template.parent {
            graph.edge(
                Vertex::Template(name.clone()),
                Vertex::Template(parent.clone()),
                file,
                format!("\"{parent}\""),
            );
        }
        // In name order, so that the first cycle reported is the same on every build.
        let macros: BTreeMap<&String, &tera::ast::MacroDefinition> =
            template.macros.iter().collect();
        for (macro_name, definition) in macros {
            let mut uses = Uses::default();
            walk_nodes(&definition.body, &mut uses);
            let vertex = Vertex::Macro(name.clone(), macro_name.clone());
            graph.add(vertex, &uses, name, &imports, file);
            functions.append(&mut uses.functions);
        }
        for (function, why) in REFUSED_FUNCTIONS {
            if functions.contains(*function) {
                let at = file.text.find(function).unwrap_or(0);
                diagnostics.push(
                    Diagnostic::new(format!("template error: `{function}` is not available"))
                        .at(file, at..at + function.len(), "refused")
                        .hint(*why),
                );
            }
        }
    }
    if let Some(diagnostic) = graph.cycle() {
        diagnostics.push(diagnostic);
    }
    diagnostics.into_result(())
}

/// The offset of the first bracket or block tag (`{% if %}`, `{% for %}`…) nested more than
/// [`MAX_TEMPLATE_NESTING`] deep: Tera's parser recurses on both.
fn too_deep(text: &str) -> Option<usize> {
    const OPENING: &[&str] = &["if", "for", "block", "macro", "filter", "raw"];
    let mut depth = 0usize;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let opens = match bytes[at] {
            b'(' | b'[' => Some(true),
            b')' | b']' => Some(false),
            b'{' if bytes.get(at + 1) == Some(&b'%') => {
                let tag = text[at + 2..].trim_start_matches(['-', ' ', '\t', '\n', '\r']);
                let word: &str = tag
                    .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                    .next()
                    .unwrap_or("");
                if OPENING.contains(&word) {
                    Some(true)
                } else if word.starts_with("end") {
                    Some(false)
                } else {
                    None
                }
            }
            _ => None,
        };
        match opens {
            Some(true) => {
                depth += 1;
                if depth > MAX_TEMPLATE_NESTING {
                    return Some(at);
                }
            }
            Some(false) => depth = depth.saturating_sub(1),
            None => {}
        }
        at += 1;
    }
    None
}

/// What a stretch of template calls: templates it includes, macros (namespace, name),
/// functions.
#[derive(Default)]
struct Uses {
    includes: Vec<String>,
    macros: Vec<(String, String)>,
    functions: BTreeSet<String>,
}

fn walk_nodes(nodes: &[Node], uses: &mut Uses) {
    for node in nodes {
        match node {
            Node::VariableBlock(_, expr) => walk_expr(expr, uses),
            Node::Include(_, names, _) => uses.includes.extend(names.iter().cloned()),
            Node::Set(_, set) => walk_expr(&set.value, uses),
            Node::FilterSection(_, section, _) => {
                section
                    .filter
                    .args
                    .values()
                    .for_each(|e| walk_expr(e, uses));
                walk_nodes(&section.body, uses);
            }
            Node::Block(_, block, _) => walk_nodes(&block.body, uses),
            Node::Forloop(_, forloop, _) => {
                walk_expr(&forloop.container, uses);
                walk_nodes(&forloop.body, uses);
                if let Some(empty) = &forloop.empty_body {
                    walk_nodes(empty, uses);
                }
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    walk_expr(condition, uses);
                    walk_nodes(body, uses);
                }
                if let Some((_, body)) = &branches.otherwise {
                    walk_nodes(body, uses);
                }
            }
            // Macro bodies are walked as macros of their own.
            _ => {}
        }
    }
}

fn walk_expr(expr: &Expr, uses: &mut Uses) {
    for filter in &expr.filters {
        filter.args.values().for_each(|e| walk_expr(e, uses));
    }
    walk_value(&expr.val, uses);
}

fn walk_value(value: &ExprVal, uses: &mut Uses) {
    match value {
        ExprVal::MacroCall(call) => {
            uses.macros
                .push((call.namespace.clone(), call.name.clone()));
            call.args.values().for_each(|e| walk_expr(e, uses));
        }
        ExprVal::FunctionCall(call) => {
            uses.functions.insert(call.name.clone());
            call.args.values().for_each(|e| walk_expr(e, uses));
        }
        ExprVal::Math(math) => {
            walk_expr(&math.lhs, uses);
            walk_expr(&math.rhs, uses);
        }
        ExprVal::Logic(logic) => {
            walk_expr(&logic.lhs, uses);
            walk_expr(&logic.rhs, uses);
        }
        ExprVal::Test(test) => test.args.iter().for_each(|e| walk_expr(e, uses)),
        ExprVal::Array(items) => items.iter().for_each(|e| walk_expr(e, uses)),
        ExprVal::StringConcat(concat) => concat.values.iter().for_each(|v| walk_value(v, uses)),
        ExprVal::In(inside) => {
            walk_expr(&inside.lhs, uses);
            walk_expr(&inside.rhs, uses);
        }
        _ => {}
    }
}

/// A template, or a macro of a template.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Vertex {
    Template(String),
    Macro(String, String),
}

impl std::fmt::Display for Vertex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Vertex::Template(name) => write!(f, "{name}"),
            Vertex::Macro(file, name) => write!(f, "macro `{name}` of {file}"),
        }
    }
}

/// Who includes, extends or calls whom; each edge keeps where it is written.
#[derive(Default)]
struct Graph {
    edges: BTreeMap<Vertex, Vec<(Vertex, Arc<SourceFile>, String)>>,
}

impl Graph {
    fn edge(&mut self, from: Vertex, to: Vertex, file: &Arc<SourceFile>, written: String) {
        self.edges
            .entry(from)
            .or_default()
            .push((to, Arc::clone(file), written));
    }

    fn add(
        &mut self,
        from: Vertex,
        uses: &Uses,
        template: &str,
        imports: &BTreeMap<String, String>,
        file: &Arc<SourceFile>,
    ) {
        self.edges.entry(from.clone()).or_default();
        for included in &uses.includes {
            let to = Vertex::Template(included.clone());
            self.edge(from.clone(), to, file, format!("\"{included}\""));
        }
        for (namespace, name) in &uses.macros {
            let owner = if namespace == "self" {
                Some(template.to_string())
            } else {
                imports.get(namespace).cloned()
            };
            if let Some(owner) = owner {
                let to = Vertex::Macro(owner, name.clone());
                self.edge(from.clone(), to, file, format!("{namespace}::{name}("));
            }
        }
    }

    /// The first cycle, in name order, as an error at the call that closes it. Depth first,
    /// with a stack of its own: a chain of thousands of macros must not overflow this one.
    fn cycle(&self) -> Option<Diagnostic> {
        let mut done: BTreeSet<&Vertex> = BTreeSet::new();
        for start in self.edges.keys() {
            if done.contains(start) {
                continue;
            }
            let mut path: Vec<(&Vertex, usize)> = vec![(start, 0)];
            let mut on_path: BTreeMap<&Vertex, usize> = BTreeMap::from([(start, 0)]);
            while let Some((vertex, cursor)) = path.last_mut() {
                let vertex: &Vertex = vertex;
                let edges = self.edges.get(vertex).map_or(&[][..], Vec::as_slice);
                let Some((next, file, written)) = edges.get(*cursor) else {
                    done.insert(vertex);
                    on_path.remove(vertex);
                    path.pop();
                    continue;
                };
                *cursor += 1;
                if let Some(&at) = on_path.get(next) {
                    let cycle: Vec<&Vertex> = path[at..].iter().map(|(v, _)| *v).collect();
                    return Some(cycle_error(&cycle, next, file, written));
                }
                if !done.contains(next) {
                    on_path.insert(next, path.len());
                    path.push((next, 0));
                }
            }
        }
        None
    }
}

/// A cycle `cycle` → `next` (which is `cycle[0]`), reported where `written` closes it.
fn cycle_error(
    cycle: &[&Vertex],
    next: &Vertex,
    file: &Arc<SourceFile>,
    written: &str,
) -> Diagnostic {
    let chain: Vec<String> = cycle
        .iter()
        .copied()
        .chain([next])
        .map(ToString::to_string)
        .collect();
    // Written with either quote; the first place it is named.
    let start = file
        .text
        .find(written)
        .or_else(|| file.text.find(&written.replace('"', "'")))
        .unwrap_or(0);
    let what = if cycle.len() == 1 {
        "itself"
    } else {
        "itself through others"
    };
    Diagnostic::new(format!(
        "template error: {} calls {what}: {}",
        cycle[0],
        chain.join(" → ")
    ))
    .at(file, start..start + written.len(), "this closes the cycle")
    .hint("Tera would recurse without end; brief refuses templates and macros that include or call themselves")
}
