#!/bin/bash
# SPDX-License-Identifier: MIT
# Test only (tests/boot): overlay-upper.sh ROOTFS — what the upper layer of Flatcar's /etc
# overlay holds, against the lower. ROOTFS is the root filesystem seen without its mounts (a
# plain bind mount), so ROOTFS/etc is the upper layer and ROOTFS/usr/share/flatcar/etc the
# lower. One line per upper entry, then the counts:
#   new PATH            not in the lower: created (by Ignition, useradd, the program, systemd)
#   changed PATH WHAT   in the lower too, and WHAT (type, mode, owner, label, content,
#                       target, opaque) differs
#   parent PATH         a lower directory, itself unchanged, copied up to hold upper entries
#   lock PATH           a lock file, unchanged: copied up because its tool opens it for
#                       writing to take the lock (useradd's /etc/.pwd.lock)
#   whiteout PATH       an entry of the lower removed from the merged /etc
#   needless PATH       copied up with nothing changed: it need not be in the upper layer
#   total N / copied_up N (entries also in the lower, whiteouts left out) / needless N
# Times are not compared (they do not make a copy-up; a `touch` would, and would show here
# as needless). A few processes in all (it runs in the initramfs under TCG too): one find per
# layer, one getfattr and one sha256sum per layer, bash for the rest.
set -uo pipefail
root=${1:?usage: overlay-upper.sh ROOTFS}
up=$root/etc
low=$root/usr/share/flatcar/etc
[ -d "$low" ] || { echo "no $low: /etc is not an overlay on this root"; exit 1; }
LOCKS=" .pwd.lock "

declare -A umeta lmeta ulabel llabel uopaque uhash lhash haschild
rels=()
# REL TYPE MODE OWNER TARGET, tab-separated (%y: d, f, l, c, ...).
while IFS=$'\t' read -r -d '' rel y m o l; do
        rels+=("$rel")
        umeta[$rel]="$y $m $o $l"
        [[ $rel != */* ]] || haschild[${rel%/*}]=1
done < <(cd "$up" && find . -mindepth 1 -printf '%P\t%y\t%m\t%U:%G\t%l\0' | sort -z)
[ ${#rels[@]} -gt 0 ] || { echo "total 0"; echo "copied_up 0"; echo "needless 0"; exit 0; }
inlow=()
for rel in "${rels[@]}"; do
        [ -e "$low/$rel" ] || [ -L "$low/$rel" ] || continue
        inlow+=("$rel")
done
if [ ${#inlow[@]} -gt 0 ]; then
        while IFS=$'\t' read -r -d '' rel y m o l; do
                lmeta[$rel]="$y $m $o $l"
        done < <(cd "$low" && find "${inlow[@]}" -maxdepth 0 -printf '%p\t%y\t%m\t%U:%G\t%l\0')
fi
# getfattr -d: "# file: PATH", then NAME="VALUE" lines, then a blank line.
read_xattrs() { # DIR ARRAY-PREFIX REL...
        local dir=$1 kind=$2 line file=; shift 2
        while IFS= read -r line; do
                case $line in
                "# file: "*) file=${line#"# file: "} ;;
                security.selinux=*)
                        line=${line#security.selinux=\"}; line=${line%\"}
                        if [ "$kind" = u ]; then ulabel[$file]=$line; else llabel[$file]=$line; fi ;;
                trusted.overlay.opaque=*) [ "$kind" = u ] && uopaque[$file]=1 ;;
                esac
        done < <(cd "$dir" && getfattr -h -d -m '^(security\.selinux|trusted\.overlay\.opaque)$' -- "$@" 2>/dev/null)
}
read_xattrs "$up" u "${rels[@]}"
[ ${#inlow[@]} -eq 0 ] || read_xattrs "$low" l "${inlow[@]}"
files=()
for rel in "${inlow[@]}"; do
        [ "${umeta[$rel]%% *}" = f ] && [ "${lmeta[$rel]%% *}" = f ] && files+=("$rel")
done
if [ ${#files[@]} -gt 0 ]; then
        while read -r h rel; do uhash[$rel]=$h; done < <(cd "$up" && sha256sum -- "${files[@]}")
        while read -r h rel; do lhash[$rel]=$h; done < <(cd "$low" && sha256sum -- "${files[@]}")
fi

total=0 copied=0 needless=0
for rel in "${rels[@]}"; do
        total=$((total + 1))
        read -r y m o l <<<"${umeta[$rel]}"
        if [ "$y" = c ] && [ "$(stat -c '%t:%T' -- "$up/$rel")" = 0:0 ]; then
                echo "whiteout /etc/$rel"
                continue
        fi
        if [ -z "${lmeta[$rel]+set}" ]; then
                echo "new /etc/$rel"
                continue
        fi
        copied=$((copied + 1))
        read -r ly lm lo ll <<<"${lmeta[$rel]}"
        what=()
        [ "$y" = "$ly" ] || what+=(type)
        [ "$m" = "$lm" ] || what+=(mode)
        [ "$o" = "$lo" ] || what+=(owner)
        [ "${ulabel[$rel]:-none}" = "${llabel[$rel]:-none}" ] || what+=("label:${llabel[$rel]:-none}->${ulabel[$rel]:-none}")
        [ "$y" != l ] || [ "$l" = "$ll" ] || what+=(target)
        [ -z "${uhash[$rel]+set}" ] || [ "${uhash[$rel]}" = "${lhash[$rel]}" ] || what+=(content)
        [ "$y" != d ] || [ -z "${uopaque[$rel]+set}" ] || what+=(opaque)
        if [ ${#what[@]} -gt 0 ]; then
                echo "changed /etc/$rel ${what[*]}"
        elif [ "$y" = d ] && [ -n "${haschild[$rel]+set}" ]; then
                echo "parent /etc/$rel"
        elif [ "$y" = f ] && [[ $LOCKS == *" $rel "* ]]; then
                echo "lock /etc/$rel"
        else
                echo "needless /etc/$rel"
                needless=$((needless + 1))
        fi
done
echo "total $total"
echo "copied_up $copied"
echo "needless $needless"
