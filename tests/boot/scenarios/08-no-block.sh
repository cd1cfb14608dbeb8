#!/bin/bash
# 8. No `selinux` block → the image's own default (permissive), nothing changed on disk.
source "$(dirname "$0")/../scenario.sh"
fresh_disk old
before=$(img_selinux_manifest "$DISK")
cfg=$(config plain <<'JSON'
{ "ignition": { "version": "3.3.0" } }
JSON
)
first_boot "probe.rousr probe.setsebool=httpd_use_nfs" "$cfg"
assert_unit_ran
assert_unit_log "no selinux block"
assert_state Permissive permissive
assert_eq "$(p policy_loaded)" yes "policy loaded (by systemd, from the image's config)"
assert_match "$(p kind_config)" '^link:' "/etc/selinux/config still a link"
assert_match "$(p kind_store)" '^link:' "/var/lib/selinux still a link"
# A stock Flatcar: the store is a link into a read-only /usr, so an operator's setsebool -P fails.
assert_eq "$(p usr_ro)" yes "/usr read-only, as on Flatcar"
[ "$(p setsebool_rc)" != 0 ] || fail "setsebool -P worked on a store in a read-only /usr"
ok "setsebool -P fails on the stock image's store (exit $(p setsebool_rc))"
after=$(img_selinux_manifest "$DISK")
[ "$before" == "$after" ] || fail "the disk changed: $(diff <(echo "$before") <(echo "$after") | head -n 20)"
ok "the SELinux files on the disk are unchanged ($(wc -l <<<"$before") entries compared)"
report_denials
