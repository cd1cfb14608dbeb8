#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs in the booted guest (tests/boot), once basic.target is reached: reports what
# the real root sees as "PROBE key=value" lines on the second serial port (the host reads
# them from its file; the first port is the console, busy with the kernel's messages), then
# powers the machine off. Words on the kernel command line ask for extra work:
#   probe.replica   time a shell replica of Flatcar's manual steps (after the report)
#   probe.setenforce  round-trip setenforce 0/1 and report each mode
#   probe.bool=NAME   report getsebool NAME (repeatable)
#   probe.setsebool=NAME  setsebool -P NAME on, as an operator would; report how it went
#   probe.rousr       first make /usr read-only (a read-only bind mount), as on Flatcar
#   probe.av=SRC:TGT:CLASS:PERM  ask the loaded policy (selinuxfs) whether domain SRC_t may
#                     PERM on TGT objects, and whether SRC is permissive (repeatable)
#   probe.units=U1,U2  wait (up to 150 s) for these units' start jobs to finish; report their
#                     state and their journal
#   probe.paths       the paths listed in fw_cfg opt/org.ignition-selinux.test/paths (one a
#                     line): each one's label, and what `setfiles -F` with the target's
#                     file_contexts would relabel among them (dry run)
#   probe.upper       what the /etc overlay's upper layer holds, now (overlay-upper on the
#                     root filesystem bound without its mounts) and as the initramfs left it
#                     (/run/flatcar-like/upper-initrd)
# The port is opened per line, never left open for children: those that change domain
# (dmesg runs as dmesg_t) may not write to it.
port=/dev/ttyS1
[ -c $port ] || port=/dev/console
out() { printf 'PROBE %s\n' "$*" >>$port; }
outp() { sed "s/^/PROBE $1 /" >>$port; }
has() { [[ " $(cat /proc/cmdline) " == *" $1 "* ]]; }
mode() { case $(cat /sys/fs/selinux/enforce 2>/dev/null) in 1) echo Enforcing ;; 0) echo Permissive ;; *) echo none ;; esac; }
kind() { if [ -L "$1" ]; then echo "link:$(readlink "$1")"; elif [ -d "$1" ]; then echo dir; elif [ -f "$1" ]; then echo file; else echo missing; fi; }

out "begin"
out "cmdline=$(cat /proc/cmdline)"
out "mode=$(mode)"
out "getenforce=$(getenforce 2>&1)"
out "config=$(grep -E '^SELINUX=' /etc/selinux/config 2>&1)"
out "configtype=$(grep -E '^SELINUXTYPE=' /etc/selinux/config 2>&1)"
out "kind_config=$(kind /etc/selinux/config)"
type=$(sed -n 's/^SELINUXTYPE=//p' /etc/selinux/config 2>/dev/null)
out "kind_policydir=$(kind "/etc/selinux/${type:-mcs}")"
out "kind_store=$(kind /var/lib/selinux)"
out "kind_block=$(kind /etc/selinux/ignition.json)"
out "audit_rules=$(cd /etc/audit/rules.d 2>/dev/null && ls | tr '\n' ' ')"
out "disable_dontaudit=$([ -e "/var/lib/selinux/${type:-mcs}/active/disable_dontaudit" ] && echo yes || echo no)"
booleans=$(ls /sys/fs/selinux/booleans 2>/dev/null | wc -l)
out "booleans=$booleans"
out "policy_loaded=$([ "$booleans" -gt 0 ] && echo yes || echo no)"
out "context=$(cat /proc/self/attr/current 2>/dev/null | tr -d '\0')"
if [ "$booleans" -gt 0 ] && [ -x /usr/local/bin/policy-tool ]; then
        out "dontaudit_loaded=$(/usr/local/bin/policy-tool count /sys/fs/selinux/policy 2>&1)"
fi
# What the program wrote is labelled as the target's policy says: restorecon (dry run) as the
# oracle lists every path whose label differs from file_contexts.
rpaths=()
for d in /etc/selinux /var/lib/selinux/ /etc/audit; do [ -e "$d" ] && rpaths+=("$d"); done
wrong=$(restorecon -R -n -v "${rpaths[@]}" 2>&1)
out "mislabelled=$(grep -c . <<<"$wrong")"
[ -z "$wrong" ] || outp mislabel <<<"$wrong"
out "system_slice=$(systemctl is-active system.slice)"
out "failed_units=$(systemctl list-units --failed --plain --no-legend 2>/dev/null | awk '{print $1}' | tr '\n' ' ')"
if has probe.rousr; then
        mount --bind /usr /usr 2>&1 | outp rousr-error
        mount -o remount,bind,ro /usr 2>&1 | outp rousr-error
        out "usr_ro=$(touch /usr/.probe-rw 2>/dev/null && { rm -f /usr/.probe-rw; echo no; } || echo yes)"
fi
for w in $(cat /proc/cmdline); do
        case $w in
        probe.bool=*) n=${w#probe.bool=}; out "bool_$n=$(getsebool "$n" 2>&1)" ;;
        probe.setsebool=*)
                n=${w#probe.setsebool=}
                msg=$(setsebool -P "$n" on 2>&1); rc=$?
                out "setsebool_rc=$rc"
                [ -z "$msg" ] || outp setsebool-msg <<<"$msg"
                out "bool_after_setsebool_$n=$(getsebool "$n" 2>&1)"
                out "booleans_local=$(tr '\n' ' ' <"/var/lib/selinux/${type:-mcs}/active/booleans.local" 2>&1)"
                ;;
        probe.av=*)
                IFS=: read -r src tgt cls perm <<<"${w#probe.av=}"
                out "av_${src}_${tgt}_${cls}_${perm}=$(/usr/local/bin/policy-tool av "system_u:system_r:$src:s0" \
                        "system_u:object_r:$tgt:s0" "$cls" "$perm" 2>&1)"
                ;;
        esac
done
if has probe.setenforce; then
        was=$(cat /sys/fs/selinux/enforce)
        setenforce 0 2>&1 | outp setenforce-error
        out "after_setenforce0=$(getenforce)"
        setenforce 1 2>&1 | outp setenforce-error
        out "after_setenforce1=$(getenforce)"
        setenforce "$was"
fi
for w in $(cat /proc/cmdline); do
        case $w in
        probe.units=*)
                units=${w#probe.units=}
                units=${units//,/ }
                # Their start jobs were queued with multi-user.target; wait for them to finish.
                for _ in $(seq 150); do
                        pending=$(for u in $units; do systemctl show -p Job --value "$u"; done | tr -d '\n')
                        [ -z "$pending" ] && break
                        sleep 1
                done
                for u in $units; do
                        # (systemd answers only if the policy lets the caller see the unit's file.)
                        st=
                        for prop in ActiveState SubState Result UnitFileState; do
                                st+="$(systemctl show -p "$prop" --value "$u" 2>&1) "
                        done
                        out "unitstate_$u=${st% }"
                        journalctl -b -o cat --no-pager -u "$u" 2>&1 | outp "unitlog $u"
                done
                ;;
        esac
done
if has probe.paths; then
        list=/sys/firmware/qemu_fw_cfg/by_name/opt/org.ignition-selinux.test/paths/raw
        fc=/etc/selinux/${type:-mcs}/contexts/files/file_contexts
        paths=() alone=()
        if [ -r "$list" ]; then
                while IFS= read -r path; do
                        [ -n "$path" ] || continue
                        # "=PATH": that entry alone, not what lies under it (a mount point
                        # whose contents the running system makes).
                        a=; [[ $path == =* ]] && { a=1; path=${path#=}; }
                        if [ -e "$path" ] || [ -L "$path" ]; then
                                out "label $path=$(stat -c %C "$path" 2>&1)"
                                if [ -n "$a" ]; then alone+=("$path"); else paths+=("$path"); fi
                        else
                                out "label $path=missing"
                        fi
                done <"$list"
        else
                out "paths_error=no $list"
        fi
        # Ignition's own command (setfiles -vF0 -r ROOT FILE_CONTEXTS -f -) as a dry run, the
        # paths as arguments (setfiles_t may not read a list the probe writes): the label
        # setfiles -F would give each of them (and what lies under the directories).
        wrong=$({
                [ ${#paths[@]} -eq 0 ] || setfiles -n -v -F "$fc" "${paths[@]}" 2>&1
                for a in "${alone[@]}"; do
                        setfiles -n -v -F "$fc" "$a" 2>&1 | grep -F "Would relabel $a from " || true
                done
        } | sort -u)
        out "relabel_count=$(grep -c . <<<"$wrong")"
        [ -z "$wrong" ] || outp relabel <<<"$wrong"
        out "paths_checked=$(( ${#paths[@]} + ${#alone[@]} ))"
fi
out "etc_fs=$(findmnt -n -o FSTYPE /etc 2>/dev/null || echo none)"
out "var_source=$(findmnt -n -o SOURCE /var 2>/dev/null || echo none)"
if has probe.upper; then
        [ -f /run/flatcar-like/upper-initrd ] && outp upper_initrd </run/flatcar-like/upper-initrd
        # Under /mnt: mount(8) runs as mount_t, which may mount on mnt_t, not on /run.
        mkdir -p /mnt/probe-rootfs
        if mount --bind / /mnt/probe-rootfs; then
                /usr/local/sbin/overlay-upper /mnt/probe-rootfs 2>&1 | outp upper_booted
                umount /mnt/probe-rootfs
                rmdir /mnt/probe-rootfs
        fi
        # Every entry the initramfs put into the upper layer (copied-up parents included,
        # which the overlay makes without a label before a policy is loaded) as setfiles -F
        # would label it. (What systemd makes later gets its label from the policy.)
        if [ -f /run/flatcar-like/upper-initrd ]; then
                mapfile -t up < <(awk '$1 ~ /^(new|changed|parent|lock|needless)$/ && $2 ~ /^\// { print $2 }' /run/flatcar-like/upper-initrd)
                wrong=$(setfiles -n -v -F "/etc/selinux/${type:-mcs}/contexts/files/file_contexts" "${up[@]}" 2>&1 | sort -u)
                out "upper_relabel_count=$(grep -c . <<<"$wrong")"
                [ -z "$wrong" ] || outp upper_relabel <<<"$wrong"
        fi
fi
# The unit's own messages and its start/finish in the initramfs (monotonic seconds).
journalctl -b -o short-monotonic --no-pager -u ignition-selinux.service 2>&1 | outp unit
journalctl -b -o short-monotonic --no-pager -t systemd 2>/dev/null |
        grep -E 'ignition-selinux.service|Ignition \(files\)|Switching root|initrd-setup-root|flatcar-like' | outp sd
# Every AVC denial of this boot (the host filters those that touch what the program wrote).
kmsg=$(dmesg 2>/dev/null)
grep -E 'avc: +denied' <<<"$kmsg" | outp avc
out "avc_count=$(grep -cE 'avc: +denied' <<<"$kmsg")"
# Any AVC record, denied or granted, about an unlabelled object or subject.
out "avc_unlabeled=$(grep -E 'avc: +(denied|granted)' <<<"$kmsg" | grep -c unlabeled_t)"
out "audit_suppressed=$(grep -cE 'callbacks suppressed|audit: rate limit|backlog limit' <<<"$kmsg")"
# The Flatcar-like initramfs's setfiles: what Ignition asked it to label (nothing was).
grep -o 'flatcar-like: setfiles.*' <<<"$kmsg" | outp noop_setfiles
if has probe.replica; then
        /usr/local/sbin/ignition-selinux-replica 2>&1 | outp replica
fi
out "end"
sync
systemctl poweroff -f
