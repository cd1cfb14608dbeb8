#!/bin/bash
# SPDX-License-Identifier: MIT
# How long `ignition-selinux validate` takes on a large selinux block
# (docs/performance.md, "Large configs").
#
#   bench/large-config.sh [BOOLEANS [PERMISSIVE [MODULES [RUNS]]]]
#
# Writes a block file with BOOLEANS booleans (default 100000), PERMISSIVE
# permissiveDomains (100000) and MODULES modules (10000, each one line of
# CIL), and the Ignition config that carries it in a storage.files data: URL
# (base64, as Butane writes a long one); runs `validate` on each RUNS times
# (3) and prints the sizes and the best wall time, user and system CPU and
# peak memory of each. `gen` as the first argument only writes the block file
# to standard output (tests/integration/test-large-config.sh uses it).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
BIN=${BIN:-$top/$BUILD/ignition-selinux}

# gen BOOLEANS PERMISSIVE MODULES: the block file on standard output
gen() {
        awk -v nb="$1" -v np="$2" -v nm="$3" 'BEGIN {
                printf "{\"selinux\": {\n \"mode\": \"enforcing\",\n \"booleans\": {"
                for (i = 0; i < nb; i++)
                        printf "%s\n  \"bool_%07d\": %s", (i ? "," : ""), i, (i % 2 ? "true" : "false")
                printf "\n },\n \"permissiveDomains\": ["
                for (i = 0; i < np; i++)
                        printf "%s\n  \"dom_%07d_t\"", (i ? "," : ""), i
                printf "\n ],\n \"modules\": ["
                for (i = 0; i < nm; i++)
                        printf "%s\n  {\"name\": \"mod%06d\", \"cil\": \"(allow dom_%07d_t self (process (fork)))\"}", (i ? "," : ""), i, i
                printf "\n ]\n}}\n"
        }'
}

if [ "${1:-}" = gen ]; then
        gen "$2" "$3" "$4"
        exit 0
fi
nb=${1:-100000} np=${2:-100000} nm=${3:-10000} runs=${4:-3}
[ -x "$BIN" ] || { echo "build first: make" >&2; exit 1; }
rus=$top/$BUILD/bench/rusage
if [ ! -x "$rus" ] || [ "$top/bench/rusage.c" -nt "$rus" ]; then
        mkdir -p "$(dirname "$rus")"
        cc -O2 -Wall -Wextra -Werror -o "$rus" "$top/bench/rusage.c"
fi
tmp=$(mktemp -d /var/tmp/ignition-selinux-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

gen "$nb" "$np" "$nm" >"$tmp/block.json"
{
        printf '{"ignition": {"version": "3.4.0"}, "storage": {"files": [{"path": "/etc/selinux/ignition.json", "mode": 420, "contents": {"source": "data:;base64,'
        base64 -w0 "$tmp/block.json"
        printf '"}}]}}\n'
} >"$tmp/config.ign"

echo "$nb booleans, $np permissive domains, $nm modules; best of $runs runs"
printf '%-32s %10s %8s %8s %8s %10s\n' input bytes wall_s user_s sys_s maxrss_kb
for f in block.json config.ign; do
        : >"$tmp/times"
        for ((i = 0; i < runs; i++)); do
                "$rus" "$tmp/times" "$BIN" validate "$tmp/$f" >/dev/null 2>"$tmp/err" ||
                        { cat "$tmp/err" >&2; echo "validate $f failed" >&2; exit 1; }
        done
        best=$(sort -n "$tmp/times" | head -n1)
        read -r wall user sys rss _ <<<"$best"
        printf '%-32s %10d %8.2f %8.2f %8.2f %10d\n' "$f" "$(stat -c %s "$tmp/$f")" "$wall" "$user" "$sys" "$rss"
done
