#!/usr/bin/env bash
# Every dependency a section's tests share with the hands-on must be built with
# the same features in both, or a student's first `cargo test -p <section>`
# after `cargo run -p solutions --bin hands-on` compiles it (and all above it)
# again. Compares `cargo tree`'s feature sets; builds nothing.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

features() { # package, edge kinds
  cargo tree -q -p "$1" -e "$2" -f '{p}|{f}' --prefix none |
    sed 's/ (\*)$//; s/ (proc-macro)//' | sort -u
}

demos=$(features solutions normal,build)
status=0
for section in perceptron mlp activations losses backprop sgd conv cnn; do
  differ=$(join -t'|' <(echo "$demos") <(features "$section" normal,build,dev) |
    awk -F'|' '$2 != $3 { printf "  %s: the hands-on builds it with [%s], the tests with [%s]\n", $1, $2, $3 }')
  if [[ -n $differ ]]; then
    echo "cargo test -p $section would build again what the hands-on built:"
    echo "$differ"
    status=1
  fi
done
((status == 0)) && echo "same features: every section's tests reuse the hands-on's dependencies"
(exit $status)
