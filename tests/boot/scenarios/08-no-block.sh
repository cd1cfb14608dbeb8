#!/bin/bash
# 8. No `selinux` block → the image's own default (permissive), nothing changed on disk.
source "$(dirname "$0")/../scenario.sh"
fresh_disk old
before=$(img_selinux_manifest "$DISK")
cfg=$(config plain <<'JSON'
{ "ignition": { "version": "3.3.0" } }
JSON
)
first_boot "" "$cfg"
assert_unit_ran
assert_unit_log "no selinux block"
assert_state Permissive permissive
assert_eq "$(p policy_loaded)" yes "policy loaded (by systemd, from the image's config)"
assert_match "$(p kind_config)" '^link:' "/etc/selinux/config still a link"
assert_match "$(p kind_store)" '^link:' "/var/lib/selinux still a link"
after=$(img_selinux_manifest "$DISK")
[ "$before" == "$after" ] || fail "the disk changed: $(diff <(echo "$before") <(echo "$after") | head -n 20)"
ok "the SELinux files on the disk are unchanged ($(wc -l <<<"$before") entries compared)"
report_denials
