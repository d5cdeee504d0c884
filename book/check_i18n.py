#!/usr/bin/env python3
"""Keeps the Spanish edition in step with the English one.

    check_i18n.py po MERGED.po        every message translated, none fuzzy, and
                                      each translation keeps its source's figures,
                                      code, math, links and slide references
    check_i18n.py html EN_DIR ES_DIR  the built editions have the same pages,
                                      headings, figures, code listings and
                                      formulas, and every link inside them lands

MERGED.po is po/es.po merged with a template freshly extracted from the English
pages (book/i18n.sh does both), so an English paragraph that changed since it
was translated shows up here as untranslated or fuzzy: a translation is never
older than its source, and no paragraph falls back to English unnoticed.
"""
import html
import os
import re
import sys
from html.parser import HTMLParser

# ---------------------------------------------------------------- PO files


def unquote(s):
    """The value of one C-quoted PO string."""
    out, i = [], 0
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            out.append(escapes.get(s[i + 1], "\\" + s[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read_po(path):
    """The entries of a PO file: dicts with msgid, msgstr, refs, flags, obsolete."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for line in lines:
        if not line.strip():
            finish()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"refs": [], "flags": set(), "obsolete": False}
        obsolete = line.startswith("#~")
        if obsolete:
            entry["obsolete"] = True
            line = line[2:].lstrip()
        if line.startswith("#:"):
            entry["refs"] += line[2:].split()
        elif line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            pass
        elif line.startswith("msgctxt "):
            field = "msgctxt"
            entry[field] = unquote(line[8:].strip()[1:-1])
        elif line.startswith("msgid "):
            field = "msgid"
            entry[field] = unquote(line[6:].strip()[1:-1])
        elif line.startswith("msgstr "):
            field = "msgstr"
            entry[field] = unquote(line[7:].strip()[1:-1])
        elif line.startswith('"') and field:
            entry[field] += unquote(line.strip()[1:-1])
    finish()
    return entries


# What a translation must keep from its source. Fragments of links to headings
# differ (the headings are translated), so links are compared by file.
# Formulas reach the catalogue as code spans (`$x$`, see math_guard.py).
MATH = re.compile(r"`(\$\$.+?\$\$|\$[^$]+?\$)`", re.S)
CODE = re.compile(r"`[^`]+`")
TEXT_IN_MATH = re.compile(r"\\text\{[^}]*\}")


def keeps(text):
    math = [TEXT_IN_MATH.sub(r"\\text{}", m) for m in MATH.findall(text)]
    no_math = CODE.sub("", MATH.sub("", text))
    return {
        "figures": sorted(re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text)),
        "includes": sorted(re.findall(r"\{\{#\w+ [^}]+\}\}", text)),
        "inline code": sorted(CODE.findall(MATH.sub("", text))),
        "math": sorted(math),
        "links to": sorted(
            t.split("#")[0] for t in re.findall(r"\]\(([^)\s]+)", no_math) if not t.startswith("#")
        ),
        "slide references": sorted(re.findall(r"\[\d+(?:[–-]\d+)?\]", no_math)),
        "html tags": [t.lower() for t in re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", no_math)],
    }


def check_po(path):
    problems = []
    entries = [e for e in read_po(path) if e["msgid"] and not e["obsolete"]]
    untranslated = [e for e in entries if not e["msgstr"]]
    fuzzy = [e for e in entries if "fuzzy" in e["flags"] and e["msgstr"]]
    for label, group, what in (
        ("untranslated", untranslated, "new or changed in English and not yet in Spanish"),
        ("fuzzy", fuzzy, "changed in English since it was translated"),
    ):
        if group:
            problems.append(f"{len(group)} {label} messages ({what}):")
            for e in group[:8]:
                where = e["refs"][0] if e["refs"] else "?"
                problems.append(f"  {where}: {e['msgid'][:90]!r}")
            if len(group) > 8:
                problems.append(f"  … and {len(group) - 8} more")
    for e in entries:
        if not e["msgstr"] or "fuzzy" in e["flags"]:
            continue
        source, target = keeps(e["msgid"]), keeps(e["msgstr"])
        for key in source:
            if source[key] != target[key]:
                where = e["refs"][0] if e["refs"] else "?"
                problems.append(
                    f"{where}: the Spanish {key} differ from the English "
                    f"({source[key][:4]} vs {target[key][:4]}): {e['msgid'][:70]!r}"
                )
    return len(entries), problems


# ---------------------------------------------------------------- built HTML


class Page(HTMLParser):
    """What a built page holds, counted inside its <main>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth_main = 0
        self.headings, self.figures, self.listings, self.formulas = [], [], 0, 0
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "main":
            self.depth_main += 1
        if not self.depth_main:
            return
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(tag)
        elif tag == "img":
            self.figures.append(a.get("src", ""))
        elif tag == "pre":
            self.listings += 1
        elif tag == "span" and "katex" in (a.get("class") or "").split():
            self.formulas += 1
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth_main -= 1


def pages(root, skip=()):
    found = {}
    for dirpath, dirnames, files in os.walk(root):
        dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) not in skip]
        for name in files:
            if name.endswith(".html") and name not in ("print.html", "toc.html", "404.html"):
                path = os.path.join(dirpath, name)
                parser = Page()
                with open(path, encoding="utf-8") as f:
                    parser.feed(f.read())
                found[os.path.relpath(path, root)] = parser
    return found


def check_links(label, root, found):
    problems = []
    for rel, page in sorted(found.items()):
        for href in page.links:
            if re.match(r"^[a-z]+:", href) or href.startswith("//"):
                continue
            target, _, fragment = href.partition("#")
            fragment = html.unescape(fragment)
            if target:
                dest = os.path.normpath(os.path.join(os.path.dirname(rel), target))
            else:
                dest = rel
            if dest.endswith("/") or not os.path.splitext(dest)[1]:
                continue
            if not os.path.exists(os.path.join(root, dest)):
                problems.append(f"{label} {rel}: links to {href}, which does not exist")
            elif fragment and dest in found and fragment not in found[dest].ids:
                problems.append(f"{label} {rel}: links to {href}, which has no id {fragment!r}")
    return problems


def check_html(en_root, es_root):
    en = pages(en_root, skip={os.path.normpath(es_root)})
    es = pages(es_root)
    problems = []
    for rel in sorted(set(en) | set(es)):
        if rel not in es:
            problems.append(f"{rel}: in the English book, not in the Spanish one")
            continue
        if rel not in en:
            problems.append(f"{rel}: in the Spanish book, not in the English one")
            continue
        a, b = en[rel], es[rel]
        for what, x, y in (
            ("headings", a.headings, b.headings),
            ("figures", a.figures, b.figures),
            ("code listings", a.listings, b.listings),
            ("formulas", a.formulas, b.formulas),
        ):
            if x != y:
                show = (lambda v: v if isinstance(v, int) else f"{len(v)}: {v[:6]}")
                problems.append(f"{rel}: {what} differ, English {show(x)}, Spanish {show(y)}")
    problems += check_links("en", en_root, en)
    problems += check_links("es", es_root, es)
    return len(en), problems


def main(argv):
    if len(argv) == 3 and argv[1] == "po":
        n, problems = check_po(argv[2])
        ok = f"Spanish edition: all {n} messages translated and current"
    elif len(argv) == 4 and argv[1] == "html":
        n, problems = check_html(argv[2], argv[3])
        ok = f"Spanish edition: {n} pages match the English ones, every link lands"
    else:
        print(__doc__)
        return 2
    for p in problems:
        print("book (es):", p)
    if problems:
        print("book (es): run `bash book/i18n.sh update`, translate what it lists in "
              "book/po/es.po (a PO editor such as Poedit, or any text editor), and rebuild")
        return 1
    print(ok)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
