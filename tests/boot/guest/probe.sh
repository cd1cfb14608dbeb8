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
wrong=$(restorecon -R -n -v /etc/selinux /var/lib/selinux/ /etc/audit 2>&1)
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
# The unit's own messages and its start/finish in the initramfs (monotonic seconds).
journalctl -b -o short-monotonic --no-pager -u ignition-selinux.service 2>&1 | outp unit
journalctl -b -o short-monotonic --no-pager -t systemd 2>/dev/null |
        grep -E 'ignition-selinux.service|Ignition \(files\)|Switching root' | outp sd
# Every AVC denial of this boot (the host filters those that touch what the program wrote).
kmsg=$(dmesg 2>/dev/null)
grep -E 'avc: +denied' <<<"$kmsg" | outp avc
out "avc_count=$(grep -cE 'avc: +denied' <<<"$kmsg")"
out "audit_suppressed=$(grep -cE 'callbacks suppressed|audit: rate limit|backlog limit' <<<"$kmsg")"
if has probe.replica; then
        /usr/local/sbin/ignition-selinux-replica 2>&1 | outp replica
fi
out "end"
sync
systemctl poweroff -f
