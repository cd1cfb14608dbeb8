#!/bin/bash
# 1. File-form block `enforcing` (old layout) → Enforcing after switch-root; setenforce 0/1
#    round trip; system.slice active; the next boot, without ignition.firstboot, comes up
#    Enforcing again from the persisted config.
source "$(dirname "$0")/../scenario.sh"
fresh_disk old
cfg=$(file_form '{"selinux":{"mode":"enforcing"}}' | config enforcing)

first_boot probe.setenforce "$cfg"
assert_unit_ran
record_unit_time unit_seconds_enforcing
assert_state Enforcing enforcing
assert_eq "$(p getenforce)" Enforcing "getenforce"
assert_eq "$(p policy_loaded)" yes "policy loaded"
assert_eq "$(p kind_config)" file "/etc/selinux/config is a regular file"
assert_eq "$(p kind_policydir)" dir "/etc/selinux/mcs is a directory"
assert_eq "$(p kind_store)" dir "/var/lib/selinux is a directory"
assert_eq "$(p after_setenforce0)" Permissive "after setenforce 0"
assert_eq "$(p after_setenforce1)" Enforcing "after setenforce 1"
assert_eq "$(p system_slice)" active "systemctl is-active system.slice"
assert_labels_ok
assert_no_denials_of_ours

boot "ignition.platform.id=qemu"
assert_state Enforcing enforcing
grep -q 'PROBE unit .*Starting ignition-selinux.service' "$B/probe.log" &&
        fail "ignition-selinux.service ran on a boot without ignition.firstboot"
ok "the unit did not run on the second boot"
assert_eq "$(p system_slice)" active "systemctl is-active system.slice"
assert_no_denials_of_ours
