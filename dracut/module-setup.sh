#!/bin/bash
# -*- mode: shell-script; indent-tabs-mode: nil; sh-basic-offset: 4; -*-
# ex: ts=8 sw=4 sts=4 et filetype=sh
# SPDX-License-Identifier: MIT
#
# ignition-selinux: apply the Ignition config's `selinux` block to /sysroot after Ignition's
# files stage, and load the target's policy before switch-root. First boot only: the unit is
# linked into ignition-complete.target.requires, which initrd.target requires only when
# Ignition runs (ignition.firstboot). See ignition-selinux(8).
#
# Install as /usr/lib/dracut/modules.d/31ignition-selinux/ (make install-dracut) and add it to
# the image like Ignition's own module: dracut --add "ignition ignition-selinux", or
# add_dracutmodules+=" ignition-selinux " in a dracut.conf.d file.

# Images whose real-root init does not load the policy itself set, in a dracut.conf.d file,
#   ignition_selinux_every_boot=yes
# and the unit then runs on every boot (see docs/boot.md).
#
# The program to install; the test harness points this at its build.
: "${IGNITION_SELINUX_BIN:=/usr/bin/ignition-selinux}"

# Never pulled in on its own: only when asked for (--add, add_dracutmodules, or a module that
# depends on it), and only when the program is there.
check() {
    [[ -x $IGNITION_SELINUX_BIN ]] || return 1
    return 255
}

depends() {
    echo ignition systemd
}

# As Ignition's module-setup.sh: a unit that runs only on Ignition boots. (Ignition's passes
# "../$unit" to ln_r, which makes a dangling link; systemd reads only the link's name there,
# but ours points at the unit.)
install_ignition_unit() {
    local unit="$1"; shift
    local target="${1:-ignition-complete.target}"; shift
    local instantiated="${1:-$unit}"; shift
    inst_simple "$moddir/$unit" "$systemdsystemunitdir/$unit"
    mkdir -p "$initdir/$systemdsystemunitdir/$target.requires"
    ln_r "$systemdsystemunitdir/$unit" "$systemdsystemunitdir/$target.requires/$instantiated"
}

install() {
    # inst_binary also installs the libraries it links (libselinux, libsepol, json-c, ...).
    inst_binary "$IGNITION_SELINUX_BIN" /usr/bin/ignition-selinux
    # libsemanage runs it on every policy rebuild ("modules", "permissiveDomains"); without it
    # those fail at boot, loudly, and everything else works.
    if find_binary sefcontext_compile >/dev/null; then
        inst_multiple sefcontext_compile
    else
        dwarn "ignition-selinux: no sefcontext_compile: policy modules cannot be installed at boot"
    fi
    install_ignition_unit ignition-selinux.service
    if [[ ${ignition_selinux_every_boot-} == yes ]]; then
        mkdir -p "$initdir/$systemdsystemunitdir/initrd.target.requires"
        ln_r "$systemdsystemunitdir/ignition-selinux.service" \
            "$systemdsystemunitdir/initrd.target.requires/ignition-selinux.service"
    fi
}
