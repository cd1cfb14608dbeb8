#!/bin/bash
# SPDX-License-Identifier: MIT
# Makes the journal fixtures of this directory: the journal of a Flatcar machine where auditd
# does not run, so journald holds every audit record twice, the kernel's console copy
# ("audit: type=1400 audit(SEC.MS:SERIAL): ...", _TRANSPORT=kernel) and the audit socket's
# ("AVC ...", _TRANSPORT=audit with _AUDIT_ID and _SOURCE_REALTIME_TIMESTAMP), then every form
# journalctl writes it in. The records are those of ../qemu-audit-boot.dmesg (a real boot), an
# SELINUX_ERR, and a program's log line quoting a denial with a byte that is not UTF-8 (which
# journalctl -o json writes as an array of numbers).
#
#   tests/data/denials/journal/make.sh [JOURNAL_REMOTE]
#
# JOURNAL_REMOTE is systemd-journal-remote (Debian package systemd-journal-remote, default
# /lib/systemd/systemd-journal-remote); it turns the export stream into a journal file that
# journalctl --file then prints. The fixtures are checked in: the tests do not run this.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
remote=${1:-/lib/systemd/systemd-journal-remote}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC LC_ALL=C

boot=8f1c2b3a4d5e6f708192a3b4c5d6e7f8
machine=0c7b4f3a2e1d4c5b8a9f0e1d2c3b4a59
# entry TRANSPORT REALTIME_US MONOTONIC_US MESSAGE [FIELD=VALUE...]
entry() {
        local transport=$1 rt=$2 mono=$3 msg=$4; shift 4
        printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=%s\n_MACHINE_ID=%s\n_HOSTNAME=localhost\n_TRANSPORT=%s\n' \
                "$rt" "$mono" "$boot" "$machine" "$transport"
        local f
        for f in "$@"; do printf '%s\n' "$f"; done
        printf 'MESSAGE=%s\n\n' "$msg"
}
# The audit socket's copy: journald puts the record type's name in front and takes the
# stamp's time and serial as fields.
copies() {
        local line=$1 sec ms serial body type name
        [[ $line =~ audit:\ type=([0-9]+)\ audit\(([0-9]+)\.([0-9]{3}):([0-9]+)\):\ (.*)$ ]] || return 0
        type=${BASH_REMATCH[1]} sec=${BASH_REMATCH[2]} ms=${BASH_REMATCH[3]} serial=${BASH_REMATCH[4]} body=${BASH_REMATCH[5]}
        case $type in 1400) name=AVC ;; 1401) name=SELINUX_ERR ;; *) return 0 ;; esac
        local us=$((10#$sec * 1000000 + 10#$ms * 1000)) mono=$(( (10#$sec - 1795455094) * 1000000 + 10#$ms * 1000 ))
        local pid=1
        [[ $body =~ pid=([0-9]+) ]] && pid=${BASH_REMATCH[1]}
        entry audit $((us + 120)) $((mono + 120)) "$name $body" \
                "_AUDIT_TYPE=$type" "_AUDIT_TYPE_NAME=$name" "_AUDIT_ID=$serial" "_PID=$pid" \
                "SYSLOG_FACILITY=4" "SYSLOG_IDENTIFIER=audit" "_SOURCE_REALTIME_TIMESTAMP=$us"
        entry kernel $((us + 410)) $((mono + 410)) "$line" \
                "PRIORITY=5" "SYSLOG_FACILITY=0" "SYSLOG_IDENTIFIER=kernel" "_SOURCE_MONOTONIC_TIMESTAMP=$mono"
}

{
        while IFS= read -r l; do
                copies "${l#*] }"
        done <"$here/../qemu-audit-boot.dmesg"
        copies "audit: type=1401 audit(1795455141.002:40): op=security_compute_sid invalid_context=\"system_u:system_r:sshd_t:s0\" scontext=system_u:system_r:init_t:s0 tcontext=system_u:object_r:bin_t:s0 tclass=process"
        # A program quoting a denial, with a Latin-1 byte: the field in export's binary form.
        msg=$'probe: "avc:  denied  { read } for  pid=901 comm=\\"runc\\" name=\\"caf\xe9\\" scontext=system_u:system_r:initrc_t:s0 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0"'
        printf '__REALTIME_TIMESTAMP=1795455142000000\n__MONOTONIC_TIMESTAMP=48000000\n_BOOT_ID=%s\n_MACHINE_ID=%s\n_HOSTNAME=localhost\n_TRANSPORT=stdout\nSYSLOG_IDENTIFIER=containerd\n_PID=812\nMESSAGE\n' "$boot" "$machine"
        perl -e 'print pack("Q<", length($ARGV[0])), $ARGV[0], "\n\n"' "$msg"
} >"$tmp/export"

"$remote" --output="$tmp/flatcar.journal" "$tmp/export" 2>/dev/null
for fmt in short short-iso short-iso-precise short-full short-unix cat export json json-seq json-pretty verbose; do
        journalctl --file="$tmp/flatcar.journal" --utc --all --no-pager -o "$fmt" >"$here/flatcar.$fmt"
done
