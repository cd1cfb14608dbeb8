# SPDX-License-Identifier: MIT
# Shared by the QEMU boot tests (tests/boot/): building the kernel, initramfs and root disk
# images from Debian packages, booting them, reading what the guest reports. Sourced.
#
# Everything built is cached under $BOOTCACHE (default /var/tmp/ignition-selinux-boot), each
# artefact under a name keyed on the hash of its inputs, so a second run only boots.
set -euo pipefail

BOOT_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BOOT_DIR=$BOOT_TOP/tests/boot
BOOTCACHE=${BOOTCACHE:-/var/tmp/ignition-selinux-boot}
BUILD=${BUILD:-build}
BIN=${BIN:-$BOOT_TOP/$BUILD/ignition-selinux}
POLICY_TOOL=${POLICY_TOOL:-$BOOT_TOP/$BUILD/tests/tools/policy-tool}
SUITE=bookworm
# Packages of the guest's root, beyond debootstrap's minbase.
# attr: getfattr, for the probe's look at the /etc overlay's upper layer.
ROOT_PKGS=systemd,systemd-sysv,udev,dbus,kmod,selinux-policy-default,policycoreutils,selinux-utils,libjson-c5,procps,attr
# Seconds a boot may take before it is killed (TCG, one vCPU, a loaded host: up to ~250 s).
BOOT_TIMEOUT=${BOOT_TIMEOUT:-360}
# The kernel command line of every boot (SELinux on, no firstboot prompts, no rescue shell:
# a failed boot powers off); scenarios add or drop words.
BASE_CMDLINE="console=ttyS0,115200 root=/dev/vda rw rootfstype=ext4 security=selinux systemd.firstboot=off rd.shell=0 rd.emergency=poweroff panic=-1"
FIRSTBOOT_CMDLINE="ignition.firstboot ignition.platform.id=qemu"

blog() { echo "[boot $(date +%T)] $*" >&2; }
bdie() { echo "boot: $*" >&2; exit 1; }

hash_of() { cat "$@" | sha256sum | cut -c1-16; }
hash_str() { printf '%s' "$*" | sha256sum | cut -c1-16; }

# The Debian mirror apt uses, so debootstrap fetches from the same place.
debian_mirror() {
        local m
        m=$(grep -rhE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
                /etc/apt/sources.list.d/*.list 2>/dev/null |
                grep -oE 'https?://[^ ]*/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ')
        echo "${m:-http://deb.debian.org/debian}"
}

# The kernel: Debian's linux-image-amd64 installed on this host (INITRD=No).
kernel_path() {
        local k
        k=$(ls -1v /boot/vmlinuz-*-amd64 2>/dev/null | tail -n1)
        [ -n "$k" ] || bdie "no /boot/vmlinuz-*-amd64: run contrib/install-boot-deps.sh"
        echo "$k"
}
kernel_version() { basename "$(kernel_path)" | sed 's/^vmlinuz-//'; }

# scratch_dir NAME: a fresh directory inside the cache (created on first use), never empty:
# every builder below writes under "$tmp/...", which must not become "/...".
scratch_dir() {
        local d
        mkdir -p "$BOOTCACHE" || bdie "cannot create $BOOTCACHE"
        d=$(mktemp -d "$BOOTCACHE/.$1.XXXXXX") && [ -n "$d" ] || bdie "mktemp in $BOOTCACHE failed"
        echo "$d"
}

# cache_put TMP FINAL: publish a finished artefact atomically (the first writer wins).
cache_put() { mv -T "$1" "$2" 2>/dev/null || rm -rf "$1"; }

# The debootstrapped tree, as a tarball (numeric owners, xattrs kept).
debootstrap_tarball() {
        local mirror key out tmp
        mirror=$(debian_mirror)
        key=$(hash_str "$SUITE $mirror $ROOT_PKGS minbase")
        out=$BOOTCACHE/debootstrap-$SUITE-$key.tar
        if [ ! -f "$out" ]; then
                mkdir -p "$BOOTCACHE"
                tmp=$(scratch_dir debootstrap) || exit 1
                blog "debootstrap $SUITE from $mirror (once; cached as $out)"
                if ! debootstrap --variant=minbase --include="$ROOT_PKGS" "$SUITE" "$tmp/root" "$mirror" \
                        >"$tmp/log" 2>&1; then
                        tail -n 30 "$tmp/log" >&2
                        rm -rf "$tmp"
                        bdie "debootstrap failed"
                fi
                rm -rf "$tmp/root/var/cache/apt/archives/"*.deb "$tmp/root/var/lib/apt/lists/"*_* 2>/dev/null || true
                tar --numeric-owner --xattrs --xattrs-include='*' -C "$tmp/root" -cf "$tmp/root.tar" .
                cache_put "$tmp/root.tar" "$out"
                rm -rf "$tmp"
        fi
        echo "$out"
}

# Flatcar's audit rules that hide denials (its /etc/audit/rules.d), so the program has them to
# act on.
flatcar_audit_rules() {
        local r=$1
        mkdir -p "$r/etc/audit/rules.d"
        printf -- '-D\n' >"$r/etc/audit/rules.d/00-clear.rules"
        printf -- '# Drop every SELinux AVC record (Flatcar default)\n-a exclude,never -F msgtype>=1400 -F msgtype<=1499\n' \
                >"$r/etc/audit/rules.d/80-selinux.rules"
        printf -- '-a exclude,never -F msgtype=CONFIG_CHANGE\n-a exclude,always -F msgtype>0\n' \
                >"$r/etc/audit/rules.d/99-default.rules"
        chmod 0640 "$r"/etc/audit/rules.d/*.rules
}

# The image's /etc/selinux/config: permissive, policy type `mcs`, as Flatcar ships it.
flatcar_config() {
        cat >"$1" <<'CONF'
# This file controls the state of SELinux on the system.
# SELINUX= can take one of these three values:
#     enforcing - SELinux security policy is enforced.
#     permissive - SELinux prints warnings instead of enforcing.
#     disabled - No SELinux policy is loaded.
SELINUX=permissive
# SELINUXTYPE= can take one of these values:
#     mcs - Multi Category Security protection.
SELINUXTYPE=mcs
CONF
}

# lay_out LAYOUT ROOT: moves Debian's policy (type `default`, renamed `mcs` as on Flatcar) to
# where Flatcar keeps it.
#   old  real files in usr/lib/selinux/{config,mcs}, store usr/lib/selinux/policy/mcs;
#        etc/selinux/{config,mcs} and var/lib/selinux relative links into usr (before 3745)
#   new  real etc/selinux/{config,mcs,semanage.conf}; usr/lib/selinux/* compatibility links
#        into usr/share/flatcar/etc/selinux; the store as in old (Alpha 3745 and later). Once
#        labelled, /etc becomes the lower layer of Flatcar's /etc overlay (finish_layout).
lay_out() {
        local layout=$1 r=$2
        rm -f "$r/etc/selinux/config"
        mkdir -p "$r/usr/lib/selinux/policy"
        mv "$r/var/lib/selinux/default" "$r/usr/lib/selinux/policy/mcs"
        rm -rf "$r/var/lib/selinux"
        ln -s ../../usr/lib/selinux/policy "$r/var/lib/selinux"
        case $layout in
        old)
                mv "$r/etc/selinux/default" "$r/usr/lib/selinux/mcs"
                flatcar_config "$r/usr/lib/selinux/config"
                ln -s ../../usr/lib/selinux/config "$r/etc/selinux/config"
                ln -s ../../usr/lib/selinux/mcs "$r/etc/selinux/mcs"
                ;;
        new)
                mv "$r/etc/selinux/default" "$r/etc/selinux/mcs"
                flatcar_config "$r/etc/selinux/config"
                for f in config mcs semanage.conf; do
                        ln -s "../../share/flatcar/etc/selinux/$f" "$r/usr/lib/selinux/$f"
                done
                ;;
        *) bdie "unknown layout $layout" ;;
        esac
}

# finish_layout LAYOUT ROOT, after labelling. new: as Flatcar's image build, the labelled /etc
# moves to /usr/share/flatcar/etc, the lower layer of the /etc overlay that initrd-setup-root
# mounts in the initramfs (tests/boot/dracut/99flatcar-like); the root filesystem's own /etc,
# the upper layer, starts empty, as Flatcar's once initrd-setup-root has removed what equals
# the lower.
finish_layout() {
        local layout=$1 r=$2
        [ "$layout" = new ] || return 0
        mkdir -p "$r/usr/share/flatcar"
        mv "$r/etc" "$r/usr/share/flatcar/etc"
        mkdir -m 755 "$r/etc"
        getfattr -h --absolute-names --only-values -n security.selinux "$r/usr/share/flatcar/etc" >"$r/.etc-label" ||
                bdie "/etc has no label"
        setfattr -h -n security.selinux -v "$(tr -d '\0' <"$r/.etc-label")" "$r/etc"
        rm -f "$r/.etc-label"
}

# The guest's extras: the probe unit, the replica of the manual steps, the policy tool.
add_guest_files() {
        local r=$1
        install -Dm755 "$BOOT_DIR/guest/probe.sh" "$r/usr/local/sbin/ignition-selinux-probe"
        install -Dm755 "$BOOT_DIR/guest/replica.sh" "$r/usr/local/sbin/ignition-selinux-replica"
        install -Dm644 "$BOOT_DIR/guest/ignition-selinux-probe.service" \
                "$r/etc/systemd/system/ignition-selinux-probe.service"
        mkdir -p "$r/etc/systemd/system/multi-user.target.wants"
        ln -sf ../ignition-selinux-probe.service \
                "$r/etc/systemd/system/multi-user.target.wants/ignition-selinux-probe.service"
        install -Dm755 "$BOOT_DIR/guest/overlay-upper.sh" "$r/usr/local/sbin/overlay-upper"
        install -Dm755 "$POLICY_TOOL" "$r/usr/local/bin/policy-tool"
        printf '/dev/vda / ext4 rw 0 1\n' >"$r/etc/fstab"
        printf 'flatcar-test\n' >"$r/etc/hostname"
        # As on Flatcar: no machine-id, so systemd sees its first boot and applies the presets
        # (Ignition's 20-ignition.preset for `systemd.units` with `enabled: true`), and only
        # those: Flatcar ships 99-default.preset `disable *` instead of systemd's 90-systemd.preset.
        rm -f "$r/etc/machine-id" "$r/var/lib/dbus/machine-id" "$r/usr/lib/systemd/system-preset/90-systemd.preset"
        printf '# Do not enable any services if /etc is detected as empty.\ndisable *\n' \
                >"$r/usr/lib/systemd/system-preset/99-default.preset"
}

# root_image LAYOUT: a labelled ext4 image of the guest's root in that layout; prints its path.
root_image() {
        local layout=$1 tarball key out tmp fc label
        tarball=$(debootstrap_tarball)
        [ -x "$POLICY_TOOL" ] || bdie "no $POLICY_TOOL: make $BUILD/tests/tools/policy-tool"
        key=$(hash_of "$BOOT_DIR/lib.sh" "$BOOT_DIR/guest/probe.sh" "$BOOT_DIR/guest/replica.sh" \
                "$BOOT_DIR/guest/overlay-upper.sh" "$BOOT_DIR/guest/ignition-selinux-probe.service" \
                "$POLICY_TOOL" <(echo "$tarball $layout"))
        out=$BOOTCACHE/root-$layout-$key.img
        if [ ! -f "$out" ]; then
                tmp=$(scratch_dir "root-$layout") || exit 1
                blog "building the $layout-layout root image (once; cached as $out)"
                mkdir "$tmp/root"
                tar --numeric-owner --xattrs --xattrs-include='*' -C "$tmp/root" -xf "$tarball"
                lay_out "$layout" "$tmp/root"
                flatcar_audit_rules "$tmp/root"
                add_guest_files "$tmp/root"
                case $layout in
                old) fc=$tmp/root/usr/lib/selinux/mcs/contexts/files/file_contexts ;;
                new) fc=$tmp/root/etc/selinux/mcs/contexts/files/file_contexts ;;
                esac
                # Label as an image build does, with the policy's own file_contexts.
                setfiles -F -r "$tmp/root" "$fc" "$tmp/root" >"$tmp/setfiles.log" 2>&1 ||
                        { cat "$tmp/setfiles.log" >&2; bdie "setfiles failed"; }
                finish_layout "$layout" "$tmp/root"
                mkfs.ext4 -q -F -L root -d "$tmp/root" "$tmp/root.img" 2G >"$tmp/mkfs.log" 2>&1 ||
                        { cat "$tmp/mkfs.log" >&2; bdie "mkfs.ext4 failed"; }
                # mkfs.ext4 -d labels everything but the image's root directory.
                getfattr -h --absolute-names --only-values -n security.selinux "$tmp/root" >"$tmp/rootlabel" ||
                        bdie "the root directory has no label"
                debugfs -w -R "ea_set -f $tmp/rootlabel / security.selinux" "$tmp/root.img" >/dev/null 2>&1 ||
                        bdie "debugfs ea_set failed"
                label=$(debugfs -R "ea_get / security.selinux" "$tmp/root.img" 2>/dev/null)
                [[ $label == *root_t* ]] || bdie "root directory label not set: $label"
                cache_put "$tmp/root.img" "$out"
                rm -rf "$tmp"
                for old in "$BOOTCACHE"/root-$layout-*.img; do [ "$old" = "$out" ] || rm -f "$old"; done
        fi
        echo "$out"
}

# initrd_image VARIANT: a dracut initramfs with Debian's Ignition module; prints its path.
#   flatcar             + ignition-selinux + the test module 99flatcar-like (Ignition labels
#                       nothing; the /etc overlay of the new layout): every scenario's default
#   flatcar-without     the same without ignition-selinux, for the bytes it adds
#   flatcar-every-boot  as flatcar, with ignition_selinux_every_boot=yes in a dracut.conf.d file
#   debian              + ignition-selinux only: Debian's Ignition, which labels what it writes
# dracut runs from a private copy of /usr/lib/dracut holding the tree's modules (dracut/ as
# modules.d/31ignition-selinux, tests/boot/dracut/99flatcar-like) and never an installed
# copy of either, and installs the build's program (IGNITION_SELINUX_BIN); the image is checked
# for both. The host's dracut is never written. (BOOT_DRACUT= copies another dracut tree.)
initrd_image() {
        local which=$1 kver key out tmp add conf= md
        case $which in
        flatcar | flatcar-every-boot) add="ignition ignition-selinux flatcar-like" ;;
        flatcar-without) add="ignition flatcar-like" ;;
        debian) add="ignition ignition-selinux" ;;
        *) bdie "unknown initramfs variant $which" ;;
        esac
        [ "$which" = flatcar-every-boot ] && conf='ignition_selinux_every_boot=yes'
        kver=$(kernel_version)
        [ -x "$BIN" ] || bdie "no $BIN: make"
        key=$(hash_of "$BIN" "$BOOT_TOP/dracut/module-setup.sh" "$BOOT_TOP/dracut/ignition-selinux.service" \
                "$BOOT_DIR"/dracut/99flatcar-like/* "$BOOT_DIR/guest/overlay-upper.sh" "$BOOT_DIR/lib.sh" \
                <(dpkg-query -W dracut ignition systemd "linux-image-$kver"; echo "$which"))
        out=$BOOTCACHE/initrd-$which-$key.img
        if [ ! -f "$out" ]; then
                tmp=$(scratch_dir initrd) || exit 1
                blog "building the initramfs: $which (cached as $out)"
                cp -a "${BOOT_DRACUT:-/usr/lib/dracut}" "$tmp/dracut"
                md=$tmp/dracut/modules.d
                # `make install` puts ours in /usr/lib/dracut/modules.d/31ignition-selinux: drop
                # any installed copy, whatever its number, so that only the tree's is found.
                rm -rf "$md"/[0-9][0-9]ignition-selinux "$md"/[0-9][0-9]flatcar-like
                mkdir "$md/31ignition-selinux" "$tmp/conf.d" || bdie "cannot set up $md"
                cp "$BOOT_TOP/dracut/module-setup.sh" "$BOOT_TOP/dracut/ignition-selinux.service" "$md/31ignition-selinux/"
                cp -a "$BOOT_DIR/dracut/99flatcar-like" "$md/"
                cp "$BOOT_DIR/guest/overlay-upper.sh" "$md/99flatcar-like/"
                [ -z "$conf" ] || echo "$conf" >"$tmp/conf.d/50-ignition-selinux.conf"
                if ! dracutbasedir=$tmp/dracut IGNITION_SELINUX_BIN=$BIN \
                        dracut --force --quiet --no-hostonly --no-hostonly-cmdline --no-early-microcode \
                        --conf /dev/null --confdir "$tmp/conf.d" --tmpdir "$tmp" \
                        --modules "systemd systemd-initrd dracut-systemd base fs-lib rootfs-block kernel-modules qemu" \
                        --add "$add" --omit "plymouth i18n" \
                        --drivers "virtio_blk virtio_pci qemu_fw_cfg ext4" --compress "zstd -1 -T0" \
                        --kver "$kver" "$tmp/initrd.img" >"$tmp/log" 2>&1; then
                        tail -n 30 "$tmp/log" >&2
                        bdie "dracut failed"
                fi
                initrd_check "$which" "$tmp/initrd.img" "$tmp/check" || bdie "the $which initramfs is not what the tree says"
                cache_put "$tmp/initrd.img" "$out"
                rm -rf "$tmp"
                for old in "$BOOTCACHE"/initrd-$which-*.img; do [ "$old" = "$out" ] || rm -f "$old"; done
        fi
        echo "$out"
}

# initrd_check VARIANT IMAGE DIR: the image holds the tree's unit and the build's program
# (same GNU build ID: dracut strips it), or neither (flatcar-without); and, for the flatcar
# variants, the no-op setfiles. DIR is scratch space.
initrd_check() {
        local which=$1 img=$2 d=$3 want got
        mkdir -p "$d"
        (cd "$d" && zstd -dc "$img" | cpio -id --quiet usr/bin/ignition-selinux usr/sbin/setfiles \
                usr/lib/systemd/system/ignition-selinux.service 2>/dev/null) || true
        if [ "$which" = flatcar-without ]; then
                [ ! -e "$d/usr/bin/ignition-selinux" ] || { echo "flatcar-without holds ignition-selinux" >&2; return 1; }
        else
                cmp -s "$d/usr/lib/systemd/system/ignition-selinux.service" "$BOOT_TOP/dracut/ignition-selinux.service" ||
                        { echo "the unit in the $which initramfs is not dracut/ignition-selinux.service" >&2; return 1; }
                want=$(readelf -n "$BIN" | sed -n 's/.*Build ID: //p')
                got=$(readelf -n "$d/usr/bin/ignition-selinux" 2>/dev/null | sed -n 's/.*Build ID: //p')
                [ -n "$want" ] && [ "$want" = "$got" ] ||
                        { echo "the program in the $which initramfs (build ID ${got:-none}) is not $BIN ($want)" >&2; return 1; }
        fi
        case $which in
        flatcar*) cmp -s "$d/usr/sbin/setfiles" "$BOOT_DIR/dracut/99flatcar-like/setfiles-noop" ||
                { echo "the $which initramfs has a real setfiles" >&2; return 1; } ;;
        debian) ! cmp -s "$d/usr/sbin/setfiles" "$BOOT_DIR/dracut/99flatcar-like/setfiles-noop" ||
                { echo "the debian initramfs has the no-op setfiles" >&2; return 1; } ;;
        esac
}

# initramfs_added WITH WITHOUT: the bytes ignition-selinux adds, like for like: two images
# made the same way (a private copy of the same dracut, the tree's modules only, the same
# modules but ours, an archive dracut sorts), and both archives compressed again here the
# same way (zstd -1, one thread) so that the compressor's threading does not count.
initramfs_added() {
        local with=$1 without=$2 uw uo cw co files
        uw=$(zstd -dc "$with" | wc -c) uo=$(zstd -dc "$without" | wc -c)
        cw=$(zstd -dc "$with" | zstd -1 -T1 -c | wc -c) co=$(zstd -dc "$without" | zstd -1 -T1 -c | wc -c)
        files=$(comm -23 <(zstd -dc "$with" | cpio -t --quiet 2>/dev/null | LC_ALL=C sort) \
                <(zstd -dc "$without" | cpio -t --quiet 2>/dev/null | LC_ALL=C sort) | wc -l)
        echo "initramfs_bytes_added_compressed $((cw - co)) ($co -> $cw, zstd -1 -T1 over both archives)"
        echo "initramfs_bytes_added_uncompressed $((uw - uo)) ($uo -> $uw)"
        echo "initramfs_entries_added $files"
}

# with_extra_files INITRD OUT SRC:DEST...: INITRD with a cpio of extra files appended (the
# kernel unpacks concatenated archives in order), e.g. a baked base.d config.
with_extra_files() {
        local initrd=$1 out=$2 tmp spec; shift 2
        tmp=$(mktemp -d) || bdie "mktemp failed"
        for spec in "$@"; do
                install -Dm644 "${spec%%:*}" "$tmp/root/${spec#*:}"
        done
        cp "$initrd" "$out"
        (cd "$tmp/root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >>"$out"
        rm -rf "$tmp"
}

# The accelerator: KVM only where it really works. /dev/kvm on these machines is a nested
# paravirtual KVM (kvm_pvm) under which Debian's kernel hangs at "Probing EDD".
qemu_accel() {
        if [ -n "${BOOT_ACCEL:-}" ]; then echo "$BOOT_ACCEL"; return; fi
        if [ -d /sys/module/kvm_pvm ] || ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
                echo tcg
        else
                echo kvm
        fi
}

# boot_vm DIR IMAGE INITRD CMDLINE [CONFIG]: boots, waits for the guest to power off (or the
# timeout), leaves DIR/console.log (ttyS0) and DIR/probe.log (ttyS1); returns qemu's status
# (124 on timeout). The array QEMU_EXTRA, when set, adds arguments (a second disk, say).
boot_vm() {
        local dir=$1 img=$2 initrd=$3 cmdline=$4 config=${5:-} accel args=() rc=0 start
        accel=$(qemu_accel)
        args=(-machine q35 -accel "$accel" -m 1536 -smp "${BOOT_SMP:-2}" -cpu max
                -display none -monitor none -no-reboot -no-user-config -nodefaults
                -kernel "$(kernel_path)" -initrd "$initrd" -append "$cmdline"
                -drive "file=$img,format=raw,if=virtio"
                -serial "file:$dir/console.log" -serial "file:$dir/probe.log"
                -netdev user,id=n0 -device virtio-net-pci,netdev=n0)
        [ -n "$config" ] && args+=(-fw_cfg "name=opt/com.coreos/config,file=$config")
        args+=(${QEMU_EXTRA[@]+"${QEMU_EXTRA[@]}"})
        start=$(date +%s)
        timeout --kill-after=10 "$BOOT_TIMEOUT" qemu-system-x86_64 "${args[@]}" \
                >"$dir/qemu.log" 2>&1 || rc=$?
        echo "$(( $(date +%s) - start ))" >"$dir/boot-seconds"
        return $rc
}

# probe VAR [LOG]: the value the guest reported as "PROBE VAR=value" (last one wins).
probe() {
        local log=${2:-$SCEN_DIR/probe.log}
        tr -d '\r' <"$log" | awk -v k="PROBE $1=" 'index($0, k) == 1 { v = substr($0, length(k) + 1); n = 1 } END { if (n) print v }'
}

# img_selinux_manifest IMAGE: everything SELinux-related on the image (type, mode, link
# target, content hash), read with debugfs (no mounting).
img_selinux_manifest() {
        local img=$1 tmp p
        tmp=$(mktemp -d) || bdie "mktemp failed"
        for p in /etc/selinux /var/lib/selinux /usr/lib/selinux /etc/audit/rules.d /usr/share/flatcar; do
                mkdir -p "$tmp/d$(dirname "$p")"
                debugfs -R "rdump $p $tmp/d$(dirname "$p")" "$img" >/dev/null 2>&1 || true
        done
        (cd "$tmp/d" && find . -printf '%p %y %m %s %l\n' | LC_ALL=C sort &&
                find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum)
        rm -rf "$tmp"
}
