#!/usr/bin/env python3
"""The glossary is two-way and every chapter links the terms it introduces.

Each row of the glossary's "Español → English" tables carries an anchor
(<span id="g-…">) and names the chapter that introduces the term; that chapter
must link to the anchor (its closing "Glossary terms in this chapter" line).
Usage: check_glossary.py BOOK_DIR
"""
import os
import re
import sys


def main(book):
    src = os.path.join(book, "src")
    text = open(os.path.join(src, "glossary.md"), encoding="utf-8").read()
    spanish_first = text.split("## English → español")[0]
    problems, terms = [], 0
    for row in re.findall(r"^\| .*$", spanish_first, re.M):
        cells = [c.strip() for c in row.strip("|").split("|")]
        if cells[0] in ("español",) or set(cells[0]) <= set("- "):
            continue
        terms += 1
        anchor = re.search(r'<span id="([^"]+)"></span>', cells[0])
        chapter = re.search(r"\]\(([^)#]+)\)", cells[2]) if len(cells) > 2 else None
        if not anchor or not chapter:
            problems.append(f"glossary row without an anchor or a chapter: {row[:80]}")
            continue
        page = open(os.path.join(src, chapter.group(1)), encoding="utf-8").read()
        if f"glossary.md#{anchor.group(1)})" not in page:
            problems.append(
                f"{chapter.group(1)} introduces {cells[0]} but does not link glossary.md#{anchor.group(1)}"
            )
    if "## English → español" not in text:
        problems.append("the glossary has no English → español half")
    if terms < 60:
        problems.append(f"the glossary has {terms} terms; the course needs at least 60")
    for p in problems:
        print("book (glossary):", p)
    if not problems:
        print(f"glossary: {terms} terms, each linked from the chapter that introduces it")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))))
