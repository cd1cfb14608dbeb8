#!/bin/bash
# -*- mode: shell-script; indent-tabs-mode: nil; sh-basic-offset: 4; -*-
# ex: ts=8 sw=4 sts=4 et filetype=sh
# SPDX-License-Identifier: MIT
#
# Test only (tests/boot; never installed): makes Debian's dracut+Ignition initramfs behave as
# Flatcar's (flatcar/bootengine) where it matters to ignition-selinux:
#  - Ignition labels nothing. Flatcar builds Ignition with distro.selinuxRelabel=false; Debian's
#    Ignition labels what it wrote with `setfiles -vF0 -r /sysroot FILE_CONTEXTS -f -` from the
#    initramfs's PATH. Here that setfiles is a no-op that only logs to the kernel log what it
#    was asked to label.
#  - /sysroot/etc is an overlay (lower /sysroot/usr/share/flatcar/etc, upper the root's /etc)
#    mounted before Ignition's files stage by initrd-setup-root.service, with
#    initrd-setup-root-after-ignition.service after Ignition, both required by
#    ignition-complete.target and ignition-subsequent.target, as bootengine's 99setup-root.
#  - flatcar-like-upper.service lists, after ignition-selinux.service, what the first boot's
#    initramfs put into the overlay's upper layer (tests/boot/guest/overlay-upper.sh).

check() {
    return 255
}

depends() {
    echo ignition systemd
}

installkernel() {
    instmods overlay
}

install() {
    local p
    # Over the setfiles 30ignition installed (inst_* skip a path that exists).
    for p in /usr/sbin/setfiles /sbin/setfiles /usr/bin/setfiles /bin/setfiles; do
        if [[ -e $initdir$p && ! -L $initdir$p ]]; then
            rm -f "$initdir$p"
        fi
    done
    inst_script "$moddir/setfiles-noop" /usr/sbin/setfiles

    inst_multiple mount umount mkdir rmdir find stat getfattr sort sha256sum sed
    inst_script "$moddir/initrd-setup-root" /usr/sbin/initrd-setup-root
    inst_script "$moddir/initrd-setup-root-after-ignition" /usr/sbin/initrd-setup-root-after-ignition
    inst_script "$moddir/flatcar-like-upper" /usr/sbin/flatcar-like-upper
    inst_script "$moddir/overlay-upper.sh" /usr/sbin/overlay-upper
    for p in initrd-setup-root.service initrd-setup-root-after-ignition.service flatcar-like-upper.service; do
        inst_simple "$moddir/$p" "$systemdsystemunitdir/$p"
    done
    # Flatcar's Ignition units order themselves after initrd-setup-root; Debian's do not.
    for p in ignition-files.service ignition-mount.service ignition-complete.target ignition-subsequent.target; do
        inst_simple "$moddir/$p.conf" "$systemdsystemunitdir/$p.d/10-flatcar-like.conf"
    done
}
