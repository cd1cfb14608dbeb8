#!/bin/bash
# contrib/flatcar/bake-default on small sparse disk images laid out as Flatcar's
# build_library/disk_layout.json (GPT names, filesystems and partition numbers; sizes shrunk).
source "$(dirname "$0")/lib.sh"
need_root
need sfdisk losetup blkid python3 mkfs.btrfs mkfs.vfat mkfs.ext4 sha256sum
[[ -x $BIN ]] || { echo "FAIL: $BIN missing (run make)"; exit 1; }
BAKE=$TOP/contrib/flatcar/bake-default

T=$(mktemp -d /var/tmp/ignition-selinux-bake.XXXXXX)
rmnt=$T/read-mnt rloop=
cleanup() {
	set +e
	mountpoint -q "$rmnt" && umount "$rmnt"
	[[ -z $rloop ]] || losetup -d "$rloop"
	rm -rf "$T"
}
trap cleanup EXIT
mkdir "$rmnt"

# The layout, in 512-byte sectors: Flatcar's partition numbers (5 and 8 are blank there and
# absent here), names and filesystems; sizes shrunk, so the btrfs filesystems are made in
# mixed mode (mkfs.btrfs wants 114 MB otherwise).
EFI_START=2048 EFI_SIZE=32768
BIOS_START=34816 BIOS_SIZE=4096
USRA_START=38912 USRA_SIZE=65536
USRB_START=104448 USRB_SIZE=16384
OEM_START=120832 OEM_SIZE=131072
OEMC_START=251904 OEMC_SIZE=16384
ROOT_START=268288 ROOT_SIZE=32768
IMAGE_MB=148

# mkfs_file KIND SECTORS LABEL [DIR]: a filesystem image in $T/fs.img (DIR: its contents).
mkfs_file() {
	local kind=$1 sectors=$2 label=$3 dir=${4-}
	rm -f "$T/fs.img"
	truncate -s $((sectors * 512)) "$T/fs.img"
	case $kind in
	vfat) mkfs.vfat -n "$label" "$T/fs.img" >/dev/null ;;
	btrfs) mkfs.btrfs -q --mixed ${label:+-L "$label"} ${dir:+--rootdir "$dir"} "$T/fs.img" >/dev/null 2>&1 ;;
	btrfs-mixed) mkfs.btrfs -q --mixed "$T/fs.img" >/dev/null 2>&1 ;;
	ext4) mkfs.ext4 -q -F ${label:+-L "$label"} ${dir:+-d "$dir"} "$T/fs.img" ;;
	esac
}
put() { dd if="$T/fs.img" of="$1" bs=1M seek=$(($2 * 512)) oflag=seek_bytes conv=notrunc,sparse status=none; }

# mkimage OUT [OEMFS [OEMDIR [OEMNAME [OEMLABEL]]]]: OEMFS btrfs (default), ext4 or none;
# OEMNAME the GPT name (default OEM; "-" leaves partition 6 out); OEMLABEL the fs label.
mkimage() {
	local out=$1 oemfs=${2:-btrfs} oemdir=${3-} oemname=${4:-OEM} oemlabel=${5:-OEM}
	rm -f "$out"
	truncate -s ${IMAGE_MB}M "$out"
	{
		echo "label: gpt"
		echo "1 : start=$EFI_START, size=$EFI_SIZE, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=\"EFI-SYSTEM\""
		echo "2 : start=$BIOS_START, size=$BIOS_SIZE, type=21686148-6449-6E6F-744E-656564454649, name=\"BIOS-BOOT\""
		echo "3 : start=$USRA_START, size=$USRA_SIZE, type=5DFBF5F4-2848-4BAC-AA5E-0D9A20B745A6, name=\"USR-A\""
		echo "4 : start=$USRB_START, size=$USRB_SIZE, type=5DFBF5F4-2848-4BAC-AA5E-0D9A20B745A6, name=\"USR-B\""
		[[ $oemname == - ]] ||
			echo "6 : start=$OEM_START, size=$OEM_SIZE, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=\"$oemname\""
		echo "7 : start=$OEMC_START, size=$OEMC_SIZE, type=C95DC21A-DF0E-4340-8D7B-26CBFA9A03E0, name=\"OEM-CONFIG\""
		echo "9 : start=$ROOT_START, size=$ROOT_SIZE, type=3884DD41-8582-4404-B9A8-E9B84F2DF50E, name=\"ROOT\""
	} | sfdisk --quiet "$out"
	mkfs_file vfat $EFI_SIZE EFI-SYSTEM && put "$out" $EFI_START
	mkfs_file btrfs-mixed $USRA_SIZE "" && put "$out" $USRA_START
	case $oemfs in
	btrfs | ext4) mkfs_file "$oemfs" $OEM_SIZE "$oemlabel" "$oemdir" && put "$out" $OEM_START ;;
	esac
	mkfs_file ext4 $ROOT_SIZE ROOT && put "$out" $ROOT_START
	rm -f "$T/fs.img"
}

# read_oem IMAGE DIR: copies the OEM filesystem's files out, through a read-only loop device.
read_oem() {
	rm -rf "$2"
	rloop=$(losetup -r -f --show -o $((OEM_START * 512)) --sizelimit $((OEM_SIZE * 512)) "$1")
	mount -o ro "$rloop" "$rmnt"
	mkdir -p "$2"
	cp -a "$rmnt/." "$2/"
	umount "$rmnt"
	btrfs device scan --forget "$rloop" 2>/dev/null || true
	losetup -d "$rloop"
	rloop=
}

# bake ARGS...: runs bake-default; sets $out (stdout+stderr) and $rc.
bake() {
	set +e
	out=$(IGNITION_SELINUX=$BIN "$BAKE" "$@" 2>&1)
	rc=$?
	set -e
}
sum() { sha256sum "$1" | cut -d' ' -f1; }
has() { grep -qF -- "$1" <<<"$out"; }
# block_is FILE MODE AUDIT VERSION: the file holds exactly the block and that version.
block_is() {
	python3 - "$@" <<'PY'
import json, sys
path, mode, audit, version = sys.argv[1:]
c = json.load(open(path))
ok = c.get("selinux") == {"mode": mode, "auditDenials": audit == "true"} and \
     c.get("ignition", {}).get("version") == version
sys.exit(0 if ok else 1)
PY
}
validates() { "$BIN" validate "$1" >/dev/null 2>&1; }
no_leaks() { # no loop device on the test's images, no mount of bake-default's left
	[[ -z $(losetup -a | grep -F "$T/" || true) ]] && ! grep -q 'bake-default\.' /proc/mounts
}

mkimage "$T/pristine.img"

# Each mode, on a fresh image: a new base.ign that validates and holds exactly the block.
for args in "enforcing" "permissive --audit-denials" "disabled"; do
	set -- $args
	mode=$1 audit=false
	[[ ${2-} ]] && audit=true
	img=$T/$mode.img
	cp --sparse=always "$T/pristine.img" "$img"
	bake "$img" --mode "$mode" ${2-}
	check "$mode${2:+ $2}: exit 0" test "$rc" -eq 0
	read_oem "$img" "$T/oem"
	check "$mode: base/base.ign written" test -f "$T/oem/base/base.ign"
	check "$mode: ignition-selinux validate accepts it" validates "$T/oem/base/base.ign"
	check "$mode: it holds {\"mode\": \"$mode\", \"auditDenials\": $audit}, ignition.version 3.0.0" \
		block_is "$T/oem/base/base.ign" "$mode" "$audit" 3.0.0
	check "$mode: no loop device or mount left" no_leaks
done

# A second identical run changes no byte; another mode is an update.
img=$T/enforcing.img
before=$(sum "$img")
bake "$img" --mode enforcing
check "second identical run: exit 0, says nothing to do" eval '[[ $rc -eq 0 ]] && has "nothing to do"'
check "second identical run: the image is byte-identical" test "$(sum "$img")" = "$before"
bake "$img" --mode permissive --dry-run
check "--dry-run on a baked image: says it would update, shows the block" \
	eval '[[ $rc -eq 0 ]] && has "would update" && has "\"permissive\""'
check "--dry-run on a baked image: the image is byte-identical" test "$(sum "$img")" = "$before"
bake "$img" --mode permissive
read_oem "$img" "$T/oem"
check "another mode updates the block" block_is "$T/oem/base/base.ign" permissive false 3.0.0
after=$(sum "$img")
bake "$img" --mode permissive
check "and a run with that mode again changes no byte" test "$(sum "$img")" = "$after"

# --dry-run on a fresh image.
img=$T/dry.img
cp --sparse=always "$T/pristine.img" "$img"
before=$(sum "$img")
bake "$img" --mode enforcing --audit-denials --dry-run
check "--dry-run: exit 0, says it would create base/base.ign with the block" \
	eval '[[ $rc -eq 0 ]] && has "would create base/base.ign" && has "\"auditDenials\": true"'
check "--dry-run: the image is byte-identical" test "$(sum "$img")" = "$before"

# An existing base.ign: every other key kept, the selinux block replaced as a whole, the
# OEM partition's other files untouched.
mkdir -p "$T/oemdir/base"
cat >"$T/oemdir/base/base.ign" <<'EOF'
{
  "ignition": { "version": "3.4.0", "timeouts": { "httpTotal": 30 } },
  "passwd": { "users": [ { "name": "core", "sshAuthorizedKeys": [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBaked test" ] } ] },
  "storage": { "files": [ { "path": "/etc/hostname", "mode": 420, "contents": { "source": "data:,baked%0A" } } ] },
  "selinux": { "mode": "permissive", "booleans": { "container_manage_cgroup": true } },
  "systemd": { "units": [ { "name": "baked.service", "enabled": true, "contents": "[Service]\nExecStart=/usr/bin/true\n[Install]\nWantedBy=multi-user.target\n" } ] }
}
EOF
printf 'set oem_id="qemu"\n' >"$T/oemdir/grub.cfg"
printf 'ID=qemu\n' >"$T/oemdir/oem-release"
cp "$T/oemdir/base/base.ign" "$T/orig.ign"
img=$T/existing.img
mkimage "$img" btrfs "$T/oemdir"
bake "$img" --mode enforcing --audit-denials
check "existing base.ign: exit 0, notes the dropped selinux keys" \
	eval '[[ $rc -eq 0 ]] && has "dropped its keys: booleans"'
read_oem "$img" "$T/oem"
check "existing base.ign: validates" validates "$T/oem/base/base.ign"
check "existing base.ign: the block, its own ignition.version 3.4.0" \
	block_is "$T/oem/base/base.ign" enforcing true 3.4.0
check "existing base.ign: every other key kept, in its order" python3 - "$T/orig.ign" "$T/oem/base/base.ign" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
a.pop("selinux"); sel = b.pop("selinux")
sys.exit(0 if a == b and list(a) == list(b) else 1)
PY
check "existing base.ign: the OEM partition's other files untouched" \
	eval 'cmp -s "$T/oem/grub.cfg" "$T/oemdir/grub.cfg" && cmp -s "$T/oem/oem-release" "$T/oemdir/oem-release"'
before=$(sum "$img")
bake "$img" --mode enforcing --audit-denials
check "existing base.ign: a second identical run changes no byte" test "$(sum "$img")" = "$before"

# Found by filesystem label when the GPT name is not OEM; an ext4 OEM (older images).
img=$T/label.img
mkimage "$img" btrfs "" oem-data OEM
bake "$img" --mode permissive
read_oem "$img" "$T/oem"
check "no GPT name, filesystem label OEM: found, written" \
	eval '[[ $rc -eq 0 ]] && has "filesystem label OEM" && block_is "$T/oem/base/base.ign" permissive false 3.0.0'
img=$T/ext4.img
mkimage "$img" ext4
bake "$img" --mode enforcing
read_oem "$img" "$T/oem"
check "ext4 OEM partition: written, validates" \
	eval '[[ $rc -eq 0 ]] && validates "$T/oem/base/base.ign" && block_is "$T/oem/base/base.ign" enforcing false 3.0.0'
before=$(sum "$img")
bake "$img" --mode enforcing
check "ext4 OEM partition: a second identical run changes no byte" test "$(sum "$img")" = "$before"

# Bad input: a clear message, a non-zero status, the image unchanged.
# refused DESC EXPECTED-MESSAGE FILE ARGS...: $before is the file's sum before.
refused() {
	local desc=$1 msg=$2 file=$3; shift 3
	bake "$file" "$@"
	if [[ $rc -ne 0 ]] && has "$msg" && [[ $(sum "$file") == "$before" ]] && no_leaks; then
		pass "refused: $desc (exit $rc: $(grep -m1 -F -- "$msg" <<<"$out"))"
	else
		fail "refused: $desc: exit $rc, output: $out"
	fi
}
img=$T/bad.img
cp --sparse=always "$T/pristine.img" "$img"
before=$(sum "$img")
refused "bad mode" "bad mode 'enforce'" "$img" --mode enforce
refused "no mode" "missing --mode" "$img"
refused "unknown option" "unknown option: --force" "$img" --mode enforcing --force
echo "not an image" >"$T/text.img"
before=$(sum "$T/text.img")
refused "a text file" "not a disk image" "$T/text.img" --mode enforcing
truncate -s 16M "$T/zero.img"
before=$(sum "$T/zero.img")
refused "a file of zeros" "not a disk image" "$T/zero.img" --mode enforcing
printf 'QFI\xfb\0\0\0\3' >"$T/fake.qcow2"
truncate -s 1M "$T/fake.qcow2"
before=$(sum "$T/fake.qcow2")
refused "a qcow2 image" "qemu-img convert -f qcow2 -O raw" "$T/fake.qcow2" --mode enforcing
truncate -s 16M "$T/mbr.img"
echo 'label: dos' | sfdisk --quiet "$T/mbr.img"
before=$(sum "$T/mbr.img")
refused "an MBR disk image" "not a GPT partition table" "$T/mbr.img" --mode enforcing
img=$T/nooem.img
mkimage "$img" none "" -
before=$(sum "$img")
refused "no OEM partition" "no OEM partition" "$img" --mode enforcing
img=$T/blankoem.img
mkimage "$img" none
before=$(sum "$img")
refused "an OEM partition without a filesystem" "has no filesystem" "$img" --mode enforcing
for bad in '{"ignition": {"version": "3.4.0"},' '[1, 2]' '{"a": 1, "a": 2}' \
	'{"ignition": {"version": 3}}'; do
	printf '%s\n' "$bad" >"$T/oemdir/base/base.ign"
	img=$T/badjson.img
	mkimage "$img" btrfs "$T/oemdir"
	before=$(sum "$img")
	case $bad in
	'[1, 2]') msg="not a JSON object" ;;
	*'"a": 1'*) msg="duplicate key" ;;
	*'version": 3'*) msg="not a version string" ;;
	*) msg="not valid JSON" ;;
	esac
	refused "existing base.ign: $bad" "$msg" "$img" --mode enforcing
done

# A failure once the loop device is attached, and one while the partition is mounted
# read-write: nothing is left attached or mounted.
mkdir -p "$T/shim"
printf '#!/bin/sh\necho "mount: injected failure" >&2\nexit 32\n' >"$T/shim/mount"
printf '#!/bin/sh\necho "mv: injected failure" >&2\nexit 1\n' >"$T/shim/mv"
chmod +x "$T/shim/mount" "$T/shim/mv"
img=$T/fail.img
cp --sparse=always "$T/pristine.img" "$img"
before=$(sum "$img")
PATH=$T/shim:$PATH bake "$img" --mode enforcing
rm "$T/shim/mv"
check "mount fails: exit 1 with its message, image unchanged, loop device detached" \
	eval '[[ $rc -eq 1 ]] && has "injected failure" && [[ $(sum "$img") == "$before" ]] && no_leaks'
mv "$T/shim/mount" "$T/shim/mount.off"
printf '#!/bin/sh\necho "mv: injected failure" >&2\nexit 1\n' >"$T/shim/mv"
chmod +x "$T/shim/mv"
PATH=$T/shim:$PATH bake "$img" --mode enforcing
read_oem "$img" "$T/oem"
check "rename fails while mounted read-write: exit non-zero, unmounted, detached, no staged file" \
	eval '[[ $rc -ne 0 ]] && no_leaks && [[ ! -e $T/oem/base/.base.ign.new && ! -e $T/oem/base/base.ign ]]'

# A TERM while the OEM partition is mounted (a stand-in cp holds it there): cleaned up too.
mv "$T/shim/mv" "$T/shim/mv.off"
printf '#!/bin/sh\necho $$ >"%s/shim.pid"\nexec sleep 60\n' "$T" >"$T/shim/cp"
chmod +x "$T/shim/cp"
img=$T/signal.img
cp --sparse=always "$T/existing.img" "$img"
before=$(sum "$img")
rm -f "$T/shim.pid"
PATH=$T/shim:$PATH "$BAKE" "$img" --mode disabled >"$T/signal.out" 2>&1 &
pid=$!
for _ in $(seq 100); do [[ -s $T/shim.pid ]] && break; sleep 0.1; done
mounted=$(grep -c 'bake-default\.' /proc/mounts || true)
kill -TERM "$pid"
[[ -s $T/shim.pid ]] && kill -TERM "$(cat "$T/shim.pid")"
set +e; wait "$pid"; rc=$?; set -e
check "TERM while mounted: exit 143, unmounted, detached, image unchanged" \
	eval '[[ $mounted -ge 1 && $rc -eq 143 && $(sum "$img") == "$before" ]] && no_leaks'

img=$T
before=
bake "$T" --mode enforcing
check "a directory as IMAGE is refused" eval '[[ $rc -eq 1 ]] && has "not a regular file"'

check "after every run: no loop device on the test's images, no mount left" no_leaks
finish
