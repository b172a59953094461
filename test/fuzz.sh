#!/usr/bin/env bash
# Runs every Go fuzz target in the module briefly ($1: a -fuzztime, default 50000x executions) so
# `make test` exercises them.
set -euo pipefail
fuzztime=${1:-50000x}
cd "$(dirname "$0")/.."
found=0
while IFS= read -r file; do
  pkg="./$(dirname "$file")"
  for target in $(grep -oE '^func (Fuzz[A-Za-z0-9_]+)' "$file" | awk '{print $2}'); do
    found=1
    echo "fuzz $pkg $target ($fuzztime)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"
  done
done < <(grep -rlE '^func Fuzz' --include='*_test.go' internal cmd 2>/dev/null || true)
[ "$found" = 1 ] || echo "no fuzz targets"
