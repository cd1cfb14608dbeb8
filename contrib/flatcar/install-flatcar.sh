#!/bin/bash
# SPDX-License-Identifier: MIT
#
# install-flatcar.sh DESTDIR [--default-mode MODE [--audit-denials] [--platforms "P..."]]
#
# What the ebuild installs beside `make install` so that Flatcar's initramfs build picks the
# module up (run from the ebuild's src_install with DESTDIR=${ED}; the tests run it too):
#
#   usr/lib/dracut/dracut.conf.d/50-ignition-selinux.conf      adds the module to dracut's run
#   usr/lib/systemd/system/ignition-selinux.service.d/10-flatcar.conf   Flatcar's ordering
#
# With --default-mode, a default block baked into the initramfs, for every image built from
# these packages. Flatcar's initramfs makes /usr/lib/ignition/base.d a link to the OEM
# partition's base/ directory, so the default goes where Ignition and ignition-selinux read
# the next raw source, base.platform.d/<platform>/, once per platform:
#
#   usr/lib/ignition/base.platform.d/<platform>/90-ignition-selinux-default.ign
#   usr/lib/dracut/dracut.conf.d/51-ignition-selinux-default.conf   puts them in the initramfs
#
# A machine's user.ign, QEMU fw_cfg config and /etc/selinux/ignition.json still win over it.
# base.d is read before base.platform.d, so this default also wins over a base/base.ign that
# bake-default wrote on the OEM partition: use one of the two routes, not both.
set -euo pipefail

prog=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
# The Ignition platform IDs of Flatcar's images: build_library/oem/*/grub.cfg's oem_id values
# as ignition-setup-pre maps them (ec2 -> aws, gce -> gcp), and metal for images without one.
DEFAULT_PLATFORMS="akamai aws azure cloudsigma cloudstack digitalocean exoscale gcp hetzner
hyperv kubevirt metal nutanix openstack oraclecloud proxmoxve qemu scaleway vagrant
virtualbox vmware"

die() { echo "$prog: error: $*" >&2; exit 1; }
[[ $# -ge 1 ]] || die "usage: $prog DESTDIR [--default-mode MODE [--audit-denials] [--platforms LIST]]"
dest=$1; shift
mode= audit=false platforms=$DEFAULT_PLATFORMS
while [[ $# -gt 0 ]]; do
	case $1 in
	--default-mode) mode=$2; shift 2 ;;
	--audit-denials) audit=true; shift ;;
	--platforms) platforms=$2; shift 2 ;;
	*) die "unknown argument: $1" ;;
	esac
done
case $mode in
"" | enforcing | permissive | disabled) ;;
*) die "bad default mode '$mode': expected enforcing, permissive or disabled" ;;
esac

install -Dm644 "$here/dracut.conf.d/50-ignition-selinux.conf" \
	"$dest/usr/lib/dracut/dracut.conf.d/50-ignition-selinux.conf"
install -Dm644 "$here/ignition-selinux.service.d/10-flatcar.conf" \
	"$dest/usr/lib/systemd/system/ignition-selinux.service.d/10-flatcar.conf"
[[ -n $mode ]] || exit 0

items=()
for p in $platforms; do
	[[ $p =~ ^[a-z0-9][a-z0-9_-]*$ ]] || die "bad platform name '$p'"
	f=/usr/lib/ignition/base.platform.d/$p/90-ignition-selinux-default.ign
	install -d -m755 "$dest${f%/*}"
	printf '{\n  "ignition": {\n    "version": "3.0.0"\n  },\n  "selinux": {\n    "mode": "%s",\n    "auditDenials": %s\n  }\n}\n' \
		"$mode" "$audit" >"$dest$f"
	chmod 644 "$dest$f"
	items+=("$f")
done
[[ ${#items[@]} -gt 0 ]] || die "no platforms given"
{
	echo "# SPDX-License-Identifier: MIT"
	echo "# Written by install-flatcar.sh: the default block ($mode, auditDenials $audit)."
	echo "install_items+=\" ${items[*]} \""
} >"$dest/usr/lib/dracut/dracut.conf.d/51-ignition-selinux-default.conf"
chmod 644 "$dest/usr/lib/dracut/dracut.conf.d/51-ignition-selinux-default.conf"
