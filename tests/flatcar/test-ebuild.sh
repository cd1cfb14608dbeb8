#!/bin/bash
# The ebuild's phases, run on the make dist tarball with Portage's helpers stood in for by
# small shell functions (no Portage here): what it builds and installs, with and without a
# baked default. Not a substitute for emerge in the Flatcar SDK (docs/flatcar.md says what
# that leaves unverified), but the ebuild's own logic meets the real Makefile and scripts.
source "$(dirname "$0")/lib.sh"
need git tar make pkg-config
if ! git -C "$TOP" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	echo "SKIP: $TOP is not a git checkout (make dist archives HEAD)"
	exit 0
fi
ebuild=$TOP/contrib/flatcar/sys-apps/ignition-selinux/ignition-selinux-9999.ebuild
version=$(sed -n 's/^VERSION := //p' "$TOP/Makefile")
T=$(mktemp -d /var/tmp/ignition-selinux-ebuild.XXXXXX)
trap 'rm -rf "$T"' EXIT
make -s -C "$TOP" BUILD="$T/build" dist >/dev/null 2>&1
tarball=$T/build/ignition-selinux-$version.tar.gz

check "the versioned ebuild is a link to the -9999 one" \
	eval '[[ $(readlink "${ebuild%-9999.ebuild}-$version.ebuild") == ${ebuild##*/} ]]'
check "the versioned ebuild fetches \${P}.tar.gz, the name make dist gives" \
	eval 'grep -q "^	SRC_URI=.*/\${P}\.tar\.gz\"" "$ebuild" && [[ -f $tarball ]]'
check "EAPI 8" grep -qx 'EAPI=8' "$ebuild"
has_deps() {
	local a
	for a in app-arch/bzip2 dev-libs/json-c dev-libs/libpcre2 sys-apps/util-linux sys-libs/libselinux \
		sys-libs/libsemanage sys-libs/libsepol sys-libs/zlib; do
		grep -q "^	$a" "$ebuild" || return 1
	done
}
check "the dependencies the program links, by their Gentoo names" has_deps

# run_phases NAME [VAR=VALUE...]: unpacks the tarball (NAME plain; the others start from its
# built tree) and runs the ebuild's phases in a
# subshell with stand-ins for Portage's helpers; the image lands in $T/NAME/image.
run_phases() {
	local name=$1; shift
	mkdir -p "$T/$name"
	if [[ $name != plain && -d $T/plain/ignition-selinux-$version/build ]]; then
		# The plain run's tree, built: the phases again without compiling it all again.
		cp -a "$T/plain/ignition-selinux-$version" "$T/$name/"
	else
		tar -xzf "$tarball" -C "$T/$name"
	fi
	(
		set -e
		cd "$T/$name/ignition-selinux-$version"
		inherit() { :; }
		die() { echo "die: $*" >&2; exit 1; }
		default() { :; }
		emake() { make -j2 "$@" || die "emake failed"; }
		tc-export() { :; }
		tc-getPKG_CONFIG() { echo pkg-config; }
		dodoc() { install -Dm644 -t "$ED/usr/share/doc/$PF" "$@"; }
		elog() { :; }
		PN=ignition-selinux PV=$version PVR=$version PF=ignition-selinux-$version P=ignition-selinux-$version
		S=$PWD D=$T/$name/image/ ED=$T/$name/image/ EPREFIX=
		for kv; do export "${kv?}"; done
		source "$ebuild"
		pkg_setup
		src_prepare
		src_compile
		src_install
		pkg_postinst
	) >"$T/$name.log" 2>&1
}

if run_phases plain CFLAGS="-O1 -g" LDFLAGS="-Wl,--as-needed"; then
	pass "the phases run: pkg_setup, src_prepare, src_compile, src_install"
else
	fail "the phases: $(tail -n 15 "$T/plain.log")"
fi
img=$T/plain/image
mk=$T/plain/ignition-selinux-$version/Makefile
check "src_prepare: the Makefile runs \$(PKG_CONFIG), the toolchain's, not pkg-config by name" \
	eval 'grep -q "\$(shell \$(PKG_CONFIG) " "$mk" && ! grep -q "\$(shell pkg-config " "$mk"'
check "compiled without -Werror, with the CFLAGS given" eval '
	grep " -c -o " "$T/plain.log" | grep -q -- "-O1 -g" && ! grep " -c -o " "$T/plain.log" | grep -q -- -Werror'
check "linked with the LDFLAGS given" eval 'grep -q -- "-Wl,--as-needed .*-o build/ignition-selinux" "$T/plain.log"'
(cd "$img" && find . ! -type d | sort) >"$T/installed"
cat >"$T/expected" <<EOF
./usr/bin/ignition-selinux
./usr/lib/dracut/dracut.conf.d/50-ignition-selinux.conf
./usr/lib/dracut/modules.d/31ignition-selinux/ignition-selinux.service
./usr/lib/dracut/modules.d/31ignition-selinux/module-setup.sh
./usr/lib/systemd/system/ignition-selinux.service.d/10-flatcar.conf
./usr/share/doc/ignition-selinux-$version/README.md
./usr/share/doc/ignition-selinux-$version/flatcar.md
./usr/share/man/man5/ignition-selinux.json.5
./usr/share/man/man8/ignition-selinux.8
EOF
check "src_install: the program, man pages, dracut module and conf file, drop-in, docs" \
	cmp -s "$T/installed" "$T/expected"
[[ $failures -eq 0 ]] || diff "$T/expected" "$T/installed" | sed 's/^/    /'

if run_phases baked IGNITION_SELINUX_DEFAULT_MODE=enforcing IGNITION_SELINUX_DEFAULT_AUDIT_DENIALS=true \
	IGNITION_SELINUX_PLATFORMS="qemu metal"; then
	pass "the phases run with a baked default"
else
	fail "the phases with a baked default: $(tail -n 15 "$T/baked.log")"
fi
img=$T/baked/image
ign=$img/usr/lib/ignition/base.platform.d/qemu/90-ignition-selinux-default.ign
check "a baked default: base.platform.d/qemu and /metal, valid, enforcing with auditDenials" eval '
	[[ -f $img/usr/lib/ignition/base.platform.d/metal/90-ignition-selinux-default.ign ]] &&
	"$BIN" validate "$ign" >/dev/null 2>&1 && grep -q "\"enforcing\"" "$ign" && grep -q "\"auditDenials\": true" "$ign"'
check "a baked default: the dracut.conf.d file that installs it" \
	grep -q 'install_items+=.*base.platform.d/qemu/90-ignition-selinux-default.ign' \
	"$img/usr/lib/dracut/dracut.conf.d/51-ignition-selinux-default.conf"
if run_phases badmode IGNITION_SELINUX_DEFAULT_MODE=enforce; then
	fail "a bad default mode stops the build"
else
	check "a bad default mode stops the build in pkg_setup" grep -q 'die: IGNITION_SELINUX_DEFAULT_MODE=enforce' "$T/badmode.log"
fi
finish
