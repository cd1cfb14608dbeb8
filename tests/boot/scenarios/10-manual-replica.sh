#!/bin/bash
# 10. Figures only: the manual steps of Flatcar's documentation as a shell replica, timed in
#     the booted guest (old layout, no block, so the links into /usr are still there).
source "$(dirname "$0")/../scenario.sh"
# semodule -DB alone takes over a minute under TCG.
BOOT_TIMEOUT=$(( BOOT_TIMEOUT * 2 ))
fresh_disk old
cfg=$(config plain <<'JSON'
{ "ignition": { "version": "3.3.0" } }
JSON
)
first_boot probe.replica "$cfg"
assert_probed
grep 'PROBE replica' "$B/probe.log" | sed 's/^PROBE replica /   /'
for k in total_without_DB_ms semodule_DB_ms total_with_DB_ms; do
        v=$(probe "replica $k" "$B/probe.log")
        [ -n "$v" ] || fail "the replica did not report $k"
        figure "replica_$k" "$v"
done
assert_eq "$(probe "replica mode" "$B/probe.log")" Enforcing "mode after the replica's load_policy and setenforce 1"
