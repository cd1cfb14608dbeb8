#!/bin/bash
# Runs tests/flatcar/test-*.sh, the tests of contrib/flatcar/ (make check-flatcar).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export TOP="$top" BUILD="${BUILD:-build}"
rc=0
for t in "$top"/tests/flatcar/test-*.sh; do
	echo "== tests/flatcar/${t##*/}"
	start=$(date +%s)
	bash "$t" || rc=1
	echo "   ($(($(date +%s) - start)) s)"
done
[[ $rc -eq 0 ]] && echo "check-flatcar: passed" || echo "check-flatcar: FAILED"
exit $rc
