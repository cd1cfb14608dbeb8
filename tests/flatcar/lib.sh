# Sourced by tests/flatcar/test-*.sh: each prints PASS:, FAIL: and SKIP: lines and exits
# non-zero when anything failed.
set -euo pipefail
TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD=${BUILD:-build}
BIN=$TOP/$BUILD/ignition-selinux
failures=0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# check DESCRIPTION COMMAND...: PASS or FAIL by the command's status.
check() {
	local desc=$1; shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}
# need TOOL...: the whole script is one SKIP line when a tool is missing.
need() {
	local t
	for t; do
		command -v "$t" >/dev/null && continue
		echo "SKIP: $t not found (contrib/install-deps.sh installs it)"
		exit 0
	done
}
need_root() {
	[[ $(id -u) -eq 0 ]] && return
	echo "SKIP: needs root"
	exit 0
}
finish() {
	[[ $failures -eq 0 ]] || { echo "$failures failed in ${0##*/}"; exit 1; }
}
