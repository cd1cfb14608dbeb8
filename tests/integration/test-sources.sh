#!/bin/bash
# Where the block comes from and who wins: base.d (lexical), then
# base.platform.d/<platform>, user.ign, fw_cfg, then the target's
# /etc/selinux/ignition.json, key by key; the kernel command line decides
# only this boot's mode.
. "$(dirname "$0")/../lib/common.sh"

root="$TMP/root"; mkroot tiny-old-rel "$root"
src="$TMP/src"
ign="$src/usr/lib/ignition"
fw="$src/sys/firmware/qemu_fw_cfg/by_name"
mkdir -p "$ign/base.d" "$ign/base.platform.d/qemu" "$fw/opt/com.coreos/config" "$fw/opt/org.flatcar-linux/config"
echo '{"selinux": {"mode": "enforcing", "auditDenials": true}}' >"$ign/base.d/20-b.ign"
echo '{"selinux": {"mode": "disabled"}}' >"$ign/base.d/10-a.ign"
echo '{"ignition": {"version": "3.4.0"}, "selinux": {"mode": "permissive"}}' >"$ign/base.platform.d/qemu/50-p.ign"
echo '{"selinux": {"auditDenials": false}}' >"$ign/user.ign"
echo '{"ignition": {"version": "3.4.0"}, "selinux": {"mode": "enforcing"}}' >"$fw/opt/com.coreos/config/raw"
echo '{"selinux": {"mode": "disabled"}}' >"$fw/opt/org.flatcar-linux/config/raw"

plan_with() { run_tool plan "$root" --source-root "$src" "$@"; [ "$rc" -eq 0 ] || fail "plan: $err"; }
boot_line() { grep '^this boot:' <<<"$out"; }

note "every source: fw_cfg (com.coreos, read after org.flatcar-linux) wins the mode"
plan_with --platform qemu
assert_contains "$(boot_line)" "this boot: enforcing (declared in $fw/opt/com.coreos/config/raw:1:" "fw_cfg wins"
assert_not_contains "$out" "dontaudit" "user.ign turned auditDenials off again"

rm "$fw/opt/com.coreos/config/raw"
plan_with --platform qemu
assert_contains "$(boot_line)" "this boot: disabled (declared in $fw/opt/org.flatcar-linux/config/raw:1:" "flatcar fw_cfg"

rm "$fw/opt/org.flatcar-linux/config/raw"
plan_with --platform qemu
assert_contains "$(boot_line)" "this boot: permissive (declared in $ign/base.platform.d/qemu/50-p.ign:1:" "platform over base.d"

note "the platform comes from ignition.platform.id= unless --platform says otherwise"
echo "console=ttyS0 ignition.platform.id=qemu" >"$CMDLINE"
plan_with
assert_contains "$(boot_line)" "base.platform.d/qemu/50-p.ign" "platform from the command line"
echo "console=ttyS0 ignition.platform.id=metal" >"$CMDLINE"
plan_with
assert_contains "$(boot_line)" "this boot: enforcing (declared in $ign/base.d/20-b.ign:1:" "base.d in lexical order: 20 after 10"

note "user.ign beats base.d key by key"
echo '{"selinux": {"mode": "permissive"}}' >"$ign/user.ign"
plan_with
assert_contains "$(boot_line)" "this boot: permissive (declared in $ign/user.ign:1:" "user.ign over base.d"
assert_contains "$out" "dontaudit" "auditDenials from base.d still applies"

note "the target's file beats every raw source"
block_file "$root" '{"selinux": {"mode": "enforcing"}}'
plan_with
assert_contains "$(boot_line)" "this boot: enforcing (declared in $root/etc/selinux/ignition.json:1:" "target file last"

note "--config replaces the raw sources"
echo '{"selinux": {"auditDenials": false, "mode": "disabled"}}' >"$TMP/only.ign"
rm "$root/etc/selinux/ignition.json"
plan_with --config "$TMP/only.ign"
assert_contains "$(boot_line)" "this boot: disabled (declared in $TMP/only.ign:1:" "--config"
assert_not_contains "$out" "dontaudit" "base.d ignored under --config"

note "the kernel command line decides this boot only"
block_file "$root" '{"selinux": {"mode": "enforcing"}}'
echo "quiet enforcing=0" >"$CMDLINE"
plan_with --config "$TMP/only.ign"
assert_contains "$(boot_line)" "this boot: permissive (enforcing=0 on the kernel command line)" "enforcing=0"
assert_contains "$out" "SELINUX=enforcing" "the declared mode is still written"
echo "enforcing=0 selinux=0" >"$CMDLINE"
plan_with --config "$TMP/only.ign"
assert_contains "$(boot_line)" "this boot: disabled (selinux=0 on the kernel command line)" "selinux=0"
echo 'enforcing=1 "foo=bar baz"' >"$CMDLINE"
block_file "$root" '{"selinux": {"mode": "permissive"}}'
plan_with --config "$TMP/only.ign"
assert_contains "$(boot_line)" "this boot: enforcing (enforcing=1 on the kernel command line)" "enforcing=1"
block_file "$root" '{"selinux": {"mode": "disabled"}}'
plan_with --config "$TMP/only.ign"
assert_contains "$(boot_line)" "this boot: disabled" "enforcing=1 cannot enable a disabled declaration"
echo "enforcing=yes" >"$CMDLINE"
block_file "$root" '{"selinux": {"mode": "permissive"}}'
plan_with --config "$TMP/only.ign"
assert_contains "$err" "enforcing=yes" "a malformed switch is named"
assert_contains "$(boot_line)" "this boot: permissive (declared in" "and ignored"
echo ok
