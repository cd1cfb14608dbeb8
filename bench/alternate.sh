#!/bin/bash
# SPDX-License-Identifier: MIT
# bench/alternate.sh [--rounds N] [--cached-loop | --dir DIR] [--cold] [BIN...]
#
# A against C alone, alternated: each round runs `apply` (enforcing, bench
# case A) with every BIN (default: build/ignition-selinux) and then the
# replica C, each on a fresh demo root (tests/lib/mkroot.sh old-rel, flushed
# before the timed run), and prints the wall time of each run and the
# medians and quartiles per variant. No D or F-s runs in between, unlike
# run.sh: what C pays after two 186 MB semodule runs does not enter here.
# Comparing two builds: pass both as BIN (old/ignition-selinux new/...).
#
# The roots live on a fresh journaled ext4 image, preallocated and behind a
# direct-I/O loop device as in run.sh (--cached-loop: sparse, caching loop;
# --dir DIR: directly in DIR). --cold drops the page cache before each timed
# run, as on a first boot that reads /usr from disk. Needs root.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
rounds=16
mode=dio
dir=
cold=0
bins=()
while [ $# -gt 0 ]; do
        case $1 in
        --rounds) rounds=${2:?}; shift 2 ;;
        --cached-loop) mode=cached; shift ;;
        --dir) mode=dir; dir=${2:?}; shift 2 ;;
        --cold) cold=1; shift ;;
        -h | --help) sed -n '3p' "$0" | sed 's/^# //' >&2; exit 2 ;;
        -*) echo "alternate.sh: unknown option $1" >&2; exit 2 ;;
        *) bins+=("$(realpath "$1")"); shift ;;
        esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "alternate.sh: --rounds wants a positive number" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "alternate.sh: needs root" >&2; exit 1; }
if [ ${#bins[@]} -eq 0 ]; then
        make -C "$top" --no-print-directory -s build/ignition-selinux >&2
        bins=("$top/build/ignition-selinux")
fi

W=$(mktemp -d "${BENCH_DIR:-/var/tmp}/ignition-selinux-alt.XXXXXX")
loopdev=
cleanup() {
        mountpoint -q "$W/mnt" 2>/dev/null && umount "$W/mnt"
        [ -z "$loopdev" ] || losetup -d "$loopdev"
        rm -rf "$W"
}
trap cleanup EXIT
R=$W/mnt
mkdir "$R"
# About 60 MB of roots per run stay until the end.
gib=$(( (rounds * (${#bins[@]} + 1) * 60 + 1023) / 1024 + 2 ))
case $mode in
dio)
        fallocate -l "${gib}G" "$W/ext4.img"
        mkfs.ext4 -q -F -E nodiscard "$W/ext4.img"
        loopdev=$(losetup --direct-io=on -f --show "$W/ext4.img")
        mount "$loopdev" "$R" ;;
cached)
        truncate -s "${gib}G" "$W/ext4.img"
        mkfs.ext4 -q -F "$W/ext4.img"
        mount -o loop "$W/ext4.img" "$R" ;;
dir)
        rmdir "$R"; R=$(mktemp -d "$dir/ignition-selinux-alt.XXXXXX")
        trap 'cleanup; rm -rf "$R"' EXIT ;;
esac
echo 'console=ttyS0 root=/dev/vda' >"$W/cmdline"

# One timed run of variant $1 (an index into bins, or C) in round $2.
run() {
        local v=$1 r=$R/r-$1-$2 t0 t1
        bash "$top/tests/lib/mkroot.sh" old-rel "$r"
        echo '{"selinux":{"mode":"enforcing"}}' >"$r/etc/selinux/ignition.json"
        sync -f "$r"
        [ "$cold" = 1 ] && echo 3 >/proc/sys/vm/drop_caches
        t0=$EPOCHREALTIME
        if [ "$v" = C ]; then
                bash "$top/bench/replica.sh" plain "$r"
        else
                "${bins[$v]}" apply -q --root "$r" --no-load --cmdline "$W/cmdline" \
                        --source-root /nonexistent
        fi
        t1=$EPOCHREALTIME
        printf '%s %.1f\n' "$v" "$(bc <<<"($t1 - $t0) * 1000")" >>"$W/times"
}

for ((i = 0; i < rounds; i++)); do
        for ((b = 0; b < ${#bins[@]}; b++)); do run "$b" "$i"; done
        run C "$i"
done

echo "A against C alone, alternated: $rounds rounds, image: $mode$([ "$cold" = 1 ] && echo ', page cache dropped before each run')"
for v in $(seq 0 $((${#bins[@]} - 1))) C; do
        name=$([ "$v" = C ] && echo "C (replica)" || echo "A: ${bins[$v]}")
        grep "^$v " "$W/times" | cut -d' ' -f2 | sort -n |
                awk -v n="$name" '{a[NR] = $1} END {
                        printf "%-60s median %7.1f ms  q1 %7.1f  q3 %7.1f  min %7.1f\n",
                                n, a[int((NR + 1) / 2)], a[int((NR + 3) / 4)], a[int((3 * NR + 3) / 4)], a[1] }'
done
