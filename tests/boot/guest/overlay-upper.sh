#!/bin/bash
# SPDX-License-Identifier: MIT
# Test only (tests/boot): overlay-upper.sh ROOTFS — what the upper layer of Flatcar's /etc
# overlay holds, against the lower. ROOTFS is the root filesystem seen without its mounts (a
# plain bind mount), so ROOTFS/etc is the upper layer and ROOTFS/usr/share/flatcar/etc the
# lower. One line per upper entry, then the counts:
#   new PATH            not in the lower: created (by Ignition, useradd, the program, systemd)
#   changed PATH WHAT   in the lower too, and WHAT (content, type, mode, owner, label) differs
#   parent PATH         a lower directory, itself unchanged, copied up to hold upper entries
#   whiteout PATH       an entry of the lower removed from the merged /etc
#   needless PATH       copied up with nothing changed: it need not be in the upper layer
#   total N / copied_up N (entries also in the lower, whiteouts left out) / needless N
# Times are not compared (they do not make a copy-up; a `touch` would, and would show here
# as needless).
set -uo pipefail
root=${1:?usage: overlay-upper.sh ROOTFS}
up=$root/etc
low=$root/usr/share/flatcar/etc
[ -d "$low" ] || { echo "no $low: /etc is not an overlay on this root"; exit 1; }
label() { getfattr -h --absolute-names --only-values -n security.selinux -- "$1" 2>/dev/null | tr -d '\0'; }
opaque() { [ "$(getfattr -h --absolute-names --only-values -n trusted.overlay.opaque -- "$1" 2>/dev/null)" = y ]; }
total=0 copied=0 needless=0
while IFS= read -r -d '' p; do
        rel=${p#"$up"}
        total=$((total + 1))
        if [ -c "$p" ] && [ "$(stat -c '%t:%T' -- "$p")" = 0:0 ]; then
                echo "whiteout /etc$rel"
                continue
        fi
        l=$low$rel
        if [ ! -e "$l" ] && [ ! -L "$l" ]; then
                echo "new /etc$rel"
                continue
        fi
        copied=$((copied + 1))
        what=()
        [ "$(stat -c %F -- "$p")" = "$(stat -c %F -- "$l")" ] || what+=(type)
        [ "$(stat -c %a -- "$p")" = "$(stat -c %a -- "$l")" ] || what+=(mode)
        [ "$(stat -c %u:%g -- "$p")" = "$(stat -c %u:%g -- "$l")" ] || what+=(owner)
        [ "$(label "$p")" = "$(label "$l")" ] || what+=("label:$(label "$l")->$(label "$p")")
        if [ -L "$p" ] && [ -L "$l" ]; then
                [ "$(readlink -- "$p")" = "$(readlink -- "$l")" ] || what+=(target)
        elif [ -f "$p" ] && [ -f "$l" ]; then
                cmp -s -- "$p" "$l" || what+=(content)
        elif [ -d "$p" ] && opaque "$p"; then
                what+=(opaque)
        fi
        if [ ${#what[@]} -gt 0 ]; then
                echo "changed /etc$rel ${what[*]}"
        elif [ -d "$p" ] && [ ! -L "$p" ] && [ -n "$(find "$p" -mindepth 1 -maxdepth 1 -print -quit)" ]; then
                echo "parent /etc$rel"
        else
                echo "needless /etc$rel"
                needless=$((needless + 1))
        fi
done < <(find "$up" -mindepth 1 -print0 | sort -z)
echo "total $total"
echo "copied_up $copied"
echo "needless $needless"
