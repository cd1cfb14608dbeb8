#!/bin/bash
# SPDX-License-Identifier: MIT
# bench/run.sh [--reps N] [--markdown FILE] [--dir DIR] [--host-fs | --cached-loop] [--keep]
#
# Wall time and peak memory of `ignition-selinux apply` against a shell
# replica of Flatcar's manual steps, on the demo target root
# (tests/lib/mkroot.sh old-rel: Debian's selinux-policy-default as type mcs,
# etc/selinux/{config,mcs} and var/lib/selinux relative links into usr).
#
# Cases (each on a fresh copy of the root, made and flushed outside the
# timed region):
#   A   apply, {"selinux":{"mode":"enforcing"}}
#   B   apply, {"selinux":{"mode":"enforcing","auditDenials":true}}
#   C   replica of the manual steps without audit (bench/replica.sh plain)
#   C+s C, then sync -f: the same copies made durable (A flushes too)
#   C+  C, then setfiles on the two copies and sync -f: what A does on top
#   D   replica with audit: C, rm the two audit rule files, semodule -n -DB
#   W   A on a root where Ignition's files stage wrote a config of ~300 files,
#       20 units and 5 users, labelling nothing (as Flatcar's): apply labels
#       what Ignition wrote too; W - A is that cost
#   E-A a second apply on a root A already applied (expected: no writes)
#   E-B the same for B
#   F-s the rebuild alone: semodule -p R -s mcs -n -DB (after C's copies)
#   F-o the rebuild alone, ours: policy-tool strip policy.33 (src/selinux/dontaudit.c)
#   U   undo: apply {"auditDenials":false} on B's result
#   U-s undo, the replica's way: semodule -p R -s mcs -n -B on D's result
# Every repetition runs every case once (interleaved, order rotated); one
# untimed warm-up round first also checks the results (labels, dontaudit
# count, no writes on a second run). Page cache is left warm on purpose: the
# policy files are read from cache in every case.
#
# Prints the machine, one table of medians (min-max) with replica/ours ratios,
# and the time of each step of A and B (from the arrival of apply's
# per-step log lines). --markdown FILE writes the same as markdown.
# The roots live on a fresh journaled ext4 image (1 GiB per repetition and 3
# more, at least 4) under --dir (default $BENCH_DIR or /var/tmp): the
# filesystem Flatcar's root has, the same on every host, and removed in a
# second at the end. The image behaves as a disk does: its blocks are
# allocated up front and the loop device does direct I/O, so what is flushed
# is written once, not first copied into a second page cache (the image
# file's) that no disk has. --cached-loop uses a sparse image on a caching
# loop device instead (every flushed byte
# costs a second copy in RAM, which only the flushing cases pay). --host-fs
# puts the roots directly under --dir (measures that filesystem; removing
# ~100,000 files at the end can take minutes on a slow or discard-mounted one).
# Roots are removed only at the end, not between runs.
# Needs root (mkroot.sh does: ownership and security.* xattrs).
set -euo pipefail
[ -n "${BENCH_TRACE:-}" ] && { PS4='+ $EPOCHREALTIME '; set -x; }

top=$(cd "$(dirname "$0")/.." && pwd)
reps=5
markdown=
keep=0
loop=1
base=${BENCH_DIR:-/var/tmp}

usage() {
        sed -n '3p' "$0" | sed 's/^# //' >&2
        exit 2
}
while [ $# -gt 0 ]; do
        case $1 in
        --reps) reps=${2:?}; shift 2 ;;
        --markdown) markdown=${2:?}; shift 2 ;;
        --dir) base=${2:?}; shift 2 ;;
        --keep) keep=1; shift ;;
        --host-fs) loop=0; shift ;;
        --cached-loop) loop=2; shift ;;
        -h | --help) usage ;;
        *) usage ;;
        esac
done
[[ $reps =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --reps wants a positive number" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "run.sh: needs root (mkroot.sh sets owners and security.* xattrs)" >&2; exit 1; }
for t in semodule setfiles cc make sync; do
        command -v $t >/dev/null || { echo "run.sh: needs $t (contrib/install-deps.sh)" >&2; exit 1; }
done

# --- build (quiet when up to date) -----------------------------------------
BUILD=${BUILD:-build}
make -C "$top" --no-print-directory -s BUILD="$BUILD" "$BUILD/ignition-selinux" "$BUILD/tests/tools/policy-tool" >&2
bin=$top/$BUILD/ignition-selinux
ptool=$top/$BUILD/tests/tools/policy-tool
rus=$top/$BUILD/bench/rusage
if [ ! -x "$rus" ] || [ "$top/bench/rusage.c" -nt "$rus" ]; then
        mkdir -p "$(dirname "$rus")"
        cc -O2 -Wall -Wextra -Werror -o "$rus" "$top/bench/rusage.c"
fi
replica=$top/bench/replica.sh

W=$(mktemp -d "$base/ignition-selinux-bench.XXXXXX")
R=$W
loopdev=
cleanup() {
        if [ "$loop" != 0 ] && mountpoint -q "$W/mnt"; then
                [ "$keep" = 1 ] && echo "kept $W/mnt mounted" >&2 && return
                umount "$W/mnt"
        fi
        [ -z "$loopdev" ] || losetup -d "$loopdev"
        [ "$keep" = 1 ] && echo "kept $W" >&2 || rm -rf "$W"
}
trap cleanup EXIT
if [ "$loop" != 0 ]; then
        # Every round keeps about 0.8 GB of roots until the end.
        gib=$((reps + 3)); [ "$gib" -lt 4 ] && gib=4
        mkdir "$W/mnt"
        if [ "$loop" = 1 ]; then
                # Allocated up front, and kept so (mkfs would punch the
                # blocks out again); written with direct I/O.
                fallocate -l "${gib}G" "$W/ext4.img"
                mkfs.ext4 -q -F -E nodiscard "$W/ext4.img"
                loopdev=$(losetup --direct-io=on -f --show "$W/ext4.img")
                mount "$loopdev" "$W/mnt"
        else
                truncate -s "${gib}G" "$W/ext4.img"
                mkfs.ext4 -q -F "$W/ext4.img"
                mount -o loop "$W/ext4.img" "$W/mnt"
        fi
        R=$W/mnt
fi
mkdir -p "$W/res" "$W/log"
echo 'console=ttyS0 root=/dev/vda' >"$W/cmdline"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
t_start=$SECONDS

# --- cases -----------------------------------------------------------------
CASES="A B C C+s C+ D W E-A E-B F-s F-o U U-s"
declare -A DESC=(
        [A]="apply: enforcing"
        [B]="apply: enforcing + auditDenials"
        [C]="replica: manual steps, no audit"
        [C+s]="replica C + sync -f"
        [C+]="replica C + setfiles + sync -f"
        [D]="replica: C + audit rules + semodule -n -DB"
        [W]="apply: enforcing, with what Ignition wrote"
        [E-A]="apply again on A's result"
        [E-B]="apply again on B's result"
        [F-s]="rebuild: semodule -p R -s mcs -n -DB"
        [F-o]="rebuild: policy-tool strip (ours)"
        [U]="apply: undo auditDenials"
        [U-s]="undo: semodule -p R -s mcs -n -B"
)
J_ENF='{"selinux":{"mode":"enforcing"}}'
J_AUD='{"selinux":{"mode":"enforcing","auditDenials":true}}'
J_UNDO='{"selinux":{"mode":"enforcing","auditDenials":false}}'

# Case W: Debian's Ignition (tests/lib/ignition.sh) runs its files stage on the root with
# tests/data/ignition/gen-config.py's config, its setfiles a no-op as on Flatcar.
mkdir -p "$W/ign"
chmod 0755 "$W" # Ignition writes a user's SSH keys as that user, who must reach the root
fail() { echo "run.sh: $*" >&2; exit 1; }
skip() { fail "$*"; }
TMP=$W/ign
. "$top/tests/lib/ignition.sh"
python3 "$top/tests/data/ignition/gen-config.py" "$J_ENF" >"$W/ign.json"

# Fresh directory per case and repetition ($rep), all removed at the end.
rep=0
root_of() { echo "$R/root-${1//+/p}-${2:-$rep}"; }

apply_q() { "$bin" apply --root "$1" --no-load --cmdline "$W/cmdline" --source-root /nonexistent "${@:2}"; }

# Fresh root for case $1, flushed so that the timed run does not pay (in its
# syncfs) for writing back the copy.
prepare() {
        local c=$1 r
        r=$(root_of "$c")
        bash "$top/tests/lib/mkroot.sh" old-rel "$r"
        case $c in
        A | E-A) echo "$J_ENF" >"$r/etc/selinux/ignition.json" ;;
        B | E-B | U) echo "$J_AUD" >"$r/etc/selinux/ignition.json" ;;
        esac
        case $c in
        E-A | E-B) apply_q "$r" -q ;;
        W) flatcarish "$r" && ignition_files "$r" "$W/ign.json" ;;
        F-s | F-o) bash "$replica" plain "$r" ;;
        U) apply_q "$r" -q && echo "$J_UNDO" >"$r/etc/selinux/ignition.json" ;;
        U-s) bash "$replica" audit "$r" 2>/dev/null ;;
        esac
        sync -f "$r"
        sync -f "$W"
}

# Timed run of case $1; appends "WALL USER SYS MAXRSS_KB EXIT" to res/$1.
run_case() {
        local c=$1 r res log
        r=$(root_of "$c")
        res=$W/res/${c//+/p}
        log=$W/log/${c//+/p}.$2
        case $c in
        A | B | E-A | E-B | U)
                "$rus" "$res" -l "$log" "$bin" apply --root "$r" --no-load --cmdline "$W/cmdline" \
                        --source-root /nonexistent ;;
        W) "$rus" "$res" -l "$log" "$bin" apply --root "$r" --no-load --cmdline "$W/cmdline" \
                        --source-root /nonexistent --ignition-config "$W/ign.json" ;;
        C) "$rus" "$res" bash "$replica" plain "$r" ;;
        C+s) "$rus" "$res" bash "$replica" sync "$r" ;;
        C+) "$rus" "$res" bash "$replica" relabel "$r" ;;
        D) "$rus" "$res" bash "$replica" audit "$r" 2>"$log" ;;
        F-s) "$rus" "$res" semodule -p "$r" -s mcs -n -DB 2>"$log" ;;
        U-s) "$rus" "$res" semodule -p "$r" -s mcs -n -B 2>"$log" ;;
        F-o) "$rus" "$res" "$ptool" strip "$r/etc/selinux/mcs/policy/policy.33" "$r/etc/selinux/mcs/policy/policy.33.stripped" ;;
        esac || { echo "run.sh: case $c failed (exit $?); see $log" >&2; keep=1; exit 1; }
}

# --- checks (warm-up round) --------------------------------------------------
checks=()
check() { checks+=("$1: $2"); }
labels() { (cd "$1" && getfattr -R -h -n security.selinux --absolute-names etc/selinux/mcs var/lib/selinux 2>/dev/null | sort); }
verify() {
        local c=$1 r n
        r=$(root_of "$c")
        case $c in
        A | B | C | C+s | C+ | D)
                grep -q '^SELINUX=enforcing' "$r/etc/selinux/config" && [ -d "$r/etc/selinux/mcs" ] &&
                        [ ! -L "$r/var/lib/selinux" ] || { check "$c" "FAILED: not enforcing / not copied"; return; } ;;
        esac
        case $c in
        W)
                n=$(getfattr -R -h -n security.selinux "$r" 2>&1 | grep -c 'No such attribute' || true)
                W_LABELLED=$(grep -o 'labelled [0-9]* entries in [0-9]* places' "$W/log/W.0" || echo "no count in the log")
                check "$c" "$W_LABELLED Ignition wrote; entries left without a label: $n" ;;
        B | D | F-s)
                n=$("$ptool" count "$r/etc/selinux/mcs/policy/policy.33")
                check "$c" "dontaudit rules left in policy.33: $n" ;;
        F-o)
                n=$("$ptool" count "$r/etc/selinux/mcs/policy/policy.33.stripped")
                check "$c" "dontaudit rules left in the stripped copy: $n" ;;
        U | U-s)
                n=$("$ptool" count "$r/etc/selinux/mcs/policy/policy.33")
                check "$c" "dontaudit rules back in policy.33: $n; marker $([ -e "$r/var/lib/selinux/mcs/active/disable_dontaudit" ] && echo still there || echo gone)" ;;
        esac
}

warmup() {
        local c r a_labels
        for c in $CASES; do
                prepare "$c"
                case $c in
                E-A | E-B)
                        r=$(root_of "$c")
                        bash "$top/tests/lib/snapshot.sh" --ctime "$r" >"$W/snap.before"
                        run_case "$c" 0
                        bash "$top/tests/lib/snapshot.sh" --ctime "$r" >"$W/snap.after"
                        if cmp -s "$W/snap.before" "$W/snap.after"; then
                                check "$c" "second run changed nothing (contents, xattrs, mtime, ctime)"
                        else
                                check "$c" "FAILED: second run changed the root"
                        fi ;;
                *) run_case "$c" 0 ;;
                esac
                verify "$c"
        done
        a_labels=$(labels "$(root_of A 0)")
        if [ "$a_labels" = "$(labels "$(root_of C+ 0)")" ]; then
                check "C+" "labels of the copies identical to A's ($(grep -c . <<<"$a_labels") entries)"
        else
                check "C+" "labels of the copies DIFFER from A's"
        fi
        if [ "$a_labels" = "$(labels "$(root_of C 0)")" ]; then
                check "C" "labels identical to A's"
        else
                check "C" "copies keep their /usr labels: $(diff <(echo "$a_labels") <(labels "$(root_of C 0)") | grep -c '^>') entries differ from A's"
        fi
        rm -f "$W"/res/* "$W"/log/*
}

echo "warm-up and checks..." >&2
warmup
set -- $CASES
ncases=$#
for ((i = 1; i <= reps; i++)); do
        echo "repetition $i/$reps..." >&2
        rep=$i
        # Rotate the order so no case always follows the same one.
        order=("${@:$(((i - 1) % ncases + 1))}" "${@:1:$(((i - 1) % ncases))}")
        for c in "${order[@]}"; do
                prepare "$c"
                run_case "$c" "$i"
        done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed=$((SECONDS - t_start))

# --- statistics --------------------------------------------------------------
# summary FILE COLUMN -> "median min max"
summary() {
        awk -v k="$2" '{print $k}' "$1" | sort -g | awk '
                { v[NR] = $1 }
                END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }'
}
declare -A MED MIN MAX RMED RMIN RMAX CMED
for c in $CASES; do
        f=$W/res/${c//+/p}
        read -r MED[$c] MIN[$c] MAX[$c] < <(summary "$f" 1)
        read -r RMED[$c] RMIN[$c] RMAX[$c] < <(summary "$f" 4)
        # CPU time (user + sys of the whole process tree): steadier than wall
        # time on a shared machine.
        read -r CMED[$c] _ < <(awk '{print $2 + $3}' "$f" | summary /dev/stdin 1)
done
fmt_t() { awk -v m="$1" -v a="$2" -v b="$3" 'BEGIN {
        if (m < 0.1) printf "%.1f ms (%.1f-%.1f)", m * 1000, a * 1000, b * 1000;
        else printf "%.3f s (%.3f-%.3f)", m, a, b }'; }
fmt_m() { awk -v m="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.1f MB (%.1f-%.1f)", m / 1024, a / 1024, b / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { r = a / b; printf(r >= 10 ? "%.0fx" : r >= 2 ? "%.1fx" : "%.2fx", r) }'; }

# rows: label|ours case|replica case
PAIRS=(
        "enforcing|A|C"
        "enforcing, both durable (flush)|A|C+s"
        "enforcing, like for like (relabel + flush)|A|C+"
        "enforcing + auditDenials|B|D"
        "the dontaudit rebuild alone|F-o|F-s"
        "undo of auditDenials|U|U-s"
        "enforcing, what Ignition wrote labelled too|W|"
        "second run, enforcing|E-A|"
        "second run, enforcing + auditDenials|E-B|"
)
main_rows() { # prints TSV: scenario, ours, time, rss, replica, time, rss, time ratio, rss ratio, cpu ratio
        local p label o r
        for p in "${PAIRS[@]}"; do
                IFS='|' read -r label o r <<<"$p"
                if [ -n "$r" ]; then
                        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$o" \
                                "$(fmt_t "${MED[$o]}" "${MIN[$o]}" "${MAX[$o]}")" "$(fmt_m "${RMED[$o]}" "${RMIN[$o]}" "${RMAX[$o]}")" \
                                "$r" "$(fmt_t "${MED[$r]}" "${MIN[$r]}" "${MAX[$r]}")" "$(fmt_m "${RMED[$r]}" "${RMIN[$r]}" "${RMAX[$r]}")" \
                                "$(ratio "${MED[$r]}" "${MED[$o]}")" "$(ratio "${RMED[$r]}" "${RMED[$o]}")" \
                                "$(ratio "${CMED[$r]}" "${CMED[$o]}")"
                else
                        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$o" \
                                "$(fmt_t "${MED[$o]}" "${MIN[$o]}" "${MAX[$o]}")" "$(fmt_m "${RMED[$o]}" "${RMIN[$o]}" "${RMAX[$o]}")" \
                                "-" "$([[ $o == E-* ]] && echo "(not repeatable)" || echo -)" "-" "-" "-" "-"
                fi
        done
}
MAIN_HDR="scenario	ours	time, median (min-max)	peak RSS	replica	time, median (min-max)	peak RSS	time replica/ours	RSS replica/ours	CPU replica/ours"

# Per-step times of A and B from the log lines' arrival (median over reps).
# Line k announces step k; a step lasts until the next line; the last line
# ("this boot: ...") comes after the last step.
phase_rows() { # TSV: case, phase, median ms, share of the median wall time
        local c=$1 f
        for f in "$W"/log/"$c".*; do
                awk -v rep="${f##*.}" '
                        { t = $1; sub(/^[^ ]+ ignition-selinux: /, ""); txt = $0
                          if (NR == 1) { print rep "\t0\tstart, read sources, plan\t" t }
                          else { print rep "\t" NR - 1 "\t" prev "\t" t - pt }
                          prev = txt; pt = t }
                        END { }' "$f"
        done | awk -F'\t' -v wall="${MED[$c]}" '
                { k = $2; name[k] = $3; v[k, ++n[k]] = $4; if (k > kmax) kmax = k }
                END {
                        for (k = 0; k <= kmax; k++) {
                                m = n[k]
                                for (i = 1; i <= m; i++) a[i] = v[k, i]
                                for (i = 2; i <= m; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
                                med = m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
                                nm = name[k]; if (length(nm) > 78) nm = substr(nm, 1, 75) "..."
                                printf "%s\t%.1f\t%.0f%%\n", (k ? k ". " : "") nm, med * 1000, 100 * med / wall
                        }
                }'
}

machine() {
        local fs
        fs=$(findmnt -no FSTYPE,SOURCE,OPTIONS -T "$R" | awk '{print $1 " on " $2 " (" $3 ")"}')
        echo "CPU: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
        echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
        echo "kernel: $(uname -r)"
        [ "$loop" = 1 ] && fs="$fs, a fresh journaled image file on $(findmnt -no FSTYPE,SOURCE -T "$W" | tr -s ' ' ' '), preallocated, loop direct I/O $(losetup -n -O DIO "$loopdev" | tr -d ' ' | sed 's/^1$/on/;s/^0$/OFF (refused)/') (--host-fs to use that directly, --cached-loop for a sparse image on a caching loop)"
        [ "$loop" = 2 ] && fs="$fs, a fresh journaled sparse image file on $(findmnt -no FSTYPE,SOURCE -T "$W" | tr -s ' ' ' ') behind a caching loop device (--cached-loop)"
        echo "filesystem of the roots: $fs"
        echo "packages: $(dpkg-query -W -f '${Package} ${Version}, ' libselinux1 libsepol2 libsemanage2 policycoreutils selinux-policy-default 2>/dev/null | sed 's/, $//')"
        echo "root: $(du -sh --apparent-size "$(root_of A 0)/usr/lib/selinux" | cut -f1) under usr/lib/selinux, $(find "$(root_of A 0)/var/lib/selinux/" | wc -l) entries in the store, $(find "$(root_of A 0)/var/lib/selinux/mcs/active/modules" -name cil | wc -l) modules"
        echo "load average: $load_before before, $load_after after (warm page cache; nothing dropped)"
        echo "repetitions: $reps per case, interleaved; $elapsed s in all"
}

# What labelling Ignition's output adds to a plain run: W - A, medians.
w_cost() {
        awk -v w="${MED[W]}" -v a="${MED[A]}" -v cw="${CMED[W]}" -v ca="${CMED[A]}" -v n="$W_LABELLED" 'BEGIN {
                printf "labelling what Ignition wrote (%s): W - A = %.1f ms wall, %.1f ms CPU\n", n, (w - a) * 1000, (cw - ca) * 1000 }'
}

all_rows() { # TSV: every case
        local c cpu
        printf 'case\twhat\ttime, median (min-max)\tpeak RSS\tuser+sys CPU, median\n'
        for c in $CASES; do
                cpu=${CMED[$c]}
                printf '%s\t%s\t%s\t%s\t%s\n' "$c" "${DESC[$c]}" "$(fmt_t "${MED[$c]}" "${MIN[$c]}" "${MAX[$c]}")" \
                        "$(fmt_m "${RMED[$c]}" "${RMIN[$c]}" "${RMAX[$c]}")" "$(fmt_t "$cpu" "$cpu" "$cpu" | sed 's/ (.*//')"
        done
}

# --- output ------------------------------------------------------------------
text_table() { column -t -s $'\t'; }
md_table() {
        awk -F'\t' '{ line = "|"; for (i = 1; i <= NF; i++) line = line " " $i " |"; print line
                      if (NR == 1) { line = "|"; for (i = 1; i <= NF; i++) line = line " --- |"; print line } }'
}

{
        echo "== machine"
        machine
        echo
        echo "== wall time and peak RSS (ours = ignition-selinux apply --no-load; ours relabels and flushes"
        echo "   (syncfs, fsync); the replica C and D do neither, C+ adds setfiles and sync -f)"
        { echo "$MAIN_HDR"; main_rows; } | text_table
        echo
        w_cost
        echo
        for c in A B; do
                echo "== where the time of $c goes (${DESC[$c]}; median of $reps, wall $(fmt_t "${MED[$c]}" "${MIN[$c]}" "${MAX[$c]}"))"
                { printf 'step\tms\tshare\n'; phase_rows "$c"; } | text_table
                echo
        done
        echo "== every case"
        all_rows | text_table
        echo
        echo "== checks (warm-up round)"
        printf '%s\n' "${checks[@]}"
} | tee "$W/report.txt"

if [ -n "$markdown" ]; then
        {
                echo "Machine:"
                echo
                machine | sed 's/^/- /'
                echo
                { echo "$MAIN_HDR"; main_rows; } | md_table
                echo
                w_cost
                for c in A B; do
                        echo
                        echo "Where the time of $c goes (${DESC[$c]}; median of $reps, wall $(fmt_t "${MED[$c]}" "${MIN[$c]}" "${MAX[$c]}")):"
                        echo
                        { printf 'step\tms\tshare\n'; phase_rows "$c"; } | md_table
                done
                echo
                all_rows | md_table
                echo
                echo "Checks (warm-up round):"
                echo
                printf -- '- %s\n' "${checks[@]}"
        } >"$markdown"
        echo "markdown written to $markdown" >&2
fi
