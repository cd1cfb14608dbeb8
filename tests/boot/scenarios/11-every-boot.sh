#!/bin/bash
# 11. An initramfs built with ignition_selinux_every_boot=yes (docs/boot.md): the unit runs on
#     the first boot and again on a boot without ignition.firstboot, where it finds nothing to
#     change and loads the policy itself.
source "$(dirname "$0")/../scenario.sh"
initrd=$(initrd_image flatcar-every-boot)
fresh_disk old
cfg=$(file_form '{"selinux":{"mode":"enforcing"}}' | config enforcing)
boot --initrd "$initrd" "$FIRSTBOOT_CMDLINE" "$cfg"
assert_unit_ran
assert_state Enforcing enforcing
assert_labels_ok
assert_no_denials_of_ours

boot --initrd "$initrd" "ignition.platform.id=qemu" "$cfg"
assert_unit_ran
assert_unit_log "nothing to change"
assert_unit_log "loaded /sysroot/etc/selinux/mcs/policy/policy.33, enforcing"
assert_state Enforcing enforcing
assert_no_denials_of_ours
