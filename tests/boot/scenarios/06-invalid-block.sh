#!/bin/bash
# 6. An invalid block → the unit fails, the emergency target is reached (rd.emergency=poweroff
#    ends the VM), the console shows the message, and the root disk is unchanged.
source "$(dirname "$0")/../scenario.sh"
fresh_disk old
before=$(img_selinux_manifest "$DISK")
cfg=$(config invalid <<'JSON'
{ "ignition": { "version": "3.3.0" }, "selinux": { "mode": "enforce" } }
JSON
)
first_boot "" "$cfg"
console=$(sed 's/\x1b\[[0-9;]*[mK]//g' "$B/console.log" | tr -d '\r')
grep -qF '$.selinux.mode: expected one of "enforcing", "permissive", "disabled", got "enforce"' <<<"$console" ||
        fail "the console lacks the message; ignition-selinux lines: $(grep -a 'ignition-selinux' <<<"$console" | tail -n 5)"
ok "the console shows: $(grep -a -m1 -o 'error: .*selinux.mode.*' <<<"$console")"
grep -qE 'FAILED.*Failed to start ignition-s|Failed to start ignition-selinux.service|ignition-selinux.service: Failed' <<<"$console" ||
        fail "no sign on the console that ignition-selinux.service failed"
ok "ignition-selinux.service failed"
grep -qE 'Reached target emergency.target' <<<"$console" || fail "the emergency target was not reached"
ok "the emergency target was reached"
grep -q "reboot: Power down" <<<"$console" || fail "the VM did not power off (rd.emergency=poweroff)"
ok "rd.emergency=poweroff powered the VM off"
grep -q 'Switching root' <<<"$console" && fail "the boot went on to switch-root"
[ -s "$B/probe.log" ] && fail "the real root came up and reported"
ok "no switch-root"
after=$(img_selinux_manifest "$DISK")
[ "$before" == "$after" ] || fail "the disk changed: $(diff <(echo "$before") <(echo "$after") | head -n 20)"
ok "the SELinux files on the disk are unchanged ($(wc -l <<<"$before") entries compared)"
