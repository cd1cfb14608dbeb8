#!/bin/bash
# 7. `mode: disabled` → no policy loaded, before or after switch-root. And, since the program
#    then labels nothing, the proof that the Flatcar-like initramfs's Ignition labels nothing:
#    Ignition asked its setfiles (the no-op) to label what it wrote, and the file it wrote
#    has no label on the disk.
source "$(dirname "$0")/../scenario.sh"
fresh_disk old
cfg=$(file_form '{"selinux":{"mode":"disabled"}}' | config disabled)
first_boot "" "$cfg"
assert_unit_ran
assert_unit_log "no policy loaded"
assert_probed
assert_eq "$(p config)" SELINUX=disabled "/etc/selinux/config"
assert_eq "$(p policy_loaded)" no "policy loaded"
assert_eq "$(p getenforce)" Disabled "getenforce"
assert_eq "$(p system_slice)" active "systemctl is-active system.slice"
assert_ignition_labelled_nothing
assert_eq "$(disk_label /etc/selinux/ignition.json)" none "security.selinux of /etc/selinux/ignition.json (written by Ignition) on the disk"
