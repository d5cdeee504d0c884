#!/usr/bin/env bash
# The book in two languages. The English pages (src/) are the source; the Spanish
# edition is po/es.po, a gettext catalogue of their paragraphs, headings and list
# items (mdbook-i18n-helpers, the workflow Comprehensive Rust uses).
#
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
  build)
    mdbook build
    MDBOOK_BOOK__LANGUAGE=es mdbook build -d book/es
    ;;
  serve)
    MDBOOK_BOOK__LANGUAGE=es mdbook serve -d book/es
    ;;
  check)
    merged="$(mktemp)"
    trap 'rm -f "$merged"' EXIT
    merge "$merged"
    status=0
    python3 check_i18n.py po "$merged" || status=1
    python3 check_i18n.py html book book/es || status=1
    exit $status
    ;;
  update)
    merged="$(mktemp)"
    merge "$merged"
    mv "$merged" po/es.po
    msgfmt --statistics --check-format -o /dev/null po/es.po
    ;;
  *)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
