#!/bin/bash
# 3. A default of `enforcing` baked into the initramfs (/usr/lib/ignition/base.d) with a user
#    config (fw_cfg) of `permissive` → permissive: the user's config wins.
source "$(dirname "$0")/../scenario.sh"
fresh_disk old
base=$(config base <<'JSON'
{ "ignition": { "version": "3.3.0" }, "selinux": { "mode": "enforcing" } }
JSON
)
user=$(config user <<'JSON'
{ "ignition": { "version": "3.3.0" }, "selinux": { "mode": "permissive" } }
JSON
)
with_extra_files "$INITRD" "$SCEN_DIR/initrd.img" "$base:usr/lib/ignition/base.d/50-selinux.ign"
boot --initrd "$SCEN_DIR/initrd.img" "$FIRSTBOOT_CMDLINE" "$user"
assert_unit_ran
assert_state Permissive permissive
assert_unit_log "opt/com.coreos/config"
assert_eq "$(p system_slice)" active "systemctl is-active system.slice"
assert_labels_ok
assert_no_denials_of_ours
