#!/bin/bash
# 9. The new Flatcar layout (real /etc/selinux entries, /usr/lib/selinux compatibility links,
#    /etc an overlay over /usr/share/flatcar/etc mounted in the initramfs), `enforcing`;
#    nothing copied up into the overlay's upper layer that need not be.
source "$(dirname "$0")/../scenario.sh"
fresh_disk new
cfg=$(file_form '{"selinux":{"mode":"enforcing"}}' | config enforcing)
first_boot probe.upper "$cfg"
assert_unit_ran
record_unit_time unit_seconds_enforcing_new_layout
assert_state Enforcing enforcing
assert_eq "$(p kind_config)" file "/etc/selinux/config is a regular file"
assert_eq "$(p kind_policydir)" dir "/etc/selinux/mcs is a directory"
assert_eq "$(p kind_store)" dir "/var/lib/selinux is a directory"
assert_eq "$(p system_slice)" active "systemctl is-active system.slice"
assert_labels_ok
assert_no_denials_of_ours
assert_copyups new_layout
