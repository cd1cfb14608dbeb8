#!/bin/bash
# 13. A realistic config declared `enforcing` (old layout), Ignition labelling nothing as on
#     Flatcar: a user with an SSH key and a group, files and directories under /etc, /var,
#     /opt and /home, a unit with a drop-in enabled through systemd.units and one enabled by a
#     storage.links link. Every unit runs; every entry Ignition wrote has the label setfiles
#     -F gives it; no AVC record names unlabeled_t. The second boot the same.
source "$(dirname "$0")/../scenario.sh"
fresh_disk old
realistic_config enforcing; cfg=$CFG
first_boot "$REALISTIC_PROBES" "$cfg"
assert_unit_ran
record_unit_time unit_seconds_realistic_enforcing
assert_ignition_labelled_nothing
assert_state Enforcing enforcing
assert_units_ran
assert_entry_labels
assert_labels_ok
assert_no_denials_of_ours

boot "ignition.platform.id=qemu $REALISTIC_PROBES"
assert_state Enforcing enforcing
grep -q 'PROBE unit .*Starting ignition-selinux.service' "$B/probe.log" &&
        fail "ignition-selinux.service ran on a boot without ignition.firstboot"
assert_units_ran
assert_entry_labels
assert_no_denials_of_ours
