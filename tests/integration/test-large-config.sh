#!/bin/bash
# A large selinux block costs time in proportion to its size: `validate` of
# a block with 4N booleans, permissive domains and modules takes at most 6
# times the CPU time of one with N (a check per entry that scanned the text
# from the start took 16 times as long; 4,000 booleans took 2 s, 40,000 took
# 130). Also the Ignition config carrying the 4N block as a base64 data: URL,
# and a raw config whose other keys hold a million values, which json-c
# alone would have taken gigabytes for. Not a timed test: the figure for the
# full size is in docs/performance.md (bench/large-config.sh).
. "$(dirname "$0")/../lib/common.sh"

gen() { bash "$TOP/bench/large-config.sh" gen "$@"; }

# cpu FILE: the least user+system CPU seconds of 3 runs of validate
cpu() {
        local best= t
        for _ in 1 2 3; do
                set +e
                /usr/bin/time -o "$TMP/time" -f '%U %S' "$BIN" validate "$1" >"$TMP/out" 2>/dev/null
                set -e
                t=$(tail -n1 "$TMP/time")
                grep -q ': valid$' "$TMP/out" || fail "validate $1 did not say valid"
                t=$(awk '{printf "%.3f", $1 + $2}' <<<"$t")
                if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN {exit !(a < b)}'; then best=$t; fi
        done
        echo "$best"
}

n=10000
gen "$n" "$n" $((n / 10)) >"$TMP/n.json"
gen $((4 * n)) $((4 * n)) $((4 * n / 10)) >"$TMP/4n.json"
t1=$(cpu "$TMP/n.json")
t4=$(cpu "$TMP/4n.json")
note "N=$n: ${t1}s CPU; 4N: ${t4}s CPU"
# a floor of 0.05 s for N, so that timer resolution cannot fail the ratio
awk -v a="$t4" -v b="$t1" 'BEGIN {if (b < 0.05) b = 0.05; exit !(a <= 6 * b)}' ||
        fail "4N entries took ${t4}s, more than 6 times N's ${t1}s"

note "the same block as a base64 data: URL in an Ignition config"
{
        printf '{"ignition": {"version": "3.4.0"}, "storage": {"files": [{"path": "/etc/selinux/ignition.json", "contents": {"source": "data:;base64,'
        base64 -w0 "$TMP/4n.json"
        printf '"}}]}}\n'
} >"$TMP/4n.ign"
t=$(cpu "$TMP/4n.ign")
awk -v a="$t" -v b="$t1" 'BEGIN {if (b < 0.05) b = 0.05; exit !(a <= 8 * b)}' ||
        fail "the config took ${t}s against N's ${t1}s"

note "a raw config of a million values outside the block: read, not parsed into values"
awk 'BEGIN {printf "{\"ignition\": {\"version\": \"3.4.0\"}, \"x\": ["; for (i = 0; i < 1000000; i++) printf "%s{}", (i ? "," : ""); printf "], \"selinux\": {\"mode\": \"enforcing\"}}\n"}' >"$TMP/many.ign"
set +e
/usr/bin/time -o "$TMP/time" -f '%M' "$BIN" validate "$TMP/many.ign" >"$TMP/out" 2>"$TMP/err"
set -e
grep -q ': valid$' "$TMP/out" || fail "many.ign: $(cat "$TMP/err")"
rss=$(tail -n1 "$TMP/time")
[ "$rss" -lt 100000 ] || fail "a 3 MB config took ${rss} kB"
note "3 MB of {} took ${rss} kB"

note "a block of a million {} is refused before json-c sees it"
awk 'BEGIN {printf "{\"selinux\": {\"x\": ["; for (i = 0; i < 1000000; i++) printf "%s{}", (i ? "," : ""); printf "]}}\n"}' >"$TMP/many.json"
set +e
/usr/bin/time -o "$TMP/time" -f '%M' "$BIN" validate "$TMP/many.json" >"$TMP/out" 2>"$TMP/err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "many.json: exit $rc"
assert_contains "$(cat "$TMP/err")" 'many.json:1:13: $.selinux: expected at most 1000000 values, 100000 of them objects or arrays, got 1000002 values, 1000002 objects or arrays' "many.json"
rss=$(tail -n1 "$TMP/time")
[ "$rss" -lt 100000 ] || fail "refusing a 3 MB block took ${rss} kB"
echo ok
