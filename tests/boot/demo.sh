#!/bin/bash
# SPDX-License-Identifier: MIT
# The demo: builds (or takes from the cache) the kernel, the initramfs with Ignition and
# ignition-selinux, and a Flatcar-like root (old layout, shipped permissive); boots it under
# QEMU with an Ignition config, passed over fw_cfg, that declares `enforcing`; shows what the
# console said and what the booted machine reports. Needs root and contrib/install-boot-deps.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
[ "$(id -u)" -eq 0 ] || bdie "needs root"
initrd=$(initrd_image flatcar)
root=$(root_image old)
dir=$(mktemp -d /var/tmp/ignition-selinux-demo.XXXXXX)
trap 'rm -f "$dir/root.img"' EXIT
cp --reflink=auto --sparse=always "$root" "$dir/root.img"
cat >"$dir/config.ign" <<'JSON'
{ "ignition": { "version": "3.3.0" },
  "storage": { "files": [ { "path": "/etc/selinux/ignition.json", "mode": 420,
    "contents": { "source": "data:,%7B%22selinux%22%3A%7B%22mode%22%3A%22enforcing%22%7D%7D" } } ] } }
JSON
echo "== Ignition config (fw_cfg opt/com.coreos/config):"
cat "$dir/config.ign"
echo "== booting ($(qemu_accel); about a minute or two under TCG) ..."
boot_vm "$dir" "$dir/root.img" "$initrd" "$BASE_CMDLINE $FIRSTBOOT_CMDLINE probe.setenforce" "$dir/config.ign" ||
        bdie "the boot failed or timed out; console: $dir/console.log"
echo "== console (initramfs):"
sed 's/\x1b\[[0-9;]*[mK]//g' "$dir/console.log" | tr -d '\r' |
        grep -aE 'Ignition \(files\)|ignition-selinux[^-]|Switching root|SELinux: +Initializing' | sed 's/^/   /' | cut -c1-200
echo "== the booted machine reports:"
for k in mode getenforce config after_setenforce0 after_setenforce1 system_slice; do
        printf '   %-18s %s\n' "$k" "$(probe "$k" "$dir/probe.log")"
done
echo "(logs in $dir)"
[ "$(probe mode "$dir/probe.log")" = Enforcing ]
