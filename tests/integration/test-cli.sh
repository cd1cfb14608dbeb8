#!/bin/bash
# The command line: help, version, usage errors, `validate` exit codes, and
# the load step's fail-closed rule where the kernel has no SELinux.
. "$(dirname "$0")/../lib/common.sh"

set +e
"$BIN" --help | grep -q 'Usage: ignition-selinux apply' || fail "--help"
"$BIN" --version | grep -qx 'ignition-selinux [0-9.]*' || fail "--version"
"$BIN" >/dev/null 2>&1; assert_eq $? 2 "no arguments"
"$BIN" frobnicate >/dev/null 2>&1; assert_eq $? 2 "unknown command"
"$BIN" apply --bogus >/dev/null 2>&1; assert_eq $? 2 "unknown option"
"$BIN" apply extra >/dev/null 2>&1; assert_eq $? 2 "extra argument"
"$BIN" apply --root /nonexistent --cmdline "$CMDLINE" --no-load >/dev/null 2>&1; assert_eq $? 3 "missing root"

note "validate"
d="$TOP/tests/data/validate"
out=$("$BIN" validate "$d/files-percent.ign" "$d/files-base64.ign" 2>&1); assert_eq $? 0 "valid configs: $out"
out=$("$BIN" validate "$d/top-level.ign" 2>&1); assert_eq $? 0 "top-level block is valid"
assert_contains "$out" "warning:" "top-level block warns"
assert_contains "$out" "storage.files" "the warning says what to do instead"
out=$("$BIN" validate "$d/files-percent.ign" "$d/files-invalid.ign" 2>&1); assert_eq $? 1 "one invalid file fails the run"
assert_contains "$out" "files-invalid.ign:\$.storage.files[" "error names the file entry"
assert_contains "$out" 'did you mean' "with a hint"
"$BIN" validate /nonexistent >/dev/null 2>&1; assert_eq $? 1 "unreadable file"
set -e

note "loading where the kernel has no SELinux"
[ -e /sys/fs/selinux ] && skip "this kernel has SELinux: not loading a policy into the host"
root="$TMP/root"; mkroot tiny-old-rel "$root"
for mode in enforcing permissive disabled; do
        block_file "$root" "{\"selinux\": {\"mode\": \"$mode\"}}"
        run_tool apply "$root"
        case $mode in
        enforcing) assert_eq "$rc" 4 "enforcing that cannot be honoured fails"
                   assert_contains "$err" "SELinux enforcing was requested (declared in $root/etc/selinux/ignition.json:1:" "says what was asked"
                   assert_contains "$err" "SELinux is not active in the kernel" "says what failed"
                   assert_contains "$err" "enforcing=0" "says how to boot around it" ;;
        permissive) assert_eq "$rc" 0 "permissive only warns"
                    assert_contains "$err" "warning: SELinux permissive was requested" "warning" ;;
        disabled) assert_eq "$rc" 0 "disabled loads nothing"
                  assert_not_contains "$err" "warning" "no warning for disabled" ;;
        esac
        grep -qx "SELINUX=$mode" "$root/etc/selinux/config" || fail "$mode written before the load"
done
echo ok
