#!/usr/bin/env python3
"""Checks that the book shows no exercise's answer before the student has tried.

Usage: python3 book/check_answers.py [BOOK_DIR] [--explain]

For every page BOOK_DIR/src/*.md and every {{#include path[:anchor]}} on it:

1. If the included lines overlap an item that BOOK_DIR/answers.txt maps to an
   exercise (a whole file, an anchor's lines, or a function), the include must
   sit inside a <details> block whose <summary> starts with "After you have
   tried", and that block must come after the page's "## Exercises" heading.
2. Otherwise the included code is compared with each exercise's solved body
   (the function in solutions/<crate>/<file>.rs): both are reduced to tokens
   (identifiers -> ID, numbers -> NUM, strings -> STR, keywords and operators
   kept, comments dropped), and if more than 60 % of the solution's distinct
   token 4-grams appear in the listing, the listing is an answer in substance
   and must be in such a block too. Solutions too short to tell apart from
   ordinary code (fewer than MIN_NGRAMS distinct 4-grams) are left to the map.

It also checks the map itself: every item it names must exist, and every
exercise stub in exercises/ (a `pub fn` whose body is `todo!()`) needs a line.
Prints one line per problem and exits 1 if there is any; --explain also
prints the similarity of every listing that comes close.
"""

import os
import re
import sys

THRESHOLD = 0.60  # share of a solution's 4-grams that makes a listing its answer
MIN_NGRAMS = 30  # below this (a body of a line or two) a solution is too generic to compare
N = 4

SUMMARY_PREFIX = "After you have tried"


# --------------------------------------------------------------------------
# Rust source: tokens, functions, anchors


KEYWORDS = set(
    """as async await break const continue crate dyn else enum extern false fn for
    if impl in let loop match mod move mut pub ref return self Self static struct
    super trait true type unsafe use where while""".split()
)

OPERATORS = sorted(
    """:: -> => == != <= >= && || += -= *= /= %= ^= &= |= <<= >>= << >> ..= ... ..""".split(),
    key=len,
    reverse=True,
)

TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<line_comment>//[^\n]*)
  | (?P<block_comment>/\*)
  | (?P<raw_string>b?r(?P<hashes>\#*)")
  | (?P<string>b?"(?:\\.|[^"\\])*")
  | (?P<char>b?'(?:\\.|[^'\\])')
  | (?P<lifetime>'[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?(?:_?[iuf]\d+|_?usize|_?isize)?
              |\d[\d_]*\.(?![.\w]))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>"""
    + "|".join(re.escape(o) for o in OPERATORS)
    + r"""|[^\s])
    """,
    re.VERBOSE,
)


def tokens(code):
    """Normalised tokens of Rust code."""
    out = []
    i = 0
    while i < len(code):
        m = TOKEN_RE.match(code, i)
        if m is None:  # cannot happen: the last alternative takes any character
            i += 1
            continue
        if m.group("raw_string"):
            end = code.find('"' + m.group("hashes"), m.end())
            i = len(code) if end < 0 else end + 1 + len(m.group("hashes"))
            out.append("STR")
            continue
        if m.group("block_comment"):
            depth, j = 1, m.end()
            while j < len(code) and depth:
                if code.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif code.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            i = j
            continue
        i = m.end()
        text = m.group(0)
        if m.group("ws") or m.group("line_comment"):
            continue
        if m.group("string"):
            out.append("STR")
        elif m.group("char"):
            out.append("CHR")
        elif m.group("lifetime"):
            out.append("LT")
        elif m.group("number"):
            out.append("NUM")
        elif m.group("ident"):
            out.append(text if text in KEYWORDS else "ID")
        else:
            out.append(text)
    return out


def ngrams(toks, n=N):
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def strip_strings_and_comments(line):
    """The line with string/char literals and comments blanked, for brace counting."""
    line = re.sub(r'"(?:\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(?:\\.|[^'\\])'", "''", line)
    return line.split("//", 1)[0]


def functions(lines, name):
    """Every `fn name` as (first line, last line, (line index, column) of its
    opening brace): lines 1-based and inclusive, from its doc comment and
    attributes to its closing brace."""
    found = []
    fn_re = re.compile(r"\bfn\s+" + re.escape(name) + r"\b")
    for k, line in enumerate(lines):
        if not fn_re.search(strip_strings_and_comments(line)):
            continue
        start = k
        while start > 0 and re.match(r"\s*(///|//|#\[|#!\[)", lines[start - 1]):
            start -= 1
        end = body = None
        depth = nesting = 0  # braces; parentheses and brackets
        for j in range(k, len(lines)):
            for col, ch in enumerate(strip_strings_and_comments(lines[j])):
                if ch in "([":
                    nesting += 1
                elif ch in ")]":
                    nesting -= 1
                elif ch == ";" and body is None and nesting == 0:
                    end = -1  # a declaration without a body
                    break
                if ch == "{":
                    depth += 1
                    body = body or (j, col)
                elif ch == "}":
                    depth -= 1
                    if depth == 0 and body is not None:
                        end = j
                        break
            if end is not None:
                break
        if end is not None and end >= 0:
            found.append((start + 1, end + 1, body))
    return found


def function_body(lines, name):
    """The code between the outer braces of the first `fn name`, or None."""
    fns = functions(lines, name)
    if not fns:
        return None
    _, end, (bj, bcol) = fns[0]
    text = "\n".join([lines[bj][bcol + 1 :]] + lines[bj + 1 : end])
    return text[: text.rfind("}")]


def anchors(lines):
    """{anchor: (first, last)} line ranges (1-based, inclusive) of the lines
    between ANCHOR: name and ANCHOR_END: name."""
    opened, ranges = {}, {}
    for k, line in enumerate(lines, start=1):
        m = re.search(r"ANCHOR:\s*([\w-]+)", line)
        if m:
            opened[m.group(1)] = k
            continue
        m = re.search(r"ANCHOR_END:\s*([\w-]+)", line)
        if m and m.group(1) in opened:
            ranges[m.group(1)] = (opened.pop(m.group(1)) + 1, k - 1)
    return ranges


_cache = {}


def read_lines(path):
    if path not in _cache:
        try:
            with open(path, encoding="utf-8") as f:
                _cache[path] = f.read().split("\n")
        except OSError:
            _cache[path] = None
    return _cache[path]


# --------------------------------------------------------------------------
# Includes and map items as (file, set of line ranges)


def include_region(path, spec):
    """The lines an include takes: whole file, an anchor, or mdBook's line
    ranges (:a, :a:, ::b, :a:b). Returns a list of (first, last) or None."""
    lines = read_lines(path)
    if lines is None:
        return None
    n = len(lines)
    if spec is None:
        return [(1, n)]
    m = re.fullmatch(r"(\d*)(?::(\d*))?", spec)
    if m and spec:
        a, b = m.group(1), m.group(2)
        if b is None:  # :a is the single line a
            first = last = int(a)
        else:
            first = int(a) if a else 1
            last = int(b) if b else n
        return [(first, min(last, n))]
    region = anchors(lines).get(spec)
    return None if region is None else [region]


def region_code(path, region):
    lines = read_lines(path)
    picked = []
    for first, last in region:
        picked += lines[first - 1 : last]
    return "\n".join(l for l in picked if not re.search(r"ANCHOR(_END)?:", l))


def map_item_region(path, anchor, fn):
    lines = read_lines(path)
    if lines is None:
        return None
    if anchor is not None:
        region = anchors(lines).get(anchor)
        return None if region is None else [region]
    if fn is not None:
        fns = functions(lines, fn)
        return [(a, b) for a, b, _ in fns] or None
    return [(1, len(lines))]


def overlaps(r1, r2):
    return any(a1 <= b2 and a2 <= b1 for a1, b1 in r1 for a2, b2 in r2)


# --------------------------------------------------------------------------
# Pages


FENCE_RE = re.compile(r"^\s*(```|~~~)")
# mdBook leaves an include escaped with a backslash, \{{#include …}}, as text.
INCLUDE_RE = re.compile(r"(?<!\\)\{\{#(?:include|rustdoc_include)\s+([^}\s]+)\s*\}\}")


def page_structure(text):
    """Line of the first "## Exercises" heading (outside code), the <details>
    blocks as (open line, close line, summary text), and the includes as
    (line, spec)."""
    lines = text.split("\n")
    in_fence = False
    exercises_line = None
    stack, blocks, includes = [], [], []
    for k, line in enumerate(lines, start=1):
        for m in INCLUDE_RE.finditer(line):
            includes.append((k, m.group(1)))
        if FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if exercises_line is None and re.match(r"^##\s+Exercises\b", line):
            exercises_line = k
        for m in re.finditer(r"<details\b[^>]*>|</details\s*>", line):
            if m.group(0).startswith("</"):
                if stack:
                    open_line, summary = stack.pop()
                    blocks.append((open_line, k, summary))
            else:
                rest = "\n".join([line[m.end() :]] + lines[k : k + 5])
                s = re.search(r"<summary\b[^>]*>(.*?)</summary>", rest, re.S)
                summary = re.sub(r"<[^>]+>", "", s.group(1)).strip() if s else ""
                stack.append((k, summary))
    for open_line, summary in stack:  # never closed: runs to the end
        blocks.append((open_line, len(lines) + 1, summary))
    return exercises_line, blocks, includes


def in_after_block(line, exercises_line, blocks):
    return exercises_line is not None and any(
        o < line < c and o > exercises_line and s.startswith(SUMMARY_PREFIX)
        for o, c, s in blocks
    )


def names(exercises):
    if len(exercises) == 1:
        return exercises[0]
    return ", ".join(exercises[:-1]) + " and " + exercises[-1]


# --------------------------------------------------------------------------
# The map and the exercises


def read_map(book, problems):
    """[(exercise, file, region, item text)] from answers.txt."""
    src = os.path.join(book, "src")
    entries, seen = [], set()
    path = os.path.join(book, "answers.txt")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        problems.append(f"book: {path} is missing; the answer check needs it")
        return entries, seen
    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"([A-Za-z_]\w*)\s*:\s*(.*)", line)
        if not m or not m.group(2).split():
            problems.append(f"book: answers.txt line {n} is not `exercise: item …`")
            continue
        exercise = m.group(1)
        seen.add(exercise)
        for item in m.group(2).split():
            im = re.fullmatch(r"([^:#]+)(?::([\w-]+)|#(\w+))?", item)
            if not im:
                problems.append(f"book: answers.txt line {n}: cannot read {item}")
                continue
            file = os.path.normpath(os.path.join(src, im.group(1)))
            region = map_item_region(file, im.group(2), im.group(3))
            if region is None:
                problems.append(
                    f"book: answers.txt maps {exercise} to {item}, which does not exist"
                )
                continue
            entries.append((exercise, file, region, item))
    return entries, seen


def stub_exercises(root):
    """[(name, crate, file name)] of every `pub fn` in exercises/<crate>/ whose
    body is still todo!()."""
    found = []
    base = os.path.join(root, "exercises")
    for crate in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        folder = os.path.join(base, crate)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".rs"):
                continue
            lines = read_lines(os.path.join(folder, name))
            for line in lines:
                m = re.match(r"\s*pub fn\s+(\w+)", line)
                if m:
                    body = function_body(lines, m.group(1)) or ""
                    if "todo!()" in body:
                        found.append((m.group(1), crate, name))
    return found


def solution_ngrams(root, stubs):
    """{exercise: (distinct 4-grams of its solved body, where)}."""
    out = {}
    for name, crate, file in stubs:
        rel = os.path.join("solutions", crate, file)
        lines = read_lines(os.path.join(root, rel))
        body = function_body(lines, name) if lines else None
        if body:
            grams = ngrams(tokens(body))
            if len(grams) >= MIN_NGRAMS:
                out[name] = (grams, f"{rel}#{name}")
    return out


# --------------------------------------------------------------------------


def main(argv):
    explain = "--explain" in argv
    args = [a for a in argv if a != "--explain"]
    book = os.path.abspath(args[0] if args else os.path.dirname(__file__))
    root = os.path.dirname(book)
    src = os.path.join(book, "src")
    problems = []

    entries, mapped = read_map(book, problems)
    stubs = stub_exercises(root)
    for name, crate, file in stubs:
        if name not in mapped:
            problems.append(
                f"book: answers.txt has no line for the exercise {name} "
                f"(exercises/{crate}/{file})"
            )
    solved = solution_ngrams(root, stubs)

    for page in sorted(os.listdir(src)):
        if not page.endswith(".md"):
            continue
        with open(os.path.join(src, page), encoding="utf-8") as f:
            exercises_line, blocks, includes = page_structure(f.read())
        for line, spec in includes:
            if in_after_block(line, exercises_line, blocks):
                continue
            rel, _, anchor = spec.partition(":")
            path = os.path.normpath(os.path.join(src, rel))
            region = include_region(path, anchor or None)
            if region is None:
                continue  # check.sh reports includes that do not resolve
            answers = []
            for exercise, file, item_region, _ in entries:
                if file == path and overlaps(region, item_region):
                    if exercise not in answers:
                        answers.append(exercise)
            if not answers and path.endswith(".rs"):
                listing = ngrams(tokens(region_code(path, region)))
                for exercise, (grams, where) in solved.items():
                    share = len(grams & listing) / len(grams)
                    if explain and share > THRESHOLD / 2:
                        print(
                            f"  {page}:{line} {spec}: {share:.0%} of the 4-grams "
                            f"of {where} ({len(grams)})"
                        )
                    if share > THRESHOLD:
                        answers.append(exercise)
            if answers:
                problems.append(
                    f"book: {page}:{line} shows {spec}, the answer to "
                    f"{names(answers)}, outside an \"{SUMMARY_PREFIX}\" block "
                    f"after its exercises"
                )

    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
