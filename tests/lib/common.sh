# Sourced by the integration tests.
set -euo pipefail
: "${TOP:?}" "${BIN:?}"
LIB="$TOP/tests/lib"
TOOLS="$TOP/$BUILD/tests/tools"
FAULTINJECT="$TOP/$BUILD/tests/faultinject.so"
# The program built with its test hook, IGNITION_SELINUX_MAX_STEPS.
HOOKS_BIN="$TOP/$BUILD/tests/ignition-selinux-hooks"
TMP=$(mktemp -d /var/tmp/ignition-selinux-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "skipped: $*"; exit 77; }
note() { echo "-- $*"; }
assert_eq() { [ "$1" == "$2" ] || fail "$3: expected [$2], got [$1]"; }
assert_contains() { grep -qF -- "$2" <<<"$1" || fail "$3: [$2] not in: $1"; }
assert_not_contains() { ! grep -qF -- "$2" <<<"$1" || fail "$3: [$2] unexpectedly in: $1"; }

mkroot() { bash "$LIB/mkroot.sh" "$1" "$2"; }
snap() { bash "$LIB/snapshot.sh" "$@"; }

# A cmdline file with nothing of interest, so the host's /proc/cmdline never leaks in.
CMDLINE="$TMP/cmdline"
echo "console=ttyS0 root=/dev/vda" >"$CMDLINE"

# run_apply ROOT [ARGS...]: sets $out, $err and $rc.
run_tool() {
        local verb=$1 root=$2; shift 2
        set +e
        out=$("$BIN" "$verb" --root "$root" --cmdline "$CMDLINE" --source-root "$TMP/nosources" "$@" 2>"$TMP/stderr")
        rc=$?
        set -e
        err=$(cat "$TMP/stderr")
}
run_apply() { run_tool apply "$@" --no-load; }
run_plan() { run_tool plan "$@"; }

# block_file ROOT JSON: writes the file form of the block onto the target.
block_file() { printf '%s\n' "$2" >"$1/etc/selinux/ignition.json"; }

# Number of dontaudit rules in a binary policy.
dontaudit_count() { "$TOOLS/policy-tool" count "$1"; }

# tree_meta DIR: every entry's type, mode, owner, mtime (ns), size, symlink
# target, content hash and xattrs (security.selinux left out: copies are
# relabelled on purpose), with paths relative to DIR.
tree_meta() {
        (cd "$1" && find . -printf '%p %y %m %U %G %T@ %s %l\n' | sort)
        (cd "$1" && find . -type f -print0 | sort -z | xargs -0r sha256sum)
        (cd "$1" && getfattr -R -h -d -m - -e hex . 2>/dev/null | grep -v '^security.selinux=')
        # Hard links: groups of paths sharing an inode.
        (cd "$1" && find . -type f -links +1 -printf '%i %p\n' | sort | awk '{g[$1]=g[$1]" "$2} END {for (i in g) print g[i]}' | sort)
}

# files_meta DIR: tree_meta without directories, whose times record every
# rename made in them.
files_meta() { tree_meta "$1" | grep -v '^[^ ]* d '; }

# labels_ok ROOT PATH...: setfiles, as an independent oracle, finds nothing to relabel.
labels_ok() {
        local root=$1; shift
        local fc="$root/etc/selinux/mcs/contexts/files/file_contexts" p args=() wrong
        for p in "$@"; do args+=("$root$p"); done
        wrong=$(setfiles -r "$root" -n -v "$fc" "${args[@]}" 2>&1 || true)
        [ -z "$wrong" ] || fail "labels differ from file_contexts: $(head -5 <<<"$wrong")"
}

# writes_of CMD...: how many filesystem-changing calls the command makes.
writes_of() {
        FAULT_COUNT_FILE="$TMP/count" LD_PRELOAD="$FAULTINJECT" "$@" >/dev/null 2>&1 || true
        cat "$TMP/count"
}
