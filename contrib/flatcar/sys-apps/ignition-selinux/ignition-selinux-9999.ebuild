# Copyright 2026 The ignition-selinux Authors
# Distributed under the terms of the MIT License

# For Flatcar's coreos-overlay: copy this directory to
# sdk_container/src/third_party/coreos-overlay/sys-apps/ignition-selinux/ (docs/flatcar.md).
# ignition-selinux-<version>.ebuild is a link to this file, as bootengine's is.

EAPI=8

inherit toolchain-funcs

DESCRIPTION="Apply an Ignition config's selinux block in the initramfs (dracut module)"
# OWNER: where this project is published.
HOMEPAGE="https://github.com/OWNER/ignition-selinux"

if [[ ${PV} == 9999 ]]; then
	EGIT_REPO_URI="https://github.com/OWNER/ignition-selinux.git"
	inherit git-r3
else
	# The commit tagged v${PV}; the tarball is `make dist` run on it.
	EGIT_VERSION="0000000000000000000000000000000000000000"
	SRC_URI="https://github.com/OWNER/ignition-selinux/releases/download/v${PV}/${P}.tar.gz"
	KEYWORDS="amd64 arm64"
fi

LICENSE="MIT"
# A new revision must rebuild the initramfs: coreos-kernel depends on this with :=.
SLOT="0/${PVR}"
# The test suite needs root, an SELinux policy and QEMU; it runs in the project's CI.
RESTRICT="test"

DEPEND="
	app-arch/bzip2:=
	dev-libs/json-c:=
	dev-libs/libpcre2:=
	sys-apps/util-linux
	sys-libs/libselinux:=
	sys-libs/libsemanage:=
	sys-libs/libsepol:=
	sys-libs/zlib:=
"
RDEPEND="${DEPEND}"
BDEPEND="virtual/pkgconfig"

# A default block baked into the initramfs for every image built from these packages, set in
# the package's environment (Flatcar: coreos-overlay/coreos/config/env/sys-apps/ignition-selinux,
# Gentoo: /etc/portage/env + package.env):
#   IGNITION_SELINUX_DEFAULT_MODE=enforcing|permissive|disabled   (unset: no default)
#   IGNITION_SELINUX_DEFAULT_AUDIT_DENIALS=true|false             (default false)
#   IGNITION_SELINUX_PLATFORMS="qemu metal ..."                   (default: Flatcar's platforms)
# They are not part of a binary package's identity: rebuild without binary packages after a
# change (docs/flatcar.md).

pkg_setup() {
	case ${IGNITION_SELINUX_DEFAULT_MODE-} in
	"" | enforcing | permissive | disabled) ;;
	*) die "IGNITION_SELINUX_DEFAULT_MODE=${IGNITION_SELINUX_DEFAULT_MODE}: expected enforcing, permissive or disabled" ;;
	esac
	case ${IGNITION_SELINUX_DEFAULT_AUDIT_DENIALS:-false} in
	true | false) ;;
	*) die "IGNITION_SELINUX_DEFAULT_AUDIT_DENIALS=${IGNITION_SELINUX_DEFAULT_AUDIT_DENIALS}: expected true or false" ;;
	esac
}

src_prepare() {
	default
	# The Makefile runs pkg-config by name; run the toolchain's, which reads the board root.
	sed -i -e 's/\$(shell pkg-config /$(shell $(PKG_CONFIG) /g' Makefile || die
}

src_compile() {
	tc-export CC
	# WERROR= : the project's -Werror is for its own CI, not for a distribution's compiler.
	emake WERROR= PKG_CONFIG="$(tc-getPKG_CONFIG)" all
}

src_install() {
	emake WERROR= PKG_CONFIG="$(tc-getPKG_CONFIG)" DESTDIR="${D}" PREFIX="${EPREFIX}/usr" install

	local args=()
	if [[ -n ${IGNITION_SELINUX_DEFAULT_MODE-} ]]; then
		args+=( --default-mode "${IGNITION_SELINUX_DEFAULT_MODE}" )
		[[ ${IGNITION_SELINUX_DEFAULT_AUDIT_DENIALS-} == true ]] && args+=( --audit-denials )
		[[ -n ${IGNITION_SELINUX_PLATFORMS-} ]] && args+=( --platforms "${IGNITION_SELINUX_PLATFORMS}" )
	fi
	# The dracut.conf.d file and unit drop-in for Flatcar's initramfs, and the default.
	"${S}"/contrib/flatcar/install-flatcar.sh "${ED}" "${args[@]}" || die

	dodoc README.md docs/flatcar.md
}

pkg_postinst() {
	if [[ -n ${IGNITION_SELINUX_DEFAULT_MODE-} ]]; then
		elog "Default SELinux block baked in: mode ${IGNITION_SELINUX_DEFAULT_MODE}," \
			"auditDenials ${IGNITION_SELINUX_DEFAULT_AUDIT_DENIALS:-false}."
	fi
	elog "The initramfs is built by sys-kernel/coreos-kernel: rebuild it to take this in."
}
