#!/usr/bin/env bash
# Times two brief binaries on the same inputs, alternating, in one run: the brief itself (cold
# and warm) and the inputs that once hung, crashed or were quadratic. Each run is capped at
# LIMIT seconds (default 30) and reported as "> LIMIT s" when killed.
#   tests/bench/hostile_inputs.sh OLD_BINARY NEW_BINARY [RUNS]
set -euo pipefail
old=$(realpath "$1") new=$(realpath "$2") runs=${3:-5} limit=${LIMIT:-30}
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

brief_copy() { rm -rf "$work/$1"; mkdir -p "$work/$1"; cp -r "$repo/content" "$repo/data" "$work/$1/"; }
tiny_copy() { rm -rf "$work/$1"; cp -r "$repo/tests/fixtures/tiny" "$work/$1"; }

# One timed run: prints "SECONDS EXIT", or "killed 124" past LIMIT.
timed() {
  local dir=$1; shift
  rm -rf "$dir/public" "$dir/.public.building" "$dir/.public.old"
  local start end code
  start=$(date +%s.%N)
  set +e
  (cd "$dir" && timeout "$limit" "$@" >/dev/null 2>&1)
  code=$?
  set -e
  end=$(date +%s.%N)
  if [ $code -eq 124 ]; then echo "killed 124"; else printf '%.3f %d\n' "$(echo "$end - $start" | bc)" $code; fi
}

# "median 1.234 s, exit 0", or "killed after LIMIT s" when any run was.
summary() {
  if grep -q '^killed' <<<"$1"; then echo "killed after $limit s"; return; fi
  local median code
  median=$(awk '{print $1}' <<<"$1" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  code=$(awk '{print $2}' <<<"$1" | sort -u | tr '\n' ' ')
  echo "median $median s, exit $code"
}

compare() { # name dir args...: both binaries on one folder
  local name=$1 dir=$2; shift 2
  compare_in "$name" "$dir" "$dir" "$@"
}

compare_in() { # name old_dir new_dir args...: each binary on a folder of its own (its cache)
  local name=$1 old_dir=$2 new_dir=$3; shift 3
  local o="" n=""
  for _ in $(seq "$runs"); do
    o+="$(timed "$old_dir" "$old" "$@")"$'\n'
    n+="$(timed "$new_dir" "$new" "$@")"$'\n'
  done
  printf '%-52s old: %-28s new: %s\n' "$name" "$(summary "${o%$'\n'}")" "$(summary "${n%$'\n'}")"
}

brief_copy brief
compare "the brief, cold (--no-cache)" "$work/brief" build . --no-cache
# Warm: each binary's own citation cache, in a copy of its own (their caches differ).
brief_copy brief-old
brief_copy brief-new
(cd "$work/brief-old" && "$old" build . >/dev/null 2>&1 || true)
(cd "$work/brief-new" && "$new" build . >/dev/null 2>&1 || true)
compare_in "the brief, warm (citations cached)" "$work/brief-old" "$work/brief-new" build .

tiny_copy many
python3 - "$work/many" <<'PY'
import sys
p = " ".join(["word [@agency2024] and @institute2025 [p. 4] says"] * 5000)
open(sys.argv[1] + "/content/03-many.md", "w").write("---\ntitle: Many\norder: 3\n---\n\n" + p + "\n")
PY
compare "10,000 citations in one paragraph (--no-cache)" "$work/many" build . --no-cache

for case in chart-value-too-large yaml-deep-brackets markdown-deep-quotes bib-string-bomb bib-string-cycle template-includes-itself csl-deep-elements; do
  tiny_copy "$case"
  cp -r "$repo/tests/fixtures/bad/$case/." "$work/$case/"
  rm -f "$work/$case/expect.txt"
  runs=1 compare "bad input: $case" "$work/$case" build .
done
