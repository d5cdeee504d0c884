#!/usr/bin/env bash
# Checks the book: every {{#include file:anchor}} names a file and an anchor that
# exist (before the build), and the built pages load nothing from the network
# (after it), and that the Spanish edition keeps up with the English one.
# Usage: book/check.sh [built-book-dir]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
status=0

# 1. Includes point at real files and anchors.
while IFS= read -r line; do
  md="${line%%:*}"
  spec="$(sed -E 's/.*\{\{#include ([^}]+)\}\}.*/\1/' <<<"${line#*:}")"
  file="${spec%%:*}"
  anchor=""
  [[ "$spec" == *:* ]] && anchor="${spec#*:}"
  path="$(dirname "$md")/$file"
  if [[ ! -f "$path" ]]; then
    echo "book: $md includes $file, which does not exist"; status=1; continue
  fi
  if [[ -n "$anchor" && ! "$anchor" =~ ^[0-9:]+$ ]] && ! grep -q "ANCHOR: $anchor\$" "$path"; then
    echo "book: $md includes $file:$anchor, but $file has no ANCHOR: $anchor"; status=1
  fi
done < <(grep -rn --include='*.md' -o '{{#include [^}]*}}' "$here/src" | sed -E 's/^([^:]+):[0-9]+:/\1:/')

# 2. The built pages load nothing from the network.
out="${1:-$here/book}"
if [[ -d "$out" ]]; then
  remote='(<(script|img|iframe|source|audio|video)[^>]* src="(https?:)?//)|(<link[^>]* href="(https?:)?//)'
  if grep -rEn --include='*.html' "$remote" "$out" | head -5 | grep .; then
    echo "book: the pages above load something from the network"; status=1
  fi
  if grep -rEn --include='*.css' 'url\((["'"'"'])?(https?:)?//|@import' "$out" | head -5 | grep .; then
    echo "book: a stylesheet loads something from the network"; status=1
  fi
  if grep -rln --include='*.html' '{{#include' "$out" | head -5 | grep .; then
    echo "book: an include was left unexpanded"; status=1
  fi
  if ! grep -rqs 'class="katex"' "$out"; then
    echo "book: no math was rendered (is mdbook-katex installed?)"; status=1
  fi
  while IFS= read -r img; do
    page="${img%%:*}"; src="${img#*:}"
    [[ -f "$(dirname "$page")/$src" ]] || { echo "book: $page shows $src, which is missing"; status=1; }
  done < <(grep -rEo --include='*.html' '<img src="[^"]+"' "$out" | sed -E 's/<img src="([^"]+)"/\1/')
else
  echo "book: $out is not built; run mdbook build book first"; status=1
fi
# 3. No listing gives an exercise's answer away before the exercise.
python3 "$here/check_answers.py" "$here" || status=1
# 4. Every chapter links the glossary terms it introduces.
python3 "$here/check_glossary.py" "$here" || status=1
# 5. The Spanish edition is complete, current, and page for page the English one.
if [[ -d "$out/es" ]]; then
  bash "$here/i18n.sh" check || status=1
else
  echo "book: $out/es is not built; run bash book/i18n.sh build"; status=1
fi
[[ $status == 0 ]] && echo "book: includes resolve, pages are offline, both editions match"
exit $status
