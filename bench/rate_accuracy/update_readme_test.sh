#!/usr/bin/env bash
# update_readme.py: fills the marker block from a results.md, keeps the rest
# of the README, and refuses (README untouched) without markers or tables.
set -euo pipefail
tool="$(dirname "${BASH_SOURCE[0]}")/update_readme.py"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >"$dir/results.md" <<'MD'
# Results
| vs | PSNR |
|---|---|
| jpeg | +1.0 % |

text between

| codec | encode ms |
|---|---|
| vlmc | 5.0 |
MD
cat >"$dir/README.md" <<'MD'
before
<!-- rate_accuracy tables: bench/rate_accuracy.sh rewrites this block from results.md -->
stale table
<!-- rate_accuracy tables: end -->
after
MD
python3 "$tool" "$dir/results.md" "$dir/README.md"
grep -q '^| jpeg | +1.0 % |$' "$dir/README.md" || fail "BD-rate table not copied"
grep -q '^| vlmc | 5.0 |$' "$dir/README.md" || fail "speed table not copied"
grep -q 'stale table' "$dir/README.md" && fail "old block content kept"
[ "$(head -n1 "$dir/README.md")" = before ] && [ "$(tail -n1 "$dir/README.md")" = after ] ||
  fail "text outside the block changed"
# Running it again gives the same file.
cp "$dir/README.md" "$dir/once.md"
python3 "$tool" "$dir/results.md" "$dir/README.md"
cmp -s "$dir/README.md" "$dir/once.md" || fail "a second run changed the README"

printf 'no markers\n' >"$dir/plain.md"
if python3 "$tool" "$dir/results.md" "$dir/plain.md" 2>/dev/null; then fail "accepted a README without markers"; fi
[ "$(cat "$dir/plain.md")" = "no markers" ] || fail "a README without markers was modified"
printf 'no tables\n' >"$dir/empty.md"
if python3 "$tool" "$dir/empty.md" "$dir/once.md" 2>/dev/null; then fail "accepted a results.md without tables"; fi
echo "ok"
