#!/bin/bash
# 5. `auditDenials: true` (enforcing) → no dontaudit rules in the loaded policy, the store
#    marked as `semodule -D` does, Flatcar's audit rules set aside, AVC records in the log.
source "$(dirname "$0")/../scenario.sh"
fresh_disk old
cfg=$(file_form '{"selinux":{"mode":"enforcing","auditDenials":true}}' | config audit)
first_boot "" "$cfg"
assert_unit_ran
record_unit_time unit_seconds_enforcing_auditdenials
assert_state Enforcing enforcing
assert_eq "$(p dontaudit_loaded)" 0 "dontaudit rules in the loaded policy"
assert_eq "$(p disable_dontaudit)" yes "store's active/disable_dontaudit"
rules=$(p audit_rules)
assert_match "$rules" '80-selinux\.rules\.ignition-selinux-saved' "audit rules (80-selinux.rules set aside)"
[[ " $rules " != *" 80-selinux.rules "* ]] || fail "80-selinux.rules still in force: $rules"
[ "$(p avc_count)" -gt 0 ] || fail "no AVC record reached the log"
ok "AVC records reach the log ($(p avc_count))"
assert_eq "$(p system_slice)" active "systemctl is-active system.slice"
assert_labels_ok
assert_no_denials_of_ours --dontaudit-off
