#!/bin/bash
# SPDX-License-Identifier: MIT
# The QEMU boot tests: builds (or takes from the cache) the kernel, the initramfs and the root
# images, runs every tests/boot/scenarios/*.sh, prints the figures, and ends with the
# "N passed, N failed" line. Needs root and the packages of contrib/install-boot-deps.sh.
#   SCENARIOS="01 05"  run only the scenarios whose names start so
#   JOBS=2             scenarios in parallel (each VM then gets nproc/JOBS CPUs)
#   BOOT_ACCEL=kvm|tcg force the accelerator (default: TCG where KVM does not really work)
#   BOOTCACHE=DIR      the cache (default /var/tmp/ignition-selinux-boot)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
set +e

# run.sh --deps-ok: exit 0 when the tests can run here (for make check), 1 otherwise.
deps_missing() {
        [ "$(id -u)" -eq 0 ] || { echo "needs root (security.* labels, debootstrap)"; return; }
        for t in qemu-system-x86_64 debootstrap dracut mkfs.ext4 debugfs setfiles getfattr setfattr cpio zstd readelf python3; do
                command -v "$t" >/dev/null || { echo "no $t: run contrib/install-boot-deps.sh"; return; }
        done
        [ -d /usr/lib/dracut/modules.d/30ignition ] || { echo "no dracut ignition module: run contrib/install-boot-deps.sh"; return; }
        ls /boot/vmlinuz-*-amd64 >/dev/null 2>&1 || echo "no Debian kernel: run contrib/install-boot-deps.sh"
}
missing=$(deps_missing)
if [ "${1:-}" = --deps-ok ]; then
        [ -z "$missing" ] || { echo "boot tests cannot run: $missing" >&2; exit 1; }
        exit 0
fi
[ -z "$missing" ] || bdie "$missing"

start=$(date +%s)
set -e
# Every scenario boots the Flatcar-like initramfs (Ignition labels nothing) unless it builds
# another (initrd_image: Debian's, which labels, or every-boot).
INITRD=$(initrd_image flatcar)
INITRD_WITHOUT=$(initrd_image flatcar-without)
ROOT_OLD=$(root_image old)
ROOT_NEW=$(root_image new)
set +e
export INITRD ROOT_OLD ROOT_NEW BOOTCACHE BUILD BIN POLICY_TOOL
built=$(( $(date +%s) - start ))
JOBS=${JOBS:-1}
export BOOT_SMP=${BOOT_SMP:-$(( $(nproc) / JOBS > 0 ? $(nproc) / JOBS : 1 ))}
echo "artefacts ready in ${built}s (cache $BOOTCACHE); accelerator $(qemu_accel), $JOBS job(s) of $BOOT_SMP CPU(s)"

logdir=$BOOT_TOP/$BUILD/boot-logs
rm -rf "$logdir"
mkdir -p "$logdir"
scenarios=()
for s in "$here"/scenarios/[0-9]*.sh; do
        name=$(basename "$s" .sh)
        if [ -n "${SCENARIOS:-}" ]; then
                want=0
                for w in $SCENARIOS; do [[ $name == "$w"* ]] && want=1; done
                [ $want = 1 ] || continue
        fi
        scenarios+=("$name")
done

run_one() {
        local name=$1 t0 rc
        t0=$(date +%s)
        mkdir -p "$logdir/$name"
        SCEN_DIR=$logdir/$name bash "$here/scenarios/$name.sh" >"$logdir/$name/log" 2>&1
        rc=$?
        echo "$rc $(( $(date +%s) - t0 ))" >"$logdir/$name/result"
        # The disk copies are large; the logs stay.
        rm -f "$logdir/$name/root.img" "$logdir/$name/initrd.img"
}

running=0
for name in "${scenarios[@]}"; do
        if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
        run_one "$name" &
        running=$((running + 1))
done
wait

pass=0 fail=0
for name in "${scenarios[@]}"; do
        read -r rc secs <"$logdir/$name/result"
        if [ "$rc" -eq 0 ]; then
                pass=$((pass + 1)); echo "PASS $name (${secs}s)"
        else
                fail=$((fail + 1)); echo "FAIL $name (${secs}s); last lines of $logdir/$name/log:"
                tail -n 20 "$logdir/$name/log" | sed 's/^/    /'
        fi
done

echo "figures:"
cat "$logdir"/*/figures 2>/dev/null | sed 's/^/  /'
initramfs_added "$INITRD" "$INITRD_WITHOUT" | sed 's/^/  /'
echo "total $(( $(date +%s) - start ))s; logs in $logdir"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
