#!/bin/bash
# make dist: the release tarball the ebuild fetches builds and installs as Gentoo expects
# (DESTDIR, PREFIX, CC, CFLAGS, LDFLAGS honoured; WERROR= drops -Werror; nothing stripped).
source "$(dirname "$0")/lib.sh"
need git tar make readelf
if ! git -C "$TOP" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	echo "SKIP: $TOP is not a git checkout (make dist archives HEAD)"
	exit 0
fi
version=$(sed -n 's/^VERSION := //p' "$TOP/Makefile")
T=$(mktemp -d /var/tmp/ignition-selinux-dist.XXXXXX)
trap 'rm -rf "$T"' EXIT

make -s -C "$TOP" BUILD="$T/build" dist >"$T/dist.out" 2>&1
tarball=$T/build/ignition-selinux-$version.tar.gz
check "make dist writes ignition-selinux-$version.tar.gz" test -f "$tarball"

tar -tzf "$tarball" | sort >"$T/listed"
git -C "$TOP" ls-tree -r --name-only HEAD | sed "s|^|ignition-selinux-$version/|" | sort >"$T/tracked"
check "every entry is under ignition-selinux-$version/" \
	eval '! grep -v "^ignition-selinux-$version/" "$T/listed"'
check "it holds exactly the files tracked at HEAD" \
	eval 'comm -3 "$T/tracked" <(grep -v "/$" "$T/listed") | { ! grep .; }'
size1=$(sha256sum "$tarball")
make -s -C "$TOP" BUILD="$T/build" dist >/dev/null 2>&1
check "make dist twice gives the same bytes" test "$(sha256sum "$tarball")" = "$size1"

tar -xzf "$tarball" -C "$T"
src=$T/ignition-selinux-$version
jobs=$(($(nproc) < 2 ? 1 : 2))
if make -s -C "$src" -j"$jobs" >"$T/build.log" 2>&1; then
	pass "the unpacked tarball builds with make (-Werror)"
else
	fail "the unpacked tarball builds with make: $(tail -n 20 "$T/build.log")"
fi
check "the program it built runs: --version says $version" \
	eval '[[ $("$src/build/ignition-selinux" --version) == "ignition-selinux $version" ]]'

dest=$T/dest
make -s -C "$src" install DESTDIR="$dest" PREFIX=/usr >"$T/install.log" 2>&1 ||
	fail "make install: $(tail -n 5 "$T/install.log")"
(cd "$dest" && find . -type f -o -type l | sort) >"$T/installed"
cat >"$T/expected" <<EOF
./usr/bin/ignition-selinux
./usr/lib/dracut/modules.d/31ignition-selinux/ignition-selinux.service
./usr/lib/dracut/modules.d/31ignition-selinux/module-setup.sh
./usr/share/man/man5/ignition-selinux.json.5
./usr/share/man/man8/ignition-selinux.8
EOF
check "make install DESTDIR= PREFIX=/usr installs the program, two man pages, the dracut module" \
	cmp -s "$T/installed" "$T/expected"
[[ $failures -eq 0 ]] || diff "$T/expected" "$T/installed" | sed 's/^/    /'
check "make install does not strip the program" \
	eval 'LC_ALL=C readelf -S "$dest/usr/bin/ignition-selinux" | grep -q "\.symtab"'
check "the module's script is executable, the unit is not" \
	eval '[[ -x $dest/usr/lib/dracut/modules.d/31ignition-selinux/module-setup.sh &&
		! -x $dest/usr/lib/dracut/modules.d/31ignition-selinux/ignition-selinux.service ]]'

# The flags a Gentoo build passes, seen in what make would run.
dry=$(make -n -B -C "$src" CC=x86_64-test-gcc CFLAGS="-O1 -pipe" LDFLAGS="-Wl,-O1,--as-needed" WERROR= all)
compile=$(grep -m1 -- ' -c -o ' <<<"$dry")
link=$(grep -m1 -- '-o build/ignition-selinux ' <<<"$dry")
check "CC and CFLAGS from the command line are used to compile" \
	eval '[[ $compile == "x86_64-test-gcc -O1 -pipe "* ]]'
check "LDFLAGS from the command line are used to link" \
	eval '[[ $link == "x86_64-test-gcc -Wl,-O1,--as-needed "* ]]'
check "WERROR= (empty): no -Werror anywhere in the build" eval '! grep -q -- -Werror <<<"$dry"'
dry=$(CC=x86_64-env-gcc CFLAGS="-O3" make -n -B -C "$src" all)
check "CC and CFLAGS from the environment are used; -Werror stays by default" \
	eval 'grep -m1 -- " -c -o " <<<"$dry" | grep -q "^x86_64-env-gcc -O3 .* -Werror "'
finish
