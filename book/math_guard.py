#!/usr/bin/env python3
"""An mdBook preprocessor that keeps formulas intact through translation.

The gettext tools (mdbook-xgettext, mdbook-gettext) parse each page as Markdown
and write it back, and Markdown knows nothing of $…$: `W^*` or `x_i … x_j`
would come back as emphasis. So before them, `protect` wraps every formula in
a code span (`$W^*$`), which Markdown leaves alone and translators see as a
formula to copy; after them, `restore` unwraps it, and mdbook-katex renders it.
The English build runs both steps too, so both editions render the same TeX.

Usage (by mdbook, see book.toml): math_guard.py protect|restore [supports R]
"""
import json
import re
import sys

FENCE = re.compile(r"^\s*(```|~~~)")
# A code span, a display formula, or an inline formula, whichever comes first.
TOKEN = re.compile(
    r"(?P<code>(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<display>(?<!\\)\$\$.+?(?<!\\)\$\$)"
    r"|(?P<inline>(?<![\\$])\$(?![\s$])(?:[^$\n]|\n(?!\s*\n))+?(?<![\s\\])\$(?!\$))",
    re.S,
)
GUARDED = re.compile(r"`(\$\$.+?\$\$|\$[^$]+?\$)`", re.S)


def outside_fences(text, transform):
    """Applies `transform` to the text between fenced code blocks."""
    out, chunk, fence = [], [], None
    for line in text.split("\n"):
        m = FENCE.match(line)
        if fence is None and m:
            out.append(transform("\n".join(chunk)))
            chunk, fence = [line], m.group(1)
        elif fence is not None:
            chunk.append(line)
            if line.strip().startswith(fence) and len(chunk) > 1:
                out.append("\n".join(chunk))
                chunk, fence = [], None
        else:
            chunk.append(line)
    out.append(("\n".join(chunk)) if fence is not None else transform("\n".join(chunk)))
    return "\n".join(out)


def protect(text):
    def wrap(m):
        if m.group("code"):
            return m.group(0)
        # A newline stays (a code span may cross lines; Markdown reads it as a
        # space, and so does KaTeX), so line numbers stay those of the page.
        return "`" + m.group(0) + "`"

    return outside_fences(text, lambda t: TOKEN.sub(wrap, t))


def restore(text):
    return outside_fences(text, lambda t: GUARDED.sub(lambda m: m.group(1), t))


def walk(items, transform):
    for item in items:
        chapter = item.get("Chapter") if isinstance(item, dict) else None
        if chapter:
            chapter["content"] = transform(chapter["content"])
            walk(chapter.get("sub_items", []), transform)


def main(argv):
    if len(argv) > 2 and argv[2] == "supports":
        return 0
    transform = {"protect": protect, "restore": restore}[argv[1]]
    _context, book = json.load(sys.stdin)
    walk(book.get("items", book.get("sections", [])), transform)
    json.dump(book, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
