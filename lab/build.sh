#!/usr/bin/env bash
# Builds the book's lab, then the book, so that `mdbook serve book` (or any static
# server on book/book) serves the three lab pages:
#
#   bash lab/build.sh        the lab, then both editions of the book
#   bash lab/build.sh lab    the lab only (into book/src/lab/pkg/)
#
# The lab is the `lab` crate compiled to wasm32-unknown-unknown (profile `wasm`:
# opt-level "s", LTO) and bound to JavaScript by wasm-bindgen, plus TinyVGG's
# weights trained by the `cnn` binary with its defaults and the first 100
# embedded Fashion-MNIST test images with the logits the native build gives them
# (the CNN page's self-test compares its own with these). Everything it writes
# under book/src/lab/pkg/ is a build output (gitignored). Installs what is
# missing: the wasm32 target, and wasm-bindgen-cli at the exact version of the
# `wasm-bindgen` crate in Cargo.lock. Fails if the lab's WebAssembly exceeds
# 2 MB. `python3 lab/selftest.py` then runs every page's self-test in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
target=wasm32-unknown-unknown
pkg=book/src/lab/pkg
work=target/lab
limit=2000000

step "lab: tools (the $target target, wasm-bindgen-cli)"
if ! rustup target list --installed | grep -qx "$target"; then
  rustup target add "$target"
fi
version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)"
[[ -n "$version" ]] || { echo "lab: no wasm-bindgen in Cargo.lock"; exit 1; }
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $version"; then
  # --locked wants every crate of the CLI's own lock file; when the registry no
  # longer has one of them, take the newest compatible ones instead.
  cargo install wasm-bindgen-cli --version "$version" --locked \
    || cargo install wasm-bindgen-cli --version "$version"
fi

step "lab: the crate, for $target"
cargo build -p lab --lib --target "$target" --profile wasm
rm -rf "$pkg"
mkdir -p "$pkg"
wasm-bindgen --target no-modules --no-typescript --out-name lab --out-dir "$pkg" \
  "target/$target/wasm/lab.wasm"

step "lab: TinyVGG trained by the cnn binary, and its test images"
cargo run --release -q -p solutions --bin cnn -- --out "$work/cnn"
cargo run --release -q -p lab --bin lab-export -- "$work/cnn/tinyvgg.safetensors" "$pkg"

step "lab: sizes"
total=0
for f in "$pkg"/*; do
  size=$(stat -c %s "$f")
  printf '%10d  %s\n' "$size" "$f"
  [[ "$f" == *.wasm ]] && total=$((total + size))
done
if ((total > limit)); then
  echo "lab: the WebAssembly is $total bytes, over the limit of $limit"
  exit 1
fi
echo "lab: $total bytes of WebAssembly (limit $limit)"

if [[ "${1:-}" != lab ]]; then
  step "the book, in English and in Spanish"
  bash book/i18n.sh build
fi
