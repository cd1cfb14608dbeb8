#!/bin/bash
# SPDX-License-Identifier: MIT
# mkroot.sh LAYOUT DIR — fake Flatcar target root, built from the host's
# installed policy (selinux-policy-default) with the policy type renamed to
# `mcs` as on Flatcar. Layouts (docs/boot.md describes Flatcar's two):
#   old-rel   real files in usr/lib/selinux/{config,mcs}, store in
#             usr/lib/selinux/policy/mcs; etc/selinux/{config,mcs} and
#             var/lib/selinux are relative symlinks into usr (before Alpha 3745)
#   old-abs   the same with absolute symlink targets
#   new       real etc/selinux/{config,mcs,semanage.conf}; usr/lib/selinux/*
#             compatibility symlinks into usr/share/flatcar/etc/selinux
#             (Alpha 3745 and later); store as in old-rel
#   plain     everything real in etc/selinux and var/lib/selinux (no symlinks)
#   tiny-old-rel, tiny-new, tiny-plain
#             the same structure with a minimal policy and store, for tests
#             that run thousands of times
# Every root also has audit rules that hide AVC records, a few ordinary
# files, security.selinux labels from the policy's own file_contexts and a
# user.test xattr on some policy files (so tests can see xattrs travel).
#
# Roots are built once into ${ROOTCACHE:-/var/tmp/ignition-selinux-roots}
# (keyed on the host policy and this script) and copied with cp -a, so a
# cached call takes a fraction of a second. Silent on success; needs root.
set -euo pipefail

HOST_POLICY_DIR=/etc/selinux/default
HOST_STORE=/var/lib/selinux/default
HOST_SEMANAGE_CONF=/etc/selinux/semanage.conf
CACHE=${ROOTCACHE:-/var/tmp/ignition-selinux-roots}

die() { echo "mkroot.sh: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: mkroot.sh LAYOUT DIR"
LAYOUT=$1
DEST=$2

case $LAYOUT in
old-rel | old-abs | new | plain | tiny-old-rel | tiny-new | tiny-plain) ;;
*) die "unknown layout '$LAYOUT'" ;;
esac
[ "$(id -u)" -eq 0 ] || die "needs root (ownership and security.* xattrs)"
[ -f "$HOST_POLICY_DIR/policy/policy.33" ] || die "no host policy at $HOST_POLICY_DIR"
[ -d "$HOST_STORE" ] || die "no host module store at $HOST_STORE"
if [ -e "$DEST" ] && [ -n "$(ls -A "$DEST")" ]; then
        die "$DEST exists and is not empty"
fi

# Copies the host policy directory (selinux-policy-default's
# /etc/selinux/default) to $1, or only what loading and labelling need.
copy_policy() {
        local to=$1 tiny=$2
        if [ "$tiny" = 0 ]; then
                cp -a "$HOST_POLICY_DIR" "$to"
        else
                mkdir -p "$to/policy" "$to/contexts/files"
                cp -a "$HOST_POLICY_DIR/policy/policy.33" "$to/policy/"
                cp -a "$HOST_POLICY_DIR/contexts/files/file_contexts" "$to/contexts/files/"
                if [ -f "$HOST_POLICY_DIR/contexts/files/file_contexts.bin" ]; then
                        cp -a "$HOST_POLICY_DIR/contexts/files/file_contexts.bin" "$to/contexts/files/"
                fi
                cp -a "$HOST_POLICY_DIR/seusers" "$to/"
        fi
        # Something for copy code to carry over besides labels.
        setfattr -n user.test -v 1 "$to/policy/policy.33"
        setfattr -n user.test -v policy-dir "$to/seusers"
}

# Copies the host module store (/var/lib/selinux/default) to $1.
copy_store() {
        local to=$1 tiny=$2 f
        if [ "$tiny" = 0 ]; then
                cp -a "$HOST_STORE" "$to"
        else
                mkdir -p "$to/active"
                chmod --reference="$HOST_STORE" "$to"
                chmod --reference="$HOST_STORE/active" "$to/active"
                for f in policy.kern commit_num seusers users_extra modules_checksum; do
                        cp -a "$HOST_STORE/active/$f" "$to/active/"
                done
        fi
        setfattr -n user.test -v store "$to/active/commit_num"
}

write_config() {
        cat >"$1" <<'EOF'
# This file controls the state of SELinux on the system.
# SELINUX= can take one of these three values:
#     enforcing - SELinux security policy is enforced.
#     permissive - SELinux prints warnings instead of enforcing.
#     disabled - No SELinux policy is loaded.
SELINUX=permissive
# SELINUXTYPE= can take one of these values:
#     mcs - Multi Category Security protection.
SELINUXTYPE=mcs
EOF
}

ordinary_files() {
        local r=$1
        mkdir -p "$r/etc/audit/rules.d" "$r/usr/bin" "$r/usr/lib" "$r/usr/share" \
                "$r/var/log" "$r/var/home/core" "$r/run" "$r/tmp"
        chmod 1777 "$r/tmp"
        printf -- '-D\n' >"$r/etc/audit/rules.d/00-clear.rules"
        printf -- '# Drop every SELinux AVC record (Flatcar default)\n-a exclude,never -F msgtype>=1400 -F msgtype<=1499\n' \
                >"$r/etc/audit/rules.d/80-selinux.rules"
        printf -- '# Flatcar: keep the audit log quiet\n-a exclude,never -F msgtype=CONFIG_CHANGE\n-a exclude,always -F msgtype>0\n' \
                >"$r/etc/audit/rules.d/99-default.rules"
        chmod 0640 "$r"/etc/audit/rules.d/*.rules
        printf 'localhost\n' >"$r/etc/hostname"
        printf 'ID=flatcar\nNAME="Flatcar Container Linux by Kinvolk"\nVERSION_ID=3510.2.0\n' >"$r/usr/lib/os-release"
        ln -s ../usr/lib/os-release "$r/etc/os-release"
        printf '#!/bin/sh\necho hello\n' >"$r/usr/bin/hello"
        chmod 0755 "$r/usr/bin/hello"
        printf 'boot log\n' >"$r/var/log/boot.log"
        printf 'not root\n' >"$r/var/home/core/.profile"
        # Flatcar's core user is 500:500; a non-root owner shows whether
        # copies keep ownership.
        chown -R 500:500 "$r/var/home/core"
}

build() {
        local layout=$1 r=$2 tiny=0 base=$1 fcdir

        case $layout in
        tiny-*)
                tiny=1
                base=${layout#tiny-}
                ;;
        esac

        chmod 0755 "$r"
        ordinary_files "$r"
        mkdir -p "$r/etc/selinux" "$r/var/lib"

        case $base in
        old-rel | old-abs)
                local pre=../..
                [ "$base" = old-abs ] && pre=
                mkdir -p "$r/usr/lib/selinux/policy"
                write_config "$r/usr/lib/selinux/config"
                copy_policy "$r/usr/lib/selinux/mcs" "$tiny"
                copy_store "$r/usr/lib/selinux/policy/mcs" "$tiny"
                ln -s "$pre/usr/lib/selinux/config" "$r/etc/selinux/config"
                ln -s "$pre/usr/lib/selinux/mcs" "$r/etc/selinux/mcs"
                ln -s "$pre/usr/lib/selinux/policy" "$r/var/lib/selinux"
                cp -a "$HOST_SEMANAGE_CONF" "$r/etc/selinux/semanage.conf"
                fcdir=$r/usr/lib/selinux/mcs
                ;;
        new)
                local fl=$r/usr/share/flatcar/etc/selinux
                mkdir -p "$fl" "$r/usr/lib/selinux/policy"
                write_config "$fl/config"
                copy_policy "$fl/mcs" "$tiny"
                cp -a "$HOST_SEMANAGE_CONF" "$fl/semanage.conf"
                ln -s ../../share/flatcar/etc/selinux/config "$r/usr/lib/selinux/config"
                ln -s ../../share/flatcar/etc/selinux/mcs "$r/usr/lib/selinux/mcs"
                ln -s ../../share/flatcar/etc/selinux/semanage.conf "$r/usr/lib/selinux/semanage.conf"
                copy_store "$r/usr/lib/selinux/policy/mcs" "$tiny"
                # /etc is the overlay's merged view in the real thing: real
                # entries with the same content as the lower layer.
                cp -a "$fl/config" "$fl/mcs" "$fl/semanage.conf" "$r/etc/selinux/"
                ln -s ../../usr/lib/selinux/policy "$r/var/lib/selinux"
                fcdir=$fl/mcs
                ;;
        plain)
                mkdir -p "$r/var/lib/selinux"
                write_config "$r/etc/selinux/config"
                copy_policy "$r/etc/selinux/mcs" "$tiny"
                copy_store "$r/var/lib/selinux/mcs" "$tiny"
                cp -a "$HOST_SEMANAGE_CONF" "$r/etc/selinux/semanage.conf"
                fcdir=$r/etc/selinux/mcs
                ;;
        esac

        # Label the tree as an image build would, with the policy's own
        # file_contexts (matched against paths relative to the root).
        local out
        if ! out=$(setfiles -F -r "$r" "$fcdir/contexts/files/file_contexts" "$r" 2>&1); then
                printf '%s\n' "$out" >&2
                die "setfiles failed for $layout"
        fi
}

key=$(cat "$HOST_POLICY_DIR/policy/policy.33" "${BASH_SOURCE[0]}" | sha256sum)
key=${key:0:16}
cached=$CACHE/$LAYOUT-$key

if [ ! -d "$cached" ]; then
        mkdir -p "$CACHE"
        tmp=$(mktemp -d "$CACHE/.build-$LAYOUT.XXXXXX")
        trap 'rm -rf "$tmp"' EXIT
        build "$LAYOUT" "$tmp"
        # Another caller may have built the same root meanwhile: the first
        # rename wins and ours is thrown away.
        mv -T "$tmp" "$cached" 2>/dev/null || rm -rf "$tmp"
        trap - EXIT
        # Roots of this layout built from an older policy or script are
        # dead weight (tens of MB each).
        for old in "$CACHE/$LAYOUT"-*; do
                [ "$old" = "$cached" ] || rm -rf "$old"
        done
fi

mkdir -p "$DEST"
cp -a "$cached/." "$DEST/"
