#!/bin/bash
# 2. Top-level block over fw_cfg (read raw from /sys/firmware/qemu_fw_cfg), `permissive`.
source "$(dirname "$0")/../scenario.sh"
fresh_disk old
cfg=$(config toplevel <<'JSON'
{ "ignition": { "version": "3.3.0" }, "selinux": { "mode": "permissive" } }
JSON
)
first_boot "" "$cfg"
assert_unit_ran
assert_unit_log "opt/com.coreos/config"
record_unit_time unit_seconds_permissive
assert_state Permissive permissive
assert_eq "$(p policy_loaded)" yes "policy loaded"
assert_eq "$(p kind_config)" file "/etc/selinux/config is a regular file"
assert_eq "$(p kind_block)" missing "no /etc/selinux/ignition.json (the block came raw)"
assert_eq "$(p system_slice)" active "systemctl is-active system.slice"
assert_labels_ok
assert_no_denials_of_ours
