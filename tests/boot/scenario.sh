# SPDX-License-Identifier: MIT
# Sourced by each tests/boot/scenarios/*.sh, which run.sh starts with the built artefacts in
# the environment: INITRD (initramfs with our module), ROOT_OLD, ROOT_NEW (pristine root
# images), SCEN_DIR (this scenario's scratch directory: disk copy, configs, serial logs).
# A scenario exits 0 when every assertion holds; the first failed one says why and exits 1.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${INITRD:?}" "${ROOT_OLD:?}" "${ROOT_NEW:?}" "${SCEN_DIR:?}"
DISK=$SCEN_DIR/root.img
NBOOT=0

fail() {
        echo "FAIL: $*" >&2
        exit 1
}
ok() { echo "ok: $*"; }
assert_eq() { [ "$1" == "$2" ] && ok "$3 = $2" || fail "$3: expected [$2], got [$1]"; }
assert_match() { [[ $1 =~ $2 ]] && ok "$3 ~ $2" || fail "$3: expected /$2/, got [$1]"; }

# A copy of the pristine image for this scenario (sparse, or a reflink where the fs can).
fresh_disk() {
        local src=$ROOT_OLD
        [ "${1:-old}" = new ] && src=$ROOT_NEW
        cp --reflink=auto --sparse=always "$src" "$DISK"
}

# An Ignition config in $SCEN_DIR/NAME.ign from stdin.
config() { cat >"$SCEN_DIR/$1.ign"; echo "$SCEN_DIR/$1.ign"; }

# The file form of the block: an Ignition config writing /etc/selinux/ignition.json.
file_form() {
        local enc
        enc=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1")
        cat <<JSON
{ "ignition": { "version": "3.3.0" },
  "storage": { "files": [ { "path": "/etc/selinux/ignition.json", "mode": 420,
    "contents": { "source": "data:,$enc" } } ] } }
JSON
}

# boot [--initrd FILE] CMDLINE-WORDS [CONFIG]: boots $DISK; the logs of boot N are in
# $SCEN_DIR/bootN/ and $B points there. A boot that does not end within the timeout fails.
boot() {
        local initrd=$INITRD rc=0
        if [ "$1" = --initrd ]; then initrd=$2; shift 2; fi
        NBOOT=$((NBOOT + 1))
        B=$SCEN_DIR/boot$NBOOT
        mkdir -p "$B"
        echo "-- boot $NBOOT: $1${2:+ (config $(basename "$2"))}"
        boot_vm "$B" "$DISK" "$initrd" "$BASE_CMDLINE $1" "${2:-}" || rc=$?
        echo "   $(cat "$B/boot-seconds") s, qemu status $rc"
        [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || fail "boot $NBOOT timed out after ${BOOT_TIMEOUT}s; console: $B/console.log"
        [ "$rc" -eq 0 ] || fail "qemu failed ($rc): $(tail -n3 "$B/qemu.log")"
}
first_boot() { boot "$FIRSTBOOT_CMDLINE $1" "${2:-}"; }

p() { probe "$1" "$B/probe.log"; }

# The guest ran its probe to the end (so the real root came up and reported).
assert_probed() {
        grep -q '^PROBE end' "$B/probe.log" 2>/dev/null ||
                fail "the guest did not report; last console lines:$(echo; sed 's/\x1b\[[0-9;]*[mK]//g' "$B/console.log" | tr -d '\r' | tail -n 15)"
}

# The real root's SELinux state: mode (Enforcing|Permissive|none), SELINUX= in the config.
assert_state() {
        assert_probed
        assert_eq "$(p mode)" "$1" "mode from /sys/fs/selinux/enforce"
        assert_eq "$(p config)" "SELINUX=$2" "/etc/selinux/config"
}

# AVC denials that touch what the program writes or moves: /etc/selinux, /var/lib/selinux,
# the audit rules, or objects of the types those carry.
OUR_TYPES='selinux_config_t|semanage_store_t|semanage_read_lock_t|semanage_trans_lock_t|default_context_t|file_context_t|policy_config_t|auditd_etc_t|audit_rules_t'
our_denials() {
        tr -d '\r' <"$B/probe.log" | sed -n 's/^PROBE avc //p' |
                grep -E "path=\"/(etc/selinux|var/lib/selinux|etc/audit)|name=\"(selinux|ignition\.json|config|mcs|policy(\.[0-9]+)?|rules\.d|[^\"]*\.rules[^\"]*|active|file_contexts[^\"]*)\"|tcontext=[^ ]*:($OUR_TYPES):" || true
}
# assert_no_denials_of_ours [--dontaudit-off]: no AVC denial touches what the program wrote.
# With the policy's dontaudit rules in place, a correctly labelled file draws no denial, so
# any denial there counts. With --dontaudit-off (auditDenials: true) the policy's own
# dontaudit-ed accesses become visible by design: only denials on an object whose type is
# not one the policy gives those places (a label this program got wrong) count.
assert_no_denials_of_ours() {
        local d
        d=$(our_denials)
        if [ "${1:-}" = --dontaudit-off ] && [ -n "$d" ]; then
                echo "   denials on correctly labelled objects, visible without dontaudit rules:"
                grep -E "tcontext=[^ ]*:($OUR_TYPES):" <<<"$d" | sed 's/^/     /' || true
                d=$(grep -vE "tcontext=[^ ]*:($OUR_TYPES):" <<<"$d" || true)
        fi
        [ -z "$d" ] || fail "AVC denials touching what ignition-selinux wrote:$(echo; echo "$d")"
        ok "no AVC denial touches what ignition-selinux wrote ($(p avc_count) denials in all)"
}
# The program's files carry the labels the target's file_contexts give them (restorecon -n
# in the guest, as the oracle, finds nothing to change under /etc/selinux, /var/lib/selinux,
# /etc/audit).
assert_labels_ok() {
        [ "$(p mislabelled)" = 0 ] ||
                fail "restorecon would relabel $(p mislabelled) path(s):$(echo; sed -n 's/^PROBE mislabel //p' "$B/probe.log" | head -n 20)"
        ok "restorecon -n finds every label under /etc/selinux, /var/lib/selinux, /etc/audit right"
}
# Denials of a boot in which the program wrote nothing: reported, not asserted.
report_denials() {
        local d
        d=$(our_denials)
        echo "   $(p avc_count) denials in all; on SELinux/audit files (not written by ignition-selinux this boot): $(grep -c . <<<"$d")"
        [ -z "$d" ] || sed 's/^/     /' <<<"$d"
}

# The unit ran in the initramfs of this boot and finished.
assert_unit_ran() {
        grep -q "PROBE unit .*Finished ignition-selinux.service" "$B/probe.log" ||
                fail "ignition-selinux.service did not finish in the initramfs: $(grep 'PROBE unit' "$B/probe.log")"
        ok "ignition-selinux.service ran and finished before switch-root"
}
assert_unit_log() {
        grep -qF -- "$1" <(sed -n 's/^PROBE unit //p' "$B/probe.log") ||
                fail "the unit's log lacks [$1]: $(sed -n 's/^PROBE unit //p' "$B/probe.log")"
        ok "the unit logged [$1]"
}

# unit_seconds: the unit's wall time (Starting → Finished, monotonic clock) in this boot.
unit_seconds() {
        sed -n 's/^PROBE unit \[ *\([0-9.]*\)\] .*\(Starting\|Finished\) ignition-selinux.service.*/\2 \1/p' "$B/probe.log" |
                awk '$1=="Starting"{s=$2} $1=="Finished"{f=$2} END{if (s && f) printf "%.2f\n", f-s}'
}
# Recorded for run.sh's figures: NAME VALUE.
figure() { echo "$1 $2" >>"$SCEN_DIR/figures"; }
record_unit_time() { local t; t=$(unit_seconds); [ -n "$t" ] && figure "$1" "$t"; return 0; }
