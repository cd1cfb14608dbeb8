#!/bin/bash
# Runs every tests/integration/test-*.sh; each exits 0 (pass), 77 (skip) or
# anything else (fail). Ends with the "N passed, N failed" line.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export TOP="$top" BUILD="${BUILD:-build}"
export BIN="$top/$BUILD/ignition-selinux"
logdir="$top/$BUILD/test-logs"
mkdir -p "$logdir"
pass=0 fail=0 skip=0 failed=()
for t in "$top"/tests/integration/test-*.sh; do
        name=$(basename "$t" .sh)
        [ -n "${TESTS:-}" ] && [[ " $TESTS " != *" $name "* ]] && continue
        start=$(date +%s)
        bash "$t" >"$logdir/$name.log" 2>&1
        rc=$?
        secs=$(( $(date +%s) - start ))
        case $rc in
        0) pass=$((pass + 1)); echo "PASS $name (${secs}s)" ;;
        77) skip=$((skip + 1)); echo "SKIP $name: $(tail -n1 "$logdir/$name.log")" ;;
        *) fail=$((fail + 1)); failed+=("$name"); echo "FAIL $name (${secs}s); last lines of $logdir/$name.log:"
           tail -n 25 "$logdir/$name.log" | sed 's/^/    /' ;;
        esac
done
echo "integration: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
