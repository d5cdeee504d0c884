//! Every `// TODO:` line in `exercises/` leads to Rust that compiles: each
//! function, method or path it names (`Tensor::from_fn(…)`, `.zip_map(…)`,
//! `Mode::Eval`) is one the solved copy of the same file calls, outside its
//! comments, and the solved copies compile. A TODO that sends a student to an
//! API that does not exist, or to one the solution does without, fails here.

use std::path::Path;

/// The names a TODO line points at: identifiers followed by `(`, and paths with `::`.
fn named(todo: &str) -> Vec<String> {
    let mut names = Vec::new();
    let chars: Vec<char> = todo.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_alphabetic() || chars[i] == '_' {
            let start = i;
            while i < chars.len() && (is_ident(chars[i]) || chars[i] == ':') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let word = word.trim_end_matches(':').to_string();
            let call = chars.get(i) == Some(&'(');
            let lowercase =
                word.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
            if word.contains("::") || (call && lowercase) {
                names.push(word);
            }
        } else {
            i += 1;
        }
    }
    names
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `code` uses `name` as a whole token (`p` is not found in `map`).
fn uses(code: &str, name: &str) -> bool {
    code.match_indices(name).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + name.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// `source` without its `//` comments.
fn code(source: &str) -> String {
    source
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each name of each TODO line in `stub` that `solved` never uses in code.
fn absent(stub: &str, solved: &str) -> Vec<String> {
    let solved = code(solved);
    stub.lines()
        .filter_map(|line| line.split_once("// TODO:").map(|(_, todo)| todo))
        .flat_map(named)
        .filter(|name| !uses(&solved, name))
        .collect()
}

#[test]
fn every_todo_names_what_the_solved_copy_calls() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut checked = 0;
    let mut problems = Vec::new();
    for section in std::fs::read_dir(root.join("exercises")).unwrap() {
        let section = section.unwrap().path();
        if !section.is_dir() || section.ends_with("bin") {
            continue;
        }
        for file in std::fs::read_dir(&section).unwrap() {
            let stub_path = file.unwrap().path();
            let stub = std::fs::read_to_string(&stub_path).unwrap();
            if !stub.contains("// TODO:") {
                continue;
            }
            let relative = stub_path.strip_prefix(root.join("exercises")).unwrap();
            let solved_path = root.join("solutions").join(relative);
            let solved = std::fs::read_to_string(&solved_path).unwrap_or_else(|e| {
                panic!(
                    "{} has no solved copy at {}: {e}",
                    stub_path.display(),
                    solved_path.display()
                )
            });
            checked += stub.matches("// TODO:").count();
            for name in absent(&stub, &solved) {
                problems.push(format!(
                    "{}: its TODO names `{name}`, which {} never calls",
                    stub_path.display(),
                    solved_path.display()
                ));
            }
        }
    }
    assert!(checked >= 30, "only {checked} TODO lines found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_todo_naming_what_the_solution_does_not_call_is_caught() {
    let stub =
        "    // TODO: let t = x.tanh(); return t.powi(2) or Tensor::from_fn(…).\n";
    let solved =
        "let t = x.tanh();\n// t.powi(2) in a comment does not count\nt * t\n";
    assert_eq!(absent(stub, solved), ["powi", "Tensor::from_fn"]);
    assert_eq!(
        absent(stub, "x.tanh().powi(2); Tensor::from_fn(s, f)"),
        Vec::<String>::new()
    );
    // A name inside a longer one is not a use of it.
    assert_eq!(absent("// TODO: p(1 − p)", "let q = map(p_1);"), ["p"]);
}

#[test]
fn names_are_calls_and_paths_not_prose() {
    assert_eq!(
        named(" for (t, g) in theta.iter_mut().zip(grad): *t -= lr times g, Mode::Eval."),
        ["iter_mut", "zip", "Mode::Eval"]
    );
}
