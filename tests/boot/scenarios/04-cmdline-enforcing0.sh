#!/bin/bash
# 4. `enforcing` declared, kernel enforcing=0 → Permissive this boot; the config still says
#    enforcing (so the next boot without enforcing=0 enforces).
source "$(dirname "$0")/../scenario.sh"
fresh_disk old
cfg=$(file_form '{"selinux":{"mode":"enforcing"}}' | config enforcing)
first_boot enforcing=0 "$cfg"
assert_unit_ran
assert_unit_log "enforcing=0"
assert_state Permissive enforcing
assert_eq "$(p policy_loaded)" yes "policy loaded"
assert_labels_ok
assert_no_denials_of_ours
