#!/bin/bash
# The route into Flatcar's initramfs: update-bootengine runs dracut with --sysroot on the
# board root, and dracut reads that root's /usr/lib/dracut/dracut.conf.d. Here the board root
# is an overlay of this machine's / with what the ebuild installs (make install and
# contrib/flatcar/install-flatcar.sh) on top, and dracut is Debian's.
#
# Debian's dracut 059 cannot build its own systemd and udev modules from a root given with
# --sysroot (its unit directory comes out empty, fixed in dracut 110; Debian's absolute
# udevd link is not followed), so this root replaces dracut's systemd and Debian's ignition
# modules with empty ones and names the unit directory. They are Flatcar's in the real build;
# what is under test is how ours gets in: the conf file, check() with the program only in
# the board root, the unit and its links, the drop-in, the baked defaults, the libraries.
source "$(dirname "$0")/lib.sh"
need_root
need dracut lsinitrd
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || true
grep -qw overlay /proc/filesystems || { echo "SKIP: no overlayfs"; exit 0; }
[[ -x $BIN ]] || { echo "FAIL: $BIN missing (run make)"; exit 1; }

T=$(mktemp -d /var/tmp/ignition-selinux-dracut.XXXXXX)
cleanup() {
	set +e
	mountpoint -q "$T/sysroot" && umount "$T/sysroot"
	mountpoint -q "$T/rw" && umount "$T/rw"
	rm -rf "$T"
}
trap cleanup EXIT
mkdir -p "$T/rw" "$T/sysroot"

# board_root: the overlay, with the package installed as the ebuild installs it.
board_root() {
	mountpoint -q "$T/sysroot" && umount "$T/sysroot"
	mountpoint -q "$T/rw" && umount "$T/rw"
	mount -t tmpfs tmpfs "$T/rw"
	mkdir "$T/rw/upper" "$T/rw/work"
	local up=$T/rw/upper m
	install -Dm755 "$BIN" "$up/usr/bin/ignition-selinux"
	install -Dm755 "$TOP/dracut/module-setup.sh" "$up/usr/lib/dracut/modules.d/31ignition-selinux/module-setup.sh"
	install -Dm644 "$TOP/dracut/ignition-selinux.service" \
		"$up/usr/lib/dracut/modules.d/31ignition-selinux/ignition-selinux.service"
	"$TOP/contrib/flatcar/install-flatcar.sh" "$up" --default-mode permissive --platforms "qemu metal"
	for m in 00systemd 30ignition; do
		install -d "$up/usr/lib/dracut/modules.d/$m"
		printf '#!/bin/bash\ncheck() { return 0; }\ndepends() { return 0; }\ninstall() { :; }\n' \
			>"$up/usr/lib/dracut/modules.d/$m/module-setup.sh"
		chmod 755 "$up/usr/lib/dracut/modules.d/$m/module-setup.sh"
	done
	echo 'systemdsystemunitdir=/usr/lib/systemd/system' >"$up/usr/lib/dracut/dracut.conf.d/00-test-dracut059.conf"
}
mount_root() {
	mount -t overlay overlay -o "lowerdir=/,upperdir=$T/rw/upper,workdir=$T/rw/work" "$T/sysroot"
}
# build: dracut as update-bootengine runs it (no host-only, no compression), on the root.
build() {
	rm -f "$T/initrd.img"
	dracut --sysroot "$T/sysroot" --force --no-hostonly --no-compress --no-kernel -m systemd \
		"$T/initrd.img" >"$T/dracut.log" 2>&1
}

board_root
mount_root
if build; then pass "dracut --sysroot builds the initramfs"; else fail "dracut: $(tail -n 5 "$T/dracut.log")"; fi
lsinitrd "$T/initrd.img" >"$T/list" 2>/dev/null || true
in_image() { grep -q " $1\$\| $1 -> " "$T/list"; }
[[ -e /usr/bin/ignition-selinux ]] && echo "note: this host has /usr/bin/ignition-selinux; the check() proof below is weaker"
check "the conf file adds the module: usr/bin/ignition-selinux is in the image" in_image usr/bin/ignition-selinux
check "the unit is in the image" in_image usr/lib/systemd/system/ignition-selinux.service
check "linked into ignition-complete.target.requires" \
	in_image usr/lib/systemd/system/ignition-complete.target.requires/ignition-selinux.service
rm -rf "$T/unpacked" && mkdir "$T/unpacked"
(cd "$T/unpacked" && lsinitrd --unpack "$T/initrd.img" >/dev/null 2>&1) || true
u=$T/unpacked
check "the Flatcar drop-in is in the image, as shipped" \
	cmp -s "$u/usr/lib/systemd/system/ignition-selinux.service.d/10-flatcar.conf" \
	"$TOP/contrib/flatcar/ignition-selinux.service.d/10-flatcar.conf"
for p in qemu metal; do
	f=$u/usr/lib/ignition/base.platform.d/$p/90-ignition-selinux-default.ign
	check "the baked default for $p is in the image and validates" eval '
		"$BIN" validate "$f" >/dev/null 2>&1 && grep -q "\"mode\": \"permissive\"" "$f"'
done
check "sefcontext_compile is in the image (policy rebuilds at boot)" eval 'grep -q "/sefcontext_compile$" "$T/list"'
libs_in_image() {
	local l
	for l in libselinux.so libsepol.so libsemanage.so libjson-c.so libblkid.so libbz2.so; do
		grep -q "/$l" "$T/list" || return 1
	done
}
check "the libraries the program links are in the image" libs_in_image

# Without the conf file dracut does not take the module (check() returns 255: only on request).
umount "$T/sysroot"
rm "$T/rw/upper/usr/lib/dracut/dracut.conf.d/50-ignition-selinux.conf"
mount_root
build || true
lsinitrd "$T/initrd.img" >"$T/list" 2>/dev/null || true
check "without 50-ignition-selinux.conf the module is not in the image" eval '! in_image usr/bin/ignition-selinux'

# Without its IGNITION_SELINUX_BIN line, check() looks for the program on the build host.
if [[ ! -e /usr/bin/ignition-selinux ]]; then
	umount "$T/sysroot"
	grep -v '^IGNITION_SELINUX_BIN=' "$TOP/contrib/flatcar/dracut.conf.d/50-ignition-selinux.conf" \
		>"$T/rw/upper/usr/lib/dracut/dracut.conf.d/50-ignition-selinux.conf"
	mount_root
	build || true
	lsinitrd "$T/initrd.img" >"$T/list" 2>/dev/null || true
	check "without IGNITION_SELINUX_BIN the module is refused under --sysroot (why the line is there)" \
		eval '! in_image usr/bin/ignition-selinux'
fi
finish
