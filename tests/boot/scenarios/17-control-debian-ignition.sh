#!/bin/bash
# 17. Control: the realistic config of 13 declared `enforcing` (old layout) with Debian's
#     Ignition, which labels what it writes (no 99flatcar-like in the initramfs): the same
#     result, labels right either way.
source "$(dirname "$0")/../scenario.sh"
initrd=$(initrd_image debian)
fresh_disk old
realistic_config enforcing; cfg=$CFG
boot --initrd "$initrd" "$FIRSTBOOT_CMDLINE $REALISTIC_PROBES" "$cfg"
assert_unit_ran
record_unit_time unit_seconds_realistic_enforcing_debian_ignition
assert_ignition_labelled
assert_state Enforcing enforcing
assert_units_ran
assert_entry_labels
assert_labels_ok
assert_no_denials_of_ours
