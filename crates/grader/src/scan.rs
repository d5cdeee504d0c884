//! The library-call scan. An exercise answered by calling the library's own
//! answer (`losses::mse_derivative(prediction, target)` as the whole body of
//! `mse_loss_derivative`) passes every property test, and the graders only see
//! function pointers; so the grader also reads the exercise's source file, in
//! the copy being graded, and looks in the exercise's body for the library
//! items listed as answering it.
//!
//! Each exercise lists its items ([`crate::Exercise::forbid_library`]) as paths:
//!
//! - `krate::…::name` (a function, type or module of a library crate) matches
//!   any use of a path that starts at that crate and passes through every
//!   segment of the item: `losses::mse_derivative`, `conv::reference::
//!   conv2d_forward` for `conv::conv2d_forward`, and names brought in by `use`
//!   (`use losses::mse_derivative as d;` then `d(…)`, or a glob import);
//! - `Type::method` (a capitalised first segment) matches `.method(` and
//!   `Type::method`.
//!
//! Everything else stays allowed, including the calls a solution legitimately
//! makes (`predict` in `rosenblatt_update`, `sigmoid` in `sigmoid_derivative`),
//! and names the file defines itself. Comments and string literals are not
//! code, and are skipped.

use std::collections::HashMap;
use std::path::PathBuf;

/// Where a copy's exercise files are: the folder that holds `<section>/<file>.rs`
/// (`exercises/` for the student's copy, `solutions/` for the solved one). The
/// graders read the exercise's own file there, so each copy is scanned as it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source {
    root: Option<&'static str>,
}

impl Source {
    /// The copy in the folder `root` (give it `env!("CARGO_MANIFEST_DIR")` of
    /// the crate that holds the copy, or a folder inside it).
    pub const fn new(root: &'static str) -> Self {
        Source { root: Some(root) }
    }

    /// No source to read: the scan finds nothing.
    pub const NONE: Source = Source { root: None };

    /// The path of `file` in this copy.
    pub fn path(&self, file: &str) -> Option<PathBuf> {
        self.root.map(|r| PathBuf::from(r).join(file))
    }
}

/// A library item found in an exercise's body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The item as the exercise lists it, e.g. `losses::mse_derivative`.
    pub item: &'static str,
    /// The line of the file it is on, from 1.
    pub line: usize,
}

/// The first of `items` that the body of `fn function` in `file` of `source`
/// uses, if any. A file that cannot be read, or that has no such function,
/// finds nothing: the property tests still grade the function.
pub fn find(
    source: Source,
    file: &str,
    function: &str,
    items: &[&'static str],
) -> Option<Found> {
    if items.is_empty() {
        return None;
    }
    let text = std::fs::read_to_string(source.path(file)?).ok()?;
    find_in(&text, function, items)
}

/// [`find`] on the text of a file.
pub fn find_in(text: &str, function: &str, items: &[&'static str]) -> Option<Found> {
    let tokens = tokens(text);
    let body = body_of(&tokens, function)?;
    let imports = imports(&tokens);
    let local = local_names(&tokens);
    let specs: Vec<(&'static str, Vec<&str>)> = items
        .iter()
        .map(|item| (*item, item.split("::").collect()))
        .collect();
    for i in body.clone() {
        let t = &tokens[i];
        if !is_ident(&t.text) {
            continue;
        }
        let before = i.checked_sub(1).map(|k| tokens[k].text.as_str());
        // A method call: `.name(`.
        if before == Some(".") {
            let called = tokens.get(i + 1).is_some_and(|n| n.text == "(");
            for (item, spec) in &specs {
                if is_method(spec) && called && spec[1] == t.text {
                    return Some(Found { item, line: t.line });
                }
            }
            continue;
        }
        if before == Some("::") {
            continue; // inside a path, seen from its first segment
        }
        let path = path_at(&tokens, i);
        for (item, spec) in &specs {
            let hit = if is_method(spec) {
                path.len() >= 2 && path[0] == spec[0] && path[1] == spec[1]
            } else {
                resolve(&path, &imports, &local)
                    .iter()
                    .any(|full| matches(full, spec))
            };
            if hit {
                return Some(Found { item, line: t.line });
            }
        }
    }
    None
}

/// `Type::method`: a capitalised first segment and a lower-case second.
fn is_method(spec: &[&str]) -> bool {
    spec.len() == 2 && spec[0].starts_with(|c: char| c.is_ascii_uppercase())
}

/// A path matches an item if it starts at the item's crate and passes through
/// each of its other segments, in order.
fn matches(path: &[String], spec: &[&str]) -> bool {
    if path.first().map(String::as_str) != Some(spec[0]) {
        return false;
    }
    let mut rest = path[1..].iter();
    spec[1..].iter().all(|s| rest.any(|p| p == s))
}

/// The full paths `path` may stand for: through an import of its first
/// segment, as written, or (a lone name) through a glob import.
fn resolve(
    path: &[String],
    imports: &Imports,
    local: &[String],
) -> Vec<Vec<String>> {
    let first = &path[0];
    if let Some(full) = imports.named.get(first) {
        let mut p = full.clone();
        p.extend(path[1..].iter().cloned());
        return vec![p];
    }
    if path.len() == 1 && local.contains(first) {
        return Vec::new();
    }
    let mut out = vec![path.to_vec()];
    if path.len() == 1 {
        for glob in &imports.globs {
            let mut p = glob.clone();
            p.push(first.clone());
            out.push(p);
        }
    }
    out
}

/// The path that starts at token `i`: `a::b::c` (turbofish and generics left out).
fn path_at(tokens: &[Token], i: usize) -> Vec<String> {
    let mut path = vec![tokens[i].text.clone()];
    let mut j = i;
    while tokens.get(j + 1).is_some_and(|t| t.text == "::")
        && tokens.get(j + 2).is_some_and(|t| is_ident(&t.text))
    {
        path.push(tokens[j + 2].text.clone());
        j += 2;
    }
    path
}

/// What `use` declarations bring into the file.
#[derive(Default)]
struct Imports {
    /// Local name → full path.
    named: HashMap<String, Vec<String>>,
    /// Paths imported with `::*`.
    globs: Vec<Vec<String>>,
}

fn imports(tokens: &[Token]) -> Imports {
    let mut out = Imports::default();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].text == "use" {
            i += 1;
            use_tree(tokens, &mut i, Vec::new(), &mut out);
        }
        i += 1;
    }
    out
}

/// Parses one use tree at `*i`, with the path `prefix` before it.
fn use_tree(
    tokens: &[Token],
    i: &mut usize,
    prefix: Vec<String>,
    out: &mut Imports,
) {
    let mut path = prefix;
    if tokens.get(*i).is_some_and(|t| t.text == "::") {
        *i += 1;
    }
    while let Some(t) = tokens.get(*i) {
        match t.text.as_str() {
            "*" => {
                out.globs.push(path.clone());
                *i += 1;
                return;
            }
            "{" => {
                *i += 1;
                while let Some(t) = tokens.get(*i) {
                    match t.text.as_str() {
                        "}" => {
                            *i += 1;
                            return;
                        }
                        "," => *i += 1,
                        _ => use_tree(tokens, i, path.clone(), out),
                    }
                }
                return;
            }
            name if is_ident(name) => {
                *i += 1;
                if name == "self" {
                    if let Some(last) = path.last() {
                        out.named.insert(last.clone(), path.clone());
                    }
                    return;
                }
                path.push(name.to_string());
                match tokens.get(*i).map(|t| t.text.as_str()) {
                    Some("::") => *i += 1,
                    Some("as") => {
                        let alias = tokens.get(*i + 1).map(|t| t.text.clone());
                        *i += 2;
                        if let Some(alias) = alias.filter(|a| a != "_") {
                            out.named.insert(alias, path);
                        }
                        return;
                    }
                    _ => {
                        out.named.insert(name.to_string(), path);
                        return;
                    }
                }
            }
            _ => return,
        }
    }
}

/// Names the file defines itself: functions, types, constants, modules and
/// `let` bindings anywhere in it.
fn local_names(tokens: &[Token]) -> Vec<String> {
    let mut out = Vec::new();
    for (k, t) in tokens.iter().enumerate() {
        let defines = matches!(
            t.text.as_str(),
            "fn" | "struct" | "enum" | "type" | "const" | "static" | "mod" | "let"
        );
        if !defines {
            continue;
        }
        let mut j = k + 1;
        if tokens.get(j).is_some_and(|t| t.text == "mut") {
            j += 1;
        }
        if let Some(name) = tokens.get(j).filter(|t| is_ident(&t.text)) {
            out.push(name.text.clone());
        }
    }
    out
}

/// The token indices of the body of the first `fn name`, braces excluded.
fn body_of(tokens: &[Token], name: &str) -> Option<std::ops::Range<usize>> {
    let start = (0..tokens.len().saturating_sub(1))
        .find(|&k| tokens[k].text == "fn" && tokens[k + 1].text == name)?;
    let open = (start..tokens.len()).find(|&k| tokens[k].text == "{")?;
    let mut depth = 0usize;
    for (k, t) in tokens.iter().enumerate().skip(open) {
        match t.text.as_str() {
            "{" => depth += 1,
            "}" => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + 1..k);
                }
            }
            _ => {}
        }
    }
    None
}

fn is_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_alphabetic() || c == '_')
}

/// A token of Rust code and its line.
#[derive(Clone, Debug)]
struct Token {
    text: String,
    line: usize,
}

/// The code tokens of `text`: identifiers, `::`, and single punctuation
/// characters; comments, strings, characters, numbers and lifetimes dropped.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let at = |k: usize| chars.get(k).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if c == 'r'
            && (at(i + 1) == '"'
                || (at(i + 1) == '#' && (at(i + 2) == '"' || at(i + 2) == '#')))
        {
            // A raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1; // the opening quote
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (1..=hashes).all(|h| at(j + h) == '#') {
                    j += 1 + hashes;
                    break;
                }
                line += usize::from(chars[j] == '\n');
                j += 1;
            }
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                line += usize::from(at(i) == '\n');
                i += 1;
            }
            i += 1;
        } else if c == '\'' {
            // A character ('a', '\n') or a lifetime ('a).
            if at(i + 1) == '\\' {
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
            }
        } else if c.is_ascii_digit() {
            while at(i).is_alphanumeric()
                || at(i) == '_'
                || (at(i) == '.' && at(i + 1).is_ascii_digit())
            {
                i += 1;
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // b"…" and b'…' are byte strings and bytes, not identifiers.
            if word == "b" && (at(i) == '"' || at(i) == '\'') {
                continue;
            }
            out.push(Token { text: word, line });
        } else if c == ':' && at(i + 1) == ':' {
            out.push(Token {
                text: "::".to_string(),
                line,
            });
            i += 2;
        } else {
            out.push(Token {
                text: c.to_string(),
                line,
            });
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MSE: &str = r#"
//! Mean squared error.
use nalgebra::DMatrix;

/// The loss.
pub fn mse_loss(p: &DMatrix<f32>, y: &DMatrix<f32>) -> f32 {
    losses::mse(p, y).0
}

/// ∂L/∂ŷ; the library has losses::mse_derivative, in a comment.
pub fn mse_loss_derivative(p: &DMatrix<f32>, y: &DMatrix<f32>) -> DMatrix<f32> {
    let s = "losses::mse_derivative";
    (p - y) * (2.0 / p.len() as f32)
}
"#;

    #[test]
    fn finds_a_qualified_call_in_the_right_function_only() {
        let items = &["losses::mse", "losses::mse_derivative"];
        assert_eq!(
            find_in(MSE, "mse_loss", items),
            Some(Found {
                item: "losses::mse",
                line: 7
            })
        );
        // Comments and strings are not calls.
        assert_eq!(find_in(MSE, "mse_loss_derivative", items), None);
    }

    #[test]
    fn follows_imports_aliases_and_globs() {
        let items = &["losses::mse_derivative"];
        let aliased = "use losses::{mse, mse_derivative as d};\n\
                       fn mse_loss_derivative(p: &M, y: &M) -> M { d(p, y) }";
        assert_eq!(
            find_in(aliased, "mse_loss_derivative", items).map(|f| f.line),
            Some(2)
        );
        let glob = "use losses::*;\nfn mse_loss_derivative(p: &M, y: &M) -> M {\n    mse_derivative(p, y)\n}";
        assert!(find_in(glob, "mse_loss_derivative", items).is_some());
        let module = "use conv::reference;\nfn conv2d_forward() { reference::conv2d_forward(x, w, b, s) }";
        assert!(
            find_in(module, "conv2d_forward", &["conv::conv2d_forward"]).is_some()
        );
        // A crate path through `crate::` is the copy's own module, not the library.
        let own = "fn f() { crate::losses::mse_derivative(p, y) }";
        assert_eq!(find_in(own, "f", items), None);
    }

    #[test]
    fn legitimate_calls_stay_allowed() {
        // `sigmoid` in sigmoid_derivative: the file's own, or the library's,
        // is allowed when only sigmoid_derivative is listed.
        let sigmoid = "pub fn sigmoid(x: f32) -> f32 { 1.0 / (1.0 + (-x).exp()) }\n\
                       pub fn sigmoid_derivative(x: f32) -> f32 { let s = sigmoid(x); s * (1.0 - s) }";
        let items = &["activations::sigmoid_derivative"];
        assert_eq!(find_in(sigmoid, "sigmoid_derivative", items), None);
        let library = "pub fn sigmoid_derivative(x: f32) -> f32 { let s = activations::sigmoid(x); s * (1.0 - s) }";
        assert_eq!(find_in(library, "sigmoid_derivative", items), None);
        // …but the library's sigmoid is the answer to `sigmoid`.
        let answered = "pub fn sigmoid(x: f32) -> f32 { activations::sigmoid(x) }";
        assert!(find_in(answered, "sigmoid", &["activations::sigmoid"]).is_some());
        // predict is allowed in rosenblatt_update, update is not.
        let rosenblatt = "use perceptron::Perceptron;\n\
            pub fn rosenblatt_update(p: &mut Perceptron, x: &[f32], y: f32, lr: f32) -> bool {\n\
            let e = y - p.predict(x);\n p.update(x, y, lr)\n}";
        let items = &["Perceptron::update"];
        assert_eq!(
            find_in(rosenblatt, "rosenblatt_update", items).map(|f| f.line),
            Some(4)
        );
        let fine = rosenblatt.replace("p.update(x, y, lr)", "e != 0.0");
        assert_eq!(find_in(&fine, "rosenblatt_update", items), None);
        // A local binding of the same name is not the library's.
        let local = "fn f() { let mse = 1.0; mse }";
        assert_eq!(find_in(local, "f", &["losses::mse"]), None);
    }

    #[test]
    fn a_stub_finds_nothing() {
        let stub = "use sgd::{Adam, Moments};\n/// One step.\npub fn adam_step(theta: &mut [f32], adam: &Adam) {\n    // TODO: call nothing like adam.update(theta).\n    todo!()\n}";
        assert_eq!(
            find_in(stub, "adam_step", &["Adam::update", "sgd::Sgd"]),
            None
        );
    }
}
