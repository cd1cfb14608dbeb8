#!/bin/bash
# SPDX-License-Identifier: MIT
#
# sysext.sh [--binary PATH] [--output FILE] [--no-libs]
#
# Builds a systemd-sysext image (squashfs) that adds ignition-selinux to a running Flatcar
# machine's /usr, for `denials`, `plan` and `validate` there. It is not for the initramfs: a
# sysext merges after switch-root (docs/flatcar.md).
#
# Layout:
#   usr/bin/ignition-selinux                        a wrapper (or, with --no-libs, the program)
#   usr/lib/ignition-selinux/ignition-selinux       the program
#   usr/lib/ignition-selinux/lib*.so.*              the libraries it links, but the C library's
#   usr/lib/extension-release.d/extension-release.ignition-selinux
#
# The wrapper runs the program through the system's dynamic loader with --library-path, so
# the bundled libraries serve this one process and are not inherited by what it runs
# (libsemanage runs the system's sefcontext_compile). The C library is Flatcar's own, which
# must be as new as the one the program was built against. --no-libs bundles nothing: for a
# program built in the Flatcar SDK, whose libraries are all in Flatcar's /usr.
set -euo pipefail

prog=${0##*/}
top=$(cd "$(dirname "$0")/../.." && pwd)
binary=$top/${BUILD:-build}/ignition-selinux
output=$PWD/ignition-selinux.raw
bundle=true
name=ignition-selinux

die() { echo "$prog: error: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
	case $1 in
	--binary) binary=$2; shift 2 ;;
	--output) output=$2; shift 2 ;;
	--no-libs) bundle=false; shift ;;
	-h | --help) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "$prog: unknown argument: $1" >&2; exit 2 ;;
	esac
done
for tool in mksquashfs readelf ldd; do
	command -v "$tool" >/dev/null || die "$tool not found (squashfs-tools, binutils, libc-bin)"
done
[[ -x $binary ]] || die "$binary: no program (run make first, or give --binary)"
[[ $(basename "$output") == "$name.raw" ]] ||
	die "$output: the image must be named $name.raw to match its extension-release file"

# The architecture, in os-release's ARCHITECTURE= words, from the ELF header.
case $(LC_ALL=C readelf -h "$binary" | sed -n 's/^ *Machine: *//p') in
*X86-64*) arch=x86-64 ;;
*AArch64*) arch=arm64 ;;
*) die "$binary: an architecture Flatcar does not ship" ;;
esac
version=$("$binary" --version | awk '{print $2}')

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sysext.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root/usr/bin" "$root/usr/lib/extension-release.d"

if $bundle; then
	priv=$root/usr/lib/$name
	mkdir -p "$priv"
	install -m 0755 "$binary" "$priv/$name"
	interp=$(LC_ALL=C readelf -l "$binary" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	[[ -n $interp ]] || die "$binary: not dynamically linked (use --no-libs)"
	# Every library but the C library's own (libc, libm, the loader...), which stays Flatcar's.
	ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' |
		while read -r soname path; do
			case $soname in
			libc.so.* | libm.so.* | libdl.so.* | libpthread.so.* | librt.so.* | \
				libresolv.so.* | libutil.so.* | ld-linux*) continue ;;
			esac
			install -m 0644 "$path" "$priv/$soname"
		done
	cat >"$root/usr/bin/$name" <<EOF
#!/bin/sh
# ignition-selinux from the $name sysext: its own libraries, the system's C library.
d=\$(dirname "\$(readlink -f "\$0")")/../lib/$name
exec $interp --library-path "\$d" --argv0 "\$0" "\$d/$name" "\$@"
EOF
	chmod 0755 "$root/usr/bin/$name"
else
	install -m 0755 "$binary" "$root/usr/bin/$name"
fi

# What Flatcar's systemd-sysext matches (as flatcar/sysext-bakery writes it): the OS, its
# sysext level instead of one OS version, and the architecture.
cat >"$root/usr/lib/extension-release.d/extension-release.$name" <<EOF
ID=flatcar
SYSEXT_LEVEL=1.0
ARCHITECTURE=$arch
SYSEXT_VERSION_ID=$version
EOF

rm -f "$output"
mksquashfs "$root" "$output" -all-root -noappend -no-xattrs -quiet \
	-mkfs-time "${SOURCE_DATE_EPOCH:-0}" -all-time "${SOURCE_DATE_EPOCH:-0}" >/dev/null
echo "$output: $name $version for $arch"
