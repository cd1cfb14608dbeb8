#!/bin/bash
# SPDX-License-Identifier: MIT
# Proof that dropping dontaudit rules from the compiled policy (what
# src/selinux/dontaudit.c does, through tests/tools/policy-tool) gives the policy
# `semodule -DB` builds from the unchanged store, and that `semodule -B`
# gets back the original. Run on a `plain` fake root (semodule -p follows
# <root>/var/lib/selinux/<type> and writes <root>/etc/selinux/<type>, which
# the symlinked Flatcar layouts would resolve outside the root).
#
# Checks, in order:
#   1. dontaudit counts of the original: policy-tool == seinfo, and > 0
#   2. policy-tool strip -> 0 dontaudit (policy-tool and seinfo)
#   3. semodule -DB      -> 0 dontaudit; flag file written
#   4. semodule -B restores them; flag file removed
#   5. sediff --stats: stripped vs semodule -DB: no differences
#   6. control: sediff --stats --dontaudit sees the rules we removed
#   7. sediff --stats: original vs semodule -B: no differences
#   8. the host's /etc/selinux and /var/lib/selinux are untouched
# Exit 0 pass, 1 fail, 77 skip. BUILD (default build) locates policy-tool.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
tool=$BUILD/tests/tools/policy-tool
lib=$top/tests/lib

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
check() { echo "check: $*"; }
ok() { echo "  ok: $*"; }

for c in semodule sediff seinfo setfiles setfattr getfattr; do
        command -v "$c" >/dev/null || skip "$c is not installed"
done
[ "$(id -u)" -eq 0 ] || skip "needs root (mkroot.sh)"
[ -f /etc/selinux/default/policy/policy.33 ] || skip "no host policy (selinux-policy-default)"
[ -d /var/lib/selinux/default ] || skip "no host module store"
[ -x "$tool" ] || fail "$tool not built (make $tool)"

tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/dontaudit-equiv.XXXXXX")
pids=()
# shellcheck disable=SC2317 # called by the trap
cleanup() {
        local p
        for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
        wait 2>/dev/null
        rm -rf "$tmp"
}
trap cleanup EXIT

# "Dontaudit:" and "Dontauditxperm:" from seinfo's statistics, summed:
# policy-tool counts both kinds.
seinfo_dontaudit() {
        seinfo "$1" | awk '
                { for (i = 1; i < NF; i++)
                        if ($i == "Dontaudit:" || $i == "Dontauditxperm:") n += $(i + 1) }
                END { print n + 0 }'
}

# Elapsed seconds of a command, with its output kept in $tmp/<name>.log.
timed() {
        local name=$1 t0 t1
        shift
        t0=$(date +%s.%N)
        "$@" >"$tmp/$name.log" 2>&1
        local rc=$?
        t1=$(date +%s.%N)
        elapsed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
        return $rc
}

# sediff exits 0 whatever it finds; with --stats it prints one
# "<Section> (A Added, R Removed, M Modified)" line per section that
# differs and nothing when the policies are the same. Passes if no line
# carries a non-zero number.
sediff_same() {
        local out=$1
        [ -s "$out.rc" ] && [ "$(cat "$out.rc")" = 0 ] || return 1
        ! grep -Eq '[1-9][0-9]* (Added|Removed|Modified)' "$out"
}
show() {
        if [ -s "$1" ]; then sed 's/^/    | /' "$1"; else echo "    | (no output)"; fi
}
# Runs sediff in the background into $tmp/<name>.txt (+ .rc).
sediff_bg() {
        local name=$1
        shift
        (sediff --stats "$@" >"$tmp/$name.txt" 2>&1; echo $? >"$tmp/$name.txt.rc") &
        pids+=($!)
}

root=$tmp/root
"$lib/mkroot.sh" plain "$root" || fail "mkroot.sh plain"
pol=$root/etc/selinux/mcs/policy/policy.33
store=$root/var/lib/selinux/mcs
cp "$pol" "$tmp/orig.33"

"$lib/snapshot.sh" /etc/selinux >"$tmp/host-etc.before" || fail "snapshot"
"$lib/snapshot.sh" /var/lib/selinux >"$tmp/host-var.before" || fail "snapshot"

check "1. dontaudit rules in the original policy (policy-tool vs seinfo)"
orig_n=$("$tool" count "$tmp/orig.33") || fail "policy-tool count original"
orig_s=$(seinfo_dontaudit "$tmp/orig.33")
[ "$orig_n" -gt 0 ] || fail "original has no dontaudit rules ($orig_n)"
[ "$orig_n" = "$orig_s" ] || fail "policy-tool counts $orig_n, seinfo $orig_s"
ok "$orig_n dontaudit rules (seinfo: $orig_s)"

check "2. policy-tool strip removes them all"
timed strip "$tool" strip "$tmp/orig.33" "$tmp/ours.33" || { show "$tmp/strip.log"; fail "policy-tool strip"; }
strip_time=$elapsed
n=$("$tool" count "$tmp/ours.33") || fail "policy-tool count stripped"
s=$(seinfo_dontaudit "$tmp/ours.33")
if [ "$n" != 0 ] || [ "$s" != 0 ]; then
        fail "stripped policy still has dontaudit (policy-tool $n, seinfo $s)"
fi
ok "0 left (seinfo: 0), ${strip_time}s, $(stat -c %s "$tmp/orig.33") -> $(stat -c %s "$tmp/ours.33") bytes"

# Control in the background: sediff must see what we removed, or its
# silence below would prove nothing.
sediff_bg control --dontaudit "$tmp/orig.33" "$tmp/ours.33"

check "3. semodule -p ROOT -s mcs -n -DB"
timed semodule-DB semodule -p "$root" -s mcs -n -DB || { show "$tmp/semodule-DB.log"; fail "semodule -DB"; }
db_time=$elapsed
[ -s "$tmp/semodule-DB.log" ] && show "$tmp/semodule-DB.log"
cp "$pol" "$tmp/semodule-DB.33"
[ -e "$store/active/disable_dontaudit" ] || fail "semodule -DB left no disable_dontaudit flag"
s=$(seinfo_dontaudit "$tmp/semodule-DB.33")
n=$("$tool" count "$tmp/semodule-DB.33") || fail "policy-tool count semodule -DB output"
if [ "$n" != 0 ] || [ "$s" != 0 ]; then
        fail "semodule -DB output has dontaudit (policy-tool $n, seinfo $s)"
fi
ok "0 left (seinfo: 0), ${db_time}s, $(stat -c %s "$tmp/semodule-DB.33") bytes; flag file present"
if cmp -s "$tmp/ours.33" "$tmp/semodule-DB.33"; then
        ok "byte-identical to ours"
else
        ok "not byte-identical to ours (avtab hash order differs); comparing semantically"
fi
sediff_bg equiv "$tmp/ours.33" "$tmp/semodule-DB.33"

check "4. semodule -p ROOT -s mcs -n -B restores the dontaudit rules"
timed semodule-B semodule -p "$root" -s mcs -n -B || { show "$tmp/semodule-B.log"; fail "semodule -B"; }
b_time=$elapsed
cp "$pol" "$tmp/semodule-B.33"
[ ! -e "$store/active/disable_dontaudit" ] || fail "semodule -B kept the disable_dontaudit flag"
n=$("$tool" count "$tmp/semodule-B.33") || fail "policy-tool count semodule -B output"
[ "$n" = "$orig_n" ] || fail "semodule -B output has $n dontaudit rules, original $orig_n"
ok "$n dontaudit rules again, ${b_time}s; flag file removed"
sediff_bg restore "$tmp/orig.33" "$tmp/semodule-B.33"

echo "  (waiting for sediff; it takes tens of seconds per pair)"
wait
pids=()

check "5. sediff --stats ours.33 semodule-DB.33: no differences"
show "$tmp/equiv.txt"
sediff_same "$tmp/equiv.txt" || fail "sediff found differences between our strip and semodule -DB"
ok "no differences"

check "6. control: sediff --stats --dontaudit orig.33 ours.33 sees the removal"
show "$tmp/control.txt"
grep -Eq '^Dontaudit Rules \(0 Added, [1-9][0-9]* Removed, 0 Modified\)' "$tmp/control.txt" ||
        fail "sediff did not report the removed dontaudit rules"
ok "sediff reports them"

check "7. sediff --stats orig.33 semodule-B.33: no differences"
show "$tmp/restore.txt"
sediff_same "$tmp/restore.txt" || fail "sediff found differences between the original and semodule -B"
ok "no differences"

check "8. the host's /etc/selinux and /var/lib/selinux are untouched"
"$lib/snapshot.sh" /etc/selinux | diff "$tmp/host-etc.before" - >/dev/null || fail "/etc/selinux changed"
"$lib/snapshot.sh" /var/lib/selinux | diff "$tmp/host-var.before" - >/dev/null || fail "/var/lib/selinux changed"
ok "unchanged"

echo "PASS: strip ${strip_time}s vs semodule -DB ${db_time}s; same policy"
exit 0
