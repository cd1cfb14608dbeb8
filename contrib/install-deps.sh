#!/bin/bash
# Installs what building, the demo and the tests need on Debian 12.
# Idempotent; does nothing when everything is there.
set -euo pipefail
pkgs=(
        build-essential pkg-config clang libclang-rt-14-dev
        libjson-c-dev libselinux1-dev libsepol-dev libsemanage-dev libbz2-dev zlib1g-dev libpcre2-dev libblkid-dev libcmocka-dev
        selinux-policy-default policycoreutils selinux-utils setools secilc policycoreutils-python-utils
        attr e2fsprogs valgrind
        ignition                                                        # tests/lib/ignition.sh
        fdisk btrfs-progs dosfstools squashfs-tools systemd-container  # tests/flatcar/
)
missing=()
for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive INITRD=No $sudo apt-get install -y -q -o DPkg::Lock::Timeout=120 \
        --no-install-recommends "${missing[@]}"
