#!/bin/bash
# Btrfs preflight under enforcing: filesystems declared in storage.filesystems
# (the --config files, or Ignition's cached /run/ignition.json) are named in a
# warning; "btrfs": "fail" makes it an error that changes nothing; other
# modes say nothing. (Block devices are probed with libblkid too; the test
# machine has no Btrfs one, which the first plan below also checks.)
. "$(dirname "$0")/../lib/common.sh"

root="$TMP/root"; mkroot tiny-old-rel "$root"
fs='"storage": {"filesystems": [{"device": "/dev/disk/by-label/DATA", "format": "btrfs", "path": "/var/lib/data"}]}'
echo "{\"ignition\": {\"version\": \"3.4.0\"}, \"selinux\": {\"mode\": \"enforcing\"}}" >"$TMP/plain.ign"
run_plan "$root" --config "$TMP/plain.ign"
assert_eq "$rc" 0 "plan"
assert_not_contains "$err" "Btrfs" "no Btrfs on this machine, none declared"

echo "{\"ignition\": {\"version\": \"3.4.0\"}, $fs, \"selinux\": {\"mode\": \"enforcing\"}}" >"$TMP/c.ign"
run_plan "$root" --config "$TMP/c.ign"
assert_eq "$rc" 0 "a warning only"
assert_contains "$err" "warning: $TMP/c.ign: \$.storage.filesystems[0]: /dev/disk/by-label/DATA is declared Btrfs: SELinux enforcement is incompatible with Btrfs volumes" "the warning names the device and the limit"

echo "{\"ignition\": {\"version\": \"3.4.0\"}, $fs, \"selinux\": {\"mode\": \"permissive\"}}" >"$TMP/p.ign"
run_plan "$root" --config "$TMP/p.ign"
assert_not_contains "$err" "Btrfs" "permissive: nothing to warn about"

echo "{\"ignition\": {\"version\": \"3.4.0\"}, $fs, \"selinux\": {\"mode\": \"enforcing\", \"btrfs\": \"fail\"}}" >"$TMP/f.ign"
before=$(snap --ctime "$root")
run_apply "$root" --config "$TMP/f.ign"
assert_eq "$rc" 1 "fatal when asked"
assert_contains "$err" "error: $TMP/f.ign: \$.storage.filesystems[0]: /dev/disk/by-label/DATA is declared Btrfs" "error names the device"
assert_contains "$err" "refusing, as \"btrfs\": \"fail\" at $TMP/f.ign:1:" "and says which setting made it fatal"
assert_eq "$(snap --ctime "$root")" "$before" "nothing changed"

note "Ignition's cached config"
mkdir -p "$TMP/src/run"
cp "$TMP/c.ign" "$TMP/src/run/ignition.json"
block_file "$root" '{"selinux": {"mode": "enforcing"}}'
run_tool plan "$root" --source-root "$TMP/src"
assert_contains "$err" "$TMP/src/run/ignition.json: \$.storage.filesystems[0]: /dev/disk/by-label/DATA is declared Btrfs" "from /run/ignition.json"

note "a bad value"
block_file "$root" '{"selinux": {"mode": "enforcing", "btrfs": "ignore"}}'
run_tool plan "$root" --source-root "$TMP/src"
assert_eq "$rc" 1 "bad btrfs value"
assert_contains "$err" '$.selinux.btrfs: expected one of "warn", "fail", got "ignore"' "message"
echo ok
