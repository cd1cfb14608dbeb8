#!/bin/bash
# SPDX-License-Identifier: MIT
# bench/denials-memory.sh [--size MB] [--bin PATH] [--dir DIR] [--keep]
#
# Peak memory (RSS) and time of `ignition-selinux denials` on two generated inputs of SIZE MB
# (default 256):
#   log   an audit.log: AVC records of 64 groups (8 source types, 8 target types), each
#         event with its own serial and a SYSCALL record after it, as auditd writes them
#   line  the same records glued into a single line, with no line feed
# and on `log` with each output (table, --json, --raw, --cil). Prints one line per run:
# input, options, peak RSS (MB, /usr/bin/time's %M), CPU time (user + system, s), wall time (s),
# exit status. On a busy machine, compare memory and CPU time: wall time stretches with the load.
# The inputs are written under --dir (default $BENCH_DIR or /var/tmp) and removed at the end
# unless --keep. --bin picks the program (default build/ignition-selinux, built if missing).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
size=256 bin= dir=${BENCH_DIR:-/var/tmp} keep=0
while [ $# -gt 0 ]; do
        case $1 in
        --size) size=$2; shift 2 ;;
        --bin) bin=$2; shift 2 ;;
        --dir) dir=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n '3,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
        esac
done
if [ -z "$bin" ]; then
        make -C "$top" -s build/ignition-selinux
        bin=$top/build/ignition-selinux
fi
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 1; }

work=$(mktemp -d "$dir/denials-memory.XXXXXX")
[ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT

# gen N_BYTES SEP: records until N_BYTES are written, each followed by SEP ("\n" or "").
gen() {
        awk -v limit="$1" -v sep="$2" 'BEGIN {
                n = 0; t = 1700000000
                while (n < limit) {
                        s = int(rand() * 8); g = int(rand() * 8); serial++
                        a = sprintf("type=AVC msg=audit(%d.%03d:%d): avc:  denied  { read write } for  pid=%d comm=\"worker%d\" name=\"f%d\" dev=\"vda9\" ino=%d scontext=system_u:system_r:src%d_t:s0:c1,c2 tcontext=system_u:object_r:tgt%d_t:s0 tclass=file permissive=1%s",
                                t + serial / 1000, serial % 1000, serial, 1000 + serial % 30000, s, serial, serial, s, g, sep)
                        b = sprintf("type=SYSCALL msg=audit(%d.%03d:%d): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffd6b9c0e10 a2=241 a3=1b6 items=1 ppid=1 pid=%d auid=4294967295 uid=0 gid=0 comm=\"worker%d\" exe=\"/usr/bin/worker\" subj=system_u:system_r:src%d_t:s0:c1,c2 key=(null)%s",
                                t + serial / 1000, serial % 1000, serial, 1000 + serial % 30000, s, s, sep)
                        printf "%s%s", a, b
                        n += length(a) + length(b)
                }
        }'
}
bytes=$((size * 1024 * 1024))
gen "$bytes" "\n" >"$work/log"
gen "$bytes" "" >"$work/line"

echo "# $("$bin" --version), $(du -m "$work/log" | cut -f1) MB log ($(grep -c 'avc:' "$work/log") denials), $(du -m "$work/line" | cut -f1) MB single line"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-5s %-10s %10s %8s %8s %5s\n' input options peak_MB cpu_s wall_s exit
run() {
        local input=$1; shift
        local rc=0
        /usr/bin/time -f '%M %U %S %e' -o "$work/time" "$bin" denials "$@" "$work/$input" >/dev/null 2>"$work/err" || rc=$?
        # time writes "Command exited with non-zero status N" before its line
        read -r kb user sys secs < <(tail -n1 "$work/time")
        printf '%-5s %-10s %10.1f %8.2f %8s %5s\n' "$input" "${*:-(table)}" "$(echo "$kb / 1024" | bc -l)" \
                "$(echo "$user + $sys" | bc -l)" "$secs" "$rc"
}
run log
run log --json
run log --raw
run log --cil
run line
