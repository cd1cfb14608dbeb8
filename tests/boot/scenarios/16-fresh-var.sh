#!/bin/bash
# 16. A /var filesystem Ignition creates (`storage.filesystems`, ext4, wipeFilesystem: true)
#     on a second disk and mounts in the initramfs, with the realistic config's /var files on
#     it, declared `enforcing` (old layout); the real root mounts it with a var.mount unit
#     enabled through systemd.units. The filesystem's root and the files on it carry the
#     labels setfiles gives them; the store is made on it (the fresh /var has no link into
#     /usr yet); the machine boots Enforcing and the units run.
source "$(dirname "$0")/../scenario.sh"
fresh_disk old
truncate -s 256M "$SCEN_DIR/var.img"
QEMU_EXTRA+=(-drive "file=$SCEN_DIR/var.img,format=raw,if=virtio")
realistic_config enforcing --var-fs /dev/vdb; cfg=$CFG
first_boot "$REALISTIC_PROBES" "$cfg"
assert_unit_ran
record_unit_time unit_seconds_fresh_var
assert_ignition_labelled_nothing
assert_state Enforcing enforcing
assert_eq "$(p var_source)" /dev/vdb "/var mounted from the filesystem Ignition made"
assert_match "$(p 'label /var')" ':var_t:' "the new filesystem's root, mounted on /var"
assert_match "$(p 'label /var/lib/demo/seed')" ':var_lib_t:' "a file Ignition wrote on it"
assert_units_ran
assert_entry_labels
assert_labels_ok
assert_no_denials_of_ours
assert_eq "$(p kind_store)" dir "/var/lib/selinux made on the new /var, a directory"
rm -f "$SCEN_DIR/var.img"
