# SPDX-License-Identifier: MIT
# Sourced by each tests/boot/scenarios/*.sh, which run.sh starts with the built artefacts in
# the environment: INITRD (the Flatcar-like initramfs with our module: Ignition labels
# nothing, the new layout's /etc is an overlay), ROOT_OLD, ROOT_NEW (pristine root images),
# SCEN_DIR (this scenario's scratch directory: disk copy, configs, serial logs).
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
# record_unit_time NAME: the unit's wall time as figure NAME and, when the unit labelled what
# Ignition wrote, the entries it labelled as NAME with unit_seconds → entries_labelled.
record_unit_time() {
        local t l
        t=$(unit_seconds)
        [ -z "$t" ] || figure "$1" "$t"
        l=$(tr -d '\r' <"$B/probe.log" | sed -n 's/^PROBE unit .*ignition-selinux: labelled \([0-9]*\) entries in \([0-9]*\) places.*/\1 (in \2 places)/p' | head -n1)
        [ -z "$l" ] || figure "${1/unit_seconds/entries_labelled}" "$l"
        return 0
}

# --- The realistic first boot (tests/boot/realistic-config.py) ---

# realistic_config MODE [--var-fs DEVICE]: writes the realistic config, its path in $CFG;
# hands the guest the list of every entry Ignition creates or rewrites (fw_cfg, read by the
# probe's probe.paths) and keeps it, "?" for optional ones, in $SCEN_DIR/paths. Not in a
# command substitution: it adds to QEMU_EXTRA.
realistic_config() {
        local mode=$1; shift
        CFG=$SCEN_DIR/realistic-$mode.ign
        python3 "$BOOT_DIR/realistic-config.py" "$mode" "$@" >"$CFG" || fail "realistic-config.py failed"
        python3 "$BOOT_DIR/realistic-config.py" --paths "$@" >"$SCEN_DIR/paths"
        sed 's/^?//' "$SCEN_DIR/paths" >"$SCEN_DIR/paths.guest"
        QEMU_EXTRA+=(-fw_cfg "name=opt/org.ignition-selinux.test/paths,file=$SCEN_DIR/paths.guest")
}
QEMU_EXTRA=()
# The probe's words for a realistic boot.
REALISTIC_PROBES="probe.paths probe.units=demo-unit.service,demo-link.service"

# assert_units_ran: both demo units ran to success in the real root (so systemd read their
# files and drop-in, and could execute /opt/demo/bin/demo-check, which read /etc/demo).
assert_units_ran() {
        local s
        s=$(p "unitstate_demo-unit.service")
        assert_eq "$s" "active exited success enabled" "demo-unit.service (systemd.units, enabled: true, with a drop-in)"
        s=$(p "unitstate_demo-link.service")
        assert_match "$s" '^active exited success' "demo-link.service (enabled by a storage.links link)"
        grep -q '^PROBE unitlog demo-unit.service demo-check unit: ran as .*, drop-in applied' "$B/probe.log" ||
                fail "demo-unit.service did not log its run: $(grep 'PROBE unitlog' "$B/probe.log")"
        ok "$(sed -n 's/^PROBE unitlog demo-unit.service \(demo-check.*\)/\1/p' "$B/probe.log" | tr -d '\r' | head -n1)"
        ok "$(sed -n 's/^PROBE unitlog demo-link.service \(demo-check.*\)/\1/p' "$B/probe.log" | tr -d '\r' | head -n1)"
        local failed
        failed=$(p failed_units)
        [[ " $failed " != *" systemd-tmpfiles-setup.service "* && " $failed " != *" systemd-sysusers.service "* ]] ||
                fail "systemd's own first-boot units failed: $failed"
        ok "failed units: [${failed% }]"
}

# assert_entry_labels: every entry Ignition created or rewrote exists and carries the label
# `setfiles -F` with the target's file_contexts gives it (the guest runs setfiles -n over
# them); three named ones as the issue states them.
assert_entry_labels() {
        local line path opt got n=0
        while IFS= read -r line; do
                opt=; path=$line
                [[ $path == \?* ]] && { opt=1; path=${path#\?}; }
                path=${path#=}
                got=$(p "label $path")
                if [ "$got" = missing ]; then
                        [ -n "$opt" ] || fail "$path: missing on the booted root"
                        continue
                fi
                [ -n "$got" ] || fail "the probe did not report $path"
                n=$((n + 1))
        done <"$SCEN_DIR/paths"
        [ "$(p relabel_count)" = 0 ] ||
                fail "setfiles -F would relabel $(p relabel_count) entries:$(echo; sed -n 's/^PROBE relabel //p' "$B/probe.log" | head -n 30)"
        ok "setfiles -F finds all $n entries Ignition wrote (and what lies under them) labelled as it would label them"
        assert_match "$(p 'label /etc/shadow')" ':shadow_t:' "/etc/shadow"
        assert_match "$(p 'label /home/core/.ssh/authorized_keys.d/ignition')" ':ssh_home_t:' "~core/.ssh/authorized_keys.d/ignition"
        assert_match "$(p 'label /etc/systemd/system/demo-unit.service')" ':systemd_unit_t:' "demo-unit.service"
        [ "$(p avc_unlabeled)" = 0 ] ||
                fail "AVC records name unlabeled_t:$(echo; grep 'PROBE avc .*unlabeled_t' "$B/probe.log" | head -n 10)"
        ok "no AVC record names unlabeled_t ($(p avc_count) denials in all)"
}

# assert_ignition_labelled_nothing: this boot's initramfs is the Flatcar-like one, and
# Ignition's setfiles call reached the no-op (so Ignition asked, and nothing was labelled).
assert_ignition_labelled_nothing() {
        local l
        l=$(sed -n 's/^PROBE noop_setfiles //p' "$B/probe.log" | tr -d '\r' | tail -n1)
        [[ $l =~ no-op:\ ([0-9]+)\ path ]] && [ "${BASH_REMATCH[1]}" -gt 0 ] ||
                fail "Ignition's setfiles did not reach the no-op: [$l]"
        ok "Ignition labelled nothing: its setfiles was the no-op (${BASH_REMATCH[1]} paths asked for)"
}
# assert_ignition_labelled: Debian's Ignition, which labels what it writes (the no-op is absent).
assert_ignition_labelled() {
        ! grep -q '^PROBE noop_setfiles' "$B/probe.log" || fail "the no-op setfiles ran: this is not Debian's initramfs"
        ok "Debian's Ignition labelled what it wrote (no no-op setfiles in this initramfs)"
}

# assert_copyups NAME [booted]: the /etc overlay (new layout) is mounted in the real root.
# As the first boot's initramfs left it (after Ignition, useradd and the program), every entry
# of its upper layer has the label setfiles -F gives it and none was copied up needlessly.
# As it is once booted (every boot; `booted`: later boots, which have no initramfs listing),
# what it holds is reported: what systemd does after switch-root is not this program's (in
# permissive mode systemd-tmpfiles relabels /etc/mtab, a lower entry, to the label it has).
# Records the counts as NAME's figures.
assert_copyups() {
        local name=$1 when whens="initrd booted" n c t
        [ "${2:-}" = booted ] && whens=booted
        assert_eq "$(p etc_fs)" overlay "/etc in the real root"
        if [ "$whens" != booted ]; then
                [ "$(p upper_relabel_count)" = 0 ] ||
                        fail "setfiles -F would relabel $(p upper_relabel_count) entries the initramfs put into the upper layer:$(echo; sed -n 's/^PROBE upper_relabel //p' "$B/probe.log" | head -n 30)"
                ok "every entry the initramfs put into the upper layer (copied-up directories included) has the label setfiles -F gives it"
        fi
        for when in $whens; do
                grep -q "^PROBE upper_$when total " "$B/probe.log" || fail "the probe has no upper_$when listing"
                echo "   upper layer ($when):"
                sed -n "s/^PROBE upper_$when /     /p" "$B/probe.log" | tr -d '\r'
                n=$(tr -d '\r' <"$B/probe.log" | sed -n "s/^PROBE upper_$when needless \([0-9][0-9]*\)$/\1/p")
                c=$(tr -d '\r' <"$B/probe.log" | sed -n "s/^PROBE upper_$when copied_up \([0-9][0-9]*\)$/\1/p")
                t=$(tr -d '\r' <"$B/probe.log" | sed -n "s/^PROBE upper_$when total \([0-9][0-9]*\)$/\1/p")
                if [ "$when" = initrd ]; then
                        [ "$n" = 0 ] || fail "$n needless copy-up(s) on the /etc overlay in the initramfs: $(grep "^PROBE upper_$when needless /" "$B/probe.log")"
                        ok "no needless copy-up on the /etc overlay in the initramfs: $t upper entries, $c of them copied up from the lower"
                else
                        ok "booted: $t upper entries, $c copied up from the lower, $n copied up with nothing changed (after switch-root)"
                fi
                figure "overlay_${name}_upper_entries_$when" "$t"
                figure "overlay_${name}_copied_up_$when" "$c"
                figure "overlay_${name}_needless_$when" "$n"
        done
}

# disk_label PATH: the security.selinux of PATH on $DISK (read with debugfs after the VM is
# off), or "none".
disk_label() {
        local v
        v=$(debugfs -R "ea_get $1 security.selinux" "$DISK" 2>/dev/null | tr -d '\0' | grep -v '^debugfs' || true)
        case $v in *_u:*) echo "$v" ;; *) echo none ;; esac
}
