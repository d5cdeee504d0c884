#!/usr/bin/env bash
# The book in two languages. The English pages (src/) are the source; the Spanish
# edition is po/es.po, a gettext catalogue of their paragraphs, headings and list
# items (mdbook-i18n-helpers, the workflow Comprehensive Rust uses).
#
#   bash book/i18n.sh tools    installs what the book needs, skipping what is there:
#                              mdbook 0.5.4, mdbook-katex 0.10.0,
#                              mdbook-i18n-helpers 0.4.0, GNU gettext
#   bash book/i18n.sh build    both editions: English in book/book/, Spanish in
#                              book/book/es/ (open book/book/es/index.html)
#   bash book/i18n.sh serve    the Spanish edition at http://localhost:3000, rebuilt on edits
#   bash book/i18n.sh check    extracts the English text afresh, merges it into a
#                              copy of po/es.po and fails on anything untranslated,
#                              changed since its translation, or missing a figure,
#                              formula, code span or link of its source; then
#                              compares the two built editions page by page
#   bash book/i18n.sh update   the same merge written into po/es.po, for a
#                              translator: new text comes in empty, changed text
#                              comes in marked fuzzy
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

tools() {
  install() { # crate version binary
    if ! command -v "$3" >/dev/null 2>&1 || ! "$3" --version 2>/dev/null | grep -q "$2"; then
      cargo install "$1" --version "$2" --locked
    fi
  }
  install mdbook 0.5.4 mdbook
  install mdbook-katex 0.10.0 mdbook-katex
  # mdbook-gettext has no --version; its crate's version is what matters.
  if ! command -v mdbook-gettext >/dev/null 2>&1 || ! command -v mdbook-xgettext >/dev/null 2>&1 \
    || ! cargo install --list | grep -q '^mdbook-i18n-helpers v0.4.0:'; then
    cargo install mdbook-i18n-helpers --version 0.4.0 --locked
  fi
  if ! command -v msgmerge >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
      apt-get update -qq && apt-get install -y -qq gettext
    else
      echo "book (es): GNU gettext (msgmerge) is missing: install the 'gettext' package"; return 1
    fi
  fi
}

template() { # extracts the English text into $1/messages.pot
  # Only the gettext renderer runs, on the pages as written: includes stay
  # unexpanded (listings are single-source) and math stays TeX.
  MDBOOK_OUTPUT='{"xgettext": {}}' MDBOOK_BUILD__USE_DEFAULT_PREPROCESSORS=false \
    mdbook build -d "$1" >/dev/null 2>"$1.log" || { cat "$1.log"; return 1; }
  [[ -s "$1/messages.pot" ]] || { echo "book (es): mdbook-xgettext wrote no template"; return 1; }
}

merge() { # merges a fresh template into po/es.po, written to $1
  local tmp
  tmp="$(mktemp -d)"
  template "$tmp/pot"
  msgmerge --quiet --no-wrap --previous --output-file="$tmp/merged.po" po/es.po "$tmp/pot/messages.pot"
  msgattrib --no-obsolete --no-wrap --output-file="$1" "$tmp/merged.po"
  rm -rf "$tmp"
}

case "${1:-}" in
  tools)
    tools
    ;;
  build)
    tools
    mdbook build
    MDBOOK_BOOK__LANGUAGE=es mdbook build -d book/es
    ;;
  serve)
    tools
    MDBOOK_BOOK__LANGUAGE=es mdbook serve -d book/es
    ;;
  check)
    tools
    merged="$(mktemp)"
    trap 'rm -f "$merged"' EXIT
    merge "$merged"
    status=0
    python3 check_i18n.py po "$merged" || status=1
    python3 check_i18n.py html book book/es || status=1
    exit $status
    ;;
  update)
    tools
    merged="$(mktemp)"
    merge "$merged"
    mv "$merged" po/es.po
    msgfmt --statistics --check-format -o /dev/null po/es.po
    ;;
  *)
    sed -n '2,/^set -e/p' "$here/i18n.sh" | grep '^#' | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
