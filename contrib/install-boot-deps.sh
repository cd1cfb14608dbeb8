#!/bin/bash
# Installs what the QEMU boot tests (make check-boot) need on Debian 12: a kernel, dracut with
# Debian's Ignition module, QEMU, debootstrap and the SELinux tools. Idempotent.
# INITRD=No keeps the kernel package from building an initramfs for this host.
set -euo pipefail
pkgs=(
        linux-image-amd64 dracut dracut-network ignition qemu-system-x86 debootstrap
        selinux-policy-default policycoreutils selinux-utils e2fsprogs attr zstd
)
missing=()
for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -q
$sudo env DEBIAN_FRONTEND=noninteractive INITRD=No apt-get install -y -q -o DPkg::Lock::Timeout=120 \
        --no-install-recommends "${missing[@]}"
