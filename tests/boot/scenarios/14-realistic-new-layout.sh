#!/bin/bash
# 14. The realistic config of 13 declared `enforcing` on the new layout, where /etc is an
#     overlay (lower /usr/share/flatcar/etc, upper the root's /etc) mounted in the initramfs
#     before Ignition's files stage, as Flatcar's initrd-setup-root does: everything as in 13,
#     the unit ran after initrd-setup-root-after-ignition, and nothing was copied up into the
#     upper layer that need not be (the copy-ups are counted). The second boot the same.
source "$(dirname "$0")/../scenario.sh"
fresh_disk new
realistic_config enforcing; cfg=$CFG
first_boot "$REALISTIC_PROBES probe.upper" "$cfg"
assert_unit_ran
record_unit_time unit_seconds_realistic_enforcing_new_layout
assert_ignition_labelled_nothing
# Flatcar's order: the overlay before Ignition's files stage; the unit after both setup units.
sd=$(sed -n 's/^PROBE sd \[ *\([0-9.]*\)\] [^:]*: /\1 /p' "$B/probe.log" | tr -d '\r')
t_overlay=$(awk '/Finished initrd-setup-root.service/{print $1; exit}' <<<"$sd")
t_files=$(awk '/Starting ignition-files.service|Starting Ignition \(files\)/{print $1; exit}' <<<"$sd")
t_after=$(awk '/Finished initrd-setup-root-after-ignition.service/{print $1; exit}' <<<"$sd")
t_unit=$(awk '/Starting ignition-selinux.service/{print $1; exit}' <<<"$sd")
[ -n "$t_overlay" ] && [ -n "$t_files" ] && [ -n "$t_after" ] && [ -n "$t_unit" ] ||
        fail "the initramfs journal lacks the setup units or the unit:$(echo; echo "$sd")"
awk -v a="$t_overlay" -v b="$t_files" -v c="$t_after" -v d="$t_unit" 'BEGIN{exit !(a < b && c <= d)}' ||
        fail "order: overlay $t_overlay, Ignition files $t_files, setup-root-after-ignition $t_after, unit $t_unit"
ok "initrd-setup-root ($t_overlay s) before Ignition's files stage ($t_files s); the unit ($t_unit s) after initrd-setup-root-after-ignition ($t_after s)"
assert_state Enforcing enforcing
assert_eq "$(p kind_config)" file "/etc/selinux/config is a regular file"
assert_eq "$(p kind_store)" dir "/var/lib/selinux is a directory"
assert_units_ran
assert_entry_labels
assert_labels_ok
assert_no_denials_of_ours
assert_copyups realistic_new_layout_boot1

boot "ignition.platform.id=qemu $REALISTIC_PROBES probe.upper"
assert_state Enforcing enforcing
assert_units_ran
assert_entry_labels
assert_no_denials_of_ours
assert_copyups realistic_new_layout_boot2 booted
