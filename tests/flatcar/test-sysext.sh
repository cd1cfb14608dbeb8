#!/bin/bash
# contrib/flatcar/sysext.sh: the squashfs holds the layout systemd-sysext wants, and the
# program runs from the unpacked tree with its bundled libraries.
source "$(dirname "$0")/lib.sh"
need mksquashfs unsquashfs readelf ldd
[[ -x $BIN ]] || { echo "FAIL: $BIN missing (run make)"; exit 1; }
T=$(mktemp -d /var/tmp/ignition-selinux-sysext.XXXXXX)
trap 'rm -rf "$T"' EXIT
version=$("$BIN" --version | awk '{print $2}')

if "$TOP/contrib/flatcar/sysext.sh" --binary "$BIN" --output "$T/ignition-selinux.raw" >"$T/out" 2>&1; then
	pass "sysext.sh builds ignition-selinux.raw"
else
	fail "sysext.sh: $(cat "$T/out")"
	finish
fi
raw=$T/ignition-selinux.raw
check "it is a squashfs image" eval '[[ $(head -c 4 "$raw") == hsqs ]]'

unsquashfs -l "$raw" | sed -n 's|^squashfs-root/||p' | sort >"$T/listing"
libs=$(ldd "$BIN" | awk '$2 == "=>" {print $1}' |
	grep -Ev '^(libc|libm|libdl|libpthread|librt|libresolv|libutil)\.so|^ld-linux' | sort)
{
	printf '%s\n' usr usr/bin usr/bin/ignition-selinux usr/lib usr/lib/extension-release.d \
		usr/lib/extension-release.d/extension-release.ignition-selinux \
		usr/lib/ignition-selinux usr/lib/ignition-selinux/ignition-selinux
	sed 's|^|usr/lib/ignition-selinux/|' <<<"$libs"
} | sort >"$T/expected"
check "unsquashfs -l: only usr/, the wrapper, the program, its libraries, extension-release" \
	cmp -s "$T/listing" "$T/expected"
[[ $failures -eq 0 ]] || diff "$T/expected" "$T/listing" | sed 's/^/    /'
check "no C library bundled" eval '! grep -Eq "/(libc\.so|ld-linux)" "$T/listing"'

unsquashfs -q -n -d "$T/root" "$raw" >/dev/null
rel=$T/root/usr/lib/extension-release.d/extension-release.ignition-selinux
case $(uname -m) in x86_64) arch=x86-64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
check "extension-release: ID=flatcar, SYSEXT_LEVEL=1.0, ARCHITECTURE=$arch, its version" \
	eval 'grep -qx ID=flatcar "$rel" && grep -qx SYSEXT_LEVEL=1.0 "$rel" &&
		grep -qx "ARCHITECTURE=$arch" "$rel" && grep -qx "SYSEXT_VERSION_ID=$version" "$rel"'
check "extension-release has no VERSION_ID= (that would tie it to one Flatcar release)" \
	eval '! grep -q "^VERSION_ID=" "$rel"'

if command -v systemd-dissect >/dev/null; then
	# --list arrived in systemd 253; the plain form shows the same judgement.
	if systemd-dissect --list "$raw" >"$T/dissect" 2>&1; then
		check "systemd-dissect --list shows the layout" \
			eval 'grep -q "usr/lib/extension-release.d/extension-release.ignition-selinux" "$T/dissect"'
	else
		systemd-dissect "$raw" >"$T/dissect" 2>&1 || true
		check "systemd-dissect: an extension for the system, with its extension-release" \
			eval 'grep -q "✓ extension for system" "$T/dissect" && grep -q "ID=flatcar" "$T/dissect"'
	fi
else
	echo "SKIP: systemd-dissect not found (systemd-container); unsquashfs -l checked the layout"
fi

wrapper=$T/root/usr/bin/ignition-selinux
check "the program runs from the unpacked tree: --version" \
	eval '[[ $("$wrapper" --version) == "ignition-selinux $version" ]]'
check "validate on a sample config from the unpacked tree" \
	eval '"$wrapper" validate "$TOP/tests/data/validate/top-level.ign" >/dev/null 2>&1'
bad=$T/bad.ign
printf '{"ignition": {"version": "3.4.0"}, "selinux": {"mode": "enforce"}}\n' >"$bad"
check "validate from the unpacked tree rejects a bad mode (exit 1)" \
	eval '"$wrapper" validate "$bad" >/dev/null 2>&1; [[ $? -eq 1 ]]'
interp=$(LC_ALL=C readelf -l "$BIN" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
priv=$T/root/usr/lib/ignition-selinux
resolved=$("$interp" --library-path "$priv" --list "$priv/ignition-selinux")
all_bundled() {
	local l
	for l in $libs; do grep -q "^[[:space:]]*$l => $priv/$l " <<<"$resolved" || return 1; done
}
check "every bundled library is the one the loader takes" all_bundled
check "the wrapper sets no LD_LIBRARY_PATH (children keep the system's libraries)" \
	eval '! grep -q LD_LIBRARY_PATH "$wrapper"'

"$TOP/contrib/flatcar/sysext.sh" --binary "$BIN" --output "$T/ignition-selinux.raw" >/dev/null 2>&1
cp "$raw" "$T/first.raw"
"$TOP/contrib/flatcar/sysext.sh" --binary "$BIN" --output "$T/ignition-selinux.raw" >/dev/null 2>&1
check "two builds from the same program give the same bytes" cmp -s "$raw" "$T/first.raw"
if "$TOP/contrib/flatcar/sysext.sh" --binary "$BIN" --output "$T/other.raw" >"$T/out" 2>&1; then
	fail "a name other than ignition-selinux.raw is refused"
else
	check "a name other than ignition-selinux.raw is refused" grep -q "must be named" "$T/out"
fi
finish
