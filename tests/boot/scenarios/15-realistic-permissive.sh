#!/bin/bash
# 15. The realistic config of 13 declared `permissive` (new layout, /etc an overlay): the same
#     labels as under enforcing, the units run, nothing copied up needlessly.
source "$(dirname "$0")/../scenario.sh"
fresh_disk new
realistic_config permissive; cfg=$CFG
first_boot "$REALISTIC_PROBES probe.upper" "$cfg"
assert_unit_ran
record_unit_time unit_seconds_realistic_permissive_new_layout
assert_ignition_labelled_nothing
assert_state Permissive permissive
assert_units_ran
assert_entry_labels
assert_labels_ok
assert_no_denials_of_ours
assert_copyups realistic_permissive
