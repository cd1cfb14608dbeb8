#!/bin/bash
# SPDX-License-Identifier: MIT
# Builds every libFuzzer target (fuzz/fuzz-*.c) into build-fuzz/ and runs each.
#
#   fuzz/run.sh [SECONDS | --runs N] [-j JOBS] [--build-only] [TARGET...]
#
# SECONDS (default 60) is each target's -max_total_time; --runs N runs N
# inputs instead (with SECONDS too: N inputs or SECONDS, whichever ends
# first). -j runs that many targets at once (default 1). TARGET names
# (fuzz-dataurl or dataurl) pick targets; all by default. The seed corpus
# fuzz/corpus/<t>/ is copied into the working corpus build-fuzz/corpus/<t>/,
# which keeps what earlier runs found. Reproducers in fuzz/regressions/<t>-*
# are replayed first. Findings (crash, leak, timeout, out of memory,
# sanitizer report) are saved in build-fuzz/artifacts/<t>/ and the full log
# in build-fuzz/logs/<t>.log. Exit status is non-zero on any finding.
#
# Environment: CC (clang), BUILD_FUZZ (build-fuzz), FUZZ_ARGS (more libFuzzer
# options, e.g. -max_len=65536).
set -euo pipefail

cd "$(dirname "$0")/.."
CC=${CC:-clang}
OUT=${BUILD_FUZZ:-build-fuzz}
mode=time seconds=60 seconds_given=0 runs=0 jobs=1 build_only=0
targets=()

while [ $# -gt 0 ]; do
	case "$1" in
	--runs) mode=runs runs=$2; shift 2 ;;
	--runs=*) mode=runs runs=${1#--runs=}; shift ;;
	-j) jobs=$2; shift 2 ;;
	-j*) jobs=${1#-j}; shift ;;
	--build-only) build_only=1; shift ;;
	-h|--help) sed -n '3,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	[0-9]*) seconds=$1 seconds_given=1; shift ;;
	*) t=${1#fuzz/}; t=${t%.c}; t=fuzz-${t#fuzz-}
	   [ -f "fuzz/$t.c" ] || { echo "unknown target: $1" >&2; exit 2; }
	   targets+=("$t"); shift ;;
	esac
done
if [ ${#targets[@]} -eq 0 ]; then
	for f in fuzz/fuzz-*.c; do targets+=("$(basename "$f" .c)"); done
fi

# ---- build ----
PKGS="json-c libselinux libsepol libsemanage blkid libpcre2-8 zlib"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
CFLAGS="-g -O1 -fno-omit-frame-pointer $SAN -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -D_GNU_SOURCE -DVERSION=\"fuzz\" -iquote src $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -lbz2"
mkdir -p "$OUT/obj" "$OUT/logs"

# newer TARGET DEPS...: true if TARGET is missing or older than a DEP
newer() {
	local t=$1; shift
	[ -e "$t" ] || return 0
	local d
	for d in "$@"; do [ "$d" -nt "$t" ] && return 0; done
	return 1
}

objs=()
for src in src/*/*.c; do
	[ "$src" = src/cli/main.c ] && continue
	o="$OUT/obj/$(dirname "${src#src/}")-$(basename "$src" .c).o"
	if newer "$o" "$src" src/*/*.h "$0"; then
		$CC $CFLAGS -fsanitize=fuzzer-no-link -c -o "$o" "$src"
	fi
	objs+=("$o")
done
# An archive, so each target links only the objects it uses.
lib="$OUT/libproduct.a"
if newer "$lib" "${objs[@]}"; then
	rm -f "$lib"
	ar rcs "$lib" "${objs[@]}"
fi
for t in "${targets[@]}"; do
	if newer "$OUT/$t" "fuzz/$t.c" fuzz/fuzz.h "$lib" src/*/*.h; then
		$CC $CFLAGS -fsanitize=fuzzer -o "$OUT/$t" "fuzz/$t.c" "$lib" $LIBS
	fi
done
echo "built ${#targets[@]} targets in $OUT/"
[ "$build_only" = 1 ] && exit 0

# ---- run ----
# Both given: N runs, but stop after SECONDS anyway.
if [ "$mode" = runs ]; then
	limit="-runs=$runs"
	[ "$seconds_given" = 1 ] && limit="$limit -max_total_time=$seconds"
else
	limit="-max_total_time=$seconds"
fi

# Runs one target; its result line goes to $OUT/logs/<t>.result.
run_one() {
	local t=$1 short=${1#fuzz-}
	local corpus="$OUT/corpus/$t" art="$OUT/artifacts/$t" log="$OUT/logs/$t.log"
	local dict="" rc=0 reg_fail=0 execs secs start
	mkdir -p "$corpus" "$art"
	rm -f "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*
	[ -d "fuzz/corpus/$t" ] && cp -n fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
	[ -f "fuzz/dict/$short.dict" ] && dict="-dict=fuzz/dict/$short.dict"
	: >"$log"
	# known reproducers first: each must now pass
	local regs=(fuzz/regressions/"$t"-*)
	if [ -e "${regs[0]}" ]; then
		"$OUT/$t" -detect_leaks=1 -artifact_prefix="$art/" "${regs[@]}" >>"$log" 2>&1 || reg_fail=1
	fi
	start=$(date +%s)
	# shellcheck disable=SC2086
	"$OUT/$t" $limit $dict -detect_leaks=1 -timeout=30 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$art/" ${FUZZ_ARGS:-} \
		"$corpus" >>"$log" 2>&1 || rc=$?
	secs=$(( $(date +%s) - start ))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
	[ -n "$execs" ] || execs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n1)
	local crashes leaks timeouts ooms
	crashes=$(find "$art" -name 'crash-*' | wc -l)
	leaks=$(find "$art" -name 'leak-*' | wc -l)
	timeouts=$(find "$art" -name 'timeout-*' | wc -l)
	ooms=$(find "$art" -name 'oom-*' | wc -l)
	local verdict=ok
	if [ "$rc" != 0 ] || [ "$reg_fail" != 0 ] || [ $((crashes + leaks + timeouts + ooms)) != 0 ] ||
	   grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' "$log"; then
		verdict=FAILED
	fi
	printf '%-22s %s  %12s execs in %5ss (%s/s), corpus %s, crashes %s, leaks %s, timeouts %s, oom %s%s\n' \
		"$t" "$verdict" "${execs:-?}" "$secs" "$(( ${execs:-0} / (secs > 0 ? secs : 1) ))" \
		"$(find "$corpus" -type f | wc -l)" "$crashes" "$leaks" "$timeouts" "$ooms" \
		"$([ "$reg_fail" = 1 ] && echo ', a regression reproducer fails' || true)" \
		>"$OUT/logs/$t.result"
	cat "$OUT/logs/$t.result"
}

for t in "${targets[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
	run_one "$t" &
done
wait

passed=0 failed=0
echo "---- summary (logs in $OUT/logs/, findings in $OUT/artifacts/) ----"
for t in "${targets[@]}"; do
	cat "$OUT/logs/$t.result"
	if grep -q ' ok ' "$OUT/logs/$t.result"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
