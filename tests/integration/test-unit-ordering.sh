#!/bin/bash
# dracut/ignition-selinux.service fits Flatcar's initramfs: with the unit graph of Flatcar's
# bootengine (tests/data/flatcar-initrd-units/, facts read at a pinned commit) and systemd's
# own initrd units, `systemd-analyze verify` finds no unknown directive and no ordering cycle
# in the transactions of the unit, ignition-complete.target and initrd.target; and the
# unit's effective ordering (the closure of every After=/Before= line) puts it after
# ignition-files, initrd-setup-root and initrd-setup-root-after-ignition, and before
# initrd-parse-etc, ignition-complete.target and initrd.target. The unit alone, then with the
# drop-in of contrib/flatcar/. IGNITION_SELINUX_UNIT= checks another copy of the unit alone
# (to see the test fail on a broken one).
. "$(dirname "$0")/../lib/common.sh"
command -v systemd-analyze >/dev/null || skip "no systemd-analyze"
command -v python3 >/dev/null || skip "no python3"
unit=${IGNITION_SELINUX_UNIT:-$TOP/dracut/ignition-selinux.service}
fixture=$TOP/tests/data/flatcar-initrd-units

# check_graph NAME [DROPINS]: in a root holding only the units of an initramfs — systemd's own
# initrd units from this host (the systemd that builds the boot tests' images), Flatcar's from
# the fixture, and ours (with the drop-ins of DROPINS), linked into
# ignition-complete.target.requires as dracut/module-setup.sh links it — verify and check the
# ordering. A closed set: a host unit outside it (dbus.socket, say) would add orderings no
# initramfs has.
check_graph() {
        local name=$1 dropins=${2:-} root=$TMP/$1 units u b out rc order both mode theirs
        units=$root/usr/lib/systemd/system
        mkdir -p "$units" "$root/etc" "$root/usr/bin"
        for u in initrd.target initrd-parse-etc.service initrd-root-fs.target initrd-root-device.target \
                initrd-fs.target initrd-usr-fs.target initrd-cleanup.service initrd-switch-root.target \
                initrd-switch-root.service local-fs-pre.target local-fs.target basic.target sysinit.target \
                sockets.target paths.target slices.target timers.target swap.target emergency.target \
                emergency.service rescue.target rescue.service umount.target shutdown.target \
                network.target network-pre.target systemd-udevd.service; do
                [ -e "/usr/lib/systemd/system/$u" ] || skip "no /usr/lib/systemd/system/$u on this host"
                cp "/usr/lib/systemd/system/$u" "$units/"
        done
        cp -a "$fixture/." "$units/"
        rm -f "$units/README"
        cp "$unit" "$units/ignition-selinux.service"
        [ -z "$dropins" ] || cp -a "$dropins" "$units/ignition-selinux.service.d"
        mkdir -p "$units/ignition-complete.target.requires"
        ln -s ../ignition-selinux.service "$units/ignition-complete.target.requires/ignition-selinux.service"
        # The stubs' ExecStart=/bin/true is the host's; the programs the unit and its drop-ins
        # run need only to exist.
        for b in ignition-selinux systemctl; do
                printf '#!/bin/sh\n' >"$root/usr/bin/$b"
                chmod 755 "$root/usr/bin/$b"
        done

        note "$name: systemd-analyze verify (systemd $(systemd-analyze --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p'))"
        set +e
        out=$(systemd-analyze verify --man=no --generators=no --root="$root" \
                ignition-selinux.service ignition-complete.target initrd.target 2>&1)
        rc=$?
        set -e
        # Clean means silent: systemd-analyze only warns (exit 0) about unknown keys.
        [ "$rc" -eq 0 ] && [ -z "$out" ] || fail "$name: systemd-analyze verify (exit $rc):$(echo; echo "$out")"
        note "$name: verify clean (no unknown directive, no ordering cycle)"

        # The effective ordering: X is before Y when a chain of After=/Before= lines (either
        # direction) leads from X to Y. Unit files and drop-ins are read as systemd reads them.
        order=$(python3 - "$units" <<'PY'
import os, sys, collections
units = sys.argv[1]
after = collections.defaultdict(set)  # after[u] = units u is ordered after
def read(path, name):
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        for key in ("After", "Before"):
            if line.startswith(key + "="):
                for other in line[len(key) + 1:].split():
                    if key == "After":
                        after[name].add(other)
                    else:
                        after[other].add(name)
for entry in sorted(os.listdir(units)):
    p = os.path.join(units, entry)
    if os.path.isfile(p) and not os.path.islink(p):
        read(p, entry)
    elif entry.endswith(".d") and os.path.isdir(p):
        for conf in sorted(os.listdir(p)):
            if conf.endswith(".conf"):
                read(os.path.join(p, conf), entry[:-2])
def closure(u):
    seen, todo = set(), [u]
    while todo:
        for v in after[todo.pop()]:
            if v not in seen:
                seen.add(v)
                todo.append(v)
    return seen
me = "ignition-selinux.service"
for u in sorted(closure(me)):
    print("after", u)
for u in sorted(after):
    if me in closure(u):
        print("before", u)
PY
)
        for u in ignition-files.service initrd-setup-root.service initrd-setup-root-after-ignition.service \
                ignition-mount.service ignition-disks.service; do
                grep -qx "after $u" <<<"$order" || fail "$name: ignition-selinux.service is not ordered after $u"
        done
        for u in initrd-parse-etc.service ignition-complete.target initrd.target initrd-cleanup.service; do
                grep -qx "before $u" <<<"$order" || fail "$name: ignition-selinux.service is not ordered before $u"
        done
        # And never both ways round (the transaction check above would see that as a cycle too).
        both=$(sed -n 's/^after //p' <<<"$order" | grep -xF -f <(sed -n 's/^before //p' <<<"$order") || true)
        [ -z "$both" ] || fail "$name: ordered both before and after: $both"
        note "$name: after ignition-files, ignition-mount, ignition-disks, initrd-setup-root, initrd-setup-root-after-ignition; before initrd-parse-etc, initrd-cleanup, ignition-complete.target, initrd.target"
}

check_graph unit
# With the drop-in Flatcar's packaging installs beside it (contrib/flatcar/).
dropins=$TOP/contrib/flatcar/ignition-selinux.service.d
if [ -z "${IGNITION_SELINUX_UNIT:-}" ] && [ -d "$dropins" ]; then
        check_graph unit+flatcar-dropin "$dropins"
fi

# The failure mode matches Flatcar's Ignition units in the fixture.
mode=$(sed -n 's/^OnFailureJobMode=//p' "$unit")
theirs=$(sed -n 's/^OnFailureJobMode=//p' "$fixture/ignition-files.service")
assert_eq "$mode" "$theirs" "OnFailureJobMode= of the unit against Flatcar's ignition-files.service"
note "OnFailureJobMode=$mode, as Flatcar's Ignition units"
echo ok
